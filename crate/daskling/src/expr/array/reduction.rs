//! Reductions (`sum`, `prod`, `min`, `max`, `mean`, `var`, `std` over some or all
//! axes) as trees of partials with fan-in `split_every`, as `dask.array`'s reductions.

use super::chunks::block_indices;
use super::tasks::task;
use super::{not_mine, Array, ArrayOp, Meta, DEFAULT_SPLIT_EVERY};
use crate::error::{Error, Result};
use crate::expr::dask::script::{float, tuple, Line, Script};
use crate::graph::tokenize;
use crate::graph::{Graph, Key};
use crate::kernels::array::ReduceOp;
use crate::kernels::ArrayKernel;

impl Array {
    /// A reduction over `axes` (all when `None`); `ddof` applies to `var` and `std`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::kernels::array::ReduceOp;
    /// let x = Array::arange(1.0, 5.0, 1.0, 1).unwrap(); // 1 2 3 4, one block each
    /// // A tree of fan-in 2: two levels of combines under the aggregate.
    /// let p = x.reduce(ReduceOp::Prod, None, 0.0, 2).unwrap();
    /// assert_eq!(p.compute(Scheduler::Sync).unwrap().sum(), 24.0);
    /// ```
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
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(1.0, 5.0, 1.0, 2).unwrap(); // 1 2 3 4
    /// assert_eq!(x.sum(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 10.0);
    /// ```
    pub fn sum(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Sum, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Sum over `axes` with at most about `split_every` blocks combined per task.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[100], ChunkSpec::Block(vec![1])).unwrap();
    /// assert_eq!(x.sum_with(None, 10).unwrap().compute(Scheduler::Sync).unwrap().sum(), 100.0);
    /// assert!(x.sum_with(None, 1).is_err());
    /// ```
    pub fn sum_with(&self, axes: Option<&[isize]>, split_every: usize) -> Result<Array> {
        self.reduce(ReduceOp::Sum, axes, 0.0, split_every)
    }

    /// Product over `axes`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(1.0, 5.0, 1.0, 2).unwrap(); // 1 2 3 4
    /// assert_eq!(x.prod(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 24.0);
    /// ```
    pub fn prod(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Prod, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Minimum over `axes` (NaN propagates, as numpy's).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(1.0, 5.0, 1.0, 2).unwrap(); // 1 2 3 4
    /// assert_eq!(x.min(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 1.0);
    /// ```
    pub fn min(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Min, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Maximum over `axes` (NaN propagates, as numpy's).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(1.0, 5.0, 1.0, 2).unwrap(); // 1 2 3 4
    /// assert_eq!(x.max(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 4.0);
    /// ```
    pub fn max(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Max, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Mean over `axes`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(0.0, 6.0, 1.0, 4).unwrap();
    /// assert_eq!(x.mean(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 2.5);
    /// ```
    pub fn mean(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.reduce(ReduceOp::Mean, axes, 0.0, DEFAULT_SPLIT_EVERY)
    }

    /// Variance over `axes`, dividing by `n - ddof`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(1.0, 5.0, 1.0, 3).unwrap();
    /// // Σ(x − 2.5)² = 5: population variance 1.25.
    /// assert_eq!(x.var(None, 0.0).unwrap().compute(Scheduler::Sync).unwrap().sum(), 1.25);
    /// ```
    pub fn var(&self, axes: Option<&[isize]>, ddof: f64) -> Result<Array> {
        self.reduce(ReduceOp::Var, axes, ddof, DEFAULT_SPLIT_EVERY)
    }

    /// Standard deviation over `axes`, dividing by `n - ddof`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// // 0..6: population variance 35/12, sample variance 3.5.
    /// let x = Array::arange(0.0, 6.0, 1.0, 4).unwrap();
    /// let pop = x.std(None, 0.0).unwrap().compute(Scheduler::Sync).unwrap().sum();
    /// let sample = x.var(None, 1.0).unwrap().compute(Scheduler::Sync).unwrap().sum();
    /// assert!((pop - (35.0f64 / 12.0).sqrt()).abs() < 1e-12);
    /// assert!((sample - 3.5).abs() < 1e-12);
    /// ```
    pub fn std(&self, axes: Option<&[isize]>, ddof: f64) -> Result<Array> {
        self.reduce(ReduceOp::Std, axes, ddof, DEFAULT_SPLIT_EVERY)
    }
}

/// Shape, chunks and name prefix of a reduction operation.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    Ok(match op {
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
            if matches!(
                reduce,
                ReduceOp::Min | ReduceOp::Max | ReduceOp::NanMin | ReduceOp::NanMax
            ) && axes.iter().any(|&a| input.shape()[a] == 0)
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
        _ => return Err(not_mine("reduction")),
    })
}

/// Adds the tasks of every block of `a`, a reduction operation whose inputs are lowered.
pub(super) fn lower(a: &Array, g: &mut Graph) -> Result<()> {
    match a.op() {
        ArrayOp::Reduce {
            input,
            reduce,
            axes,
            ddof,
            split_every,
        } => lower_reduce(a, input, *reduce, axes, *ddof, *split_every, g),
        _ => return Err(not_mine("reduction")),
    }
    Ok(())
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

/// The `dask.array` line of a reduction: `x.sum(axis=…, ddof=…, split_every=…)`, each
/// argument only where it is not dask's default.
pub(super) fn dask(a: &Array, s: &mut Script) -> Result<Line> {
    let ArrayOp::Reduce {
        input,
        reduce,
        axes,
        ddof,
        split_every,
    } = a.op()
    else {
        return Err(not_mine("reduction"));
    };
    let x = s.var(input.name())?;
    let mut args = Vec::new();
    if axes.len() != input.ndim() {
        args.push(format!("axis={}", tuple(axes)));
    }
    if reduce.takes_ddof() && *ddof != 0.0 {
        args.push(format!("ddof={}", float(*ddof)));
    }
    // 4 is dask's default as well as daskling's.
    if *split_every != 0 && *split_every != DEFAULT_SPLIT_EVERY {
        args.push(format!("split_every={split_every}"));
    }
    let m = reduce.name();
    if reduce.skips_nan() {
        args.insert(0, x.to_string());
        return Ok((m.into(), format!("da.{m}({})", args.join(", "))));
    }
    if matches!(reduce, ReduceOp::Any | ReduceOp::All) {
        // daskling's are 1.0 / 0.0, as its comparisons.
        return Ok((
            m.into(),
            format!("{x}.{m}({}).astype(float)", args.join(", ")),
        ));
    }
    Ok((m.into(), format!("{x}.{m}({})", args.join(", "))))
}
