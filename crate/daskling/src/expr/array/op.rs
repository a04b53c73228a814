//! The operations an [`Array`] expression is made of ([`ArrayOp`], generic over its
//! inputs so that the wire format decodes into it too) and their arguments.

use serde::{Deserialize, Serialize};

use super::{stored, Array, Data};
use crate::expr::js::PartitionFn;
use crate::kernels::array::{ArgOp, BinaryOp, Boundary, Elementwise, ReduceOp, ScanOp};
use crate::kernels::float;

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
    /// Uniform `[0, 1)` values, or standard normal ones (see
    /// [`crate::kernels::array::random`] for the rule).
    Random {
        /// The block's shape.
        shape: Vec<usize>,
        /// Block sizes per axis.
        chunks: Vec<Vec<usize>>,
        /// The generator seed.
        seed: u64,
        /// Standard normal values instead of uniform ones.
        #[serde(default)]
        normal: bool,
    },
    /// numpy's `linspace(start, stop, num, endpoint)` (1-d).
    Linspace {
        #[serde(with = "float")]
        /// The first value.
        start: f64,
        #[serde(with = "float")]
        /// The last value (or the one after it without `endpoint`).
        stop: f64,
        /// How many elements.
        num: usize,
        /// Whether `stop` is the last element.
        endpoint: bool,
        /// Block sizes.
        chunks: Vec<usize>,
    },
    /// Ones where `column − row = k`, zeros elsewhere (`n`×`m`).
    Eye {
        /// Rows.
        n: usize,
        /// Columns.
        m: usize,
        /// The diagonal (0 the main one, positive above it).
        k: i64,
        /// Block sizes per axis.
        chunks: Vec<Vec<usize>>,
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
    /// numpy's `where(cond, a, b)` with broadcasting; the three have aligned chunks.
    Where {
        /// Where not 0, `a`; else `b`.
        cond: A,
        /// The values where `cond` holds.
        a: A,
        /// The values elsewhere.
        b: A,
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
    /// A JavaScript function on every block (`mapBlocks`).
    MapBlocks {
        /// The input.
        input: A,
        /// The function, its arguments and where it runs.
        func: PartitionFn,
        /// The blocks it gives, per axis (one per input block).
        chunks: Vec<Vec<usize>>,
    },
    /// Every block extended by `depth[axis]` ghost elements on each side (`mapOverlap`).
    Overlap {
        /// The input.
        input: A,
        /// Ghost elements per side, per axis.
        depth: Vec<usize>,
        /// What lies beyond the array's edge.
        boundary: Boundary,
    },
    /// The ghost elements of an [`ArrayOp::Overlap`] cut off every block again.
    Trim {
        /// The input (blocks with ghost elements).
        input: A,
        /// Ghost elements per side, per axis.
        depth: Vec<usize>,
        /// The overlap's boundary (edges without padding are not trimmed).
        boundary: Boundary,
    },
    /// Arrays joined along an existing axis (their other axes' chunks aligned).
    Concatenate {
        /// The arrays, in order.
        inputs: Vec<A>,
        /// The axis.
        axis: usize,
    },
    /// Arrays of one shape (and chunks) joined along a new axis.
    Stack {
        /// The arrays, in order.
        inputs: Vec<A>,
        /// Where the new axis goes.
        axis: usize,
    },
    /// The index of the smallest or largest value along `axis` (flattened when `None`).
    Arg {
        /// The input.
        input: A,
        /// The operation.
        op: ArgOp,
        /// The axis, or `None` for the flattened array.
        axis: Option<usize>,
    },
    /// A cumulative sum or product along `axis`.
    Scan {
        /// The input.
        input: A,
        /// The operation.
        op: ScanOp,
        /// The axis.
        axis: usize,
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
    /// The lower Cholesky factor of a square array with square blocks.
    Cholesky {
        /// The input.
        input: A,
    },
    /// `x` with `a · x = b`, by a blocked LU of `a`.
    Solve {
        /// The square matrix.
        a: A,
        /// The right-hand side (1-d or 2-d), its rows blocked as `a`'s.
        b: A,
    },
}

impl<A> ArrayOp<A> {
    /// The input arrays, in order.
    pub fn inputs(&self) -> Vec<&A> {
        match self {
            ArrayOp::Full { .. }
            | ArrayOp::Arange { .. }
            | ArrayOp::Random { .. }
            | ArrayOp::Linspace { .. }
            | ArrayOp::Eye { .. }
            | ArrayOp::FromData { .. }
            | ArrayOp::Stored { .. } => vec![],
            ArrayOp::Map { input, .. }
            | ArrayOp::Reduce { input, .. }
            | ArrayOp::Transpose { input, .. }
            | ArrayOp::Slice { input, .. }
            | ArrayOp::Rechunk { input, .. }
            | ArrayOp::Qr { input, .. }
            | ArrayOp::Svd { input, .. }
            | ArrayOp::Cholesky { input }
            | ArrayOp::Scan { input, .. }
            | ArrayOp::Arg { input, .. }
            | ArrayOp::MapBlocks { input, .. }
            | ArrayOp::Overlap { input, .. }
            | ArrayOp::Trim { input, .. } => vec![input],
            ArrayOp::Binary { left, right, .. } | ArrayOp::Dot { left, right } => {
                vec![left, right]
            }
            ArrayOp::Solve { a, b } => vec![a, b],
            ArrayOp::Where { cond, a, b } => vec![cond, a, b],
            ArrayOp::Concatenate { inputs, .. } | ArrayOp::Stack { inputs, .. } => {
                inputs.iter().collect()
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
                normal,
            } => ArrayOp::Random {
                shape: shape.clone(),
                chunks: chunks.clone(),
                seed: *seed,
                normal: *normal,
            },
            ArrayOp::Linspace {
                start,
                stop,
                num,
                endpoint,
                chunks,
            } => ArrayOp::Linspace {
                start: *start,
                stop: *stop,
                num: *num,
                endpoint: *endpoint,
                chunks: chunks.clone(),
            },
            ArrayOp::Eye { n, m, k, chunks } => ArrayOp::Eye {
                n: *n,
                m: *m,
                k: *k,
                chunks: chunks.clone(),
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
            ArrayOp::Cholesky { input } => ArrayOp::Cholesky { input: f(input)? },
            ArrayOp::MapBlocks {
                input,
                func,
                chunks,
            } => ArrayOp::MapBlocks {
                input: f(input)?,
                func: func.clone(),
                chunks: chunks.clone(),
            },
            ArrayOp::Overlap {
                input,
                depth,
                boundary,
            } => ArrayOp::Overlap {
                input: f(input)?,
                depth: depth.clone(),
                boundary: *boundary,
            },
            ArrayOp::Trim {
                input,
                depth,
                boundary,
            } => ArrayOp::Trim {
                input: f(input)?,
                depth: depth.clone(),
                boundary: *boundary,
            },
            ArrayOp::Concatenate { inputs, axis } => ArrayOp::Concatenate {
                inputs: inputs.iter().map(&mut f).collect::<Result<_, E>>()?,
                axis: *axis,
            },
            ArrayOp::Stack { inputs, axis } => ArrayOp::Stack {
                inputs: inputs.iter().map(&mut f).collect::<Result<_, E>>()?,
                axis: *axis,
            },
            ArrayOp::Arg { input, op, axis } => ArrayOp::Arg {
                input: f(input)?,
                op: *op,
                axis: *axis,
            },
            ArrayOp::Scan { input, op, axis } => ArrayOp::Scan {
                input: f(input)?,
                op: *op,
                axis: *axis,
            },
            ArrayOp::Where { cond, a, b } => ArrayOp::Where {
                cond: f(cond)?,
                a: f(a)?,
                b: f(b)?,
            },
            ArrayOp::Solve { a, b } => ArrayOp::Solve { a: f(a)?, b: f(b)? },
        })
    }
}
