//! `argmin` / `argmax` of blocks ([`ArgOp`]): each block gives, per position of the
//! result, its best value and that value's index in the whole array (along the axis, or
//! flattened in C order); the partials of one result position are then merged. As numpy:
//! the first of equal values wins, and a NaN beats every number (the first NaN wins).

use ndarray::{ArrayD, ArrayViewD, Axis, IxDyn};

use daskling_core::{Error, Result};

crate::name_table! {
    /// An index-of-extreme reduction of arrays: one row each.
    pub enum ArgOp {
        ArgMin = "argmin": "The index of the smallest value along `axis` (of the flattened array when omitted); the first of ties, the first NaN if any.",
        ArgMax = "argmax": "The index of the largest value along `axis` (of the flattened array when omitted); the first of ties, the first NaN if any.",
    }
}

impl ArgOp {
    /// Whether `(w, j)` beats the best so far `(v, i)`.
    fn beats(self, (v, i): (f64, f64), (w, j): (f64, f64)) -> bool {
        if v.is_nan() {
            return w.is_nan() && j < i;
        }
        if w.is_nan() {
            return true;
        }
        match self {
            ArgOp::ArgMin => w < v || (w == v && j < i),
            ArgOp::ArgMax => w > v || (w == v && j < i),
        }
    }

    /// The best `(value, index)` of `(value, index)` pairs.
    fn best(self, items: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
        let mut acc: Option<(f64, f64)> = None;
        for it in items {
            acc = Some(match acc {
                Some(a) if !self.beats(a, it) => a,
                _ => it,
            });
        }
        acc.unwrap_or((f64::NAN, -1.0))
    }

    /// A block's partial: `[values, indices]` stacked on a new first axis. Along `axis`
    /// (kept with length 1) indices count from the array's start (`origin[axis]`
    /// before the block); with no axis, one pair whose index is the element's position in
    /// the flattened array of `shape` (`origin`: the block's first element).
    pub fn chunk(
        self,
        key: &str,
        b: &ArrayD<f64>,
        axis: Option<usize>,
        origin: &[usize],
        shape: &[usize],
    ) -> Result<ArrayD<f64>> {
        if origin.len() != b.ndim() || shape.len() != b.ndim() {
            return Err(Error::invalid(format!(
                "{key}: origin and shape of {}-d",
                b.ndim()
            )));
        }
        match axis {
            Some(ax) if ax < b.ndim() => {
                let start = origin[ax] as f64;
                let pairs = b.map_axis(Axis(ax), |lane| {
                    self.best(lane.iter().enumerate().map(|(i, &v)| (v, start + i as f64)))
                });
                let vals = pairs.mapv(|p| p.0).insert_axis(Axis(ax));
                let idx = pairs.mapv(|p| p.1).insert_axis(Axis(ax));
                ndarray::stack(Axis(0), &[vals.view(), idx.view()])
                    .map_err(|e| Error::invalid(format!("{key}: {e}")))
            }
            Some(ax) => Err(Error::invalid(format!(
                "{key}: axis {ax} of a {}-d block",
                b.ndim()
            ))),
            None => {
                let strides: Vec<f64> = (0..shape.len())
                    .map(|d| shape[d + 1..].iter().product::<usize>() as f64)
                    .collect();
                let flat = |i: &IxDyn| -> f64 {
                    (0..shape.len())
                        .map(|d| (origin[d] + i[d]) as f64 * strides[d])
                        .sum()
                };
                let (v, i) = self.best(b.indexed_iter().map(|(i, &v)| (v, flat(&i))));
                Ok(ArrayD::from_shape_vec(IxDyn(&[2]), vec![v, i])
                    .unwrap_or_else(|_| ArrayD::zeros(IxDyn(&[2]))))
            }
        }
    }

    /// Merges same-shape partials and gives the indices, the kept axis (`axis`) dropped.
    pub fn aggregate(
        self,
        key: &str,
        parts: &[&ArrayD<f64>],
        axis: Option<usize>,
    ) -> Result<ArrayD<f64>> {
        let first = parts
            .first()
            .ok_or_else(|| Error::invalid(format!("{key}: no partials")))?;
        if parts.iter().any(|p| p.shape() != first.shape()) || first.shape().first() != Some(&2) {
            return Err(Error::invalid(format!(
                "{key}: partials of different shapes"
            )));
        }
        let views: Vec<(ArrayViewD<f64>, ArrayViewD<f64>)> = parts
            .iter()
            .map(|p| (p.index_axis(Axis(0), 0), p.index_axis(Axis(0), 1)))
            .collect();
        let out = ArrayD::from_shape_fn(views[0].0.raw_dim(), |pos| {
            self.best(views.iter().map(|(v, i)| (v[&pos], i[&pos]))).1
        });
        match axis {
            Some(ax) if ax < out.ndim() => Ok(out.index_axis_move(Axis(ax), 0)),
            _ => out
                .into_shape_with_order(IxDyn(&[]))
                .map_err(|e| Error::invalid(format!("{key}: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn blocks_merge_to_the_first_extreme_and_nan_wins() {
        // [[3, 9, 9], [9, 1, NaN]] split after column 1.
        let a = ndarray::array![[3.0, 9.0], [9.0, 1.0]].into_dyn();
        let b = ndarray::array![[9.0], [f64::NAN]].into_dyn();
        let shape = [2, 3];
        let part = |op: ArgOp, x: &ArrayD<f64>, col: usize, axis| {
            op.chunk("k", x, axis, &[0, col], &shape).unwrap()
        };
        let max1 = ArgOp::ArgMax
            .aggregate(
                "k",
                &[
                    &part(ArgOp::ArgMax, &a, 0, Some(1)),
                    &part(ArgOp::ArgMax, &b, 2, Some(1)),
                ],
                Some(1),
            )
            .unwrap();
        // Row 0: the first 9 (column 1); row 1: the NaN (column 2).
        assert_eq!(max1, ndarray::array![1.0, 2.0].into_dyn());
        let min_flat = ArgOp::ArgMin
            .aggregate(
                "k",
                &[
                    &part(ArgOp::ArgMin, &a, 0, None),
                    &part(ArgOp::ArgMin, &b, 2, None),
                ],
                None,
            )
            .unwrap();
        // The NaN at flat position 5 beats the 1 at position 4.
        assert_eq!(min_flat, ndarray::arr0(5.0).into_dyn());
        let clean = ndarray::array![[3.0, 9.0], [9.0, 1.0]].into_dyn();
        let p = part(ArgOp::ArgMin, &clean, 0, None);
        // The 1 at (1, 1) of the 2x3 array: flat position 4.
        assert_eq!(
            ArgOp::ArgMin.aggregate("k", &[&p], None).unwrap(),
            ndarray::arr0(4.0).into_dyn()
        );
    }
}
