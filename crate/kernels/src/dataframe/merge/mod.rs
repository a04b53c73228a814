//! Joining two frames on key columns, as pandas' `merge`: the result's columns
//! ([`MergeSpec::layout`]: a key of one name in both frames once, other clashing names
//! suffixed), the rows (every pair of rows with equal keys — missing keys equal each
//! other, as in pandas — plus the unmatched rows of the kept sides) and their order
//! (`inner` and `left`: the left rows in order, each with its matches in the right
//! frame's order; `right`: the same from the right; `outer`: sorted by the key, missing
//! last). Across partitions, the expression layer either joins every partition of one
//! side with the whole other (a broadcast join: [`MergeStep::Join`]) or routes both
//! sides' rows to buckets by a hash of the key ([`MergeStep::Route`]) and joins bucket
//! by bucket ([`MergeStep::Bucket`]), as dask's hash join does.
//!
//! ```
//! use daskling_kernels::dataframe::merge::{How, MergeSpec};
//! use daskling_kernels::dataframe::{Column, Frame};
//! let frame = |k: Vec<i64>, name: &str, v: Vec<f64>| Frame {
//!     names: vec!["k".to_string(), name.to_string()].into(),
//!     columns: vec![Column::Int64(k), Column::Float64(v)],
//!     index: None,
//! };
//! let left = frame(vec![1, 2, 1], "a", vec![0.5, 1.5, 2.5]);
//! let right = frame(vec![1, 3], "b", vec![10.0, 30.0]);
//! let spec = MergeSpec::on(How::Left, &["k"]);
//! let out = spec.join("merge", &left, &right).unwrap();
//! assert_eq!(&out.names[..], ["k", "a", "b"]);
//! assert_eq!(out.columns[0], Column::Int64(vec![1, 2, 1]));
//! assert!(matches!(&out.columns[2], Column::Float64(b) if b[0] == 10.0 && b[1].is_nan()));
//! ```

mod rows;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::column::{concat, Column, Dtype, Frame};
use super::sort::SortBy;
use super::values::frame;
use crate::Value;
use daskling_core::{Error, Result};
use rows::{bucket, gather, pairs, row_keys};

crate::name_table! {
    /// Which rows a join keeps.
    pub enum How {
        Inner = "inner": "Only the rows whose key is in both frames.",
        Left = "left": "Every left row; missing right values where its key has no match.",
        Right = "right": "Every right row; missing left values where its key has no match.",
        Outer = "outer": "Every row of both frames, sorted by the key.",
    }
}

/// A join: how, the key columns of each side (as many on each) and the suffixes of
/// clashing names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergeSpec {
    /// Which rows are kept.
    pub how: How,
    /// The left frame's key columns.
    pub left_on: Vec<String>,
    /// The right frame's key columns, one per left key.
    pub right_on: Vec<String>,
    /// Added to a name both frames have (pandas' `('_x', '_y')`).
    pub suffixes: [String; 2],
}

/// Where an output column comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
enum From {
    /// The left frame's column.
    Left(usize),
    /// The right frame's column.
    Right(usize),
    /// A key of one name on both sides: the left row's value, else the right row's.
    Key(usize, usize),
}

/// The columns of a join's result and where each comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Output names.
    pub names: Vec<String>,
    /// Output dtypes.
    pub dtypes: Vec<Dtype>,
    from: Vec<From>,
    left_keys: Vec<usize>,
    right_keys: Vec<usize>,
}

/// One step of a distributed join's tasks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MergeStep {
    /// Two frames joined (inputs: the left partition, the right one).
    Join,
    /// A partition's rows cut into `parts` buckets by a hash of the key (input: the
    /// partition): a tuple of frames.
    Route {
        /// Whether the partition is of the left frame (else the right one).
        left: bool,
        /// Buckets.
        parts: usize,
    },
    /// Bucket `bucket` of every routed partition, joined (inputs: the left frame's
    /// `left_parts` routed partitions, then the right frame's).
    Bucket {
        /// Which bucket.
        bucket: usize,
        /// How many inputs are of the left frame.
        left_parts: usize,
    },
}

impl MergeStep {
    /// The step's name, for graphs.
    pub fn name(self) -> &'static str {
        match self {
            MergeStep::Join | MergeStep::Bucket { .. } => "merge",
            MergeStep::Route { .. } => "merge-shuffle",
        }
    }
}

/// Whether keys of dtypes `a` and `b` can match (numbers with numbers, else the same).
fn comparable(a: Dtype, b: Dtype) -> bool {
    a == b || (a.is_numeric() && b.is_numeric() && a != Dtype::Bool && b != Dtype::Bool)
}

/// `d` where some rows have no value (int64 cannot be missing: float64, as pandas).
fn missable(d: Dtype) -> Dtype {
    if d == Dtype::Int64 {
        Dtype::Float64
    } else {
        d
    }
}

impl MergeSpec {
    /// A join on columns `on`, of the same names in both frames, with pandas' suffixes.
    pub fn on(how: How, on: &[&str]) -> MergeSpec {
        let on: Vec<String> = on.iter().map(|s| s.to_string()).collect();
        MergeSpec {
            how,
            left_on: on.clone(),
            right_on: on,
            suffixes: ["_x".into(), "_y".into()],
        }
    }

    /// The result's columns for frames of these columns, or an error naming a key that is
    /// not a column, keys that cannot match, or names the suffixes make clash.
    pub fn layout(
        &self,
        left: (&[String], &[Dtype]),
        right: (&[String], &[Dtype]),
    ) -> Result<Layout> {
        if self.left_on.is_empty() || self.left_on.len() != self.right_on.len() {
            return Err(Error::invalid(format!(
                "merge: leftOn has {} columns and rightOn {}: give as many of each (at least one)",
                self.left_on.len(),
                self.right_on.len()
            )));
        }
        let find = |side: &str, names: &[String], c: &str| {
            names.iter().position(|n| n == c).ok_or_else(|| {
                Error::invalid(format!(
                    "merge: the key {c} is not a column of the {side} frame (its columns are {})",
                    names.join(", ")
                ))
            })
        };
        let left_keys =
            (self.left_on.iter().map(|c| find("left", left.0, c))).collect::<Result<Vec<_>>>()?;
        let right_keys = (self.right_on.iter().map(|c| find("right", right.0, c)))
            .collect::<Result<Vec<_>>>()?;
        for (&l, &r) in left_keys.iter().zip(&right_keys) {
            let (a, b) = (left.1[l], right.1[r]);
            if !comparable(a, b) {
                return Err(Error::invalid(format!(
                    "merge: the key {} is {a} on the left and {} is {b} on the right: keys must both be numbers, or of one dtype",
                    left.0[l], right.0[r]
                )));
            }
        }
        // A key of one name on both sides is one column.
        let shared: Vec<(usize, usize)> = left_keys
            .iter()
            .zip(&right_keys)
            .filter(|(&l, &r)| left.0[l] == right.0[r])
            .map(|(&l, &r)| (l, r))
            .collect();
        let (keep_left, keep_right) = match self.how {
            How::Inner => (true, true),
            How::Left => (true, false),
            How::Right => (false, true),
            How::Outer => (false, false),
        };
        let mut from = vec![];
        let mut dtypes = vec![];
        for (i, &d) in left.1.iter().enumerate() {
            if let Some(&(_, r)) = shared.iter().find(|(l, _)| *l == i) {
                from.push(From::Key(i, r));
                let e = right.1[r];
                dtypes.push(match self.how {
                    _ if d == e => d,
                    How::Inner | How::Left => d,
                    How::Right => e,
                    How::Outer => Dtype::Float64,
                });
            } else {
                from.push(From::Left(i));
                dtypes.push(if keep_left { d } else { missable(d) });
            }
        }
        for (j, &d) in right.1.iter().enumerate() {
            if !shared.iter().any(|&(_, r)| r == j) {
                from.push(From::Right(j));
                dtypes.push(if keep_right { d } else { missable(d) });
            }
        }
        // Names both sides have (other than shared keys) get the suffixes.
        let own = |f: &From| match *f {
            From::Left(i) => Some((true, &left.0[i])),
            From::Right(j) => Some((false, &right.0[j])),
            From::Key(..) => None,
        };
        let lefts: Vec<&String> = from
            .iter()
            .filter_map(own)
            .filter(|o| o.0)
            .map(|o| o.1)
            .collect();
        let rights: Vec<&String> = from
            .iter()
            .filter_map(own)
            .filter(|o| !o.0)
            .map(|o| o.1)
            .collect();
        let names: Vec<String> = from
            .iter()
            .map(|f| match *f {
                From::Key(i, _) => left.0[i].clone(),
                From::Left(i) if rights.contains(&&left.0[i]) => {
                    format!("{}{}", left.0[i], self.suffixes[0])
                }
                From::Right(j) if lefts.contains(&&right.0[j]) => {
                    format!("{}{}", right.0[j], self.suffixes[1])
                }
                From::Left(i) => left.0[i].clone(),
                From::Right(j) => right.0[j].clone(),
            })
            .collect();
        for (k, n) in names.iter().enumerate() {
            if names[..k].contains(n) {
                return Err(Error::invalid(format!(
                    "merge: the suffixes {:?} make two columns named {n}: choose other suffixes",
                    self.suffixes
                )));
            }
        }
        Ok(Layout {
            names,
            dtypes,
            from,
            left_keys,
            right_keys,
        })
    }

    /// `left` joined with `right` (see the module documentation for rows and order).
    pub fn join(&self, key: &str, left: &Frame, right: &Frame) -> Result<Frame> {
        let layout = self
            .layout(
                (&left.names, &left.dtypes()),
                (&right.names, &right.dtypes()),
            )
            .map_err(|e| Error::invalid(format!("{key}: {e}")))?;
        let lk = row_keys(left, &layout.left_keys);
        let rk = row_keys(right, &layout.right_keys);
        let (mut li, mut ri) = match self.how {
            How::Right => {
                let (r, l) = pairs(&rk, &lk, true);
                (l, r)
            }
            how => pairs(&lk, &rk, how != How::Inner),
        };
        if self.how == How::Outer {
            // The right rows no left row matched, then every row sorted by the key.
            let mut matched = vec![false; right.len()];
            ri.iter().flatten().for_each(|&j| matched[j] = true);
            for (j, _) in matched.iter().enumerate().filter(|(_, m)| !**m) {
                li.push(None);
                ri.push(Some(j));
            }
            let order = key_order(left, right, &layout, &li, &ri)?;
            li = order.iter().map(|&r| li[r]).collect();
            ri = order.iter().map(|&r| ri[r]).collect();
        }
        let columns = layout
            .from
            .iter()
            .zip(&layout.dtypes)
            .map(|(f, &d)| match *f {
                From::Left(i) => gather(d, [Some(&left.columns[i]), None], [&li, &ri]),
                From::Right(j) => gather(d, [None, Some(&right.columns[j])], [&li, &ri]),
                From::Key(i, j) => gather(
                    d,
                    [Some(&left.columns[i]), Some(&right.columns[j])],
                    [&li, &ri],
                ),
            })
            .collect();
        Ok(Frame {
            names: layout.names.into(),
            columns,
            index: None,
        })
    }

    /// `f`'s rows in `parts` buckets by a hash of its key columns (`left`: it is the left
    /// frame), each in the order its rows occur. Equal keys of either frame share a bucket.
    pub fn route(&self, f: &Frame, left: bool, parts: usize) -> Result<Vec<Frame>> {
        let on = if left { &self.left_on } else { &self.right_on };
        let cols =
            on.iter()
                .map(|c| {
                    f.names.iter().position(|n| n == c).ok_or_else(|| {
                        Error::invalid(format!("merge: the key {c} is not a column"))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
        let parts = parts.max(1);
        let mut rows: Vec<Vec<usize>> = vec![vec![]; parts];
        for (i, k) in row_keys(f, &cols).iter().enumerate() {
            rows[bucket(k, parts)].push(i);
        }
        Ok(rows.iter().map(|idx| f.take(idx)).collect())
    }

    /// Runs one step of a join's tasks on its inputs; `key` names the task in errors.
    pub fn run(&self, step: MergeStep, key: &str, inputs: &[Value]) -> Result<Value> {
        let nth = |i: usize| {
            inputs
                .get(i)
                .ok_or_else(|| Error::invalid(format!("{key}: missing input {i}")))
                .and_then(|v| frame(key, v))
        };
        let out = |f: Frame| Value::Frame(Arc::new(f));
        Ok(match step {
            MergeStep::Join => out(self.join(key, nth(0)?, nth(1)?)?),
            MergeStep::Route { left, parts } => {
                let pieces = self.route(nth(0)?, left, parts)?;
                Value::Tuple(pieces.into_iter().map(out).collect())
            }
            MergeStep::Bucket { bucket, left_parts } => {
                let pieces = inputs
                    .iter()
                    .map(|v| match v {
                        Value::Tuple(t) => t
                            .get(bucket)
                            .ok_or_else(|| Error::invalid(format!("{key}: no bucket {bucket}")))
                            .and_then(|p| frame(key, p)),
                        _ => Err(Error::invalid(format!("{key}: expected routed buckets"))),
                    })
                    .collect::<Result<Vec<_>>>()?;
                if left_parts == 0 || left_parts >= pieces.len() {
                    return Err(Error::invalid(format!(
                        "{key}: expected both frames' buckets"
                    )));
                }
                let l = concat(key, &pieces[..left_parts])?;
                let r = concat(key, &pieces[left_parts..])?;
                out(self.join(key, &l, &r)?)
            }
        })
    }
}

impl MergeSpec {
    /// dask's call joining frames `l` and `r` (what `toDask` writes).
    pub fn pandas(&self, l: &str, r: &str, broadcast: bool) -> String {
        let list = |cols: &[String]| {
            let q: Vec<String> = cols.iter().map(|c| super::convert::python_str(c)).collect();
            format!("[{}]", q.join(", "))
        };
        let keys = if self.left_on == self.right_on {
            format!("on={}", list(&self.left_on))
        } else {
            format!(
                "left_on={}, right_on={}",
                list(&self.left_on),
                list(&self.right_on)
            )
        };
        let [a, b] = &self.suffixes;
        let extra = if broadcast { ", broadcast=True" } else { "" };
        format!(
            "{l}.merge({r}, how={}, {keys}, suffixes=({}, {}){extra})",
            super::convert::python_str(self.how.name()),
            super::convert::python_str(a),
            super::convert::python_str(b)
        )
    }
}

/// The order of an outer join's rows by their key (the left row's, else the right
/// row's), missing keys last, ties in the order they are.
fn key_order(
    left: &Frame,
    right: &Frame,
    layout: &Layout,
    li: &[Option<usize>],
    ri: &[Option<usize>],
) -> Result<Vec<usize>> {
    let mut names = vec![];
    let mut columns = vec![];
    for (k, (&l, &r)) in layout.left_keys.iter().zip(&layout.right_keys).enumerate() {
        let d = match (left.columns[l].dtype(), right.columns[r].dtype()) {
            (a, b) if a == b => a,
            _ => Dtype::Float64,
        };
        names.push(format!("key{k}"));
        columns.push(gather(
            d,
            [Some(&left.columns[l]), Some(&right.columns[r])],
            [li, ri],
        ));
    }
    names.push("row".into());
    columns.push(Column::Int64((0..li.len() as i64).collect()));
    let keys = Frame {
        names: names.into(),
        columns,
        index: None,
    };
    let by = SortBy {
        columns: keys.names[..keys.names.len() - 1].to_vec(),
        ascending: vec![true; layout.left_keys.len()],
    };
    let sorted = by.sort(&[&keys])?;
    match sorted.columns.last() {
        Some(Column::Int64(rows)) => Ok(rows.iter().map(|&r| r as usize).collect()),
        _ => Err(Error::invalid("merge: sorting the outer join failed")),
    }
}

#[cfg(test)]
mod tests;
