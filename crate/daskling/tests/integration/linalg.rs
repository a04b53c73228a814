//! TSQR and the SVDs, checked against their definitions and an independent one-sided
//! Jacobi SVD written here.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use daskling::expr::array::{Array, ChunkSpec};
use daskling::Scheduler;
use ndarray::{Array2, ArrayD, Ix2};

/// Singular values (descending) by one-sided Jacobi rotations on the columns.
fn jacobi_singular_values(x: &Array2<f64>) -> Vec<f64> {
    // Work on the orientation with fewer columns.
    let mut a = if x.nrows() >= x.ncols() {
        x.clone()
    } else {
        x.t().to_owned()
    };
    let n = a.ncols();
    for _sweep in 0..60 {
        let mut off = 0.0f64;
        for p in 0..n {
            for q in p + 1..n {
                let (mut alpha, mut beta, mut gamma) = (0.0, 0.0, 0.0);
                for i in 0..a.nrows() {
                    alpha += a[[i, p]] * a[[i, p]];
                    beta += a[[i, q]] * a[[i, q]];
                    gamma += a[[i, p]] * a[[i, q]];
                }
                if gamma.abs() <= 1e-300 {
                    continue;
                }
                off = off.max(gamma.abs() / (alpha * beta).sqrt());
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt());
                let t = if zeta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = c * t;
                for i in 0..a.nrows() {
                    let (ap, aq) = (a[[i, p]], a[[i, q]]);
                    a[[i, p]] = c * ap - s * aq;
                    a[[i, q]] = s * ap + c * aq;
                }
            }
        }
        if off < 1e-15 {
            break;
        }
    }
    let mut s: Vec<f64> = (0..n)
        .map(|j| a.column(j).iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    s.sort_by(|a, b| b.total_cmp(a));
    s
}

fn matrix(m: usize, n: usize, seed: u64) -> Array2<f64> {
    let mut s = seed | 1;
    Array2::from_shape_fn((m, n), |_| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    })
}

fn get2(a: &Array) -> Array2<f64> {
    a.compute(Scheduler::Threads)
        .unwrap()
        .into_dimensionality::<Ix2>()
        .unwrap()
}

fn max_abs_diff(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    a.iter()
        .zip(b.iter())
        .fold(0.0, |m, (x, y)| m.max((x - y).abs()))
}

fn assert_orthonormal_columns(q: &Array2<f64>) {
    let qtq = q.t().dot(q);
    let eye = Array2::<f64>::eye(q.ncols());
    assert!(max_abs_diff(&qtq, &eye) < 1e-12, "QᵀQ ≠ I");
}

fn check_svd(x: &Array2<f64>, u: &Array, s: &Array, v: &Array) {
    let (u, v) = (get2(u), get2(v));
    let s = s.compute(Scheduler::Threads).unwrap();
    let k = s.len();
    // u · diag(s) · v ≈ x
    let us = Array2::from_shape_fn((u.nrows(), k), |(i, j)| u[[i, j]] * s[j]);
    assert!(max_abs_diff(&us.dot(&v), x) < 1e-12, "u·diag(s)·v ≠ x");
    assert_orthonormal_columns(&u);
    assert_orthonormal_columns(&v.t().to_owned());
    let want = jacobi_singular_values(x);
    for (i, w) in want.iter().take(k).enumerate() {
        assert!(
            (s[i] - w).abs() < 1e-12 * want[0],
            "s[{i}] = {} vs {w}",
            s[i]
        );
    }
}

#[test]
fn tsqr_factors_a_tall_and_skinny_array() {
    let x = matrix(203, 9, 3);
    // Ragged row blocks, including one shorter than the number of columns.
    let chunks = ChunkSpec::Explicit(vec![vec![50, 50, 50, 47, 6], vec![9]]);
    let a = Array::from_array(x.clone().into_dyn(), chunks).unwrap();
    let (q, r) = a.qr().unwrap();
    assert_eq!(q.shape(), &[203, 9]);
    assert_eq!(q.chunks()[0], vec![50, 50, 50, 47, 6]);
    assert_eq!(r.shape(), &[9, 9]);
    let (qv, rv) = (get2(&q), get2(&r));
    assert!(max_abs_diff(&qv.dot(&rv), &x) < 1e-12, "q·r ≠ x");
    assert_orthonormal_columns(&qv);
    for i in 0..9 {
        for j in 0..i {
            assert!(rv[[i, j]].abs() < 1e-14, "r is not upper triangular");
        }
    }
}

#[test]
fn svd_of_tall_and_skinny_and_short_and_fat_arrays() {
    let x = matrix(240, 12, 11);
    let a = Array::from_array(x.clone().into_dyn(), ChunkSpec::Block(vec![37, 12])).unwrap();
    let (u, s, v) = a.svd().unwrap();
    assert_eq!(
        (u.shape(), s.shape(), v.shape()),
        (&[240, 12][..], &[12][..], &[12, 12][..])
    );
    check_svd(&x, &u, &s, &v);

    let xt = x.t().to_owned();
    let b = Array::from_array(xt.clone().into_dyn(), ChunkSpec::Block(vec![12, 50])).unwrap();
    let (u, s, v) = b.svd().unwrap();
    assert_eq!((u.shape(), v.shape()), (&[12, 12][..], &[12, 240][..]));
    check_svd(&xt, &u, &s, &v);
}

#[test]
fn svd_of_a_matrix_with_known_singular_values() {
    // x = Q₁ · diag(5, 3, 1, 0.5) · Q₂ with orthonormal factors from a QR.
    let q1 = {
        let a =
            Array::from_array(matrix(60, 4, 5).into_dyn(), ChunkSpec::Block(vec![20, 4])).unwrap();
        get2(&a.qr().unwrap().0)
    };
    let q2 = {
        let a =
            Array::from_array(matrix(4, 4, 9).into_dyn(), ChunkSpec::Block(vec![4, 4])).unwrap();
        get2(&a.qr().unwrap().0)
    };
    let sv = [5.0, 3.0, 1.0, 0.5];
    let d = Array2::from_shape_fn((4, 4), |(i, j)| if i == j { sv[i] } else { 0.0 });
    let x = q1.dot(&d).dot(&q2.t());
    let a = Array::from_array(x.into_dyn(), ChunkSpec::Block(vec![15, 4])).unwrap();
    let s = a.svd().unwrap().1.compute(Scheduler::Sync).unwrap();
    for (got, want) in s.iter().zip(sv) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
}

#[test]
fn svd_of_other_chunkings_names_svd_compressed() {
    let a = Array::ones(&[20, 20], ChunkSpec::Block(vec![10, 10])).unwrap();
    let e = a.svd().unwrap_err().to_string();
    assert!(e.contains("svdCompressed"), "{e}");
}

#[test]
fn svd_compressed_recovers_a_low_rank_matrix() {
    // Rank 5: x = a · b with a 120×5, b 5×80, chunked both ways.
    let x = matrix(120, 5, 21).dot(&matrix(5, 80, 22));
    let a = Array::from_array(x.clone().into_dyn(), ChunkSpec::Block(vec![30, 20])).unwrap();
    let (u, s, v) = a.svd_compressed(5, 2, Some(1)).unwrap();
    assert_eq!(
        (u.shape(), s.shape(), v.shape()),
        (&[120, 5][..], &[5][..], &[5, 80][..])
    );
    let (uv, vv) = (get2(&u), get2(&v));
    let sv = s.compute(Scheduler::Threads).unwrap();
    let want = jacobi_singular_values(&x);
    for i in 0..5 {
        assert!(
            (sv[i] - want[i]).abs() < 1e-9 * want[0],
            "s[{i}] {} vs {}",
            sv[i],
            want[i]
        );
    }
    let us = Array2::from_shape_fn((120, 5), |(i, j)| uv[[i, j]] * sv[j]);
    assert!(max_abs_diff(&us.dot(&vv), &x) < 1e-9);
    let _: ArrayD<f64> = sv;
}
