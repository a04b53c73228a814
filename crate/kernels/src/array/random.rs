//! Uniform random blocks, reproducible for a seed and a chunking.
//!
//! Block `b` (its row-major position among the array's blocks) draws from a
//! xoshiro256++ generator seeded (through SplitMix64, as `seed_from_u64`) with
//! `seed ^ (b · 0x9E3779B97F4A7C15)`; its elements take the generator's outputs in
//! row-major order, each `(u >> 11) · 2⁻⁵³`, uniform in `[0, 1)`. The same seed and
//! chunks give the same array anywhere (natively, in wasm, on any number of threads);
//! another chunking gives other numbers, as in dask.
//!
//! Standard normal blocks take two outputs `u₁, u₂` per element (each mapped as above)
//! and give `√(−2 ln(1 − u₁)) · cos(2π u₂)` (Box–Muller; `1 − u₁` is never 0).

use ndarray::{ArrayD, IxDyn};
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator of block `block` of an array drawn with `seed`.
pub(crate) fn block_rng(seed: u64, block: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed ^ block.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// A `[0, 1)` float from 64 random bits.
#[inline]
pub(crate) fn unit(u: u64) -> f64 {
    (u >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Block `block` of a random array drawn with `seed`: uniform in `[0, 1)`, or standard
/// normal when `normal`.
pub(crate) fn random_block(shape: &[usize], seed: u64, block: u64, normal: bool) -> ArrayD<f64> {
    let mut rng = block_rng(seed, block);
    let n: usize = shape.iter().product();
    let mut data = Vec::with_capacity(n);
    if normal {
        data.extend((0..n).map(|_| {
            let (u1, u2) = (unit(rng.next_u64()), unit(rng.next_u64()));
            (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        }));
    } else {
        data.extend((0..n).map(|_| unit(rng.next_u64())));
    }
    ArrayD::from_shape_vec(IxDyn(shape), data).unwrap_or_else(|_| ArrayD::zeros(IxDyn(shape)))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn blocks_are_uniform_in_unit_interval_and_reproducible() {
        let a = random_block(&[100, 50], 42, 3, false);
        assert!(a.iter().all(|&x| (0.0..1.0).contains(&x)));
        let mean = a.iter().sum::<f64>() / a.len() as f64;
        // 5000 uniforms: the mean's standard error is 0.004.
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
        assert_eq!(a, random_block(&[100, 50], 42, 3, false));
        assert_ne!(a, random_block(&[100, 50], 42, 4, false));
        assert_ne!(a, random_block(&[100, 50], 43, 3, false));
    }

    #[test]
    fn normal_blocks_have_mean_0_and_variance_1() {
        let a = random_block(&[200, 100], 7, 0, true);
        let n = a.len() as f64;
        let mean = a.sum() / n;
        let var = a.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        // 20,000 draws: standard errors 0.007 (mean) and 0.01 (variance).
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
        // Within 1 and 2 standard deviations: 68.3% and 95.4%.
        let within = |k: f64| a.iter().filter(|x| x.abs() < k).count() as f64 / n;
        assert!((within(1.0) - 0.683).abs() < 0.015 && (within(2.0) - 0.954).abs() < 0.01);
        assert_eq!(a, random_block(&[200, 100], 7, 0, true));
    }

    #[test]
    fn unit_maps_the_top_53_bits() {
        assert_eq!(unit(0), 0.0);
        assert_eq!(unit(u64::MAX), 1.0 - 2f64.powi(-53));
        assert_eq!(unit(1 << 63), 0.5);
    }
}
