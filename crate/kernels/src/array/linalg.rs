//! Dense linear algebra on blocks: matrix products (GEMM) and the small QR / SVD
//! factorizations of TSQR, on `nalgebra`.

use nalgebra::{DMatrix, SVD};
use ndarray::{Array2, ArrayD, ArrayView2, ArrayViewMut2, Axis, Ix2, IxDyn};

use daskling_core::{Error, Result};

/// `c += a · b`.
pub fn gemm_acc(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut ArrayViewMut2<f64>) {
    super::gemm::gemm_acc(a, b, c)
}

fn as2<'a>(key: &str, x: &'a ArrayD<f64>, vec_as_row: bool) -> Result<ArrayView2<'a, f64>> {
    match x.ndim() {
        2 => x
            .view()
            .into_dimensionality::<Ix2>()
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
pub fn dot(key: &str, nk: usize, inputs: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
    if inputs.len() != 2 * nk || nk == 0 {
        return Err(Error::invalid(format!(
            "{key}: expected {} blocks, got {}",
            2 * nk,
            inputs.len()
        )));
    }
    let (left, right) = inputs.split_at(nk);
    let (lvec, rvec) = (left[0].ndim() == 1, right[0].ndim() == 1);
    let m = as2(key, left[0], true)?.nrows();
    let n = as2(key, right[0], false)?.ncols();
    let mut c = Array2::<f64>::zeros((m, n));
    for (a, b) in left.iter().zip(right) {
        let a = as2(key, a, true)?;
        let b = as2(key, b, false)?;
        if a.ncols() != b.nrows() || a.nrows() != m || b.ncols() != n {
            return Err(Error::invalid(format!(
                "{key}: block shapes {:?} and {:?} do not multiply into {m}x{n}",
                a.shape(),
                b.shape()
            )));
        }
        gemm_acc(a, b, &mut c.view_mut());
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
/// `inputs` (row block `i` of `x`, one per block of the shared axis). Only the upper
/// triangle is multiplied; the lower one is its mirror, so the block is exactly symmetric.
pub fn sym_dot(key: &str, nk: usize, inputs: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
    if inputs.len() != nk || nk == 0 {
        return Err(Error::invalid(format!(
            "{key}: expected {nk} blocks, got {}",
            inputs.len()
        )));
    }
    let m = as2(key, inputs[0], false)?.nrows();
    let mut c = Array2::<f64>::zeros((m, m));
    for a in inputs {
        let a = as2(key, a, false)?;
        if a.nrows() != m {
            return Err(Error::invalid(format!(
                "{key}: block shape {:?} does not multiply into {m}x{m}",
                a.shape()
            )));
        }
        super::gemm::syrk_upper_acc(a, &mut c.view_mut());
    }
    for i in 0..m {
        for j in 0..i {
            c[[i, j]] = c[[j, i]];
        }
    }
    Ok(c.into_dyn())
}

fn to_matrix(key: &str, x: &ArrayD<f64>) -> Result<DMatrix<f64>> {
    let a = as2(key, x, false)?;
    if a.nrows() == 0 || a.ncols() == 0 {
        return Err(Error::invalid(format!(
            "{key}: cannot factor an empty {}x{} matrix",
            a.nrows(),
            a.ncols()
        )));
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid(format!(
            "{key}: the matrix has NaN or infinite values"
        )));
    }
    Ok(DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]]))
}

fn from_matrix(m: &DMatrix<f64>) -> ArrayD<f64> {
    Array2::from_shape_fn((m.nrows(), m.ncols()), |(i, j)| m[(i, j)]).into_dyn()
}

/// Reduced QR of a block: `(q, r)` with `q` m×k orthonormal, `r` k×n upper triangular,
/// `k = min(m, n)`.
pub fn qr(key: &str, x: &ArrayD<f64>) -> Result<(ArrayD<f64>, ArrayD<f64>)> {
    let qr = to_matrix(key, x)?.qr();
    Ok((from_matrix(&qr.q()), from_matrix(&qr.r())))
}

/// Stacks blocks vertically (all with the same number of columns).
pub fn vstack(key: &str, blocks: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
    let views = blocks
        .iter()
        .map(|b| as2(key, b, false))
        .collect::<Result<Vec<_>>>()?;
    ndarray::concatenate(Axis(0), &views)
        .map(|a| a.into_dyn())
        .map_err(|e| Error::invalid(format!("{key}: {e}")))
}

/// Thin SVD of a block: `(u, s, vt)` with singular values in descending order.
pub fn svd(key: &str, x: &ArrayD<f64>) -> Result<(ArrayD<f64>, ArrayD<f64>, ArrayD<f64>)> {
    let m = to_matrix(key, x)?;
    let svd = SVD::try_new(m, true, true, f64::EPSILON, 100_000)
        .ok_or_else(|| Error::invalid(format!("{key}: the SVD did not converge")))?;
    let (Some(u), Some(vt)) = (svd.u.as_ref(), svd.v_t.as_ref()) else {
        return Err(Error::invalid(format!("{key}: the SVD gave no vectors")));
    };
    let s = ArrayD::from_shape_vec(
        IxDyn(&[svd.singular_values.len()]),
        svd.singular_values.iter().copied().collect(),
    )
    .map_err(|e| Error::invalid(format!("{key}: {e}")))?;
    Ok((from_matrix(u), s, from_matrix(vt)))
}
