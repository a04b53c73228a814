//! `resample`: rows in time bins, as pandas' `df.resample(freq, on=col)` — a groupby
//! by the `on` column floored to the frequency (bins closed and labelled on the left),
//! then every bin between the first and the last given a row (`kernels::dataframe::bins`:
//! sums and counts 0, other aggregations missing where no row fell).

use super::tasks::ftask;
use super::{not_mine, DataFrame, Df, DfOp, GroupBy, Kind, Meta, Series, SeriesGroupBy};
use crate::error::{Error, Result};
use crate::expr::dask::script::{list, string, Line, Script};
use crate::graph::Graph;
use crate::kernels::dataframe::datetime::DAY_MS;
use crate::kernels::dataframe::dt::{parse_freq, RoundMode};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::Dtype;

/// The input's columns; an int64 one that an empty bin leaves missing becomes float64.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::FillBins {
        input, step, zero, ..
    } = op
    else {
        return Err(not_mine("resample"));
    };
    if input.0.index.as_ref().map(|ix| ix.1) != Some(Dtype::Datetime) || input.npartitions() != 1 {
        return Err(Error::invalid(
            "resample fills the bins of a result grouped by time",
        ));
    }
    if *step <= 0 || zero.len() != input.0.names.len() {
        return Err(Error::invalid(
            "resample: a bin width and one fill per column",
        ));
    }
    let dtypes = input
        .0
        .dtypes
        .iter()
        .zip(zero)
        .map(|(&t, &z)| {
            if t == Dtype::Int64 && !z {
                Dtype::Float64
            } else {
                t
            }
        })
        .collect();
    Ok(Meta {
        prefix: "resample",
        kind: input.0.kind,
        names: input.0.names.clone(),
        dtypes,
        npartitions: 1,
        rows: None,
    })
}

/// One task on the grouped result.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::FillBins {
        input, step, zero, ..
    } = d.op()
    else {
        return Err(not_mine("resample"));
    };
    let k = FrameKernel::FillBins {
        step: *step,
        zero: zero.clone().into(),
        dtypes: d.dtypes().into(),
    };
    g.insert(d.part_key(0), ftask(k, vec![input.part_key(0)]));
    Ok(())
}

/// Fills the bins of pandas' resample on a dask worker (the grouped result is one
/// partition): zero-filled columns 0, the others missing.
const RESAMPLE_FILL: &str = r#"
def resample_fill(v, freq, zero):
    """Every bin from the first to the last, as pandas' resample gives them."""
    v = v.sort_index()
    if len(v) == 0:
        return v
    full = v.reindex(pd.date_range(v.index.min(), v.index.max(), freq=freq, name=v.index.name))
    if isinstance(v, pd.Series):
        return full.fillna(0).astype(v.dtype) if zero else full
    for c in zero:
        full[c] = full[c].fillna(0).astype(v[c].dtype)
    return full
"#;

/// dask's groupby result with its bins filled in its one partition.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::FillBins {
        input, freq, zero, ..
    } = d.op()
    else {
        return Err(not_mine("resample"));
    };
    let x = s.var(input.name())?.to_string();
    s.helper(RESAMPLE_FILL);
    // pandas spells minutes `min`; daskling's `T`/`m` spellings are the same widths.
    let step = parse_freq(freq).unwrap_or(DAY_MS);
    let pandas_freq = format!("{}ms", step);
    let zero_arg = if d.kind() == Kind::Series {
        (if zero[0] { "True" } else { "False" }).to_string()
    } else {
        let cols: Vec<String> = d
            .names()
            .iter()
            .zip(zero)
            .filter(|(_, &z)| z)
            .map(|(n, _)| string(n))
            .collect();
        list(&cols)
    };
    Ok((
        "resampled".into(),
        format!(
            "{x}.map_partitions(resample_fill, {}, {zero_arg}, meta={x}._meta)",
            string(&pandas_freq)
        ),
    ))
}

/// Whether an empty bin's value of `agg` is 0 (counts and sums), not missing.
fn zero_when_empty(agg: GroupAgg) -> bool {
    matches!(
        agg,
        GroupAgg::Sum | GroupAgg::Count | GroupAgg::Size | GroupAgg::Nunique
    )
}

/// `grouped` (a groupby by the floored times) with every bin.
fn fill(grouped: Df, freq: &str, step: i64) -> Result<Df> {
    let zero = match grouped.op() {
        DfOp::GroupAgg { aggs, .. } => aggs.iter().map(|a| zero_when_empty(*a)).collect(),
        _ => return Err(Error::invalid("resample: expected a grouped result")),
    };
    Df::build(DfOp::FillBins {
        input: grouped,
        freq: freq.to_string(),
        step,
        zero,
    })
}

/// A frame's rows in time bins ([`DataFrame::resample`]): aggregate them.
#[derive(Clone, Debug)]
pub struct Resampler {
    group: GroupBy,
    freq: String,
    step: i64,
}

/// One column's time bins ([`Resampler::col`]).
#[derive(Clone, Debug)]
pub struct SeriesResampler {
    group: SeriesGroupBy,
    freq: String,
    step: i64,
}

impl DataFrame {
    /// The rows in bins of `freq` by the datetime column `on`, as pandas'
    /// `df.resample(freq, on=on)`: bins start at multiples of `freq` (which must divide a
    /// day: `'1min'`, `'15min'`, `'1h'`, `'1d'`), closed and labelled on the left; every
    /// bin from the first row's to the last's is in the result.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::groupby::GroupAgg;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let csv = "t,v\n2024-01-01 09:10:00,1\n2024-01-01 09:50:00,2\n2024-01-01 11:05:00,4\n";
    /// let mut opts = ReadOptions::default();
    /// opts.csv.parse_dates = vec!["t".into()];
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", csv.as_bytes()))], &opts).unwrap();
    /// let hourly = df.resample("1h", "t").unwrap().col("v").unwrap();
    /// let (_, sums) = hourly.agg(GroupAgg::Sum).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(sums, Column::Int64(vec![3, 0, 4])); // 09:00, 10:00 (empty), 11:00
    /// ```
    pub fn resample(&self, freq: &str, on: &str) -> Result<Resampler> {
        let step = parse_freq(freq).ok_or_else(|| {
            Error::invalid(format!(
                "resample: unknown frequency {freq:?} (e.g. '1min', '15min', '1h', '1d')"
            ))
        })?;
        if DAY_MS % step != 0 {
            return Err(Error::invalid(format!(
                "resample: the frequency {freq} does not divide a day; bins are anchored at \
                 midnight, so use one that does (e.g. '1min', '15min', '1h', '1d')"
            )));
        }
        let col = self.col(on)?;
        if col.dtype() != Dtype::Datetime {
            return Err(Error::invalid(format!(
                "resample: on column {on} is {}, not a datetime (readCsv's parseDates makes one)",
                col.dtype()
            )));
        }
        let bins = col.dt_round(freq, RoundMode::Floor)?;
        Ok(Resampler {
            group: self.groupby(&bins)?,
            freq: freq.to_string(),
            step,
        })
    }
}

impl Resampler {
    /// Several aggregations per bin (as [`GroupBy::agg`]), every bin present.
    pub fn agg(&self, spec: &[(&str, Vec<GroupAgg>)]) -> Result<DataFrame> {
        fill(self.group.agg(spec)?.0, &self.freq, self.step).map(DataFrame)
    }

    /// Rows per bin (0 for an empty one).
    pub fn size(&self) -> Result<Series> {
        fill(self.group.sizes()?, &self.freq, self.step).map(Series)
    }

    /// One column's bins.
    pub fn col(&self, name: &str) -> Result<SeriesResampler> {
        Ok(SeriesResampler {
            group: self.group.col(name)?,
            freq: self.freq.clone(),
            step: self.step,
        })
    }
}

impl SeriesResampler {
    /// One aggregation per bin: a series indexed by the bin starts, every bin present.
    pub fn agg(&self, agg: GroupAgg) -> Result<Series> {
        fill(self.group.aggregate(agg)?, &self.freq, self.step).map(Series)
    }
}
