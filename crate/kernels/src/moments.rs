//! Count, mean and M2 (the sum of squared deviations from the mean) of a set of numbers,
//! merged pairwise with Chan, Golub & LeVeque's formulas: the partials of `mean`, `var`
//! and `std` for array blocks and dataframe partitions alike. Merging never subtracts
//! large sums, so it stays accurate where the textbook `Σx² − n·mean²` does not.

/// `(count, mean, m2)` of one part.
pub(crate) type Moments = (f64, f64, f64);

/// The moments of the union of two parts.
pub(crate) fn merge(a: Moments, b: Moments) -> Moments {
    let ((na, ma, qa), (nb, mb, qb)) = (a, b);
    if nb == 0.0 {
        return a;
    }
    if na == 0.0 {
        return b;
    }
    let n = na + nb;
    if !(ma.is_finite() && mb.is_finite()) {
        // An infinity (or NaN) in a part: the mean is what the sum gives, as numpy's
        // (inf and 1 → inf; inf and -inf → NaN), where `ma + (mb − ma)·…` would give
        // inf − inf = NaN. The spread of such numbers is NaN.
        return (n, (ma * na + mb * nb) / n, f64::NAN);
    }
    let delta = mb - ma;
    (
        n,
        ma + delta * (nb / n),
        qa + qb + delta * delta * (na * nb / n),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Exact moments of [1, 2] ∪ [4]; empty parts; infinities as numpy gives them.
    #[test]
    fn merge_gives_the_moments_of_the_union() {
        // [1, 2] and [4]: count 3, mean 7/3, m2 = Σ(x − mean)² = 14/3.
        let (n, mean, m2) = merge((2.0, 1.5, 0.5), (1.0, 4.0, 0.0));
        assert_eq!(n, 3.0);
        assert!((mean - 7.0 / 3.0).abs() < 1e-15);
        assert!((m2 - 14.0 / 3.0).abs() < 1e-14);
        assert_eq!(merge((0.0, 0.0, 0.0), (1.0, 4.0, 0.0)), (1.0, 4.0, 0.0));
        // With an infinity, the mean is the sum's (numpy: mean([inf, 1]) = inf), m2 NaN.
        let (_, mean, m2) = merge((1.0, f64::INFINITY, 0.0), (1.0, 1.0, 0.0));
        assert_eq!(mean, f64::INFINITY);
        assert!(m2.is_nan());
        let (_, mean, _) = merge((1.0, f64::INFINITY, 0.0), (1.0, f64::NEG_INFINITY, 0.0));
        assert!(mean.is_nan());
    }
}
