//! What every family's lowering uses to make tasks — one task per partition, the merge
//! levels of tree reductions — in a leaf module (it uses no other family nor the walk in
//! `lower`), so that the families and the walk do not depend on each other.

use super::{Df, SPLIT_EVERY};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::ops::SeriesReduce;
use crate::kernels::Kernel;

/// A task of a dataframe kernel.
pub(super) fn ftask(k: FrameKernel, deps: Vec<Key>) -> Task {
    Task::new(Kernel::Frame(k), deps)
}

/// The key of a scalar's value (its inputs are lowered before it, so it is there).
pub(super) fn scalar_key(d: &Df) -> Key {
    Key::named(d.name())
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
