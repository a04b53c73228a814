//! The blocked Cholesky, solve and inverse, checked against their definitions (`l lᵀ = a`,
//! `a x = b`, `a a⁻¹ = I`) with plain loops, on one block, regular and ragged grids.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use daskling::expr::array::{Array, ChunkSpec};
use daskling::Scheduler;
use ndarray::{Array2, ArrayD};

/// A pseudo-random n×n matrix (a fixed linear congruential sequence in [-1, 1)).
fn matrix(n: usize, seed: u64) -> Array2<f64> {
    let mut s = seed;
    Array2::from_shape_fn((n, n), |_| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    })
}

fn matmul(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
        (0..a.ncols()).map(|k| a[[i, k]] * b[[k, j]]).sum()
    })
}

fn two(a: ArrayD<f64>) -> Array2<f64> {
    a.into_dimensionality().unwrap()
}

fn assert_close(got: &Array2<f64>, want: &Array2<f64>, tol: f64) {
    assert_eq!(got.shape(), want.shape());
    for ((i, j), g) in got.indexed_iter() {
        assert!(
            (g - want[[i, j]]).abs() < tol,
            "[{i}, {j}]: {g} vs {}",
            want[[i, j]]
        );
    }
}

/// Chunkings of an 11×11 matrix: one block, 4s (ragged end), and explicit 2, 5, 4.
fn chunkings() -> Vec<ChunkSpec> {
    vec![
        ChunkSpec::Block(vec![11, 11]),
        ChunkSpec::Block(vec![4, 4]),
        ChunkSpec::Explicit(vec![vec![2, 5, 4], vec![2, 5, 4]]),
    ]
}

#[test]
fn cholesky_is_lower_triangular_and_reconstructs() {
    let x = matrix(11, 1);
    let mut spd = matmul(&x.t().to_owned(), &x);
    for i in 0..11 {
        spd[[i, i]] += 1.0;
    }
    for c in chunkings() {
        let a = Array::from_array(spd.clone().into_dyn(), c).unwrap();
        let l = two(a.cholesky().unwrap().compute(Scheduler::Threads).unwrap());
        for i in 0..11 {
            assert!(l[[i, i]] > 0.0);
            for j in i + 1..11 {
                assert_eq!(l[[i, j]], 0.0, "above the diagonal at [{i}, {j}]");
            }
        }
        assert_close(&matmul(&l, &l.t().to_owned()), &spd, 1e-10);
    }
}

#[test]
fn solve_needs_pivoting_and_takes_vectors_and_matrices() {
    let mut a = matrix(11, 2);
    // A zero in the first pivot position: only a pivoting LU gets past it.
    a[[0, 0]] = 0.0;
    let b = matrix(11, 3);
    for c in chunkings() {
        let ax = Array::from_array(a.clone().into_dyn(), c).unwrap();
        // b's rows blocked otherwise than a's: rechunked to them.
        let bx = Array::from_array(b.clone().into_dyn(), ChunkSpec::Block(vec![3, 6])).unwrap();
        let x = two(ax.solve(&bx).unwrap().compute(Scheduler::Threads).unwrap());
        assert_close(&matmul(&a, &x), &b, 1e-9);
        let v = Array::from_array(b.column(0).to_owned().into_dyn(), ChunkSpec::Block(vec![5]))
            .unwrap();
        let xv = ax.solve(&v).unwrap().compute(Scheduler::Sync).unwrap();
        assert_eq!(xv.shape(), &[11]);
        let back = matmul(
            &a,
            &xv.insert_axis(ndarray::Axis(1))
                .into_dimensionality()
                .unwrap(),
        );
        assert_close(
            &back,
            &b.column(0).to_owned().insert_axis(ndarray::Axis(1)),
            1e-9,
        );
    }
}

#[test]
fn inv_times_the_matrix_is_the_identity() {
    let a = matrix(11, 4);
    for c in chunkings() {
        let ax = Array::from_array(a.clone().into_dyn(), c).unwrap();
        let inv = two(ax.inv().unwrap().compute(Scheduler::Threads).unwrap());
        assert_close(&matmul(&a, &inv), &Array2::eye(11), 1e-9);
    }
}

#[test]
fn eye_puts_ones_on_its_diagonal_across_blocks() {
    for k in [-3i64, 0, 2, 9] {
        let e = Array::eye(7, 9, k, ChunkSpec::Block(vec![3, 4])).unwrap();
        let v = two(e.compute(Scheduler::Sync).unwrap());
        for ((i, j), x) in v.indexed_iter() {
            assert_eq!(
                *x,
                f64::from(u8::from(j as i64 - i as i64 == k)),
                "k {k} [{i}, {j}]"
            );
        }
    }
}

#[test]
fn bad_shapes_and_matrices_are_clear_errors() {
    let rect = Array::ones(&[4, 3], ChunkSpec::Block(vec![2, 3])).unwrap();
    assert!(rect
        .cholesky()
        .unwrap_err()
        .to_string()
        .contains("square 2-d array"));
    let skew = Array::ones(&[4, 4], ChunkSpec::Block(vec![2, 4])).unwrap();
    let e = skew
        .solve(&Array::ones(&[4], ChunkSpec::Block(vec![4])).unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("square blocks"), "{e}");
    let sq = Array::ones(&[4, 4], ChunkSpec::Block(vec![2, 2])).unwrap();
    let e = sq
        .solve(&Array::ones(&[3], ChunkSpec::Block(vec![3])).unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("4 rows"), "{e}");
    // All ones: singular, and not positive definite.
    let e = sq
        .inv()
        .unwrap()
        .compute(Scheduler::Sync)
        .unwrap_err()
        .to_string();
    assert!(e.contains("singular"), "{e}");
    let neg = Array::full(&[4, 4], -1.0, ChunkSpec::Block(vec![2, 2])).unwrap();
    let e = neg
        .cholesky()
        .unwrap()
        .compute(Scheduler::Sync)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not positive definite"), "{e}");
}
