//! Content tokens, as dask's `tokenize`: a stable 128-bit hash of a value, printed as 32
//! hex digits.
//!
//! The hash is SipHash-1-3 with 128-bit output and fixed keys (the `siphasher` crate), so
//! a token does not change between runs, threads, builds or Rust releases (std's
//! `DefaultHasher` makes no such promise). With 128 bits, two different inputs among a
//! billion tasks collide with probability about 10⁻²¹.
//!
//! Tokens hash values through [`std::hash::Hash`]; a `usize` or `isize` is fed as 64 bits
//! whatever the target, so its token is the same natively and in wasm32. A *slice* of
//! them is not: std hashes integer slices as their raw bytes (`Hash::hash_slice`), 4 per
//! element in wasm32 — tokenize sizes as `u64` when the token must match across targets.

use std::hash::{Hash, Hasher};

use siphasher::sip128::{Hasher128, SipHasher13};

/// A 128-bit hasher with fixed keys that feeds every `usize` as a `u64`.
#[derive(Debug, Default, Clone)]
pub struct StableHasher(SipHasher13);

impl StableHasher {
    /// A hasher with the fixed keys.
    pub fn new() -> Self {
        Self::default()
    }

    /// The 128-bit hash of what was written.
    ///
    /// ```
    /// use std::hash::Hasher;
    /// use daskling_core::token::StableHasher;
    /// let mut h = StableHasher::new();
    /// h.write(b"abc");
    /// let a = h.finish128();
    /// let mut h = StableHasher::new();
    /// h.write(b"abd");
    /// assert_ne!(a, h.finish128());
    /// ```
    pub fn finish128(&self) -> u128 {
        self.0.finish128().as_u128()
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.finish128() as u64
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    fn write_usize(&mut self, n: usize) {
        self.0.write_u64(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.0.write_i64(n as i64);
    }
}

/// The 128-bit hash of `value`.
///
/// ```
/// use daskling_core::token::hash128;
/// assert_eq!(hash128(&"x"), hash128(&"x"));
/// ```
pub fn hash128<T: Hash + ?Sized>(value: &T) -> u128 {
    let mut h = StableHasher::new();
    value.hash(&mut h);
    h.finish128()
}

/// A deterministic token of anything hashable, like dask's `tokenize`: equal inputs
/// give equal tokens (32 hex digits), so identical sub-expressions become one task.
///
/// ```
/// use daskling_core::token::tokenize;
/// let t = tokenize(&(1u32, "a"));
/// assert_eq!(t.len(), 32);
/// assert!(t.chars().all(|c| c.is_ascii_hexdigit()));
/// ```
pub fn tokenize<T: Hash + ?Sized>(value: &T) -> String {
    format!("{:032x}", hash128(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sizes_hash_as_64_bits_on_every_target() {
        // wasm32's usize is 32 bits: tokens must not depend on it, or the browser's keys
        // would differ from the native ones for the same expression.
        assert_eq!(hash128(&7usize), hash128(&7u64));
        assert_eq!(hash128(&-7isize), hash128(&-7i64));
    }

    #[test]
    fn tokens_are_32_hex_digits_and_tell_values_apart() {
        let a = tokenize(&("sum", 1u32));
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(a, tokenize(&("sum", 1u32)));
        assert_ne!(a, tokenize(&("sum", 2u32)));
        assert_ne!(tokenize(&("ab", "c")), tokenize(&("a", "bc")));
    }
}
