//! Block kernels of chunked float64 arrays, on `ndarray`.

use std::fmt;
use std::sync::Arc;

use ndarray::{ArrayD, ArrayViewD, Axis, IxDyn, Slice};
use serde::{Deserialize, Serialize};

use super::Value;
use daskling_core::{Error, Result};

mod arg;
mod blocked;
mod elementwise;
mod factor;
pub mod gemm;
mod ghost;
pub(crate) mod linalg;
pub mod random;
mod reduce;
mod scan;

pub use arg::ArgOp;
pub use blocked::Blocked;
pub use elementwise::{binary, broadcast_shape, divmod, select, BinaryOp, Elementwise, UnaryFn};
pub use ghost::Boundary;
pub use reduce::ReduceOp;
pub use scan::ScanOp;

/// How one axis of a block is sliced: elements `first + k·step` for `k < len`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AxisSlice {
    /// The first position.
    pub first: usize,
    /// Distance between elements.
    pub step: isize,
    /// How many elements.
    pub len: usize,
}

impl AxisSlice {
    fn to_slice(self) -> Slice {
        if self.len == 0 {
            return Slice::new(0, Some(0), 1);
        }
        let span = (self.len - 1) as isize * self.step;
        let first = self.first as isize;
        if self.step > 0 {
            Slice::new(first, Some(first + span + 1), self.step)
        } else {
            // ndarray steps backwards from the end of [start, end).
            Slice::new(first + span, Some(first + 1), self.step)
        }
    }
}

/// A block computation of chunked arrays: what it does and its parameters.
#[derive(Clone, PartialEq)]
pub enum ArrayKernel {
    /// A block of `shape` filled with `value` (no inputs).
    Full {
        /// The (block) shape.
        shape: Vec<usize>,
        /// The constant.
        value: f64,
    },
    /// `start + (offset + i)·step` for `i < len` (no inputs).
    Arange {
        /// The first value.
        start: f64,
        /// The step between values.
        step: f64,
        /// Position of the block's first element in the whole array.
        offset: usize,
        /// How many elements.
        len: usize,
    },
    /// Uniform `[0, 1)` (or standard normal) values of block `block` drawn with `seed`
    /// (see [`random`]).
    Random {
        /// The block's shape.
        shape: Vec<usize>,
        /// The generator seed.
        seed: u64,
        /// The block number, in row-major order.
        block: u64,
        /// Standard normal values instead of uniform ones.
        normal: bool,
    },
    /// Elements `offset .. offset + len` of numpy's `linspace(start, stop, num)`:
    /// `start + i·step`, the last one `stop` itself when `endpoint` (no inputs).
    Linspace {
        /// The first value.
        start: f64,
        /// The last value (or the one after the last without `endpoint`).
        stop: f64,
        /// Elements of the whole array.
        num: usize,
        /// Whether `stop` is the last element.
        endpoint: bool,
        /// Position of the block's first element.
        offset: usize,
        /// Elements of the block.
        len: usize,
    },
    /// An elementwise function of one block.
    Map(Elementwise),
    /// An elementwise operation of two blocks, with broadcasting.
    Binary(BinaryOp),
    /// numpy's `where(cond, a, b)` of three blocks, with broadcasting.
    Where,
    /// Reduces one block over `axes`, keeping them with length 1.
    ReduceChunk {
        /// The operation.
        op: ReduceOp,
        /// The reduced axes (kept with length 1).
        axes: Vec<usize>,
    },
    /// Merges partial reductions (a tree level).
    ReduceCombine {
        /// The operation.
        op: ReduceOp,
    },
    /// Merges the last partials and finishes, dropping the reduced `axes`.
    ReduceAggregate {
        /// The operation.
        op: ReduceOp,
        /// The reduced axes, dropped from the result.
        axes: Vec<usize>,
        /// Delta degrees of freedom (`std`, `var`).
        ddof: f64,
    },
    /// Accumulates one block along `axis` (the blocks before it are added in after).
    Cumulate {
        /// The operation.
        op: ScanOp,
        /// The axis.
        axis: usize,
    },
    /// One block's `(value, index)` partial of an `argmin` / `argmax` (see [`ArgOp`]).
    ArgChunk {
        /// The operation.
        op: ArgOp,
        /// The axis, or `None` for the flattened array.
        axis: Option<usize>,
        /// The block's first element in the whole array.
        origin: Vec<usize>,
        /// The whole array's shape.
        shape: Vec<usize>,
    },
    /// Merges `argmin` / `argmax` partials into the indices.
    ArgAggregate {
        /// The operation.
        op: ArgOp,
        /// The kept axis dropped from the result (`None`: a 0-d result).
        axis: Option<usize>,
    },
    /// A block extended along `axis` by its neighbours' edges (`mapOverlap`'s ghost
    /// cells; see [`Boundary`]): inputs the block before (when `before`), the block, the
    /// block after (when `after`).
    Ghost {
        /// The axis.
        axis: usize,
        /// Elements added on each side.
        depth: usize,
        /// What lies beyond the array's edge.
        boundary: Boundary,
        /// Whether the block before is an input.
        before: bool,
        /// Whether the block after is an input.
        after: bool,
    },
    /// One block with a new axis of length 1 at `axis` (`stack`).
    ExpandDims {
        /// Where the new axis goes.
        axis: usize,
    },
    /// Permutes the axes of one block.
    Transpose {
        /// The input axis of each output axis.
        axes: Vec<usize>,
    },
    /// `Σₗ aₗ · bₗ` over `nk` pairs of blocks (the `a` blocks first).
    Dot {
        /// Blocks along the shared axis.
        nk: usize,
        /// Whether the `a` (`b`) blocks enter the product transposed: for an operand
        /// `x.T` they are `x`'s blocks, read as transposed views (no transpose task).
        transposed: [bool; 2],
    },
    /// `Σₗ aₗ · aₗᵀ` over `nk` 2-d blocks: a block on the diagonal of `x · xᵀ`, which is
    /// symmetric, so only its upper triangle is multiplied (SYRK) and then mirrored.
    SymDot {
        /// Blocks along the shared axis.
        nk: usize,
        /// `Σₗ aₗᵀ · aₗ` instead (the diagonal of `xᵀ · x`, from `x`'s blocks).
        transposed: bool,
    },
    /// Slices one block per axis, then drops the axes in `drop` (integer indices).
    Slice {
        /// How each axis of the block is sliced.
        axes: Vec<AxisSlice>,
        /// Axes indexed by a single position (dropped).
        drop: Vec<usize>,
    },
    /// Cuts `[start, stop)` ranges (per axis, per piece) out of the input blocks, given
    /// row-major over a `grid` of pieces, and joins them into one block (rechunking).
    Assemble {
        /// Pieces per axis.
        grid: Vec<usize>,
        /// `[start, stop)` per axis, per piece.
        ranges: Vec<Vec<(usize, usize)>>,
    },
    /// Assembles a grid of blocks (given in row-major order) into one array.
    Concat {
        /// Pieces per axis.
        grid: Vec<usize>,
    },
    /// Reduced QR of one block: a pair `(q, r)`.
    Qr,
    /// TSQR's second stage: QR of the stacked `r` of every `(q, r)` input: `(q2, r)`.
    QrStack,
    /// TSQR's last stage, from a block's `(q, r)` and the stack's `(q2, r)`:
    /// `q · q2[offset .. offset + rows]`.
    QrApply {
        /// Position of the block's first element in the whole array.
        offset: usize,
        /// Rows of the block.
        rows: usize,
    },
    /// Thin SVD of one block: `(u, s, vt)`.
    Svd,
    /// A step of a blocked Cholesky, LU or substitution (see [`Blocked`]).
    Blocked(Blocked),
    /// A block of an identity-like matrix: ones where `column − row = k` (no inputs).
    Eye {
        /// The block's shape (rows, columns).
        shape: [usize; 2],
        /// The diagonal, counted from the block's own first row and column.
        k: i64,
    },
    /// Element `index` of a tuple value.
    Pick {
        /// Which element.
        index: usize,
    },
}

impl fmt::Debug for ArrayKernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArrayKernel::Full { shape, value } => write!(f, "Full({shape:?}, {value})"),
            ArrayKernel::Map(e) => write!(f, "Map({e:?})"),
            ArrayKernel::Binary(op) => write!(f, "Binary({op:?})"),
            ArrayKernel::ReduceChunk { op, axes } => write!(f, "{}({axes:?})", op.step_names()[0]),
            ArrayKernel::ReduceCombine { op } => write!(f, "{}", op.step_names()[1]),
            ArrayKernel::ReduceAggregate { op, axes, .. } => {
                write!(f, "{}({axes:?})", op.step_names()[2])
            }
            other => write!(f, "{}", other.kind()),
        }
    }
}

impl ArrayKernel {
    /// The kind of work, for graph labels.
    pub fn kind(&self) -> &'static str {
        match self {
            ArrayKernel::Full { .. } => "full",
            ArrayKernel::Arange { .. } => "arange",
            ArrayKernel::Random { normal: false, .. } => "random_sample",
            ArrayKernel::Random { normal: true, .. } => "normal",
            ArrayKernel::Linspace { .. } => "linspace",
            ArrayKernel::Map(e) => e.name(),
            ArrayKernel::Binary(op) => op.name(),
            ArrayKernel::Where => "where",
            ArrayKernel::ReduceChunk { op, .. } => op.step_names()[0],
            ArrayKernel::ReduceCombine { op } => op.step_names()[1],
            ArrayKernel::ReduceAggregate { op, .. } => op.step_names()[2],
            ArrayKernel::Cumulate { op, .. } => op.name(),
            ArrayKernel::ArgChunk { op, .. } => op.name(),
            ArrayKernel::ArgAggregate { op, .. } => op.name(),
            ArrayKernel::ExpandDims { .. } => "stack",
            ArrayKernel::Ghost { .. } => "overlap",
            ArrayKernel::Transpose { .. } => "transpose",
            ArrayKernel::Dot { .. } | ArrayKernel::SymDot { .. } => "dot",
            ArrayKernel::Slice { .. } => "getitem",
            ArrayKernel::Assemble { .. } => "rechunk",
            ArrayKernel::Concat { .. } => "concatenate",
            ArrayKernel::Qr => "qr",
            ArrayKernel::QrStack => "qr-stack",
            ArrayKernel::QrApply { .. } => "qr-apply",
            ArrayKernel::Svd => "svd",
            ArrayKernel::Blocked(b) => b.kind(),
            ArrayKernel::Eye { .. } => "eye",
            ArrayKernel::Pick { .. } => "getitem",
        }
    }

    /// Runs on an owned input (the middle of a fused chain): elementwise maps work in
    /// place when nothing else holds the block.
    pub fn run_owned(&self, key: &str, input: Value) -> Result<Value> {
        if let (ArrayKernel::Map(e), Value::Block(mut b)) = (self, input.clone()) {
            if let Some(m) = Arc::get_mut(&mut b) {
                e.apply_inplace(m);
                return Ok(Value::Block(b));
            }
        }
        self.run(key, std::slice::from_ref(&input))
    }

    /// Runs on the input values.
    pub fn run(&self, key: &str, inputs: &[Value]) -> Result<Value> {
        let block = |i: usize| -> Result<&ArrayD<f64>> {
            inputs
                .get(i)
                .ok_or_else(|| Error::invalid(format!("{key}: missing input {i}")))?
                .as_block(key)
        };
        let blocks =
            || -> Result<Vec<&ArrayD<f64>>> { inputs.iter().map(|v| v.as_block(key)).collect() };
        let out = match self {
            ArrayKernel::Full { shape, value } => ArrayD::from_elem(IxDyn(shape), *value),
            ArrayKernel::Arange {
                start,
                step,
                offset,
                len,
            } => ArrayD::from_shape_fn(IxDyn(&[*len]), |i| start + (offset + i[0]) as f64 * step),
            ArrayKernel::Random {
                shape,
                seed,
                block,
                normal,
            } => random::random_block(shape, *seed, *block, *normal),
            ArrayKernel::Linspace {
                start,
                stop,
                num,
                endpoint,
                offset,
                len,
            } => {
                let div = if *endpoint {
                    num.saturating_sub(1)
                } else {
                    *num
                };
                let step = (stop - start) / div.max(1) as f64;
                ArrayD::from_shape_fn(IxDyn(&[*len]), |i| {
                    let at = offset + i[0];
                    if *endpoint && at + 1 == *num && at > 0 {
                        *stop
                    } else {
                        at as f64 * step + start
                    }
                })
            }
            ArrayKernel::Map(e) => e.apply(block(0)?),
            ArrayKernel::Binary(op) => binary(key, *op, block(0)?, block(1)?)?,
            ArrayKernel::Where => select(key, block(0)?, block(1)?, block(2)?)?,
            ArrayKernel::ReduceChunk { op, axes } => reduce::chunk(*op, block(0)?, axes)?,
            ArrayKernel::ReduceCombine { op } => reduce::combine(key, *op, &blocks()?)?,
            ArrayKernel::ReduceAggregate { op, axes, ddof } => {
                reduce::aggregate(key, *op, &blocks()?, axes, *ddof)?
            }
            ArrayKernel::Cumulate { op, axis } => op.cumulate(key, block(0)?, *axis)?,
            ArrayKernel::ArgChunk {
                op,
                axis,
                origin,
                shape,
            } => op.chunk(key, block(0)?, *axis, origin, shape)?,
            ArrayKernel::ArgAggregate { op, axis } => op.aggregate(key, &blocks()?, *axis)?,
            ArrayKernel::Ghost {
                axis,
                depth,
                boundary,
                before,
                after,
            } => ghost::extend(key, &blocks()?, *axis, *depth, *boundary, *before, *after)?,
            ArrayKernel::ExpandDims { axis } => {
                let b = block(0)?;
                if *axis > b.ndim() {
                    return Err(Error::invalid(format!(
                        "{key}: a new axis {axis} of a {}-d block",
                        b.ndim()
                    )));
                }
                b.clone().insert_axis(Axis(*axis))
            }
            ArrayKernel::Transpose { axes } => transpose(key, block(0)?, axes)?,
            ArrayKernel::Dot { nk, transposed } => linalg::dot(key, *nk, *transposed, &blocks()?)?,
            ArrayKernel::SymDot { nk, transposed } => {
                linalg::sym_dot(key, *nk, *transposed, &blocks()?)?
            }
            ArrayKernel::Slice { axes, drop } => slice(key, block(0)?, axes, drop)?,
            ArrayKernel::Assemble { grid, ranges } => {
                let blocks = blocks()?;
                // A piece that is a whole input block is that block, shared.
                if let ([b], [r]) = (blocks.as_slice(), inputs) {
                    if ranges.iter().zip(b.shape()).all(|(rs, &n)| rs == &[(0, n)]) {
                        return Ok(r.clone());
                    }
                }
                assemble(key, grid, ranges, &blocks)?
            }
            ArrayKernel::Concat { grid } => {
                let views: Vec<_> = blocks()?.iter().map(|b| b.view()).collect();
                concat(key, grid, &views)?
            }
            ArrayKernel::Qr => {
                let (q, r) = factor::qr(key, block(0)?)?;
                return Ok(Value::tuple(vec![q, r]));
            }
            ArrayKernel::QrStack => {
                let rs = inputs
                    .iter()
                    .map(|v| v.item(key, 1)?.as_block(key))
                    .collect::<Result<Vec<_>>>()?;
                let (q, r) = factor::qr(key, &factor::vstack(key, &rs)?)?;
                return Ok(Value::tuple(vec![q, r]));
            }
            ArrayKernel::QrApply { offset, rows } => {
                let (Some(own), Some(stack)) = (inputs.first(), inputs.get(1)) else {
                    return Err(Error::invalid(format!("{key}: expected two inputs")));
                };
                let q = own.item(key, 0)?.as_block(key)?;
                let q2 = stack.item(key, 0)?.as_block(key)?;
                if q2.ndim() != 2 || offset + rows > q2.shape()[0] {
                    return Err(Error::invalid(format!("{key}: rows out of range")));
                }
                let part = q2
                    .slice_axis(Axis(0), Slice::from(*offset..offset + rows))
                    .to_owned();
                linalg::dot(key, 1, [false; 2], &[q, &part])?
            }
            ArrayKernel::Svd => {
                let (u, s, vt) = factor::svd(key, block(0)?)?;
                return Ok(Value::tuple(vec![u, s, vt]));
            }
            ArrayKernel::Blocked(b) => return b.run(key, inputs),
            ArrayKernel::Eye { shape: [r, c], k } => ArrayD::from_shape_fn(IxDyn(&[*r, *c]), |i| {
                f64::from(u8::from(i[1] as i64 - i[0] as i64 == *k))
            }),
            ArrayKernel::Pick { index } => {
                let v = inputs
                    .first()
                    .ok_or_else(|| Error::invalid(format!("{key}: missing input")))?;
                return Ok(v.item(key, *index)?.clone());
            }
        };
        Ok(Value::Block(out.into()))
    }
}

/// Permutes a block's axes into a new standard-layout block.
fn transpose(key: &str, b: &ArrayD<f64>, axes: &[usize]) -> Result<ArrayD<f64>> {
    if axes.len() != b.ndim() {
        return Err(Error::invalid(format!(
            "{key}: axes {axes:?} do not match a {}-d block",
            b.ndim()
        )));
    }
    if b.ndim() == 2 && axes == [1, 0] {
        if let Some(s) = b.as_slice() {
            return Ok(transpose2(s, b.shape()[0], b.shape()[1]).into_dyn());
        }
    }
    Ok(b.view()
        .permuted_axes(IxDyn(axes))
        .as_standard_layout()
        .into_owned())
}

/// The transpose of a row-major `r`×`c` matrix, in cache-sized tiles.
fn transpose2(s: &[f64], r: usize, c: usize) -> ndarray::Array2<f64> {
    const T: usize = 32;
    let mut out = vec![0.0; r * c];
    for i0 in (0..r).step_by(T) {
        for j0 in (0..c).step_by(T) {
            for i in i0..(i0 + T).min(r) {
                for j in j0..(j0 + T).min(c) {
                    out[j * r + i] = s[i * c + j];
                }
            }
        }
    }
    ndarray::Array2::from_shape_vec((c, r), out).unwrap_or_else(|_| ndarray::Array2::zeros((c, r)))
}

fn slice(key: &str, b: &ArrayD<f64>, axes: &[AxisSlice], drop: &[usize]) -> Result<ArrayD<f64>> {
    if axes.len() != b.ndim() {
        return Err(Error::invalid(format!(
            "{key}: {} slices for a {}-d block",
            axes.len(),
            b.ndim()
        )));
    }
    for (ax, (s, &n)) in axes.iter().zip(b.shape()).enumerate() {
        let last = s.first as isize + (s.len.max(1) - 1) as isize * s.step;
        if s.len > 0 && (s.first >= n || last < 0 || last >= n as isize) {
            return Err(Error::invalid(format!(
                "{key}: slice {s:?} out of bounds for axis {ax} of length {n}"
            )));
        }
    }
    let mut v = b.slice_each_axis(|d| axes[d.axis.index()].to_slice());
    let mut sorted = drop.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    for &ax in &sorted {
        v = v.index_axis_move(Axis(ax), 0);
    }
    Ok(v.as_standard_layout().into_owned())
}

fn assemble(
    key: &str,
    grid: &[usize],
    ranges: &[Vec<(usize, usize)>],
    blocks: &[&ArrayD<f64>],
) -> Result<ArrayD<f64>> {
    let ndim = grid.len();
    let strides: Vec<usize> = (0..ndim)
        .map(|ax| grid[ax + 1..].iter().product())
        .collect();
    let mut views = Vec::with_capacity(blocks.len());
    for (flat, b) in blocks.iter().enumerate() {
        if b.ndim() != ndim {
            return Err(Error::invalid(format!("{key}: expected {ndim}-d pieces")));
        }
        let mut slices = Vec::with_capacity(ndim);
        for ax in 0..ndim {
            let i = (flat / strides[ax]) % grid[ax];
            let &(s, e) = ranges
                .get(ax)
                .and_then(|r| r.get(i))
                .ok_or_else(|| Error::invalid(format!("{key}: no range for piece {flat}")))?;
            if s > e || e > b.shape()[ax] {
                return Err(Error::invalid(format!(
                    "{key}: range {s}..{e} out of a block of length {}",
                    b.shape()[ax]
                )));
            }
            slices.push(Slice::from(s..e));
        }
        views.push(b.slice_each_axis(|d| slices[d.axis.index()]));
    }
    concat(key, grid, &views)
}

fn concat(key: &str, grid: &[usize], blocks: &[ArrayViewD<f64>]) -> Result<ArrayD<f64>> {
    let ndim = grid.len();
    let n: usize = grid.iter().product();
    if blocks.len() != n || blocks.iter().any(|b| b.ndim() != ndim) {
        return Err(Error::invalid(format!(
            "{key}: expected {n} blocks of {ndim} dimensions"
        )));
    }
    // Block sizes along each axis, read off the blocks on that axis's edge.
    let strides: Vec<usize> = (0..ndim)
        .map(|ax| grid[ax + 1..].iter().product())
        .collect();
    let mut offsets: Vec<Vec<usize>> = Vec::with_capacity(ndim);
    for ax in 0..ndim {
        let mut off = vec![0usize];
        for i in 0..grid[ax] {
            let len = blocks[i * strides[ax]].shape()[ax];
            off.push(off[i] + len);
        }
        offsets.push(off);
    }
    let shape: Vec<usize> = offsets.iter().map(|o| o[o.len() - 1]).collect();
    let mut out = ArrayD::<f64>::zeros(IxDyn(&shape));
    for (flat, b) in blocks.iter().enumerate() {
        let idx: Vec<usize> = (0..ndim)
            .map(|ax| (flat / strides[ax]) % grid[ax])
            .collect();
        let mut view = out.slice_each_axis_mut(|d| {
            let ax = d.axis.index();
            Slice::from(offsets[ax][idx[ax]]..offsets[ax][idx[ax] + 1])
        });
        if view.shape() != b.shape() {
            return Err(Error::invalid(format!(
                "{key}: block {idx:?} has shape {:?}, expected {:?}",
                b.shape(),
                view.shape()
            )));
        }
        view.assign(b);
    }
    Ok(out)
}
