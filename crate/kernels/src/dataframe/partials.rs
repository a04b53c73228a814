//! Reductions as partials merged up a tree: a partition's count and sum (exact for
//! int64), moments (Chan et al.), extremes or distinct keys ([`Partial`]), merged
//! pairwise and finished into pandas' result.

use rustc_hash::FxHashSet;

use super::column::{Column, Dtype};
use super::keys::{keys, KeyValue, HASH_SLACK};
use super::ops::SeriesReduce;
use crate::moments;
use daskling_core::{Error, Result};

/// A partial reduction of one partition, merged up a tree.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Partial {
    /// count, sum (of non-missing values).
    Sum {
        /// Non-missing values.
        count: f64,
        /// Their sum.
        sum: f64,
    },
    /// count, exact sum of an int64 series (wider than int64: the range is checked at
    /// the end, [`check`]).
    IntSum {
        /// Values.
        count: f64,
        /// Their sum.
        sum: i128,
    },
    /// count, mean, M2 (Chan et al.).
    Moments {
        /// Non-missing values.
        count: f64,
        /// Their mean.
        mean: f64,
        /// The sum of squared deviations from the mean.
        m2: f64,
    },
    /// The smallest or largest value so far (`None`: no value yet).
    Extreme {
        /// The extreme so far (`None`: none yet).
        value: Option<f64>,
    },
    /// Distinct values so far.
    Distinct(FxHashSet<KeyValue>),
}

impl crate::Footprint for Partial {
    fn nbytes(&self) -> u64 {
        let base = std::mem::size_of::<Partial>() as u64;
        match self {
            Partial::Distinct(set) => {
                let per = std::mem::size_of::<KeyValue>() as u64 + HASH_SLACK;
                // Counted by capacity: what the set really holds.
                base + set.capacity() as u64 * per
                    + set.iter().map(KeyValue::heap_bytes).sum::<u64>()
            }
            _ => base,
        }
    }
}

/// The partial reduction of a column.
pub(crate) fn partial(op: SeriesReduce, c: &Column) -> Result<Partial> {
    if op == SeriesReduce::Nunique {
        return Ok(Partial::Distinct(keys(c).into_iter().flatten().collect()));
    }
    if op == SeriesReduce::Count {
        let n = (0..c.len()).filter(|&i| match c {
            Column::String(v) => v[i].is_some(),
            _ => c.f64_at(i).is_some(),
        });
        return Ok(Partial::Sum {
            count: n.count() as f64,
            sum: 0.0,
        });
    }
    let numeric = c.dtype().is_numeric()
        || (c.dtype() == Dtype::Datetime && matches!(op, SeriesReduce::Min | SeriesReduce::Max));
    if !numeric {
        return Err(Error::invalid(format!(
            "{} of a {} series is not supported",
            op.name(),
            c.dtype()
        )));
    }
    if let (SeriesReduce::Sum, Column::Int64(v)) = (op, c) {
        return Ok(Partial::IntSum {
            count: v.len() as f64,
            sum: v.iter().map(|&x| x as i128).sum(),
        });
    }
    // Bools sum as ints (the number of trues), as pandas.
    if let (SeriesReduce::Sum, Column::Bool(v)) = (op, c) {
        let present = v.iter().flatten();
        return Ok(Partial::IntSum {
            count: present.clone().count() as f64,
            sum: present.filter(|&&b| b).count() as i128,
        });
    }
    let values = (0..c.len()).filter_map(|i| c.f64_at(i));
    Ok(match op {
        SeriesReduce::Sum => {
            let (mut count, mut sum) = (0.0, 0.0);
            for v in values {
                count += 1.0;
                sum += v;
            }
            Partial::Sum { count, sum }
        }
        SeriesReduce::Min => Partial::Extreme {
            value: values.reduce(f64::min),
        },
        SeriesReduce::Max => Partial::Extreme {
            value: values.reduce(f64::max),
        },
        _ => {
            let v: Vec<f64> = values.collect();
            let n = v.len() as f64;
            let mean = if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / n
            };
            let m2 = v.iter().map(|x| (x - mean) * (x - mean)).sum();
            Partial::Moments { count: n, mean, m2 }
        }
    })
}

/// Merges partials of the same reduction.
pub(crate) fn merge(op: SeriesReduce, parts: &[&Partial]) -> Result<Partial> {
    let mut it = parts.iter();
    let mut acc = (*it
        .next()
        .ok_or_else(|| Error::invalid("no partials to merge"))?)
    .clone();
    for p in it {
        acc = match (acc, *p) {
            (Partial::Sum { count, sum }, Partial::Sum { count: c2, sum: s2 }) => Partial::Sum {
                count: count + c2,
                sum: sum + s2,
            },
            (Partial::IntSum { count, sum }, Partial::IntSum { count: c2, sum: s2 }) => {
                Partial::IntSum {
                    count: count + c2,
                    sum: sum + s2,
                }
            }
            // A partition whose int64 column met a missing value read it as float64 (as
            // pandas would the whole column): the sum is a float sum.
            (Partial::IntSum { count, sum }, Partial::Sum { count: c2, sum: s2 }) => Partial::Sum {
                count: count + c2,
                sum: sum as f64 + s2,
            },
            (Partial::Sum { count, sum }, Partial::IntSum { count: c2, sum: s2 }) => Partial::Sum {
                count: count + c2,
                sum: sum + *s2 as f64,
            },
            (Partial::Extreme { value }, Partial::Extreme { value: v2 }) => Partial::Extreme {
                value: match (value, v2) {
                    (Some(a), Some(b)) => Some(if op == SeriesReduce::Min {
                        a.min(*b)
                    } else {
                        a.max(*b)
                    }),
                    (a, b) => a.or(*b),
                },
            },
            (
                Partial::Moments {
                    count: na,
                    mean: ma,
                    m2: qa,
                },
                Partial::Moments {
                    count: nb,
                    mean: mb,
                    m2: qb,
                },
            ) => {
                let (count, mean, m2) = moments::merge((na, ma, qa), (*nb, *mb, *qb));
                Partial::Moments { count, mean, m2 }
            }
            (Partial::Distinct(mut a), Partial::Distinct(b)) => {
                a.extend(b.iter().cloned());
                Partial::Distinct(a)
            }
            _ => return Err(Error::invalid("partials of different kinds")),
        };
    }
    Ok(acc)
}

/// An error when a merged partial has no value of its dtype: an int64 sum outside the
/// int64 range (pandas would wrap around silently; a float would round).
pub(crate) fn check(p: &Partial) -> Result<()> {
    match p {
        Partial::IntSum { sum, .. } if i64::try_from(*sum).is_err() => Err(Error::invalid(format!(
            "the sum of this int64 series is {sum}, outside the int64 range ({} to {}): sum it as float64 instead",
            i64::MIN,
            i64::MAX
        ))),
        _ => Ok(()),
    }
}

/// The final value of a merged partial (`ddof` for std and var, pandas' default 1).
pub(crate) fn finish(op: SeriesReduce, p: &Partial, ddof: f64) -> f64 {
    match (op, p) {
        (SeriesReduce::Count, Partial::Sum { count, .. } | Partial::Moments { count, .. }) => {
            *count
        }
        (SeriesReduce::Sum, Partial::Sum { sum, .. }) => *sum,
        (SeriesReduce::Sum, Partial::IntSum { sum, .. }) => *sum as f64,
        (SeriesReduce::Mean, Partial::Moments { count, mean, .. }) => {
            if *count == 0.0 {
                f64::NAN
            } else {
                *mean
            }
        }
        (SeriesReduce::Var | SeriesReduce::Std, Partial::Moments { count, m2, .. }) => {
            let v = if *count - ddof <= 0.0 {
                f64::NAN
            } else {
                m2 / (count - ddof)
            };
            if op == SeriesReduce::Std {
                v.sqrt()
            } else {
                v
            }
        }
        (_, Partial::Extreme { value }) => value.unwrap_or(f64::NAN),
        (_, Partial::Distinct(s)) => s.len() as f64,
        _ => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn int_and_float_partitions_of_one_column_sum_as_floats() {
        let ints = partial(SeriesReduce::Sum, &Column::Int64(vec![1, 2])).unwrap();
        let floats = partial(SeriesReduce::Sum, &Column::Float64(vec![0.5, f64::NAN])).unwrap();
        for parts in [[&ints, &floats], [&floats, &ints]] {
            let m = merge(SeriesReduce::Sum, &parts).unwrap();
            assert_eq!(finish(SeriesReduce::Sum, &m, 1.0), 3.5);
            assert_eq!(finish(SeriesReduce::Count, &m, 1.0), 3.0);
        }
    }

    #[test]
    fn merged_moments_equal_direct_ones() {
        let a = Column::Float64(vec![1.0, 2.0, f64::NAN]);
        let b = Column::Int64(vec![4, 8]);
        let pa = partial(SeriesReduce::Var, &a).unwrap();
        let pb = partial(SeriesReduce::Var, &b).unwrap();
        let m = merge(SeriesReduce::Var, &[&pa, &pb]).unwrap();
        // values 1, 2, 4, 8: mean 3.75, sample variance 9.583…
        let want =
            ((1.0f64 - 3.75).powi(2) + (2.0f64 - 3.75).powi(2) + 0.25f64.powi(2) + 4.25f64.powi(2))
                / 3.0;
        assert!((finish(SeriesReduce::Var, &m, 1.0) - want).abs() < 1e-12);
    }

    #[test]
    fn int64_sums_are_exact_and_leave_the_range_as_an_error() {
        let big = Column::Int64(vec![i64::MAX, 1]);
        let back = Column::Int64(vec![-2]);
        let (a, b) = (
            partial(SeriesReduce::Sum, &big).unwrap(),
            partial(SeriesReduce::Sum, &back).unwrap(),
        );
        // Over and back again: i64::MAX + 1 - 2, exact in between.
        let m = merge(SeriesReduce::Sum, &[&a, &b]).unwrap();
        assert!(check(&m).is_ok());
        assert_eq!(finish(SeriesReduce::Sum, &m, 1.0), (i64::MAX - 1) as f64);
        let over = merge(SeriesReduce::Sum, &[&a]).unwrap();
        let e = check(&over).unwrap_err().to_string();
        assert!(
            e.contains("9223372036854775808, outside the int64 range"),
            "{e}"
        );
        // 2^53 + 1 is exact as an integer sum (a float sum would round it).
        let p = partial(SeriesReduce::Sum, &Column::Int64(vec![1 << 53, 1])).unwrap();
        assert_eq!(
            p,
            Partial::IntSum {
                count: 2.0,
                sum: (1 << 53) + 1
            }
        );
    }
}
