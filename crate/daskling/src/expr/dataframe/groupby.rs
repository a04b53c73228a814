//! Groupby aggregations: partials per partition merged up a tree, finished into a
//! frame or series indexed by the sorted keys — or, grouped by several keys (`by` a
//! frame of key columns), a frame of the key columns then the values, sorted by the
//! keys (pandas' `.reset_index()` of its MultiIndex result).

use std::sync::Arc;

use super::tasks::{ftask, merge_levels};
use super::{need, not_mine, same_rows, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{float, list, string, Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::kernel::GroupSpec;
use crate::kernels::dataframe::Dtype;

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
            if by.0.kind == Kind::Scalar || by.0.names.is_empty() {
                return Err(Error::invalid(
                    "groupby needs a key series, or a frame of key columns",
                ));
            }
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
            let rows = format!("group-{}", tokenize(&(&by.0.rows, &by.0.name)));
            let (kind, names, dtypes) = if by.0.kind == Kind::Frame {
                // Several keys: their columns first.
                for n in names {
                    if by.0.names.contains(n) {
                        return Err(Error::invalid(format!(
                            "groupby: {n} is both a key and an aggregated column"
                        )));
                    }
                }
                let mut all = by.0.names.clone();
                all.extend(names.iter().cloned());
                let mut types = by.0.dtypes.clone();
                types.extend(dts);
                (Kind::Frame, all, types)
            } else if *frame {
                (Kind::Frame, names.clone(), dts)
            } else {
                (Kind::Series, names.clone(), dts)
            };
            Meta {
                prefix: "groupby",
                kind,
                names,
                dtypes,
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
            let keys: Vec<(String, Dtype)> = if by.kind() == Kind::Frame {
                by.names()
                    .iter()
                    .cloned()
                    .zip(by.dtypes().iter().copied())
                    .collect()
            } else {
                vec![d
                    .index()
                    .cloned()
                    .ok_or_else(|| Error::invalid("groupby without a key"))?]
            };
            let skip = if by.kind() == Kind::Frame {
                keys.len()
            } else {
                0
            };
            let spec = GroupSpec {
                keys,
                values: names
                    .iter()
                    .zip(aggs)
                    .zip(&d.dtypes()[skip..])
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
    // Several keys: the list of the key frame's columns (dask's result has a
    // MultiIndex; `dask_finish` sorts it and makes its levels columns).
    let by_var = if by.kind() == Kind::Frame {
        let cols: Vec<String> = by
            .names()
            .iter()
            .map(|n| format!("{by_var}[{}]", string(n)))
            .collect();
        format!("[{}]", cols.join(", "))
    } else {
        by_var
    };
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
            "{}.groupby({by_var}).{}({}).rename({})",
            var(s, v)?,
            a.name(),
            agg_args(a),
            string(&names[0])
        );
        return Ok(("groupby".into(), code));
    }
    if aggs.iter().any(|a| a.takes_ddof()) && *ddof != 1.0 {
        return Err(Error::invalid(
            "toDask: std or var with ddof other than 1 inside agg() has no dask spelling; \
             aggregate that column on its own",
        ));
    }
    let mut cols = names
        .iter()
        .zip(values)
        .map(|(n, v)| Ok(format!("{}.rename({})", var(s, v)?, string(n))))
        .collect::<Result<Vec<_>>>()?;
    let spec: Vec<String> = names
        .iter()
        .zip(aggs)
        .map(|(n, a)| format!("{}: {}", string(n), string(a.name())))
        .collect();
    if let Some(a) = aggs.iter().find(|a| **a == GroupAgg::Nunique) {
        return Err(Error::invalid(format!(
            "toDask: {} inside agg() has no dask spelling; aggregate that column on its own \
             (g.col(c).nunique())",
            a.name()
        )));
    }
    // dask groups a frame by its own columns, not by series derived elsewhere: the keys
    // join the values and are grouped by name (one key under its own name unless a
    // value has it).
    let by_var = if by.kind() == Kind::Frame {
        cols.insert(0, var(s, by)?);
        let keys: Vec<String> = by.names().iter().map(|n| string(n)).collect();
        format!("[{}]", keys.join(", "))
    } else if !names.contains(&by.names()[0]) {
        let key = string(&by.names()[0]);
        cols.insert(0, format!("{by_var}.rename({key})"));
        key
    } else {
        by_var
    };
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
            DfOp::GroupAgg { by, .. } if by.kind() == Kind::Frame => {
                return Some("sort_index().reset_index")
            }
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
