//! Operations on a series whose values depend on the rows before (or after) them —
//! `shift diff pctChange`, the cumulative `cumsum cummax cummin cumprod` and rolling
//! windows by row count — each a [`ScanOp`] computed partition by partition with the
//! *context* its neighbour leaves: the last rows a window or lag reaches (or, for a
//! negative lag, the first rows of the partitions after), or the running value of a
//! cumulative one. A chain of small context tasks carries it across partitions, so every
//! partition's result is exact, as pandas' on the whole series (dask's `map_overlap`
//! and `cumsum` do the same).
//!
//! ```
//! use daskling_kernels::dataframe::scan::{ScanOp, LagFn};
//! use daskling_kernels::dataframe::Column;
//! let (a, b) = (Column::Float64(vec![1.0, 2.0]), Column::Float64(vec![4.0, 8.0]));
//! let diff = ScanOp::Lag { f: LagFn::Diff, n: 1 };
//! let ctx = diff.context(None, &a).unwrap();
//! assert_eq!(diff.apply(Some(&ctx), &b).unwrap(), Column::Float64(vec![2.0, 4.0]));
//! ```

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::column::{Column, Dtype, NAT};
use crate::moments;
use daskling_core::{Error, Result};

crate::name_table! {
    /// Lags: a value against the one `n` rows before (`n < 0`: after).
    pub enum LagFn {
        Shift = "shift": "The values moved down `n` rows (default 1; negative: up), missing where there is none.",
        Diff = "diff": "Each value minus the one `n` rows before (default 1).",
        PctChange = "pctChange": "The change from the value `n` rows before, as a fraction (default 1).",
    }
}

crate::name_table! {
    /// Cumulative aggregations (missing values skipped, and missing in the result).
    pub enum CumAgg {
        Sum = "cumsum": "The running sum.",
        Max = "cummax": "The running maximum.",
        Min = "cummin": "The running minimum.",
        Prod = "cumprod": "The running product.",
    }
}

impl CumAgg {
    /// The running value `acc` after integer `x` (sums and products wrap, as numpy's).
    pub fn step_i64(self, acc: i64, x: i64) -> i64 {
        match self {
            CumAgg::Sum => acc.wrapping_add(x),
            CumAgg::Prod => acc.wrapping_mul(x),
            CumAgg::Max => acc.max(x),
            CumAgg::Min => acc.min(x),
        }
    }

    /// The running value `acc` after `x`.
    pub fn step_f64(self, acc: f64, x: f64) -> f64 {
        match self {
            CumAgg::Sum => acc + x,
            CumAgg::Prod => acc * x,
            CumAgg::Max => acc.max(x),
            CumAgg::Min => acc.min(x),
        }
    }
}

crate::name_table! {
    /// Aggregations of a rolling window.
    pub enum RollAgg {
        Mean = "mean": "The mean of each window.",
        Sum = "sum": "The sum of each window.",
        Min = "min": "The smallest value of each window.",
        Max = "max": "The largest value of each window.",
        Std = "std": "The standard deviation of each window (ddof 1).",
        Var = "var": "The variance of each window (ddof 1).",
        Count = "count": "How many values of each window are not missing.",
    }
}

/// An operation along a series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ScanOp {
    /// A lag of `n` rows.
    Lag {
        /// Which.
        f: LagFn,
        /// How many rows (negative: after).
        n: i64,
    },
    /// A running aggregation.
    Cum {
        /// Which.
        agg: CumAgg,
    },
    /// A window of `window` rows ending at each row.
    Rolling {
        /// Rows per window.
        window: usize,
        /// Fewest values (rows, for `count`) a window needs, else missing.
        min_periods: usize,
        /// The aggregation.
        agg: RollAgg,
    },
}

fn float_values(c: &Column) -> Vec<f64> {
    (0..c.len())
        .map(|i| c.f64_at(i).unwrap_or(f64::NAN))
        .collect()
}

/// `c`'s rows `from..to` (clamped).
fn rows(c: &Column, from: usize, to: usize) -> Column {
    let to = to.min(c.len());
    let from = from.min(to);
    let mask: Vec<bool> = (0..c.len()).map(|i| (from..to).contains(&i)).collect();
    c.filter(&mask)
}

/// `c` moved `n` rows (down for `n > 0`), missing where nothing moved in; int64 becomes
/// float64 (unless `n` is 0), as pandas.
fn shifted(c: &Column, n: i64) -> Column {
    if n == 0 {
        return c.clone();
    }
    let len = c.len() as i64;
    let src = |i: usize| {
        let j = i as i64 - n;
        (0..len).contains(&j).then_some(j as usize)
    };
    let len = c.len();
    match c {
        Column::Int64(_) | Column::Float64(_) => Column::Float64(
            (0..len)
                .map(|i| src(i).and_then(|j| c.f64_at(j)).unwrap_or(f64::NAN))
                .collect(),
        ),
        Column::Bool(v) => Column::Bool((0..len).map(|i| src(i).and_then(|j| v[j])).collect()),
        Column::String(v) => Column::String(
            (0..len)
                .map(|i| src(i).and_then(|j| v[j].clone()))
                .collect(),
        ),
        Column::Datetime(v) => {
            Column::Datetime((0..len).map(|i| src(i).map_or(NAT, |j| v[j])).collect())
        }
    }
}

/// Rolling `agg` over windows of `w` rows ending at each row of `x`.
fn rolling(x: &[f64], w: usize, min_periods: usize, agg: RollAgg) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len());
    // Values present in the window (a running count).
    let mut n = 0usize;
    // Indices of the window's candidates for its extreme, best first.
    let mut best: VecDeque<usize> = VecDeque::new();
    for i in 0..x.len() {
        let start = (i + 1).saturating_sub(w);
        if !x[i].is_nan() {
            n += 1;
            let better = |a: f64, b: f64| match agg {
                RollAgg::Min => a <= b,
                _ => a >= b,
            };
            while best.back().is_some_and(|&j| better(x[i], x[j])) {
                best.pop_back();
            }
            best.push_back(i);
        }
        if i >= w && !x[i - w].is_nan() {
            n -= 1;
        }
        while best.front().is_some_and(|&j| j < start) {
            best.pop_front();
        }
        let rows = i + 1 - start;
        let y = match agg {
            RollAgg::Count if rows >= min_periods => n as f64,
            RollAgg::Count => f64::NAN,
            _ if n < min_periods.max(1) => f64::NAN,
            // Summed afresh per window: a running sum drifts once large values leave it.
            RollAgg::Sum => x[start..=i].iter().filter(|v| !v.is_nan()).sum(),
            RollAgg::Mean => x[start..=i].iter().filter(|v| !v.is_nan()).sum::<f64>() / n as f64,
            RollAgg::Min | RollAgg::Max => best.front().map_or(f64::NAN, |&j| x[j]),
            RollAgg::Std | RollAgg::Var => {
                let mut m = (0.0, 0.0, 0.0);
                for &v in x[start..=i].iter().filter(|v| !v.is_nan()) {
                    m = moments::merge(m, (1.0, v, 0.0));
                }
                let var = if m.0 > 1.0 {
                    m.2 / (m.0 - 1.0)
                } else {
                    f64::NAN
                };
                if agg == RollAgg::Std {
                    var.sqrt()
                } else {
                    var
                }
            }
        };
        out.push(y);
    }
    out
}

impl ScanOp {
    /// The operation's name (pandas').
    pub fn name(&self) -> &'static str {
        match self {
            ScanOp::Lag { f, .. } => f.name(),
            ScanOp::Cum { agg } => agg.name(),
            ScanOp::Rolling { .. } => "rolling",
        }
    }

    /// Whether its context comes from the partitions after (a negative lag).
    pub fn backward(&self) -> bool {
        matches!(self, ScanOp::Lag { n, .. } if *n < 0)
    }

    /// The dtype of the result for a series of `input`, or an error naming the operation.
    pub fn dtype(&self, input: Dtype) -> Result<Dtype> {
        let bad = || {
            Err(Error::invalid(format!(
                "{} of a {input} series is not supported",
                self.name()
            )))
        };
        Ok(match (self, input) {
            (
                ScanOp::Lag {
                    f: LagFn::Shift,
                    n: 0,
                },
                d,
            ) => d,
            (
                ScanOp::Lag {
                    f: LagFn::Shift, ..
                },
                Dtype::Int64,
            ) => Dtype::Float64,
            (
                ScanOp::Lag {
                    f: LagFn::Shift, ..
                },
                d,
            ) => d,
            (
                ScanOp::Lag { f: LagFn::Diff, .. },
                Dtype::Int64 | Dtype::Float64 | Dtype::Datetime,
            ) => Dtype::Float64,
            (ScanOp::Lag { .. }, Dtype::Int64 | Dtype::Float64) => Dtype::Float64,
            (ScanOp::Cum { .. }, d @ (Dtype::Int64 | Dtype::Float64)) => d,
            (ScanOp::Rolling { window, .. }, Dtype::Int64 | Dtype::Float64) => {
                if *window == 0 {
                    return Err(Error::invalid("rolling: the window must be at least 1 row"));
                }
                Dtype::Float64
            }
            _ => return bad(),
        })
    }

    /// How many rows of context a partition needs from its neighbours.
    fn reach(&self) -> usize {
        match self {
            ScanOp::Lag { n, .. } => n.unsigned_abs() as usize,
            ScanOp::Rolling { window, .. } => window.saturating_sub(1),
            ScanOp::Cum { .. } => 0,
        }
    }

    /// The context a partition leaves to the next (the previous, when [`backward`]):
    /// from `ctx` (its neighbour's, if any) and its values `part`.
    ///
    /// [`backward`]: ScanOp::backward
    pub fn context(&self, ctx: Option<&Column>, part: &Column) -> Result<Column> {
        if let ScanOp::Cum { agg } = self {
            let carry = ctx.and_then(|c| c.f64_at(0));
            let run = self.cumulate(*agg, carry, part)?;
            let last = (0..run.len()).rev().find_map(|i| run.f64_at(i)).or(carry);
            return Ok(match (part, last) {
                (Column::Int64(_), Some(x)) => Column::Int64(vec![x as i64]),
                (_, x) => Column::Float64(vec![x.unwrap_or(f64::NAN)]),
            });
        }
        let k = self.reach();
        let full = self.joined(ctx, part)?;
        Ok(if self.backward() {
            rows(&full, 0, k)
        } else {
            rows(&full, full.len().saturating_sub(k), full.len())
        })
    }

    /// `part` and its neighbour's context, in row order.
    fn joined(&self, ctx: Option<&Column>, part: &Column) -> Result<Column> {
        let Some(ctx) = ctx else {
            return Ok(part.clone());
        };
        let pieces = if self.backward() {
            [part, ctx]
        } else {
            [ctx, part]
        };
        Column::concat(&pieces)
            .ok_or_else(|| Error::invalid(format!("{}: partitions differ in dtype", self.name())))
    }

    /// The result for the partition `part`, given its neighbour's context `ctx`.
    pub fn apply(&self, ctx: Option<&Column>, part: &Column) -> Result<Column> {
        self.dtype(part.dtype())?;
        if let ScanOp::Cum { agg } = self {
            return self.cumulate(*agg, ctx.and_then(|c| c.f64_at(0)), part);
        }
        let full = self.joined(ctx, part)?;
        let out = match self {
            ScanOp::Lag { f: LagFn::Shift, n } => shifted(&full, *n),
            ScanOp::Lag { f, n } => {
                let now = float_values(&full);
                let then = match &full {
                    Column::Datetime(v) => {
                        let s = shifted(&Column::Datetime(v.clone()), *n);
                        float_values(&s)
                    }
                    c => float_values(&shifted(c, *n)),
                };
                Column::Float64(
                    now.iter()
                        .zip(&then)
                        .map(|(&a, &b)| {
                            if *f == LagFn::Diff {
                                a - b
                            } else {
                                a / b - 1.0
                            }
                        })
                        .collect(),
                )
            }
            ScanOp::Rolling {
                window,
                min_periods,
                agg,
            } => Column::Float64(rolling(&float_values(&full), *window, *min_periods, *agg)),
            ScanOp::Cum { .. } => unreachable!("handled above"),
        };
        let before = full.len() - part.len();
        Ok(if self.backward() {
            rows(&out, 0, part.len())
        } else {
            rows(&out, before, full.len())
        })
    }

    /// The running `agg` of `part` from `carry` (missing values stay missing).
    fn cumulate(&self, agg: CumAgg, carry: Option<f64>, part: &Column) -> Result<Column> {
        Ok(match part {
            Column::Int64(v) => {
                let mut acc: Option<i64> = carry.map(|c| c as i64);
                Column::Int64(
                    v.iter()
                        .map(|&x| {
                            let y = acc.map_or(x, |a| agg.step_i64(a, x));
                            acc = Some(y);
                            y
                        })
                        .collect(),
                )
            }
            Column::Float64(v) => {
                let mut acc = carry;
                Column::Float64(
                    v.iter()
                        .map(|&x| {
                            if x.is_nan() {
                                return f64::NAN;
                            }
                            let y = acc.map_or(x, |a| agg.step_f64(a, x));
                            acc = Some(y);
                            y
                        })
                        .collect(),
                )
            }
            c => {
                return Err(Error::invalid(format!(
                    "{} of a {} series is not supported",
                    agg.name(),
                    c.dtype()
                )))
            }
        })
    }

    /// pandas' call on the series `x`.
    pub fn pandas(&self, x: &str) -> String {
        match self {
            ScanOp::Lag {
                f: LagFn::PctChange,
                n,
            } => {
                // dask has no pct_change: pandas 3's definition (fill_method=None).
                format!("({x} / {x}.shift({n}) - 1)")
            }
            ScanOp::Lag { f, n } => format!("{x}.{}({n})", f.name()),
            ScanOp::Cum { agg } => format!("{x}.{}()", agg.name()),
            ScanOp::Rolling {
                window,
                min_periods,
                agg,
            } => {
                // dask's own rolling needs known divisions, which read_csv does not give:
                // the map_overlap it is built on runs on any partitions (each as long as
                // the window).
                let before = window.saturating_sub(1);
                format!(
                    "{x}.map_overlap(lambda p: p.rolling({window}, min_periods={min_periods}).{}(), \
                     before={before}, after=0, meta=({x}.name, \"f8\"))",
                    agg.name()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Partition by partition with contexts equals the whole series at once.
    fn by_parts(op: &ScanOp, parts: &[Column]) -> Vec<Option<f64>> {
        let mut out = vec![];
        if op.backward() {
            let mut ctx: Option<Column> = None;
            let mut res = vec![];
            for p in parts.iter().rev() {
                res.push(op.apply(ctx.as_ref(), p).unwrap());
                ctx = Some(op.context(ctx.as_ref(), p).unwrap());
            }
            for r in res.iter().rev() {
                out.extend((0..r.len()).map(|i| r.f64_at(i)));
            }
        } else {
            let mut ctx: Option<Column> = None;
            for p in parts {
                let r = op.apply(ctx.as_ref(), p).unwrap();
                out.extend((0..r.len()).map(|i| r.f64_at(i)));
                ctx = Some(op.context(ctx.as_ref(), p).unwrap());
            }
        }
        out
    }

    #[test]
    fn partitions_with_context_equal_the_whole() {
        let all = [1.0, 4.0, f64::NAN, 2.0, 8.0, 5.0, 7.0, f64::NAN, 3.0, 6.0];
        let whole = [Column::Float64(all.to_vec())];
        let parts = [
            Column::Float64(all[..1].to_vec()),
            Column::Float64(vec![]),
            Column::Float64(all[1..4].to_vec()),
            Column::Float64(all[4..].to_vec()),
        ];
        let ops = [
            ScanOp::Lag {
                f: LagFn::Shift,
                n: 2,
            },
            ScanOp::Lag {
                f: LagFn::Shift,
                n: -3,
            },
            ScanOp::Lag {
                f: LagFn::Diff,
                n: 1,
            },
            ScanOp::Lag {
                f: LagFn::PctChange,
                n: -1,
            },
            ScanOp::Cum { agg: CumAgg::Sum },
            ScanOp::Cum { agg: CumAgg::Max },
            ScanOp::Rolling {
                window: 3,
                min_periods: 2,
                agg: RollAgg::Mean,
            },
            ScanOp::Rolling {
                window: 4,
                min_periods: 1,
                agg: RollAgg::Min,
            },
            ScanOp::Rolling {
                window: 3,
                min_periods: 3,
                agg: RollAgg::Count,
            },
            ScanOp::Rolling {
                window: 5,
                min_periods: 2,
                agg: RollAgg::Std,
            },
        ];
        for op in &ops {
            let a = by_parts(op, &whole);
            let b = by_parts(op, &parts);
            let same = a.iter().zip(&b).all(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-12,
                (None, None) => true,
                _ => false,
            });
            assert!(same && a.len() == b.len(), "{op:?}: {a:?} vs {b:?}");
        }
        // By hand: a window of 3 with at least 2 values.
        let m = by_parts(&ops[6], &whole);
        assert_eq!(m[1], Some(2.5));
        assert_eq!(m[2], Some(2.5));
        assert_eq!(m[3], Some(3.0));
    }
}
