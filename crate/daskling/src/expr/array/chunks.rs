//! Chunk arithmetic: normalizing chunk specs, block grids, aligning chunkings.

use serde::{Deserialize, Serialize};

use super::AxisIndex;
use crate::error::{Error, Result};
use crate::kernels::array::AxisSlice;

/// How chunks are given: a block shape (`[1000, 1000]`, last blocks may be smaller) or
/// explicit block sizes per axis (`[[5, 5, 5], [7, 8]]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ChunkSpec {
    /// One block shape for all blocks.
    Block(Vec<usize>),
    /// Block sizes along each axis.
    Explicit(Vec<Vec<usize>>),
}

/// The most blocks one array may have (and so the most tasks a layer of its graph
/// has): larger graphs are a clear error before anything is allocated for them.
pub const MAX_BLOCKS: u64 = 100_000_000;

/// An error unless `counts` (blocks per axis) multiply to at most [`MAX_BLOCKS`];
/// sizes are checked 64-bit integers whatever the target.
pub(crate) fn check_block_count(shape: &[usize], counts: &[u64]) -> Result<()> {
    let total = counts
        .iter()
        .try_fold(1u64, |acc, &c| acc.checked_mul(c))
        .filter(|&t| t <= MAX_BLOCKS);
    match total {
        Some(_) => Ok(()),
        None => Err(Error::invalid(format!(
            "an array of shape {shape:?} in these chunks has {} blocks, more than the {MAX_BLOCKS} \
             a graph may have; use larger chunks",
            counts
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" x ")
        ))),
    }
}

/// Normalizes `spec` to explicit per-axis block sizes for an array of `shape`.
///
/// ```
/// use daskling::expr::array::{normalize_chunks, ChunkSpec};
/// let c = normalize_chunks(&[10, 4], &ChunkSpec::Block(vec![4, 4])).unwrap();
/// assert_eq!(c, vec![vec![4, 4, 2], vec![4]]);
/// assert!(normalize_chunks(&[10], &ChunkSpec::Explicit(vec![vec![5, 4]])).is_err());
/// // 2^31 blocks of one element: a clear error, before any of it is allocated.
/// let e = normalize_chunks(&[1 << 31], &ChunkSpec::Block(vec![1])).unwrap_err();
/// assert!(e.to_string().contains("blocks"));
/// ```
pub fn normalize_chunks(shape: &[usize], spec: &ChunkSpec) -> Result<Vec<Vec<usize>>> {
    let ndim = shape.len();
    let chunks = match spec {
        ChunkSpec::Block(b) => {
            if b.len() != ndim {
                return Err(Error::invalid(format!(
                    "chunks {b:?} have {} dimensions but the shape {shape:?} has {ndim}",
                    b.len()
                )));
            }
            if b.contains(&0) {
                return Err(Error::invalid(format!(
                    "chunk sizes must be positive, got {b:?}"
                )));
            }
            let counts: Vec<u64> = shape
                .iter()
                .zip(b)
                .map(|(&n, &c)| (n as u64).div_ceil(c as u64).max(1))
                .collect();
            check_block_count(shape, &counts)?;
            shape.iter().zip(b).map(|(&n, &c)| regular(n, c)).collect()
        }
        ChunkSpec::Explicit(e) => {
            if e.len() != ndim {
                return Err(Error::invalid(format!(
                    "chunks {e:?} have {} dimensions but the shape {shape:?} has {ndim}",
                    e.len()
                )));
            }
            let counts: Vec<u64> = e.iter().map(|s| s.len() as u64).collect();
            check_block_count(shape, &counts)?;
            for (ax, (sizes, &n)) in e.iter().zip(shape).enumerate() {
                let sum = sizes
                    .iter()
                    .try_fold(0u64, |acc, &x| acc.checked_add(x as u64));
                if sum != Some(n as u64) || sizes.is_empty() {
                    return Err(Error::invalid(format!(
                        "chunks {sizes:?} along axis {ax} do not add up to its length {n}"
                    )));
                }
                if n > 0 && sizes.contains(&0) {
                    return Err(Error::invalid(format!(
                        "chunks {sizes:?} along axis {ax} contain an empty block"
                    )));
                }
                if n == 0 && sizes.len() != 1 {
                    return Err(Error::invalid(format!(
                        "an empty axis ({ax}) has exactly one empty block, got {sizes:?}"
                    )));
                }
            }
            e.clone()
        }
    };
    Ok(chunks)
}

/// One axis's chunk sizes for messages, runs written `size×count`: `[5, 5, 5, 2]` is
/// `(5×3, 2)` — 100 chunks of 1000 read `(1000×100)`, not a hundred numbers.
pub(crate) fn axis_summary(sizes: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &c in sizes {
        match runs.last_mut() {
            Some((size, count)) if *size == c => *count += 1,
            _ => runs.push((c, 1)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(size, count)| {
            if count == 1 {
                size.to_string()
            } else {
                format!("{size}×{count}")
            }
        })
        .collect();
    format!("({})", parts.join(", "))
}

/// Every axis's chunks for messages (see [`axis_summary`]): `((1000×100), (1000×100))`.
pub(crate) fn summary(chunks: &[Vec<usize>]) -> String {
    let axes: Vec<String> = chunks.iter().map(|c| axis_summary(c)).collect();
    format!("({})", axes.join(", "))
}

/// Blocks of `c` along an axis of length `n` (the last one smaller); `[0]` when empty.
pub(crate) fn regular(n: usize, c: usize) -> Vec<usize> {
    if n == 0 {
        return vec![0];
    }
    let c = c.max(1);
    let mut v = vec![c; n / c];
    if !n.is_multiple_of(c) {
        v.push(n % c);
    }
    v
}

/// Block start offsets along an axis, with the total length last.
pub(crate) fn offsets(sizes: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sizes.len() + 1);
    let mut acc = 0;
    out.push(0);
    for &s in sizes {
        acc += s;
        out.push(acc);
    }
    out
}

/// Every block index of a grid, row-major.
pub(crate) fn block_indices(grid: &[usize]) -> Vec<Vec<u32>> {
    let mut out = vec![vec![]];
    for &n in grid {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                (0..n as u32).map(move |i| {
                    let mut p = prefix.clone();
                    p.push(i);
                    p
                })
            })
            .collect();
    }
    out
}

/// The coarsest chunking finer than both `a` and `b` (same total length): every block
/// boundary of either, as dask's `unify_chunks` aligns operands.
pub(crate) fn common_chunks(a: &[usize], b: &[usize]) -> Vec<usize> {
    let (oa, ob) = (offsets(a), offsets(b));
    let mut bounds: Vec<usize> = oa.iter().chain(&ob).copied().collect();
    bounds.sort_unstable();
    bounds.dedup();
    let out: Vec<usize> = bounds.windows(2).map(|w| w[1] - w[0]).collect();
    if out.is_empty() {
        vec![0]
    } else {
        out
    }
}

/// numpy's broadcast of two shapes (aligned on the right; length 1 stretches).
pub(crate) fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    crate::kernels::array::broadcast_shape(a, b).ok_or_else(|| {
        Error::invalid(format!(
            "operands could not be broadcast together with shapes {a:?} {b:?}"
        ))
    })
}

/// For each block of `new` along an axis: the pieces of `old` blocks it is made of, as
/// `(old block, start, stop)` within that block.
pub(crate) fn rechunk_pieces(old: &[usize], new: &[usize]) -> Vec<Vec<(u32, usize, usize)>> {
    let old_off = offsets(old);
    let mut out = Vec::with_capacity(new.len());
    let mut start = 0usize;
    let mut blk = 0usize;
    for &len in new {
        let stop = start + len;
        let mut pieces = Vec::new();
        if len == 0 {
            pieces.push((0, 0, 0));
        }
        let mut pos = start;
        while pos < stop {
            // Advance to the old block holding `pos`.
            while blk + 1 < old_off.len() - 1 && old_off[blk + 1] <= pos {
                blk += 1;
            }
            let b_start = old_off[blk];
            let b_stop = old_off[blk + 1].min(stop);
            pieces.push((blk as u32, pos - b_start, b_stop - b_start));
            pos = b_stop;
        }
        out.push(pieces);
        start = stop;
    }
    out
}

/// How the output blocks of a slice map onto input blocks, per input axis.
pub(crate) enum AxisPlan {
    /// An integer index: this input block and position; the axis is dropped.
    Fixed(u32, AxisSlice),
    /// A range: per output block, the input block and the positions within it.
    Blocks(Vec<(u32, AxisSlice)>),
}

pub(crate) type SlicePlan = (Vec<usize>, Vec<Vec<usize>>, Vec<AxisPlan>);

/// Shape, chunks and block mapping of `input` sliced by `index`. Each output block
/// comes from one input block, so a slice after other blockwise work fuses with it.
pub(crate) fn slice_plan(
    shape_in: &[usize],
    chunks_in: &[Vec<usize>],
    index: &[AxisIndex],
) -> Result<SlicePlan> {
    if index.len() != shape_in.len() {
        return Err(Error::invalid(format!(
            "a slice of a {}-d array needs {} axes, got {}",
            shape_in.len(),
            shape_in.len(),
            index.len()
        )));
    }
    let mut shape = vec![];
    let mut chunks = vec![];
    let mut plan = vec![];
    for (ax, (ix, sizes)) in index.iter().zip(chunks_in).enumerate() {
        let n = shape_in[ax];
        let off = offsets(sizes);
        let block_of = |pos: usize| -> usize {
            // The block whose range holds `pos`.
            off.partition_point(|&o| o <= pos)
                .saturating_sub(1)
                .min(sizes.len() - 1)
        };
        match *ix {
            AxisIndex::At(i) => {
                if i >= n {
                    return Err(Error::invalid(format!(
                        "index {i} is out of bounds for axis {ax} with size {n}"
                    )));
                }
                let b = block_of(i);
                plan.push(AxisPlan::Fixed(
                    b as u32,
                    AxisSlice {
                        first: i - off[b],
                        step: 1,
                        len: 1,
                    },
                ));
            }
            AxisIndex::Range { first, step, len } => {
                let last = first as i64 + (len as i64 - 1) * step as i64;
                if step == 0 || (len > 0 && (first >= n || last < 0 || last >= n as i64)) {
                    return Err(Error::invalid(format!(
                        "slice from {first} by {step} ({len} elements) is out of bounds for axis {ax} with size {n}"
                    )));
                }
                let mut blocks: Vec<(u32, AxisSlice)> = vec![];
                let mut k = 0usize;
                while k < len {
                    let pos = (first as i64 + k as i64 * step as i64) as usize;
                    let b = block_of(pos);
                    // How many of the next positions stay in block b.
                    let count = if step > 0 {
                        let end = off[b + 1]; // exclusive
                        (end - pos).div_ceil(step as usize).min(len - k)
                    } else {
                        let start = off[b];
                        ((pos - start) / (-step) as usize + 1).min(len - k)
                    };
                    blocks.push((
                        b as u32,
                        AxisSlice {
                            first: pos - off[b],
                            step,
                            len: count,
                        },
                    ));
                    k += count;
                }
                if blocks.is_empty() {
                    blocks.push((
                        0,
                        AxisSlice {
                            first: 0,
                            step: 1,
                            len: 0,
                        },
                    ));
                }
                shape.push(len);
                chunks.push(blocks.iter().map(|(_, s)| s.len).collect());
                plan.push(AxisPlan::Blocks(blocks));
            }
        }
    }
    Ok((shape, chunks, plan))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn summaries_write_runs() {
        assert_eq!(axis_summary(&[5, 5, 5, 2]), "(5×3, 2)");
        assert_eq!(axis_summary(&[1000; 100]), "(1000×100)");
        assert_eq!(axis_summary(&[3]), "(3)");
        assert_eq!(summary(&[vec![2, 2], vec![4]]), "((2×2), (4))");
    }

    #[test]
    fn common_chunks_merge_boundaries() {
        assert_eq!(common_chunks(&[5, 5, 5], &[7, 8]), vec![5, 2, 3, 5]);
        assert_eq!(common_chunks(&[0], &[0]), vec![0]);
    }

    #[test]
    fn pieces_cover_new_blocks() {
        let p = rechunk_pieces(&[5, 5, 5], &[7, 8]);
        assert_eq!(p[0], vec![(0, 0, 5), (1, 0, 2)]);
        assert_eq!(p[1], vec![(1, 2, 5), (2, 0, 5)]);
    }

    #[test]
    fn broadcast() {
        assert_eq!(broadcast_shapes(&[3, 1], &[4]).ok(), Some(vec![3, 4]));
        assert_eq!(broadcast_shapes(&[], &[2, 2]).ok(), Some(vec![2, 2]));
        assert!(broadcast_shapes(&[3], &[4]).is_err());
    }
}
