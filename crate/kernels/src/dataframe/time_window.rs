//! Rolling windows by time, as pandas' `rolling('30min', on=t)`: each row's window holds
//! the rows whose time is in `(t - window, t]`, over a datetime column sorted ascending
//! (pandas' requirement). Across partitions, each partition gets the rows before it that
//! its first windows reach — the *context*, the tail of everything before whose times are
//! within a window of the last time so far ([`TimeWindow::context`]) — so every result is
//! exact, as pandas' on the whole series.
//!
//! ```
//! use daskling_kernels::dataframe::scan::RollAgg;
//! use daskling_kernels::dataframe::time_window::TimeWindow;
//! use daskling_kernels::dataframe::Column;
//! let w = TimeWindow { window: 10, min_periods: 1, agg: RollAgg::Sum };
//! let (t1, x1) = (Column::Datetime(vec![0, 5]), Column::Float64(vec![1.0, 2.0]));
//! let (t2, x2) = (Column::Datetime(vec![12, 30]), Column::Float64(vec![4.0, 8.0]));
//! let ctx = w.context(None, &t1, &x1).unwrap();
//! // 12's window (2, 12] holds 5 and 12; 30's only itself.
//! assert_eq!(w.apply(Some(&ctx), &t2, &x2).unwrap(), Column::Float64(vec![6.0, 8.0]));
//! ```

use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::column::{Column, Frame, NAT};
use super::scan::RollAgg;
use super::values::{frame, input};
use crate::Value;
use daskling_core::{Error, Result};

/// A rolling aggregation over a time window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// The window's width in ms.
    pub window: i64,
    /// Fewest values a window needs (pandas' default for time windows: 1).
    pub min_periods: usize,
    /// Which aggregation.
    pub agg: RollAgg,
}

/// The times of `t` (an error for a missing one).
fn times(t: &Column) -> Result<&[i64]> {
    match t {
        Column::Datetime(v) => {
            if v.contains(&NAT) {
                return Err(Error::invalid(
                    "rolling: the on column has a missing time (NaT)",
                ));
            }
            Ok(v)
        }
        other => Err(Error::invalid(format!(
            "rolling: the on column is {}, not a datetime",
            other.dtype()
        ))),
    }
}

fn values(x: &Column) -> Result<Vec<f64>> {
    match x {
        Column::Int64(v) => Ok(v.iter().map(|&a| a as f64).collect()),
        Column::Float64(v) => Ok(v.clone()),
        other => Err(Error::invalid(format!(
            "rolling of a {} series is not supported",
            other.dtype()
        ))),
    }
}

/// The context's rows (`ctx`: a frame of `t` and `x`) then the partition's.
fn joined(ctx: Option<&Frame>, t: &Column, x: &Column) -> Result<(Vec<i64>, Vec<f64>, usize)> {
    let (mut ts, mut xs) = (vec![], vec![]);
    if let Some(c) = ctx {
        ts.extend_from_slice(times(&c.columns[0])?);
        xs.extend(values(&c.columns[1])?);
    }
    let skip = ts.len();
    ts.extend_from_slice(times(t)?);
    xs.extend(values(x)?);
    if let Some(i) = (1..ts.len()).find(|&i| ts[i] < ts[i - 1]) {
        return Err(Error::invalid(format!(
            "rolling: the on column must be sorted ascending (row {} comes before an earlier time)",
            i.saturating_sub(skip)
        )));
    }
    Ok((ts, xs, skip))
}

impl TimeWindow {
    /// What a partition leaves to the next: the rows of `ctx` (what the partitions
    /// before left) and of this one whose times a later window can reach.
    pub fn context(&self, ctx: Option<&Frame>, t: &Column, x: &Column) -> Result<Frame> {
        let (ts, xs, _) = joined(ctx, t, x)?;
        let from = match ts.last() {
            Some(&last) => ts.partition_point(|&a| a <= last - self.window),
            None => 0,
        };
        Ok(Frame {
            names: vec!["t".to_string(), "x".to_string()].into(),
            columns: vec![
                Column::Datetime(ts[from..].to_vec()),
                Column::Float64(xs[from..].to_vec()),
            ],
            index: None,
        })
    }

    /// The window aggregates of the partition's rows (`t` times, `x` values), the
    /// windows reaching into `ctx`.
    pub fn apply(&self, ctx: Option<&Frame>, t: &Column, x: &Column) -> Result<Column> {
        let (ts, xs, skip) = joined(ctx, t, x)?;
        let out = rolling_time(&ts, &xs, self.window, self.min_periods, self.agg);
        Ok(Column::Float64(out[skip..].to_vec()))
    }
}

/// Each row's aggregate over the rows with times in `(t - w, t]` (missing values
/// skipped; fewer than `min_periods` present: missing; `count` counts present values,
/// and is missing where the window has fewer than `min_periods` rows, as pandas).
pub fn rolling_time(t: &[i64], x: &[f64], w: i64, min_periods: usize, agg: RollAgg) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len());
    let mut start = 0;
    // Present values in the window: count, sum, and Welford's mean and M2.
    let (mut n, mut sum, mut mean, mut m2) = (0usize, 0.0f64, 0.0f64, 0.0f64);
    // Indices whose values may be the window's min (max): increasing (decreasing) values.
    let mut lows: VecDeque<usize> = VecDeque::new();
    let mut highs: VecDeque<usize> = VecDeque::new();
    for end in 0..x.len() {
        let v = x[end];
        if !v.is_nan() {
            n += 1;
            sum += v;
            let d = v - mean;
            mean += d / n as f64;
            m2 += d * (v - mean);
            while lows.back().is_some_and(|&j| x[j] >= v) {
                lows.pop_back();
            }
            lows.push_back(end);
            while highs.back().is_some_and(|&j| x[j] <= v) {
                highs.pop_back();
            }
            highs.push_back(end);
        }
        while t[start] <= t[end] - w {
            let u = x[start];
            if !u.is_nan() {
                n -= 1;
                sum -= u;
                if n == 0 {
                    (mean, m2) = (0.0, 0.0);
                } else {
                    let d = u - mean;
                    mean -= d / n as f64;
                    m2 -= d * (u - mean);
                }
            }
            if lows.front() == Some(&start) {
                lows.pop_front();
            }
            if highs.front() == Some(&start) {
                highs.pop_front();
            }
            start += 1;
        }
        let enough = n >= min_periods.max(1);
        // count's min_periods counts the window's rows, missing values too (pandas).
        let rows = end + 1 - start;
        out.push(match agg {
            RollAgg::Count if rows >= min_periods => n as f64,
            RollAgg::Count => f64::NAN,
            _ if !enough => f64::NAN,
            RollAgg::Sum => sum,
            RollAgg::Mean => mean,
            RollAgg::Min => lows.front().map_or(f64::NAN, |&j| x[j]),
            RollAgg::Max => highs.front().map_or(f64::NAN, |&j| x[j]),
            RollAgg::Var | RollAgg::Std if n < 2 => f64::NAN,
            RollAgg::Var => (m2 / (n - 1) as f64).max(0.0),
            RollAgg::Std => (m2 / (n - 1) as f64).max(0.0).sqrt(),
        });
    }
    out
}

impl TimeWindow {
    /// Runs a task: the context a partition leaves (`context`), or its window values.
    /// Inputs: the partition's times, its values, then the context before it, if any.
    pub fn run(&self, context: bool, key: &str, inputs: &[Value]) -> Result<Value> {
        let t = series(key, input(key, inputs, 0)?)?;
        let (name, x) = {
            let f = frame(key, input(key, inputs, 1)?)?;
            (
                f.names.first().cloned().unwrap_or_default(),
                series(key, &inputs[1])?,
            )
        };
        let ctx = inputs.get(2).map(|v| frame(key, v)).transpose()?;
        Ok(Value::Frame(Arc::new(if context {
            self.context(ctx, t, x)?
        } else {
            Frame {
                names: vec![name].into(),
                columns: vec![self.apply(ctx, t, x)?],
                index: None,
            }
        })))
    }

    /// The task label.
    pub fn name(&self, context: bool) -> &'static str {
        if context {
            "rolling-context"
        } else {
            self.agg.name()
        }
    }
}

/// The one column of a series partition.
fn series<'a>(key: &str, v: &'a Value) -> Result<&'a Column> {
    frame(key, v)?.columns.first().ok_or_else(|| Error::Type {
        key: key.to_string(),
        expected: "a series partition",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every aggregation against a plain scan of each window.
    #[test]
    fn equals_a_plain_scan_of_each_window() {
        let t: Vec<i64> = (0..200).map(|i| i * 7 + (i % 3) * 2).collect();
        let x: Vec<f64> = (0..200)
            .map(|i| {
                if i % 11 == 3 {
                    f64::NAN
                } else {
                    ((i * 37) % 23) as f64 - 9.5
                }
            })
            .collect();
        for agg in RollAgg::ALL.iter().copied() {
            let got = rolling_time(&t, &x, 30, 2, agg);
            for (i, g) in got.iter().enumerate() {
                let rows = (0..=i).filter(|&j| t[j] > t[i] - 30).count();
                let win: Vec<f64> = (0..=i)
                    .filter(|&j| t[j] > t[i] - 30 && !x[j].is_nan())
                    .map(|j| x[j])
                    .collect();
                let n = win.len() as f64;
                let mean = win.iter().sum::<f64>() / n;
                let var = win.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
                let want = match agg {
                    RollAgg::Count if rows < 2 => f64::NAN,
                    RollAgg::Count => n,
                    _ if win.len() < 2 => f64::NAN,
                    RollAgg::Sum => win.iter().sum(),
                    RollAgg::Mean => mean,
                    RollAgg::Min => win.iter().cloned().fold(f64::INFINITY, f64::min),
                    RollAgg::Max => win.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
                    RollAgg::Var => var,
                    RollAgg::Std => var.sqrt(),
                };
                let ok =
                    (g.is_nan() && want.is_nan()) || (g - want).abs() <= 1e-9 * want.abs().max(1.0);
                assert!(ok, "{agg:?} row {i}: {g} vs {want}");
            }
        }
    }
}
