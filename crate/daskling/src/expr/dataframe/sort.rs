//! `sortValues`: a global sort of a frame or series, as dask's `sort_values` — a sample
//! of each partition, splitters from the samples, every partition routed to ranges, and
//! each range gathered and sorted on the pool (`kernels::dataframe::sort` defines the
//! steps and the order). The result has as many partitions as the input, in order.

use std::sync::Arc;

use super::tasks::ftask;
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta, Series};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::sort::{SortBy, SortStep};

/// The input's columns and partitions, rows of its own.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::Sort { input, by } = op else {
        return Err(not_mine("sort"));
    };
    let i = &input.0;
    if i.kind == Kind::Scalar {
        return Err(Error::invalid(
            "sortValues needs a series or a dataframe, got a scalar",
        ));
    }
    by.check(&i.names)?;
    Ok(Meta {
        prefix: "sort_values",
        kind: i.kind,
        names: i.names.clone(),
        dtypes: i.dtypes.clone(),
        npartitions: i.npartitions,
        rows: None,
    })
}

/// Samples, splitters, routes and one sorted range per output partition.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::Sort { input, by } = d.op() else {
        return Err(not_mine("sort"));
    };
    let by = Arc::new(by.clone());
    let parts = d.npartitions();
    let token = tokenize(d.name());
    let layer = |step: SortStep, j: usize| {
        Key::new(format!("{}-{token}", step.name()).as_str(), &[j as u32])
    };
    let task = |step: SortStep, deps: Vec<Key>| ftask(FrameKernel::Sort(by.clone(), step), deps);
    let samples: Vec<Key> = (0..parts)
        .map(|p| {
            let k = layer(SortStep::Sample, p);
            g.insert(k.clone(), task(SortStep::Sample, vec![input.part_key(p)]));
            k
        })
        .collect();
    let split = layer(SortStep::Splitters { parts }, 0);
    g.insert(split.clone(), task(SortStep::Splitters { parts }, samples));
    let routed: Vec<Key> = (0..parts)
        .map(|p| {
            let step = SortStep::Route { parts };
            let k = layer(step, p);
            g.insert(
                k.clone(),
                task(step, vec![input.part_key(p), split.clone()]),
            );
            k
        })
        .collect();
    for r in 0..parts {
        let step = SortStep::Range { range: r };
        g.insert(d.part_key(r), task(step, routed.clone()));
    }
    Ok(())
}

/// dask's `sort_values` (the same order: see `SortBy::pandas`).
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::Sort { input, by } = d.op() else {
        return Err(not_mine("sort"));
    };
    let x = s.var(input.name())?.to_string();
    Ok(("sorted".into(), by.pandas(&x, input.kind() == Kind::Series)))
}

/// `input` sorted by `columns`; one `ascending` applies to every column.
fn sort(input: &Df, columns: Vec<String>, mut ascending: Vec<bool>) -> Result<Df> {
    if ascending.len() == 1 {
        ascending = vec![ascending[0]; columns.len()];
    }
    Df::build(DfOp::Sort {
        input: input.clone(),
        by: SortBy { columns, ascending },
    })
}

impl Series {
    /// The values in order (missing ones last, ties in the order they occur), as pandas'
    /// `sort_values(kind='stable')`: a global sort over every partition.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let a = Arc::new(MemorySource::new("a.csv", &b"k,v\na,3\nb,\nc,9\n"[..]));
    /// let b = Arc::new(MemorySource::new("b.csv", &b"k,v\nd,1\ne,7\n"[..]));
    /// let opts = ReadOptions { blocksize: Some(0), ..ReadOptions::default() };
    /// let df = read_csv_sources(vec![a, b], &opts).unwrap();
    /// let (_, v) = df.col("v").unwrap().sort_values(false).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(v.f64_at(0), Some(9.0));
    /// assert_eq!(v.f64_at(3), Some(1.0));
    /// assert!(v.f64_at(4).is_none()); // missing last
    /// ```
    pub fn sort_values(&self, ascending: bool) -> Result<Series> {
        sort(&self.0, vec![self.name().to_string()], vec![ascending]).map(Series)
    }
}

impl DataFrame {
    /// The rows ordered by `columns` (compared in order, each ascending or not — one
    /// `ascending` for all), missing
    /// values last and ties in the order they occur: pandas' `sort_values(by, ascending,
    /// kind='stable')`, as a global sort over every partition.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\nb,1\na,2\nb,0\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let out = df.sort_values(&["k", "v"], &[true, false]).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(out.columns[1], Column::Int64(vec![2, 1, 0]));
    /// ```
    pub fn sort_values(&self, columns: &[&str], ascending: &[bool]) -> Result<DataFrame> {
        let columns = columns.iter().map(|c| c.to_string()).collect();
        sort(&self.0, columns, ascending.to_vec()).map(DataFrame)
    }
}
