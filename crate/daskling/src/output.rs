//! The one result type: what a computed value is as the API gives it — to JavaScript by
//! the wasm bindings, as JSON by the `daskling` command. Both encode an [`Output`], so
//! the two cannot disagree on shapes, dtypes or missing values.
//!
//! | value | result |
//! |---|---|
//! | 0-d array, scalar | a number |
//! | array | `{shape, data}` (row-major float64) |
//! | dataframe | Table: `{columns, dtypes, index, indexDtype, data, length}` |
//! | series | Column: `{name, dtype, index, indexDtype, values}` |
//! | JavaScript call | the value it returned (encoded) |
//! | write (`toCsv`, `toParquet`) | its files' bytes (JSON: their text) |
//!
//! Column values ([`Values`]): int64 and float64 as float64 (missing: NaN), datetimes as
//! milliseconds since the epoch (missing: NaN), bools as 1/0 with missing as NaN when
//! any is missing, strings with missing as `null`. `indexDtype` names the index's dtype
//! (`datetime` for groups by a rounded timestamp), `null` without an index.

use ndarray::ArrayD;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::expr::dataframe::Kind;
use crate::expr::js::Encoded;
use crate::kernels::dataframe::column::NAT;
use crate::kernels::dataframe::{Column, Frame};
use crate::kernels::Value;

/// A computed value, by the kind of expression it came from.
#[derive(Debug)]
pub enum Output<'a> {
    /// A number (a 0-d array or a scalar).
    Number(f64),
    /// An n-d array.
    Array(&'a ArrayD<f64>),
    /// A dataframe.
    Table(&'a Frame),
    /// A series (a one-column frame).
    Column(&'a Frame),
    /// What a JavaScript function returned, encoded.
    Encoded(&'a [u8]),
    /// Files a write made (`toCsv`, `toParquet`): their bytes, in order.
    Files(Vec<&'a [u8]>),
    /// Nothing the API shows (a Rust value, raw bytes).
    Nothing,
}

impl<'a> Output<'a> {
    /// `value` as the result of an expression of `kind` (frames of a series kind are
    /// Columns).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::Kind;
    /// use daskling::kernels::Value;
    /// use daskling::Output;
    /// let v = Value::Block(Arc::new(ndarray::arr0(2.5).into_dyn()));
    /// assert!(matches!(Output::of(&v, Kind::Frame), Output::Number(x) if x == 2.5));
    /// assert_eq!(serde_json::to_string(&Output::of(&v, Kind::Frame)).unwrap(), "2.5");
    /// ```
    pub fn of(value: &'a Value, kind: Kind) -> Output<'a> {
        match value {
            Value::F64(x) => Output::Number(*x),
            Value::Block(b) if b.ndim() == 0 => {
                Output::Number(b.iter().copied().next().unwrap_or(f64::NAN))
            }
            Value::Block(b) => Output::Array(b),
            Value::Frame(f) if kind == Kind::Series => Output::Column(f),
            Value::Frame(f) => Output::Table(f),
            Value::Any(a) => match a.downcast_ref::<Encoded>() {
                Some(Encoded(bytes)) => Output::Encoded(bytes),
                None => Output::Nothing,
            },
            Value::Tuple(parts) if parts.iter().all(|p| matches!(p, Value::Bytes(_))) => {
                Output::Files(
                    parts
                        .iter()
                        .filter_map(|p| match p {
                            Value::Bytes(b) => Some(b.as_slice()),
                            _ => None,
                        })
                        .collect(),
                )
            }
            Value::Tuple(_) | Value::Bytes(_) | Value::Partial(_) => Output::Nothing,
        }
    }
}

/// A column's values as results carry them.
#[derive(Debug, PartialEq)]
pub enum Values<'a> {
    /// Numbers (int64, float64, datetime ms; bools as 1/0 when one is missing), NaN
    /// for missing.
    F64(Vec<f64>),
    /// Bools without a missing value, as 1/0.
    U8(Vec<u8>),
    /// Text, `None` for missing.
    Str(Vec<Option<&'a str>>),
}

/// The values of `c` as results carry them.
///
/// ```
/// use daskling::kernels::dataframe::Column;
/// use daskling::output::{values, Values};
/// // A missing bool stays missing (NaN among 1/0), as pandas' nullable boolean.
/// let Values::F64(v) = values(&Column::Bool(vec![Some(true), None])) else { panic!() };
/// assert!(v[0] == 1.0 && v[1].is_nan());
/// assert_eq!(values(&Column::Bool(vec![Some(true), Some(false)])), Values::U8(vec![1, 0]));
/// ```
pub fn values(c: &Column) -> Values<'_> {
    match c {
        Column::Int64(v) => Values::F64(v.iter().map(|&x| x as f64).collect()),
        Column::Float64(v) => Values::F64(v.clone()),
        Column::Datetime(v) => Values::F64(
            v.iter()
                .map(|&x| if x == NAT { f64::NAN } else { x as f64 })
                .collect(),
        ),
        Column::Bool(v) if v.iter().any(Option::is_none) => Values::F64(
            v.iter()
                .map(|x| x.map_or(f64::NAN, |b| b as u8 as f64))
                .collect(),
        ),
        Column::Bool(v) => Values::U8(v.iter().map(|x| x.unwrap_or(false) as u8).collect()),
        Column::String(v) => Values::Str(v.iter().map(|x| x.as_deref()).collect()),
    }
}

/// The index of a frame: its values and dtype name.
pub fn index_of(f: &Frame) -> Option<(Values<'_>, &'static str)> {
    f.index
        .as_ref()
        .map(|ix| (values(&ix.1), ix.1.dtype().name()))
}

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // JSON has no NaN: missing numbers are null.
            Values::F64(v) => s.collect_seq(v.iter().map(|x| (!x.is_nan()).then_some(*x))),
            Values::U8(v) => s.collect_seq(v),
            Values::Str(v) => s.collect_seq(v),
        }
    }
}

impl Serialize for Output<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Output::Number(x) => s.serialize_f64(*x),
            Output::Array(b) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("shape", b.shape())?;
                m.serialize_entry("data", &b.as_standard_layout().iter().collect::<Vec<_>>())?;
                m.end()
            }
            Output::Column(f) => {
                let (index, index_dtype) = index_of(f).unzip();
                let mut m = s.serialize_map(Some(5))?;
                m.serialize_entry("name", &f.names.first())?;
                m.serialize_entry("dtype", &f.columns.first().map(|c| c.dtype().name()))?;
                m.serialize_entry("index", &index)?;
                m.serialize_entry("indexDtype", &index_dtype)?;
                m.serialize_entry("values", &f.columns.first().map(values))?;
                m.end()
            }
            Output::Table(f) => {
                let (index, index_dtype) = index_of(f).unzip();
                let dtypes: serde_json::Map<String, serde_json::Value> = f
                    .names
                    .iter()
                    .zip(&f.columns)
                    .map(|(n, c)| (n.clone(), c.dtype().name().into()))
                    .collect();
                let data: Vec<(&String, Values)> =
                    f.names.iter().zip(f.columns.iter().map(values)).collect();
                let mut m = s.serialize_map(Some(6))?;
                m.serialize_entry("columns", &f.names[..])?;
                m.serialize_entry("dtypes", &dtypes)?;
                m.serialize_entry("index", &index)?;
                m.serialize_entry("indexDtype", &index_dtype)?;
                m.serialize_entry("data", &DataMap(&data))?;
                m.serialize_entry("length", &f.len())?;
                m.end()
            }
            // The files' text (CSV; Parquet's bytes as Latin-1 would be useless: lossy).
            Output::Files(parts) => s.collect_seq(parts.iter().map(|p| String::from_utf8_lossy(p))),
            Output::Encoded(_) | Output::Nothing => s.serialize_none(),
        }
    }
}

struct DataMap<'a, 'b>(&'a [(&'b String, Values<'b>)]);

impl Serialize for DataMap<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}
