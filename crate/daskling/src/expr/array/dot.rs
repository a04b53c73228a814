//! Matrix products of 1-d and 2-d arrays (`dot`, `matmul`): per output block, the
//! products of its row and column blocks, in groups along the shared axis whose partial
//! products are summed; symmetric products (`x · xᵀ`) compute half the blocks.

use super::chunks::{block_indices, common_chunks, ChunkSpec};
use super::tasks::task;
use super::{not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::array::BinaryOp;
use crate::kernels::ArrayKernel;

impl Array {
    /// Matrix product of 1-d or 2-d arrays, as numpy's `dot` (a 0-d operand multiplies);
    /// chunks of the shared axis are aligned first.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    /// // x.dot(x.T + 1): every element is 15 * 2.
    /// let y = x.dot(&x.t().add_scalar(1.0).unwrap()).unwrap();
    /// assert_eq!(y.shape(), &[15, 15]);
    /// assert!(y.compute(Scheduler::Threads).unwrap().iter().all(|&v| v == 30.0));
    /// ```
    pub fn dot(&self, other: &Array) -> Result<Array> {
        if self.ndim() == 0 || other.ndim() == 0 {
            return self.mul(other);
        }
        self.matmul(other)
    }

    /// Matrix product of 1-d or 2-d arrays, as numpy's `matmul` (0-d is an error).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = Array::ones(&[2, 3], ChunkSpec::Block(vec![1, 2])).unwrap();
    /// let b = Array::ones(&[3, 2], ChunkSpec::Block(vec![3, 1])).unwrap(); // chunks aligned first
    /// let c = a.matmul(&b).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert!(c.iter().all(|&v| v == 3.0));
    /// assert!(a.matmul(&Array::ones(&[2], ChunkSpec::Block(vec![2])).unwrap()).is_err());
    /// ```
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
}

fn dot_meta(left: &Array, right: &Array) -> Result<(Vec<usize>, Vec<Vec<usize>>)> {
    if !(1..=2).contains(&left.ndim()) || !(1..=2).contains(&right.ndim()) {
        return Err(Error::invalid("dot needs 1-d or 2-d operands"));
    }
    let ka = left.ndim() - 1;
    if left.shape()[ka] != right.shape()[0] || left.chunks()[ka] != right.chunks()[0] {
        return Err(Error::invalid(format!(
            "dot: shared axis of {:?} (chunks {}) and {:?} (chunks {}) do not agree",
            left.shape(),
            super::chunks::axis_summary(&left.chunks()[ka]),
            right.shape(),
            super::chunks::axis_summary(&right.chunks()[0])
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

/// Shape, chunks and name prefix of a dot operation.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    Ok(match op {
        ArrayOp::Dot { left, right } => {
            let (shape, chunks) = dot_meta(left, right)?;
            Meta::new("dot", shape, chunks)
        }
        _ => return Err(not_mine("dot")),
    })
}

/// The array whose blocks a 2-d operand's blocks are, and whether they are transposed:
/// block (i, j) of `x.T` is block (j, i) of `x`, which the product reads as a transposed
/// view (no transpose task in between, and none of `x.T`'s blocks is made).
fn operand(a: &Array) -> (&Array, bool) {
    match a.op() {
        ArrayOp::Transpose { input, axes } if a.ndim() == 2 && axes[..] == [1, 0] => (input, true),
        _ => (a, false),
    }
}

/// Blocks of the shared axis one product task multiplies (twice as many on the diagonal
/// of a symmetric product): more are split into groups whose partial products are summed
/// (as dask's `tensordot` sums per-block products), so few output blocks over a long
/// shared axis still run in parallel, and the tasks cost about the same, so they balance
/// on the pool.
const K_GROUP: usize = 2;

/// Adds the tasks of every block of `a`, a dot operation whose inputs are lowered. For
/// `x.dot(x.T)` (and `x.T.dot(x)`, whose left is the transpose) only the blocks on and
/// above the diagonal are products (SYRK's half of the work); the others transpose their
/// mirror block. The blocks on the diagonal are symmetric themselves: only their upper
/// triangles are multiplied ([`ArrayKernel::SymDot`]). A block whose shared axis has more
/// than [`K_GROUP`] blocks is the sum of partial products over groups of them.
pub(super) fn lower(a: &Array, g: &mut Graph) -> Result<()> {
    let grid = a.numblocks();
    match a.op() {
        ArrayOp::Dot { left, right } => {
            let nk = right.numblocks()[0] as u32;
            let ((lsrc, lt), (rsrc, rt)) = (operand(left), operand(right));
            // `x · xᵀ` or `xᵀ · x`: symmetric, block (i, j) below the diagonal is block
            // (j, i) transposed.
            let mirror = (rt && rsrc.name() == left.name()) || (lt && lsrc.name() == right.name());
            let token = tokenize(a.name());
            for idx in block_indices(&grid) {
                if mirror && idx[0] > idx[1] {
                    let above = a.block_key(&[idx[1], idx[0]]);
                    g.insert(
                        a.block_key(&idx),
                        task(ArrayKernel::Transpose { axes: vec![1, 0] }, vec![above]),
                    );
                    continue;
                }
                let (i, j) = match (left.ndim(), right.ndim()) {
                    (2, 2) => (Some(idx[0]), Some(idx[1])),
                    (2, _) => (Some(idx[0]), None),
                    (_, 2) => (None, Some(idx[0])),
                    _ => (None, None),
                };
                let lkey = |l: u32| match i {
                    Some(i) if lt => lsrc.block_key(&[l, i]),
                    Some(i) => left.block_key(&[i, l]),
                    None => left.block_key(&[l]),
                };
                let rkey = |l: u32| match j {
                    Some(j) if rt => rsrc.block_key(&[j, l]),
                    Some(j) => right.block_key(&[l, j]),
                    None => right.block_key(&[l]),
                };
                let diagonal = mirror && idx[0] == idx[1];
                let product = |ks: std::ops::Range<u32>| {
                    let n = ks.len();
                    if diagonal {
                        // On the diagonal: Σₗ aᵢₗ · aᵢₗᵀ, itself symmetric (SYRK).
                        let kernel = ArrayKernel::SymDot {
                            nk: n,
                            transposed: lt,
                        };
                        task(kernel, ks.map(lkey).collect())
                    } else {
                        let deps = ks.clone().map(lkey).chain(ks.map(rkey)).collect();
                        let kernel = ArrayKernel::Dot {
                            nk: n,
                            transposed: [lt, rt],
                        };
                        task(kernel, deps)
                    }
                };
                // A diagonal block multiplies half of each pair of blocks (SYRK): twice
                // as many of them make a task of the same cost as the others, so the
                // tasks are alike and end together on the pool.
                let group = if diagonal { 2 * K_GROUP } else { K_GROUP };
                let groups: Vec<_> = (0..nk)
                    .step_by(group)
                    .map(|s| s..(s + group as u32).min(nk))
                    .collect();
                if groups.len() == 1 {
                    g.insert(a.block_key(&idx), product(0..nk));
                    continue;
                }
                let partial = format!("dot-partial-{token}");
                let parts = groups
                    .into_iter()
                    .enumerate()
                    .map(|(p, ks)| {
                        let key = Key::new(partial.as_str(), &[&idx[..], &[p as u32]].concat());
                        g.insert(key.clone(), product(ks));
                        key
                    })
                    .collect();
                sum_pairwise(g, parts, a.block_key(&idx), &token, &idx);
            }
        }
        _ => return Err(not_mine("dot")),
    }
    Ok(())
}

/// Adds `out` = the sum of the blocks `parts` (at least two), added pairwise in a tree.
fn sum_pairwise(g: &mut Graph, mut parts: Vec<Key>, out: Key, token: &str, idx: &[u32]) {
    let layer = format!("dot-sum-{token}");
    let add = |deps| task(ArrayKernel::Binary(BinaryOp::Add), deps);
    let mut level = 0u32;
    while parts.len() > 2 {
        level += 1;
        parts = parts
            .chunks(2)
            .enumerate()
            .map(|(p, pair)| match pair {
                [one] => one.clone(),
                _ => {
                    let key = Key::new(layer.as_str(), &[idx, &[level, p as u32]].concat());
                    g.insert(key.clone(), add(pair.to_vec()));
                    key
                }
            })
            .collect();
    }
    g.insert(out, add(parts));
}

/// The `dask.array` line of a matrix product: `x.dot(y)`.
pub(super) fn dask(a: &Array, s: &mut Script) -> Result<Line> {
    let ArrayOp::Dot { left, right } = a.op() else {
        return Err(not_mine("dot"));
    };
    let (l, r) = (s.var(left.name())?, s.var(right.name())?);
    Ok(("dot".into(), format!("{l}.dot({r})")))
}
