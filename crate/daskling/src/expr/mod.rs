//! Lazy collections: expressions with their metadata known at once, lowered to task
//! graphs on compute.

pub mod array;
pub mod dataframe;
pub mod delayed;
pub mod js;
mod wire;

pub use wire::{Expr, Wire, WireNode};

use crate::error::Result;
use crate::graph::{Graph, Key};
use crate::kernels::Value;
use crate::scheduler::{self, Plan, Progress, Scheduler, Stats, Trace};

/// The internal error of an operation family's `meta` or `lower` given another
/// family's operation (the dispatchers make it unreachable).
fn not_mine(family: &str) -> crate::Error {
    crate::Error::invalid(format!("internal: not a {family} operation"))
}

/// Anything that can be turned into tasks of a graph.
pub trait Lazy {
    /// Adds this value's tasks to `graph` (tasks already there are shared) and returns
    /// the key holding the final value.
    fn lower(&self, graph: &mut Graph) -> Result<Key>;

    /// This value's task graph, optimized, and the key of its result.
    fn graph(&self) -> Result<(Graph, Key)>
    where
        Self: Sized,
    {
        let (g, mut keys) = optimized_graph(&[self as &dyn Lazy])?;
        let key = keys
            .pop()
            .ok_or_else(|| crate::Error::invalid("no output key"))?;
        Ok((g, key))
    }
}

/// Lowers several lazy values into one graph (shared tasks once) and optimizes it for
/// their output keys, which are returned in order.
pub fn optimized_graph(items: &[&dyn Lazy]) -> Result<(Graph, Vec<Key>)> {
    let mut g = Graph::new();
    let keys = items
        .iter()
        .map(|x| x.lower(&mut g))
        .collect::<Result<Vec<_>>>()?;
    let g = g.into_optimized(&keys)?;
    Ok((g, keys))
}

/// Lowers several lazy values into one graph, optimizes it and runs it: work common to
/// several values (the same key) is done once.
pub fn compute_values(
    items: &[&dyn Lazy],
    scheduler: Scheduler,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<(Vec<Value>, Stats)> {
    compute_values_traced(items, scheduler, on_progress, None)
}

/// As [`compute_values`], every task recording its run in `trace` (the task stream).
pub fn compute_values_traced(
    items: &[&dyn Lazy],
    scheduler: Scheduler,
    on_progress: &mut dyn FnMut(Progress),
    trace: Option<&Trace>,
) -> Result<(Vec<Value>, Stats)> {
    let (g, keys) = optimized_graph(items)?;
    let plan = Plan::new(&g, &keys)?;
    scheduler::run_plan(&plan, scheduler, on_progress, trace)
}
