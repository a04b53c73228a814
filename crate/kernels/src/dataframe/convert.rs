//! Conversions between dtypes (`astype`) and Python's spellings of values — a float as
//! `repr` writes it, a string literal — which `astype(str)` and the pandas calls `toDask`
//! writes share.

use std::sync::Arc;

use super::column::{Column, Dtype, NAT};
use daskling_core::{Error, Result};

/// Python's `repr` of a float, as pandas writes floats as text (`1.0`, `1e+16`,
/// `0.30000000000000004`, `nan`, `inf`).
///
/// ```
/// use daskling_kernels::dataframe::convert::python_float;
/// assert_eq!(python_float(3.0), "3.0");
/// assert_eq!(python_float(1e16), "1e+16");
/// assert_eq!(python_float(1.5e-7), "1.5e-07");
/// assert_eq!(python_float(0.1 + 0.2), "0.30000000000000004");
/// ```
pub fn python_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's Debug is the shortest round trip, switching to exponents where Python's
    // repr does (below 1e-4, from 1e16); only the exponent is spelled differently.
    let s = format!("{x:?}");
    match s.split_once('e') {
        None => s,
        Some((m, e)) => {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            format!("{m}e{sign}{digits:0>2}")
        }
    }
}

/// A Python string literal of `s`.
pub(crate) fn python_str(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `c` converted to `to` (see `ColumnMap::Astype`).
pub(super) fn astype(c: &Column, to: Dtype) -> Result<Column> {
    let cannot = |v: &dyn std::fmt::Display, why: &str| {
        Error::invalid(format!("astype({to}): cannot convert {v}: {why}"))
    };
    if c.dtype() == to {
        return Ok(c.clone());
    }
    Ok(match (c, to) {
        (Column::String(v), Dtype::Int64) => Column::Int64(
            v.iter()
                .map(|s| match s {
                    None => Err(cannot(&"a missing value", "int64 has no missing values")),
                    Some(s) => s
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| cannot(&format!("{s:?}"), "not an integer")),
                })
                .collect::<Result<_>>()?,
        ),
        (Column::String(v), Dtype::Float64) => Column::Float64(
            v.iter()
                .map(|s| match s {
                    None => Ok(f64::NAN),
                    Some(s) => s
                        .trim()
                        .parse::<f64>()
                        .map_err(|_| cannot(&format!("{s:?}"), "not a number")),
                })
                .collect::<Result<_>>()?,
        ),
        (Column::Datetime(v), Dtype::Int64) => Column::Int64(
            v.iter()
                .map(|&t| {
                    if t == NAT {
                        Err(cannot(&"NaT", "int64 has no missing values"))
                    } else {
                        // pandas' datetime64[ns]: nanoseconds since the epoch.
                        t.checked_mul(1_000_000)
                            .ok_or_else(|| cannot(&t, "out of the nanosecond range"))
                    }
                })
                .collect::<Result<_>>()?,
        ),
        (_, Dtype::String) => Column::String(
            (0..c.len())
                .map(|i| {
                    if c.is_missing(i) {
                        return None;
                    }
                    let s = match c {
                        Column::Int64(v) => v[i].to_string(),
                        Column::Float64(v) => python_float(v[i]),
                        Column::Bool(v) => if v[i] == Some(true) { "True" } else { "False" }.into(),
                        _ => return None,
                    };
                    Some(Arc::from(s))
                })
                .collect(),
        ),
        (_, Dtype::Float64) => Column::Float64(
            (0..c.len())
                .map(|i| c.f64_at(i).unwrap_or(f64::NAN))
                .collect(),
        ),
        (_, Dtype::Int64) => Column::Int64(
            (0..c.len())
                .map(|i| match c.f64_at(i) {
                    Some(x) if x.is_finite() && x.abs() < 9.223_372_036_854_776e18 => Ok(x as i64),
                    _ => Err(Error::invalid(
                        "astype(int64): cannot convert non-finite values (NA or inf) to integer; \
                         fill them first (fillna) or drop them (dropna)",
                    )),
                })
                .collect::<Result<_>>()?,
        ),
        (_, Dtype::Bool) => Column::Bool(
            (0..c.len())
                // numpy's truth of numbers: non-zero, and NaN, are true.
                .map(|i| match c {
                    Column::Float64(v) => Some(v[i] != 0.0),
                    _ => c.f64_at(i).map(|x| x != 0.0),
                })
                .collect(),
        ),
        _ => {
            return Err(Error::invalid(format!(
                "astype: cannot convert a {} series to {to}",
                c.dtype()
            )))
        }
    })
}
