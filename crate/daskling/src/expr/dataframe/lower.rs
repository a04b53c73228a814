//! Lowering dataframe expressions: one task per partition for frames and series, a
//! tree of partial → combine → aggregate tasks for scalars.

use std::sync::Arc;

use super::{arith, columns, datetime, groupby, io, reduce, Df, DfOp, Kind, SPLIT_EVERY};
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::dataframe::column::concat;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::ops::SeriesReduce;
use crate::kernels::dataframe::Frame;
use crate::kernels::{Kernel, Value};
use crate::scheduler::{self, Scheduler};

/// A task of a dataframe kernel.
pub(super) fn ftask(k: FrameKernel, deps: Vec<Key>) -> Task {
    Task::new(Kernel::Frame(k), deps)
}

/// Adds `d`'s tasks and returns the key of its whole value: the concatenated frame or
/// series, or the number.
pub(super) fn lower(d: &Df, g: &mut Graph) -> Result<Key> {
    lower_inputs(d, g)?;
    match d.kind() {
        Kind::Scalar => lower_scalar(d, g),
        Kind::Frame | Kind::Series => {
            lower_parts(d, g)?;
            let key = Key::named(format!("concat-{}", tokenize(d.name())));
            let deps = (0..d.npartitions()).map(|p| d.part_key(p)).collect();
            g.insert(key.clone(), ftask(FrameKernel::Concat, deps));
            Ok(key)
        }
    }
}

/// Whether `d`'s tasks are in `g`.
fn lowered(d: &Df, g: &Graph) -> bool {
    match d.kind() {
        Kind::Scalar => g.contains(&Key::named(d.name())),
        Kind::Frame | Kind::Series => d.npartitions() > 0 && g.contains(&d.part_key(0)),
    }
}

/// Lowers every input of `d` (not `d`), iteratively in post-order, so that lowering
/// each node finds its inputs' tasks there: an expression of 100,000 operations lowers
/// without deep recursion.
fn lower_inputs(root: &Df, g: &mut Graph) -> Result<()> {
    let mut stack: Vec<(Df, bool)> = root
        .op()
        .inputs()
        .into_iter()
        .map(|i| (i.clone(), false))
        .collect();
    while let Some((d, expanded)) = stack.pop() {
        if lowered(&d, g) {
            continue;
        }
        if !expanded {
            stack.push((d.clone(), true));
            for i in d.op().inputs() {
                if !lowered(i, g) {
                    stack.push((i.clone(), false));
                }
            }
            continue;
        }
        match d.kind() {
            Kind::Scalar => {
                lower_scalar(&d, g)?;
            }
            Kind::Frame | Kind::Series => lower_parts(&d, g)?,
        }
    }
    Ok(())
}

/// Adds the partition tasks of a frame or series whose inputs are lowered (every caller
/// runs [`lower_inputs`] first, so this never recurses); nothing when they are there.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    if g.contains(&d.part_key(0)) {
        return Ok(());
    }
    match d.op() {
        DfOp::ReadCsv { .. } => io::lower_parts(d, g),
        DfOp::Select { .. } | DfOp::Filter { .. } | DfOp::Assign { .. } | DfOp::Col { .. } => {
            columns::lower_parts(d, g)
        }
        DfOp::Binary { .. } | DfOp::Scalar { .. } | DfOp::Logical { .. } => {
            arith::lower_parts(d, g)
        }
        DfOp::DtField { .. } | DfOp::DtRound { .. } => datetime::lower_parts(d, g),
        DfOp::GroupAgg { .. } => groupby::lower_parts(d, g),
        DfOp::Describe { .. } => reduce::lower_parts(d, g),
        DfOp::Reduce { .. }
        | DfOp::Len { .. }
        | DfOp::ScalarBinary { .. }
        | DfOp::ScalarConst { .. } => Err(Error::invalid("a scalar has no partitions")),
    }
}

/// One task per partition of `d`: kernel `k` on partition `p` of each of `inputs`.
pub(super) fn each(g: &mut Graph, d: &Df, k: FrameKernel, inputs: &[&Df]) {
    for p in 0..d.npartitions() {
        let deps = inputs.iter().map(|i| i.part_key(p)).collect();
        g.insert(d.part_key(p), ftask(k.clone(), deps));
    }
}

/// Merge levels of a tree reduction over `layer` (partials, one key per partition):
/// tasks of `merge` over groups of [`SPLIT_EVERY`] until at most that many are left.
pub(super) fn merge_levels(
    g: &mut Graph,
    out: &Df,
    prefix: &str,
    merge: FrameKernel,
    mut layer: Vec<Key>,
) -> Vec<Key> {
    let token = tokenize(out.name());
    let mut level = 0u32;
    while layer.len() > SPLIT_EVERY {
        level += 1;
        let name = format!("{prefix}-{}", tokenize(&(&token, level)));
        layer = layer
            .chunks(SPLIT_EVERY)
            .enumerate()
            .map(|(j, group)| {
                let k = Key::new(name.as_str(), &[j as u32]);
                g.insert(k.clone(), ftask(merge.clone(), group.to_vec()));
                k
            })
            .collect();
    }
    layer
}

/// A tree reduction of `partials` (one key per partition) into `out`.
pub(super) fn tree(g: &mut Graph, out: &Df, op: SeriesReduce, ddof: f64, layer: Vec<Key>) -> Key {
    let layer = merge_levels(g, out, "combine", FrameKernel::Merge(op), layer);
    let key = Key::named(out.name());
    g.insert(key.clone(), ftask(FrameKernel::Finish { op, ddof }, layer));
    key
}

pub(super) fn lower_scalar(d: &Df, g: &mut Graph) -> Result<Key> {
    let key = Key::named(d.name());
    if g.contains(&key) {
        return Ok(key);
    }
    match d.op() {
        DfOp::Reduce { .. } | DfOp::Len { .. } => reduce::lower_scalar(d, g),
        DfOp::ScalarBinary { .. } | DfOp::ScalarConst { .. } => arith::lower_scalar(d, g),
        _ => Err(Error::invalid("not a scalar")),
    }
}

/// The first `n` rows: partitions (of small reads: `io::for_head`) are computed one at
/// a time, in order, until there are enough rows (only their files are read).
pub(super) fn head(d: &Df, n: usize, s: Scheduler) -> Result<Frame> {
    if d.kind() == Kind::Scalar {
        return Err(Error::invalid("head of a scalar"));
    }
    let d = &io::for_head(d)?;
    let mut g = Graph::new();
    lower_inputs(d, &mut g)?;
    lower_parts(d, &mut g)?;
    let mut parts: Vec<Frame> = vec![];
    let mut rows = 0;
    for p in 0..d.npartitions() {
        if rows >= n && !parts.is_empty() {
            break;
        }
        let key = d.part_key(p);
        let sub = g.optimize(std::slice::from_ref(&key))?;
        let v = scheduler::compute(&sub, &[key], s)?;
        let Some(Value::Frame(f)) = v.into_iter().next() else {
            return Err(Error::invalid("a partition gave no frame"));
        };
        rows += f.len();
        parts.push(Arc::unwrap_or_clone(f));
    }
    let refs: Vec<&Frame> = parts.iter().collect();
    let all = concat("head", &refs)?;
    Ok(Frame {
        names: all.names.clone(),
        columns: all.columns.iter().map(|c| c.head(n)).collect(),
        index: all
            .index
            .as_ref()
            .map(|i| Arc::new((i.0.clone(), i.1.head(n)))),
    })
}
