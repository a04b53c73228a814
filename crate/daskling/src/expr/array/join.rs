//! Arrays joined along an axis, as dask's `concatenate` and `stack`: no data moves — an
//! output block is an input block (shared, not copied) or, for `stack`, that block with
//! a new axis of length 1. Axes other than the joined one are first rechunked to common
//! blocks, as dask's `unify_chunks`.

use super::chunks::{block_indices, common_chunks, ChunkSpec};
use super::tasks::task;
use super::{normalize_axis, not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::Graph;
use crate::kernels::ArrayKernel;

impl Array {
    /// The arrays joined along an existing `axis` (numpy's `concatenate`): their shapes
    /// must agree on every other axis.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = Array::ones(&[2, 3], ChunkSpec::Block(vec![1, 3])).unwrap();
    /// let b = Array::zeros(&[1, 3], ChunkSpec::Block(vec![1, 2])).unwrap();
    /// let c = Array::concatenate(&[a, b], 0).unwrap();
    /// assert_eq!((c.shape(), c.chunks()[0].as_slice()), (&[3, 3][..], &[1, 1, 1][..]));
    /// assert_eq!(c.sum(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 6.0);
    /// ```
    pub fn concatenate(arrays: &[Array], axis: isize) -> Result<Array> {
        let first = arrays
            .first()
            .ok_or_else(|| Error::invalid("concatenate needs at least one array"))?;
        let axis = normalize_axis(axis, first.ndim())?;
        let inputs = unified(arrays, Some(axis), "concatenate")?;
        Array::build(ArrayOp::Concatenate { inputs, axis })
    }

    /// The arrays (all of one shape) joined along a new `axis` (numpy's `stack`).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = Array::ones(&[3], ChunkSpec::Block(vec![2])).unwrap();
    /// let b = Array::zeros(&[3], ChunkSpec::Block(vec![3])).unwrap();
    /// let s = Array::stack(&[a, b], -1).unwrap();
    /// assert_eq!(s.shape(), &[3, 2]);
    /// let v = s.compute(Scheduler::Sync).unwrap();
    /// assert_eq!((v[[2, 0]], v[[2, 1]]), (1.0, 0.0));
    /// ```
    pub fn stack(arrays: &[Array], axis: isize) -> Result<Array> {
        let first = arrays
            .first()
            .ok_or_else(|| Error::invalid("stack needs at least one array"))?;
        let axis = normalize_axis(axis, first.ndim() + 1)?;
        if let Some(other) = arrays.iter().find(|a| a.shape() != first.shape()) {
            return Err(Error::invalid(format!(
                "stack: all input arrays must have the same shape, got {:?} and {:?}",
                first.shape(),
                other.shape()
            )));
        }
        let inputs = unified(arrays, None, "stack")?;
        Array::build(ArrayOp::Stack { inputs, axis })
    }
}

/// The arrays rechunked to common blocks on every axis but `skip`, after checking that
/// they have one number of dimensions and agree in length there.
fn unified(arrays: &[Array], skip: Option<usize>, what: &str) -> Result<Vec<Array>> {
    let first = &arrays[0];
    for a in arrays {
        let agree = a.ndim() == first.ndim()
            && (0..a.ndim()).all(|d| Some(d) == skip || a.shape()[d] == first.shape()[d]);
        if !agree {
            return Err(Error::invalid(format!(
                "{what}: the arrays' shapes must agree except along the axis, got {:?} and {:?}",
                first.shape(),
                a.shape()
            )));
        }
    }
    let chunks: Vec<Vec<usize>> = (0..first.ndim())
        .map(|d| {
            arrays[1..]
                .iter()
                .fold(first.chunks()[d].clone(), |acc, a| {
                    common_chunks(&acc, &a.chunks()[d])
                })
        })
        .collect();
    arrays
        .iter()
        .map(|a| {
            let mut want = chunks.clone();
            if let Some(d) = skip {
                want[d] = a.chunks()[d].clone();
            }
            a.rechunk(ChunkSpec::Explicit(want))
        })
        .collect()
}

/// Shape and chunks of the joined array.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    match op {
        ArrayOp::Concatenate { inputs, axis } => {
            let first = inputs
                .first()
                .ok_or_else(|| Error::invalid("concatenate of nothing"))?;
            let mut shape = first.shape().to_vec();
            let mut chunks = first.chunks().to_vec();
            if *axis >= shape.len() {
                return Err(Error::invalid(format!(
                    "concatenate: axis {axis} of {}-d arrays",
                    shape.len()
                )));
            }
            shape[*axis] = inputs.iter().map(|a| a.shape()[*axis]).sum();
            chunks[*axis] = inputs
                .iter()
                .flat_map(|a| a.chunks()[*axis].clone())
                .collect();
            for a in inputs {
                let same = (0..a.ndim()).all(|d| d == *axis || a.chunks()[d] == first.chunks()[d]);
                if a.ndim() != first.ndim() || !same {
                    return Err(Error::invalid("concatenate: inputs with unaligned chunks"));
                }
            }
            Ok(Meta::new("concatenate", shape, chunks))
        }
        ArrayOp::Stack { inputs, axis } => {
            let first = inputs
                .first()
                .ok_or_else(|| Error::invalid("stack of nothing"))?;
            if *axis > first.ndim() || inputs.iter().any(|a| a.chunks() != first.chunks()) {
                return Err(Error::invalid("stack: inputs with unaligned chunks"));
            }
            let mut shape = first.shape().to_vec();
            let mut chunks = first.chunks().to_vec();
            shape.insert(*axis, inputs.len());
            chunks.insert(*axis, vec![1; inputs.len()]);
            Ok(Meta::new("stack", shape, chunks))
        }
        _ => Err(not_mine("join")),
    }
}

/// Each output block: the input block it is (shared), or it with the new axis.
pub(super) fn lower(out: &Array, g: &mut Graph) -> Result<()> {
    match out.op() {
        ArrayOp::Concatenate { inputs, axis } => {
            let mut first_block = 0u32;
            for a in inputs {
                for idx in block_indices(&a.numblocks()) {
                    let mut at = idx.clone();
                    at[*axis] += first_block;
                    let shape = a.block_shape(&idx);
                    // A whole block cut out of itself: the kernel hands the block on.
                    let k = ArrayKernel::Assemble {
                        grid: vec![1; shape.len()],
                        ranges: shape.iter().map(|&n| vec![(0, n)]).collect(),
                    };
                    g.insert(out.block_key(&at), task(k, vec![a.block_key(&idx)]));
                }
                first_block += a.numblocks()[*axis] as u32;
            }
        }
        ArrayOp::Stack { inputs, axis } => {
            for (i, a) in inputs.iter().enumerate() {
                for idx in block_indices(&a.numblocks()) {
                    let mut at = idx.clone();
                    at.insert(*axis, i as u32);
                    let k = ArrayKernel::ExpandDims { axis: *axis };
                    g.insert(out.block_key(&at), task(k, vec![a.block_key(&idx)]));
                }
            }
        }
        _ => return Err(not_mine("join")),
    }
    Ok(())
}

/// The `dask.array` line: `da.concatenate([a, b], axis=0)`, `da.stack([a, b], axis=1)`.
pub(super) fn dask(out: &Array, s: &mut Script) -> Result<Line> {
    let (f, inputs, axis) = match out.op() {
        ArrayOp::Concatenate { inputs, axis } => ("concatenate", inputs, axis),
        ArrayOp::Stack { inputs, axis } => ("stack", inputs, axis),
        _ => return Err(not_mine("join")),
    };
    let names = inputs
        .iter()
        .map(|a| s.var(a.name()).map(str::to_string))
        .collect::<Result<Vec<_>>>()?;
    Ok((
        f.into(),
        format!("da.{f}([{}], axis={axis})", names.join(", ")),
    ))
}
