//! Lowering dataframe expressions: one task per partition for frames and series, a
//! tree of partial → combine → aggregate tasks for scalars.

use std::sync::Arc;

use super::tasks::{ftask, scalar_key};
use super::{family, Df, Kind};
use crate::error::{Error, Result};
use crate::expr::walk::post_order;
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::column::concat;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::Frame;
use crate::kernels::Value;
use crate::scheduler::{self, Scheduler};

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

/// Adds the tasks of frame or series `d`; the keys of its partitions, in order (what
/// `persist` keeps).
pub(super) fn lower_partitions(d: &Df, g: &mut Graph) -> Result<Vec<Key>> {
    lower_inputs(d, g)?;
    lower_parts(d, g)?;
    Ok((0..d.npartitions()).map(|p| d.part_key(p)).collect())
}

/// Whether `d`'s tasks are in `g`.
fn lowered(d: &Df, g: &Graph) -> bool {
    match d.kind() {
        Kind::Scalar => g.contains(&scalar_key(d)),
        Kind::Frame | Kind::Series => d.npartitions() > 0 && g.contains(&d.part_key(0)),
    }
}

/// Lowers every input of `d` (not `d`), iteratively in post-order, so that lowering
/// each node finds its inputs' tasks there: an expression of 100,000 operations lowers
/// without deep recursion.
fn lower_inputs(root: &Df, g: &mut Graph) -> Result<()> {
    let inputs = |d: &Df| d.op().inputs().into_iter().cloned().collect();
    post_order(
        g,
        inputs(root),
        inputs,
        |g, d| lowered(d, g),
        |g, d| match d.kind() {
            Kind::Scalar => lower_scalar(&d, g).map(drop),
            Kind::Frame | Kind::Series => lower_parts(&d, g),
        },
    )
}

/// Adds the partition tasks of a frame or series whose inputs are lowered (every caller
/// runs [`lower_inputs`] first, so this never recurses); nothing when they are there.
fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    if g.contains(&d.part_key(0)) {
        return Ok(());
    }
    (family(d.op()).lower_parts)(d, g)
}

/// Adds the tasks of a scalar whose inputs are lowered; returns its key.
fn lower_scalar(d: &Df, g: &mut Graph) -> Result<Key> {
    let key = scalar_key(d);
    if g.contains(&key) {
        return Ok(key);
    }
    (family(d.op()).lower_scalar)(d, g)
}

/// The first `n` rows: partitions (of small reads: `io::for_head`) are computed one at
/// a time, in order, until there are enough rows (only their files are read).
pub(super) fn head(d: &Df, n: usize, s: Scheduler) -> Result<Frame> {
    if d.kind() == Kind::Scalar {
        return Err(Error::invalid("head of a scalar"));
    }
    let d = &super::io::for_head(d)?;
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
