//! A series along its rows — `shift diff pctChange`, `cumsum cummax cummin cumprod`,
//! `rolling(window).mean()` … (`kernels::dataframe::scan` defines each): a chain of
//! context tasks carries what each partition's neighbour leaves (its last rows, or a
//! running value) so that every partition's result equals pandas' on the whole series.

use super::tasks::ftask;
use super::{need, not_mine, DataFrame, Df, DfOp, Kind, Meta, Series};
use crate::error::Result;
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::scan::ScanOp;

/// A series with the input's rows and partitions.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
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
