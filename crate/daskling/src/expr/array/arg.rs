//! `argmin` / `argmax`, as dask's: a `(value, index)` partial per block (indices of the
//! whole array), then one task per result block merging the partials of its line along
//! the axis — or of every block, for the flattened array's index (a 0-d result).

use super::chunks::{block_indices, offsets};
use super::tasks::task;
use super::{normalize_axis, not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::array::ArgOp;
use crate::kernels::ArrayKernel;

impl Array {
    /// The index of the smallest or largest value along `axis` (negative counts from the
    /// end), or in the flattened array (C order) when `None`; as numpy, the first of ties
    /// and the first NaN if there is one.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::kernels::array::ArgOp;
    /// let x = Array::from_array(ndarray::array![[3.0, 9.0, 2.0], [9.0, 1.0, 9.0]].into_dyn(), ChunkSpec::Block(vec![1, 2])).unwrap();
    /// let cols = x.arg(ArgOp::ArgMax, Some(1)).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(cols.into_raw_vec_and_offset().0, vec![1.0, 0.0]);
    /// let flat = x.arg(ArgOp::ArgMin, None).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(flat.sum(), 4.0);
    /// ```
    pub fn arg(&self, op: ArgOp, axis: Option<isize>) -> Result<Array> {
        let axis = axis.map(|a| normalize_axis(a, self.ndim())).transpose()?;
        Array::build(ArrayOp::Arg {
            input: self.clone(),
            op,
            axis,
        })
    }
}

/// Shape and chunks: the input's without the axis (0-d for the flattened array).
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    let ArrayOp::Arg { input, op, axis } = op else {
        return Err(not_mine("arg"));
    };
    let empty = match axis {
        Some(ax) if *ax >= input.ndim() => {
            return Err(Error::invalid(format!(
                "{}: axis {ax} is out of bounds for an array of {} dimensions",
                op.name(),
                input.ndim()
            )))
        }
        Some(ax) => input.shape()[*ax] == 0,
        None => input.shape().contains(&0),
    };
    if empty {
        return Err(Error::invalid(format!(
            "{}: attempt to get {} of an empty sequence (shape {:?})",
            op.name(),
            op.name(),
            input.shape()
        )));
    }
    let keep = |d: &usize| Some(*d) != *axis && axis.is_some();
    let dims: Vec<usize> = (0..input.ndim()).filter(keep).collect();
    Ok(Meta::new(
        op.name(),
        dims.iter().map(|&d| input.shape()[d]).collect(),
        dims.iter().map(|&d| input.chunks()[d].clone()).collect(),
    ))
}

/// A partial per input block; a merge per output block.
pub(super) fn lower(out: &Array, g: &mut Graph) -> Result<()> {
    let ArrayOp::Arg { input, op, axis } = out.op() else {
        return Err(not_mine("arg"));
    };
    let chunk =
        |idx: &[u32]| Key::new(format!("{}-chunk-{}", op.name(), tokenize(out.name())), idx);
    let starts: Vec<Vec<usize>> = input.chunks().iter().map(|c| offsets(c)).collect();
    let grid = input.numblocks();
    for idx in block_indices(&grid) {
        let origin = idx
            .iter()
            .enumerate()
            .map(|(d, &i)| starts[d][i as usize])
            .collect();
        let k = ArrayKernel::ArgChunk {
            op: *op,
            axis: *axis,
            origin,
            shape: input.shape().to_vec(),
        };
        g.insert(chunk(&idx), task(k, vec![input.block_key(&idx)]));
    }
    let merge = ArrayKernel::ArgAggregate {
        op: *op,
        axis: *axis,
    };
    match axis {
        None => {
            let deps = block_indices(&grid).iter().map(|i| chunk(i)).collect();
            g.insert(out.block_key(&[]), task(merge, deps));
        }
        Some(ax) => {
            for idx in block_indices(&out.numblocks()) {
                let deps = (0..grid[*ax] as u32)
                    .map(|i| {
                        let mut full = idx.clone();
                        full.insert(*ax, i);
                        chunk(&full)
                    })
                    .collect();
                g.insert(out.block_key(&idx), task(merge.clone(), deps));
            }
        }
    }
    Ok(())
}

/// The `dask.array` line: `x.argmax(axis=1)`, `x.argmin()` (as float: daskling's indices
/// are float64).
pub(super) fn dask(out: &Array, s: &mut Script) -> Result<Line> {
    let ArrayOp::Arg { input, op, axis } = out.op() else {
        return Err(not_mine("arg"));
    };
    let x = s.var(input.name())?;
    let m = op.name();
    let args = axis.map(|a| format!("axis={a}")).unwrap_or_default();
    Ok((m.into(), format!("{x}.{m}({args}).astype(float)")))
}
