//! JavaScript values made partitions of declared columns and dtypes: what a
//! `mapPartitions` function returns — a Table (`{columns, data}`), a plain object of
//! columns, a Column (`{values}`), an array or typed array, or one value (a series of one
//! row) — checked against its `meta`, with errors that say which column and value.
//!
//! Values as the package hands them out convert back: numbers (any typed array, or
//! numbers with `null`/`NaN` missing), bools (`true`/`false`, or 1/0 with `NaN` missing, as
//! Columns give them), text (strings, `null` missing), datetimes (`Date`s or milliseconds
//! since the epoch).

use std::sync::Arc;

use super::Kind;
use crate::expr::js_value::JsVal;
use crate::kernels::dataframe::column::NAT;
use crate::kernels::dataframe::{Column, Dtype, Frame};

/// `v` as a partition of `kind` with columns `names` of `dtypes`.
pub(super) fn to_frame(
    v: &JsVal,
    kind: Kind,
    names: &[String],
    dtypes: &[Dtype],
) -> Result<Frame, String> {
    let columns = if kind == Kind::Series {
        let values = match v {
            JsVal::Object(_) => v.get("values").ok_or_else(|| {
                format!(
                    "returned an object without values, where a Series ({} {}) was declared",
                    names[0], dtypes[0]
                )
            })?,
            other => other,
        };
        vec![column(values, dtypes[0]).map_err(|e| format!("{e} (the Series {})", names[0]))?]
    } else {
        let table = match v.get("data") {
            Some(data @ JsVal::Object(_)) => data,
            _ => v,
        };
        let JsVal::Object(fields) = table else {
            return Err(format!(
                "returned {}, where a DataFrame (a Table or an object of columns) was declared",
                v.describe()
            ));
        };
        if let Some((extra, _)) = fields.iter().find(|(k, _)| !names.contains(k)) {
            return Err(format!(
                "returned a column {extra} that meta does not declare (meta: {})",
                names.join(", ")
            ));
        }
        let mut out = Vec::with_capacity(names.len());
        for (n, &t) in names.iter().zip(dtypes) {
            let values = table
                .get(n)
                .ok_or_else(|| format!("returned no column {n} (meta declares it)"))?;
            out.push(column(values, t).map_err(|e| format!("{e} (column {n})"))?);
        }
        out
    };
    let len = columns.first().map_or(0, Column::len);
    if let Some((n, c)) = names.iter().zip(&columns).find(|(_, c)| c.len() != len) {
        return Err(format!(
            "its columns differ in length: {} has {} values, {n} has {}",
            names[0],
            len,
            c.len()
        ));
    }
    Ok(Frame {
        names: names.to_vec().into(),
        columns,
        index: None,
    })
}

/// The numbers a value holds, as they come (a missing one as `None`).
enum Cell<'a> {
    Num(f64),
    Int(i64),
    Bool(bool),
    Text(&'a str),
    Date(f64),
    Missing,
    Other(&'static str),
}

fn cell(x: &JsVal) -> Cell<'_> {
    match x {
        JsVal::Number(n) if n.is_nan() => Cell::Missing,
        JsVal::Number(n) => Cell::Num(*n),
        JsVal::Bool(b) => Cell::Bool(*b),
        JsVal::Str(s) => Cell::Text(s),
        JsVal::Date(ms) if ms.is_nan() => Cell::Missing,
        JsVal::Date(ms) => Cell::Date(*ms),
        JsVal::Null | JsVal::Undefined => Cell::Missing,
        other => Cell::Other(other.describe()),
    }
}

fn cells(v: &JsVal) -> Vec<Cell<'_>> {
    match v {
        JsVal::Typed(xs) => xs
            .iter()
            .map(|&x| {
                if x.is_nan() {
                    Cell::Missing
                } else {
                    Cell::Num(x)
                }
            })
            .collect(),
        JsVal::Ints(xs) => xs.iter().map(|&x| Cell::Int(x)).collect(),
        JsVal::Array(xs) => xs.iter().map(cell).collect(),
        scalar => vec![cell(scalar)],
    }
}

/// The dtype pandas would give `v`'s values (as `pd.DataFrame({...})` gives a list's):
/// integer typed arrays and arrays of whole numbers int64, other numbers float64
/// (missing values too), booleans bool, strings string, `Date`s datetime; a mix is an
/// error naming what it mixes.
pub(super) fn infer(v: &JsVal) -> Result<Dtype, String> {
    if let JsVal::Ints(_) = v {
        return Ok(Dtype::Int64);
    }
    let (mut num, mut frac, mut missing, mut kinds) = (false, false, false, vec![]);
    for c in cells(v) {
        let kind = match c {
            Cell::Missing => {
                missing = true;
                continue;
            }
            Cell::Num(x) => {
                num = true;
                frac |= x.fract() != 0.0 || x.abs() > 9.007_199_254_740_992e15;
                Dtype::Float64
            }
            Cell::Int(_) => Dtype::Float64,
            Cell::Bool(_) => Dtype::Bool,
            Cell::Text(_) => Dtype::String,
            Cell::Date(_) => Dtype::Datetime,
            Cell::Other(what) => return Err(format!("holds {what}")),
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    match kinds[..] {
        [] => Ok(Dtype::Float64),
        [Dtype::Float64] if num && !frac && !missing && !matches!(v, JsVal::Typed(_)) => {
            Ok(Dtype::Int64)
        }
        [one] => Ok(one),
        _ => Err(format!(
            "mixes {} values: give one kind per column (or its dtype)",
            kinds
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// A column of dtype `t` from `v`'s values.
pub(super) fn column(v: &JsVal, t: Dtype) -> Result<Column, String> {
    let cells = cells(v);
    let bad = |i: usize, what: &str| format!("value {i} is {what}, which a {t} column cannot hold");
    let what = |c: &Cell| match c {
        Cell::Num(_) | Cell::Int(_) => "a number",
        Cell::Bool(_) => "a boolean",
        Cell::Text(_) => "a string",
        Cell::Date(_) => "a Date",
        Cell::Missing => "missing",
        Cell::Other(w) => w,
    };
    Ok(match t {
        Dtype::Float64 => Column::Float64(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Cell::Num(x) => Ok(*x),
                    Cell::Int(x) => Ok(*x as f64),
                    Cell::Missing => Ok(f64::NAN),
                    other => Err(bad(i, what(other))),
                })
                .collect::<Result<_, _>>()?,
        ),
        Dtype::Int64 => Column::Int64(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Cell::Int(x) => Ok(*x),
                    Cell::Num(x) if x.fract() == 0.0 && x.abs() <= 9.007_199_254_740_992e15 => {
                        Ok(*x as i64)
                    }
                    Cell::Num(x) => Err(format!(
                        "value {i} is {x}, which is not a whole number for an int64 column (declare float64)"
                    )),
                    Cell::Missing => Err(format!(
                        "value {i} is missing, which an int64 column cannot hold (declare float64)"
                    )),
                    other => Err(bad(i, what(other))),
                })
                .collect::<Result<_, _>>()?,
        ),
        Dtype::Bool => Column::Bool(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Cell::Bool(b) => Ok(Some(*b)),
                    Cell::Num(x) if *x == 0.0 || *x == 1.0 => Ok(Some(*x == 1.0)),
                    Cell::Int(x) if *x == 0 || *x == 1 => Ok(Some(*x == 1)),
                    Cell::Missing => Ok(None),
                    other => Err(bad(i, what(other))),
                })
                .collect::<Result<_, _>>()?,
        ),
        Dtype::String => Column::String(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Cell::Text(s) => Ok(Some(Arc::from(*s))),
                    Cell::Missing => Ok(None),
                    other => Err(bad(i, what(other))),
                })
                .collect::<Result<_, _>>()?,
        ),
        Dtype::Datetime => Column::Datetime(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Cell::Date(ms) | Cell::Num(ms) => Ok(ms.round() as i64),
                    Cell::Int(ms) => Ok(*ms),
                    Cell::Missing => Ok(NAT),
                    other => Err(bad(i, what(other))),
                })
                .collect::<Result<_, _>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(fields: Vec<(&str, JsVal)>) -> JsVal {
        JsVal::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    #[test]
    fn tables_columns_and_errors() {
        let names = vec!["x".to_string(), "s".to_string()];
        let dtypes = [Dtype::Int64, Dtype::String];
        let data = obj(vec![
            ("x", JsVal::Typed(vec![1.0, 2.0])),
            ("s", JsVal::Array(vec![JsVal::Str("a".into()), JsVal::Null])),
        ]);
        let table = obj(vec![("columns", JsVal::Null), ("data", data.clone())]);
        for v in [&table, &data] {
            let f = to_frame(v, Kind::Frame, &names, &dtypes).unwrap();
            assert_eq!(f.columns[0], Column::Int64(vec![1, 2]));
            assert_eq!(f.columns[1], Column::String(vec![Some("a".into()), None]));
        }
        let e = to_frame(&JsVal::Number(1.0), Kind::Frame, &names, &dtypes).unwrap_err();
        assert!(e.contains("returned a number, where a DataFrame"), "{e}");
        let half = obj(vec![("x", JsVal::Typed(vec![1.5]))]);
        let e = to_frame(&half, Kind::Frame, &names, &dtypes).unwrap_err();
        assert!(
            e.contains("value 0 is 1.5, which is not a whole number") && e.contains("column x"),
            "{e}"
        );
        let one = [Dtype::Bool];
        let s = to_frame(&JsVal::Bool(true), Kind::Series, &names[..1], &one).unwrap();
        assert_eq!(s.columns[0], Column::Bool(vec![Some(true)]));
        let nan = JsVal::Typed(vec![1.0, f64::NAN, 0.0]);
        let s = to_frame(&nan, Kind::Series, &names[..1], &one).unwrap();
        assert_eq!(
            s.columns[0],
            Column::Bool(vec![Some(true), None, Some(false)])
        );
    }
}
