//! Group-by aggregation: a hash table of partial aggregates per partition (key →
//! partials), tables merged up a tree, and a final table sorted by key. Missing keys
//! form no group (pandas' `dropna=True`).

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use std::sync::Arc;

use super::column::{Column, Dtype, Frame, NAT};
use super::keys::{self, KeyValue, HASH_SLACK};
use super::ops::SeriesReduce;
use super::partials::{self, Partial};
use super::values::{frame, input};
use crate::Value;
use daskling_core::{Error, Result};

crate::name_table! {
    /// An aggregation of each group (a `groupby(...).col.agg()` method, an entry of `agg`).
    pub enum GroupAgg {
        Sum = "sum": "The sum of each group.",
        Mean = "mean": "The mean of each group.",
        Min = "min": "The smallest value of each group.",
        Max = "max": "The largest value of each group.",
        Count = "count": "How many values of each group are not missing.",
        Std = "std": "The standard deviation of each group (`ddof` 1).",
        Var = "var": "The variance of each group (`ddof` 1).",
        First = "first": "The first value of each group.",
        Last = "last": "The last value of each group.",
        Size = "size": "How many rows each group has (missing values included).",
        Nunique = "nunique": "How many distinct values each group has (missing values not counted).",
        Median = "median": "The median of each group (exact: every value is kept until the end).",
    }
}

impl GroupAgg {
    /// Whether `ddof` changes the result (`var`, `std`).
    pub fn takes_ddof(self) -> bool {
        matches!(self, GroupAgg::Std | GroupAgg::Var)
    }

    fn reduce(self) -> SeriesReduce {
        match self {
            GroupAgg::Sum => SeriesReduce::Sum,
            GroupAgg::Mean => SeriesReduce::Mean,
            GroupAgg::Min => SeriesReduce::Min,
            GroupAgg::Max => SeriesReduce::Max,
            GroupAgg::Std => SeriesReduce::Std,
            GroupAgg::Var => SeriesReduce::Var,
            GroupAgg::Nunique => SeriesReduce::Nunique,
            _ => SeriesReduce::Count,
        }
    }

    /// The dtype of the aggregate of a `d` column.
    pub fn dtype(self, d: Dtype) -> Result<Dtype> {
        let numeric = d.is_numeric();
        Ok(match self {
            GroupAgg::Count | GroupAgg::Size | GroupAgg::Nunique => Dtype::Int64,
            GroupAgg::Sum if d == Dtype::Int64 || d == Dtype::Bool => Dtype::Int64,
            GroupAgg::Sum | GroupAgg::Mean | GroupAgg::Std | GroupAgg::Var | GroupAgg::Median
                if numeric =>
            {
                Dtype::Float64
            }
            GroupAgg::Min | GroupAgg::Max | GroupAgg::First | GroupAgg::Last
                if numeric || d == Dtype::Datetime =>
            {
                if d == Dtype::Bool {
                    Dtype::Float64
                } else {
                    d
                }
            }
            _ => {
                return Err(Error::invalid(format!(
                    "groupby {} of a {d} column is not supported",
                    self.name()
                )))
            }
        })
    }
}

/// One group's partial: the reduction's partial, or the first/last value and size.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum GroupPartial {
    /// A reduction's partial.
    Reduce(Partial),
    /// The first non-missing value.
    First(Option<f64>),
    /// The last non-missing value.
    Last(Option<f64>),
    /// Rows in the group.
    Size(f64),
    /// Every present value (`median`).
    Values(Vec<f64>),
}

/// Partials per key, one table per aggregation spec.
#[derive(Clone, Debug, Default)]
pub(crate) struct GroupTable {
    /// Partials per key.
    pub groups: FxHashMap<KeyValue, Vec<GroupPartial>>,
}

impl crate::Footprint for GroupTable {
    fn nbytes(&self) -> u64 {
        let entry = (std::mem::size_of::<KeyValue>() + std::mem::size_of::<Vec<GroupPartial>>())
            as u64
            + HASH_SLACK;
        let per_partial = std::mem::size_of::<GroupPartial>() as u64;
        self.groups.capacity() as u64 * entry
            + self
                .groups
                .iter()
                .map(|(k, v)| {
                    // nunique's sets hold their values.
                    let sets: u64 = v
                        .iter()
                        .map(|p| match p {
                            GroupPartial::Reduce(r @ Partial::Distinct(_)) => {
                                crate::Footprint::nbytes(r)
                            }
                            GroupPartial::Values(all) => 8 * all.capacity() as u64,
                            _ => 0,
                        })
                        .sum();
                    k.heap_bytes() + v.capacity() as u64 * per_partial + sets
                })
                .sum::<u64>()
    }
}

/// The shape of a group-by result.
#[derive(Clone, Debug)]
pub struct GroupSpec {
    /// The keys' names and dtypes: one key gives the index, several give the first
    /// columns (pandas' `.reset_index()` of a multi-key result).
    pub keys: Vec<(String, Dtype)>,
    /// Per output column: its name, aggregation and dtype.
    pub values: Vec<(String, GroupAgg, Dtype)>,
    /// For std and var.
    pub ddof: f64,
    /// Order by the first column, largest first (valueCounts), instead of by key.
    pub by_count_desc: bool,
}

impl GroupSpec {
    /// The result frame from the last tables (`inputs`, in partition order): indexed by
    /// the sorted key for one key, the key columns then the values for several.
    pub(crate) fn finish(&self, key: &str, inputs: &[Value]) -> Result<Frame> {
        let tables = inputs
            .iter()
            .map(|v| v.downcast::<GroupTable>(key))
            .collect::<Result<Vec<_>>>()?;
        let aggs: Vec<GroupAgg> = self.values.iter().map(|(_, a, _)| *a).collect();
        let t = merge(&tables, &aggs)?;
        let dts: Vec<(GroupAgg, Dtype)> = self.values.iter().map(|(_, a, d)| (*a, *d)).collect();
        let key_dtypes: Vec<Dtype> = self.keys.iter().map(|k| k.1).collect();
        let (mut keys, values) = finish(&t, &key_dtypes, &dts, self.ddof, self.by_count_desc)?;
        let value_names = self.values.iter().map(|(n, _, _)| n.clone());
        Ok(if let [(name, _)] = &self.keys[..] {
            Frame {
                names: value_names.collect::<Vec<_>>().into(),
                columns: values,
                index: Some(Arc::new((name.clone(), keys.remove(0)))),
            }
        } else {
            let names = self.keys.iter().map(|k| k.0.clone()).chain(value_names);
            keys.extend(values);
            Frame {
                names: names.collect::<Vec<_>>().into(),
                columns: keys,
                index: None,
            }
        })
    }
}

/// The partial table of a partition's task: `inputs` are the key series (or the frame
/// of several keys), then one value series per aggregation.
pub(crate) fn partial_of(key: &str, aggs: &[GroupAgg], inputs: &[Value]) -> Result<GroupTable> {
    let by: Vec<&Column> = frame(key, input(key, inputs, 0)?)?.columns.iter().collect();
    let mut specs = Vec::with_capacity(aggs.len());
    for (j, agg) in aggs.iter().enumerate() {
        let f = frame(key, input(key, inputs, j + 1)?)?;
        let c = f.columns.first().ok_or_else(|| Error::Type {
            key: key.to_string(),
            expected: "a series partition",
        })?;
        specs.push((c, *agg));
    }
    partial(&by, &specs)
}

/// Tables of a merge task (`inputs`, in partition order) merged.
pub(crate) fn merge_values(key: &str, aggs: &[GroupAgg], inputs: &[Value]) -> Result<GroupTable> {
    let tables = inputs
        .iter()
        .map(|v| v.downcast::<GroupTable>(key))
        .collect::<Result<Vec<_>>>()?;
    merge(&tables, aggs)
}

/// The partial table of one partition: `by` key columns (one, or several making tuple
/// keys), and one value column per spec.
pub(crate) fn partial(by: &[&Column], values: &[(&Column, GroupAgg)]) -> Result<GroupTable> {
    let keys = keys::row_keys(by);
    let mut t = GroupTable::default();
    let n = keys.len();
    for (col, _) in values {
        if col.len() != n {
            return Err(Error::invalid(
                "groupby: key and value columns differ in length",
            ));
        }
    }
    // nunique counts values of any dtype: by their keys.
    let distinct: Vec<Option<Vec<Option<KeyValue>>>> = values
        .iter()
        .map(|(col, agg)| (*agg == GroupAgg::Nunique).then(|| keys::keys(col)))
        .collect();
    // Rows come in runs of one key (sorted or time-ordered data: a day's minutes): one
    // table lookup per run, not per row.
    let mut i = 0;
    while i < n {
        let Some(k) = &keys[i] else {
            i += 1;
            continue;
        };
        let end = i + keys[i..]
            .iter()
            .take_while(|x| x.as_ref() == Some(k))
            .count();
        let entry = t.groups.entry(k.clone()).or_insert_with(|| {
            values
                .iter()
                .map(|(_, agg)| empty(*agg))
                .collect::<Vec<_>>()
        });
        for (j, (col, agg)) in values.iter().enumerate() {
            if let (Some(kv), GroupPartial::Reduce(Partial::Distinct(set))) =
                (&distinct[j], &mut entry[j])
            {
                set.extend(kv[i..end].iter().flatten().cloned());
                continue;
            }
            for r in i..end {
                // count counts present values of any dtype (text has no number).
                let v = if *agg == GroupAgg::Count {
                    (!col.is_missing(r)).then_some(1.0)
                } else {
                    col.f64_at(r)
                };
                add(&mut entry[j], *agg, v);
            }
        }
        i = end;
    }
    Ok(t)
}

fn empty(agg: GroupAgg) -> GroupPartial {
    match agg {
        GroupAgg::First => GroupPartial::First(None),
        GroupAgg::Last => GroupPartial::Last(None),
        GroupAgg::Size => GroupPartial::Size(0.0),
        GroupAgg::Min | GroupAgg::Max => GroupPartial::Reduce(Partial::Extreme { value: None }),
        GroupAgg::Mean | GroupAgg::Std | GroupAgg::Var => GroupPartial::Reduce(Partial::Moments {
            count: 0.0,
            mean: 0.0,
            m2: 0.0,
        }),
        GroupAgg::Nunique => GroupPartial::Reduce(Partial::Distinct(Default::default())),
        GroupAgg::Median => GroupPartial::Values(vec![]),
        GroupAgg::Sum | GroupAgg::Count => GroupPartial::Reduce(Partial::Sum {
            count: 0.0,
            sum: 0.0,
        }),
    }
}

/// Adds one value (`None`: missing) to a group's partial.
fn add(p: &mut GroupPartial, agg: GroupAgg, v: Option<f64>) {
    match p {
        GroupPartial::Size(n) => *n += 1.0,
        GroupPartial::Values(all) => all.extend(v),
        GroupPartial::First(f) => {
            if f.is_none() {
                *f = v;
            }
        }
        GroupPartial::Last(l) => {
            if v.is_some() {
                *l = v;
            }
        }
        GroupPartial::Reduce(r) => {
            let Some(x) = v else { return };
            match r {
                Partial::Sum { count, sum } => {
                    *count += 1.0;
                    *sum += x;
                }
                Partial::Extreme { value } => {
                    *value = Some(match *value {
                        None => x,
                        Some(y) if agg == GroupAgg::Min => y.min(x),
                        Some(y) => y.max(x),
                    })
                }
                Partial::Moments { count, mean, m2 } => {
                    // Welford's update is a merge with a part of one value (which also
                    // keeps infinities as numpy and pandas do).
                    (*count, *mean, *m2) =
                        crate::moments::merge((*count, *mean, *m2), (1.0, x, 0.0));
                }
                // Groups add floats (their int64 sums are not exact yet).
                Partial::Distinct(_) | Partial::IntSum { .. } => {}
            }
        }
    }
}

fn merge_one(a: &mut GroupPartial, b: &GroupPartial, agg: GroupAgg) -> Result<()> {
    match (&mut *a, b) {
        (GroupPartial::Size(x), GroupPartial::Size(y)) => *x += y,
        (GroupPartial::Values(x), GroupPartial::Values(y)) => x.extend_from_slice(y),
        (GroupPartial::First(x), GroupPartial::First(y)) => {
            if x.is_none() {
                *x = *y;
            }
        }
        (GroupPartial::Last(x), GroupPartial::Last(y)) => {
            if y.is_some() {
                *x = *y;
            }
        }
        (GroupPartial::Reduce(x), GroupPartial::Reduce(y)) => {
            *x = partials::merge(agg.reduce(), &[x, y])?;
        }
        _ => return Err(Error::invalid("groupby: partials of different kinds")),
    }
    Ok(())
}

/// Merges tables in order (earlier partitions first, for `first`/`last`).
pub(crate) fn merge(tables: &[&GroupTable], aggs: &[GroupAgg]) -> Result<GroupTable> {
    let mut out = GroupTable::default();
    for t in tables {
        for (k, parts) in &t.groups {
            match out.groups.get_mut(k) {
                None => {
                    out.groups.insert(k.clone(), parts.clone());
                }
                Some(acc) => {
                    for (j, p) in parts.iter().enumerate() {
                        merge_one(&mut acc[j], p, aggs[j])?;
                    }
                }
            }
        }
    }
    Ok(out)
}

fn cmp_keys(a: &KeyValue, b: &KeyValue) -> Ordering {
    match (a, b) {
        (KeyValue::Tuple(x), KeyValue::Tuple(y)) => x
            .iter()
            .zip(y.iter())
            .map(|(p, q)| cmp_keys(p, q))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal),
        (KeyValue::Float(x), KeyValue::Float(y)) => {
            f64::from_bits(*x).total_cmp(&f64::from_bits(*y))
        }
        _ => a.cmp(b),
    }
}

/// The final columns: sorted keys (one column per key, of `key_dtypes`), then one
/// column per spec of the given dtypes. `by_count_desc` orders by the first value column, largest first
/// (`valueCounts`), ties by key.
pub(crate) fn finish(
    t: &GroupTable,
    key_dtypes: &[Dtype],
    specs: &[(GroupAgg, Dtype)],
    ddof: f64,
    by_count_desc: bool,
) -> Result<(Vec<Column>, Vec<Column>)> {
    let mut rows: Vec<(&KeyValue, Vec<f64>)> = t
        .groups
        .iter()
        .map(|(k, parts)| {
            let vals = parts
                .iter()
                .zip(specs)
                .map(|(p, (agg, _))| match p {
                    GroupPartial::Size(n) => *n,
                    GroupPartial::Values(all) => median(all),
                    GroupPartial::First(v) | GroupPartial::Last(v) => v.unwrap_or(f64::NAN),
                    GroupPartial::Reduce(r) => match agg {
                        GroupAgg::Count => match r {
                            Partial::Sum { count, .. } => *count,
                            _ => f64::NAN,
                        },
                        _ => partials::finish(agg.reduce(), r, ddof),
                    },
                })
                .collect();
            (k, vals)
        })
        .collect();
    if by_count_desc {
        rows.sort_by(|a, b| b.1[0].total_cmp(&a.1[0]).then_with(|| cmp_keys(a.0, b.0)));
    } else {
        rows.sort_by(|a, b| cmp_keys(a.0, b.0));
    }
    let part = |k: &'_ KeyValue, j: usize| -> KeyValue {
        match k {
            KeyValue::Tuple(t) => t[j].clone(),
            k => k.clone(),
        }
    };
    let keys = key_dtypes
        .iter()
        .enumerate()
        .map(|(j, &d)| key_column(rows.iter().map(|(k, _)| part(k, j)), d))
        .collect();
    let values = specs
        .iter()
        .enumerate()
        .map(|(j, (name, d))| {
            let v = rows.iter().map(|(_, vals)| vals[j]);
            Ok(match d {
                Dtype::Int64 => Column::Int64(
                    v.map(|x| exact_int(x, name.name()))
                        .collect::<Result<Vec<i64>>>()?,
                ),
                Dtype::Datetime => {
                    Column::Datetime(v.map(|x| if x.is_nan() { NAT } else { x as i64 }).collect())
                }
                _ => Column::Float64(v.collect()),
            })
        })
        .collect::<Result<Vec<Column>>>()?;
    Ok((keys, values))
}

/// The median of `v` (NaN when empty), as numpy's: the mean of the two middle values
/// of an even count.
fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    let n = s.len();
    if n == 0 {
        return f64::NAN;
    }
    let (_, &mut hi, _) = s.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return hi;
    }
    // The largest of the lower half: the other middle value.
    let lo = s[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo + hi) / 2.0
}

/// A key column of `dtype` from keys in order.
fn key_column(keys: impl Iterator<Item = KeyValue>, dtype: Dtype) -> Column {
    match dtype {
        Dtype::Int64 => Column::Int64(keys.map(|k| key_int(&k)).collect()),
        Dtype::Datetime => Column::Datetime(keys.map(|k| key_int(&k)).collect()),
        Dtype::Float64 => Column::Float64(
            keys.map(|k| match k {
                KeyValue::Float(b) => f64::from_bits(b),
                _ => f64::NAN,
            })
            .collect(),
        ),
        Dtype::Bool => Column::Bool(
            keys.map(|k| match k {
                KeyValue::Bool(b) => Some(b),
                _ => None,
            })
            .collect(),
        ),
        Dtype::String => Column::String(
            keys.map(|k| match k {
                KeyValue::Str(s) => Some(s),
                _ => None,
            })
            .collect(),
        ),
    }
}

/// An int64 aggregate from its float64 accumulation, or an error when it is past 2⁵³
/// (where float64 sums of int64 stop being exact, so neither a wrapped nor a saturated
/// number would be the true one).
fn exact_int(x: f64, name: &str) -> Result<i64> {
    if x.abs() <= crate::float::MAX_EXACT_INT {
        Ok(x as i64)
    } else {
        Err(Error::invalid(format!(
            "the int64 {name} of a group is {x:e}, past 2^53, where it cannot be exact; \
             aggregate a float64 column instead (e.g. add 0.0)"
        )))
    }
}

fn key_int(k: &KeyValue) -> i64 {
    match k {
        KeyValue::Int(i) => *i,
        _ => NAT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn partial_merge_finish() {
        let by = Column::Int64(vec![2, 1, 2, 1, 3]);
        let v = Column::Float64(vec![1.0, 10.0, 3.0, f64::NAN, 5.0]);
        let aggs = [
            GroupAgg::Sum,
            GroupAgg::Count,
            GroupAgg::Size,
            GroupAgg::Last,
        ];
        let specs: Vec<(&Column, GroupAgg)> = aggs.iter().map(|&a| (&v, a)).collect();
        // Two partitions of the same rows.
        let a = partial(
            &[&Column::Int64(vec![2, 1])],
            &[
                (&Column::Float64(vec![1.0, 10.0]), GroupAgg::Sum),
                (&Column::Float64(vec![1.0, 10.0]), GroupAgg::Count),
                (&Column::Float64(vec![1.0, 10.0]), GroupAgg::Size),
                (&Column::Float64(vec![1.0, 10.0]), GroupAgg::Last),
            ],
        )
        .unwrap();
        let b = partial(
            &[&Column::Int64(vec![2, 1, 3])],
            &[
                (&Column::Float64(vec![3.0, f64::NAN, 5.0]), GroupAgg::Sum),
                (&Column::Float64(vec![3.0, f64::NAN, 5.0]), GroupAgg::Count),
                (&Column::Float64(vec![3.0, f64::NAN, 5.0]), GroupAgg::Size),
                (&Column::Float64(vec![3.0, f64::NAN, 5.0]), GroupAgg::Last),
            ],
        )
        .unwrap();
        let whole = partial(&[&by], &specs).unwrap();
        let m = merge(&[&a, &b], &aggs).unwrap();
        let dt = [
            (GroupAgg::Sum, Dtype::Float64),
            (GroupAgg::Count, Dtype::Int64),
            (GroupAgg::Size, Dtype::Int64),
            (GroupAgg::Last, Dtype::Float64),
        ];
        let (k1, v1) = finish(&whole, &[Dtype::Int64], &dt, 1.0, false).unwrap();
        let (k2, v2) = finish(&m, &[Dtype::Int64], &dt, 1.0, false).unwrap();
        assert_eq!(k1, [Column::Int64(vec![1, 2, 3])]);
        assert_eq!((k1, &v1), (k2, &v2));
        assert_eq!(v1[0], Column::Float64(vec![10.0, 4.0, 5.0]));
        assert_eq!(v1[1], Column::Int64(vec![1, 2, 1]));
        assert_eq!(v1[2], Column::Int64(vec![2, 2, 1]));
        // last skips missing values, as pandas.
        assert_eq!(v1[3], Column::Float64(vec![10.0, 3.0, 5.0]));
    }

    #[test]
    fn two_keys_group_by_tuples_sorted_missing_keys_dropped() {
        let k1 = Column::String(vec![
            Some("b".into()),
            Some("a".into()),
            Some("b".into()),
            None,
        ]);
        let k2 = Column::Float64(vec![2.0, 10.0, -1.0, 1.0]);
        let v = Column::Int64(vec![1, 2, 3, 4]);
        let t = partial(&[&k1, &k2], &[(&v, GroupAgg::Sum)]).unwrap();
        let dt = [(GroupAgg::Sum, Dtype::Int64)];
        let (keys, vals) = finish(&t, &[Dtype::String, Dtype::Float64], &dt, 1.0, false).unwrap();
        let s = |v: &[&str]| Column::String(v.iter().map(|x| Some((*x).into())).collect());
        assert_eq!(
            keys,
            [s(&["a", "b", "b"]), Column::Float64(vec![10.0, -1.0, 2.0])]
        );
        assert_eq!(vals, [Column::Int64(vec![2, 3, 1])]);
    }

    #[test]
    fn medians_of_odd_even_and_empty_groups_as_numpy() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(median(&[f64::INFINITY, 1.0]), f64::INFINITY);
    }
}
