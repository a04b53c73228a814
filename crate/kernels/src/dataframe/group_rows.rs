//! Per-row results of groups, in the rows' order: `transform` (each row gets its group's
//! aggregate, looked up in the grouped result, [`lookup`]) and the cumulative
//! aggregations per group (`cumsum cummax cummin cumprod`): each partition's last running
//! value per key ([`cum_partial`]) is carried along a chain of partitions
//! ([`cum_carry`]), and each partition runs on from what the ones before it left
//! ([`cum_apply`]) — as pandas on the whole series. A row whose key is missing gets a
//! missing value (pandas' `dropna=True`); a missing value stays missing and does not move
//! its group's running value.
//!
//! ```
//! use daskling_kernels::dataframe::group_rows::{cum_apply, cum_carry, cum_partial};
//! use daskling_kernels::dataframe::scan::CumAgg;
//! use daskling_kernels::dataframe::{Column, Dtype};
//! let text = |v: &[&str]| Column::String(v.iter().map(|s| Some((*s).into())).collect());
//! let (k1, v1) = (text(&["a", "b", "a"]), Column::Int64(vec![1, 2, 3]));
//! let (k2, v2) = (text(&["b", "a"]), Column::Int64(vec![10, 20]));
//! let carry = cum_carry(CumAgg::Sum, None, &cum_partial(CumAgg::Sum, &[&k1], &v1).unwrap());
//! let out = cum_apply(CumAgg::Sum, &[&k2], &v2, Some(&carry), Dtype::Int64).unwrap();
//! assert_eq!(out, Column::Int64(vec![12, 24])); // b: 2 + 10, a: 1 + 3 + 20
//! ```

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::column::{Column, Dtype, Frame};
use super::keys::{row_keys, KeyValue, HASH_SLACK};
use super::scan::CumAgg;
use super::values::{frame, input};
use crate::Value;
use daskling_core::{Error, Result};

/// A running value: int64 columns run exactly (wrapping, as numpy), the others as floats.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Acc {
    Int(i64),
    Float(f64),
}

/// The last running value of each key: what a partition leaves to the next.
#[derive(Clone, Debug, Default)]
pub struct Carry(FxHashMap<KeyValue, Acc>);

impl crate::Footprint for Carry {
    fn nbytes(&self) -> u64 {
        let entry = (std::mem::size_of::<KeyValue>() + std::mem::size_of::<Acc>()) as u64;
        self.0.capacity() as u64 * (entry + HASH_SLACK)
            + self.0.keys().map(KeyValue::heap_bytes).sum::<u64>()
    }
}

fn step(agg: CumAgg, a: Acc, x: Acc) -> Acc {
    let f = |v: Acc| match v {
        Acc::Int(i) => i as f64,
        Acc::Float(f) => f,
    };
    match (a, x) {
        (Acc::Int(a), Acc::Int(x)) => Acc::Int(agg.step_i64(a, x)),
        (a, x) => Acc::Float(agg.step_f64(f(a), f(x))),
    }
}

/// Value `i` of `values` as a running value (`None`: missing).
fn acc_at(values: &Column, i: usize) -> Result<Option<Acc>> {
    Ok(match values {
        Column::Int64(v) => Some(Acc::Int(v[i])),
        Column::Float64(v) => (!v[i].is_nan()).then_some(Acc::Float(v[i])),
        Column::Bool(v) => v[i].map(|b| Acc::Int(b as i64)),
        other => {
            return Err(Error::invalid(format!(
                "a cumulative aggregation of a {} series is not supported",
                other.dtype()
            )))
        }
    })
}

/// Runs `agg` over the rows of one partition from `start` (per key), calling `emit` with
/// each row's running value (`None`: a missing key or value).
fn run(
    agg: CumAgg,
    keys: &[&Column],
    values: &Column,
    mut acc: FxHashMap<KeyValue, Acc>,
    mut emit: impl FnMut(Option<Acc>),
) -> Result<FxHashMap<KeyValue, Acc>> {
    let ks = row_keys(keys);
    if ks.len() != values.len() {
        return Err(Error::invalid(
            "groupby: key and value columns differ in length",
        ));
    }
    for (i, k) in ks.into_iter().enumerate() {
        match (k, acc_at(values, i)?) {
            (Some(k), Some(x)) => {
                let y = acc.get(&k).map_or(x, |&a| step(agg, a, x));
                acc.insert(k, y);
                emit(Some(y));
            }
            _ => emit(None),
        }
    }
    Ok(acc)
}

/// The last running value of each key within one partition (keys `keys`, values
/// `values`).
pub fn cum_partial(agg: CumAgg, keys: &[&Column], values: &Column) -> Result<Carry> {
    run(agg, keys, values, FxHashMap::default(), |_| {}).map(Carry)
}

/// What the partitions up to and including one leave: `before` (the ones before it)
/// combined with its `partial`.
pub fn cum_carry(agg: CumAgg, before: Option<&Carry>, partial: &Carry) -> Carry {
    let mut out = before.cloned().unwrap_or_default();
    for (k, &x) in &partial.0 {
        let y = out.0.get(k).map_or(x, |&a| step(agg, a, x));
        out.0.insert(k.clone(), y);
    }
    out
}

/// The running `agg` of each row's group, from what the partitions before left
/// (`carry`), as a column of `dtype` (int64 when values and keys cannot be missing).
pub fn cum_apply(
    agg: CumAgg,
    keys: &[&Column],
    values: &Column,
    carry: Option<&Carry>,
    dtype: Dtype,
) -> Result<Column> {
    let start = carry.map(|c| c.0.clone()).unwrap_or_default();
    let mut out: Vec<Option<Acc>> = Vec::with_capacity(values.len());
    run(agg, keys, values, start, |y| out.push(y))?;
    Ok(match dtype {
        Dtype::Int64 => Column::Int64(
            out.iter()
                .map(|y| match y {
                    Some(Acc::Int(i)) => *i,
                    Some(Acc::Float(f)) => *f as i64,
                    // Never: an int64 result has int64 keys and values.
                    None => 0,
                })
                .collect(),
        ),
        _ => Column::Float64(
            out.iter()
                .map(|y| match y {
                    Some(Acc::Int(i)) => *i as f64,
                    Some(Acc::Float(f)) => *f,
                    None => f64::NAN,
                })
                .collect(),
        ),
    })
}

/// Each row's group aggregate: the last column of `grouped` (a groupby result: indexed
/// by one key, or led by `keys.len()` key columns) at the row's key in `keys`, as a
/// column of `dtype` (missing where the key is missing or not among the groups).
pub fn lookup(keys: &[&Column], grouped: &Frame, dtype: Dtype) -> Result<Column> {
    let (group_keys, values) = match (&grouped.index, keys.len()) {
        (Some(ix), 1) => (vec![&ix.1], grouped.columns.last()),
        (_, n) => (
            grouped.columns.iter().take(n).collect(),
            grouped.columns.last(),
        ),
    };
    let values = values.ok_or_else(|| Error::invalid("transform: no aggregated column"))?;
    let at: FxHashMap<KeyValue, usize> = row_keys(&group_keys)
        .into_iter()
        .enumerate()
        .filter_map(|(r, k)| k.map(|k| (k, r)))
        .collect();
    let rows: Vec<Option<usize>> = row_keys(keys)
        .into_iter()
        .map(|k| k.and_then(|k| at.get(&k).copied()))
        .collect();
    Ok(match (dtype, values) {
        (Dtype::Int64, Column::Int64(v)) => {
            Column::Int64(rows.iter().map(|r| r.map_or(0, |r| v[r])).collect())
        }
        (Dtype::Float64 | Dtype::Int64, v) => Column::Float64(
            rows.iter()
                .map(|r| r.and_then(|r| v.f64_at(r)).unwrap_or(f64::NAN))
                .collect(),
        ),
        (d, _) => {
            return Err(Error::invalid(format!(
                "transform to a {d} column is not supported"
            )))
        }
    })
}

/// One task of a per-row group result.
#[derive(Clone, Debug, PartialEq)]
pub enum GroupRowsStep {
    /// Each row's group aggregate (inputs: the key partition, the grouped result).
    Lookup {
        /// The result's name.
        name: Arc<str>,
        /// Its dtype.
        dtype: Dtype,
    },
    /// A partition's last running value per key (inputs: keys, values).
    CumPartial(CumAgg),
    /// What the partitions so far leave (inputs: a partition's partial, then the carry
    /// of the ones before, if any).
    CumCarry(CumAgg),
    /// A partition's running values (inputs: keys, values, then the carry of the
    /// partitions before, if any).
    CumApply {
        /// Which aggregation.
        agg: CumAgg,
        /// The result's name.
        name: Arc<str>,
        /// Its dtype.
        dtype: Dtype,
    },
}

impl GroupRowsStep {
    /// The step's name, for graphs.
    pub fn name(&self) -> &'static str {
        match self {
            GroupRowsStep::Lookup { .. } => "transform",
            GroupRowsStep::CumPartial(_) => "groupby-cum-chunk",
            GroupRowsStep::CumCarry(_) => "groupby-cum-carry",
            GroupRowsStep::CumApply { agg, .. } => agg.name(),
        }
    }

    /// Runs on the task's inputs; `key` names it in errors.
    pub fn run(&self, key: &str, inputs: &[Value]) -> Result<Value> {
        let columns = |i: usize| -> Result<Vec<&Column>> {
            Ok(frame(key, input(key, inputs, i)?)?.columns.iter().collect())
        };
        let one = |i: usize| -> Result<&Column> {
            columns(i)?.first().copied().ok_or_else(|| Error::Type {
                key: key.to_string(),
                expected: "a series partition",
            })
        };
        let carry = |i: usize| inputs.get(i).map(|v| v.downcast::<Carry>(key)).transpose();
        let series = |name: &Arc<str>, c: Column| {
            Value::Frame(Arc::new(Frame {
                names: vec![name.to_string()].into(),
                columns: vec![c],
                index: None,
            }))
        };
        Ok(match self {
            GroupRowsStep::Lookup { name, dtype } => {
                let grouped = frame(key, input(key, inputs, 1)?)?;
                series(name, lookup(&columns(0)?, grouped, *dtype)?)
            }
            GroupRowsStep::CumPartial(agg) => {
                Value::partial(cum_partial(*agg, &columns(0)?, one(1)?)?)
            }
            GroupRowsStep::CumCarry(agg) => {
                let partial = inputs
                    .first()
                    .ok_or_else(|| Error::invalid(format!("{key}: no input")))?
                    .downcast::<Carry>(key)?;
                Value::partial(cum_carry(*agg, carry(1)?, partial))
            }
            GroupRowsStep::CumApply { agg, name, dtype } => {
                let c = cum_apply(*agg, &columns(0)?, one(1)?, carry(2)?, *dtype)?;
                series(name, c)
            }
        })
    }
}
