//! Cumulative sums and products of blocks along an axis ([`ScanOp`]): each block is
//! accumulated on its own, then the running total of the blocks before it (along the
//! axis) is added or multiplied in, as dask's `cumreduction`.

use ndarray::{ArrayD, Axis};

use daskling_core::{Error, Result};

crate::name_table! {
    /// A cumulative reduction of arrays along one axis: one row each.
    pub enum ScanOp {
        CumSum = "cumsum": "Running sums along `axis` (numpy's `cumsum`; a NaN makes the rest NaN).",
        CumProd = "cumprod": "Running products along `axis` (numpy's `cumprod`).",
        NanCumSum = "nancumsum": "Running sums along `axis`, NaN counted as 0.",
        NanCumProd = "nancumprod": "Running products along `axis`, NaN counted as 1.",
    }
}

impl ScanOp {
    /// Whether the running value is a product (else a sum).
    pub fn is_product(self) -> bool {
        matches!(self, ScanOp::CumProd | ScanOp::NanCumProd)
    }

    /// Whether NaN values are replaced by the identity first (the `nan` rows, which dask
    /// spells as functions: `da.nancumsum(x, axis=0)`).
    pub fn skips_nan(self) -> bool {
        matches!(self, ScanOp::NanCumSum | ScanOp::NanCumProd)
    }

    /// The block accumulated along `axis`.
    pub fn cumulate(self, key: &str, b: &ArrayD<f64>, axis: usize) -> Result<ArrayD<f64>> {
        if axis >= b.ndim() {
            return Err(Error::invalid(format!(
                "{key}: axis {axis} of a {}-d block",
                b.ndim()
            )));
        }
        let identity = if self.is_product() { 1.0 } else { 0.0 };
        let mut out = if self.skips_nan() {
            b.mapv(|x| if x.is_nan() { identity } else { x })
        } else {
            b.to_owned()
        };
        if self.is_product() {
            out.accumulate_axis_inplace(Axis(axis), |&prev, cur| *cur *= prev);
        } else {
            out.accumulate_axis_inplace(Axis(axis), |&prev, cur| *cur += prev);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn each_row_accumulates_along_its_axis() {
        let b = ndarray::array![[1.0, 2.0, 3.0], [4.0, f64::NAN, 6.0]].into_dyn();
        let row = |a: &ArrayD<f64>, r: usize| {
            a.index_axis(Axis(0), r).iter().copied().collect::<Vec<_>>()
        };
        let s0 = ScanOp::CumSum.cumulate("k", &b, 0).unwrap();
        assert_eq!(row(&s0, 1)[0], 5.0);
        let s1 = ScanOp::CumSum.cumulate("k", &b, 1).unwrap();
        assert_eq!(row(&s1, 0), vec![1.0, 3.0, 6.0]);
        assert!(s1[[1, 1]].is_nan() && s1[[1, 2]].is_nan());
        let n1 = ScanOp::NanCumSum.cumulate("k", &b, 1).unwrap();
        assert_eq!(row(&n1, 1), vec![4.0, 4.0, 10.0]);
        let p1 = ScanOp::NanCumProd.cumulate("k", &b, 1).unwrap();
        assert_eq!(row(&p1, 1), vec![4.0, 4.0, 24.0]);
        assert!(ScanOp::CumProd.cumulate("k", &b, 2).is_err());
    }
}
