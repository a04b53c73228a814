//! Time bins as pandas' `resample` gives them: a grouped result indexed by bin start
//! (each row's time floored to the frequency) gets a row for every bin between its first
//! and its last, the bins no row fell in filled as pandas fills them — `0` for counts and
//! sums, missing for the other aggregations.
//!
//! ```
//! use std::sync::Arc;
//! use daskling_kernels::dataframe::bins::fill_bins;
//! use daskling_kernels::dataframe::{Column, Dtype, Frame};
//! let hourly = Frame {
//!     names: vec!["n".to_string(), "mean".to_string()].into(),
//!     columns: vec![Column::Int64(vec![2, 5]), Column::Float64(vec![1.5, 2.0])],
//!     index: Some(Arc::new(("t".to_string(), Column::Datetime(vec![0, 7_200_000])))),
//! };
//! let full = fill_bins(&hourly, 3_600_000, &[true, false], &[Dtype::Int64, Dtype::Float64]).unwrap();
//! assert_eq!(full.index.as_ref().unwrap().1, Column::Datetime(vec![0, 3_600_000, 7_200_000]));
//! assert_eq!(full.columns[0], Column::Int64(vec![2, 0, 5]));
//! assert!(matches!(&full.columns[1], Column::Float64(m) if m[1].is_nan()));
//! ```

use std::sync::Arc;

use super::column::{Column, Dtype, Frame, NAT};
use daskling_core::{Error, Result};

/// Most bins a result may be filled to (a frequency far finer than the data's span is
/// a mistake, not a request for a billion rows).
pub const MAX_BINS: i64 = 50_000_000;

/// `f` (indexed by sorted bin starts, `step` ms apart) with a row for every bin from its
/// first to its last: columns where `zero` is true get 0 in the new rows, the others a
/// missing value; each column becomes `dtypes` (an int64 one that can miss: float64).
pub fn fill_bins(f: &Frame, step: i64, zero: &[bool], dtypes: &[Dtype]) -> Result<Frame> {
    let Some(ix) = f.index.as_ref() else {
        return Err(Error::invalid("resample: the grouped result has no index"));
    };
    let Column::Datetime(keys) = &ix.1 else {
        return Err(Error::invalid("resample: the bins are not datetimes"));
    };
    let present: Vec<i64> = keys.iter().copied().filter(|&k| k != NAT).collect();
    let (Some(&first), Some(&last)) = (present.first(), present.last()) else {
        return Ok(f.clone());
    };
    let bins = (last - first) / step + 1;
    if bins > MAX_BINS {
        return Err(Error::invalid(format!(
            "resample: {bins} bins of {step} ms between the first and the last row (at most {MAX_BINS}): choose a coarser frequency"
        )));
    }
    // Which row of `f` each bin takes, if any.
    let mut rows: Vec<Option<usize>> = vec![None; bins as usize];
    for (r, &k) in keys.iter().enumerate() {
        if k != NAT {
            rows[((k - first) / step) as usize] = Some(r);
        }
    }
    let columns = f
        .columns
        .iter()
        .zip(zero.iter().zip(dtypes))
        .map(|(c, (&z, &d))| match (c, d) {
            (Column::Int64(v), Dtype::Int64) => {
                Column::Int64(rows.iter().map(|r| r.map_or(0, |r| v[r])).collect())
            }
            (c, Dtype::Float64) => Column::Float64(
                rows.iter()
                    .map(|r| match r {
                        Some(r) => c.f64_at(*r).unwrap_or(f64::NAN),
                        None if z => 0.0,
                        None => f64::NAN,
                    })
                    .collect(),
            ),
            (Column::Datetime(v), _) => {
                Column::Datetime(rows.iter().map(|r| r.map_or(NAT, |r| v[r])).collect())
            }
            (Column::Bool(v), _) => {
                Column::Bool(rows.iter().map(|r| r.and_then(|r| v[r])).collect())
            }
            (Column::String(v), _) => {
                Column::String(rows.iter().map(|r| r.and_then(|r| v[r].clone())).collect())
            }
            (c, _) => c.take(&rows.iter().flatten().copied().collect::<Vec<_>>()),
        })
        .collect();
    Ok(Frame {
        names: f.names.clone(),
        columns,
        index: Some(Arc::new((
            ix.0.clone(),
            Column::Datetime((0..bins).map(|b| first + b * step).collect()),
        ))),
    })
}
