//! Per-row results of groups, in the rows' order and partitions: `transform(agg)` —
//! each row gets its group's aggregate (the groupby's one-partition result looked up by
//! every partition) — and `cumsum cummax cummin cumprod` per group (running values per
//! key carried along a chain of partitions). `kernels::dataframe::group_rows` defines the
//! steps. The result is a series of the grouped frame's rows: it combines with its other
//! series.

use std::sync::Arc;

use super::tasks::ftask;
use super::{not_mine, same_rows, Df, DfOp, Kind, Meta, Series, SeriesGroupBy};
use crate::error::{Error, Result};
use crate::expr::dask::script::{string, Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::group_rows::GroupRowsStep;
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::scan::{CumAgg, ScanOp};
use crate::kernels::dataframe::Dtype;

/// `d` as the dtype of a per-row result: an int64 one where a key can be missing (its
/// rows then have no group) becomes float64, as pandas makes it.
fn per_row(d: Dtype, by: &Df) -> Dtype {
    if d == Dtype::Int64 && by.dtypes().iter().any(|&k| k != Dtype::Int64) {
        Dtype::Float64
    } else {
        d
    }
}

/// A series of the keys' rows.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let (by, name, dtype) = match op {
        DfOp::GroupTransform { by, grouped } => {
            let DfOp::GroupAgg { aggs, .. } = grouped.op() else {
                return Err(Error::invalid("transform needs a group aggregation"));
            };
            if aggs.len() != 1 || grouped.npartitions() != 1 {
                return Err(Error::invalid("transform takes one aggregation"));
            }
            let name = grouped.names().last().cloned().unwrap_or_default();
            let dtype = *grouped.dtypes().last().unwrap_or(&Dtype::Float64);
            if !matches!(dtype, Dtype::Int64 | Dtype::Float64) {
                return Err(Error::invalid(format!(
                    "transform({}) gives {dtype} values, which it cannot spread to rows yet",
                    aggs[0].name()
                )));
            }
            (by, name, dtype)
        }
        DfOp::GroupCum { by, values, agg } => {
            same_rows(by, values, agg.name())?;
            let d = ScanOp::Cum { agg: *agg }.dtype(values.dtypes()[0])?;
            (by, values.names()[0].clone(), d)
        }
        _ => return Err(not_mine("group_rows")),
    };
    Ok(Meta {
        prefix: match op {
            DfOp::GroupTransform { .. } => "transform",
            _ => "groupby-cum",
        },
        kind: Kind::Series,
        names: vec![name],
        dtypes: vec![per_row(dtype, by)],
        npartitions: by.npartitions(),
        rows: Some(by.0.rows.clone()),
    })
}

/// A lookup per partition; or partials, a carry chain and a running pass per partition.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let name: Arc<str> = d.names()[0].as_str().into();
    let dtype = d.dtypes()[0];
    match d.op() {
        DfOp::GroupTransform { by, grouped } => {
            let step = GroupRowsStep::Lookup { name, dtype };
            for p in 0..d.npartitions() {
                let deps = vec![by.part_key(p), grouped.part_key(0)];
                g.insert(
                    d.part_key(p),
                    ftask(FrameKernel::GroupRows(step.clone()), deps),
                );
            }
        }
        DfOp::GroupCum { by, values, agg } => {
            let token = tokenize(d.name());
            let layer =
                |stem: &str, p: usize| Key::new(format!("{stem}-{token}").as_str(), &[p as u32]);
            let task = |s: GroupRowsStep, deps| ftask(FrameKernel::GroupRows(s), deps);
            let mut carry: Option<Key> = None;
            for p in 0..d.npartitions() {
                let mut deps = vec![by.part_key(p), values.part_key(p)];
                deps.extend(carry.clone());
                let apply = GroupRowsStep::CumApply {
                    agg: *agg,
                    name: name.clone(),
                    dtype,
                };
                g.insert(d.part_key(p), task(apply, deps));
                if p + 1 < d.npartitions() {
                    let pk = layer("groupby-cum-chunk", p);
                    let parts = vec![by.part_key(p), values.part_key(p)];
                    g.insert(pk.clone(), task(GroupRowsStep::CumPartial(*agg), parts));
                    let ck = layer("groupby-cum-carry", p);
                    let mut deps = vec![pk];
                    deps.extend(carry.take());
                    g.insert(ck.clone(), task(GroupRowsStep::CumCarry(*agg), deps));
                    carry = Some(ck);
                }
            }
        }
        _ => return Err(not_mine("group_rows")),
    }
    Ok(())
}

/// Spreads a grouped result over rows on a dask worker: each key's value.
const GROUP_LOOKUP: &str = r#"
def group_lookup(keys, grouped, name):
    """Each row's group value (missing where its key is missing or not a group)."""
    # A missing key has no group (pandas' dropna=True), whatever the grouping kept.
    return keys.map(grouped[grouped.index.notna()]).rename(name)
"#;

/// `transform`: the keys mapped to the grouped result (broadcast, one partition);
/// `cumsum` etc.: dask's groupby of the values and keys put side by side.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let name = string(&d.names()[0]);
    match d.op() {
        DfOp::GroupTransform { by, grouped } => {
            if by.kind() == Kind::Frame {
                return Err(Error::invalid(
                    "toDask: transform by several keys has no dask spelling here yet; group by one key",
                ));
            }
            let (k, gv) = (
                s.var(by.name())?.to_string(),
                s.var(grouped.name())?.to_string(),
            );
            s.helper(GROUP_LOOKUP);
            let meta = format!("({name}, {})", string(d.dtypes()[0].name()));
            Ok((
                "transform".into(),
                format!("{k}.map_partitions(group_lookup, {gv}, {name}, meta={meta})"),
            ))
        }
        DfOp::GroupCum { by, values, agg } => {
            if matches!(agg, CumAgg::Max | CumAgg::Min) {
                return Err(Error::invalid(format!(
                    "toDask: dask's groupby has no {} (only cumsum, cumprod and cumcount)",
                    agg.name()
                )));
            }
            let (k, v) = (
                s.var(by.name())?.to_string(),
                s.var(values.name())?.to_string(),
            );
            // dask groups a frame by its own columns: keys and values side by side.
            let keys: Vec<String> = match by.kind() {
                Kind::Frame => by
                    .names()
                    .iter()
                    .enumerate()
                    .map(|(i, n)| format!("{k}[{}].rename(\"__by{i}\")", string(n)))
                    .collect(),
                _ => vec![format!("{k}.rename(\"__by0\")")],
            };
            let names: Vec<String> = (0..keys.len()).map(|i| format!("\"__by{i}\"")).collect();
            Ok((
                "groupby_cum".into(),
                format!(
                    "dd.concat([{v}.rename(\"__values\"), {}], axis=1).groupby([{}])[\"__values\"].{}().rename({name})",
                    keys.join(", "),
                    names.join(", "),
                    agg.name()
                ),
            ))
        }
        _ => Err(not_mine("group_rows")),
    }
}

impl SeriesGroupBy {
    /// Each row's group aggregate, in the rows' order, as pandas'
    /// `df.groupby(k)[c].transform(agg)`: a series of the grouped frame's rows (missing
    /// where the key is missing).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::groupby::GroupAgg;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\n1,2\n2,5\n1,4\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let g = df.groupby(&df.col("k").unwrap()).unwrap().col("v").unwrap();
    /// let (_, mean) = g.transform(GroupAgg::Sum).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(mean, Column::Int64(vec![6, 5, 6]));
    /// ```
    pub fn transform(&self, agg: GroupAgg) -> Result<Series> {
        let grouped = self.aggregate(agg)?;
        Df::build(DfOp::GroupTransform {
            by: self.by.clone(),
            grouped,
        })
        .map(Series)
    }

    /// The running `agg` within each group, in the rows' order, as pandas'
    /// `df.groupby(k)[c].cumsum()` (and `cummax`, `cummin`, `cumprod`): missing values
    /// stay missing, a missing key gives a missing value.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::scan::CumAgg;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"k,v\n1,2\n2,5\n1,4\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let g = df.groupby(&df.col("k").unwrap()).unwrap().col("v").unwrap();
    /// let (_, run) = g.cumulative(CumAgg::Sum).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(run, Column::Int64(vec![2, 5, 6]));
    /// ```
    pub fn cumulative(&self, agg: CumAgg) -> Result<Series> {
        Df::build(DfOp::GroupCum {
            by: self.by.clone(),
            values: self.values.0.clone(),
            agg,
        })
        .map(Series)
    }
}
