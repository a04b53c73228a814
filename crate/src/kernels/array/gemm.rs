//! GEMM: `c += a · b` on 2-d views.
//!
//! Natively this is `matrixmultiply` (through ndarray), which picks AVX/FMA kernels at
//! run time.

use ndarray::{linalg::general_mat_mul, ArrayView2, ArrayViewMut2};

/// `c += a · b`.
pub fn gemm_acc(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut ArrayViewMut2<f64>) {
    general_mat_mul(1.0, &a, &b, 1.0, c);
}
