//! Operations on partitions: series arithmetic and comparisons (pandas' dtype rules)
//! and boolean logic; the reductions' names ([`SeriesReduce`]; their partials are in
//! `partials`, datetime fields and rounding in `dt`).

use super::column::{Column, Dtype, NAT};
use crate::array::{BinaryOp, UnaryFn};
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
