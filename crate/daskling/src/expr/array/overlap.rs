//! `mapOverlap`, as dask's `map_overlap`: the blocks extended by `depth` ghost elements of
//! their neighbours on each side (axis after axis, so corners come along; beyond the
//! array's edge the boundary's padding), a function run on each extended block
//! (`mapBlocks`), then the ghost elements cut off again.

use super::chunks::block_indices;
use super::tasks::task;
use super::{not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{float, Line, Script};
use crate::expr::js::JsFunction;
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::array::{AxisSlice, Boundary};
use crate::kernels::ArrayKernel;

impl Array {
    /// JavaScript function `f` on every block with `depth[axis]` elements of its
    /// neighbours on each side (`boundary` beyond the array's edge), the extra elements
    /// cut off its answer, which must have the extended block's shape (dask's
    /// `map_overlap`). `args` as [`Array::map_blocks`]'s.
    pub fn map_overlap(
        &self,
        f: JsFunction,
        args: Vec<u8>,
        depth: &[usize],
        boundary: Boundary,
    ) -> Result<Array> {
        let extended = Array::build(ArrayOp::Overlap {
            input: self.clone(),
            depth: depth.to_vec(),
            boundary,
        })?;
        let mapped = extended.map_blocks(f, args, None)?;
        Array::build(ArrayOp::Trim {
            input: mapped,
            depth: depth.to_vec(),
            boundary,
        })
    }
}

/// The ghost elements block `i` of `n` along an axis has before and after it: `depth`
/// on each side, except at the array's edge without padding (`Boundary::None`).
fn ghost_sides(boundary: Boundary, depth: usize, i: usize, n: usize) -> (usize, usize) {
    let pads = boundary != Boundary::None;
    let before = if pads || i > 0 { depth } else { 0 };
    let after = if pads || i + 1 < n { depth } else { 0 };
    (before, after)
}

/// The chunks of `chunks` with their ghost elements added (`grow`) or cut off.
fn resized(
    chunks: &[Vec<usize>],
    depth: &[usize],
    boundary: Boundary,
    grow: bool,
) -> Vec<Vec<usize>> {
    chunks
        .iter()
        .zip(depth)
        .map(|(c, &d)| {
            c.iter()
                .enumerate()
                .map(|(i, &len)| {
                    let (lo, hi) = ghost_sides(boundary, d, i, c.len());
                    if grow {
                        len + lo + hi
                    } else {
                        len.saturating_sub(lo + hi)
                    }
                })
                .collect()
        })
        .collect()
}

fn check(input: &Array, depth: &[usize], what: &str) -> Result<()> {
    if depth.len() != input.ndim() {
        return Err(Error::invalid(format!(
            "{what}: depth gives {} axes for a {}-d array",
            depth.len(),
            input.ndim()
        )));
    }
    Ok(())
}

/// Shape and chunks of the extended blocks, or of the trimmed ones.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    match op {
        ArrayOp::Overlap {
            input,
            depth,
            boundary,
        } => {
            check(input, depth, "mapOverlap")?;
            for (ax, (c, &d)) in input.chunks().iter().zip(depth).enumerate() {
                if d > 0 && c.iter().any(|&len| len < d) {
                    return Err(Error::invalid(format!(
                        "mapOverlap: depth {d} along axis {ax} is larger than a block there ({}); \
                         rechunk to blocks of at least the depth",
                        c.iter().min().copied().unwrap_or(0)
                    )));
                }
            }
            let chunks = resized(input.chunks(), depth, *boundary, true);
            let shape = chunks.iter().map(|c| c.iter().sum()).collect();
            Ok(Meta::new("overlap", shape, chunks))
        }
        ArrayOp::Trim {
            input,
            depth,
            boundary,
        } => {
            check(input, depth, "mapOverlap")?;
            let chunks = resized(input.chunks(), depth, *boundary, false);
            let shape = chunks.iter().map(|c| c.iter().sum()).collect();
            Ok(Meta::new("trim", shape, chunks))
        }
        _ => Err(not_mine("overlap")),
    }
}

/// Overlap: one layer of ghost tasks per axis with a depth, the last one the output's.
/// Trim: a slice per block.
pub(super) fn lower(out: &Array, g: &mut Graph) -> Result<()> {
    match out.op() {
        ArrayOp::Overlap {
            input,
            depth,
            boundary,
        } => {
            let grid = input.numblocks();
            let axes: Vec<usize> = (0..depth.len()).filter(|&a| depth[a] > 0).collect();
            let tk = tokenize(out.name());
            let stage = |k: usize, idx: &[u32]| -> Key {
                if k + 1 == axes.len() {
                    out.block_key(idx)
                } else {
                    Key::new(format!("overlap-{k}-{tk}"), idx)
                }
            };
            if axes.is_empty() {
                for idx in block_indices(&grid) {
                    let k = ArrayKernel::Ghost {
                        axis: 0,
                        depth: 0,
                        boundary: *boundary,
                        before: false,
                        after: false,
                    };
                    g.insert(out.block_key(&idx), task(k, vec![input.block_key(&idx)]));
                }
                return Ok(());
            }
            for (k, &axis) in axes.iter().enumerate() {
                let prev = |idx: &[u32]| {
                    if k == 0 {
                        input.block_key(idx)
                    } else {
                        stage(k - 1, idx)
                    }
                };
                let n = grid[axis] as u32;
                let periodic = *boundary == Boundary::Periodic;
                for idx in block_indices(&grid) {
                    let i = idx[axis];
                    let at = |j: u32| {
                        let mut x = idx.clone();
                        x[axis] = j;
                        prev(&x)
                    };
                    let before = (i > 0)
                        .then(|| i - 1)
                        .or((periodic && n > 0).then(|| n - 1));
                    let after = (i + 1 < n)
                        .then(|| i + 1)
                        .or((periodic && n > 0).then_some(0));
                    let mut deps = Vec::with_capacity(3);
                    deps.extend(before.map(at));
                    deps.push(prev(&idx));
                    deps.extend(after.map(at));
                    let kernel = ArrayKernel::Ghost {
                        axis,
                        depth: depth[axis],
                        boundary: *boundary,
                        before: before.is_some(),
                        after: after.is_some(),
                    };
                    g.insert(stage(k, &idx), task(kernel, deps));
                }
            }
        }
        ArrayOp::Trim {
            input,
            depth,
            boundary,
        } => {
            let grid = input.numblocks();
            for idx in block_indices(&grid) {
                let shape = input.block_shape(&idx);
                let axes = (0..shape.len())
                    .map(|a| {
                        let (lo, hi) = ghost_sides(*boundary, depth[a], idx[a] as usize, grid[a]);
                        AxisSlice {
                            first: lo,
                            step: 1,
                            len: shape[a].saturating_sub(lo + hi),
                        }
                    })
                    .collect();
                let k = ArrayKernel::Slice { axes, drop: vec![] };
                g.insert(out.block_key(&idx), task(k, vec![input.block_key(&idx)]));
            }
        }
        _ => return Err(not_mine("overlap")),
    }
    Ok(())
}

/// dask's spelling of a boundary.
fn boundary_py(b: Boundary) -> String {
    match b {
        Boundary::Reflect => "'reflect'".into(),
        Boundary::Nearest => "'nearest'".into(),
        Boundary::Periodic => "'periodic'".into(),
        Boundary::None => "'none'".into(),
        Boundary::Constant(c) => float(c),
    }
}

/// The `dask.array` lines: `da.overlap.overlap(x, depth, boundary)` and
/// `da.overlap.trim_internal(x, depth, boundary)`.
pub(super) fn dask(out: &Array, s: &mut Script) -> Result<Line> {
    let (f, input, depth, boundary) = match out.op() {
        ArrayOp::Overlap {
            input,
            depth,
            boundary,
        } => ("overlap", input, depth, boundary),
        ArrayOp::Trim {
            input,
            depth,
            boundary,
        } => ("trim_internal", input, depth, boundary),
        _ => return Err(not_mine("overlap")),
    };
    let x = s.var(input.name())?;
    let d: Vec<String> = depth
        .iter()
        .enumerate()
        .map(|(a, d)| format!("{a}: {d}"))
        .collect();
    let b: Vec<String> = (0..depth.len())
        .map(|a| format!("{a}: {}", boundary_py(*boundary)))
        .collect();
    let code = format!(
        "da.overlap.{f}({x}, {{{}}}, boundary={{{}}})",
        d.join(", "),
        b.join(", ")
    );
    Ok((f.into(), code))
}
