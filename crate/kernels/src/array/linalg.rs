//! Matrix products of blocks (GEMM, SYRK) for chunked `dot`; the factorizations are in
//! [`super::factor`].

use ndarray::{Array2, ArrayD, ArrayView2, ArrayViewMut2, Axis, Ix2};

use daskling_core::{Error, Result};

/// `c += a · b`.
pub(crate) fn gemm_acc(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut ArrayViewMut2<f64>) {
    super::gemm::gemm_acc(a, b, c)
}

/// A 2-d view of a block for a product (a 1-d block as a row if `vec_as_row`, else a
/// column), transposed (a view) if `t`: only 2-d blocks can be.
fn as2t<'a>(
    key: &str,
    x: &'a ArrayD<f64>,
    vec_as_row: bool,
    t: bool,
) -> Result<ArrayView2<'a, f64>> {
    if t && x.ndim() != 2 {
        return Err(Error::invalid(format!(
            "{key}: only a 2-d block enters a product transposed, got {}-d",
            x.ndim()
        )));
    }
    match x.ndim() {
        2 => x
            .view()
            .into_dimensionality::<Ix2>()
            .map(|v| if t { v.reversed_axes() } else { v })
            .map_err(|e| Error::invalid(format!("{key}: {e}"))),
        1 => {
            let v = x.view().into_dimensionality::<ndarray::Ix1>();
            let v = v.map_err(|e| Error::invalid(format!("{key}: {e}")))?;
            Ok(if vec_as_row {
                v.insert_axis(Axis(0))
            } else {
                v.insert_axis(Axis(1))
            })
        }
        n => Err(Error::invalid(format!(
            "{key}: a matrix product needs 1-d or 2-d blocks, got {n}-d"
        ))),
    }
}

/// One output block of a chunked matrix product: `Σₗ aₗ · bₗ` over the `nk` blocks of
/// the shared axis (`inputs` = the `a` blocks, then the `b` blocks). 1-d operands act as
/// a row (left) or column (right) vector and their axis is dropped from the result.
/// `transposed[0]` (`[1]`): the `a` (`b`) blocks are multiplied transposed.
pub(crate) fn dot(
    key: &str,
    nk: usize,
    transposed: [bool; 2],
    inputs: &[&ArrayD<f64>],
) -> Result<ArrayD<f64>> {
    if inputs.len() != 2 * nk || nk == 0 {
        return Err(Error::invalid(format!(
            "{key}: expected {} blocks, got {}",
            2 * nk,
            inputs.len()
        )));
    }
    let (left, right) = inputs.split_at(nk);
    let (lvec, rvec) = (left[0].ndim() == 1, right[0].ndim() == 1);
    let [ta, tb] = transposed;
    let m = as2t(key, left[0], true, ta)?.nrows();
    let n = as2t(key, right[0], false, tb)?.ncols();
    let mut c = Array2::<f64>::zeros((m, n));
    for (a, b) in left.iter().zip(right) {
        let a = as2t(key, a, true, ta)?;
        let b = as2t(key, b, false, tb)?;
        if a.ncols() != b.nrows() || a.nrows() != m || b.ncols() != n {
            return Err(Error::invalid(format!(
                "{key}: block shapes {:?} and {:?} do not multiply into {m}x{n}",
                a.shape(),
                b.shape()
            )));
        }
        gemm_acc(a, b, &mut c.view_mut());
        // A cancelled GEMM returns early: its partial sum must not be a result.
        daskling_core::cancel::check()?;
    }
    let mut out = c.into_dyn();
    if rvec {
        out = out.index_axis_move(Axis(1), 0);
    }
    if lvec {
        out = out.index_axis_move(Axis(0), 0);
    }
    Ok(out)
}

/// One block on the diagonal of `x · xᵀ`: `Σₗ aₗ · aₗᵀ` over the `nk` 2-d blocks
/// `inputs` (row block `i` of `x`, one per block of the shared axis); with `transposed`,
/// `Σₗ aₗᵀ · aₗ` (the diagonal of `xᵀ · x`, from column block `i` of `x`). Only the upper
/// triangle is multiplied; the lower one is its mirror, so the block is exactly symmetric.
pub(crate) fn sym_dot(
    key: &str,
    nk: usize,
    transposed: bool,
    inputs: &[&ArrayD<f64>],
) -> Result<ArrayD<f64>> {
    if inputs.len() != nk || nk == 0 {
        return Err(Error::invalid(format!(
            "{key}: expected {nk} blocks, got {}",
            inputs.len()
        )));
    }
    let m = as2t(key, inputs[0], false, transposed)?.nrows();
    let mut c = Array2::<f64>::zeros((m, m));
    for a in inputs {
        let a = as2t(key, a, false, transposed)?;
        if a.nrows() != m {
            return Err(Error::invalid(format!(
                "{key}: block shape {:?} does not multiply into {m}x{m}",
                a.shape()
            )));
        }
        super::gemm::syrk_upper_acc(a, &mut c.view_mut());
        daskling_core::cancel::check()?;
    }
    for i in 0..m {
        for j in 0..i {
            c[[i, j]] = c[[j, i]];
        }
    }
    Ok(c.into_dyn())
}

#[cfg(test)]
mod tests {
    use super::super::factor::tests::{matmul, tall};
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn dot_sums_block_products_and_checks_shapes() {
        let (a, b) = (tall(), tall());
        // aᵀ·b from two halves of the shared axis.
        let (a0, a1) = (
            a.slice(ndarray::s![0..4, ..]).to_owned().into_dyn(),
            a.slice(ndarray::s![4.., ..]).to_owned().into_dyn(),
        );
        let (b0, b1) = (
            b.slice(ndarray::s![0..4, ..]).to_owned().into_dyn(),
            b.slice(ndarray::s![4.., ..]).to_owned().into_dyn(),
        );
        let c = dot("k", 2, [true, false], &[&a0, &a1, &b0, &b1]).unwrap();
        let r = matmul(&a.t().to_owned().into_dyn(), &b);
        for (p, v) in c.iter().zip(r.iter()) {
            assert!((p - v).abs() < 1e-12);
        }
        assert!(dot("k", 2, [false, false], &[&a0]).is_err());
    }

    #[test]
    fn dot_reads_its_second_operand_transposed() {
        let x = ndarray::array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]].into_dyn();
        // x · xᵀ from x alone, its second operand read transposed.
        let c = dot("k", 1, [false, true], &[&x, &x]).unwrap();
        assert_eq!(
            c,
            ndarray::array![[5.0, 11.0, 17.0], [11.0, 25.0, 39.0], [17.0, 39.0, 61.0]].into_dyn()
        );
    }

    /// xᵀ · x, symmetric (the doc example of `sym_dot`).
    #[test]
    fn sym_dot_gives_the_diagonal_block() {
        let x = ndarray::array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]].into_dyn();
        let c = sym_dot("k", 1, true, &[&x]).unwrap();
        assert_eq!(c, ndarray::array![[35.0, 44.0], [44.0, 56.0]].into_dyn());
    }
}
