//! Arrays that move values between positions and blocks: `transpose`, slicing and
//! `rechunk` — their metadata and lowering (the slice arithmetic is in `chunks`).

use super::chunks::{
    block_indices, normalize_chunks, rechunk_pieces, slice_plan, AxisPlan, ChunkSpec,
};
use super::tasks::task;
use super::{normalize_axis, AxisIndex, SliceArg};
use super::{not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{chunks, tuple, Line, Script};
use crate::graph::Graph;
use crate::kernels::ArrayKernel;

impl Array {
    /// Axes permuted (`None`: reversed, as `x.T`).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[2, 3, 4], ChunkSpec::Block(vec![1, 3, 2])).unwrap();
    /// let t = x.transpose(Some(&[2, 0, 1])).unwrap();
    /// assert_eq!(t.shape(), &[4, 2, 3]);
    /// assert_eq!(t.chunks(), &[vec![2, 2], vec![1, 1], vec![3]]);
    /// ```
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
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.t().shape(), &[4, 10]);
    /// assert_eq!(x.t().t().shape(), x.shape());
    /// ```
    pub fn t(&self) -> Array {
        // Reversing the axes is always a valid permutation.
        self.transpose(None).unwrap_or_else(|_| self.clone())
    }

    /// The same values in other blocks (no new expression when they are the same).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(0.0, 10.0, 1.0, 3).unwrap();
    /// let y = x.rechunk(ChunkSpec::Block(vec![5])).unwrap();
    /// assert_eq!(y.chunks(), &[vec![5, 5]]);
    /// assert_eq!(y.compute(Scheduler::Sync).unwrap(), x.compute(Scheduler::Sync).unwrap());
    /// ```
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
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::expr::array::SliceArg;
    /// let x = Array::arange(0.0, 10.0, 1.0, 4).unwrap();
    /// // x[8:1:-3] = [8, 5, 2]
    /// let s = x.slice(&[SliceArg::Range(Some(8), Some(1), Some(-3))]).unwrap();
    /// assert_eq!(s.compute(Scheduler::Sync).unwrap().into_raw_vec_and_offset().0, vec![8.0, 5.0, 2.0]);
    /// ```
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

/// Shape, chunks and name prefix of a reshape operation.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    Ok(match op {
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
        ArrayOp::Slice { input, index } => {
            let (shape, chunks, _) = slice_plan(input.shape(), input.chunks(), index)?;
            Meta::new("getitem", shape, chunks)
        }
        ArrayOp::Rechunk { input, chunks } => {
            let chunks = normalize_chunks(input.shape(), &ChunkSpec::Explicit(chunks.clone()))?;
            Meta::new("rechunk", input.shape().to_vec(), chunks)
        }
        _ => return Err(not_mine("reshape")),
    })
}

/// Adds the tasks of every block of `a`, a reshape operation whose inputs are lowered.
pub(super) fn lower(a: &Array, g: &mut Graph) -> Result<()> {
    let grid = a.numblocks();
    match a.op() {
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
        ArrayOp::Slice { input, index } => {
            let (_, _, plan) = slice_plan(input.shape(), input.chunks(), index)?;
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
        _ => return Err(not_mine("reshape")),
    }
    Ok(())
}

/// The `dask.array` line of a transpose (`x.T`), a slice (`x[1:4, 2]`) or a rechunk.
pub(super) fn dask(a: &Array, s: &mut Script) -> Result<Line> {
    Ok(match a.op() {
        ArrayOp::Transpose { input, axes } => {
            let x = s.var(input.name())?;
            let reversed: Vec<usize> = (0..axes.len()).rev().collect();
            if *axes == reversed {
                ("transpose".into(), format!("{x}.T"))
            } else {
                (
                    "transpose".into(),
                    format!("{x}.transpose({})", tuple(axes)),
                )
            }
        }
        ArrayOp::Slice { input, index: ix } => {
            let x = s.var(input.name())?;
            ("getitem".into(), format!("{x}[{}]", python_index(ix)))
        }
        ArrayOp::Rechunk { input, chunks: c } => {
            let x = s.var(input.name())?;
            ("rechunk".into(), format!("{x}.rechunk({})", chunks(c)))
        }
        _ => return Err(not_mine("reshape")),
    })
}

/// A Python index of normalized axis indices: `1:4, 2, ::2`.
fn python_index(ix: &[AxisIndex]) -> String {
    let parts: Vec<String> = ix
        .iter()
        .map(|i| match *i {
            AxisIndex::At(k) => k.to_string(),
            AxisIndex::Range { first, step, len } => {
                let stop = first as i64 + step as i64 * len as i64;
                let stop = if stop < 0 {
                    "None".to_string()
                } else {
                    stop.to_string()
                };
                if step == 1 {
                    format!("{first}:{stop}")
                } else {
                    format!("{first}:{stop}:{step}")
                }
            }
        })
        .collect();
    parts.join(", ")
}
