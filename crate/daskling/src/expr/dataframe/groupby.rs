//! Groupby aggregations: partials per partition merged up a tree, finished into a
//! frame or series indexed by the sorted keys.

use std::sync::Arc;

use super::tasks::{ftask, merge_levels};
use super::{need, not_mine, same_rows, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key};
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
