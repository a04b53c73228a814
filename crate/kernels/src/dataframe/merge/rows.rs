//! A join's rows: the keys of each row (missing parts included, numbers normalized),
//! the pairs of matching rows, the bucket of a key in a hash shuffle, and the gathering
//! of output columns from the pairs.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use super::super::column::{Column, Dtype, Frame, NAT};
use super::super::keys::{self, KeyValue};

/// A row's key: missing parts included (pandas matches a missing key with a missing
/// key), numbers normalized so that an int64 `3` and a float64 `3.0` are one key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum JoinKey {
    One(Option<KeyValue>),
    Many(Box<[Option<KeyValue>]>),
}

/// The keys of one column's rows (groupby's, `keys::keys`), a whole float64 number made
/// the int64 key of its value.
fn column_keys(c: &Column) -> Vec<Option<KeyValue>> {
    let keys = keys::keys(c);
    if !matches!(c, Column::Float64(_)) {
        return keys;
    }
    keys.into_iter()
        .map(|k| match k {
            Some(KeyValue::Float(bits)) => {
                let x = f64::from_bits(bits);
                Some(if x.fract() == 0.0 && x.abs() < 9.2e18 {
                    KeyValue::Int(x as i64)
                } else {
                    KeyValue::Float(bits)
                })
            }
            other => other,
        })
        .collect()
}

/// The keys of `f`'s rows from its columns `cols`.
pub(super) fn row_keys(f: &Frame, cols: &[usize]) -> Vec<JoinKey> {
    let mut each: Vec<Vec<Option<KeyValue>>> =
        cols.iter().map(|&c| column_keys(&f.columns[c])).collect();
    if each.len() == 1 {
        return each.remove(0).into_iter().map(JoinKey::One).collect();
    }
    (0..f.len())
        .map(|i| JoinKey::Many(each.iter_mut().map(|k| k[i].take()).collect()))
        .collect()
}

/// The bucket of `k` among `parts` (a hash, mixed so that every bit counts).
pub(super) fn bucket(k: &JoinKey, parts: usize) -> usize {
    let mut h = FxHasher::default();
    k.hash(&mut h);
    let mut x = h.finish();
    // splitmix64's finalizer: Fx leaves the low bits of small integers poorly mixed.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d049bb133111eb);
    x ^= x >> 31;
    ((u128::from(x) * parts as u128) >> 64) as usize
}

/// The matching rows of `probe` (each in order, its matches in `build`'s order), and with
/// `keep` each unmatched probe row once with no match: (probe rows, build rows).
pub(super) fn pairs(
    probe: &[JoinKey],
    build: &[JoinKey],
    keep: bool,
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    const END: u32 = u32::MAX;
    // Each key's first and last row, and every row's next row of the same key.
    let mut heads: FxHashMap<&JoinKey, (u32, u32)> = FxHashMap::default();
    let mut next = vec![END; build.len()];
    for (j, k) in build.iter().enumerate() {
        let j = j as u32;
        heads
            .entry(k)
            .and_modify(|(_, last)| {
                next[*last as usize] = j;
                *last = j;
            })
            .or_insert((j, j));
    }
    let (mut pi, mut bi) = (
        Vec::with_capacity(probe.len()),
        Vec::with_capacity(probe.len()),
    );
    for (i, k) in probe.iter().enumerate() {
        match heads.get(k) {
            Some(&(first, _)) => {
                let mut j = first;
                while j != END {
                    pi.push(Some(i));
                    bi.push(Some(j as usize));
                    j = next[j as usize];
                }
            }
            None if keep => {
                pi.push(Some(i));
                bi.push(None);
            }
            None => {}
        }
    }
    (pi, bi)
}

/// A column of dtype `d` whose row `r` is the left column's value at `rows[0][r]` if
/// there is one (and a left column), else the right column's at `rows[1][r]`, else
/// missing.
pub(super) fn gather(d: Dtype, cols: [Option<&Column>; 2], rows: [&[Option<usize>]; 2]) -> Column {
    let n = rows[0].len();
    // The common case: one side, every row present, the dtype kept.
    for s in 0..2 {
        if let Some(c) = cols[s] {
            if c.dtype() == d && (cols[1 - s].is_none() || s == 0) {
                if let Some(idx) = rows[s].iter().copied().collect::<Option<Vec<usize>>>() {
                    return c.take(&idx);
                }
            }
        }
    }
    let at = |r: usize| -> Option<(&Column, usize)> {
        (0..2).find_map(|s| Some((cols[s]?, rows[s][r]?)))
    };
    match d {
        Dtype::Float64 => Column::Float64(
            (0..n)
                .map(|r| at(r).and_then(|(c, i)| c.f64_at(i)).unwrap_or(f64::NAN))
                .collect(),
        ),
        Dtype::Int64 => Column::Int64(
            (0..n)
                .map(|r| match at(r) {
                    Some((Column::Int64(v), i)) => v[i],
                    // A float64 key equal to an int64 one (the int64 side's type kept).
                    Some((c, i)) => c.f64_at(i).map_or(0, |x| x as i64),
                    // Never: an int64 result column has a value in every row.
                    None => 0,
                })
                .collect(),
        ),
        Dtype::Datetime => Column::Datetime(
            (0..n)
                .map(|r| match at(r) {
                    Some((Column::Datetime(v), i)) => v[i],
                    _ => NAT,
                })
                .collect(),
        ),
        Dtype::Bool => Column::Bool(
            (0..n)
                .map(|r| match at(r) {
                    Some((Column::Bool(v), i)) => v[i],
                    _ => None,
                })
                .collect(),
        ),
        Dtype::String => Column::String(
            (0..n)
                .map(|r| match at(r) {
                    Some((Column::String(v), i)) => v[i].clone(),
                    _ => None,
                })
                .collect(),
        ),
    }
}
