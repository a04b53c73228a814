//! Chunked float64 arrays, as `dask.array`.
//!
//! An [`Array`] is a lazy expression whose shape and chunks are known at once; computing
//! lowers it to one task per block (see `lower`), optimizes and schedules the graph.
//!
//! ```
//! use daskling::expr::array::{Array, ChunkSpec};
//! use daskling::scheduler::Scheduler;
//!
//! let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
//! assert_eq!(x.chunks(), &[vec![5, 5, 5], vec![5, 5, 5]]);
//! let y = x.dot(&x.t().add_scalar(1.0).unwrap()).unwrap();       // x.dot(x.T + 1)
//! let z = y.sub(&x.mean(None).unwrap()).unwrap();                 // ... - x.mean()
//! let total = z.sum(None).unwrap().compute(Scheduler::Threads).unwrap();
//! assert_eq!(total.into_raw_vec_and_offset().0, vec![29.0 * 225.0]);
//! ```

mod chunks;
mod data;
mod linalg;
mod lower;
pub mod stored;

use std::sync::Arc;

use ndarray::ArrayD;
use serde::{Deserialize, Serialize};

pub use chunks::{normalize_chunks, ChunkSpec};
pub use data::Data;

use super::Lazy;
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::array::{BinaryOp, Elementwise, ReduceOp, UnaryFn};
use crate::kernels::float;
use crate::scheduler::Scheduler;
use chunks::{broadcast_shapes, common_chunks, regular};

/// dask's default fan-in of tree reductions.
pub const DEFAULT_SPLIT_EVERY: usize = 4;

/// One axis of a slice, as given: an index (negative counts from the end), a range
/// `start..stop` by `step` with Python's defaults and negative values, or everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceArg {
    /// One position; the axis is dropped.
    Index(i64),
    /// `start:stop:step`, each optional.
    Range(Option<i64>, Option<i64>, Option<i64>),
    /// The whole axis (`:`).
    All,
}

/// One axis of a normalized slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AxisIndex {
    /// One position; the axis is dropped.
    At(usize),
    /// Positions `first + k·step` for `k < len`.
    Range {
        /// The first position.
        first: usize,
        /// Distance between elements.
        step: isize,
        /// How many positions.
        len: usize,
    },
}

/// Which output of a QR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum QrPart {
    /// The orthonormal factor `q`.
    Q,
    /// The triangular factor `r`.
    R,
}

/// Which output of an SVD (`x = u · diag(s) · v`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SvdPart {
    /// Left singular vectors `u`.
    U,
    /// Singular values `s`.
    S,
    /// Right singular vectors `v` (as rows, numpy's `vh`).
    V,
}

/// The operations an array expression is built from. `A` is how inputs are held: an
/// [`Array`] in memory, a node number in the serialized form (see [`crate::expr::Wire`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ArrayOp<A = Array> {
    /// A constant array.
    Full {
        /// The (block) shape.
        shape: Vec<usize>,
        /// Block sizes per axis.
        chunks: Vec<Vec<usize>>,
        #[serde(with = "float")]
        /// The constant.
        value: f64,
    },
    /// `start + i·step` for `i < len` (1-d).
    Arange {
        #[serde(with = "float")]
        /// The first value.
        start: f64,
        #[serde(with = "float")]
        /// The step between values.
        step: f64,
        /// How many elements.
        len: usize,
        /// Block sizes per axis.
        chunks: Vec<usize>,
    },
    /// Uniform `[0, 1)` values (see [`crate::kernels::array::random`] for the rule).
    Random {
        /// The block's shape.
        shape: Vec<usize>,
        /// Block sizes per axis.
        chunks: Vec<Vec<usize>>,
        /// The generator seed.
        seed: u64,
    },
    /// Data given in memory.
    FromData {
        /// The data.
        data: Data,
        /// Block sizes per axis.
        chunks: Vec<Vec<usize>>,
    },
    /// An elementwise function (or an operation with a constant).
    Map {
        /// The input.
        input: A,
        /// The function.
        func: Elementwise,
    },
    /// An elementwise operation of two arrays with broadcasting; their chunks are
    /// aligned on every axis they share.
    Binary {
        /// The operation.
        op: BinaryOp,
        /// The left operand.
        left: A,
        /// The right operand.
        right: A,
    },
    /// A reduction over `axes` (sorted, distinct) as a tree with fan-in `split_every`.
    Reduce {
        /// The input.
        input: A,
        /// The reduction.
        reduce: ReduceOp,
        /// The axes (sorted, distinct).
        axes: Vec<usize>,
        #[serde(with = "float")]
        /// Delta degrees of freedom (`std`, `var`).
        ddof: f64,
        /// Partials merged per tree task.
        split_every: usize,
    },
    /// Axes permuted.
    Transpose {
        /// The input.
        input: A,
        /// The input axis of each output axis.
        axes: Vec<usize>,
    },
    /// Matrix product of 1-d or 2-d arrays whose chunks agree along the shared axis.
    Dot {
        /// The left operand.
        left: A,
        /// The right operand.
        right: A,
    },
    /// A selection per axis.
    Slice {
        /// The input.
        input: A,
        /// One entry per axis.
        index: Vec<AxisIndex>,
    },
    /// The same values in other blocks.
    Rechunk {
        /// The input.
        input: A,
        /// The new block sizes per axis.
        chunks: Vec<Vec<usize>>,
    },
    /// Blocks computed earlier and kept in memory under the name `id` (`persist`).
    Stored {
        /// The persisted array's name.
        id: String,
        /// The shape.
        shape: Vec<usize>,
        /// Block sizes per axis.
        chunks: Vec<Vec<usize>>,
        #[serde(skip)]
        /// The blocks, or a guard for them (not serialized).
        held: Option<stored::Held>,
    },
    /// TSQR of a tall-and-skinny array.
    Qr {
        /// The input.
        input: A,
        /// Which output.
        part: QrPart,
    },
    /// SVD of a tall-and-skinny array through TSQR.
    Svd {
        /// The input.
        input: A,
        /// Which output.
        part: SvdPart,
    },
}

impl<A> ArrayOp<A> {
    /// The input arrays, in order.
    pub fn inputs(&self) -> Vec<&A> {
        match self {
            ArrayOp::Full { .. }
            | ArrayOp::Arange { .. }
            | ArrayOp::Random { .. }
            | ArrayOp::FromData { .. }
            | ArrayOp::Stored { .. } => vec![],
            ArrayOp::Map { input, .. }
            | ArrayOp::Reduce { input, .. }
            | ArrayOp::Transpose { input, .. }
            | ArrayOp::Slice { input, .. }
            | ArrayOp::Rechunk { input, .. }
            | ArrayOp::Qr { input, .. }
            | ArrayOp::Svd { input, .. } => vec![input],
            ArrayOp::Binary { left, right, .. } | ArrayOp::Dot { left, right } => {
                vec![left, right]
            }
        }
    }

    /// The same operation with every input replaced by `f(input)`.
    pub fn try_map<B, E>(&self, mut f: impl FnMut(&A) -> Result<B, E>) -> Result<ArrayOp<B>, E> {
        Ok(match self {
            ArrayOp::Full {
                shape,
                chunks,
                value,
            } => ArrayOp::Full {
                shape: shape.clone(),
                chunks: chunks.clone(),
                value: *value,
            },
            ArrayOp::Arange {
                start,
                step,
                len,
                chunks,
            } => ArrayOp::Arange {
                start: *start,
                step: *step,
                len: *len,
                chunks: chunks.clone(),
            },
            ArrayOp::Random {
                shape,
                chunks,
                seed,
            } => ArrayOp::Random {
                shape: shape.clone(),
                chunks: chunks.clone(),
                seed: *seed,
            },
            ArrayOp::FromData { data, chunks } => ArrayOp::FromData {
                data: data.clone(),
                chunks: chunks.clone(),
            },
            ArrayOp::Stored {
                id,
                shape,
                chunks,
                held,
            } => ArrayOp::Stored {
                id: id.clone(),
                shape: shape.clone(),
                chunks: chunks.clone(),
                held: held.clone(),
            },
            ArrayOp::Map { input, func } => ArrayOp::Map {
                input: f(input)?,
                func: *func,
            },
            ArrayOp::Binary { op, left, right } => ArrayOp::Binary {
                op: *op,
                left: f(left)?,
                right: f(right)?,
            },
            ArrayOp::Reduce {
                input,
                reduce,
                axes,
                ddof,
                split_every,
            } => ArrayOp::Reduce {
                input: f(input)?,
                reduce: *reduce,
                axes: axes.clone(),
                ddof: *ddof,
                split_every: *split_every,
            },
            ArrayOp::Transpose { input, axes } => ArrayOp::Transpose {
                input: f(input)?,
                axes: axes.clone(),
            },
            ArrayOp::Dot { left, right } => ArrayOp::Dot {
                left: f(left)?,
                right: f(right)?,
            },
            ArrayOp::Slice { input, index } => ArrayOp::Slice {
                input: f(input)?,
                index: index.clone(),
            },
            ArrayOp::Rechunk { input, chunks } => ArrayOp::Rechunk {
                input: f(input)?,
                chunks: chunks.clone(),
            },
            ArrayOp::Qr { input, part } => ArrayOp::Qr {
                input: f(input)?,
                part: *part,
            },
            ArrayOp::Svd { input, part } => ArrayOp::Svd {
                input: f(input)?,
                part: *part,
            },
        })
    }
}

#[derive(Debug)]
struct Node {
    op: ArrayOp,
    /// Shared by every block key (keys compare names by pointer first).
    name: Arc<str>,
    shape: Vec<usize>,
    chunks: Vec<Vec<usize>>,
}

/// A lazy chunked float64 array. Cloning is cheap (a shared expression tree).
#[derive(Clone, Debug)]
pub struct Array(Arc<Node>);

impl PartialEq for Array {
    /// Arrays are equal when their expressions are (same name).
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

/// What an operation gives: layer name prefix, shape and chunks.
struct Meta {
    prefix: String,
    shape: Vec<usize>,
    chunks: Vec<Vec<usize>>,
    /// A fixed layer name (linalg outputs share internal tasks by name).
    name: Option<String>,
}

impl Meta {
    fn new(prefix: &str, shape: Vec<usize>, chunks: Vec<Vec<usize>>) -> Meta {
        Meta {
            prefix: prefix.to_string(),
            shape,
            chunks,
            name: None,
        }
    }
}

fn normalize_axis(axis: isize, ndim: usize) -> Result<usize> {
    let n = if axis < 0 { axis + ndim as isize } else { axis };
    if n < 0 || n >= ndim as isize {
        return Err(Error::invalid(format!(
            "axis {axis} is out of bounds for an array of {ndim} dimensions"
        )));
    }
    Ok(n as usize)
}

impl Array {
    /// Builds an array from an operation, checking that it fits its inputs. Every
    /// constructor ends here, and so does decoding a serialized expression.
    pub fn build(op: ArrayOp) -> Result<Array> {
        let meta = Array::meta(&op)?;
        let name = match meta.name {
            Some(n) => n,
            None => {
                let named = op.try_map(|a| Ok::<_, Error>(a.name().to_string()))?;
                let json = serde_json::to_string(&named).map_err(Error::invalid)?;
                format!("{}-{}", meta.prefix, tokenize(&json))
            }
        };
        Ok(Array(Arc::new(Node {
            op,
            name: name.into(),
            shape: meta.shape,
            chunks: meta.chunks,
        })))
    }

    fn meta(op: &ArrayOp) -> Result<Meta> {
        Ok(match op {
            ArrayOp::Full {
                shape,
                chunks,
                value,
            } => {
                let chunks = normalize_chunks(shape, &ChunkSpec::Explicit(chunks.clone()))?;
                let prefix = if *value == 1.0 {
                    "ones"
                } else if *value == 0.0 {
                    "zeros"
                } else {
                    "full"
                };
                Meta::new(prefix, shape.clone(), chunks)
            }
            ArrayOp::Arange { len, chunks, .. } => {
                let chunks = normalize_chunks(&[*len], &ChunkSpec::Explicit(vec![chunks.clone()]))?;
                Meta::new("arange", vec![*len], chunks)
            }
            ArrayOp::Random { shape, chunks, .. } => {
                let chunks = normalize_chunks(shape, &ChunkSpec::Explicit(chunks.clone()))?;
                Meta::new("random_sample", shape.clone(), chunks)
            }
            ArrayOp::FromData { data, chunks } => {
                let shape = data.array()?.shape().to_vec();
                let chunks = normalize_chunks(&shape, &ChunkSpec::Explicit(chunks.clone()))?;
                Meta::new("array", shape, chunks)
            }
            ArrayOp::Map { input, func } => {
                Meta::new(func.name(), input.shape().to_vec(), input.chunks().to_vec())
            }
            ArrayOp::Binary { op, left, right } => {
                let shape = broadcast_shapes(left.shape(), right.shape())?;
                let chunks = aligned_chunks(&shape, &[left, right], false)?;
                Meta::new(op.name(), shape, chunks)
            }
            ArrayOp::Reduce {
                input,
                reduce,
                axes,
                split_every,
                ..
            } => {
                if *split_every < 2 {
                    return Err(Error::invalid(format!(
                        "split_every must be at least 2, got {split_every}"
                    )));
                }
                let mut sorted = axes.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if sorted != *axes || axes.iter().any(|&a| a >= input.ndim()) {
                    return Err(Error::invalid(format!(
                        "invalid axes {axes:?} for an array of {} dimensions",
                        input.ndim()
                    )));
                }
                if matches!(reduce, ReduceOp::Min | ReduceOp::Max)
                    && axes.iter().any(|&a| input.shape()[a] == 0)
                {
                    return Err(Error::invalid(format!(
                        "zero-size array to reduction operation {} which has no identity",
                        reduce.name()
                    )));
                }
                let keep = |i: &usize| !axes.contains(i);
                let shape = (0..input.ndim())
                    .filter(keep)
                    .map(|i| input.shape()[i])
                    .collect();
                let chunks = (0..input.ndim())
                    .filter(keep)
                    .map(|i| input.chunks()[i].clone())
                    .collect();
                Meta::new(reduce.name(), shape, chunks)
            }
            ArrayOp::Transpose { input, axes } => {
                let mut seen = axes.clone();
                seen.sort_unstable();
                if seen != (0..input.ndim()).collect::<Vec<_>>() {
                    return Err(Error::invalid(format!(
                        "axes {axes:?} are not a permutation of the {} axes",
                        input.ndim()
                    )));
                }
                Meta::new(
                    "transpose",
                    axes.iter().map(|&a| input.shape()[a]).collect(),
                    axes.iter().map(|&a| input.chunks()[a].clone()).collect(),
                )
            }
            ArrayOp::Dot { left, right } => {
                let (shape, chunks) = dot_meta(left, right)?;
                Meta::new("dot", shape, chunks)
            }
            ArrayOp::Slice { input, index } => {
                let (shape, chunks, _) = lower::slice_plan(input, index)?;
                Meta::new("getitem", shape, chunks)
            }
            ArrayOp::Rechunk { input, chunks } => {
                let chunks = normalize_chunks(input.shape(), &ChunkSpec::Explicit(chunks.clone()))?;
                Meta::new("rechunk", input.shape().to_vec(), chunks)
            }
            ArrayOp::Stored {
                id, shape, chunks, ..
            } => {
                let chunks = normalize_chunks(shape, &ChunkSpec::Explicit(chunks.clone()))?;
                let mut m = Meta::new("", shape.clone(), chunks);
                m.name = Some(id.clone());
                m
            }
            ArrayOp::Qr { input, part } => linalg::qr_meta(input, *part)?,
            ArrayOp::Svd { input, part } => linalg::svd_meta(input, *part)?,
        })
    }

    /// The operation this array is the result of.
    pub fn op(&self) -> &ArrayOp {
        &self.0.op
    }

    /// An array of `shape` filled with `value`.
    pub fn full(shape: &[usize], value: f64, chunks: ChunkSpec) -> Result<Array> {
        Array::build(ArrayOp::Full {
            shape: shape.to_vec(),
            chunks: normalize_chunks(shape, &chunks)?,
            value,
        })
    }

    /// An array of ones.
    pub fn ones(shape: &[usize], chunks: ChunkSpec) -> Result<Array> {
        Array::full(shape, 1.0, chunks)
    }

    /// An array of zeros.
    pub fn zeros(shape: &[usize], chunks: ChunkSpec) -> Result<Array> {
        Array::full(shape, 0.0, chunks)
    }

    /// `start, start + step, …` up to (not including) `stop`, in blocks of `chunk`.
    pub fn arange(start: f64, stop: f64, step: f64, chunk: usize) -> Result<Array> {
        if step == 0.0 || !step.is_finite() || !start.is_finite() || !stop.is_finite() {
            return Err(Error::invalid(format!(
                "arange needs finite start, stop and a non-zero step, got ({start}, {stop}, {step})"
            )));
        }
        if chunk == 0 {
            return Err(Error::invalid("chunk sizes must be positive"));
        }
        let len = ((stop - start) / step).ceil().max(0.0) as usize;
        Array::build(ArrayOp::Arange {
            start,
            step,
            len,
            chunks: regular(len, chunk),
        })
    }

    /// Uniform random values in `[0, 1)`, reproducible for `seed` and the chunking (see
    /// [`crate::kernels::array::random`]); `None` draws a seed.
    pub fn random(shape: &[usize], chunks: ChunkSpec, seed: Option<u64>) -> Result<Array> {
        let seed = seed.unwrap_or_else(fresh_seed);
        Array::build(ArrayOp::Random {
            shape: shape.to_vec(),
            chunks: normalize_chunks(shape, &chunks)?,
            seed,
        })
    }

    /// An array of in-memory data, cut into `chunks`.
    pub fn from_array(data: ArrayD<f64>, chunks: ChunkSpec) -> Result<Array> {
        let chunks = normalize_chunks(data.shape(), &chunks)?;
        let data = Data::new(Arc::new(data.as_standard_layout().into_owned()));
        Array::build(ArrayOp::FromData { data, chunks })
    }

    /// The layer name (`"sum-1a2b…"`), a content hash of the expression.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.0.shape
    }

    /// Block sizes along each axis.
    pub fn chunks(&self) -> &[Vec<usize>] {
        &self.0.chunks
    }

    /// Number of dimensions.
    pub fn ndim(&self) -> usize {
        self.0.shape.len()
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        self.0.shape.iter().product()
    }

    /// Number of blocks along each axis.
    pub fn numblocks(&self) -> Vec<usize> {
        self.0.chunks.iter().map(|c| c.len()).collect()
    }

    /// Number of blocks.
    pub fn npartitions(&self) -> usize {
        self.numblocks().iter().product()
    }

    /// Normalizes axes (negative counts from the end) to sorted, distinct indices;
    /// `None` means all axes.
    pub fn normalize_axes(&self, axes: Option<&[isize]>) -> Result<Vec<usize>> {
        let mut out: Vec<usize> = match axes {
            None => (0..self.ndim()).collect(),
            Some(axes) => axes
                .iter()
                .map(|&a| normalize_axis(a, self.ndim()))
                .collect::<Result<_>>()?,
        };
        let len = out.len();
        out.sort_unstable();
        out.dedup();
        if out.len() != len {
            return Err(Error::invalid(format!("repeated axis in {axes:?}")));
        }
        Ok(out)
    }

    // ---- elementwise ----

    /// An elementwise function.
    pub fn map(&self, f: UnaryFn) -> Result<Array> {
        Array::build(ArrayOp::Map {
            input: self.clone(),
            func: Elementwise::Unary { f },
        })
    }

    /// `self op value`, or `value op self` when `reflected`.
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
    pub fn binary(&self, op: BinaryOp, other: &Array) -> Result<Array> {
        let shape = broadcast_shapes(self.shape(), other.shape())?;
        let chunks = aligned_chunks(&shape, &[self, other], true)?;
        let left = self.align_to(&shape, &chunks)?;
        let right = other.align_to(&shape, &chunks)?;
        Array::build(ArrayOp::Binary { op, left, right })
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
    pub fn add(&self, other: &Array) -> Result<Array> {
        self.binary(BinaryOp::Add, other)
    }

    /// `self - other`.
    pub fn sub(&self, other: &Array) -> Result<Array> {
        self.binary(BinaryOp::Sub, other)
    }

    /// `self * other`.
    pub fn mul(&self, other: &Array) -> Result<Array> {
        self.binary(BinaryOp::Mul, other)
    }

    /// `self / other`.
    pub fn div(&self, other: &Array) -> Result<Array> {
        self.binary(BinaryOp::Div, other)
    }

    /// `self + value`.
    pub fn add_scalar(&self, value: f64) -> Result<Array> {
        self.scalar_op(BinaryOp::Add, value, false)
    }

    // ---- reductions ----

    /// A reduction over `axes` (all when `None`); `ddof` applies to `var` and `std`.
    pub fn reduce(
        &self,
        reduce: ReduceOp,
        axes: Option<&[isize]>,
        ddof: f64,
        split_every: usize,
    ) -> Result<Array> {
        let axes = self.normalize_axes(axes)?;
        Array::build(ArrayOp::Reduce {
            input: self.clone(),
            reduce,
            axes,
            ddof,
            split_every,
        })
    }

    /// Sum over `axes` (all when `None`), as a tree reduction with dask's fan-in.
    pub fn sum(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Sum, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Sum over `axes` with at most about `split_every` blocks combined per task.
    pub fn sum_with(&self, axes: Option<&[isize]>, split_every: usize) -> Result<Array> {
        self.reduce(ReduceOp::Sum, axes, 0.0, split_every)
    }

    /// Product over `axes`.
    pub fn prod(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Prod, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Minimum over `axes` (NaN propagates, as numpy's).
    pub fn min(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Min, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Maximum over `axes` (NaN propagates, as numpy's).
    pub fn max(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Max, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Mean over `axes`.
    pub fn mean(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Mean, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Variance over `axes`, dividing by `n - ddof`.
    pub fn var(&self, axes: Option<&[isize]>, ddof: f64) -> Result<Array> {
        self.reduce(ReduceOp::Var, axes, ddof, DEFAULT_SPLIT_EVERY)
    }

    /// Standard deviation over `axes`, dividing by `n - ddof`.
    pub fn std(&self, axes: Option<&[isize]>, ddof: f64) -> Result<Array> {
        self.reduce(ReduceOp::Std, axes, ddof, DEFAULT_SPLIT_EVERY)
    }

    // ---- shape ----

    /// Axes permuted (`None`: reversed, as `x.T`).
    pub fn transpose(&self, axes: Option<&[isize]>) -> Result<Array> {
        let axes: Vec<usize> = match axes {
            None => (0..self.ndim()).rev().collect(),
            Some(a) => a
                .iter()
                .map(|&x| normalize_axis(x, self.ndim()))
                .collect::<Result<_>>()?,
        };
        if axes.iter().enumerate().all(|(i, &a)| i == a) {
            return Ok(self.clone());
        }
        Array::build(ArrayOp::Transpose {
            input: self.clone(),
            axes,
        })
    }

    /// The transpose (`x.T`).
    pub fn t(&self) -> Array {
        // Reversing the axes is always a valid permutation.
        self.transpose(None).unwrap_or_else(|_| self.clone())
    }

    /// The same values in other blocks (no new expression when they are the same).
    pub fn rechunk(&self, chunks: ChunkSpec) -> Result<Array> {
        let chunks = normalize_chunks(self.shape(), &chunks)?;
        if chunks == self.chunks() {
            return Ok(self.clone());
        }
        Array::build(ArrayOp::Rechunk {
            input: self.clone(),
            chunks,
        })
    }

    /// A selection: per axis an index, a range with step, or all (missing trailing axes
    /// are all), with Python's rules for negative values and out-of-range bounds.
    pub fn slice(&self, spec: &[SliceArg]) -> Result<Array> {
        if spec.len() > self.ndim() {
            return Err(Error::invalid(format!(
                "too many indices: the array has {} dimensions but {} were given",
                self.ndim(),
                spec.len()
            )));
        }
        let index = (0..self.ndim())
            .map(|ax| {
                normalize_slice(
                    spec.get(ax).copied().unwrap_or(SliceArg::All),
                    self.shape()[ax],
                    ax,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let whole = index
            .iter()
            .zip(self.shape())
            .all(|(i, &n)| matches!(i, AxisIndex::Range { first: 0, step: 1, len } if *len == n));
        if whole {
            return Ok(self.clone());
        }
        Array::build(ArrayOp::Slice {
            input: self.clone(),
            index,
        })
    }

    /// Matrix product of 1-d or 2-d arrays, as numpy's `dot` (a 0-d operand multiplies);
    /// chunks of the shared axis are aligned first.
    pub fn dot(&self, other: &Array) -> Result<Array> {
        if self.ndim() == 0 || other.ndim() == 0 {
            return self.mul(other);
        }
        self.matmul(other)
    }

    /// Matrix product of 1-d or 2-d arrays, as numpy's `matmul` (0-d is an error).
    pub fn matmul(&self, other: &Array) -> Result<Array> {
        if self.ndim() == 0 || other.ndim() == 0 {
            return Err(Error::invalid(
                "matmul: an operand is 0-d (a scalar); use mul for that",
            ));
        }
        if self.ndim() > 2 || other.ndim() > 2 {
            return Err(Error::invalid(format!(
                "dot/matmul of {}-d and {}-d arrays is not supported (at most 2-d)",
                self.ndim(),
                other.ndim()
            )));
        }
        let (ka, kb) = (self.ndim() - 1, 0);
        if self.shape()[ka] != other.shape()[kb] {
            return Err(Error::invalid(format!(
                "shapes {:?} and {:?} not aligned: {} (dim {ka}) != {} (dim 0)",
                self.shape(),
                other.shape(),
                self.shape()[ka],
                other.shape()[kb]
            )));
        }
        let common = common_chunks(&self.chunks()[ka], &other.chunks()[kb]);
        let mut lc = self.chunks().to_vec();
        lc[ka] = common.clone();
        let mut rc = other.chunks().to_vec();
        rc[kb] = common;
        let left = self.rechunk(ChunkSpec::Explicit(lc))?;
        let right = other.rechunk(ChunkSpec::Explicit(rc))?;
        Array::build(ArrayOp::Dot { left, right })
    }

    /// TSQR of a tall-and-skinny array (one block along axis 1): `(q, r)`.
    pub fn qr(&self) -> Result<(Array, Array)> {
        linalg::qr(self)
    }

    /// SVD `x = u · diag(s) · v` of a tall-and-skinny or short-and-fat array (one block
    /// along one axis); other chunkings get an error naming `svd_compressed`.
    pub fn svd(&self) -> Result<(Array, Array, Array)> {
        linalg::svd(self)
    }

    /// Randomized SVD keeping `k` components, with `power_iters` power iterations.
    pub fn svd_compressed(
        &self,
        k: usize,
        power_iters: usize,
        seed: Option<u64>,
    ) -> Result<(Array, Array, Array)> {
        linalg::svd_compressed(self, k, power_iters, seed)
    }

    // ---- compute ----

    /// Computes every block and keeps them in memory: the result has the same name,
    /// shape and chunks, and expressions built on it start from the stored blocks.
    pub fn persist(&self, scheduler: Scheduler) -> Result<Array> {
        let mut g = Graph::new();
        lower::lower_blocks(self, &mut g)?;
        let keys: Vec<Key> = chunks::block_indices(&self.numblocks())
            .iter()
            .map(|i| self.block_key(i))
            .collect();
        let g = g.optimize(&keys)?;
        let values = crate::scheduler::compute(&g, &keys, scheduler)?;
        let blocks = values
            .into_iter()
            .map(|v| match v {
                crate::kernels::Value::Block(b) => Ok(b),
                _ => Err(Error::invalid("persist: a block task gave no array")),
            })
            .collect::<Result<Vec<_>>>()?;
        let held = Arc::new(stored::Stored::new(blocks));
        Array::build(ArrayOp::Stored {
            id: self.name().to_string(),
            shape: self.shape().to_vec(),
            chunks: self.chunks().to_vec(),
            held: Some(stored::Held::Local(held)),
        })
    }

    /// The key of block `index`.
    pub fn block_key(&self, index: &[u32]) -> Key {
        Key::new(self.0.name.clone(), index)
    }

    fn block_shape(&self, idx: &[u32]) -> Vec<usize> {
        idx.iter()
            .zip(self.chunks())
            .map(|(&i, c)| c[i as usize])
            .collect()
    }

    /// Computes the array (lower, optimize, run) and returns it whole.
    pub fn compute(&self, scheduler: Scheduler) -> Result<ArrayD<f64>> {
        let (values, _) = super::compute_values(&[self as &dyn Lazy], scheduler, &mut |_| {})?;
        let v = values
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid("the compute returned no value"))?;
        Ok(v.as_block(self.name())?.clone())
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

fn dot_meta(left: &Array, right: &Array) -> Result<(Vec<usize>, Vec<Vec<usize>>)> {
    if !(1..=2).contains(&left.ndim()) || !(1..=2).contains(&right.ndim()) {
        return Err(Error::invalid("dot needs 1-d or 2-d operands"));
    }
    let ka = left.ndim() - 1;
    if left.shape()[ka] != right.shape()[0] || left.chunks()[ka] != right.chunks()[0] {
        return Err(Error::invalid(format!(
            "dot: shared axis of {:?} (chunks {:?}) and {:?} (chunks {:?}) do not agree",
            left.shape(),
            left.chunks()[ka],
            right.shape(),
            right.chunks()[0]
        )));
    }
    let mut shape = vec![];
    let mut chunks = vec![];
    if left.ndim() == 2 {
        shape.push(left.shape()[0]);
        chunks.push(left.chunks()[0].clone());
    }
    if right.ndim() == 2 {
        shape.push(right.shape()[1]);
        chunks.push(right.chunks()[1].clone());
    }
    Ok((shape, chunks))
}

/// Python's slice rules for one axis of length `n`.
fn normalize_slice(arg: SliceArg, n: usize, axis: usize) -> Result<AxisIndex> {
    let n = n as i64;
    match arg {
        SliceArg::All => Ok(AxisIndex::Range {
            first: 0,
            step: 1,
            len: n as usize,
        }),
        SliceArg::Index(i) => {
            let j = if i < 0 { i + n } else { i };
            if j < 0 || j >= n {
                return Err(Error::invalid(format!(
                    "index {i} is out of bounds for axis {axis} with size {n}"
                )));
            }
            Ok(AxisIndex::At(j as usize))
        }
        SliceArg::Range(start, stop, step) => {
            let step = step.unwrap_or(1);
            if step == 0 {
                return Err(Error::invalid("slice step cannot be zero"));
            }
            let fix = |v: i64, lo: i64, hi: i64| -> i64 {
                let v = if v < 0 { v + n } else { v };
                v.clamp(lo, hi)
            };
            let (first, len) = if step > 0 {
                let s = start.map_or(0, |v| fix(v, 0, n));
                let e = stop.map_or(n, |v| fix(v, 0, n));
                (s, if e > s { (e - s + step - 1) / step } else { 0 })
            } else {
                let s = start.map_or(n - 1, |v| fix(v, -1, n - 1));
                let e = stop.map_or(-1, |v| fix(v, -1, n - 1));
                (
                    s,
                    if s > e {
                        (s - e + (-step) - 1) / (-step)
                    } else {
                        0
                    },
                )
            };
            Ok(AxisIndex::Range {
                first: if len == 0 { 0 } else { first as usize },
                step: step as isize,
                len: len as usize,
            })
        }
    }
}

/// A seed when none is given: different on every call.
fn fresh_seed() -> u64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish() & ((1 << 53) - 1)
}

impl Lazy for Array {
    fn lower(&self, g: &mut Graph) -> Result<Key> {
        let total = self
            .shape()
            .iter()
            .try_fold(1usize, |acc, &x| acc.checked_mul(x));
        if total.is_none_or(|n| n > lower::MAX_BLOCK_ELEMENTS) {
            return Err(Error::invalid(format!(
                "computing the whole {:?} array would need over 2 GiB; compute a reduction \
                 or a slice of it instead",
                self.shape()
            )));
        }
        lower::lower_blocks(self, g)?;
        let grid = self.numblocks();
        let indices = chunks::block_indices(&grid);
        if indices.len() == 1 {
            return Ok(self.block_key(&indices[0]));
        }
        let key = Key::named(format!("concatenate-{}", tokenize(self.name())));
        let deps = indices.iter().map(|i| self.block_key(i)).collect();
        g.insert(
            key.clone(),
            crate::graph::Task::new(
                crate::kernels::Kernel::Array(crate::kernels::ArrayKernel::Concat { grid }),
                deps,
            ),
        );
        Ok(key)
    }
}
