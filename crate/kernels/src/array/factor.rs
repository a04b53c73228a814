//! Dense factorizations of whole blocks, on `faer`: the QR and SVD of TSQR, Cholesky and
//! LU factors, triangular solves. The chunked algorithms (`expr::array::linalg`) are
//! made of these, one call per task.
//!
//! Natively a block is factored with the threads of the pool that runs the task (faer's
//! own parallel algorithms on rayon); in wasm faer's rayon support does not build
//! (`atomic-wait` has no wasm32 port), so a block is factored on its task's thread.

use faer::{Mat, MatRef, Par, Side};
use ndarray::{Array2, ArrayD, ArrayView2, Axis, IxDyn};

use daskling_core::{Error, Result};

/// The parallelism faer uses for one block: the pool's threads, natively.
fn par() -> Par {
    #[cfg(not(target_arch = "wasm32"))]
    return Par::rayon(0);
    #[cfg(target_arch = "wasm32")]
    Par::Seq
}

/// Sets faer's parallelism (its high-level solvers read a global) before a call.
fn with_par<T>(f: impl FnOnce() -> T) -> T {
    faer::set_global_parallelism(par());
    f()
}

/// A 2-d view of a block (a 1-d block as one column).
pub(crate) fn view2<'a>(key: &str, x: &'a ArrayD<f64>) -> Result<ArrayView2<'a, f64>> {
    match x.ndim() {
        2 => x
            .view()
            .into_dimensionality()
            .map_err(|e| Error::invalid(format!("{key}: {e}"))),
        1 => Ok(x
            .view()
            .into_dimensionality::<ndarray::Ix1>()
            .map_err(|e| Error::invalid(format!("{key}: {e}")))?
            .insert_axis(Axis(1))),
        n => Err(Error::invalid(format!(
            "{key}: expected a 1-d or 2-d block, got {n}-d"
        ))),
    }
}

/// The block as a faer matrix, checked: not empty, every value finite (`what` names
/// the factorization in the error).
fn to_mat(key: &str, what: &str, x: &ArrayD<f64>) -> Result<Mat<f64>> {
    let a = view2(key, x)?;
    if a.nrows() == 0 || a.ncols() == 0 {
        return Err(Error::invalid(format!(
            "{what}: cannot factor an empty {}x{} matrix",
            a.nrows(),
            a.ncols()
        )));
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid(format!(
            "{what}: the matrix has NaN or infinite values"
        )));
    }
    Ok(mat(a))
}

/// A copy of a 2-d view as a faer matrix.
fn mat(a: ArrayView2<f64>) -> Mat<f64> {
    Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]])
}

/// A faer matrix as a 2-d block.
fn block(m: MatRef<f64>) -> ArrayD<f64> {
    Array2::from_shape_fn((m.nrows(), m.ncols()), |(i, j)| m[(i, j)]).into_dyn()
}

fn square(what: &str, m: &Mat<f64>) -> Result<()> {
    if m.nrows() != m.ncols() {
        return Err(Error::invalid(format!(
            "{what} needs a square matrix, got {}x{}",
            m.nrows(),
            m.ncols()
        )));
    }
    Ok(())
}

/// Reduced QR of a block: `(q, r)` with `q` m×k orthonormal, `r` k×n upper triangular,
/// `k = min(m, n)`.
pub(crate) fn qr(key: &str, x: &ArrayD<f64>) -> Result<(ArrayD<f64>, ArrayD<f64>)> {
    let a = to_mat(key, "qr", x)?;
    let k = a.nrows().min(a.ncols());
    let qr = with_par(|| a.qr());
    let r = qr.R();
    Ok((block(qr.compute_thin_Q().as_ref()), block(r.subrows(0, k))))
}

/// Stacks blocks vertically (all with the same number of columns).
pub(crate) fn vstack(key: &str, blocks: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
    let views = blocks
        .iter()
        .map(|b| view2(key, b))
        .collect::<Result<Vec<_>>>()?;
    ndarray::concatenate(Axis(0), &views)
        .map(|a| a.into_dyn())
        .map_err(|e| Error::invalid(format!("{key}: {e}")))
}

/// Thin SVD of a block: `(u, s, vt)` with singular values in descending order.
pub(crate) fn svd(key: &str, x: &ArrayD<f64>) -> Result<(ArrayD<f64>, ArrayD<f64>, ArrayD<f64>)> {
    let a = to_mat(key, "svd", x)?;
    let svd = with_par(|| a.thin_svd())
        .map_err(|e| Error::invalid(format!("svd: did not converge ({e:?})")))?;
    let s = svd.S().column_vector();
    let s = ArrayD::from_shape_fn(IxDyn(&[s.nrows()]), |i| s[i[0]]);
    Ok((block(svd.U()), s, block(svd.V().transpose())))
}

/// The lower Cholesky factor `l` of a symmetric positive definite block (`a = l lᵀ`;
/// only the lower triangle of `a` is read, as numpy's `cholesky`).
pub(crate) fn cholesky(key: &str, x: &ArrayD<f64>) -> Result<ArrayD<f64>> {
    let a = to_mat(key, "cholesky", x)?;
    square("cholesky", &a)?;
    let llt = with_par(|| a.llt(Side::Lower))
        .map_err(|_| Error::invalid("cholesky: the matrix is not positive definite".to_string()))?;
    Ok(block(llt.L()))
}

/// Partial-pivoting LU of a square block, `a = p l u`: the row of `a` each row of
/// `l u` is (`perm`), `l` unit lower and `u` upper triangular.
pub(crate) fn lu(key: &str, x: &ArrayD<f64>) -> Result<(Vec<usize>, ArrayD<f64>, ArrayD<f64>)> {
    let a = to_mat(key, "solve", x)?;
    square("solve", &a)?;
    let lu = with_par(|| a.partial_piv_lu());
    let u = lu.U();
    if (0..u.nrows()).any(|i| u[(i, i)] == 0.0) {
        return Err(Error::invalid(
            "solve: the matrix is singular (or, with several blocks, a diagonal block of its \
             blocked LU is: as dask's, that LU exchanges rows only within a diagonal block; \
             larger blocks may get past it)"
                .to_string(),
        ));
    }
    let (fwd, _) = lu.P().arrays();
    Ok((fwd.to_vec(), block(lu.L()), block(u)))
}

/// Which triangle a triangular solve reads, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tri {
    /// `t` is lower triangular.
    Lower,
    /// `t` is lower triangular with ones on its diagonal (an LU's `l`).
    UnitLower,
    /// `t` is upper triangular.
    Upper,
}

/// `t⁻¹ b` for a triangular `t` (`transposed`: `(tᵀ)⁻¹ b`, so an upper solve with a lower
/// factor's transpose needs no transposed copy); `b` 2-d (a 1-d `b` as a column).
pub(crate) fn tri_solve(
    key: &str,
    t: ArrayView2<f64>,
    tri: Tri,
    transposed: bool,
    b: ArrayView2<f64>,
) -> Result<Array2<f64>> {
    if t.nrows() != t.ncols() || t.nrows() != b.nrows() {
        return Err(Error::invalid(format!(
            "{key}: a triangular {}x{} block cannot solve for {} rows",
            t.nrows(),
            t.ncols(),
            b.nrows()
        )));
    }
    if tri != Tri::UnitLower && t.diag().iter().any(|&d| d == 0.0) {
        return Err(Error::invalid(format!(
            "{key}: the triangular matrix is singular (a zero on its diagonal)"
        )));
    }
    let t = mat(t);
    let t = if transposed {
        t.transpose()
    } else {
        t.as_ref()
    };
    let mut x = mat(b);
    // A transposed lower factor is upper triangular, and the other way round.
    let lower = (tri != Tri::Upper) != transposed;
    with_par(|| match (lower, tri == Tri::UnitLower) {
        (true, false) => t.solve_lower_triangular_in_place(x.as_mut()),
        (false, false) => t.solve_upper_triangular_in_place(x.as_mut()),
        (true, true) => t.solve_unit_lower_triangular_in_place(x.as_mut()),
        (false, true) => t.solve_unit_upper_triangular_in_place(x.as_mut()),
    });
    Ok(Array2::from_shape_fn((x.nrows(), x.ncols()), |(i, j)| {
        x[(i, j)]
    }))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A 7×3 test matrix of small integers (full rank).
    pub(crate) fn tall() -> ArrayD<f64> {
        Array2::from_shape_fn((7, 3), |(i, j)| {
            ((i * 3 + j * 5) % 11) as f64 - 4.0 + (i == j) as u8 as f64
        })
        .into_dyn()
    }

    /// `a · b` by the triple loop.
    pub(crate) fn matmul(a: &ArrayD<f64>, b: &ArrayD<f64>) -> Array2<f64> {
        let (a, b) = (view2("t", a).unwrap(), view2("t", b).unwrap());
        Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
            (0..a.ncols()).map(|k| a[[i, k]] * b[[k, j]]).sum()
        })
    }

    fn close(a: &Array2<f64>, b: &ArrayD<f64>, tol: f64) {
        let b = view2("t", b).unwrap();
        assert_eq!(a.shape(), b.shape());
        for (p, v) in a.iter().zip(b.iter()) {
            assert!((p - v).abs() < tol, "{p} vs {v}");
        }
    }

    /// A symmetric positive definite 4x4 matrix: xᵀx + 4·I.
    fn spd() -> ArrayD<f64> {
        let x = tall();
        let mut a = matmul(&x.t().to_owned().into_dyn(), &x);
        for i in 0..3 {
            a[[i, i]] += 4.0;
        }
        a.into_dyn()
    }

    #[test]
    fn qr_is_orthonormal_times_upper_triangular() {
        let x = tall();
        let (q, r) = qr("k", &x).unwrap();
        assert_eq!((q.shape(), r.shape()), (&[7, 3][..], &[3, 3][..]));
        close(&matmul(&q, &r), &x, 1e-12);
        let qtq = matmul(&q.t().to_owned().into_dyn(), &q);
        close(&qtq, &Array2::eye(3).into_dyn(), 1e-12);
        for i in 0..3 {
            for j in 0..i {
                assert!(r[[i, j]].abs() < 1e-12);
            }
        }
    }

    #[test]
    fn svd_reconstructs_with_descending_singular_values() {
        let x = tall();
        let (u, s, vt) = svd("k", &x).unwrap();
        assert!(s.iter().zip(s.iter().skip(1)).all(|(a, b)| a >= b), "{s}");
        let us = Array2::from_shape_fn((7, 3), |(i, j)| u[[i, j]] * s[[j]]).into_dyn();
        close(&matmul(&us, &vt), &x, 1e-10);
    }

    #[test]
    fn cholesky_reconstructs_and_refuses_an_indefinite_matrix() {
        let a = spd();
        let l = cholesky("k", &a).unwrap();
        close(&matmul(&l, &l.t().to_owned().into_dyn()), &a, 1e-10);
        assert_eq!(l[[0, 2]], 0.0);
        let neg = a.mapv(|v| -v);
        let e = cholesky("k", &neg).unwrap_err().to_string();
        assert!(e.contains("not positive definite"), "{e}");
    }

    #[test]
    fn lu_permutes_rows_of_the_product() {
        let a = ndarray::array![[0.0, 2.0, 1.0], [4.0, 1.0, 0.0], [1.0, 1.0, 3.0]].into_dyn();
        let (perm, l, u) = lu("k", &a).unwrap();
        let lu = matmul(&l, &u);
        // Row i of l·u is row perm[i] of a.
        for (i, &p) in perm.iter().enumerate() {
            for j in 0..3 {
                assert!((lu[[i, j]] - a[[p, j]]).abs() < 1e-12);
            }
        }
        assert_eq!(perm[0], 1, "the largest pivot of column 0 comes first");
    }

    #[test]
    fn triangular_solves_read_the_factor_or_its_transpose() {
        let l = cholesky("k", &spd()).unwrap();
        let lv = view2("k", &l).unwrap();
        let b = Array2::from_shape_fn((3, 2), |(i, j)| (i + 2 * j) as f64 - 1.0);
        let y = tri_solve("k", lv, Tri::Lower, false, b.view()).unwrap();
        close(
            &matmul(&l, &y.clone().into_dyn()),
            &b.clone().into_dyn(),
            1e-12,
        );
        let x = tri_solve("k", lv, Tri::Lower, true, b.view()).unwrap();
        close(
            &matmul(&l.t().to_owned().into_dyn(), &x.into_dyn()),
            &b.into_dyn(),
            1e-12,
        );
    }
}
