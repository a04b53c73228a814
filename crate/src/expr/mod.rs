//! Lazy collections: expressions with their metadata known at once, lowered to task
//! graphs on compute.

pub mod array;
pub mod delayed;

use crate::error::Result;
use crate::graph::{Graph, Key};
use crate::kernels::Value;
use crate::scheduler::{self, Progress, Scheduler, Stats};

/// Anything that can be turned into tasks of a graph.
pub trait Lazy {
    /// Adds this value's tasks to `graph` (tasks already there are shared) and returns
    /// the key holding the final value.
    fn lower(&self, graph: &mut Graph) -> Result<Key>;

    /// This value's task graph, optimized, and the key of its result.
    fn graph(&self) -> Result<(Graph, Key)> {
        let mut g = Graph::new();
        let key = self.lower(&mut g)?;
        let g = g.optimize(std::slice::from_ref(&key))?;
        Ok((g, key))
    }
}

/// Lowers several lazy values into one graph, optimizes it and runs it: work common to
/// several values (the same key) is done once.
pub fn compute_values(
    items: &[&dyn Lazy],
    scheduler: Scheduler,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<(Vec<Value>, Stats)> {
    let mut g = Graph::new();
    let keys = items
        .iter()
        .map(|x| x.lower(&mut g))
        .collect::<Result<Vec<_>>>()?;
    let g = g.optimize(&keys)?;
    scheduler::compute_with(&g, &keys, scheduler, on_progress)
}
