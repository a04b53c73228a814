//! Functions of each value with parameters (`isna`, `fillna`, `round`, `clip`, `isin`,
//! `astype`; `kernels::dataframe::map` defines each): on a series, or on every column of
//! a frame; and the `.str` accessor of text series (`kernels::dataframe::strings`) —
//! metadata, one task per partition, and pandas' spelling.

use super::tasks::each;
use super::{need, not_mine, DataFrame, Df, DfOp, Kind, LogicalOp, Meta, Series};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::Graph;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::map::ColumnMap;
use crate::kernels::dataframe::strings::StrMap;
use crate::kernels::dataframe::Dtype;

/// Names, dtypes, partitions and rows of a map: the input's, with each column's dtype
/// as the function gives it.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    if let DfOp::Str { input, f } = op {
        need(input, Kind::Series, "the str accessor")?;
        let d = f.dtype(input.0.dtypes[0])?;
        return Ok(Meta::series_like(f.function().name(), input, d));
    }
    let DfOp::Map { input, f } = op else {
        return Err(not_mine("map"));
    };
    let name = f.function().name();
    let i = &input.0;
    let dtypes = match i.kind {
        Kind::Series => vec![f.dtype(i.dtypes[0])?],
        Kind::Frame => i
            .names
            .iter()
            .zip(&i.dtypes)
            .map(|(n, &d)| {
                if f.numeric_only() && !matches!(d, Dtype::Int64 | Dtype::Float64) {
                    return Ok(d);
                }
                f.dtype(d)
                    .map_err(|e| Error::invalid(format!("column {n}: {e}")))
            })
            .collect::<Result<_>>()?,
        Kind::Scalar => {
            return Err(Error::invalid(format!(
                "{name} needs a series or a dataframe, got a scalar"
            )))
        }
    };
    Ok(Meta {
        prefix: name,
        kind: i.kind,
        names: i.names.clone(),
        dtypes,
        npartitions: i.npartitions,
        rows: Some(i.rows.clone()),
    })
}

/// One task per partition.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    if let DfOp::Str { input, f } = d.op() {
        each(g, d, FrameKernel::Str(f.clone().into()), &[input]);
        return Ok(());
    }
    let DfOp::Map { input, f } = d.op() else {
        return Err(not_mine("map"));
    };
    let k = FrameKernel::Map {
        f: f.clone().into(),
        frame: input.kind() == Kind::Frame,
    };
    each(g, d, k, &[input]);
    Ok(())
}

/// pandas' call, which dask's series and frames share (`s.fillna(0.0)`).
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    if let DfOp::Str { input, f } = d.op() {
        let x = s.var(input.name())?.to_string();
        return Ok((f.function().name().to_lowercase(), f.pandas(&x)));
    }
    let DfOp::Map { input, f } = d.op() else {
        return Err(not_mine("map"));
    };
    let x = s.var(input.name())?.to_string();
    Ok((f.function().name().into(), f.pandas(&x, input.dtypes())))
}

/// Which rows `dropna` drops: those with any missing value among the columns looked
/// at, or only those with all of them missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropHow {
    /// A row with any missing value (pandas' default).
    Any,
    /// A row whose values are all missing.
    All,
}

impl Series {
    /// `f` of each value (`fillna`, `round`, `astype`, …).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::map::{ColumnMap, Literal};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\na,1.5\nb,\nc,4\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let v = df.col("v").unwrap();
    /// let filled = v.map_each(ColumnMap::FillNa { value: Literal::Number(10.0) }).unwrap();
    /// assert_eq!(filled.sum().unwrap().compute(Scheduler::Sync).unwrap(), 15.5);
    /// ```
    pub fn map_each(&self, f: ColumnMap) -> Result<Series> {
        Df::build(DfOp::Map {
            input: self.0.clone(),
            f,
        })
        .map(Series)
    }

    /// A `.str` function of a text series.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::strings::StrMap;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k\nApple\nbanana\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let n = df.col("k").unwrap().str_map(StrMap::Len).unwrap().sum().unwrap();
    /// assert_eq!(n.compute(Scheduler::Sync).unwrap(), 11.0);
    /// ```
    pub fn str_map(&self, f: StrMap) -> Result<Series> {
        Df::build(DfOp::Str {
            input: self.0.clone(),
            f,
        })
        .map(Series)
    }

    /// The values that are not missing (pandas' `dropna`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\na,1.5\nb,\nc,4\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let v = df.col("v").unwrap().dropna().unwrap();
    /// assert_eq!(v.len().unwrap().compute(Scheduler::Sync).unwrap(), 2.0);
    /// ```
    pub fn dropna(&self) -> Result<Series> {
        let keep = self.map_each(ColumnMap::NotNa)?;
        Df::build(DfOp::Filter {
            input: self.0.clone(),
            mask: keep.0,
        })
        .map(Series)
    }
}

impl DataFrame {
    /// `f` of each value of every column (`round` of the numeric ones only).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::map::ColumnMap;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\na,1.5\n,\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let na = df.map_each(ColumnMap::IsNa).unwrap();
    /// assert_eq!(na.dtypes()[0].name(), "bool");
    /// ```
    pub fn map_each(&self, f: ColumnMap) -> Result<DataFrame> {
        Df::build(DfOp::Map {
            input: self.0.clone(),
            f,
        })
        .map(DataFrame)
    }

    /// The rows without missing values in `subset` (every column when `None`): with
    /// [`DropHow::Any`] a row goes when any is missing, with [`DropHow::All`] when all are.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, DropHow, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\na,1.5\n,2\n,\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let rows = |d: daskling::expr::dataframe::DataFrame| d.len().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(rows(df.dropna(None, DropHow::Any).unwrap()), 1.0);
    /// assert_eq!(rows(df.dropna(None, DropHow::All).unwrap()), 2.0);
    /// assert_eq!(rows(df.dropna(Some(&["v"]), DropHow::Any).unwrap()), 2.0);
    /// ```
    pub fn dropna(&self, subset: Option<&[&str]>, how: DropHow) -> Result<DataFrame> {
        let all: Vec<&str> = self.columns().iter().map(String::as_str).collect();
        let cols = subset.unwrap_or(&all);
        let mut mask: Option<Series> = None;
        for c in cols {
            let present = self.col(c)?.map_each(ColumnMap::NotNa)?;
            mask = Some(match (mask, how) {
                (None, _) => present,
                (Some(m), DropHow::Any) => m.logical(LogicalOp::And, Some(&present))?,
                (Some(m), DropHow::All) => m.logical(LogicalOp::Or, Some(&present))?,
            });
        }
        match mask {
            Some(m) => self.filter(&m),
            None => Ok(self.clone()),
        }
    }
}
