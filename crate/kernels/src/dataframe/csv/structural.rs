//! Positions of two bytes — a CSV separator and `\n` — in a slice, found 32 bytes at a
//! time: SIMD compares turned into a bitmask (simd128 in wasm, SSE2 on x86_64, plain
//! bytes elsewhere), then one bit per match, as simdjson and simd-csv find structure.
//! One pass however dense the matches are, where a `memchr` call per field pays its
//! setup on every short field.

/// The positions of `a` or `b` in `bytes`, in order (`ab,c\nd` with `,` and `\n`: 2, 4).
pub(super) struct Positions<'a> {
    bytes: &'a [u8],
    a: u8,
    b: u8,
    /// Start of the chunk `mask` covers.
    base: usize,
    /// The matches in that chunk not yet returned, one bit each.
    mask: u64,
    /// Start of the next chunk.
    next: usize,
}

const CHUNK: usize = 32;

impl<'a> Positions<'a> {
    pub(super) fn new(bytes: &'a [u8], a: u8, b: u8) -> Positions<'a> {
        Positions {
            bytes,
            a,
            b,
            base: 0,
            mask: 0,
            next: 0,
        }
    }
}

impl Iterator for Positions<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            if self.next >= self.bytes.len() {
                return None;
            }
            self.base = self.next;
            let rest = &self.bytes[self.base..];
            self.mask = match rest.get(..CHUNK) {
                Some(c) => {
                    mask16(&c[..16], self.a, self.b) | mask16(&c[16..], self.a, self.b) << 16
                }
                None => scalar(rest, self.a, self.b),
            };
            self.next += CHUNK;
        }
        let bit = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.base + bit)
    }
}

/// Bit `i` set where `c[i]` is `a` or `b` (`c` shorter than 64 bytes).
fn scalar(c: &[u8], a: u8, b: u8) -> u64 {
    c.iter()
        .enumerate()
        .filter(|(_, &x)| x == a || x == b)
        .fold(0, |m, (i, _)| m | 1 << i)
}

/// Bit `i` set where `c[i]` is `a` or `b`, for the first 16 bytes of `c`.
#[inline(always)]
fn mask16(c: &[u8], a: u8, b: u8) -> u64 {
    assert!(c.len() >= 16);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        // SAFETY: `c` holds at least 16 bytes; wasm loads may be unaligned.
        let v = unsafe { v128_load(c.as_ptr() as *const v128) };
        let m = v128_or(u8x16_eq(v, u8x16_splat(a)), u8x16_eq(v, u8x16_splat(b)));
        u8x16_bitmask(m) as u64
    }
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; `c` holds at least 16 bytes (unaligned load).
        unsafe {
            let v = _mm_loadu_si128(c.as_ptr() as *const __m128i);
            let m = _mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8(a as i8)),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)),
            );
            _mm_movemask_epi8(m) as u16 as u64
        }
    }
    #[cfg(not(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        target_arch = "x86_64"
    )))]
    {
        scalar(&c[..16], a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn positions_are_every_match_in_order() {
        // Random bytes from a small alphabet (dense and sparse matches), every length
        // across the 16- and 32-byte chunks, against a plain filter.
        let mut seed = 3u64;
        for len in 0..200 {
            for density in [2u64, 5, 40] {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                        match (seed >> 33) % density {
                            0 => b',',
                            1 => b'\n',
                            r => b'a' + (r % 26) as u8,
                        }
                    })
                    .collect();
                let want: Vec<usize> = (0..len)
                    .filter(|&i| bytes[i] == b',' || bytes[i] == b'\n')
                    .collect();
                let got: Vec<usize> = Positions::new(&bytes, b',', b'\n').collect();
                assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&bytes));
            }
        }
        // A separator with the high bit set (a signed compare must not matter).
        let got: Vec<usize> = Positions::new(b"a\xa7b\n\xa7", 0xa7, b'\n').collect();
        assert_eq!(got, [1, 3, 4]);
    }
}
