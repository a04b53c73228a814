//! numpy's `linalg.norm`, made of the array operations it stands for (absolute values,
//! powers, sums and extremes along axes, the singular values for the 2-norm of a
//! matrix), so it is chunked, fused and exported like any of them.

use super::{normalize_axis, Array, DEFAULT_SPLIT_EVERY};
use crate::error::{Error, Result};
use crate::kernels::array::{BinaryOp, ReduceOp, UnaryFn};

/// Which norm (numpy's `ord`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NormOrd {
    /// Frobenius (a matrix; the default's 2-norm of all values).
    Fro,
    /// Nuclear: the sum of the singular values (a matrix).
    Nuc,
    /// A number: `p`-norms of vectors, `±1 ±2 ±inf` of matrices.
    P(f64),
}

impl Array {
    /// numpy's `linalg.norm(x, ord, axis)`: a vector norm along one axis (or of a 1-d
    /// array), a matrix norm over two axes (or of a 2-d array); with neither `ord` nor
    /// `axis`, the 2-norm of all values.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::expr::array::NormOrd;
    /// let x = Array::from_array(ndarray::array![[3.0, -4.0], [0.0, 12.0]].into_dyn(), ChunkSpec::Block(vec![1, 1])).unwrap();
    /// let fro = x.norm(None, None).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(fro.sum(), 13.0);
    /// let rows = x.norm(Some(NormOrd::P(1.0)), Some(&[1])).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(rows.into_raw_vec_and_offset().0, vec![7.0, 12.0]);
    /// ```
    pub fn norm(&self, ord: Option<NormOrd>, axis: Option<&[isize]>) -> Result<Array> {
        let axes: Vec<usize> = match axis {
            Some(a) => a
                .iter()
                .map(|&x| normalize_axis(x, self.ndim()))
                .collect::<Result<_>>()?,
            None => (0..self.ndim()).collect(),
        };
        let bad = |why: &str| Err(Error::invalid(format!("norm: {why}")));
        if axis.is_none() && ord.is_none() {
            return sum_abs_pow(self, 2.0, &axes);
        }
        match (axes.len(), ord) {
            (1, None) => sum_abs_pow(self, 2.0, &axes),
            (1, Some(NormOrd::P(p))) => vector(self, p, &axes),
            (1, Some(_)) => bad("'fro' and 'nuc' are matrix norms: give two axes (or a 2-d array)"),
            (2, None | Some(NormOrd::Fro)) => sum_abs_pow(self, 2.0, &axes),
            (2, Some(ord)) => matrix(self, ord, [axes[0], axes[1]]),
            _ => bad(&format!(
                "a vector norm needs one axis and a matrix norm two, got {} of a {}-d array",
                axes.len(),
                self.ndim()
            )),
        }
    }
}

fn reduce(x: &Array, op: ReduceOp, axes: &[usize]) -> Result<Array> {
    let axes: Vec<isize> = axes.iter().map(|&a| a as isize).collect();
    x.reduce(op, Some(&axes), 0.0, DEFAULT_SPLIT_EVERY)
}

/// `(Σ |x|^p)^(1/p)` over `axes`.
fn sum_abs_pow(x: &Array, p: f64, axes: &[usize]) -> Result<Array> {
    let powered = if p == 2.0 {
        x.binary(BinaryOp::Mul, x)?
    } else {
        x.map(UnaryFn::Abs)?.scalar_op(BinaryOp::Pow, p, false)?
    };
    let s = reduce(&powered, ReduceOp::Sum, axes)?;
    if p == 2.0 {
        s.map(UnaryFn::Sqrt)
    } else if p == 1.0 {
        Ok(s)
    } else {
        s.scalar_op(BinaryOp::Pow, 1.0 / p, false)
    }
}

/// numpy's vector norms: `inf`, `-inf`, `0` (the count of values that are not 0), `p`.
fn vector(x: &Array, p: f64, axes: &[usize]) -> Result<Array> {
    if p == f64::INFINITY {
        reduce(&x.map(UnaryFn::Abs)?, ReduceOp::Max, axes)
    } else if p == f64::NEG_INFINITY {
        reduce(&x.map(UnaryFn::Abs)?, ReduceOp::Min, axes)
    } else if p == 0.0 {
        reduce(&x.scalar_op(BinaryOp::Ne, 0.0, false)?, ReduceOp::Sum, axes)
    } else if p.is_nan() {
        Err(Error::invalid("norm: ord NaN"))
    } else {
        sum_abs_pow(x, p, axes)
    }
}

/// numpy's matrix norms over `[rows, cols]`: `±1` (column sums), `±inf` (row sums), `±2`
/// and `nuc` (singular values; a 2-d array with one block along an axis, as `svd`).
fn matrix(x: &Array, ord: NormOrd, [rows, cols]: [usize; 2]) -> Result<Array> {
    if rows == cols {
        return Err(Error::invalid("norm: the two axes must differ"));
    }
    let abs = || x.map(UnaryFn::Abs);
    let singular = || -> Result<Array> {
        if x.ndim() != 2 {
            return Err(Error::invalid(
                "norm: the 2-norm and nuclear norm need a 2-d array",
            ));
        }
        let t = if rows > cols { x.t() } else { x.clone() };
        Ok(t.svd()?.1)
    };
    match ord {
        // Sums of |x| along one axis, then their largest (smallest) along the other,
        // whose number drops by one when the first was before it.
        NormOrd::P(p) if p == 1.0 || p == -1.0 || p.is_infinite() => {
            let (along, then) = if p.abs() == 1.0 {
                (rows, cols)
            } else {
                (cols, rows)
            };
            let s = reduce(&abs()?, ReduceOp::Sum, &[along])?;
            let op = if p > 0.0 {
                ReduceOp::Max
            } else {
                ReduceOp::Min
            };
            reduce(&s, op, &[then - usize::from(along < then)])
        }
        NormOrd::P(2.0) => reduce(&singular()?, ReduceOp::Max, &[0]),
        NormOrd::P(-2.0) => reduce(&singular()?, ReduceOp::Min, &[0]),
        NormOrd::Nuc => reduce(&singular()?, ReduceOp::Sum, &[0]),
        NormOrd::Fro => sum_abs_pow(x, 2.0, &[rows, cols]),
        NormOrd::P(p) => Err(Error::invalid(format!(
            "norm: invalid norm order {p} for matrices (1, -1, 2, -2, inf, -inf, 'fro', 'nuc')"
        ))),
    }
}
