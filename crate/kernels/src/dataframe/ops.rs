//! Operations on partitions: series arithmetic and comparisons (pandas' dtype rules),
//! boolean logic, and reduction partials (datetime fields and rounding are in `dt`).

use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::column::{Column, Dtype, NAT};
use crate::array::{BinaryOp, UnaryFn};
use crate::moments;
use daskling_core::{Error, Result};

/// Floats of a numeric column (missing → NaN); `None` for strings and datetimes.
fn as_f64(c: &Column) -> Option<Vec<f64>> {
    match c {
        Column::Int64(v) => Some(v.iter().map(|&x| x as f64).collect()),
        Column::Float64(v) => Some(v.clone()),
        Column::Bool(v) => Some(
            v.iter()
                .map(|x| x.map_or(f64::NAN, |b| b as u8 as f64))
                .collect(),
        ),
        _ => None,
    }
}

fn compare<T: PartialOrd>(op: BinaryOp, a: &T, b: &T) -> bool {
    op.compare(a, b).unwrap_or(false)
}

/// The dtype of `a op b`, or an error naming the operation and the dtypes.
pub fn binary_dtype(op: BinaryOp, a: Dtype, b: Dtype) -> Result<Dtype> {
    use Dtype::*;
    let bad = || {
        Err(Error::invalid(format!(
            "cannot {} {a} and {b} series",
            op.name()
        )))
    };
    if op.is_comparison() {
        return match (a, b) {
            (x, y) if x.is_numeric() && y.is_numeric() => Ok(Bool),
            (String, String) | (Datetime, Datetime) => Ok(Bool),
            _ => bad(),
        };
    }
    match (op, a, b) {
        (_, x, y) if !(x.is_numeric() && y.is_numeric()) => match (op, a, b) {
            (BinaryOp::Sub, Datetime, Datetime) => Ok(Float64),
            _ => bad(),
        },
        (
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Mod | BinaryOp::FloorDiv,
            Int64 | Bool,
            Int64 | Bool,
        ) => Ok(Int64),
        _ => Ok(Float64),
    }
}

/// `a op b` elementwise (equal lengths). Arithmetic of ints stays int64 where pandas
/// keeps it (add, sub, mul, mod, floorDiv — an int64 division by zero is an error, where
/// pandas would turn the whole result into floats), else float64; comparisons give bool (missing compares
/// false, `ne` true, as pandas); datetime − datetime gives milliseconds.
pub fn binary(op: BinaryOp, a: &Column, b: &Column) -> Result<Column> {
    if a.len() != b.len() {
        return Err(Error::invalid(format!(
            "series of different lengths ({} and {}) in one partition",
            a.len(),
            b.len()
        )));
    }
    let dtype = binary_dtype(op, a.dtype(), b.dtype())?;
    if op.is_comparison() {
        let out: Vec<Option<bool>> = match (a, b) {
            (Column::String(x), Column::String(y)) => x
                .iter()
                .zip(y)
                .map(|(p, q)| match (p, q) {
                    (Some(p), Some(q)) => Some(compare(op, p, q)),
                    _ => Some(op == BinaryOp::Ne),
                })
                .collect(),
            (Column::Datetime(x), Column::Datetime(y)) => x
                .iter()
                .zip(y)
                .map(|(&p, &q)| {
                    Some(if p == NAT || q == NAT {
                        op == BinaryOp::Ne
                    } else {
                        compare(op, &p, &q)
                    })
                })
                .collect(),
            _ => {
                let (x, y) = (as_f64(a).unwrap_or_default(), as_f64(b).unwrap_or_default());
                x.iter()
                    .zip(&y)
                    .map(|(p, q)| {
                        Some(if p.is_nan() || q.is_nan() {
                            op == BinaryOp::Ne
                        } else {
                            compare(op, p, q)
                        })
                    })
                    .collect()
            }
        };
        return Ok(Column::Bool(out));
    }
    if let (Column::Datetime(x), Column::Datetime(y)) = (a, b) {
        return Ok(Column::Float64(
            x.iter()
                .zip(y)
                .map(|(&p, &q)| {
                    if p == NAT || q == NAT {
                        f64::NAN
                    } else {
                        (p - q) as f64
                    }
                })
                .collect(),
        ));
    }
    if dtype == Dtype::Int64 {
        let ints = |c: &Column| -> Vec<i64> {
            match c {
                Column::Int64(v) => v.clone(),
                Column::Bool(v) => v.iter().map(|x| x.unwrap_or(false) as i64).collect(),
                _ => vec![],
            }
        };
        let (x, y) = (ints(a), ints(b));
        let f = |p: i64, q: i64| -> Result<i64> {
            if q == 0 && matches!(op, BinaryOp::Mod | BinaryOp::FloorDiv) {
                return Err(Error::invalid(format!(
                    "{} of int64 series: division by zero ({p} by 0); as float64 it gives inf or NaN",
                    op.name()
                )));
            }
            Ok(match op {
                BinaryOp::Add => p.wrapping_add(q),
                BinaryOp::Sub => p.wrapping_sub(q),
                // Python's and numpy's: rounded down, the remainder with the divisor's sign.
                BinaryOp::FloorDiv | BinaryOp::Mod => {
                    let (d, r) = (p.wrapping_div(q), p.wrapping_rem(q));
                    let below = r != 0 && ((r < 0) != (q < 0));
                    match (op, below) {
                        (BinaryOp::FloorDiv, true) => d - 1,
                        (BinaryOp::FloorDiv, false) => d,
                        (_, true) => r + q,
                        (_, false) => r,
                    }
                }
                _ => p.wrapping_mul(q),
            })
        };
        let out = x
            .iter()
            .zip(&y)
            .map(|(&p, &q)| f(p, q))
            .collect::<Result<Vec<i64>>>()?;
        return Ok(Column::Int64(out));
    }
    let (x, y) = (as_f64(a).unwrap_or_default(), as_f64(b).unwrap_or_default());
    Ok(Column::Float64(
        x.iter().zip(&y).map(|(&p, &q)| op.call(p, q)).collect(),
    ))
}

/// The dtype of `f(s)` for a series of dtype `series`, as pandas gives it: `-s` and
/// `abs(s)` of int64 stay int64, every other function gives float64; other dtypes are
/// an error naming the function.
///
/// ```
/// use daskling_kernels::array::UnaryFn;
/// use daskling_kernels::dataframe::{ops::unary_dtype, Dtype};
/// assert_eq!(unary_dtype(UnaryFn::Abs, Dtype::Int64).unwrap(), Dtype::Int64);
/// assert_eq!(unary_dtype(UnaryFn::Sqrt, Dtype::Int64).unwrap(), Dtype::Float64);
/// assert!(unary_dtype(UnaryFn::Sqrt, Dtype::String).is_err());
/// ```
pub fn unary_dtype(f: UnaryFn, series: Dtype) -> Result<Dtype> {
    match (f, series) {
        (UnaryFn::Neg | UnaryFn::Abs, Dtype::Int64) => Ok(Dtype::Int64),
        (_, Dtype::Int64 | Dtype::Float64) => Ok(Dtype::Float64),
        _ => Err(Error::invalid(format!(
            "{} needs a numeric series, got {series}",
            f.name()
        ))),
    }
}

/// `f` of each value of `c` (the dtype [`unary_dtype`] says; missing stays missing).
pub(crate) fn unary(f: UnaryFn, c: &Column) -> Result<Column> {
    let dtype = unary_dtype(f, c.dtype())?;
    Ok(match (c, dtype) {
        (Column::Int64(v), Dtype::Int64) => Column::Int64(
            v.iter()
                .map(|&x| match f {
                    UnaryFn::Neg => x.wrapping_neg(),
                    _ => x.wrapping_abs(),
                })
                .collect(),
        ),
        _ => Column::Float64(
            as_f64(c)
                .unwrap_or_default()
                .into_iter()
                .map(|x| f.call(x))
                .collect(),
        ),
    })
}

/// The dtype of a constant in series arithmetic: int64 for an integer that int64 and
/// float64 both hold exactly (|v| < 2⁵³), else float64 — so `s + 1e20` is float64.
pub(crate) fn constant_dtype(value: f64) -> Dtype {
    if value.fract() == 0.0 && value.abs() < crate::float::MAX_EXACT_INT {
        Dtype::Int64
    } else {
        Dtype::Float64
    }
}

/// The dtype of `s op value` for a series of dtype `series`: the one rule the
/// expression's metadata and the kernel of `s op value` both follow.
///
/// ```
/// use daskling_kernels::array::BinaryOp;
/// use daskling_kernels::dataframe::{ops::scalar_dtype, Dtype};
/// assert_eq!(scalar_dtype(BinaryOp::Add, Dtype::Int64, 1.0).unwrap(), Dtype::Int64);
/// assert_eq!(scalar_dtype(BinaryOp::Add, Dtype::Int64, 1e20).unwrap(), Dtype::Float64);
/// assert_eq!(scalar_dtype(BinaryOp::Gt, Dtype::Float64, 0.5).unwrap(), Dtype::Bool);
/// ```
pub fn scalar_dtype(op: BinaryOp, series: Dtype, value: f64) -> Result<Dtype> {
    if series == Dtype::Datetime {
        // A number with datetimes is milliseconds since the epoch.
        return binary_dtype(op, series, series);
    }
    binary_dtype(op, series, constant_dtype(value))
}

/// `c op value` (or `value op c` when `reflected`).
pub(crate) fn scalar(op: BinaryOp, c: &Column, value: f64, reflected: bool) -> Result<Column> {
    let k = match constant_dtype(value) {
        Dtype::Int64 => Column::Int64(vec![value as i64; c.len()]),
        _ => Column::Float64(vec![value; c.len()]),
    };
    if let Column::Datetime(_) = c {
        // Comparing datetimes with a number compares milliseconds since the epoch.
        let ms = Column::Datetime(vec![value as i64; c.len()]);
        return if reflected {
            binary(op, &ms, c)
        } else {
            binary(op, c, &ms)
        };
    }
    if reflected {
        binary(op, &k, c)
    } else {
        binary(op, c, &k)
    }
}

crate::name_table! {
    /// Boolean logic of bool series (missing is false, as pandas).
    pub enum LogicalOp {
        And = "and": "`this & other`: both true.",
        Or = "or": "`this | other`: either true.",
        Not = "not": "`~this`: negation.",
    }
}

impl LogicalOp {
    /// The Python operator, as the dask export writes it.
    pub const fn symbol(self) -> &'static str {
        match self {
            LogicalOp::And => "&",
            LogicalOp::Or => "|",
            LogicalOp::Not => "~",
        }
    }
}

/// Boolean `and`, `or` (missing is false, as pandas) and `not` (`b` is `None`).
pub(crate) fn logical(op: LogicalOp, a: &Column, b: Option<&Column>) -> Result<Column> {
    let bools = |c: &Column| -> Result<Vec<bool>> {
        match c {
            Column::Bool(v) => Ok(v.iter().map(|x| x.unwrap_or(false)).collect()),
            other => Err(Error::invalid(format!(
                "{op} needs bool series, got {}",
                other.dtype()
            ))),
        }
    };
    let x = bools(a)?;
    let out: Vec<bool> = match (op, b) {
        (LogicalOp::Not, _) => x.iter().map(|v| !v).collect(),
        (LogicalOp::And, Some(b)) => x.iter().zip(bools(b)?).map(|(p, q)| *p && q).collect(),
        (LogicalOp::Or, Some(b)) => x.iter().zip(bools(b)?).map(|(p, q)| *p || q).collect(),
        (_, None) => return Err(Error::invalid(format!("{op} needs two series"))),
    };
    Ok(Column::Bool(out.into_iter().map(Some).collect()))
}

/// A mask from a bool column (missing is false).
pub(crate) fn mask(c: &Column) -> Result<Vec<bool>> {
    match c {
        Column::Bool(v) => Ok(v.iter().map(|x| x.unwrap_or(false)).collect()),
        other => Err(Error::invalid(format!(
            "filter needs a bool series, got {}",
            other.dtype()
        ))),
    }
}

crate::name_table! {
    /// A reduction of a series to one number (missing values skipped, as pandas).
    pub enum SeriesReduce {
        Sum = "sum": "The sum.",
        Mean = "mean": "The mean.",
        Min = "min": "The smallest value.",
        Max = "max": "The largest value.",
        Count = "count": "How many values are not missing.",
        Std = "std": "The standard deviation (`ddof`, default 1).",
        Var = "var": "The variance (`ddof`, default 1).",
        Nunique = "nunique": "How many distinct values.",
    }
}

impl SeriesReduce {
    /// Whether `ddof` changes the result (`var`, `std`).
    pub fn takes_ddof(self) -> bool {
        matches!(self, SeriesReduce::Std | SeriesReduce::Var)
    }
}

/// A hashable value, for `nunique` and group keys.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum KeyValue {
    /// An integer (or datetime) key.
    Int(i64),
    /// A float's bits (NaN never becomes a key).
    Float(u64),
    /// A bool key.
    Bool(bool),
    /// A text key.
    Str(Arc<str>),
    /// Several keys (a groupby by several columns), none missing.
    Tuple(Arc<[KeyValue]>),
}

/// The rows of several key columns as keys: one column's own keys, or tuples of
/// several (`None` where any of them is missing, as pandas' `dropna=True` drops the row).
pub(crate) fn row_keys(cols: &[&Column]) -> Vec<Option<KeyValue>> {
    if let [one] = cols {
        return keys(one);
    }
    let each: Vec<Vec<Option<KeyValue>>> = cols.iter().map(|c| keys(c)).collect();
    let n = cols.first().map_or(0, |c| c.len());
    let mut out: Vec<Option<KeyValue>> = Vec::with_capacity(n);
    for i in 0..n {
        // Rows come in runs of one key (a day's minutes): a row equal to the one before
        // shares its tuple rather than allocating another.
        if i > 0 && each.iter().all(|k| k[i] == k[i - 1]) {
            out.push(out[i - 1].clone());
            continue;
        }
        out.push(
            each.iter()
                .map(|k| k[i].clone())
                .collect::<Option<Vec<KeyValue>>>()
                .map(|t| KeyValue::Tuple(t.into())),
        );
    }
    out
}

/// The non-missing values of `c` as keys.
pub(crate) fn keys(c: &Column) -> Vec<Option<KeyValue>> {
    match c {
        Column::Int64(v) => v.iter().map(|&x| Some(KeyValue::Int(x))).collect(),
        Column::Datetime(v) => v
            .iter()
            .map(|&x| (x != NAT).then_some(KeyValue::Int(x)))
            .collect(),
        Column::Float64(v) => v
            .iter()
            .map(|&x| (!x.is_nan()).then(|| KeyValue::Float((x + 0.0).to_bits())))
            .collect(),
        Column::Bool(v) => v.iter().map(|x| x.map(KeyValue::Bool)).collect(),
        Column::String(v) => v.iter().map(|x| x.clone().map(KeyValue::Str)).collect(),
    }
}

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

impl KeyValue {
    /// Bytes held beyond the enum itself (a text key's string).
    pub fn heap_bytes(&self) -> u64 {
        match self {
            KeyValue::Str(s) => s.len() as u64,
            KeyValue::Tuple(t) => t
                .iter()
                .map(|k| std::mem::size_of::<KeyValue>() as u64 + k.heap_bytes())
                .sum(),
            _ => 0,
        }
    }
}

/// Bytes a hash table holds per entry beyond its key and value (control byte, load
/// factor slack of hashbrown's 7/8 and power-of-two growth, on average).
pub(crate) const HASH_SLACK: u64 = 8;

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
