//! Lowering array expressions to tasks: one task per output block, named
//! `(layer name, block index)`, depending on the input blocks it needs.

use super::chunks::{block_indices, offsets, rechunk_pieces};
use super::{linalg, Array, ArrayOp, AxisIndex};
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::array::{AxisSlice, ReduceOp};
use crate::kernels::{ArrayKernel, Kernel, Value};

fn task(k: ArrayKernel, deps: Vec<Key>) -> Task {
    Task::new(Kernel::Array(k), deps)
}

/// The most elements one block (or a whole computed result) may have: 2 GiB of
/// float64. A larger allocation would abort a wasm instance rather than fail.
pub(super) const MAX_BLOCK_ELEMENTS: usize = 1 << 28;

/// An error when a block of `a` would exceed [`MAX_BLOCK_ELEMENTS`].
fn check_block_sizes(a: &Array) -> Result<()> {
    let largest: Vec<usize> = a
        .chunks()
        .iter()
        .map(|c| c.iter().copied().max().unwrap_or(0))
        .collect();
    let n = largest
        .iter()
        .try_fold(1usize, |acc, &x| acc.checked_mul(x));
    match n {
        Some(n) if n <= MAX_BLOCK_ELEMENTS => Ok(()),
        _ => Err(Error::invalid(format!(
            "{}: blocks of shape {largest:?} are too large (over 2 GiB); use smaller chunks",
            a.name()
        ))),
    }
}

/// Adds the tasks of every block of `a` (and of its inputs) to `g`; nothing when they
/// are there already.
pub(super) fn lower_blocks(a: &Array, g: &mut Graph) -> Result<()> {
    let first = a.block_key(&vec![0; a.ndim()]);
    if g.contains(&first) {
        return Ok(());
    }
    check_block_sizes(a)?;
    for input in a.op().inputs() {
        lower_blocks(input, g)?;
    }
    let grid = a.numblocks();
    match a.op() {
        ArrayOp::Full { value, .. } => {
            for idx in block_indices(&grid) {
                let shape = a.block_shape(&idx);
                g.insert(
                    a.block_key(&idx),
                    task(
                        ArrayKernel::Full {
                            shape,
                            value: *value,
                        },
                        vec![],
                    ),
                );
            }
        }
        ArrayOp::Arange {
            start,
            step,
            chunks,
            ..
        } => {
            let off = offsets(chunks);
            for (i, &len) in chunks.iter().enumerate() {
                g.insert(
                    a.block_key(&[i as u32]),
                    task(
                        ArrayKernel::Arange {
                            start: *start,
                            step: *step,
                            offset: off[i],
                            len,
                        },
                        vec![],
                    ),
                );
            }
        }
        ArrayOp::Random { seed, .. } => {
            for (flat, idx) in block_indices(&grid).into_iter().enumerate() {
                let shape = a.block_shape(&idx);
                g.insert(
                    a.block_key(&idx),
                    task(
                        ArrayKernel::Random {
                            shape,
                            seed: *seed,
                            block: flat as u64,
                        },
                        vec![],
                    ),
                );
            }
        }
        ArrayOp::FromData { data, chunks } => {
            let offs: Vec<Vec<usize>> = chunks.iter().map(|c| offsets(c)).collect();
            for idx in block_indices(&grid) {
                let block = data
                    .array()?
                    .slice_each_axis(|d| {
                        let ax = d.axis.index();
                        let i = idx[ax] as usize;
                        ndarray::Slice::from(offs[ax][i]..offs[ax][i + 1])
                    })
                    .to_owned();
                g.insert(
                    a.block_key(&idx),
                    Task::new(Kernel::Literal(Value::Block(block.into())), vec![]),
                );
            }
        }
        ArrayOp::Stored { id, held, .. } => {
            let Some(super::stored::Held::Local(stored)) = held else {
                return Err(Error::invalid(format!(
                    "the persisted array {id} is not available here (it was released)"
                )));
            };
            for (flat, idx) in block_indices(&grid).into_iter().enumerate() {
                let b = stored.block(flat).ok_or_else(|| {
                    Error::invalid(format!("the persisted array {id} lacks block {idx:?}"))
                })?;
                g.insert(
                    a.block_key(&idx),
                    Task::new(Kernel::Literal(Value::Block(b.clone())), vec![]),
                );
            }
        }
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
        ArrayOp::Reduce {
            input,
            reduce,
            axes,
            ddof,
            split_every,
        } => lower_reduce(a, input, *reduce, axes, *ddof, *split_every, g),
        ArrayOp::Transpose { input, axes } => {
            for idx in block_indices(&grid) {
                let mut src = vec![0u32; idx.len()];
                for (i, &ax) in axes.iter().enumerate() {
                    src[ax] = idx[i];
                }
                g.insert(
                    a.block_key(&idx),
                    task(
                        ArrayKernel::Transpose { axes: axes.clone() },
                        vec![input.block_key(&src)],
                    ),
                );
            }
        }
        ArrayOp::Dot { left, right } => {
            let nk = right.numblocks()[0];
            for idx in block_indices(&grid) {
                let (i, j) = match (left.ndim(), right.ndim()) {
                    (2, 2) => (Some(idx[0]), Some(idx[1])),
                    (2, _) => (Some(idx[0]), None),
                    (_, 2) => (None, Some(idx[0])),
                    _ => (None, None),
                };
                let mut deps = Vec::with_capacity(2 * nk);
                for l in 0..nk as u32 {
                    deps.push(match i {
                        Some(i) => left.block_key(&[i, l]),
                        None => left.block_key(&[l]),
                    });
                }
                for l in 0..nk as u32 {
                    deps.push(match j {
                        Some(j) => right.block_key(&[l, j]),
                        None => right.block_key(&[l]),
                    });
                }
                g.insert(a.block_key(&idx), task(ArrayKernel::Dot { nk }, deps));
            }
        }
        ArrayOp::Slice { input, index } => {
            let (_, _, plan) = slice_plan(input, index)?;
            let drop: Vec<usize> = index
                .iter()
                .enumerate()
                .filter(|(_, i)| matches!(i, AxisIndex::At(_)))
                .map(|(ax, _)| ax)
                .collect();
            for idx in block_indices(&grid) {
                // Walk input axes; kept ones take the next output block index.
                let mut out_axis = 0;
                let mut src = Vec::with_capacity(index.len());
                let mut local = Vec::with_capacity(index.len());
                for per_axis in &plan {
                    let (b, s) = match per_axis {
                        AxisPlan::Fixed(b, s) => (*b, *s),
                        AxisPlan::Blocks(blocks) => {
                            let i = idx[out_axis] as usize;
                            out_axis += 1;
                            blocks[i]
                        }
                    };
                    src.push(b);
                    local.push(s);
                }
                g.insert(
                    a.block_key(&idx),
                    task(
                        ArrayKernel::Slice {
                            axes: local,
                            drop: drop.clone(),
                        },
                        vec![input.block_key(&src)],
                    ),
                );
            }
        }
        ArrayOp::Rechunk { input, chunks } => {
            let pieces: Vec<_> = input
                .chunks()
                .iter()
                .zip(chunks)
                .map(|(old, new)| rechunk_pieces(old, new))
                .collect();
            for idx in block_indices(&grid) {
                let per_axis: Vec<&Vec<(u32, usize, usize)>> = idx
                    .iter()
                    .enumerate()
                    .map(|(ax, &i)| &pieces[ax][i as usize])
                    .collect();
                let piece_grid: Vec<usize> = per_axis.iter().map(|p| p.len()).collect();
                let ranges: Vec<Vec<(usize, usize)>> = per_axis
                    .iter()
                    .map(|p| p.iter().map(|&(_, s, e)| (s, e)).collect())
                    .collect();
                let deps = block_indices(&piece_grid)
                    .iter()
                    .map(|pidx| {
                        let src: Vec<u32> = pidx
                            .iter()
                            .enumerate()
                            .map(|(ax, &p)| per_axis[ax][p as usize].0)
                            .collect();
                        input.block_key(&src)
                    })
                    .collect();
                g.insert(
                    a.block_key(&idx),
                    task(
                        ArrayKernel::Assemble {
                            grid: piece_grid,
                            ranges,
                        },
                        deps,
                    ),
                );
            }
        }
        ArrayOp::Qr { input, part } => linalg::lower_qr(a, input, *part, g)?,
        ArrayOp::Svd { input, part } => linalg::lower_svd(a, input, *part, g)?,
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

/// How the output blocks of a slice map onto input blocks, per input axis.
pub(super) enum AxisPlan {
    /// An integer index: this input block and position; the axis is dropped.
    Fixed(u32, AxisSlice),
    /// A range: per output block, the input block and the positions within it.
    Blocks(Vec<(u32, AxisSlice)>),
}

type SlicePlan = (Vec<usize>, Vec<Vec<usize>>, Vec<AxisPlan>);

/// Shape, chunks and block mapping of `input` sliced by `index`. Each output block
/// comes from one input block, so a slice after other blockwise work fuses with it.
pub(super) fn slice_plan(input: &Array, index: &[AxisIndex]) -> Result<SlicePlan> {
    if index.len() != input.ndim() {
        return Err(Error::invalid(format!(
            "a slice of a {}-d array needs {} axes, got {}",
            input.ndim(),
            input.ndim(),
            index.len()
        )));
    }
    let mut shape = vec![];
    let mut chunks = vec![];
    let mut plan = vec![];
    for (ax, (ix, sizes)) in index.iter().zip(input.chunks()).enumerate() {
        let n = input.shape()[ax];
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

/// Lowers a reduction: a partial per block (reduced axes kept with length 1), combine
/// levels of at most `n` blocks per reduced axis (`n = split_every^(1/len(axes))`, at
/// least 2, as dask), and a final aggregate that drops the reduced axes.
fn lower_reduce(
    out: &Array,
    input: &Array,
    op: ReduceOp,
    axes: &[usize],
    ddof: f64,
    split_every: usize,
    g: &mut Graph,
) {
    let token = tokenize(out.name());
    let [chunk_name, combine_name, _] = op.step_names();
    let per_axis = if axes.is_empty() {
        split_every
    } else {
        ((split_every as f64).powf(1.0 / axes.len() as f64).floor() as usize).max(2)
    };
    // Layer 0: partials, one per input block.
    let mut layer = format!("{chunk_name}-{token}");
    let mut grid = input.numblocks();
    for idx in block_indices(&grid) {
        g.insert(
            Key::new(layer.as_str(), &idx),
            task(
                ArrayKernel::ReduceChunk {
                    op,
                    axes: axes.to_vec(),
                },
                vec![input.block_key(&idx)],
            ),
        );
    }
    // Combine levels while some reduced axis has more than `per_axis` blocks.
    let mut level = 0u32;
    while axes.iter().any(|&a| grid[a] > per_axis) {
        level += 1;
        let next_layer = format!("{combine_name}-{}", tokenize(&(&token, level)));
        let next_grid: Vec<usize> = grid
            .iter()
            .enumerate()
            .map(|(ax, &n)| {
                if axes.contains(&ax) {
                    n.div_ceil(per_axis)
                } else {
                    n
                }
            })
            .collect();
        for idx in block_indices(&next_grid) {
            let deps = group_members(&idx, &grid, axes, per_axis)
                .iter()
                .map(|m| Key::new(layer.as_str(), m))
                .collect();
            g.insert(
                Key::new(next_layer.as_str(), &idx),
                task(ArrayKernel::ReduceCombine { op }, deps),
            );
        }
        layer = next_layer;
        grid = next_grid;
    }
    // Final aggregate: everything left along the reduced axes, which are dropped.
    let out_grid: Vec<usize> = (0..grid.len())
        .filter(|ax| !axes.contains(ax))
        .map(|ax| grid[ax])
        .collect();
    for out_idx in block_indices(&out_grid) {
        // A full index with 0 on reduced axes, then every block along them.
        let mut full = Vec::with_capacity(grid.len());
        let mut it = out_idx.iter();
        for ax in 0..grid.len() {
            full.push(if axes.contains(&ax) {
                0
            } else {
                it.next().copied().unwrap_or(0)
            });
        }
        let deps = group_members(&full, &grid, axes, usize::MAX)
            .iter()
            .map(|m| Key::new(layer.as_str(), m))
            .collect();
        g.insert(
            out.block_key(&out_idx),
            task(
                ArrayKernel::ReduceAggregate {
                    op,
                    axes: axes.to_vec(),
                    ddof,
                },
                deps,
            ),
        );
    }
}

/// The blocks of `grid` grouped into group `idx`: along reduced axes, blocks
/// `idx*n .. idx*n+n`; along other axes, the block `idx` itself.
fn group_members(idx: &[u32], grid: &[usize], axes: &[usize], n: usize) -> Vec<Vec<u32>> {
    let ranges: Vec<(u32, u32)> = (0..grid.len())
        .map(|ax| {
            if axes.contains(&ax) {
                let start = (idx[ax] as usize).saturating_mul(n).min(grid[ax]);
                let end = start.saturating_add(n).min(grid[ax]);
                (start as u32, end as u32)
            } else {
                (idx[ax], idx[ax] + 1)
            }
        })
        .collect();
    let mut out = vec![vec![]];
    for (s, e) in ranges {
        out = out
            .into_iter()
            .flat_map(|p: Vec<u32>| {
                (s..e).map(move |i| {
                    let mut q = p.clone();
                    q.push(i);
                    q
                })
            })
            .collect();
    }
    out
}
