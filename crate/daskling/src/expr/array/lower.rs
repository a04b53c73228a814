//! Lowering array expressions to tasks: one task per output block, named
//! `(layer name, block index)`, depending on the input blocks it needs. This module
//! walks the expression; the tasks of each operation are made by its family
//! ([`super::family`]).

use super::tasks::MAX_BLOCK_ELEMENTS;
use super::{family, Array};
use crate::error::{Error, Result};
use crate::expr::walk::post_order;
use crate::graph::{Graph, Key};

/// An error when a block of `a` would exceed [`MAX_BLOCK_ELEMENTS`].
fn check_block_sizes(a: &Array) -> Result<()> {
    let largest: Vec<usize> = a
        .chunks()
        .iter()
        .map(|c| c.iter().copied().max().unwrap_or(0))
        .collect();
    let n = largest
        .iter()
        .try_fold(1usize, |acc, &x| acc.checked_mul(x));
    match n {
        Some(n) if n <= MAX_BLOCK_ELEMENTS => Ok(()),
        _ => Err(Error::invalid(format!(
            "{}: blocks of shape {largest:?} are too large (over 2 GiB); use smaller chunks",
            a.name()
        ))),
    }
}

/// Adds the tasks of every block of `root` (and of its inputs) to `g`; nothing for
/// arrays whose tasks are there already. Iterative, in post-order: an expression of
/// 100,000 operations lowers without deep recursion. Each operation's tasks come from
/// its family's module.
pub(super) fn lower_blocks(root: &Array, g: &mut Graph) -> Result<()> {
    let inputs = |a: &Array| a.op().inputs().into_iter().cloned().collect();
    let lowered = |g: &Graph, a: &Array| a.npartitions() > 0 && g.contains(&first_key(a));
    post_order(g, [root.clone()], inputs, lowered, |g, a| {
        check_block_sizes(&a)?;
        (family(a.op()).lower)(&a, g)
    })
}

fn first_key(a: &Array) -> Key {
    a.block_key(&vec![0; a.ndim()])
}
