//! A frame indexed by one of its columns, as dask's `set_index`, and rows by a range of
//! that index, as `loc[start:stop]`.
//!
//! The index's *divisions* are `n + 1` values for `n` partitions, as dask's: partition
//! `p` holds the rows whose index lies in `[d[p], d[p + 1])`, and the one that reaches
//! the last division also holds that value (`[d[p], d[n]]`); a partition with
//! `d[p] == d[p + 1]` below the end holds none. So one value lies in one partition. They are computed before the indexed frame is built
//! (as dask does), from a [`IndexStep::Summary`] of each partition — its least and
//! greatest values and a sample — merged by [`IndexStep::Divisions`]:
//!
//! - `sorted`: the column is already in order across partitions (the workshop's daily
//!   files by time), each partition's values above the one before's; the divisions are
//!   each partition's first value and the last one's last, and the frame keeps its
//!   partitions ([`IndexStep::Set`] per partition, checking its rows are in its range).
//! - otherwise the rows are routed to the ranges between the divisions and each range is
//!   sorted (the steps of [`super::sort`], with the divisions as its splitters).
//!
//! With divisions known, [`IndexStep::Loc`] keeps the rows of a range and the graph
//! holds only the partitions whose divisions meet it: the others are never read.
//!
//! ```
//! use daskling_kernels::dataframe::index::{divisions, partitions_meeting, summary, Bound};
//! use daskling_kernels::dataframe::{map::Literal, Column, Frame};
//! let part = |v: Vec<i64>| Frame::of(vec![("t", Column::Int64(v))]);
//! let (a, b) = (part(vec![1, 2, 4]), part(vec![5, 9]));
//! let s = [summary(&a, "t", true, "p0").unwrap(), summary(&b, "t", true, "p1").unwrap()];
//! let d = divisions(&[&s[0], &s[1]], true, 2, "divisions").unwrap();
//! assert_eq!(d.columns[0], Column::Int64(vec![1, 5, 9]));
//! let n = |x: f64| Literal::Number(x);
//! assert_eq!(partitions_meeting(&d.columns[0], &Bound::start(&n(6.0)), &Bound::stop(&n(7.0))).unwrap(), [1]);
//! ```

mod ranges;

use std::cmp::Ordering;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::column::{concat, Column, Dtype, Frame, NAT};
use super::datetime::format_datetime;
use super::map::Literal;
use super::sort::{cmp_key, SortBy};
use super::values::frame;
use crate::Value;
use daskling_core::{Error, Result};
pub use ranges::{
    division_column, division_values, loc, loc_python, partitions_meeting, Bound, SetRange,
};

/// One step of `setIndex` / `loc` (see the module documentation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "step",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum IndexStep {
    /// A partition's least and greatest values of the column, then a sample (input:
    /// the partition); `sorted`: an error unless they are in order.
    Summary {
        /// The column.
        column: String,
        /// Whether the column must already be in order.
        sorted: bool,
    },
    /// The divisions of `parts` partitions (inputs: every partition's summary).
    Divisions {
        /// Whether the frame keeps its partitions (else: ranges of about equal size).
        sorted: bool,
        /// Partitions.
        parts: usize,
    },
    /// The column moved to the index (input: the partition, in order already).
    Set {
        /// The column.
        column: String,
        /// A sorted index's range for this partition: its rows are checked to be in
        /// order and within it.
        range: Option<SetRange>,
    },
    /// The rows whose index is in `[start, stop]` (a missing bound: open).
    Loc {
        /// The least index kept.
        start: Literal,
        /// The greatest index kept.
        stop: Literal,
    },
}

impl IndexStep {
    /// The step's name, for graphs.
    pub fn name(&self) -> &'static str {
        match self {
            IndexStep::Summary { .. } => "divisions-chunk",
            IndexStep::Divisions { .. } => "divisions",
            IndexStep::Set { .. } => "set_index",
            IndexStep::Loc { .. } => "loc",
        }
    }

    /// Runs the step on its inputs; `key` names the task in errors.
    pub fn run(&self, key: &str, inputs: &[Value]) -> Result<Value> {
        let first = || {
            inputs
                .first()
                .ok_or_else(|| Error::invalid(format!("{key}: no input")))
                .and_then(|v| frame(key, v))
        };
        let out = match self {
            IndexStep::Summary { column, sorted } => summary(first()?, column, *sorted, key)?,
            IndexStep::Divisions { sorted, parts } => {
                let all = inputs
                    .iter()
                    .map(|v| frame(key, v))
                    .collect::<Result<Vec<_>>>()?;
                divisions(&all, *sorted, *parts, key)?
            }
            IndexStep::Set { column, range } => {
                let f = first()?;
                if let Some(r) = range {
                    let c = column_of(f, column, key)?;
                    for i in 0..c.len() {
                        if i > 0 && cmp_key(c, i - 1, c, i, true) == Ordering::Greater {
                            return Err(Error::invalid(format!(
                                "{key}: setIndex(sorted): column {column} is not in order \
                                 (row {i} of the partition is less than the row before)"
                            )));
                        }
                        r.check(c, i, key)?;
                    }
                }
                set_index(f, column, key)?
            }
            IndexStep::Loc { start, stop } => loc(first()?, start, stop, key)?,
        };
        Ok(Value::Frame(Arc::new(out)))
    }
}

/// `column` of `f`, or an error naming the columns.
fn column_of<'a>(f: &'a Frame, column: &str, key: &str) -> Result<&'a Column> {
    f.column(column).ok_or_else(|| {
        Error::invalid(format!(
            "{key}: setIndex: no column {column} (the columns are {})",
            f.names.join(", ")
        ))
    })
}

/// A one-column frame: `f`'s least and greatest values of `column` (none when it has no
/// rows), then a sample of them; with `sorted`, an error unless they are in order.
/// Missing values cannot be an index: an error.
pub fn summary(f: &Frame, column: &str, sorted: bool, key: &str) -> Result<Frame> {
    let c = column_of(f, column, key)?;
    if let Some(i) = (0..c.len()).find(|&i| c.is_missing(i)) {
        return Err(Error::invalid(format!(
            "{key}: setIndex: column {column} has a missing value (row {i} of the \
             partition); drop those rows first (dropna({{subset: '{column}'}}))"
        )));
    }
    let order = |i: usize, j: usize| cmp_key(c, i, c, j, true);
    if sorted {
        if let Some(i) = (1..c.len()).find(|&i| order(i - 1, i) == Ordering::Greater) {
            return Err(Error::invalid(format!(
                "{key}: setIndex(sorted): column {column} is not in order (row {i} of the \
                 partition is less than the row before); leave out sorted to sort it"
            )));
        }
    }
    let ends: Vec<usize> = match c.len() {
        0 => vec![],
        _ if sorted => vec![0, c.len() - 1],
        n => {
            let lo = (0..n).min_by(|&i, &j| order(i, j)).unwrap_or(0);
            let hi = (0..n).max_by(|&i, &j| order(i, j)).unwrap_or(0);
            vec![lo, hi]
        }
    };
    let by = SortBy {
        columns: vec![column.to_string()],
        ascending: vec![true],
    };
    let sample = if sorted { None } else { Some(by.sample(f)?) };
    let mut col = c.take(&ends);
    if let Some(s) = sample {
        col = concat(key, &[&Frame::of(vec![(column, col)]), &s])?
            .columns
            .swap_remove(0);
    }
    Ok(Frame::of(vec![(column, col)]))
}

/// The `parts + 1` divisions from every partition's [`summary`], as a one-column frame
/// (missing where no partition has rows). `sorted`: a division per partition, an error
/// where a partition begins before the one before it ends; otherwise the least value,
/// splitters of the samples into `parts` ranges (fewer where values repeat) and the
/// greatest.
pub fn divisions(summaries: &[&Frame], sorted: bool, parts: usize, key: &str) -> Result<Frame> {
    let first = summaries
        .first()
        .ok_or_else(|| Error::invalid(format!("{key}: no summaries")))?;
    let name = first.names[0].clone();
    let cols: Vec<&Column> = summaries.iter().map(|s| &s.columns[0]).collect();
    let dtype = cols[0].dtype();
    let ends: Vec<Option<(&Column, usize, usize)>> = cols
        .iter()
        .map(|c| (c.len() >= 2).then_some((*c, 0, 1)))
        .collect();
    let split: Frame;
    let mut picks: Vec<(&Column, usize)> = vec![];
    if sorted {
        // Each partition begins a division; one without rows takes the next one's first
        // value (its range is then empty), or after the last rows that last value.
        let mut last: Option<(&Column, usize)> = None;
        let mut waiting = 0;
        for (p, e) in ends.iter().enumerate() {
            let Some((c, lo, hi)) = e else {
                waiting += 1;
                continue;
            };
            if let Some((lc, li)) = last {
                let o = cmp_key(lc, li, c, *lo, true);
                if o != Ordering::Less {
                    let what = if o == Ordering::Equal {
                        "the same value ends the partition before it, but an index value \
                         must lie in one partition"
                    } else {
                        "the partition before it ends with a greater value, so the column \
                         is not in order across partitions"
                    };
                    return Err(Error::invalid(format!(
                        "setIndex(sorted): column {name}: partition {p} begins with {}: \
                         {what}; leave out sorted to sort the rows into ranges",
                        shown(c, *lo)
                    )));
                }
            }
            picks.extend(std::iter::repeat_n((*c, *lo), waiting + 1));
            waiting = 0;
            last = Some((c, *hi));
        }
        let Some(end) = last else {
            return Ok(missing(&name, dtype, parts + 1));
        };
        picks.extend(std::iter::repeat_n(end, waiting + 1));
    } else {
        let present: Vec<(&Column, usize, usize)> = ends.iter().flatten().copied().collect();
        if present.is_empty() {
            return Ok(missing(&name, dtype, parts + 1));
        }
        let lo = present
            .iter()
            .map(|&(c, i, _)| (c, i))
            .min_by(|a, b| cmp_key(a.0, a.1, b.0, b.1, true))
            .unwrap_or((cols[0], 0));
        let hi = present
            .iter()
            .map(|&(c, _, j)| (c, j))
            .max_by(|a, b| cmp_key(a.0, a.1, b.0, b.1, true))
            .unwrap_or((cols[0], 0));
        let samples: Vec<Frame> = summaries
            .iter()
            .map(|s| s.take(&(s.len().min(2)..s.len()).collect::<Vec<_>>()))
            .collect();
        let by = SortBy {
            columns: vec![name.clone()],
            ascending: vec![true],
        };
        split = by.splitters(&samples.iter().collect::<Vec<_>>(), parts)?;
        let s = &split.columns[0];
        picks.push(lo);
        // Splitters equal to an end would leave a range that only one value can be in.
        for i in 0..s.len() {
            if cmp_key(s, i, lo.0, lo.1, true) == Ordering::Greater
                && cmp_key(s, i, hi.0, hi.1, true) == Ordering::Less
            {
                picks.push((s, i));
            }
        }
        picks.push(hi);
    }
    let pieces: Vec<Frame> = picks
        .iter()
        .map(|&(c, i)| Frame::of(vec![(&name, c.take(&[i]))]))
        .collect();
    concat(key, &pieces.iter().collect::<Vec<_>>())
}

/// Value `i` of `c` for an error: a datetime as `YYYY-MM-DD HH:MM:SS`, others as Python
/// writes them.
fn shown(c: &Column, i: usize) -> String {
    match c {
        Column::Datetime(v) if v[i] != NAT => format_datetime(v[i]),
        Column::Int64(v) => v[i].to_string(),
        _ => division_values(&c.take(&[i]))[0].python(),
    }
}

/// `n` missing values of `dtype` (divisions of a frame without rows).
fn missing(name: &str, dtype: Dtype, n: usize) -> Frame {
    let col = match dtype {
        Dtype::Int64 | Dtype::Float64 => Column::Float64(vec![f64::NAN; n]),
        Dtype::Datetime => Column::Datetime(vec![NAT; n]),
        Dtype::Bool => Column::Bool(vec![None; n]),
        Dtype::String => Column::String(vec![None; n]),
    };
    Frame::of(vec![(name, col)])
}

/// `f` with `column` as its index (no longer a column).
pub fn set_index(f: &Frame, column: &str, key: &str) -> Result<Frame> {
    let at = f
        .names
        .iter()
        .position(|n| n == column)
        .ok_or_else(|| Error::invalid(format!("{key}: setIndex: no column {column}")))?;
    let mut names = f.names.to_vec();
    let mut columns = f.columns.clone();
    names.remove(at);
    let ix = columns.remove(at);
    Ok(Frame {
        names: names.into(),
        columns,
        index: Some(Arc::new((column.to_string(), ix))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(v: Vec<f64>) -> Frame {
        Frame::of(vec![("t", Column::Float64(v))])
    }

    #[test]
    fn sorted_divisions_skip_empty_partitions_and_catch_overlaps() {
        let divs = |parts: &[Frame]| {
            let s: Vec<Frame> = parts
                .iter()
                .map(|p| summary(p, "t", true, "k").unwrap())
                .collect();
            divisions(&s.iter().collect::<Vec<_>>(), true, parts.len(), "k")
        };
        let parts = [
            part(vec![]),
            part(vec![1.0, 3.0]),
            part(vec![]),
            part(vec![4.0, 8.0]),
            part(vec![]),
        ];
        let d = divs(&parts).unwrap().columns.swap_remove(0);
        assert_eq!(d, Column::Float64(vec![1.0, 1.0, 4.0, 4.0, 8.0, 8.0]));
        // Empty partitions meet no range; the last with rows holds the last value.
        let (s, e) = (
            Bound::start(&Literal::Number(3.0)),
            Bound::stop(&Literal::Number(4.0)),
        );
        assert_eq!(partitions_meeting(&d, &s, &e).unwrap(), [1, 3]);
        let (s, e) = (
            Bound::start(&Literal::Number(8.0)),
            Bound::stop(&Literal::Missing),
        );
        assert_eq!(partitions_meeting(&d, &s, &e).unwrap(), [3, 4]);
        let e = divs(&[part(vec![1.0, 5.0]), part(vec![4.0])]).unwrap_err();
        assert!(
            e.to_string().contains(
                "partition 1 begins with 4.0: the partition before it ends with a greater value"
            ),
            "{e}"
        );
        let e = divs(&[part(vec![1.0, 5.0]), part(vec![5.0, 6.0])]).unwrap_err();
        assert!(
            e.to_string()
                .contains("an index value must lie in one partition"),
            "{e}"
        );
        let e = summary(&part(vec![2.0, 1.0]), "t", true, "k").unwrap_err();
        assert!(e.to_string().contains("row 1 of the partition"), "{e}");
        let e = summary(&part(vec![f64::NAN]), "t", false, "k").unwrap_err();
        assert!(e.to_string().contains("missing value"), "{e}");
        // A partition's rows are checked against its range.
        let range = SetRange::of(&Column::Float64(vec![0.0, 5.0, 9.0]), 0);
        let set = IndexStep::Set {
            column: "t".into(),
            range: Some(range),
        };
        let v = |x: Vec<f64>| Value::Frame(Arc::new(part(x)));
        assert!(set.run("k", &[v(vec![0.0, 4.5])]).is_ok());
        let e = set.run("k", &[v(vec![1.0, 5.0])]).unwrap_err();
        assert!(
            e.to_string()
                .contains("row 1 of the partition (5.0) is outside its divisions [0.0, 5.0)"),
            "{e}"
        );
    }

    #[test]
    fn unsorted_divisions_run_from_least_to_greatest() {
        let parts = [
            part((0..100).map(|i| ((i * 37) % 100) as f64).collect()),
            part(vec![]),
        ];
        let s: Vec<Frame> = parts
            .iter()
            .map(|p| summary(p, "t", false, "k").unwrap())
            .collect();
        let d = divisions(&s.iter().collect::<Vec<_>>(), false, 4, "k").unwrap();
        let Column::Float64(v) = &d.columns[0] else {
            panic!()
        };
        assert_eq!((v.len(), v[0], v[4]), (5, 0.0, 99.0));
        assert!(v.windows(2).all(|w| w[0] < w[1]), "{v:?}");
        let none = divisions(&[&s[1]], false, 1, "k").unwrap();
        assert!(none.columns[0].is_missing(0) && none.columns[0].is_missing(1));
    }
}
