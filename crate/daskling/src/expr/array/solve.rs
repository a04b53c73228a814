//! Blocked linear algebra of square arrays, as `dask.array.linalg`: `cholesky`, `solve`
//! (an LU with pivoting inside each diagonal block, then forward and back substitution)
//! and `inv` (`solve(a, eye)`). Every block step is one task (the steps are in
//! `kernels::array::blocked`): the matrix is never gathered into one block, and a
//! one-block matrix is one factorization.
//!
//! The LU's tasks have a name of their own (`lu-<token of a>`), so a `solve` and an `inv`
//! of one matrix in one graph factor it once.

use super::tasks::task;
use super::{chunks, not_mine, Array, ArrayOp, ChunkSpec, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::array::Blocked;
use crate::kernels::ArrayKernel;

impl Array {
    /// The lower Cholesky factor `l` of a symmetric positive definite array (`a = l lᵀ`),
    /// numpy's `cholesky`. The array must have square blocks (as dask's).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// // [[4, 2], [2, 5]] = l lᵀ with l = [[2, 0], [1, 2]].
    /// let a = ndarray::array![[4.0, 2.0], [2.0, 5.0]].into_dyn();
    /// let a = Array::from_array(a, ChunkSpec::Block(vec![1, 1])).unwrap();
    /// let l = a.cholesky().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(l, ndarray::array![[2.0, 0.0], [1.0, 2.0]].into_dyn());
    /// ```
    pub fn cholesky(&self) -> Result<Array> {
        Array::build(ArrayOp::Cholesky {
            input: self.clone(),
        })
    }

    /// `x` with `self · x = b` for a square `self` (numpy's `solve`; `b` 1-d or 2-d, its
    /// rows rechunked to `self`'s blocks when they differ).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = ndarray::array![[0.0, 2.0, 1.0], [4.0, 1.0, 0.0], [1.0, 1.0, 3.0]].into_dyn();
    /// let a = Array::from_array(a, ChunkSpec::Block(vec![2, 2])).unwrap();
    /// let b = Array::from_array(ndarray::array![3.0, 5.0, 5.0].into_dyn(), ChunkSpec::Block(vec![3])).unwrap();
    /// let x = a.solve(&b).unwrap().compute(Scheduler::Sync).unwrap();
    /// // x = (1, 1, 1): 0+2+1, 4+1+0, 1+1+3.
    /// assert!(x.iter().all(|v| (v - 1.0).abs() < 1e-12));
    /// ```
    pub fn solve(&self, b: &Array) -> Result<Array> {
        square_blocks(self, "solve")?;
        if b.ndim() == 0 || b.ndim() > 2 || b.shape()[0] != self.shape()[0] {
            return Err(Error::invalid(format!(
                "solve: a is {n}x{n}, so b must be 1-d or 2-d with {n} rows; got shape {:?}",
                b.shape(),
                n = self.shape()[0]
            )));
        }
        let b = if b.chunks()[0] == self.chunks()[0] {
            b.clone()
        } else {
            let mut c = b.chunks().to_vec();
            c[0] = self.chunks()[0].clone();
            b.rechunk(ChunkSpec::Explicit(c))?
        };
        Array::build(ArrayOp::Solve { a: self.clone(), b })
    }

    /// The inverse of a square array: `solve(a, eye)` with the identity blocked as `a`'s
    /// rows (as dask's `inv`).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = ndarray::array![[2.0, 1.0], [1.0, 1.0]].into_dyn();
    /// let a = Array::from_array(a, ChunkSpec::Block(vec![1, 1])).unwrap();
    /// let inv = a.inv().unwrap().compute(Scheduler::Sync).unwrap();
    /// let want = ndarray::array![[1.0, -1.0], [-1.0, 2.0]].into_dyn();
    /// assert!(inv.iter().zip(want.iter()).all(|(u, v)| (u - v).abs() < 1e-12));
    /// ```
    pub fn inv(&self) -> Result<Array> {
        square_blocks(self, "inv")?;
        let n = self.shape()[0];
        let rows = self.chunks()[0].clone();
        let eye = Array::eye(n, n, 0, ChunkSpec::Explicit(vec![rows.clone(), rows]))?;
        self.solve(&eye)
    }
}

/// Checks that `a` is a non-empty square 2-d array with square blocks.
fn square_blocks(a: &Array, what: &str) -> Result<()> {
    if a.ndim() != 2 || a.shape()[0] != a.shape()[1] {
        return Err(Error::invalid(format!(
            "{what} needs a square 2-d array, got shape {:?}",
            a.shape()
        )));
    }
    if a.shape()[0] == 0 {
        return Err(Error::invalid(format!("{what} of an empty 0x0 array")));
    }
    if a.chunks()[0] != a.chunks()[1] {
        return Err(Error::invalid(format!(
            "{what} needs square blocks (the same chunks on both axes), got chunks {}; \
             rechunk it, e.g. a.rechunk([{c}, {c}])",
            chunks::summary(a.chunks()),
            c = a.chunks()[0][0]
        )));
    }
    Ok(())
}

/// Shape, chunks and name prefix of a Cholesky factor or a solve.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    match op {
        ArrayOp::Cholesky { input } => {
            square_blocks(input, "cholesky")?;
            Ok(Meta::new(
                "cholesky",
                input.shape().to_vec(),
                input.chunks().to_vec(),
            ))
        }
        ArrayOp::Solve { a, b } => {
            square_blocks(a, "solve")?;
            if b.ndim() == 0 || b.ndim() > 2 || b.chunks()[0] != a.chunks()[0] {
                return Err(Error::invalid(format!(
                    "solve: b (shape {:?}, chunks {}) must be 1-d or 2-d with rows blocked as a's ({})",
                    b.shape(),
                    chunks::summary(b.chunks()),
                    chunks::summary(a.chunks())
                )));
            }
            Ok(Meta::new("solve", b.shape().to_vec(), b.chunks().to_vec()))
        }
        _ => Err(not_mine("solve")),
    }
}

/// Adds the tasks of a Cholesky factor or a solve (the LU's once per matrix).
pub(super) fn lower(out: &Array, g: &mut Graph) -> Result<()> {
    match out.op() {
        ArrayOp::Cholesky { input } => {
            lower_cholesky(input, out, g);
            Ok(())
        }
        ArrayOp::Solve { a, b } => {
            let lu = lower_lu(a, g);
            lower_substitution(&lu, b, out, g);
            Ok(())
        }
        _ => Err(not_mine("solve")),
    }
}

/// Keys `(row, k)` for `k < upto` of `layer`.
fn row_keys(layer: &dyn Fn(u32, u32) -> Key, row: u32, upto: u32) -> Vec<Key> {
    (0..upto).map(|k| layer(row, k)).collect()
}

/// Keys `(k, col)` for `k` in `range` of `layer`.
fn col_keys(layer: &dyn Fn(u32, u32) -> Key, col: u32, range: std::ops::Range<u32>) -> Vec<Key> {
    range.map(|k| layer(k, col)).collect()
}

/// `l` block by block: each diagonal block and each one below it a step of
/// [`Blocked`]; the blocks above the diagonal zeros.
fn lower_cholesky(a: &Array, out: &Array, g: &mut Graph) {
    let n = a.numblocks()[0] as u32;
    let l = |i: u32, j: u32| out.block_key(&[i, j]);
    for i in 0..n {
        let prior = row_keys(&l, i, i);
        let mut deps = vec![a.block_key(&[i, i])];
        deps.extend(prior.iter().cloned());
        deps.extend(prior.iter().cloned());
        g.insert(
            l(i, i),
            task(ArrayKernel::Blocked(Blocked::CholeskyDiag), deps),
        );
        for j in i + 1..n {
            let mut deps = vec![a.block_key(&[j, i]), l(i, i)];
            deps.extend(row_keys(&l, j, i));
            deps.extend(prior.iter().cloned());
            g.insert(
                l(j, i),
                task(ArrayKernel::Blocked(Blocked::CholeskyPanel), deps),
            );
            let shape = out.block_shape(&[i, j]);
            g.insert(
                l(i, j),
                task(ArrayKernel::Full { shape, value: 0.0 }, vec![]),
            );
        }
    }
}

/// The LU of `a` (once per graph): key `(i, i)` the diagonal factors `(perm, l, u)`,
/// `(i, j)` with `i < j` the blocks of `u`, with `i > j` those of `l′`. Gives the layer.
fn lower_lu(a: &Array, g: &mut Graph) -> impl Fn(u32, u32) -> Key {
    let name = format!("lu-{}", tokenize(a.name()));
    let lu = move |i: u32, j: u32| Key::new(name.clone(), &[i, j]);
    if g.contains(&lu(0, 0)) {
        return lu;
    }
    let n = a.numblocks()[0] as u32;
    for i in 0..n {
        let l_row = |r: u32| row_keys(&lu, r, i);
        let u_col = |c: u32| col_keys(&lu, c, 0..i);
        let mut deps = vec![a.block_key(&[i, i])];
        deps.extend(l_row(i));
        deps.extend(u_col(i));
        g.insert(lu(i, i), task(ArrayKernel::Blocked(Blocked::LuDiag), deps));
        for j in i + 1..n {
            let mut deps = vec![a.block_key(&[i, j]), lu(i, i)];
            deps.extend(l_row(i));
            deps.extend(u_col(j));
            g.insert(lu(i, j), task(ArrayKernel::Blocked(Blocked::LuRow), deps));
            let mut deps = vec![a.block_key(&[j, i]), lu(i, i)];
            deps.extend(l_row(j));
            deps.extend(u_col(i));
            g.insert(
                lu(j, i),
                task(ArrayKernel::Blocked(Blocked::LuColumn), deps),
            );
        }
    }
    lu
}

/// `x = u⁻¹ l⁻¹ pᵀ b`, per column block of `b`: forward substitution into a layer of its
/// own, then back substitution into `out`'s blocks.
fn lower_substitution(lu: &dyn Fn(u32, u32) -> Key, b: &Array, out: &Array, g: &mut Graph) {
    let n = b.numblocks()[0] as u32;
    let cols = if b.ndim() == 2 {
        b.numblocks()[1] as u32
    } else {
        1
    };
    let fwd = format!("solve-forward-{}", tokenize(out.name()));
    let index = |j: u32, c: u32| if b.ndim() == 2 { vec![j, c] } else { vec![j] };
    for c in 0..cols {
        let y = |j: u32, _: u32| Key::new(fwd.clone(), &index(j, c));
        let x = |j: u32, _: u32| out.block_key(&index(j, c));
        for j in 0..n {
            let mut deps = vec![b.block_key(&index(j, c)), lu(j, j)];
            deps.extend(row_keys(lu, j, j));
            deps.extend(col_keys(&y, 0, 0..j));
            g.insert(y(j, 0), task(ArrayKernel::Blocked(Blocked::Forward), deps));
        }
        for j in (0..n).rev() {
            let mut deps = vec![y(j, 0), lu(j, j)];
            deps.extend((j + 1..n).map(|k| lu(j, k)));
            deps.extend(col_keys(&x, 0, j + 1..n));
            g.insert(x(j, 0), task(ArrayKernel::Blocked(Blocked::Backward), deps));
        }
    }
}

/// The `dask.array` line: `da.linalg.cholesky(a, lower=True)`, `da.linalg.solve(a, b)`.
pub(super) fn dask(out: &Array, s: &mut Script) -> Result<Line> {
    Ok(match out.op() {
        ArrayOp::Cholesky { input } => {
            let a = s.var(input.name())?;
            (
                "cholesky".into(),
                format!("da.linalg.cholesky({a}, lower=True)"),
            )
        }
        ArrayOp::Solve { a, b } => {
            let (a, b) = (s.var(a.name())?, s.var(b.name())?);
            ("solve".into(), format!("da.linalg.solve({a}, {b})"))
        }
        _ => return Err(not_mine("solve")),
    })
}
