//! Lazy collections: expressions with their metadata known at once, lowered to task
//! graphs on compute.

pub mod array;
pub mod dask;
pub mod dataframe;
pub mod delayed;
pub mod js;
pub mod js_value;
pub mod stored;
mod walk;
mod wire;

pub use wire::{Expr, Wire, WireNode};

use std::sync::Arc;

use crate::error::Result;
use crate::graph::{Graph, Key};
use crate::kernels::Value;
use crate::scheduler::{self, MemoryLimit, Plan, Progress, Scheduler, Stats, Trace};

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

    /// What computing this value needs in memory, as far as is known before it runs.
    fn needs(&self) -> Needs {
        Needs::default()
    }

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

/// Memory a lazy value is known to need before it runs (0 where unknown): the
/// schedulers count the rest as results appear (see [`MemoryLimit`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// Bytes of the computed value (a whole array's).
    pub result: u64,
    /// Bytes of the largest block any of its tasks makes.
    pub block: u64,
}

/// How a compute runs.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Which scheduler.
    pub scheduler: Scheduler,
    /// Where tasks record their runs (the task stream), if anywhere.
    pub trace: Option<Arc<Trace>>,
    /// The clock of heartbeats and time slices (see [`scheduler::Run::clock`]).
    pub clock: Option<crate::scheduler::Clock>,
    /// The most bytes held at once (`None`: no limit), `held` included.
    pub memory_limit: Option<u64>,
    /// Bytes held before the compute (persisted arrays, data).
    pub held: u64,
    /// Shared by the computes of one context running at once: `memory_limit` bounds
    /// what they hold together (see [`scheduler::Budget`]).
    pub budget: Option<Arc<scheduler::Budget>>,
    /// Each output settles on its own, as futures do (see
    /// [`scheduler::Run::settle`]): a failed output's value is its failure
    /// ([`scheduler::failure`]) and the others are computed.
    pub settle: bool,
    /// Cancels the compute when cancelled: it ends with [`crate::Error::Cancelled`] soon
    /// after, and the pool, persisted arrays and other computes are untouched.
    pub cancel: Option<crate::cancel::CancelToken>,
}

impl RunOptions {
    /// The scheduler's run of these options, within `limit`.
    pub(crate) fn run(&self, limit: MemoryLimit) -> scheduler::Run {
        scheduler::Run {
            scheduler: self.scheduler,
            trace: self.trace.clone(),
            clock: self.clock,
            limit,
            budget: self.budget.clone(),
            settle: self.settle,
            cancel: self.cancel.clone(),
        }
    }
}

/// The limit `items` run within, or an error before anything runs when their results
/// or one of their blocks cannot fit.
fn limit_for(items: &[&dyn Lazy], options: &RunOptions) -> Result<MemoryLimit> {
    let Some(bytes) = options.memory_limit else {
        return Ok(MemoryLimit::NONE);
    };
    let needs: Vec<Needs> = items.iter().map(|x| x.needs()).collect();
    let result = needs
        .iter()
        .map(|n| n.result)
        .fold(0u64, u64::saturating_add);
    let block = needs.iter().map(|n| n.block).max().unwrap_or(0);
    let limit = MemoryLimit::new(bytes)
        .with_held(options.held)
        .with_per_task(block);
    let size = crate::error::bytes;
    if limit.over(result) {
        let what = format!("the computed result ({})", size(result));
        return Err(limit.exceeded(what, result));
    }
    if limit.over(block) {
        return Err(limit.exceeded(format!("one block ({})", size(block)), block));
    }
    Ok(limit)
}

/// Starts running graph `g` for its output `keys` (a persist: every part of one value),
/// optimized, within `limit`; outputs do not settle on their own.
fn start_graph(
    g: Graph,
    keys: Vec<Key>,
    limit: MemoryLimit,
    options: &RunOptions,
) -> Result<scheduler::Execution> {
    let g = g.into_optimized(&keys)?;
    let plan = Plan::new(&g, &keys)?;
    let run = RunOptions {
        settle: false,
        ..options.clone()
    }
    .run(limit);
    Ok(scheduler::Execution::start(Arc::new(plan), run))
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
    let options = RunOptions {
        scheduler,
        ..RunOptions::default()
    };
    compute_values_with(items, &options, on_progress)
}

/// As [`compute_values`], run as `options` say: with a memory limit, a compute whose
/// results or blocks cannot fit fails before it starts, and one whose held results
/// grow past it fails naming the task.
///
/// ```
/// use daskling::expr::{compute_values_with, Lazy, RunOptions};
/// use daskling::{Array, ChunkSpec};
/// let x = Array::ones(&[1000, 1000], ChunkSpec::Block(vec![100, 100])).unwrap();
/// let options = RunOptions { memory_limit: Some(1_000_000), ..RunOptions::default() };
/// // The whole array is 8 MB: over the limit before anything runs.
/// let e = compute_values_with(&[&x as &dyn Lazy], &options, &mut |_| {}).unwrap_err();
/// assert!(e.to_string().contains("the computed result (8.00 MB)"), "{e}");
/// // Its sum holds a few 80 kB blocks at a time.
/// let s = x.sum(None).unwrap();
/// let (_, stats) = compute_values_with(&[&s as &dyn Lazy], &options, &mut |_| {}).unwrap();
/// assert!(stats.peak_bytes < 1_000_000);
/// ```
pub fn compute_values_with(
    items: &[&dyn Lazy],
    options: &RunOptions,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<(Vec<Value>, Stats)> {
    start_values(items, options)?.finish(on_progress)
}

/// As [`compute_values_with`], started but not run: the caller polls the
/// [`Execution`](scheduler::Execution) (between other work, or other computes).
///
/// ```
/// use daskling::expr::{start_values, Lazy, RunOptions};
/// use daskling::{Array, ChunkSpec};
/// let x = Array::ones(&[100], ChunkSpec::Block(vec![10])).unwrap();
/// let s = x.sum(None).unwrap();
/// let mut run = start_values(&[&s as &dyn Lazy], &RunOptions::default()).unwrap();
/// let out = loop {
///     if let Some(out) = run.poll(None, &mut |_| {}) {
///         break out.unwrap().0;
///     }
/// };
/// // The sum: a 0-d block holding 100.
/// let daskling::kernels::Value::Block(b) = &out[0] else { panic!("{:?}", out[0]) };
/// assert_eq!(b.first(), Some(&100.0));
/// ```
pub fn start_values(items: &[&dyn Lazy], options: &RunOptions) -> Result<scheduler::Execution> {
    let limit = limit_for(items, options)?;
    let (g, keys) = optimized_graph(items)?;
    let plan = Plan::new(&g, &keys)?;
    Ok(scheduler::Execution::start(
        Arc::new(plan),
        options.run(limit),
    ))
}
