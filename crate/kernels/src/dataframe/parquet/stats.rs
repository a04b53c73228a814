//! Filters on a Parquet read, as pyarrow's and dask's `filters`: a row group whose
//! statistics (min, max, null count) prove that no row can pass is never read.
//!
//! A filter is a list of conjunctions, any of which a row may pass (`[[a], [b, c]]` is
//! `a or (b and c)`); a predicate compares a column with a value (`==`, `!=`, `<`,
//! `<=`, `>`, `>=`) or a list (`in`, `not in`); a missing value passes only `not in`.
//! Rows themselves are filtered after the read, by the ordinary comparison operations.

use parquet::file::statistics::Statistics;

use super::{Kind, ParquetFile};
use crate::array::BinaryOp;
use crate::dataframe::datetime::{parse_datetime, DAY_MS};

/// A comparison of a predicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cmp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
}

impl Cmp {
    /// The operator as pyarrow spells it (`"=="`, `"in"`, `"not in"`, …); `"="` too.
    ///
    /// ```
    /// use daskling_kernels::dataframe::parquet::stats::Cmp;
    /// assert_eq!(Cmp::parse(">="), Some(Cmp::Ge));
    /// assert_eq!(Cmp::parse("not in").map(Cmp::symbol), Some("not in"));
    /// assert_eq!(Cmp::parse("~"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Cmp> {
        Some(match s {
            "=" | "==" => Cmp::Eq,
            "!=" => Cmp::Ne,
            "<" => Cmp::Lt,
            "<=" => Cmp::Le,
            ">" => Cmp::Gt,
            ">=" => Cmp::Ge,
            "in" => Cmp::In,
            "not in" => Cmp::NotIn,
            _ => return None,
        })
    }

    /// The comparison of a column with a constant as the series operation that makes it
    /// (`None` for `in` and `not in`).
    ///
    /// ```
    /// use daskling_kernels::array::BinaryOp;
    /// use daskling_kernels::dataframe::parquet::stats::Cmp;
    /// assert_eq!(Cmp::Le.binary(), Some(BinaryOp::Le));
    /// assert_eq!(Cmp::In.binary(), None);
    /// ```
    pub fn binary(self) -> Option<BinaryOp> {
        Some(match self {
            Cmp::Eq => BinaryOp::Eq,
            Cmp::Ne => BinaryOp::Ne,
            Cmp::Lt => BinaryOp::Lt,
            Cmp::Le => BinaryOp::Le,
            Cmp::Gt => BinaryOp::Gt,
            Cmp::Ge => BinaryOp::Ge,
            Cmp::In | Cmp::NotIn => return None,
        })
    }

    /// The comparison `column op constant` makes (`reflected`: `constant op column`, so
    /// `5 < x` is `x > 5`); `None` when `op` does not compare.
    ///
    /// ```
    /// use daskling_kernels::array::BinaryOp;
    /// use daskling_kernels::dataframe::parquet::stats::Cmp;
    /// assert_eq!(Cmp::of_binary(BinaryOp::Lt, true), Some(Cmp::Gt));
    /// assert_eq!(Cmp::of_binary(BinaryOp::Add, false), None);
    /// ```
    pub fn of_binary(op: BinaryOp, reflected: bool) -> Option<Cmp> {
        let c = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge]
            .into_iter()
            .find(|c| c.binary() == Some(op))?;
        Some(match (c, reflected) {
            (Cmp::Lt, true) => Cmp::Gt,
            (Cmp::Le, true) => Cmp::Ge,
            (Cmp::Gt, true) => Cmp::Lt,
            (Cmp::Ge, true) => Cmp::Le,
            (c, _) => c,
        })
    }

    /// pyarrow's spelling.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::In => "in",
            Cmp::NotIn => "not in",
        }
    }
}

/// A value a column is compared with.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text (for datetime columns: a date or timestamp, `"2020-01-02"`).
    Text(String),
}

/// `column op value(s)`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Predicate {
    /// The column.
    pub column: String,
    /// The comparison.
    pub op: Cmp,
    /// The value (one), or the list of `in` / `not in`.
    pub values: Vec<Scalar>,
}

/// Bounds of a column chunk, in one comparable form.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Bound<'a> {
    Num(f64),
    Text(&'a [u8]),
    Bool(bool),
}

/// The value of `s` for a column stored as `kind`, in the form of its bounds.
fn bound_of(kind: Kind, s: &Scalar) -> Option<Bound<'_>> {
    match (kind, s) {
        (Kind::Bool, Scalar::Bool(b)) => Some(Bound::Bool(*b)),
        (Kind::Utf8, Scalar::Text(t)) => Some(Bound::Text(t.as_bytes())),
        (Kind::Date | Kind::Timestamp { .. } | Kind::Int96, Scalar::Text(t)) => {
            parse_datetime(t.as_bytes()).map(|ms| Bound::Num(ms as f64))
        }
        (Kind::Utf8 | Kind::Bool, _) => None,
        (_, Scalar::Number(x)) => Some(Bound::Num(*x)),
        _ => None,
    }
}

/// The chunk's (min, max) as bounds in milliseconds for times; `None` when unknown.
fn bounds(kind: Kind, s: &Statistics) -> Option<(Bound<'_>, Bound<'_>)> {
    let num = |a: f64, b: f64| Some((Bound::Num(a), Bound::Num(b)));
    match (kind, s) {
        (Kind::Bool, Statistics::Boolean(v)) => {
            Some((Bound::Bool(*v.min_opt()?), Bound::Bool(*v.max_opt()?)))
        }
        (Kind::Int32, Statistics::Int32(v)) => num(*v.min_opt()? as f64, *v.max_opt()? as f64),
        (Kind::Date, Statistics::Int32(v)) => {
            let day = DAY_MS as f64;
            num(*v.min_opt()? as f64 * day, *v.max_opt()? as f64 * day)
        }
        (Kind::Int64, Statistics::Int64(v)) => num(*v.min_opt()? as f64, *v.max_opt()? as f64),
        (Kind::Timestamp { per_ms }, Statistics::Int64(v)) => num(
            v.min_opt()?.div_euclid(per_ms) as f64,
            v.max_opt()?.div_euclid(per_ms) as f64,
        ),
        (Kind::Float, Statistics::Float(v)) => num(*v.min_opt()? as f64, *v.max_opt()? as f64),
        (Kind::Double, Statistics::Double(v)) => num(*v.min_opt()?, *v.max_opt()?),
        (Kind::Utf8, Statistics::ByteArray(v)) => Some((
            Bound::Text(v.min_opt()?.data()),
            Bound::Text(v.max_opt()?.data()),
        )),
        _ => None,
    }
}

/// Whether some row of row group `group` of `file` may pass `filters` (an OR of ANDs),
/// from its statistics; true when they cannot tell. (Tested with files pyarrow
/// writes: `crate/daskling/tests/integration/dataframe/parquet.rs`.)
pub fn may_pass(file: &ParquetFile, group: usize, filters: &[Vec<Predicate>]) -> bool {
    filters.is_empty()
        || filters
            .iter()
            .any(|all| all.iter().all(|p| predicate_may_pass(file, group, p)))
}

fn predicate_may_pass(file: &ParquetFile, group: usize, p: &Predicate) -> bool {
    let Some(field) = file.fields.iter().find(|f| f.name == p.column) else {
        return true;
    };
    let chunk = file.meta.row_group(group).column(field.leaf);
    let Some(stats) = chunk.statistics() else {
        return true;
    };
    let rows = file.meta.row_group(group).num_rows().max(0) as u64;
    if p.op == Cmp::NotIn && stats.null_count_opt() != Some(0) {
        // A missing value passes `not in` (pyarrow's `~isin`).
        return true;
    }
    if stats.null_count_opt() == Some(rows) {
        // All missing: no other comparison is true.
        return false;
    }
    let Some((lo, hi)) = bounds(field.kind, stats) else {
        return true;
    };
    let values: Vec<Bound> = p
        .values
        .iter()
        .filter_map(|v| bound_of(field.kind, v))
        .collect();
    if values.len() != p.values.len() {
        return true;
    }
    let one = |v: Bound| match p.op {
        Cmp::Eq | Cmp::In => lo <= v && v <= hi,
        Cmp::Ne | Cmp::NotIn => !(lo == v && hi == v),
        Cmp::Lt => lo < v,
        Cmp::Le => lo <= v,
        Cmp::Gt => hi > v,
        Cmp::Ge => hi >= v,
    };
    match p.op {
        Cmp::In => values.into_iter().any(one),
        Cmp::NotIn => values.into_iter().all(one),
        _ => values.first().is_some_and(|&v| one(v)),
    }
}
