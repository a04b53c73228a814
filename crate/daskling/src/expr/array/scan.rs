//! Cumulative sums and products along an axis, as dask's `cumsum` / `cumprod`: every
//! block accumulated on its own, then along the axis a chain of running totals — each
//! block's last slice combined with the total before it — added (multiplied) into the
//! next block. The blocks of other lines of the axis are independent.

use super::tasks::task;
use super::{normalize_axis, not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::array::{AxisSlice, BinaryOp, ScanOp};
use crate::kernels::ArrayKernel;

use super::chunks::block_indices;

impl Array {
    /// A cumulative sum or product along `axis` (negative counts from the end; `None`
    /// only for a 1-d array, as daskling does not flatten).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::kernels::array::ScanOp;
    /// let x = Array::arange(1.0, 7.0, 1.0, 4).unwrap();
    /// let c = x.scan(ScanOp::CumSum, None).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(c.into_raw_vec_and_offset().0, vec![1.0, 3.0, 6.0, 10.0, 15.0, 21.0]);
    /// ```
    pub fn scan(&self, op: ScanOp, axis: Option<isize>) -> Result<Array> {
        let axis = match axis {
            Some(a) => normalize_axis(a, self.ndim())?,
            None if self.ndim() == 1 => 0,
            None => {
                return Err(Error::invalid(format!(
                    "{}: give an axis for a {}-d array (numpy flattens it first; \
                     daskling does not)",
                    op.name(),
                    self.ndim()
                )))
            }
        };
        Array::build(ArrayOp::Scan {
            input: self.clone(),
            op,
            axis,
        })
    }
}

/// Shape, chunks and name prefix: those of the input.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    match op {
        ArrayOp::Scan { input, op, axis } => {
            if *axis >= input.ndim() {
                return Err(Error::invalid(format!(
                    "{}: axis {axis} is out of bounds for an array of {} dimensions",
                    op.name(),
                    input.ndim()
                )));
            }
            Ok(Meta::new(
                op.name(),
                input.shape().to_vec(),
                input.chunks().to_vec(),
            ))
        }
        _ => Err(not_mine("scan")),
    }
}

/// Per block: its accumulation; along the axis, the running totals and the sums.
pub(super) fn lower(out: &Array, g: &mut Graph) -> Result<()> {
    let ArrayOp::Scan { input, op, axis } = out.op() else {
        return Err(not_mine("scan"));
    };
    let axis = *axis;
    let combine = if op.is_product() {
        BinaryOp::Mul
    } else {
        BinaryOp::Add
    };
    let tk = tokenize(out.name());
    let layer = |what: &str, idx: &[u32]| Key::new(format!("{}-{what}-{tk}", op.name()), idx);
    for idx in block_indices(&out.numblocks()) {
        let i = idx[axis];
        let cumulated = if i == 0 {
            out.block_key(&idx)
        } else {
            layer("chunk", &idx)
        };
        let k = ArrayKernel::Cumulate { op: *op, axis };
        g.insert(cumulated.clone(), task(k, vec![input.block_key(&idx)]));
        if i + 1 < out.numblocks()[axis] as u32 {
            // The block's last slice along the axis, kept as length 1.
            let shape = out.block_shape(&idx);
            let axes = shape
                .iter()
                .enumerate()
                .map(|(ax, &n)| AxisSlice {
                    first: if ax == axis { n - 1 } else { 0 },
                    step: 1,
                    len: if ax == axis { 1 } else { n },
                })
                .collect();
            let k = ArrayKernel::Slice { axes, drop: vec![] };
            g.insert(layer("last", &idx), task(k, vec![cumulated.clone()]));
        }
        if i > 0 {
            let at = |j: u32| {
                let mut x = idx.clone();
                x[axis] = j;
                x
            };
            // The running total before block j: block 0's last slice for j = 1, else a
            // task combining the total before j−1 with block j−1's last slice.
            let before = |j: u32| {
                if j == 1 {
                    layer("last", &at(0))
                } else {
                    layer("total", &at(j))
                }
            };
            if i > 1 {
                let deps = vec![before(i - 1), layer("last", &at(i - 1))];
                g.insert(before(i), task(ArrayKernel::Binary(combine), deps));
            }
            let deps = vec![cumulated, before(i)];
            g.insert(
                out.block_key(&idx),
                task(ArrayKernel::Binary(combine), deps),
            );
        }
    }
    Ok(())
}

/// The `dask.array` line: `x.cumsum(axis=0)`, `da.nancumsum(x, axis=0)`.
pub(super) fn dask(out: &Array, s: &mut Script) -> Result<Line> {
    let ArrayOp::Scan { input, op, axis } = out.op() else {
        return Err(not_mine("scan"));
    };
    let x = s.var(input.name())?;
    let m = op.name();
    let code = if op.skips_nan() {
        format!("da.{m}({x}, axis={axis})")
    } else {
        format!("{x}.{m}(axis={axis})")
    };
    Ok((m.into(), code))
}
