//! Rows as hashable keys: one column's values, or tuples of several, for `nunique`,
//! groupby, merges and duplicates — missing values never a key, as pandas drops them.

use std::sync::Arc;

use super::column::{Column, NAT};

/// A hashable value, for `nunique` and group keys.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum KeyValue {
    /// An integer (or datetime) key.
    Int(i64),
    /// A float's bits (NaN never becomes a key).
    Float(u64),
    /// A bool key.
    Bool(bool),
    /// A text key.
    Str(Arc<str>),
    /// Several keys (a groupby by several columns), none missing.
    Tuple(Arc<[KeyValue]>),
}

/// The rows of several key columns as keys: one column's own keys, or tuples of
/// several (`None` where any of them is missing, as pandas' `dropna=True` drops the row).
pub(crate) fn row_keys(cols: &[&Column]) -> Vec<Option<KeyValue>> {
    if let [one] = cols {
        return keys(one);
    }
    let each: Vec<Vec<Option<KeyValue>>> = cols.iter().map(|c| keys(c)).collect();
    let n = cols.first().map_or(0, |c| c.len());
    let mut out: Vec<Option<KeyValue>> = Vec::with_capacity(n);
    for i in 0..n {
        // Rows come in runs of one key (a day's minutes): a row equal to the one before
        // shares its tuple rather than allocating another.
        if i > 0 && each.iter().all(|k| k[i] == k[i - 1]) {
            out.push(out[i - 1].clone());
            continue;
        }
        out.push(
            each.iter()
                .map(|k| k[i].clone())
                .collect::<Option<Vec<KeyValue>>>()
                .map(|t| KeyValue::Tuple(t.into())),
        );
    }
    out
}

/// The non-missing values of `c` as keys.
pub(crate) fn keys(c: &Column) -> Vec<Option<KeyValue>> {
    match c {
        Column::Int64(v) => v.iter().map(|&x| Some(KeyValue::Int(x))).collect(),
        Column::Datetime(v) => v
            .iter()
            .map(|&x| (x != NAT).then_some(KeyValue::Int(x)))
            .collect(),
        Column::Float64(v) => v
            .iter()
            .map(|&x| (!x.is_nan()).then(|| KeyValue::Float((x + 0.0).to_bits())))
            .collect(),
        Column::Bool(v) => v.iter().map(|x| x.map(KeyValue::Bool)).collect(),
        Column::String(v) => v.iter().map(|x| x.clone().map(KeyValue::Str)).collect(),
    }
}

impl KeyValue {
    /// Bytes held beyond the enum itself (a text key's string).
    pub fn heap_bytes(&self) -> u64 {
        match self {
            KeyValue::Str(s) => s.len() as u64,
            KeyValue::Tuple(t) => t
                .iter()
                .map(|k| std::mem::size_of::<KeyValue>() as u64 + k.heap_bytes())
                .sum(),
            _ => 0,
        }
    }
}

/// Bytes a hash table holds per entry beyond its key and value (control byte, load
/// factor slack of hashbrown's 7/8 and power-of-two growth, on average).
pub(crate) const HASH_SLACK: u64 = 8;
