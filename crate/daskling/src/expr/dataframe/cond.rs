//! `where` and `mask` of a series (`kernels::dataframe::cond` defines the values and
//! dtypes): a bool condition and an optional replacement series of the same rows, one
//! task per partition.

use super::tasks::each;
use super::{need, not_mine, same_rows, Df, DfOp, Kind, Meta, Series};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::Graph;
use crate::kernels::dataframe::cond::Cond;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::map::Literal;
use crate::kernels::dataframe::Dtype;

/// The input's name, rows and partitions; the dtype the replacement gives.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::Where {
        input,
        cond,
        other,
        c,
    } = op
    else {
        return Err(not_mine("where"));
    };
    need(input, Kind::Series, c.name())?;
    need(cond, Kind::Series, &format!("{}: cond", c.name()))?;
    same_rows(input, cond, c.name())?;
    if cond.0.dtypes[0] != Dtype::Bool {
        return Err(Error::invalid(format!(
            "{}: cond must be a bool series, got {}",
            c.name(),
            cond.0.dtypes[0]
        )));
    }
    if let Some(o) = other {
        need(o, Kind::Series, &format!("{}: other", c.name()))?;
        same_rows(input, o, c.name())?;
    }
    let d = c.dtype(input.0.dtypes[0], other.as_ref().map(|o| o.0.dtypes[0]))?;
    Ok(Meta::series_like(c.name(), input, d))
}

/// One task per partition: the series, the condition, the replacement series.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::Where {
        input,
        cond,
        other,
        c,
    } = d.op()
    else {
        return Err(not_mine("where"));
    };
    let mut inputs = vec![input, cond];
    inputs.extend(other.iter());
    each(g, d, FrameKernel::Cond(c.clone().into()), &inputs);
    Ok(())
}

/// pandas' call, which dask's series share.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::Where {
        input,
        cond,
        other,
        c,
    } = d.op()
    else {
        return Err(not_mine("where"));
    };
    let x = s.var(input.name())?.to_string();
    let k = s.var(cond.name())?.to_string();
    let o = match other {
        Some(o) => Some(s.var(o.name())?.to_string()),
        None => None,
    };
    Ok((c.name().into(), c.pandas(&x, &k, o.as_deref())))
}

/// A constant or a series replacing values.
#[derive(Clone, Debug)]
pub enum Replacement {
    /// A constant (`Literal::Missing`: the missing value).
    Value(Literal),
    /// A series of the same rows.
    Series(Series),
}

impl Series {
    /// The values where `cond` is `keep_when`, `other` elsewhere: pandas' `where(cond,
    /// other)` (`keep_when` true) and `mask(cond, other)` (false). A missing condition
    /// counts as false.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions, Replacement};
    /// use daskling::kernels::dataframe::map::Literal;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"v\n1\n-2\n3\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let v = df.col("v").unwrap();
    /// let neg = v.scalar_op(daskling::kernels::array::BinaryOp::Lt, 0.0, false).unwrap();
    /// let clipped = v.where_(&neg, Replacement::Value(Literal::Number(0.0)), false).unwrap();
    /// let (_, out) = clipped.compute(Scheduler::Sync).unwrap();
    /// assert_eq!(out, Column::Int64(vec![1, 0, 3]));
    /// ```
    pub fn where_(&self, cond: &Series, other: Replacement, keep_when: bool) -> Result<Series> {
        let (other, value) = match other {
            // NaN is the missing value it stands for.
            Replacement::Value(Literal::Number(x)) if x.is_nan() => (None, Literal::Missing),
            Replacement::Value(l) => (None, l),
            Replacement::Series(s) => (Some(s.0), Literal::Missing),
        };
        Df::build(DfOp::Where {
            input: self.0.clone(),
            cond: cond.0.clone(),
            other,
            c: Cond {
                keep_when,
                other: value,
            },
        })
        .map(Series)
    }
}
