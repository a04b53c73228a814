//! Rows picked from the whole of a frame or series — `nlargest` / `nsmallest`, `tail`,
//! `unique`, `dropDuplicates` (`kernels::dataframe::rows` defines each) — as a tree: a
//! chunk per partition, combines of [`SPLIT_EVERY`](super::SPLIT_EVERY) in partition
//! order, one result partition.

use super::tasks::{ftask, merge_levels};
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta, Series};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::rows::{Keep, RowsOp};

/// The input's columns, one partition, rows of its own.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::Rows { input, op } = op else {
        return Err(not_mine("rows"));
    };
    let i = &input.0;
    if i.kind == Kind::Scalar {
        return Err(Error::invalid(format!(
            "{} needs a series or a dataframe, got a scalar",
            op.name()
        )));
    }
    op.check(&i.names, &i.dtypes, i.kind == Kind::Series)?;
    Ok(Meta {
        prefix: op.name(),
        kind: i.kind,
        names: i.names.clone(),
        dtypes: i.dtypes.clone(),
        npartitions: 1,
        rows: None,
    })
}

/// A chunk per input partition, combines, and the result.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::Rows { input, op } = d.op() else {
        return Err(not_mine("rows"));
    };
    let op = std::sync::Arc::new(op.clone());
    let layer = format!("{}-chunk-{}", op.name(), tokenize(d.name()));
    let parts: Vec<Key> = (0..input.npartitions())
        .map(|p| {
            let k = Key::new(layer.as_str(), &[p as u32]);
            g.insert(
                k.clone(),
                ftask(FrameKernel::RowsChunk(op.clone()), vec![input.part_key(p)]),
            );
            k
        })
        .collect();
    let combine = format!("{}-combine", op.name());
    let parts = merge_levels(g, d, &combine, FrameKernel::RowsCombine(op.clone()), parts);
    g.insert(d.part_key(0), ftask(FrameKernel::RowsFinish(op), parts));
    Ok(())
}

/// pandas' call as dask runs it exactly (see `RowsOp::pandas`).
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::Rows { input, op } = d.op() else {
        return Err(not_mine("rows"));
    };
    let x = s.var(input.name())?.to_string();
    let code = op.pandas(&x, input.kind() == Kind::Series)?;
    Ok((op.name().replace('-', "_"), code))
}

fn rows(input: &Df, op: RowsOp) -> Result<Df> {
    Df::build(DfOp::Rows {
        input: input.clone(),
        op,
    })
}

impl Series {
    /// The `n` largest values, largest first, ties in order of occurrence, missing ones
    /// last (pandas' `nlargest`); `largest: false` gives `nsmallest`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\na,3\nb,\nc,9\nd,1\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let (_, top) = df.col("v").unwrap().top(2, true).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(top, Column::Float64(vec![9.0, 3.0]));
    /// let (_, all) = df.col("v").unwrap().top(4, true).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert!(all.f64_at(3).is_none()); // the missing value last
    /// ```
    pub fn top(&self, n: usize, largest: bool) -> Result<Series> {
        let columns = vec![self.name().to_string()];
        rows(
            &self.0,
            RowsOp::Top {
                n,
                columns,
                largest,
            },
        )
        .map(Series)
    }

    /// The last `n` values.
    pub fn tail(&self, n: usize) -> Result<Series> {
        rows(&self.0, RowsOp::Tail { n }).map(Series)
    }

    /// The distinct values in order of first occurrence (a missing value once).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"v\n3\n1\n3\n2\n1\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let (_, u) = df.col("v").unwrap().unique().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(u, Column::Int64(vec![3, 1, 2]));
    /// ```
    pub fn unique(&self) -> Result<Series> {
        rows(&self.0, RowsOp::Unique).map(Series)
    }

    /// The values without repeats (`keep` which occurrence stays).
    pub fn drop_duplicates(&self, keep: Keep) -> Result<Series> {
        rows(&self.0, RowsOp::DropDuplicates { subset: None, keep }).map(Series)
    }
}

impl DataFrame {
    /// The `n` rows with the largest values of `columns` (compared in order; `largest:
    /// false` the smallest), as pandas' `nlargest(n, columns)`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\na,3\nb,7\nc,9\nd,1\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let low = df.top(2, &["v"], false).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(low.columns[0], Column::String(vec![Some("d".into()), Some("a".into())]));
    /// ```
    pub fn top(&self, n: usize, columns: &[&str], largest: bool) -> Result<DataFrame> {
        let columns = columns.iter().map(|c| c.to_string()).collect();
        rows(
            &self.0,
            RowsOp::Top {
                n,
                columns,
                largest,
            },
        )
        .map(DataFrame)
    }

    /// The last `n` rows.
    pub fn tail(&self, n: usize) -> Result<DataFrame> {
        rows(&self.0, RowsOp::Tail { n }).map(DataFrame)
    }

    /// The first `n` rows, lazily, as one partition (where [`DataFrame::head`] computes
    /// them): readCsv's `nrows`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// let a = Arc::new(MemorySource::new("a.csv", &b"x\n1\n2\n"[..]));
    /// let b = Arc::new(MemorySource::new("b.csv", &b"x\n3\n"[..]));
    /// let each = ReadOptions { blocksize: Some(0), ..ReadOptions::default() };
    /// let df = read_csv_sources(vec![a, b], &each).unwrap().first_rows(3).unwrap();
    /// let s = df.col("x").unwrap().sum().unwrap().compute(daskling::Scheduler::Sync).unwrap();
    /// assert_eq!(s, 6.0);
    /// ```
    pub fn first_rows(&self, n: usize) -> Result<DataFrame> {
        rows(&self.0, RowsOp::Head { n }).map(DataFrame)
    }

    /// The rows without duplicates among `subset` (all columns when `None`), `keep`
    /// which occurrence stays (pandas' `drop_duplicates`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::rows::Keep;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\na,1\nb,2\na,3\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let rows = |d: daskling::expr::dataframe::DataFrame| d.len().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(rows(df.drop_duplicates(Some(&["k"]), Keep::First).unwrap()), 2.0);
    /// assert_eq!(rows(df.drop_duplicates(Some(&["k"]), Keep::None).unwrap()), 1.0);
    /// assert_eq!(rows(df.drop_duplicates(None, Keep::First).unwrap()), 3.0);
    /// ```
    pub fn drop_duplicates(&self, subset: Option<&[&str]>, keep: Keep) -> Result<DataFrame> {
        let subset = subset.map(|s| s.iter().map(|c| c.to_string()).collect());
        rows(&self.0, RowsOp::DropDuplicates { subset, keep }).map(DataFrame)
    }
}
