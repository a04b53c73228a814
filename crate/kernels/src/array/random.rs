//! Uniform random blocks, reproducible for a seed and a chunking.
//!
//! Block `b` (its row-major position among the array's blocks) draws from a
//! xoshiro256++ generator seeded (through SplitMix64, as `seed_from_u64`) with
//! `seed ^ (b · 0x9E3779B97F4A7C15)`; its elements take the generator's outputs in
//! row-major order, each `(u >> 11) · 2⁻⁵³`, uniform in `[0, 1)`. The same seed and
//! chunks give the same array anywhere (natively, in wasm, on any number of threads);
//! another chunking gives other numbers, as in dask.

use ndarray::{ArrayD, IxDyn};
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator of block `block` of an array drawn with `seed`.
pub fn block_rng(seed: u64, block: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed ^ block.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// A `[0, 1)` float from 64 random bits.
#[inline]
pub fn unit(u: u64) -> f64 {
    (u >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Block `block` of a uniform random array drawn with `seed`.
pub fn random_block(shape: &[usize], seed: u64, block: u64) -> ArrayD<f64> {
    let mut rng = block_rng(seed, block);
    let n: usize = shape.iter().product();
    let mut data = Vec::with_capacity(n);
    data.extend((0..n).map(|_| unit(rng.next_u64())));
    ArrayD::from_shape_vec(IxDyn(shape), data).unwrap_or_else(|_| ArrayD::zeros(IxDyn(shape)))
}
