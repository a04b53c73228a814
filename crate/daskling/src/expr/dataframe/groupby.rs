//! Groupby aggregations: partials per partition merged up a tree, finished into a
//! frame or series indexed by the sorted keys.

use std::sync::Arc;

use super::tasks::{ftask, merge_levels};
use super::{need, not_mine, same_rows, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{float, list, string, Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::kernel::GroupSpec;

/// Names, dtypes, partitions and rows of a groupby operation.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    Ok(match op {
        DfOp::GroupAgg {
            by,
            values,
            names,
            aggs,
            frame,
            ..
        } => {
            need(by, Kind::Series, "groupby")?;
            if values.is_empty() || values.len() != aggs.len() || names.len() != aggs.len() {
                return Err(Error::invalid(
                    "groupby: one value series and name per aggregation",
                ));
            }
            if !frame && values.len() != 1 {
                return Err(Error::invalid(
                    "groupby: a series result has one aggregation",
                ));
            }
            let mut dts = vec![];
            for (v, a) in values.iter().zip(aggs) {
                need(v, Kind::Series, a.name())?;
                same_rows(by, v, "groupby")?;
                dts.push(a.dtype(v.0.dtypes[0])?);
            }
            let kind = if *frame { Kind::Frame } else { Kind::Series };
            let rows = format!("group-{}", tokenize(&(&by.0.rows, &by.0.name)));
            Meta {
                prefix: "groupby",
                kind,
                names: names.clone(),
                dtypes: dts,
                npartitions: 1,
                rows: Some(rows),
            }
        }
        _ => return Err(not_mine("groupby")),
    })
}

/// Adds the partition tasks of `d`, a groupby operation whose inputs are lowered.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    match d.op() {
        DfOp::GroupAgg {
            by,
            values,
            names,
            aggs,
            ddof,
            by_count_desc,
            ..
        } => {
            let token = tokenize(d.name());
            let layer = format!("groupby-chunk-{token}");
            let parts: Vec<Key> = (0..by.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    let mut deps = vec![by.part_key(p)];
                    deps.extend(values.iter().map(|v| v.part_key(p)));
                    g.insert(
                        k.clone(),
                        ftask(FrameKernel::GroupPartial(aggs.clone()), deps),
                    );
                    k
                })
                .collect();
            let parts = merge_levels(
                g,
                d,
                "groupby-combine",
                FrameKernel::GroupMerge(aggs.clone()),
                parts,
            );
            let key = d
                .index()
                .cloned()
                .ok_or_else(|| Error::invalid("groupby without a key"))?;
            let spec = GroupSpec {
                key,
                values: names
                    .iter()
                    .zip(aggs)
                    .zip(d.dtypes())
                    .map(|((n, a), t)| (n.clone(), *a, *t))
                    .collect(),
                ddof: *ddof,
                by_count_desc: *by_count_desc,
            };
            g.insert(
                d.part_key(0),
                ftask(FrameKernel::GroupFinish(Arc::new(spec)), parts),
            );
        }
        _ => return Err(not_mine("groupby")),
    }
    Ok(())
}

/// The `dask.dataframe` line of a group aggregation: `v.groupby(by).mean()`,
/// `by.value_counts()`, or for several columns `dd.concat([...], axis=1).groupby(by)
/// .agg({...})`.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::GroupAgg {
        by,
        values,
        names,
        aggs,
        ddof,
        by_count_desc,
        frame,
    } = d.op()
    else {
        return Err(not_mine("groupby"));
    };
    let var = |s: &Script, x: &Df| s.var(x.name()).map(str::to_string);
    let by_var = var(s, by)?;
    let agg_args = |a: &GroupAgg| {
        if a.takes_ddof() {
            format!("ddof={}", float(*ddof))
        } else {
            String::new()
        }
    };
    if *by_count_desc {
        return Ok(("value_counts".into(), format!("{by_var}.value_counts()")));
    }
    if !*frame {
        let (Some(v), Some(a)) = (values.first(), aggs.first()) else {
            return Err(Error::invalid("toDask: a groupby without values"));
        };
        let code = format!(
            "{}.groupby({by_var}).{}({})",
            var(s, v)?,
            a.name(),
            agg_args(a)
        );
        return Ok(("groupby".into(), code));
    }
    if aggs.iter().any(|a| a.takes_ddof()) && *ddof != 1.0 {
        return Err(Error::invalid(
            "toDask: std or var with ddof other than 1 inside agg() has no dask spelling; \
             aggregate that column on its own",
        ));
    }
    let cols = names
        .iter()
        .zip(values)
        .map(|(n, v)| Ok(format!("{}.rename({})", var(s, v)?, string(n))))
        .collect::<Result<Vec<_>>>()?;
    let spec: Vec<String> = names
        .iter()
        .zip(aggs)
        .map(|(n, a)| format!("{}: {}", string(n), string(a.name())))
        .collect();
    let code = format!(
        "dd.concat({}, axis=1).groupby({by_var}).agg({{{}}})",
        list(&cols),
        spec.join(", ")
    );
    Ok(("groupby".into(), code))
}

/// What a computed value needs to equal daskling's: a result indexed by group keys (a
/// groupby, or arithmetic on groupbys) is sorted by key, as daskling sorts it.
pub(super) fn dask_finish(d: &Df) -> Option<&'static str> {
    let mut stack = vec![d];
    while let Some(x) = stack.pop() {
        match x.op() {
            DfOp::GroupAgg { by_count_desc, .. } => {
                return (!by_count_desc).then_some("sort_index")
            }
            DfOp::Binary { .. } | DfOp::Scalar { .. } | DfOp::Logical { .. } => {
                stack.extend(x.op().inputs())
            }
            _ => {}
        }
    }
    None
}
