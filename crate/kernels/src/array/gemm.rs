//! GEMM: `c += a · b` on 2-d views.
//!
//! Natively this is `matrixmultiply` (through ndarray), which picks AVX/FMA kernels at
//! run time. In wasm, `matrixmultiply` has SIMD kernels for f32 only, so f64 products
//! use [`packed`]: a BLIS-style blocked GEMM (A and B packed into cache-sized panels)
//! around a 4×6 `f64x2` microkernel — `f64x2.relaxed_madd` (a fused multiply-add where
//! the CPU has one) when the module is built with `relaxed-simd`, `mul` + `add`
//! otherwise. Its 12 accumulators, 2 columns of A and 1 splat of B fill 15 of the 16
//! vector registers of x86-64, of which V8 keeps one as scratch: one more would spill,
//! fewer leave FMA latency uncovered (4×4 runs ~10% slower). Two LLVM settings of the
//! wasm build (`.cargo/config.toml`) keep it so: `-pre-RA-sched=source` (else LLVM hoists
//! all six splats ahead of their uses, and V8 spills), and `-disable-lsr` (else loop
//! strength reduction rewrites the two pointers as one counter plus bases, and each load
//! costs an add instead of a constant offset).
//!
//! [`syrk_upper_acc`] is the symmetric case `c += a · aᵀ` (SYRK): only the tiles on and
//! above the diagonal are multiplied, half the work.

use ndarray::{ArrayView2, ArrayViewMut2};

/// `c += a · b`.
pub(crate) fn gemm_acc(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut ArrayViewMut2<f64>) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    packed(a, b, c);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    ndarray::linalg::general_mat_mul(1.0, &a, &b, 1.0, c);
}

/// `c += a · aᵀ` on and above the diagonal of the square `c`; below it `c` is left
/// partly updated (the caller mirrors the upper triangle down).
///
/// ```
/// use daskling_kernels::array::gemm::syrk_upper_acc;
/// let a = ndarray::array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let mut c = ndarray::Array2::<f64>::zeros((3, 3));
/// syrk_upper_acc(a.view(), &mut c.view_mut());
/// let full = a.dot(&a.t());
/// for i in 0..3 {
///     for j in i..3 {
///         assert_eq!(c[[i, j]], full[[i, j]]);
///     }
/// }
/// ```
pub fn syrk_upper_acc(a: ArrayView2<f64>, c: &mut ArrayViewMut2<f64>) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    packed_syrk(a, c);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        // Bands of rows, each times the columns from its own first row on.
        const BAND: usize = 256;
        let m = a.nrows();
        let at = a.t();
        for s in (0..m).step_by(BAND) {
            let e = (s + BAND).min(m);
            let mut cs = c.slice_mut(ndarray::s![s..e, s..]);
            let b = at.slice(ndarray::s![.., s..]);
            ndarray::linalg::general_mat_mul(
                1.0,
                &a.slice(ndarray::s![s..e, ..]),
                &b,
                1.0,
                &mut cs,
            );
        }
    }
}

const MR: usize = 4;
const NR: usize = 6;
/// Depth of a packed panel: an NR·KC strip of B stays in L1.
const KC: usize = 512;
/// Rows of A packed at once (a multiple of MR): MC·KC doubles stay in L2, streamed
/// strip by strip past one strip of B.
const MC: usize = 128;
/// Columns of B packed at once.
const NC: usize = 2048;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod v {
    use core::arch::wasm32::*;
    pub type V = v128;

    /// The two values at `p`.
    ///
    /// # Safety
    /// `p` and `p + 1` must be readable (wasm loads may be unaligned).
    #[inline(always)]
    pub unsafe fn load(p: *const f64) -> V {
        unsafe { v128_load(p as *const v128) }
    }

    /// The value at `p` in both lanes.
    ///
    /// # Safety
    /// `p` must be readable.
    #[inline(always)]
    pub unsafe fn splat(p: *const f64) -> V {
        unsafe { v128_load64_splat(p as *const u64) }
    }

    /// `a · b + c`.
    #[inline(always)]
    pub fn madd(a: V, b: V, c: V) -> V {
        #[cfg(target_feature = "relaxed-simd")]
        {
            f64x2_relaxed_madd(a, b, c)
        }
        #[cfg(not(target_feature = "relaxed-simd"))]
        {
            f64x2_add(f64x2_mul(a, b), c)
        }
    }

    #[inline(always)]
    pub fn zero() -> V {
        f64x2_splat(0.0)
    }

    #[inline(always)]
    pub fn lanes(x: V) -> [f64; 2] {
        [f64x2_extract_lane::<0>(x), f64x2_extract_lane::<1>(x)]
    }
}

/// The same operations on plain pairs, so the blocking is tested natively too.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod v {
    pub type V = [f64; 2];

    /// # Safety
    /// As the wasm `load`.
    #[inline(always)]
    pub unsafe fn load(p: *const f64) -> V {
        unsafe { [*p, *p.add(1)] }
    }

    /// # Safety
    /// As the wasm `splat`.
    #[inline(always)]
    pub unsafe fn splat(p: *const f64) -> V {
        unsafe { [*p, *p] }
    }

    #[inline(always)]
    pub fn madd(a: V, b: V, c: V) -> V {
        [a[0] * b[0] + c[0], a[1] * b[1] + c[1]]
    }

    #[inline(always)]
    pub fn zero() -> V {
        [0.0, 0.0]
    }

    #[inline(always)]
    pub fn lanes(x: V) -> [f64; 2] {
        x
    }
}

/// Packs rows `i0..i0+mc` × columns `p0..p0+kc` of `a` into MR-row strips, each stored
/// depth-major (MR values per step), zero-padded to a whole strip.
fn pack_a(a: &ArrayView2<f64>, i0: usize, mc: usize, p0: usize, kc: usize, out: &mut Vec<f64>) {
    out.clear();
    for s in (0..mc).step_by(MR) {
        let rows = MR.min(mc - s);
        for p in 0..kc {
            for r in 0..MR {
                out.push(if r < rows {
                    a[[i0 + s + r, p0 + p]]
                } else {
                    0.0
                });
            }
        }
    }
}

/// Packs rows `p0..p0+kc` × columns `j0..j0+nc` of `b` into NR-column strips, each
/// stored depth-major (NR values per step), zero-padded.
fn pack_b(b: &ArrayView2<f64>, p0: usize, kc: usize, j0: usize, nc: usize, out: &mut Vec<f64>) {
    out.clear();
    for s in (0..nc).step_by(NR) {
        let cols = NR.min(nc - s);
        for p in 0..kc {
            let row = b.row(p0 + p);
            for c in 0..NR {
                out.push(if c < cols { row[j0 + s + c] } else { 0.0 });
            }
        }
    }
}

/// The 4×6 microkernel: `Σₚ a[:, p] ⊗ b[p, :]` over `kc` packed steps.
#[inline(always)]
fn micro(kc: usize, a: &[f64], b: &[f64]) -> [[f64; NR]; MR] {
    use v::*;
    const AV: usize = MR / 2;
    assert!(a.len() >= kc * MR && b.len() >= kc * NR);
    // acc[j][h]: column j, rows 2h..2h+2.
    let mut acc = [[zero(); AV]; NR];
    let (mut pa, mut pb) = (a.as_ptr(), b.as_ptr());
    // SAFETY: each of the kc steps reads MR values at `pa` and NR at `pb`, then moves
    // both on by that much: kc·MR of `a` and kc·NR of `b`, within the lengths asserted.
    // Pointers (not slice chunks) so that every load is one pointer plus a constant.
    unsafe {
        let end = pa.add(kc * MR);
        while pa != end {
            let av: [V; AV] = core::array::from_fn(|h| load(pa.add(2 * h)));
            for (j, col) in acc.iter_mut().enumerate() {
                let bj = splat(pb.add(j));
                for (h, x) in col.iter_mut().enumerate() {
                    *x = madd(av[h], bj, *x);
                }
            }
            pa = pa.add(MR);
            pb = pb.add(NR);
        }
    }
    let mut out = [[0.0; NR]; MR];
    for (j, col) in acc.iter().enumerate() {
        for (h, v) in col.iter().enumerate() {
            let [x, y] = lanes(*v);
            out[2 * h][j] = x;
            out[2 * h + 1][j] = y;
        }
    }
    out
}

/// `c += a · b` by packed panels and the 4×6 microkernel (any strides, any sizes).
///
/// ```
/// use daskling_kernels::array::gemm::packed;
/// let a = ndarray::array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let mut c = ndarray::Array2::<f64>::ones((2, 2));
/// packed(a.view(), a.t(), &mut c.view_mut());
/// assert_eq!(c, a.dot(&a.t()) + 1.0);
/// ```
pub fn packed(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut ArrayViewMut2<f64>) {
    blocked(a, b, c, false)
}

/// `c += a · aᵀ` by [`packed`]'s panels, skipping every 4×6 tile wholly below the
/// diagonal (the tiles across it are computed whole).
///
/// ```
/// use daskling_kernels::array::gemm::packed_syrk;
/// let a = ndarray::Array2::from_shape_fn((9, 5), |(i, j)| (i * 5 + j) as f64);
/// let mut c = ndarray::Array2::<f64>::zeros((9, 9));
/// packed_syrk(a.view(), &mut c.view_mut());
/// let full = a.dot(&a.t());
/// assert!((0..9).all(|i| (i..9).all(|j| c[[i, j]] == full[[i, j]])));
/// ```
pub fn packed_syrk(a: ArrayView2<f64>, c: &mut ArrayViewMut2<f64>) {
    blocked(a, a.t(), c, true)
}

/// `c += a · b`; with `upper`, only the tiles that reach on or above the diagonal.
fn blocked(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut ArrayViewMut2<f64>, upper: bool) {
    let (m, k) = a.dim();
    let n = b.ncols();
    if m == 0 || n == 0 || k == 0 || b.nrows() != k || c.dim() != (m, n) {
        return;
    }
    let mut ap = Vec::with_capacity(MC.min(m.next_multiple_of(MR)) * KC.min(k));
    let mut bp = Vec::with_capacity(NC.min(n.next_multiple_of(NR)) * KC.min(k));
    for j0 in (0..n).step_by(NC) {
        let nc = NC.min(n - j0);
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            pack_b(&b, p0, kc, j0, nc, &mut bp);
            for i0 in (0..m).step_by(MC) {
                // A cancelled compute stops here, panel by panel; the caller checks
                // again and drops the partial product.
                if daskling_core::cancel::check().is_err() {
                    return;
                }
                let mc = MC.min(m - i0);
                pack_a(&a, i0, mc, p0, kc, &mut ap);
                // One strip of B stays in L1 while the strips of A stream from L2.
                for (sj, bstrip) in bp.chunks_exact(NR * kc).enumerate() {
                    let (c0, cols) = (j0 + sj * NR, NR.min(nc - sj * NR));
                    // Strips of rows that start before this strip of columns ends (those
                    // after it lie wholly below the diagonal).
                    let strips = if upper {
                        (c0 + NR).saturating_sub(i0).div_ceil(MR)
                    } else {
                        usize::MAX
                    };
                    for (si, astrip) in ap.chunks_exact(MR * kc).enumerate().take(strips) {
                        let rows = MR.min(mc - si * MR);
                        let t = micro(kc, astrip, bstrip);
                        for (r, trow) in t.iter().enumerate().take(rows) {
                            let mut crow = c.row_mut(i0 + si * MR + r);
                            for (q, &tv) in trow.iter().enumerate().take(cols) {
                                crow[c0 + q] += tv;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Numbers from a plain LCG: independent of the code under test.
    fn filled(m: usize, n: usize, seed: u64) -> Array2<f64> {
        let mut s = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        Array2::from_shape_fn((m, n), |_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) as f64 / (1u64 << 31) as f64) - 0.5
        })
    }

    /// `c + a·b` by the triple loop.
    fn naive(a: &Array2<f64>, b: &Array2<f64>, c: &Array2<f64>) -> Array2<f64> {
        let mut out = c.clone();
        for i in 0..a.nrows() {
            for j in 0..b.ncols() {
                let mut s = 0.0;
                for k in 0..a.ncols() {
                    s += a[[i, k]] * b[[k, j]];
                }
                out[[i, j]] += s;
            }
        }
        out
    }

    fn close(x: &Array2<f64>, y: &Array2<f64>) {
        assert_eq!(x.shape(), y.shape());
        for (p, q) in x.iter().zip(y) {
            assert!((p - q).abs() <= 1e-12 * (1.0 + q.abs()), "{p} vs {q}");
        }
    }

    #[test]
    fn gemm_accumulates_the_product_for_ragged_sizes() {
        // Sizes around the 4×6 microkernel and the panel depth: edges of every kind.
        for &(m, k, n) in &[(1, 1, 1), (3, 5, 7), (4, 6, 6), (9, 13, 11), (17, 300, 25)] {
            let (a, b) = (filled(m, k, 1), filled(k, n, 2));
            let c0 = filled(m, n, 3);
            let mut c = c0.clone();
            gemm_acc(a.view(), b.view(), &mut c.view_mut());
            close(&c, &naive(&a, &b, &c0));
        }
    }

    #[test]
    fn packed_gemm_equals_the_triple_loop() {
        for &(m, k, n) in &[(2, 3, 4), (8, 12, 12), (33, 70, 19)] {
            let (a, b) = (filled(m, k, 4), filled(k, n, 5));
            let mut c = Array2::zeros((m, n));
            packed(a.view(), b.view(), &mut c.view_mut());
            close(&c, &naive(&a, &b, &Array2::zeros((m, n))));
        }
    }

    #[test]
    fn gemm_of_transposed_views_reads_them_in_place() {
        let (a, b) = (filled(7, 5, 6), filled(9, 7, 7));
        let mut c = Array2::zeros((5, 9));
        gemm_acc(a.t(), b.t(), &mut c.view_mut());
        close(
            &c,
            &naive(&a.t().to_owned(), &b.t().to_owned(), &Array2::zeros((5, 9))),
        );
    }

    #[test]
    fn syrk_fills_the_upper_triangle_of_a_times_its_transpose() {
        for &(m, k) in &[(1, 3), (5, 4), (13, 9), (300, 7)] {
            let a = filled(m, k, 8);
            let mut c = Array2::zeros((m, m));
            syrk_upper_acc(a.view(), &mut c.view_mut());
            let full = naive(&a, &a.t().to_owned(), &Array2::zeros((m, m)));
            for i in 0..m {
                for j in i..m {
                    assert!((c[[i, j]] - full[[i, j]]).abs() <= 1e-12 * (1.0 + full[[i, j]].abs()));
                }
            }
        }
    }

    #[test]
    fn packed_syrk_equals_the_triple_loop_above_the_diagonal() {
        let a = filled(23, 17, 9);
        let mut c = Array2::zeros((23, 23));
        packed_syrk(a.view(), &mut c.view_mut());
        let full = naive(&a, &a.t().to_owned(), &Array2::zeros((23, 23)));
        for i in 0..23 {
            for j in i..23 {
                assert!((c[[i, j]] - full[[i, j]]).abs() <= 1e-12 * (1.0 + full[[i, j]].abs()));
            }
        }
    }
}
