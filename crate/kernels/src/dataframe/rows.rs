//! Operations that pick rows from the whole of a frame or series — `nlargest` /
//! `nsmallest`, `tail`, `unique`, `dropDuplicates` — each a [`RowsOp`] that works as a
//! tree: [`RowsOp::chunk`] on each partition, [`RowsOp::combine`] on the concatenation of
//! chunks (in partition order, so ties and first occurrences keep pandas' order), and
//! [`RowsOp::finish`] once at the top. None of them sorts or gathers more than its
//! result's size per partition (`unique` and `dropDuplicates`: the distinct rows).
//!
//! ```
//! use daskling_kernels::dataframe::rows::RowsOp;
//! use daskling_kernels::dataframe::{Column, Frame};
//! let f = Frame { names: vec!["v".to_string()].into(), columns: vec![Column::Int64(vec![3, 9, 1, 9])], index: None };
//! let top = RowsOp::Top { n: 2, columns: vec!["v".into()], largest: true };
//! let out = top.finish(&top.combine(&top.chunk(&f).unwrap()).unwrap()).unwrap();
//! assert_eq!(out.columns[0], Column::Int64(vec![9, 9]));
//! ```

use std::cmp::Ordering;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::column::{concat, Column, Dtype, Frame, NAT};
use super::convert::python_str;
use super::keys::{keys, KeyValue};
use daskling_core::{Error, Result};

/// Which of duplicate rows `dropDuplicates` keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Keep {
    /// The first occurrence (pandas' default).
    First,
    /// The last occurrence.
    Last,
    /// None of them: rows that occur more than once are all dropped.
    None,
}

/// A row-picking operation over every partition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RowsOp {
    /// The `n` rows with the largest (or smallest) values of `columns` (compared in
    /// order), ties in the order they occur, missing values ranked last (pandas'
    /// `nlargest(n, columns, keep='first')`).
    Top {
        /// How many rows.
        n: usize,
        /// The columns ordered by (a series: its own name).
        columns: Vec<String>,
        /// Largest first (else smallest first).
        largest: bool,
    },
    /// The first `n` rows (readCsv's `nrows`; dask's `head(n, npartitions=-1,
    /// compute=False)`).
    Head {
        /// How many rows.
        n: usize,
    },
    /// The last `n` rows.
    Tail {
        /// How many rows.
        n: usize,
    },
    /// The distinct values of a series in order of first occurrence (a missing value
    /// once), as pandas' `unique`.
    Unique,
    /// The rows without duplicates among `subset` (every column when `None`).
    DropDuplicates {
        /// The columns compared.
        subset: Option<Vec<String>>,
        /// Which occurrence stays.
        keep: Keep,
    },
}

/// The flag column of `Keep::None`'s partial results: whether a row occurred more than
/// once so far.
const REPEATED: &str = "\u{0}repeated";

fn column<'a>(f: &'a Frame, name: &str) -> Result<&'a Column> {
    f.column(name)
        .ok_or_else(|| Error::invalid(format!("no column {name}")))
}

/// Value `i` of a numeric or datetime column as a number to order by (`None`: missing).
fn order_value(c: &Column, i: usize) -> Option<f64> {
    match c {
        Column::Datetime(v) => (v[i] != NAT).then_some(v[i] as f64),
        _ => c.f64_at(i),
    }
}

impl RowsOp {
    /// The operation's name (pandas', for graphs and errors).
    pub fn name(&self) -> &'static str {
        match self {
            RowsOp::Top { largest: true, .. } => "nlargest",
            RowsOp::Top { largest: false, .. } => "nsmallest",
            RowsOp::Head { .. } => "head",
            RowsOp::Tail { .. } => "tail",
            RowsOp::Unique => "unique",
            RowsOp::DropDuplicates { .. } => "drop-duplicates",
        }
    }

    /// An error unless it applies to columns `names` of `dtypes` (a series: one).
    pub fn check(&self, names: &[String], dtypes: &[Dtype], series: bool) -> Result<()> {
        let dtype_of = |c: &str| {
            names
                .iter()
                .position(|n| n == c)
                .map(|i| dtypes[i])
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "{}: no column {c} (the columns are {})",
                        self.name(),
                        names.join(", ")
                    ))
                })
        };
        match self {
            RowsOp::Top { columns, .. } => {
                if columns.is_empty() {
                    return Err(Error::invalid(format!(
                        "{} needs a column to order by",
                        self.name()
                    )));
                }
                for c in columns {
                    let d = dtype_of(c)?;
                    if !matches!(d, Dtype::Int64 | Dtype::Float64 | Dtype::Datetime) {
                        return Err(Error::invalid(format!(
                            "{} orders by numbers or datetimes; column {c} is {d}",
                            self.name()
                        )));
                    }
                }
            }
            RowsOp::Unique if !series => {
                return Err(Error::invalid(
                    "unique is a series' method (a frame's distinct rows: dropDuplicates)",
                ))
            }
            RowsOp::DropDuplicates {
                subset: Some(cols), ..
            } => {
                for c in cols {
                    dtype_of(c)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The rows of one partition that can be in the result.
    pub fn chunk(&self, f: &Frame) -> Result<Frame> {
        self.combine(f)
    }

    /// The rows of the concatenation of chunks (or of earlier combines) that can be in
    /// the result.
    pub fn combine(&self, f: &Frame) -> Result<Frame> {
        Ok(match self {
            RowsOp::Top {
                n,
                columns,
                largest,
            } => {
                let cols = columns
                    .iter()
                    .map(|c| column(f, c))
                    .collect::<Result<Vec<_>>>()?;
                let mut idx: Vec<usize> = (0..f.len()).collect();
                let cmp = |&a: &usize, &b: &usize| {
                    for c in &cols {
                        let o = match (order_value(c, a), order_value(c, b)) {
                            (Some(x), Some(y)) => {
                                let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
                                if *largest {
                                    o.reverse()
                                } else {
                                    o
                                }
                            }
                            // Missing values rank last either way, as pandas'.
                            (Some(_), None) => Ordering::Less,
                            (None, Some(_)) => Ordering::Greater,
                            (None, None) => Ordering::Equal,
                        };
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                    Ordering::Equal
                };
                // Ties stay in the order they occur (pandas' keep='first'): the row number
                // breaks them, which makes the order total, so the `n` first rows are
                // selected in linear time and only they are sorted (never the partition).
                let total = |a: &usize, b: &usize| cmp(a, b).then(a.cmp(b));
                if *n < idx.len() {
                    if *n > 0 {
                        idx.select_nth_unstable_by(*n - 1, total);
                    }
                    idx.truncate(*n);
                }
                idx.sort_unstable_by(total);
                f.take(&idx)
            }
            RowsOp::Head { n } => {
                let idx: Vec<usize> = (0..f.len().min(*n)).collect();
                f.take(&idx)
            }
            RowsOp::Tail { n } => {
                let idx: Vec<usize> = (f.len().saturating_sub(*n)..f.len()).collect();
                f.take(&idx)
            }
            RowsOp::Unique => self.dedupe(f, None, Keep::First)?,
            RowsOp::DropDuplicates { subset, keep } => self.dedupe(f, subset.as_deref(), *keep)?,
        })
    }

    /// Chunks (or combines) `parts`, in partition order, combined — or, when `last`,
    /// the result; `key` names the task in errors.
    pub fn combine_parts(&self, key: &str, parts: &[&Frame], last: bool) -> Result<Frame> {
        let all = concat(key, parts)?;
        if last {
            self.finish(&all)
        } else {
            self.combine(&all)
        }
    }

    /// The result from the last combine.
    pub fn finish(&self, f: &Frame) -> Result<Frame> {
        let f = self.combine(f)?;
        Ok(match self {
            RowsOp::DropDuplicates {
                keep: Keep::None, ..
            } => {
                let flag = f.names.iter().position(|n| n == REPEATED);
                let Some(j) = flag else { return Ok(f) };
                let Column::Bool(rep) = &f.columns[j] else {
                    return Ok(f);
                };
                let idx: Vec<usize> = (0..rep.len()).filter(|&i| rep[i] != Some(true)).collect();
                let mut out = f.take(&idx);
                let mut names = out.names.to_vec();
                names.remove(j);
                out.columns.remove(j);
                out.names = names.into();
                out
            }
            _ => f,
        })
    }

    /// The distinct rows of `f` by the columns `subset` (all when `None`), keeping the
    /// first or last occurrence in order; with `Keep::None` the first, flagged in the
    /// `REPEATED` column when it occurred more than once (in `f`, or in a part before).
    fn dedupe(&self, f: &Frame, subset: Option<&[String]>, keep: Keep) -> Result<Frame> {
        let flag_at = f.names.iter().position(|n| n == REPEATED);
        let by: Vec<usize> = match subset {
            Some(cols) => cols
                .iter()
                .map(|c| {
                    f.names
                        .iter()
                        .position(|n| n == c)
                        .ok_or_else(|| Error::invalid(format!("no column {c}")))
                })
                .collect::<Result<_>>()?,
            None => (0..f.names.len()).filter(|&j| Some(j) != flag_at).collect(),
        };
        let cols: Vec<Vec<Option<KeyValue>>> = by.iter().map(|&j| keys(&f.columns[j])).collect();
        let earlier: Vec<bool> = match flag_at.map(|j| &f.columns[j]) {
            Some(Column::Bool(v)) => v.iter().map(|x| *x == Some(true)).collect(),
            _ => vec![false; f.len()],
        };
        let mut seen: FxHashMap<Vec<Option<KeyValue>>, usize> = FxHashMap::default();
        let mut order: Vec<usize> = vec![];
        let mut repeated: Vec<bool> = vec![];
        for i in 0..f.len() {
            let key: Vec<Option<KeyValue>> = cols.iter().map(|c| c[i].clone()).collect();
            match seen.get(&key) {
                Some(&slot) => {
                    repeated[slot] = true;
                    if keep == Keep::Last {
                        order[slot] = i;
                    }
                }
                None => {
                    seen.insert(key, order.len());
                    order.push(i);
                    repeated.push(earlier[i]);
                }
            }
        }
        if keep == Keep::Last {
            // The last occurrences, in the order they occur.
            order.sort_unstable();
        }
        let mut out = f.take(&order);
        if keep == Keep::None {
            let flags = Column::Bool(repeated.into_iter().map(Some).collect());
            match flag_at {
                Some(j) => out.columns[j] = flags,
                None => {
                    let mut names = out.names.to_vec();
                    names.push(REPEATED.to_string());
                    out.names = names.into();
                    out.columns.push(flags);
                }
            }
        }
        Ok(out)
    }

    /// pandas' call on the series or frame `x`, as dask runs it exactly: a tail of every
    /// partition's tail (dask's own `tail` reads the last partition only), distinct rows
    /// in one output partition (which keeps pandas' order).
    pub fn pandas(&self, x: &str, series: bool) -> Result<String> {
        let list = |v: &[String]| {
            let q: Vec<String> = v.iter().map(|c| python_str(c)).collect();
            format!("[{}]", q.join(", "))
        };
        Ok(match self {
            RowsOp::Top {
                n,
                columns,
                largest,
            } => {
                let m = if *largest { "nlargest" } else { "nsmallest" };
                if series {
                    format!("{x}.{m}({n})")
                } else {
                    format!("{x}.{m}({n}, {})", list(columns))
                }
            }
            RowsOp::Head { n } => format!("{x}.head({n}, npartitions=-1, compute=False)"),
            RowsOp::Tail { n } => format!(
                "{x}.map_partitions(lambda p: p.tail({n})).repartition(npartitions=1).tail({n}, compute=False)"
            ),
            RowsOp::Unique => format!("{x}.drop_duplicates(split_out=1)"),
            RowsOp::DropDuplicates { subset, keep } => {
                let keep = match keep {
                    Keep::First => "first",
                    Keep::Last => "last",
                    Keep::None => {
                        return Err(Error::invalid(
                            "toDask: dask's drop_duplicates has no keep=False; use keep 'first' or 'last'",
                        ))
                    }
                };
                let subset = subset
                    .as_ref()
                    .map(|s| format!("subset={}, ", list(s)))
                    .unwrap_or_default();
                format!("{x}.drop_duplicates({subset}keep=\"{keep}\", split_out=1)")
            }
        })
    }
}
