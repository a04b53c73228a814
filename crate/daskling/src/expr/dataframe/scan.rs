//! A series along its rows — `shift diff pctChange`, `cumsum cummax cummin cumprod`,
//! `rolling(window).mean()` … (`kernels::dataframe::scan` defines each): a chain of
//! context tasks carries what each partition's neighbour leaves (its last rows, or a
//! running value) so that every partition's result equals pandas' on the whole series.
//! Rolling windows by time (`rolling('30min', {on})`, `kernels::dataframe::time_window`)
//! carry the rows of the last window instead.

use std::sync::Arc;

use super::tasks::ftask;
use super::{need, not_mine, same_rows, DataFrame, Df, DfOp, Kind, Meta, Series};
use crate::error::{Error, Result};
use crate::expr::dask::script::{string, Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::dt::parse_freq;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::scan::{RollAgg, ScanOp};
use crate::kernels::dataframe::time_window::TimeWindow;
use crate::kernels::dataframe::Dtype;

/// A series with the input's rows and partitions.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    if let DfOp::RollTime {
        input, on, window, ..
    } = op
    {
        let what = format!("rolling(...).{}", window.agg.name());
        need(input, Kind::Series, &what)?;
        need(on, Kind::Series, &what)?;
        same_rows(input, on, &what)?;
        if !matches!(input.0.dtypes[0], Dtype::Int64 | Dtype::Float64) {
            return Err(Error::invalid(format!(
                "{what} of a {} series is not supported",
                input.0.dtypes[0]
            )));
        }
        return Ok(Meta::series_like(window.agg.name(), input, Dtype::Float64));
    }
    let DfOp::Scan { input, op } = op else {
        return Err(not_mine("scan"));
    };
    need(input, Kind::Series, op.name())?;
    let d = op.dtype(input.0.dtypes[0])?;
    Ok(Meta::series_like(op.name(), input, d))
}

/// The context chain (forward, or from the last partition for a negative lag) and a
/// result task per partition.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    if let DfOp::RollTime {
        input, on, window, ..
    } = d.op()
    {
        let w = Arc::new(window.clone());
        let layer = format!("rolling-context-{}", tokenize(d.name()));
        let mut before: Option<Key> = None;
        for p in 0..d.npartitions() {
            let mut deps = vec![on.part_key(p), input.part_key(p)];
            deps.extend(before.take());
            let apply = FrameKernel::RollTime(w.clone(), false);
            g.insert(d.part_key(p), ftask(apply, deps.clone()));
            if p + 1 < d.npartitions() {
                let k = Key::new(layer.as_str(), &[p as u32]);
                g.insert(
                    k.clone(),
                    ftask(FrameKernel::RollTime(w.clone(), true), deps),
                );
                before = Some(k);
            }
        }
        return Ok(());
    }
    let DfOp::Scan { input, op } = d.op() else {
        return Err(not_mine("scan"));
    };
    let op = std::sync::Arc::new(op.clone());
    let n = input.npartitions();
    let layer = format!("{}-context-{}", op.name(), tokenize(d.name()));
    let ctx_key = |p: usize| Key::new(layer.as_str(), &[p as u32]);
    let order: Vec<usize> = if op.backward() {
        (0..n).rev().collect()
    } else {
        (0..n).collect()
    };
    let mut before: Option<Key> = None;
    for (j, &p) in order.iter().enumerate() {
        let mut deps = vec![input.part_key(p)];
        deps.extend(before.iter().cloned());
        g.insert(
            d.part_key(p),
            ftask(FrameKernel::ScanApply(op.clone()), deps.clone()),
        );
        if j + 1 < order.len() {
            g.insert(
                ctx_key(p),
                ftask(FrameKernel::ScanContext(op.clone()), deps),
            );
            before = Some(ctx_key(p));
        }
    }
    Ok(())
}

/// pandas' call (`s.shift(1)`, `s.rolling(30, min_periods=30).mean()`).
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    if let DfOp::RollTime {
        input,
        on,
        freq,
        window,
    } = d.op()
    {
        // dask's time windows need a datetime index: the times, sorted (as daskling
        // requires), become it; the values come back in row order.
        let (x, t) = (
            s.var(input.name())?.to_string(),
            s.var(on.name())?.to_string(),
        );
        let agg = window.agg.name();
        let step = parse_freq(freq).unwrap_or(window.window);
        let code = format!(
            "dd.concat([{x}.rename(\"__values\"), {t}.rename(\"__times\")], axis=1).set_index(\"__times\", sorted=True)[\"__values\"].rolling({}, min_periods={}).{agg}().reset_index(drop=True).rename({})",
            string(&format!("{step}ms")),
            window.min_periods,
            string(input.names().first().map_or("", String::as_str))
        );
        return Ok(("rolling".into(), code));
    }
    let DfOp::Scan { input, op } = d.op() else {
        return Err(not_mine("scan"));
    };
    let x = s.var(input.name())?.to_string();
    Ok((op.name().to_lowercase(), op.pandas(&x)))
}

impl Series {
    /// The series along its rows: a lag, a running aggregation or a rolling window.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::scan::{CumAgg, RollAgg, ScanOp};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let a = Arc::new(MemorySource::new("a.csv", &b"v\n1\n2\n"[..]));
    /// let b = Arc::new(MemorySource::new("b.csv", &b"v\n3\n4\n"[..]));
    /// let mut opts = ReadOptions::default();
    /// opts.blocksize = Some(0); // one partition per file
    /// let v = read_csv_sources(vec![a, b], &opts).unwrap().col("v").unwrap();
    /// let (_, c) = v.scan(ScanOp::Cum { agg: CumAgg::Sum }).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(c, Column::Int64(vec![1, 3, 6, 10]));
    /// let mean = ScanOp::Rolling { window: 2, min_periods: 2, agg: RollAgg::Mean };
    /// let (_, m) = v.scan(mean).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(m.f64_at(2), Some(2.5)); // across the partition edge
    /// ```
    pub fn scan(&self, op: ScanOp) -> Result<Series> {
        Df::build(DfOp::Scan {
            input: self.0.clone(),
            op,
        })
        .map(Series)
    }
}

impl Series {
    /// A rolling `agg` over a time window of `freq` (`'30min'`, `'1h'`) by the datetime
    /// series `on` (same rows, sorted ascending), as pandas' `rolling(freq, on=t)`: each
    /// row's window holds the rows with times in `(t - freq, t]`; fewer than
    /// `min_periods` values (default 1) give a missing value.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::scan::RollAgg;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "t,v\n2024-01-01 09:00,1\n2024-01-01 09:20,2\n2024-01-01 10:00,4\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// let sums = df.col("v").unwrap().rolling_time("30min", &df.col("t").unwrap(), 1, RollAgg::Sum).unwrap();
    /// let (_, s) = sums.compute(Scheduler::Sync).unwrap();
    /// assert_eq!((s.f64_at(1), s.f64_at(2)), (Some(3.0), Some(4.0)));
    /// ```
    pub fn rolling_time(
        &self,
        freq: &str,
        on: &Series,
        min_periods: usize,
        agg: RollAgg,
    ) -> Result<Series> {
        let window = parse_freq(freq).ok_or_else(|| {
            Error::invalid(format!(
                "rolling: unknown window {freq:?} (a row count, or a frequency such as '30min', '1h')"
            ))
        })?;
        if on.dtype() != Dtype::Datetime {
            return Err(Error::invalid(format!(
                "rolling('{freq}'): on column {} is {}, not a datetime",
                on.name(),
                on.dtype()
            )));
        }
        Df::build(DfOp::RollTime {
            input: self.0.clone(),
            on: on.0.clone(),
            freq: freq.to_string(),
            window: TimeWindow {
                window,
                min_periods,
                agg,
            },
        })
        .map(Series)
    }
}

impl DataFrame {
    /// Every column along its rows (`df.shift()`, `df.cumsum()`, …, as pandas): each
    /// column's scan, assigned to a frame of the same rows; a column the operation does
    /// not apply to is an error naming it.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::scan::{CumAgg, ScanOp};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let a = Arc::new(MemorySource::new("a.csv", &b"v,w\n1,0.5\n2,1.5\n"[..]));
    /// let df = read_csv_sources(vec![a], &ReadOptions::default()).unwrap();
    /// let out = df.scan(ScanOp::Cum { agg: CumAgg::Sum }).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(out.columns[0], Column::Int64(vec![1, 3]));
    /// assert_eq!(out.columns[1], Column::Float64(vec![0.5, 2.0]));
    /// ```
    pub fn scan(&self, op: ScanOp) -> Result<DataFrame> {
        let mut cols = vec![];
        for name in self.columns() {
            let s = self
                .col(name)?
                .scan(op.clone())
                .map_err(|e| crate::error::Error::invalid(format!("column {name}: {e}")))?;
            cols.push((name.clone(), s));
        }
        let named: Vec<(&str, &Series)> = cols.iter().map(|(n, s)| (n.as_str(), s)).collect();
        self.select(&[])?.assign(&named)
    }
}
