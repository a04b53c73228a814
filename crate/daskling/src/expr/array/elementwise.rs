//! Elementwise arrays: functions of one array, operations of two with numpy's
//! broadcasting (chunks aligned on shared axes), and operations with a constant.

use super::chunks::{block_indices, broadcast_shapes, common_chunks, regular, ChunkSpec};
use super::tasks::task;
use super::{not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{binary, float, Line, Script};
use crate::graph::Graph;
use crate::kernels::array::{BinaryOp, Elementwise, UnaryFn};
use crate::kernels::ArrayKernel;

impl Array {
    /// An elementwise function.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::kernels::array::UnaryFn;
    /// let x = Array::full(&[4], 9.0, ChunkSpec::Block(vec![2])).unwrap();
    /// let r = x.map(UnaryFn::Sqrt).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(r.into_raw_vec_and_offset().0, vec![3.0; 4]);
    /// ```
    pub fn map(&self, f: UnaryFn) -> Result<Array> {
        Array::build(ArrayOp::Map {
            input: self.clone(),
            func: Elementwise::Unary { f },
        })
    }

    /// `self op value`, or `value op self` when `reflected`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::kernels::array::BinaryOp;
    /// let x = Array::full(&[2], 4.0, ChunkSpec::Block(vec![2])).unwrap();
    /// let r = x.scalar_op(BinaryOp::Sub, 10.0, true).unwrap(); // 10 - x
    /// assert_eq!(r.compute(Scheduler::Sync).unwrap().into_raw_vec_and_offset().0, vec![6.0, 6.0]);
    /// ```
    pub fn scalar_op(&self, op: BinaryOp, value: f64, reflected: bool) -> Result<Array> {
        Array::build(ArrayOp::Map {
            input: self.clone(),
            func: Elementwise::Scalar {
                op,
                value,
                reflected,
            },
        })
    }

    /// `self op other` elementwise with numpy broadcasting; operands whose chunks differ
    /// are first rechunked to common blocks (as dask's `unify_chunks`).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::kernels::array::BinaryOp;
    /// // Broadcasting a row over a 3x2 array whose chunks differ: they are aligned first.
    /// let x = Array::ones(&[3, 2], ChunkSpec::Block(vec![2, 1])).unwrap();
    /// let row = Array::arange(0.0, 2.0, 1.0, 2).unwrap();
    /// let y = x.binary(BinaryOp::Mul, &row).unwrap();
    /// assert_eq!(y.shape(), &[3, 2]);
    /// assert_eq!(y.sum(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 3.0);
    /// ```
    pub fn binary(&self, op: BinaryOp, other: &Array) -> Result<Array> {
        let shape = broadcast_shapes(self.shape(), other.shape())?;
        let chunks = aligned_chunks(&shape, &[self, other], true)?;
        let left = self.align_to(&shape, &chunks)?;
        let right = other.align_to(&shape, &chunks)?;
        Array::build(ArrayOp::Binary { op, left, right })
    }

    /// numpy's `where(self, a, b)`: `a` where this array is not 0, else `b`, all three
    /// broadcast together (chunks aligned as [`Array::binary`]'s).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::kernels::array::BinaryOp;
    /// let x = Array::arange(0.0, 6.0, 1.0, 4).unwrap();
    /// let big = x.scalar_op(BinaryOp::Gt, 2.5, false).unwrap();
    /// let zero = Array::zeros(&[], ChunkSpec::Block(vec![])).unwrap();
    /// let y = big.where_(&x, &zero).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(y.into_raw_vec_and_offset().0, vec![0.0, 0.0, 0.0, 3.0, 4.0, 5.0]);
    /// ```
    pub fn where_(&self, a: &Array, b: &Array) -> Result<Array> {
        let shape = broadcast_shapes(self.shape(), a.shape())
            .and_then(|s| broadcast_shapes(&s, b.shape()))?;
        let chunks = aligned_chunks(&shape, &[self, a, b], true)?;
        Array::build(ArrayOp::Where {
            cond: self.align_to(&shape, &chunks)?,
            a: a.align_to(&shape, &chunks)?,
            b: b.align_to(&shape, &chunks)?,
        })
    }

    /// This array rechunked so that every axis it shares with a broadcast result of
    /// `shape` has that result's `chunks`.
    fn align_to(&self, shape: &[usize], chunks: &[Vec<usize>]) -> Result<Array> {
        let pad = shape.len() - self.ndim();
        let want: Vec<Vec<usize>> = (0..self.ndim())
            .map(|j| {
                if self.shape()[j] == shape[j + pad] {
                    chunks[j + pad].clone()
                } else {
                    self.chunks()[j].clone()
                }
            })
            .collect();
        self.rechunk(ChunkSpec::Explicit(want))
    }

    /// `self + other`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[4, 4], ChunkSpec::Block(vec![2, 2])).unwrap();
    /// let y = x.add(&x.t()).unwrap(); // x + x.T
    /// assert_eq!(y.sum(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 32.0);
    /// ```
    pub fn add(&self, other: &Array) -> Result<Array> {
        self.binary(BinaryOp::Add, other)
    }

    /// `self - other`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let two = Array::full(&[2], 2.0, ChunkSpec::Block(vec![1])).unwrap();
    /// let one = Array::ones(&[2], ChunkSpec::Block(vec![2])).unwrap();
    /// assert_eq!(two.sub(&one).unwrap().compute(Scheduler::Sync).unwrap().into_raw_vec_and_offset().0, vec![1.0, 1.0]);
    /// ```
    pub fn sub(&self, other: &Array) -> Result<Array> {
        self.binary(BinaryOp::Sub, other)
    }

    /// `self * other`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let two = Array::full(&[2], 2.0, ChunkSpec::Block(vec![1])).unwrap();
    /// let one = Array::ones(&[2], ChunkSpec::Block(vec![2])).unwrap();
    /// assert_eq!(two.mul(&one).unwrap().compute(Scheduler::Sync).unwrap().into_raw_vec_and_offset().0, vec![2.0, 2.0]);
    /// ```
    pub fn mul(&self, other: &Array) -> Result<Array> {
        self.binary(BinaryOp::Mul, other)
    }

    /// `self / other`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let two = Array::full(&[2], 2.0, ChunkSpec::Block(vec![1])).unwrap();
    /// let one = Array::ones(&[2], ChunkSpec::Block(vec![2])).unwrap();
    /// assert_eq!(two.div(&one).unwrap().compute(Scheduler::Sync).unwrap().into_raw_vec_and_offset().0, vec![2.0, 2.0]);
    /// ```
    pub fn div(&self, other: &Array) -> Result<Array> {
        self.binary(BinaryOp::Div, other)
    }

    /// `self + value`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::zeros(&[3], ChunkSpec::Block(vec![3])).unwrap();
    /// assert_eq!(x.add_scalar(0.5).unwrap().compute(Scheduler::Sync).unwrap().sum(), 1.5);
    /// ```
    pub fn add_scalar(&self, value: f64) -> Result<Array> {
        self.scalar_op(BinaryOp::Add, value, false)
    }
}

/// The chunks of a broadcast result of `shape` from `operands`: along each axis, the
/// common refinement of the chunks of every operand that spans it (length > 1 or equal
/// to the result's). With `refine` false the chunks must already agree.
fn aligned_chunks(shape: &[usize], operands: &[&Array], refine: bool) -> Result<Vec<Vec<usize>>> {
    let n = shape.len();
    (0..n)
        .map(|i| {
            let mut acc: Option<Vec<usize>> = None;
            for a in operands {
                let pad = n - a.ndim();
                if i < pad || a.shape()[i - pad] != shape[i] {
                    continue;
                }
                let c = &a.chunks()[i - pad];
                acc = Some(match acc {
                    None => c.clone(),
                    Some(prev) if prev == *c => prev,
                    Some(prev) if refine => common_chunks(&prev, c),
                    Some(prev) => {
                        return Err(Error::invalid(format!(
                            "chunks {prev:?} and {c:?} of axis {i} do not agree"
                        )))
                    }
                });
            }
            Ok(acc.unwrap_or_else(|| regular(shape[i], shape[i].max(1))))
        })
        .collect()
}

/// Shape, chunks and name prefix of a elementwise operation.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    Ok(match op {
        ArrayOp::Map { input, func } => {
            Meta::new(func.name(), input.shape().to_vec(), input.chunks().to_vec())
        }
        ArrayOp::Binary { op, left, right } => {
            let shape = broadcast_shapes(left.shape(), right.shape())?;
            let chunks = aligned_chunks(&shape, &[left, right], false)?;
            Meta::new(op.name(), shape, chunks)
        }
        ArrayOp::Where { cond, a, b } => {
            let shape = broadcast_shapes(cond.shape(), a.shape())
                .and_then(|s| broadcast_shapes(&s, b.shape()))?;
            let chunks = aligned_chunks(&shape, &[cond, a, b], false)?;
            Meta::new("where", shape, chunks)
        }
        _ => return Err(not_mine("elementwise")),
    })
}

/// Adds the tasks of every block of `a`, a elementwise operation whose inputs are lowered.
pub(super) fn lower(a: &Array, g: &mut Graph) -> Result<()> {
    let grid = a.numblocks();
    match a.op() {
        ArrayOp::Map { input, func } => {
            for idx in block_indices(&grid) {
                g.insert(
                    a.block_key(&idx),
                    task(ArrayKernel::Map(*func), vec![input.block_key(&idx)]),
                );
            }
        }
        ArrayOp::Binary { op, left, right } => {
            for idx in block_indices(&grid) {
                let deps = vec![
                    left.block_key(&broadcast_index(left, a.shape(), &idx)),
                    right.block_key(&broadcast_index(right, a.shape(), &idx)),
                ];
                g.insert(a.block_key(&idx), task(ArrayKernel::Binary(*op), deps));
            }
        }
        ArrayOp::Where { cond, a: x, b: y } => {
            for idx in block_indices(&grid) {
                let deps = [cond, x, y]
                    .iter()
                    .map(|o| o.block_key(&broadcast_index(o, a.shape(), &idx)))
                    .collect();
                g.insert(a.block_key(&idx), task(ArrayKernel::Where, deps));
            }
        }
        _ => return Err(not_mine("elementwise")),
    }
    Ok(())
}

/// The block of operand `x` that output block `idx` (of a broadcast result of
/// `shape`) reads: block 0 along stretched axes.
fn broadcast_index(x: &Array, shape: &[usize], idx: &[u32]) -> Vec<u32> {
    let pad = shape.len() - x.ndim();
    (0..x.ndim())
        .map(|j| {
            if x.shape()[j] == shape[j + pad] {
                idx[j + pad]
            } else {
                0
            }
        })
        .collect()
}

/// The `dask.array` line of an elementwise operation: the row's dask spelling for a
/// ufunc, Python's operator for arithmetic (comparisons cast to float, as daskling's
/// are 1.0 / 0.0).
pub(super) fn dask(a: &Array, s: &mut Script) -> Result<Line> {
    Ok(match a.op() {
        ArrayOp::Map { input, func } => {
            let x = s.var(input.name())?.to_string();
            match func {
                Elementwise::Unary { f } => (f.name().into(), f.dask().replace("{x}", &x)),
                Elementwise::Scalar {
                    op,
                    value,
                    reflected,
                } => {
                    let c = float(*value);
                    let (l, r) = if *reflected { (c, x) } else { (x, c) };
                    (op.name().into(), binary(*op, &l, &r, "float"))
                }
            }
        }
        ArrayOp::Binary { op, left, right } => {
            let (l, r) = (s.var(left.name())?, s.var(right.name())?);
            (op.name().into(), binary(*op, l, r, "float"))
        }
        ArrayOp::Where { cond, a, b } => {
            let (c, x, y) = (s.var(cond.name())?, s.var(a.name())?, s.var(b.name())?);
            ("where".into(), format!("da.where({c}, {x}, {y})"))
        }
        _ => return Err(not_mine("elementwise")),
    })
}
