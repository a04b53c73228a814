//! Reductions of every column of a frame at once (`df.sum()`, `df.count()`): which
//! columns take part and the result's dtype (pandas' rules, [`columns`] and
//! [`result_dtype`]), one task's partials of a partition ([`Partials`]), their merge,
//! and the result — a series indexed by column name. The per-column arithmetic is the
//! series reductions' (`ops`).
//!
//! ```
//! use daskling_kernels::dataframe::across::{columns, result_dtype};
//! use daskling_kernels::dataframe::ops::SeriesReduce;
//! use daskling_kernels::dataframe::Dtype;
//! let dts = [Dtype::Int64, Dtype::String, Dtype::Float64];
//! assert_eq!(columns(SeriesReduce::Sum, &dts), vec![0, 2]);
//! assert_eq!(columns(SeriesReduce::Count, &dts), vec![0, 1, 2]);
//! assert_eq!(result_dtype(SeriesReduce::Sum, &[Dtype::Int64, Dtype::Float64]), Dtype::Float64);
//! assert_eq!(result_dtype(SeriesReduce::Count, &dts), Dtype::Int64);
//! ```

use std::sync::Arc;

use super::column::{Column, Dtype, Frame};
use super::ops::SeriesReduce;
use super::partials::{self, Partial};
use crate::Value;
use daskling_core::{Error, Result};

/// The columns (their positions) a frame-wide `op` reduces, of a frame with `dtypes`:
/// every column for `count` and `nunique`, the numeric ones (int64, float64, bool)
/// otherwise — pandas' `numeric_only=True`.
pub fn columns(op: SeriesReduce, dtypes: &[Dtype]) -> Vec<usize> {
    (0..dtypes.len())
        .filter(|&i| {
            matches!(op, SeriesReduce::Count | SeriesReduce::Nunique) || dtypes[i].is_numeric()
        })
        .collect()
}

/// The dtype of a frame-wide `op` over columns of `dtypes` (those [`columns`] keeps):
/// int64 for counts, for sums of int64 and bool columns and for extremes of int64 ones;
/// float64 otherwise.
pub fn result_dtype(op: SeriesReduce, dtypes: &[Dtype]) -> Dtype {
    let all = |f: fn(&Dtype) -> bool| dtypes.iter().all(f);
    match op {
        SeriesReduce::Count | SeriesReduce::Nunique => Dtype::Int64,
        SeriesReduce::Sum if all(|d| matches!(d, Dtype::Int64 | Dtype::Bool)) => Dtype::Int64,
        // pandas gives bools' extremes as bools, and mixed with numbers an object
        // series; here float64.
        SeriesReduce::Min | SeriesReduce::Max if all(|d| *d == Dtype::Int64) => Dtype::Int64,
        _ => Dtype::Float64,
    }
}

/// One partial per reduced column, in order (a task's value between partition and
/// result), and whether a partition read that column as float64 where the schema says
/// int64 (it met a missing value: pandas, reading all rows, gives float64 then).
pub struct Partials(Vec<Partial>, Vec<bool>);

impl crate::Footprint for Partials {
    fn nbytes(&self) -> u64 {
        self.1.len() as u64 + self.0.iter().map(crate::Footprint::nbytes).sum::<u64>()
    }
}

/// The partials of `op` over the columns `names` of partition `f`.
pub(crate) fn partial(op: SeriesReduce, f: &Frame, names: &[String]) -> Result<Partials> {
    let mut floats = Vec::with_capacity(names.len());
    let parts = names
        .iter()
        .map(|n| {
            let c = f
                .column(n)
                .ok_or_else(|| Error::invalid(format!("no column {n}")))?;
            floats.push(c.dtype() == Dtype::Float64);
            partials::partial(op, c)
        })
        .collect::<Result<_>>()?;
    Ok(Partials(parts, floats))
}

/// Partials of several partitions merged column by column.
pub(crate) fn merge(op: SeriesReduce, parts: &[&Partials]) -> Result<Partials> {
    let n = parts.first().map_or(0, |p| p.0.len());
    let merged = (0..n)
        .map(|j| {
            let col: Vec<&Partial> = parts.iter().map(|p| &p.0[j]).collect();
            partials::merge(op, &col)
        })
        .collect::<Result<_>>()?;
    let floats = (0..n).map(|j| parts.iter().any(|p| p.1[j])).collect();
    Ok(Partials(merged, floats))
}

/// The result: a series called `name` of `dtype`, one value per column, indexed by the
/// column names (an index named `""`).
pub(crate) fn finish(
    op: SeriesReduce,
    merged: &Partials,
    names: &[String],
    ddof: f64,
    name: &str,
    dtype: Dtype,
) -> Result<Frame> {
    let mut values = Vec::with_capacity(names.len());
    let mut ints = Vec::with_capacity(names.len());
    let counts = matches!(op, SeriesReduce::Count | SeriesReduce::Nunique);
    let mut all_ints = dtype == Dtype::Int64 && (counts || !merged.1.iter().any(|&f| f));
    for (p, n) in merged.0.iter().zip(names) {
        partials::check(p).map_err(|e| Error::invalid(format!("column {n}: {e}")))?;
        let x = partials::finish(op, p, ddof);
        values.push(x);
        // Exact: int64 sums (checked above) from their integer total. A sum that is
        // not one (a partition read the column as float64, having met a missing
        // value) or an extreme of no values (NaN) makes the result float64, as pandas
        // reading those rows gives it.
        ints.push(match p {
            Partial::IntSum { sum, .. } => *sum as i64,
            _ => {
                all_ints &= counts || (op != SeriesReduce::Sum && x.fract() == 0.0);
                x as i64
            }
        });
    }
    let column = if all_ints {
        Column::Int64(ints)
    } else {
        Column::Float64(values)
    };
    let index = Column::String(names.iter().map(|n| Some(Arc::from(n.as_str()))).collect());
    Ok(Frame {
        names: vec![name.to_string()].into(),
        columns: vec![column],
        index: Some(Arc::new((String::new(), index))),
    })
}

/// A frame-wide reduction's result: what it reduces, the columns, and the series made.
#[derive(Clone, Debug)]
pub struct AcrossSpec {
    /// The reduction.
    pub op: SeriesReduce,
    /// Delta degrees of freedom (`std`, `var`).
    pub ddof: f64,
    /// The columns reduced (the result's index).
    pub columns: Vec<String>,
    /// The result's name.
    pub name: String,
    /// The result's dtype.
    pub dtype: Dtype,
}

impl AcrossSpec {
    /// The result from the last partials (`inputs`, each a [`Partials`]).
    pub(crate) fn finish_values(&self, key: &str, inputs: &[Value]) -> Result<Frame> {
        let merged = merge(self.op, &parts_of(key, inputs)?)?;
        finish(
            self.op,
            &merged,
            &self.columns,
            self.ddof,
            &self.name,
            self.dtype,
        )
    }
}

/// `inputs` (each a [`Partials`]) merged.
pub(crate) fn merge_values(key: &str, op: SeriesReduce, inputs: &[Value]) -> Result<Partials> {
    merge(op, &parts_of(key, inputs)?)
}

fn parts_of<'a>(key: &str, inputs: &'a [Value]) -> Result<Vec<&'a Partials>> {
    inputs.iter().map(|v| v.downcast::<Partials>(key)).collect()
}
