//! Chunked float64 arrays, as `dask.array`.
//!
//! ```
//! use daskling::expr::array::{Array, ChunkSpec};
//! use daskling::scheduler::Scheduler;
//!
//! let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
//! assert_eq!(x.chunks(), &[vec![5, 5, 5], vec![5, 5, 5]]);
//! let total = x.sum(None).unwrap().compute(Scheduler::Threads).unwrap();
//! assert_eq!(total.into_raw_vec_and_offset().0, vec![225.0]);
//! ```

use std::sync::Arc;

use ndarray::ArrayD;
use serde::{Deserialize, Serialize};

use super::Lazy;
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::{ArrayKernel, Kernel};
use crate::scheduler::Scheduler;

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

/// Normalizes `spec` to explicit per-axis block sizes for an array of `shape`.
///
/// ```
/// use daskling::expr::array::{normalize_chunks, ChunkSpec};
/// let c = normalize_chunks(&[10, 4], &ChunkSpec::Block(vec![4, 4])).unwrap();
/// assert_eq!(c, vec![vec![4, 4, 2], vec![4]]);
/// assert!(normalize_chunks(&[10], &ChunkSpec::Explicit(vec![vec![5, 4]])).is_err());
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
            shape
                .iter()
                .zip(b)
                .map(|(&n, &c)| {
                    if c == 0 {
                        return Err(Error::invalid(format!(
                            "chunk sizes must be positive, got {b:?}"
                        )));
                    }
                    if n == 0 {
                        return Ok(vec![0]);
                    }
                    let mut v = vec![c; n / c];
                    if n % c != 0 {
                        v.push(n % c);
                    }
                    Ok(v)
                })
                .collect::<Result<Vec<_>>>()?
        }
        ChunkSpec::Explicit(e) => {
            if e.len() != ndim {
                return Err(Error::invalid(format!(
                    "chunks {e:?} have {} dimensions but the shape {shape:?} has {ndim}",
                    e.len()
                )));
            }
            for (ax, (sizes, &n)) in e.iter().zip(shape).enumerate() {
                if sizes.iter().sum::<usize>() != n || sizes.is_empty() {
                    return Err(Error::invalid(format!(
                        "chunks {sizes:?} along axis {ax} do not add up to its length {n}"
                    )));
                }
                if n > 0 && sizes.contains(&0) {
                    return Err(Error::invalid(format!(
                        "chunks {sizes:?} along axis {ax} contain an empty block"
                    )));
                }
            }
            e.clone()
        }
    };
    Ok(chunks)
}

/// The operations an array expression is built from; this is its serialized form.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum ArrayOp {
    /// A constant array.
    Full {
        shape: Vec<usize>,
        chunks: Vec<Vec<usize>>,
        value: f64,
    },
    /// A sum over `axes` (sorted, distinct) as a tree reduction.
    Sum {
        input: Array,
        axes: Vec<usize>,
        split_every: usize,
    },
}

#[derive(Debug)]
struct Node {
    op: ArrayOp,
    name: String,
    shape: Vec<usize>,
    chunks: Vec<Vec<usize>>,
}

/// A lazy chunked float64 array. Cloning is cheap (a shared expression tree).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(into = "ArrayOp", try_from = "ArrayOp")]
pub struct Array(Arc<Node>);

impl From<Array> for ArrayOp {
    fn from(a: Array) -> ArrayOp {
        a.0.op.clone()
    }
}

impl TryFrom<ArrayOp> for Array {
    type Error = Error;
    fn try_from(op: ArrayOp) -> Result<Array> {
        match op {
            ArrayOp::Full {
                shape,
                chunks,
                value,
            } => Array::full(&shape, value, ChunkSpec::Explicit(chunks)),
            ArrayOp::Sum {
                input,
                axes,
                split_every,
            } => input.sum_with(
                Some(&axes.iter().map(|&a| a as isize).collect::<Vec<_>>()),
                split_every,
            ),
        }
    }
}

/// dask's default fan-in of tree reductions.
pub const DEFAULT_SPLIT_EVERY: usize = 4;

impl Array {
    fn from_op(prefix: &str, op: ArrayOp, shape: Vec<usize>, chunks: Vec<Vec<usize>>) -> Array {
        let token = match &op {
            ArrayOp::Full {
                shape,
                chunks,
                value,
            } => tokenize(&("full", shape, chunks, value.to_bits())),
            ArrayOp::Sum {
                input,
                axes,
                split_every,
            } => tokenize(&("sum", input.name(), axes, split_every)),
        };
        Array(Arc::new(Node {
            name: format!("{prefix}-{token}"),
            op,
            shape,
            chunks,
        }))
    }

    /// An array of `shape` filled with `value`.
    pub fn full(shape: &[usize], value: f64, chunks: ChunkSpec) -> Result<Array> {
        let chunks = normalize_chunks(shape, &chunks)?;
        let prefix = if value == 1.0 {
            "ones"
        } else if value == 0.0 {
            "zeros"
        } else {
            "full"
        };
        let op = ArrayOp::Full {
            shape: shape.to_vec(),
            chunks: chunks.clone(),
            value,
        };
        Ok(Array::from_op(prefix, op, shape.to_vec(), chunks))
    }

    /// An array of ones.
    pub fn ones(shape: &[usize], chunks: ChunkSpec) -> Result<Array> {
        Array::full(shape, 1.0, chunks)
    }

    /// An array of zeros.
    pub fn zeros(shape: &[usize], chunks: ChunkSpec) -> Result<Array> {
        Array::full(shape, 0.0, chunks)
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
    fn normalize_axes(&self, axes: Option<&[isize]>) -> Result<Vec<usize>> {
        let ndim = self.ndim() as isize;
        let mut out: Vec<usize> = match axes {
            None => (0..self.ndim()).collect(),
            Some(axes) => axes
                .iter()
                .map(|&a| {
                    let n = if a < 0 { a + ndim } else { a };
                    if n < 0 || n >= ndim {
                        Err(Error::invalid(format!(
                            "axis {a} is out of bounds for an array of {ndim} dimensions"
                        )))
                    } else {
                        Ok(n as usize)
                    }
                })
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

    /// Sum over `axes` (all when `None`), as a tree reduction with dask's fan-in.
    pub fn sum(&self, axes: Option<&[isize]>) -> Result<Array> {
        self.sum_with(axes, DEFAULT_SPLIT_EVERY)
    }

    /// Sum over `axes` with at most about `split_every` blocks combined per task.
    pub fn sum_with(&self, axes: Option<&[isize]>, split_every: usize) -> Result<Array> {
        if split_every < 2 {
            return Err(Error::invalid(format!(
                "split_every must be at least 2, got {split_every}"
            )));
        }
        let axes = self.normalize_axes(axes)?;
        let keep = |i: &usize| !axes.contains(i);
        let shape = (0..self.ndim())
            .filter(keep)
            .map(|i| self.shape()[i])
            .collect();
        let chunks = (0..self.ndim())
            .filter(keep)
            .map(|i| self.chunks()[i].clone())
            .collect();
        let op = ArrayOp::Sum {
            input: self.clone(),
            axes,
            split_every,
        };
        Ok(Array::from_op("sum", op, shape, chunks))
    }

    /// The key of block `index`.
    pub fn block_key(&self, index: &[u32]) -> Key {
        Key::new(self.name(), index)
    }

    /// Adds this array's block tasks to `g` (nothing when they are there already).
    fn lower_blocks(&self, g: &mut Graph) -> Result<()> {
        let first = self.block_key(&vec![0; self.ndim()]);
        if g.contains(&first) {
            return Ok(());
        }
        match &self.0.op {
            ArrayOp::Full { value, .. } => {
                for idx in block_indices(&self.numblocks()) {
                    let shape = self.block_shape(&idx);
                    g.insert(
                        self.block_key(&idx),
                        Task::new(
                            Kernel::Array(ArrayKernel::Full {
                                shape,
                                value: *value,
                            }),
                            vec![],
                        ),
                    );
                }
            }
            ArrayOp::Sum {
                input,
                axes,
                split_every,
            } => {
                input.lower_blocks(g)?;
                lower_sum(self, input, axes, *split_every, g);
            }
        }
        Ok(())
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

impl Lazy for Array {
    fn lower(&self, g: &mut Graph) -> Result<Key> {
        self.lower_blocks(g)?;
        let grid = self.numblocks();
        let indices = block_indices(&grid);
        if indices.len() == 1 {
            return Ok(self.block_key(&indices[0]));
        }
        let key = Key::named(format!("concatenate-{}", tokenize(self.name())));
        let deps = indices.iter().map(|i| self.block_key(i)).collect();
        let grid = grid.clone();
        g.insert(
            key.clone(),
            Task::new(Kernel::Array(ArrayKernel::Concat { grid }), deps),
        );
        Ok(key)
    }
}

/// Every block index of a grid, row-major.
fn block_indices(grid: &[usize]) -> Vec<Vec<u32>> {
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

/// Lowers a sum: a partial sum per block (reduced axes kept with length 1), combine
/// levels of at most `n` blocks per reduced axis (`n = split_every^(1/len(axes))`, at
/// least 2, as dask), and a final aggregate that drops the reduced axes.
fn lower_sum(out: &Array, input: &Array, axes: &[usize], split_every: usize, g: &mut Graph) {
    let token = tokenize(out.name());
    let per_axis = if axes.is_empty() {
        split_every
    } else {
        ((split_every as f64).powf(1.0 / axes.len() as f64).floor() as usize).max(2)
    };
    // Layer 0: partial sums, one per input block.
    let mut layer = format!("sum-chunk-{token}");
    let mut grid = input.numblocks();
    for idx in block_indices(&grid) {
        g.insert(
            Key::new(layer.as_str(), &idx),
            Task::new(
                Kernel::Array(ArrayKernel::SumChunk {
                    axes: axes.to_vec(),
                }),
                vec![input.block_key(&idx)],
            ),
        );
    }
    // Combine levels while some reduced axis has more than `per_axis` blocks.
    let mut level = 0u32;
    while axes.iter().any(|&a| grid[a] > per_axis) {
        level += 1;
        let next_layer = format!("sum-combine-{}", tokenize(&(&token, level)));
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
                Task::new(Kernel::Array(ArrayKernel::SumCombine), deps),
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
        // Rebuild a full index with 0 on reduced axes, then take every block along them.
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
            Task::new(
                Kernel::Array(ArrayKernel::SumAggregate {
                    axes: axes.to_vec(),
                }),
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
