//! The typed views of dataframe expressions — [`DataFrame`], [`Series`], [`Scalar`],
//! [`GroupBy`] and [`SeriesGroupBy`] — with pandas' method names, each checking its
//! arguments and building a [`Df`] node. The frame's and the groupbys' methods are here,
//! the series' and scalars' in `series`.

use std::sync::Arc;

use super::{lower, Df, DfOp, Kind, Lazy};
use crate::error::{Error, Result};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::ops::SeriesReduce;
use crate::kernels::dataframe::{Dtype, Frame};
use crate::scheduler::{self, Scheduler};

/// A lazy dataframe.
#[derive(Clone, Debug)]
pub struct DataFrame(pub Df);

/// A lazy series (one column).
#[derive(Clone, Debug)]
pub struct Series(pub Df);

/// A lazy number.
#[derive(Clone, Debug)]
pub struct Scalar(pub Df);

/// Rows grouped by a key series (or a frame of several keys), as pandas'
/// `DataFrameGroupBy`.
#[derive(Clone, Debug)]
pub struct GroupBy {
    frame: DataFrame,
    by: Df,
}

/// One column of a [`GroupBy`].
#[derive(Clone, Debug)]
pub struct SeriesGroupBy {
    pub(super) by: Df,
    pub(super) values: Series,
}

impl GroupBy {
    /// One column's groups.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// let v = df.col("v").unwrap();
    /// assert_eq!(v.name(), "v");
    /// assert_eq!(v.sum().unwrap().compute(Scheduler::Sync).unwrap(), 7.0);
    /// assert!(df.col("nope").is_err());
    /// ```
    pub fn col(&self, name: &str) -> Result<SeriesGroupBy> {
        Ok(SeriesGroupBy {
            by: self.by.clone(),
            values: self.frame.col(name)?,
        })
    }

    /// Several aggregations at once: per column a list of aggregations. A column with
    /// one aggregation keeps its name; with several, each is `column_aggregation`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// use daskling::kernels::dataframe::groupby::GroupAgg;
    /// let g = df.groupby(&df.col("k").unwrap()).unwrap();
    /// let f = g.agg(&[("v", vec![GroupAgg::Min, GroupAgg::Count])]).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(&f.names[..], ["v_min", "v_count"]);
    /// assert_eq!(f.columns[1].f64_at(0), Some(2.0)); // two rows in group "a"
    /// ```
    pub fn agg(&self, spec: &[(&str, Vec<GroupAgg>)]) -> Result<DataFrame> {
        let mut values = vec![];
        let mut names = vec![];
        let mut aggs = vec![];
        for (col, list) in spec {
            let s = self.frame.col(col)?;
            if list.is_empty() {
                return Err(Error::invalid(format!("agg: no aggregation for {col}")));
            }
            for a in list {
                values.push(s.0.clone());
                names.push(if list.len() == 1 {
                    col.to_string()
                } else {
                    format!("{col}_{}", a.name())
                });
                aggs.push(*a);
            }
        }
        Df::build(DfOp::GroupAgg {
            by: self.by.clone(),
            values,
            names,
            aggs,
            ddof: 1.0,
            by_count_desc: false,
            frame: true,
        })
        .map(DataFrame)
    }
}

impl GroupBy {
    /// How many rows each group has (missing values included), as pandas'
    /// `df.groupby(k).size()`: a series named `size`, indexed by the sorted keys.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\na,\nb,2\na,4\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let (_, n) = df.groupby(&df.col("k").unwrap()).unwrap().size().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(n, Column::Int64(vec![2, 1]));
    /// ```
    pub fn size(&self) -> Result<Series> {
        self.sizes().map(Series)
    }

    /// [`GroupBy::size`] as an expression: a series for one key, a frame of the key
    /// columns then `size` for several.
    pub fn sizes(&self) -> Result<Df> {
        // Any series of the keys' rows counts them: the (first) key itself.
        let values = match self.by.kind() {
            Kind::Frame => DataFrame(self.by.clone()).col(&self.by.names()[0])?.0,
            _ => self.by.clone(),
        };
        Df::build(DfOp::GroupAgg {
            by: self.by.clone(),
            values: vec![values],
            names: vec!["size".to_string()],
            aggs: vec![GroupAgg::Size],
            ddof: 1.0,
            by_count_desc: false,
            frame: false,
        })
    }
}

impl SeriesGroupBy {
    /// An aggregation per group: a series indexed by the sorted keys.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// use daskling::kernels::dataframe::groupby::GroupAgg;
    /// use daskling::kernels::dataframe::Column;
    /// let g = df.groupby(&df.col("k").unwrap()).unwrap().col("v").unwrap();
    /// let (_, n) = g.agg(GroupAgg::Size).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(n.f64_at(0), Some(2.0)); // "a" has two rows
    /// ```
    pub fn agg(&self, agg: GroupAgg) -> Result<Series> {
        if self.by.kind() == Kind::Frame {
            return Err(Error::invalid(
                "a groupby by several keys gives a table: use aggregate",
            ));
        }
        self.aggregate(agg).map(Series)
    }

    /// An aggregation per group as an expression: a series indexed by the sorted keys
    /// (one key), or a frame of the key columns then the values, sorted by the keys
    /// (several: pandas' `.reset_index()`).
    pub fn aggregate(&self, agg: GroupAgg) -> Result<Df> {
        Df::build(DfOp::GroupAgg {
            by: self.by.clone(),
            values: vec![self.values.0.clone()],
            names: vec![self.values.name().to_string()],
            aggs: vec![agg],
            ddof: 1.0,
            by_count_desc: false,
            frame: false,
        })
    }
}

impl DataFrame {
    /// Column names.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// assert_eq!(df.columns(), ["k", "v", "f"]);
    /// ```
    pub fn columns(&self) -> &[String] {
        self.0.names()
    }

    /// Column dtypes.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// use daskling::kernels::dataframe::Dtype;
    /// assert_eq!(df.dtypes(), [Dtype::String, Dtype::Int64, Dtype::Bool]);
    /// ```
    pub fn dtypes(&self) -> &[Dtype] {
        self.0.dtypes()
    }

    /// Number of partitions.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// assert_eq!(df.npartitions(), 1); // one small file
    /// ```
    pub fn npartitions(&self) -> usize {
        self.0.npartitions()
    }

    /// One column.
    pub fn col(&self, name: &str) -> Result<Series> {
        Df::build(DfOp::Col {
            input: self.0.clone(),
            name: name.to_string(),
        })
        .map(Series)
    }

    /// Some columns.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// let s = df.select(&["v", "k"]).unwrap();
    /// assert_eq!(s.columns(), ["v", "k"]);
    /// ```
    pub fn select(&self, names: &[&str]) -> Result<DataFrame> {
        Df::build(DfOp::Select {
            input: self.0.clone(),
            columns: names.iter().map(|s| s.to_string()).collect(),
        })
        .map(DataFrame)
    }

    /// Rows where `mask` is true.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// use daskling::kernels::array::BinaryOp;
    /// let v = df.col("v").unwrap();
    /// let big = df.filter(&v.scalar_op(BinaryOp::Gt, 1.0, false).unwrap()).unwrap();
    /// assert_eq!(big.len().unwrap().compute(Scheduler::Sync).unwrap(), 2.0);
    /// ```
    pub fn filter(&self, mask: &Series) -> Result<DataFrame> {
        // A comparison of a Parquet read's column also skips row groups (statistics).
        if let Some(pushed) = super::parquet::pushed_filter(&self.0, &mask.0) {
            return pushed;
        }
        Df::build(DfOp::Filter {
            input: self.0.clone(),
            mask: mask.0.clone(),
        })
        .map(DataFrame)
    }

    /// Columns added or replaced.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// use daskling::kernels::array::BinaryOp;
    /// let w = df.col("v").unwrap().scalar_op(BinaryOp::Mul, 10.0, false).unwrap();
    /// let df2 = df.assign(&[("w", &w)]).unwrap();
    /// assert_eq!(df2.columns(), ["k", "v", "t", "w"]);
    /// assert_eq!(df2.col("w").unwrap().sum().unwrap().compute(Scheduler::Sync).unwrap(), 70.0);
    /// ```
    pub fn assign(&self, columns: &[(&str, &Series)]) -> Result<DataFrame> {
        Df::build(DfOp::Assign {
            input: self.0.clone(),
            names: columns.iter().map(|(n, _)| n.to_string()).collect(),
            values: columns.iter().map(|(_, s)| s.0.clone()).collect(),
        })
        .map(DataFrame)
    }

    /// Every column reduced: a series indexed by column name, as pandas' `df.sum()` —
    /// the numeric columns (pandas' `numeric_only=True`), every column for `count` and
    /// `nunique`; `ddof` for `std` and `var`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::ops::SeriesReduce;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,w\na,1,0.5\nb,2,\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let sums = df.reduce(SeriesReduce::Sum, 1.0).unwrap().compute_frame(Scheduler::Sync).unwrap();
    /// let index = &sums.index.as_ref().unwrap().1;
    /// assert_eq!(index.len(), 2); // v and w: k is text
    /// assert_eq!(sums.columns[0].f64_at(0), Some(3.0));
    /// assert_eq!(sums.columns[0].f64_at(1), Some(0.5));
    /// ```
    pub fn reduce(&self, reduce: SeriesReduce, ddof: f64) -> Result<Series> {
        Df::build(DfOp::FrameReduce {
            input: self.0.clone(),
            reduce,
            ddof,
        })
        .map(Series)
    }

    /// Number of rows.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// assert_eq!(df.len().unwrap().compute(Scheduler::Sync).unwrap(), 3.0);
    /// ```
    pub fn len(&self) -> Result<Scalar> {
        Df::build(DfOp::Len {
            input: self.0.clone(),
        })
        .map(Scalar)
    }

    /// Groups rows by the values of `by` (a series of this frame).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// use daskling::kernels::dataframe::groupby::GroupAgg;
    /// use daskling::kernels::dataframe::Column;
    /// let g = df.groupby(&df.col("k").unwrap()).unwrap();
    /// let (_, sums) = g.col("v").unwrap().agg(GroupAgg::Sum).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(sums, Column::Int64(vec![5, 2])); // a: 1 + 4, b: 2
    /// ```
    pub fn groupby(&self, by: &Series) -> Result<GroupBy> {
        if by.0.rows() != self.0.rows() {
            return Err(Error::invalid(
                "groupby: the key series comes from another dataframe",
            ));
        }
        Ok(GroupBy {
            frame: self.clone(),
            by: by.0.clone(),
        })
    }

    /// Rows grouped by several key series of this frame (one: as [`DataFrame::groupby`]);
    /// aggregations give a frame of the key columns then the values, sorted by the keys.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::groupby::GroupAgg;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,j,v\nb,1,1\na,2,2\nb,1,4\nb,0,8\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let (k, j) = (df.col("k").unwrap(), df.col("j").unwrap());
    /// let g = df.groupby_keys(&[&k, &j]).unwrap();
    /// let out = g.agg(&[("v", vec![GroupAgg::Sum])]).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(&out.names[..], ["k", "j", "v"]);
    /// assert_eq!(out.columns[1], Column::Int64(vec![2, 0, 1]));
    /// assert_eq!(out.columns[2], Column::Int64(vec![2, 8, 5]));
    /// ```
    pub fn groupby_keys(&self, keys: &[&Series]) -> Result<GroupBy> {
        match keys {
            [] => Err(Error::invalid("groupby needs at least one key")),
            [one] => self.groupby(one),
            _ => {
                let mut named: Vec<(&str, &Series)> = vec![];
                for k in keys {
                    if named.iter().any(|(n, _)| *n == k.name()) {
                        return Err(Error::invalid(format!(
                            "groupby: two keys are named {}",
                            k.name()
                        )));
                    }
                    named.push((k.name(), k));
                }
                self.groupby_frame(&self.select(&[])?.assign(&named)?)
            }
        }
    }

    /// Rows grouped by the columns of `keys`, a frame of this one's rows (its key
    /// series assigned to an empty selection); one column groups as that series.
    pub fn groupby_frame(&self, keys: &DataFrame) -> Result<GroupBy> {
        if keys.0.rows() != self.0.rows() {
            return Err(Error::invalid(
                "groupby: the keys come from another dataframe",
            ));
        }
        match keys.columns() {
            [] => Err(Error::invalid("groupby needs at least one key")),
            [one] => self.groupby(&keys.col(one)?),
            _ => Ok(GroupBy {
                frame: self.clone(),
                by: keys.0.clone(),
            }),
        }
    }

    /// count, mean, std, min, 25%, 50%, 75% and max of the numeric columns (quartiles
    /// approximate over many partitions, see `kernels::dataframe::describe`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// let d = df.describe().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(&d.names[..], ["v"]); // the numeric columns
    /// assert_eq!(d.columns[0].f64_at(0), Some(3.0)); // count
    /// assert_eq!(d.columns[0].f64_at(7), Some(4.0)); // max
    /// ```
    pub fn describe(&self) -> Result<DataFrame> {
        Df::build(DfOp::Describe {
            input: self.0.clone(),
        })
        .map(DataFrame)
    }

    /// The whole frame.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let f = df.compute(Scheduler::Sync).unwrap();
    /// assert_eq!((f.len(), f.names.len()), (3, 3));
    /// ```
    pub fn compute(&self, s: Scheduler) -> Result<Frame> {
        compute_frame(&self.0, s)
    }

    /// The first `n` rows, reading only the partitions they are in.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let csv = "k,v,t\na,1,2012-05-01 09:30:00\nb,2,2012-05-01 15:59:00\na,4,2012-05-02 10:00:00\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// let h = df.head(2, Scheduler::Sync).unwrap();
    /// assert_eq!(h.len(), 2);
    /// ```
    pub fn head(&self, n: usize, s: Scheduler) -> Result<Frame> {
        lower::head(&self.0, n, s)
    }
}

pub(super) fn compute_frame(d: &Df, s: Scheduler) -> Result<Frame> {
    let (g, key) = d.graph()?;
    let v = scheduler::compute(&g, &[key], s)?;
    match v.into_iter().next() {
        Some(crate::kernels::Value::Frame(f)) => Ok(Arc::unwrap_or_clone(f)),
        _ => Err(Error::invalid("the compute gave no frame")),
    }
}
