//! The methods of [`Series`] and [`Scalar`]: arithmetic, comparisons, the `.dt`
//! accessor, reductions and computing, with pandas' names (the types themselves are in
//! `collections`, beside [`DataFrame`](super::DataFrame)).

use super::collections::compute_frame;
use super::{Df, DfOp, Lazy, LogicalOp, Scalar, Series};
use crate::error::{Error, Result};
use crate::kernels::array::{BinaryOp, UnaryFn};
use crate::kernels::dataframe::dt::{self, DtField, RoundMode};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::ops::SeriesReduce;
use crate::kernels::dataframe::{Column, Dtype, Frame};
use crate::scheduler::{self, Scheduler};

impl Series {
    /// The series' name.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// assert_eq!(df.col("v").unwrap().name(), "v");
    /// ```
    pub fn name(&self) -> &str {
        &self.0.names()[0]
    }

    /// Its dtype.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// assert_eq!(df.col("f").unwrap().dtype().name(), "bool");
    /// ```
    pub fn dtype(&self) -> Dtype {
        self.0.dtypes()[0]
    }

    /// `self op other` elementwise.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// use daskling::kernels::array::BinaryOp;
    /// let v = df.col("v").unwrap();
    /// let sq = v.binary(BinaryOp::Mul, &v).unwrap();
    /// assert_eq!(sq.sum().unwrap().compute(Scheduler::Sync).unwrap(), 1.0 + 4.0 + 16.0);
    /// ```
    pub fn binary(&self, op: BinaryOp, other: &Series) -> Result<Series> {
        Df::build(DfOp::Binary {
            op,
            left: self.0.clone(),
            right: other.0.clone(),
        })
        .map(Series)
    }

    /// `self op value` (or `value op self`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// use daskling::kernels::array::BinaryOp;
    /// let v = df.col("v").unwrap();
    /// let r = v.scalar_op(BinaryOp::Sub, 10.0, true).unwrap(); // 10 - v
    /// assert_eq!(r.sum().unwrap().compute(Scheduler::Sync).unwrap(), 30.0 - 7.0);
    /// ```
    pub fn scalar_op(&self, op: BinaryOp, value: f64, reflected: bool) -> Result<Series> {
        Df::build(DfOp::Scalar {
            op,
            input: self.0.clone(),
            value,
            reflected,
        })
        .map(Series)
    }

    /// Boolean logic (`other` is `None` for `not`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// use daskling::expr::dataframe::LogicalOp;
    /// let f = df.col("f").unwrap();
    /// let not = f.logical(LogicalOp::Not, None).unwrap();
    /// assert_eq!(df.filter(&not).unwrap().len().unwrap().compute(Scheduler::Sync).unwrap(), 1.0);
    /// ```
    pub fn logical(&self, op: LogicalOp, other: Option<&Series>) -> Result<Series> {
        Df::build(DfOp::Logical {
            op,
            left: self.0.clone(),
            right: other.map(|o| o.0.clone()),
        })
        .map(Series)
    }

    /// `f` of each value (`abs`, `sqrt`, …; pandas' dtypes: `neg` and `abs` keep int64).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::array::UnaryFn;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"v\n-4\n9\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let v = df.col("v").unwrap();
    /// let total = v.map(UnaryFn::Abs).unwrap().sum().unwrap();
    /// assert_eq!(total.compute(Scheduler::Sync).unwrap(), 13.0);
    /// ```
    pub fn map(&self, f: UnaryFn) -> Result<Series> {
        Df::build(DfOp::Unary {
            f,
            input: self.0.clone(),
        })
        .map(Series)
    }

    /// A datetime field (`dt.year`, …).
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
    /// use daskling::kernels::dataframe::dt::DtField;
    /// let hours = df.col("t").unwrap().dt_field(DtField::Hour).unwrap();
    /// assert_eq!(hours.sum().unwrap().compute(Scheduler::Sync).unwrap(), 9.0 + 15.0 + 10.0);
    /// ```
    pub fn dt_field(&self, field: DtField) -> Result<Series> {
        Df::build(DfOp::DtField {
            input: self.0.clone(),
            field,
        })
        .map(Series)
    }

    /// `dt.round/floor/ceil(freq)`.
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
    /// use daskling::kernels::dataframe::dt::RoundMode;
    /// use daskling::kernels::dataframe::groupby::GroupAgg;
    /// // The daily high, as the workshop's groupby(df.timestamp.dt.round('1d')).
    /// let day = df.col("t").unwrap().dt_round("1d", RoundMode::Floor).unwrap();
    /// let g = df.groupby(&day).unwrap().col("v").unwrap().agg(GroupAgg::Max).unwrap();
    /// let (_, highs) = g.compute(Scheduler::Sync).unwrap();
    /// assert_eq!(highs.f64_at(0), Some(2.0));
    /// assert_eq!(highs.f64_at(1), Some(4.0));
    /// ```
    pub fn dt_round(&self, freq: &str, mode: RoundMode) -> Result<Series> {
        let ms = dt::parse_freq(freq).ok_or_else(|| {
            Error::invalid(format!(
                "unknown frequency {freq:?} (use 'min', 'h' or 'd' with an optional multiple, e.g. '5min', '1d')"
            ))
        })?;
        Df::build(DfOp::DtRound {
            input: self.0.clone(),
            freq: ms,
            mode,
        })
        .map(Series)
    }

    /// `dt.strftime(format)`: each datetime as text (C's directives, see
    /// `kernels::dataframe::dt::strftime`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let src = Arc::new(MemorySource::new("a.csv", &b"t\n2012-05-01 09:30:00\n"[..]));
    /// let df = read_csv_sources(vec![src], &opts).unwrap();
    /// let (_, s) = df.col("t").unwrap().dt_format("%d.%m.%Y").unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(s, Column::String(vec![Some("01.05.2012".into())]));
    /// ```
    pub fn dt_format(&self, format: &str) -> Result<Series> {
        Df::build(DfOp::DtFormat {
            input: self.0.clone(),
            format: format.to_string(),
        })
        .map(Series)
    }

    /// A reduction (`ddof` applies to std and var).
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
    /// use daskling::kernels::dataframe::ops::SeriesReduce;
    /// let v = df.col("v").unwrap();
    /// // 1, 2, 4: mean 7/3, sample variance 7/3.
    /// let var = v.reduce(SeriesReduce::Var, 1.0).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert!((var - 7.0 / 3.0).abs() < 1e-12);
    /// ```
    pub fn reduce(&self, reduce: SeriesReduce, ddof: f64) -> Result<Scalar> {
        Df::build(DfOp::Reduce {
            input: self.0.clone(),
            reduce,
            ddof,
        })
        .map(Scalar)
    }

    /// Sum of the values (missing ones skipped).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// assert_eq!(df.col("v").unwrap().sum().unwrap().compute(Scheduler::Sync).unwrap(), 7.0);
    /// ```
    pub fn sum(&self) -> Result<Scalar> {
        self.reduce(SeriesReduce::Sum, 1.0)
    }

    /// Number of rows.
    pub fn len(&self) -> Result<Scalar> {
        Df::build(DfOp::Len {
            input: self.0.clone(),
        })
        .map(Scalar)
    }

    /// How often each value occurs, most frequent first (ties by value), as pandas'
    /// `value_counts`.
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
    /// let (_, counts) = df.col("k").unwrap().value_counts().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(counts.f64_at(0), Some(2.0)); // "a", the most frequent, first
    /// ```
    pub fn value_counts(&self) -> Result<Series> {
        Df::build(DfOp::GroupAgg {
            by: self.0.clone(),
            values: vec![self.0.clone()],
            names: vec!["count".to_string()],
            aggs: vec![GroupAgg::Size],
            ddof: 1.0,
            by_count_desc: true,
            frame: false,
        })
        .map(Series)
    }

    /// The whole series as a one-column frame (with its index, for grouped results).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let f = df.col("v").unwrap().compute_frame(Scheduler::Sync).unwrap();
    /// assert_eq!(&f.names[..], ["v"]);
    /// ```
    pub fn compute_frame(&self, s: Scheduler) -> Result<Frame> {
        compute_frame(&self.0, s)
    }

    /// The whole series: its name and values.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// use daskling::kernels::dataframe::Column;
    /// let (name, c) = df.col("v").unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!((name.as_str(), c), ("v", Column::Int64(vec![1, 2, 4])));
    /// ```
    pub fn compute(&self, s: Scheduler) -> Result<(String, Column)> {
        let f = compute_frame(&self.0, s)?;
        let name = f.names.first().cloned().unwrap_or_default();
        let col = f
            .columns
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid("the compute gave no column"))?;
        Ok((name, col))
    }
}

impl Scalar {
    /// `self op other`.
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
    /// // The daily spread's building block: max - min.
    /// let v = df.col("v").unwrap();
    /// let spread = v.reduce(daskling::kernels::dataframe::ops::SeriesReduce::Max, 1.0).unwrap()
    ///     .binary(BinaryOp::Sub, &v.reduce(daskling::kernels::dataframe::ops::SeriesReduce::Min, 1.0).unwrap()).unwrap();
    /// assert_eq!(spread.compute(Scheduler::Sync).unwrap(), 3.0);
    /// ```
    pub fn binary(&self, op: BinaryOp, other: &Scalar) -> Result<Scalar> {
        Df::build(DfOp::ScalarBinary {
            op,
            left: self.0.clone(),
            right: other.0.clone(),
        })
        .map(Scalar)
    }

    /// `self op value` (or `value op self`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// use daskling::kernels::array::BinaryOp;
    /// let half = df.len().unwrap().scalar_op(BinaryOp::Div, 2.0, false).unwrap();
    /// assert_eq!(half.compute(Scheduler::Sync).unwrap(), 1.5);
    /// ```
    pub fn scalar_op(&self, op: BinaryOp, value: f64, reflected: bool) -> Result<Scalar> {
        Df::build(DfOp::ScalarConst {
            op,
            input: self.0.clone(),
            value,
            reflected,
        })
        .map(Scalar)
    }

    /// The number.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v,f\na,1,true\nb,2,false\na,4,true\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// assert_eq!(df.len().unwrap().compute(Scheduler::Sync).unwrap(), 3.0);
    /// ```
    pub fn compute(&self, s: Scheduler) -> Result<f64> {
        let (g, key) = self.0.graph()?;
        match scheduler::compute(&g, &[key], s)?.into_iter().next() {
            Some(crate::kernels::Value::F64(x)) => Ok(x),
            _ => Err(Error::invalid("the compute gave no number")),
        }
    }
}
