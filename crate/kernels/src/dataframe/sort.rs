//! Sorting a frame or series by columns across partitions, as dask's `sort_values`: each
//! partition gives a sample of its first sort key ([`SortBy::sample`]), the samples give
//! splitters that cut the key range into one range per output partition
//! ([`SortBy::splitters`]), each partition's rows are routed to their ranges
//! ([`SortBy::route`]), and each range is gathered and sorted on its own
//! ([`SortBy::sort`]). No task holds more than one range of rows.
//!
//! The order is pandas' `sort_values(by, ascending, na_position='last',
//! kind='stable')`: per key ascending or descending, missing values last, ties in the
//! order they occur (rows of equal first keys always share a range, and ranges gather
//! the pieces in partition order). Every dtype orders: numbers (int64 exactly),
//! datetimes, text (by Unicode code points, as Python compares `str`) and bools.
//!
//! ```
//! use daskling_kernels::dataframe::sort::SortBy;
//! use daskling_kernels::dataframe::{Column, Frame};
//! let part = |v: Vec<i64>| Frame { names: vec!["v".to_string()].into(), columns: vec![Column::Int64(v)], index: None };
//! let (a, b) = (part(vec![5, 1, 9]), part(vec![3, 7, 2]));
//! let by = SortBy { columns: vec!["v".into()], ascending: vec![true] };
//! let split = by.splitters(&[&by.sample(&a).unwrap(), &by.sample(&b).unwrap()], 2).unwrap();
//! let (ra, rb) = (by.route(&a, &split, 2).unwrap(), by.route(&b, &split, 2).unwrap());
//! let low = by.sort(&[&ra[0], &rb[0]]).unwrap();
//! let high = by.sort(&[&ra[1], &rb[1]]).unwrap();
//! assert_eq!(low.columns[0], Column::Int64(vec![1, 2, 3]));
//! assert_eq!(high.columns[0], Column::Int64(vec![5, 7, 9]));
//! ```

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use std::sync::Arc;

use super::column::{concat, Column, Frame, NAT};
use super::values::frame;
use crate::Value;
use daskling_core::{Error, Result};

/// Sample values taken from each partition (evenly spaced rows) to choose splitters.
pub const SAMPLES_PER_PARTITION: usize = 128;

/// The columns a sort orders by, each ascending or descending.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SortBy {
    /// The columns, compared in order.
    pub columns: Vec<String>,
    /// One per column: ascending (else descending).
    pub ascending: Vec<bool>,
}

/// Values `i` of `a` and `j` of `b`, both present, compared (int64 with float64 — a
/// partition promoted by missing values — as numbers).
fn cmp_present(a: &Column, i: usize, b: &Column, j: usize) -> Ordering {
    match (a, b) {
        (Column::Int64(x), Column::Int64(y)) | (Column::Datetime(x), Column::Datetime(y)) => {
            x[i].cmp(&y[j])
        }
        (Column::Float64(x), Column::Float64(y)) => x[i].total_cmp(&y[j]),
        (Column::String(x), Column::String(y)) => x[i].cmp(&y[j]),
        (Column::Bool(x), Column::Bool(y)) => x[i].cmp(&y[j]),
        _ => {
            let (x, y) = (a.f64_at(i).unwrap_or(0.0), b.f64_at(j).unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

/// Value `i` of `a` against `j` of `b` in one key's order: missing values last either way.
pub(crate) fn cmp_key(a: &Column, i: usize, b: &Column, j: usize, ascending: bool) -> Ordering {
    match (a.is_missing(i), b.is_missing(j)) {
        (false, false) => {
            // -0.0 and 0.0 are equal, as in pandas.
            let o = match (a, b) {
                (Column::Float64(x), Column::Float64(y)) if x[i] == y[j] => Ordering::Equal,
                _ => cmp_present(a, i, b, j),
            };
            if ascending {
                o
            } else {
                o.reverse()
            }
        }
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (true, true) => Ordering::Equal,
    }
}

/// For a one-key numeric or datetime sort, each row as `(missing, order)` with `order`
/// an integer in the key's order (descending: inverted), so that the common case sorts
/// plain integer tuples.
fn integer_keys(c: &Column, ascending: bool) -> Option<Vec<(bool, u64)>> {
    let dir = |k: u64| if ascending { k } else { !k };
    let int = |x: i64| dir(x as u64 ^ (1 << 63));
    Some(match c {
        Column::Int64(v) => v.iter().map(|&x| (false, int(x))).collect(),
        Column::Datetime(v) => v.iter().map(|&x| (x == NAT, int(x))).collect(),
        Column::Float64(v) => v
            .iter()
            .map(|&x| {
                // -0.0 and 0.0 are equal, as in pandas.
                let b = (x + 0.0).to_bits();
                let ordered = if b >> 63 == 1 { !b } else { b | (1 << 63) };
                (x.is_nan(), dir(ordered))
            })
            .collect(),
        _ => return None,
    })
}

/// One step of a sort's tasks (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SortStep {
    /// A partition's sample (input: the partition).
    Sample,
    /// The splitters of `parts` ranges (inputs: every sample).
    Splitters {
        /// Output partitions.
        parts: usize,
    },
    /// A partition cut into `parts` pieces (inputs: the partition, the splitters): a
    /// tuple of frames.
    Route {
        /// Output partitions.
        parts: usize,
    },
    /// Range `range` gathered and sorted (inputs: every partition's pieces).
    Range {
        /// Which range.
        range: usize,
    },
}

impl SortStep {
    /// The step's name, for graphs.
    pub fn name(self) -> &'static str {
        match self {
            SortStep::Sample => "sort-sample",
            SortStep::Splitters { .. } => "sort-splitters",
            SortStep::Route { .. } => "sort-route",
            SortStep::Range { .. } => "sort_values",
        }
    }
}

impl SortBy {
    /// Runs one step of the sort's tasks on its inputs; `key` names the task in errors.
    pub fn run(&self, step: SortStep, key: &str, inputs: &[Value]) -> Result<Value> {
        let frames = || {
            inputs
                .iter()
                .map(|v| frame(key, v))
                .collect::<Result<Vec<_>>>()
        };
        let first = || {
            inputs
                .first()
                .ok_or_else(|| Error::invalid(format!("{key}: no input")))
                .and_then(|v| frame(key, v))
        };
        let out = |f: Frame| Value::Frame(Arc::new(f));
        Ok(match step {
            SortStep::Sample => out(self.sample(first()?)?),
            SortStep::Splitters { parts } => out(self.splitters(&frames()?, parts)?),
            SortStep::Route { parts } => {
                let s = inputs
                    .get(1)
                    .ok_or_else(|| Error::invalid(format!("{key}: no splitters")))?;
                let pieces = self.route(first()?, frame(key, s)?, parts)?;
                Value::Tuple(pieces.into_iter().map(out).collect())
            }
            SortStep::Range { range } => {
                let pieces = inputs
                    .iter()
                    .map(|v| match v {
                        Value::Tuple(t) => t
                            .get(range)
                            .ok_or_else(|| Error::invalid(format!("{key}: no piece {range}"))),
                        _ => Err(Error::invalid(format!("{key}: expected routed pieces"))),
                    })
                    .map(|p| p.and_then(|v| frame(key, v)))
                    .collect::<Result<Vec<_>>>()?;
                out(self.sort(&pieces)?)
            }
        })
    }

    /// An error unless every column is one of `names` and there is one direction per
    /// column.
    pub fn check(&self, names: &[String]) -> Result<()> {
        if self.columns.is_empty() {
            return Err(Error::invalid("sortValues needs a column to sort by"));
        }
        if self.ascending.len() != self.columns.len() {
            return Err(Error::invalid(format!(
                "sortValues: ascending has {} values for {} columns",
                self.ascending.len(),
                self.columns.len()
            )));
        }
        for c in &self.columns {
            if !names.contains(c) {
                return Err(Error::invalid(format!(
                    "sortValues: no column {c} (the columns are {})",
                    names.join(", ")
                )));
            }
        }
        Ok(())
    }

    fn keys<'a>(&self, f: &'a Frame) -> Result<Vec<(&'a Column, bool)>> {
        self.columns
            .iter()
            .zip(&self.ascending)
            .map(|(c, &asc)| {
                f.column(c)
                    .map(|col| (col, asc))
                    .ok_or_else(|| Error::invalid(format!("sortValues: no column {c}")))
            })
            .collect()
    }

    /// Up to [`SAMPLES_PER_PARTITION`] present values of the first key, from evenly
    /// spaced rows of `f`: a one-column frame.
    pub fn sample(&self, f: &Frame) -> Result<Frame> {
        let (c, _) = self.keys(f)?[0];
        let present: Vec<usize> = (0..c.len()).filter(|&i| !c.is_missing(i)).collect();
        let k = present.len().min(SAMPLES_PER_PARTITION);
        let idx: Vec<usize> = (0..k).map(|j| present[j * present.len() / k]).collect();
        Ok(Frame {
            names: vec![self.columns[0].clone()].into(),
            columns: vec![c.take(&idx)],
            index: None,
        })
    }

    /// At most `parts - 1` values of the first key, in sort order, that cut the samples
    /// into `parts` ranges of about equal size.
    pub fn splitters(&self, samples: &[&Frame], parts: usize) -> Result<Frame> {
        let all = concat("sort-splitters", samples)?;
        let c = &all.columns[0];
        let asc = self.ascending[0];
        let mut idx: Vec<usize> = (0..c.len()).collect();
        idx.sort_by(|&a, &b| cmp_key(c, a, c, b, asc));
        let n = idx.len();
        let mut picked: Vec<usize> = vec![];
        for k in 1..parts {
            if n == 0 {
                break;
            }
            let i = idx[(k * n / parts).min(n - 1)];
            // Equal splitters would leave a range empty: keep distinct ones.
            if picked
                .last()
                .is_none_or(|&p| cmp_key(c, p, c, i, asc) != Ordering::Equal)
            {
                picked.push(i);
            }
        }
        Ok(Frame {
            names: all.names.clone(),
            columns: vec![c.take(&picked)],
            index: None,
        })
    }

    /// `f`'s rows split into `parts` pieces by range of the first key (`splitters` from
    /// [`SortBy::splitters`]: range `r` holds the values from splitter `r - 1` up to
    /// before splitter `r`), each in the order its rows occur; missing first keys go to
    /// the last range.
    pub fn route(&self, f: &Frame, splitters: &Frame, parts: usize) -> Result<Vec<Frame>> {
        let (c, asc) = self.keys(f)?[0];
        let s = splitters
            .columns
            .first()
            .ok_or_else(|| Error::invalid("sortValues: no splitters"))?;
        let mut rows: Vec<Vec<usize>> = vec![vec![]; parts.max(1)];
        for i in 0..f.len() {
            let r = if c.is_missing(i) {
                parts.max(1) - 1
            } else {
                // How many splitters are at or before the value (equal values share a
                // range, which begins at its splitter: dask's divisions).
                let (mut lo, mut hi) = (0, s.len());
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if cmp_key(s, mid, c, i, asc) != Ordering::Greater {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo.min(parts.max(1) - 1)
            };
            rows[r].push(i);
        }
        Ok(rows.iter().map(|idx| f.take(idx)).collect())
    }

    /// The pieces of one range (in partition order) gathered and sorted, stably.
    pub fn sort(&self, pieces: &[&Frame]) -> Result<Frame> {
        let f = concat("sort", pieces)?;
        let keys = self.keys(&f)?;
        let mut idx: Vec<usize> = (0..f.len()).collect();
        match (keys.len(), integer_keys(keys[0].0, keys[0].1)) {
            (1, Some(k)) if f.len() <= u32::MAX as usize => {
                // Unstable on distinct (key, row) triples: the row breaks ties in order.
                let mut rows: Vec<(bool, u64, u32)> = k
                    .into_iter()
                    .zip(0..)
                    .map(|((m, k), i)| (m, k, i))
                    .collect();
                rows.sort_unstable();
                idx = rows.into_iter().map(|(_, _, i)| i as usize).collect();
            }
            _ => idx.sort_by(|&a, &b| {
                for &(c, asc) in &keys {
                    let o = cmp_key(c, a, c, b, asc);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                Ordering::Equal
            }),
        }
        Ok(f.take(&idx))
    }

    /// dask's call on the frame or series `x` (what `toDask` writes).
    pub fn pandas(&self, x: &str, series: bool) -> String {
        let py = |b: bool| if b { "True" } else { "False" };
        let by: Vec<String> = self
            .columns
            .iter()
            .map(|c| super::convert::python_str(c))
            .collect();
        let asc: Vec<&str> = self.ascending.iter().map(|&a| py(a)).collect();
        let call = format!(
            "sort_values(by=[{}], ascending=[{}])",
            by.join(", "),
            asc.join(", ")
        );
        if series {
            // dask's series have no sort_values: sort the one-column frame.
            format!("{x}.to_frame().{call}[{}]", by[0])
        } else {
            format!("{x}.{call}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn frame(cols: Vec<(&str, Column)>) -> Frame {
        Frame::of(cols)
    }

    /// The whole pipeline over `parts`, concatenated.
    fn sorted(by: &SortBy, parts: &[Frame]) -> Frame {
        let samples: Vec<Frame> = parts.iter().map(|p| by.sample(p).unwrap()).collect();
        let refs: Vec<&Frame> = samples.iter().collect();
        let split = by.splitters(&refs, parts.len()).unwrap();
        let routed: Vec<Vec<Frame>> = parts
            .iter()
            .map(|p| by.route(p, &split, parts.len()).unwrap())
            .collect();
        let ranges: Vec<Frame> = (0..parts.len())
            .map(|r| {
                let pieces: Vec<&Frame> = routed.iter().map(|x| &x[r]).collect();
                by.sort(&pieces).unwrap()
            })
            .collect();
        let refs: Vec<&Frame> = ranges.iter().collect();
        concat("t", &refs).unwrap()
    }

    #[test]
    fn floats_with_missing_values_and_ties_sort_stably_missing_last() {
        let by = SortBy {
            columns: vec!["x".into()],
            ascending: vec![false],
        };
        let parts = vec![
            frame(vec![
                ("x", Column::Float64(vec![1.0, f64::NAN, 3.0, -0.0])),
                ("r", Column::Int64(vec![0, 1, 2, 3])),
            ]),
            frame(vec![
                ("x", Column::Float64(vec![])),
                ("r", Column::Int64(vec![])),
            ]),
            frame(vec![
                ("x", Column::Float64(vec![3.0, 0.0, f64::NAN])),
                ("r", Column::Int64(vec![4, 5, 6])),
            ]),
        ];
        let out = sorted(&by, &parts);
        assert_eq!(out.columns[1], Column::Int64(vec![2, 4, 0, 3, 5, 1, 6]));
    }

    #[test]
    fn two_keys_of_text_and_int64_past_two_to_the_53() {
        let by = SortBy {
            columns: vec!["s".into(), "i".into()],
            ascending: vec![true, false],
        };
        let s = |v: &[Option<&str>]| Column::String(v.iter().map(|x| x.map(Arc::from)).collect());
        let big = 1i64 << 53;
        let parts = vec![
            frame(vec![
                ("s", s(&[Some("b"), None, Some("a")])),
                ("i", Column::Int64(vec![big, 1, big + 1])),
            ]),
            frame(vec![
                ("s", s(&[Some("a"), Some("b")])),
                ("i", Column::Int64(vec![big, big + 1])),
            ]),
        ];
        let out = sorted(&by, &parts);
        assert_eq!(
            out.columns[1],
            Column::Int64(vec![big + 1, big, big + 1, big, 1])
        );
    }
}
