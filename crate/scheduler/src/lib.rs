//! Schedulers: run a task graph and return the values of the requested keys.
//!
//! Both schedulers free an intermediate value as soon as its last dependent has run,
//! report [`Progress`], and turn the first failing task into an [`Error`] for that
//! compute only: nothing is left poisoned, and the next compute works.
//!
//! ```
//! use daskling_graph::{Graph, Key, Task};
//! use daskling_kernels::{Kernel, Value};
//! use daskling_scheduler::{compute, Scheduler};
//!
//! let mut g = Graph::new();
//! g.insert(Key::named("one"), Task::new(Kernel::Literal(Value::F64(1.0)), vec![]));
//! let out = compute(&g, &[Key::named("one")], Scheduler::Threads).unwrap();
//! assert!(matches!(out[0], Value::F64(x) if x == 1.0));
//! ```

// Unit tests run in headless Chromium as well as natively (wasm-pack test).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(feature = "bench-graphs")]
#[doc(hidden)]
pub mod bench;
mod exec;
mod fair;
mod memory;
mod plan;
mod remote;
mod sync;
mod threads;
pub mod trace;
mod wake;

pub use exec::Execution;
pub use memory::{Budget, MemoryLimit};
pub use plan::Plan;
pub use sync::State;
pub use trace::{Clock, TaskEvent, Trace};
pub use wake::{wait, Ticket};

use std::sync::Arc;

use serde::Serialize;

use daskling_core::cancel::CancelToken;
use daskling_core::{Error, Result};
use daskling_graph::{Graph, Key};
use daskling_kernels::Value;

/// Which scheduler runs a graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scheduler {
    /// One thread, the caller's, in an order that frees intermediates early.
    Sync,
    /// The rayon thread pool (Web Workers in the browser). Where there is only one thread
    /// (wasm without atomics) this runs as [`Scheduler::Sync`].
    #[default]
    Threads,
}

/// How far a compute has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Tasks finished.
    pub done: usize,
    /// Tasks in the (optimized) graph.
    pub total: usize,
    /// Tasks running now.
    pub running: usize,
}

/// Facts about one compute, for tests and benchmarks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Tasks run.
    pub tasks: usize,
    /// Most task results held in memory at once.
    pub peak_live: usize,
    /// Most bytes of task results held at once ([`Value::nbytes`]).
    pub peak_bytes: u64,
    /// Distinct pool threads that ran at least one task (1 for [`Scheduler::Sync`]).
    pub threads_used: usize,
}

/// Computes `outputs` of `graph` (as given: optimize first if wanted).
///
/// ```
/// use daskling_graph::{Graph, Key, Task};
/// use daskling_kernels::{Kernel, Value};
/// use daskling_scheduler::{compute, Scheduler};
/// let mut g = Graph::new();
/// g.insert(Key::named("x"), Task::new(Kernel::Literal(Value::F64(2.0)), vec![]));
/// // A missing output is an error, not an empty result.
/// assert!(compute(&g, &[Key::named("y")], Scheduler::Sync).is_err());
/// assert_eq!(compute(&g, &[Key::named("x")], Scheduler::Threads).unwrap().len(), 1);
/// ```
pub fn compute(graph: &Graph, outputs: &[Key], scheduler: Scheduler) -> Result<Vec<Value>> {
    compute_with(graph, outputs, scheduler, &mut |_| {}).map(|(v, _)| v)
}

/// Computes `outputs` of `graph`, calling `on_progress` on the calling thread while it runs.
///
/// ```
/// use daskling_graph::{Graph, Key, Task};
/// use daskling_kernels::{Kernel, Value};
/// use daskling_scheduler::{compute_with, Scheduler};
/// let mut g = Graph::new();
/// for i in 0..100 {
///     g.insert(Key::new("leaf", &[i]), Task::new(Kernel::Literal(Value::F64(i as f64)), vec![]));
/// }
/// let keys: Vec<Key> = (0..100).map(|i| Key::new("leaf", &[i])).collect();
/// let mut seen = vec![];
/// let (values, stats) = compute_with(&g, &keys, Scheduler::Threads, &mut |p| seen.push(p.done)).unwrap();
/// assert_eq!((values.len(), stats.tasks), (100, 100));
/// assert_eq!(seen.last(), Some(&100));
/// ```
pub fn compute_with(
    graph: &Graph,
    outputs: &[Key],
    scheduler: Scheduler,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<(Vec<Value>, Stats)> {
    let plan = Plan::new(graph, outputs)?;
    let run = Run {
        scheduler,
        ..Run::default()
    };
    run_plan(Arc::new(plan), run, on_progress)
}

/// How a plan runs.
#[derive(Clone, Default)]
pub struct Run {
    /// Which scheduler.
    pub scheduler: Scheduler,
    /// Where every task records its [`TaskEvent`], if anywhere.
    pub trace: Option<Arc<Trace>>,
    /// The clock of heartbeats and of [`Execution::poll`]'s time slices, in
    /// milliseconds (the default: the trace's default clock).
    pub clock: Option<Clock>,
    /// What the held results may add up to.
    pub limit: MemoryLimit,
    /// Shared by the computes running at once: `limit` bounds what they hold together
    /// (see [`Budget`]; `None`: this run's own bytes only).
    pub budget: Option<Arc<Budget>>,
    /// Each output settles on its own, as futures do: a failed task fails only the tasks
    /// that depend on it (their value is the failure, see [`failure`]) and the rest run
    /// on. Otherwise the first failure ends the compute.
    pub settle: bool,
    /// Cancels the compute when cancelled (from any thread): no task is dispatched
    /// after, running kernels stop at their next block ([`daskling_core::cancel`]), and
    /// the run ends with [`Error::Cancelled`].
    pub cancel: Option<CancelToken>,
}

impl Run {
    /// Milliseconds by this run's clock.
    fn now(&self) -> f64 {
        self.clock.map_or_else(trace::default_clock, |c| c())
    }
}

/// Locks `m`, ignoring poisoning: a panic is turned into a task error before it can
/// unwind through a lock, and the data behind the scheduler's locks stays consistent.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A failed task's value in a settled run ([`Run::settle`]).
struct Failed(Error);

/// The error of a failed task's value in a settled run, or `None` for a result.
///
/// ```
/// use daskling_graph::{Graph, Key, Task};
/// use daskling_kernels::{Func, Kernel, Value};
/// use daskling_scheduler::{failure, run_plan, Plan, Run, Scheduler};
/// use std::sync::Arc;
/// let boom = Kernel::Func(Func { name: "boom".into(), body: Arc::new(|_: &[Value]| Err("no".to_string())) });
/// let mut g = Graph::new();
/// g.insert(Key::named("bad"), Task::new(boom, vec![]));
/// g.insert(Key::named("good"), Task::new(Kernel::Literal(Value::F64(1.0)), vec![]));
/// let plan = Plan::new(&g, &[Key::named("bad"), Key::named("good")]).unwrap();
/// let run = Run { scheduler: Scheduler::Threads, settle: true, ..Run::default() };
/// let (values, _) = run_plan(Arc::new(plan), run, &mut |_| {}).unwrap();
/// assert_eq!(failure(&values[0]).unwrap().to_string(), "task bad failed: no");
/// assert!(failure(&values[1]).is_none());
/// ```
pub fn failure(value: &Value) -> Option<&Error> {
    match value {
        Value::Any(a) => a.downcast_ref::<Failed>().map(|f| &f.0),
        _ => None,
    }
}

/// Runs a compiled plan as `run` says, to the end, on the calling thread (which reads
/// the inputs and reports progress); see [`Execution`] for a run that returns between
/// slices.
pub fn run_plan(
    plan: Arc<Plan>,
    run: Run,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<(Vec<Value>, Stats)> {
    Execution::start(plan, run).finish(on_progress)
}

/// The error a run ends with: [`Error::Cancelled`] once its token is cancelled (a kernel
/// that noticed first may have failed its task), else `e`.
fn cancelled_or(run: &Run, e: Error) -> Error {
    match &run.cancel {
        Some(t) if t.is_cancelled() => Error::Cancelled,
        _ => e,
    }
}

/// Runs task `i` as `execute` does, in a settled run turning a failure into a failed
/// value, and passing on a failed input's failure without running the task.
fn execute_settled(
    plan: &Plan,
    i: usize,
    inputs: &[Value],
    trace: Option<&Trace>,
    settle: bool,
) -> Result<Value> {
    if !settle {
        return execute(plan, i, inputs, trace);
    }
    if let Some(failed) = inputs.iter().find(|v| failure(v).is_some()) {
        return Ok(failed.clone());
    }
    settled(execute(plan, i, inputs, trace), true)
}

/// A task's result as a settled run keeps it (a failure as a failed value) or not.
fn settled(r: Result<Value>, settle: bool) -> Result<Value> {
    if settle {
        Ok(r.unwrap_or_else(|e| Value::any(Failed(e))))
    } else {
        r
    }
}

/// Records task `i`, run by `worker` (-1: the calling thread) from `start`, in `trace`.
fn record(trace: &Trace, plan: &Plan, i: usize, worker: i32, start: f64) {
    trace.push(TaskEvent {
        prefix: plan.keys[i].prefix().to_string(),
        worker,
        start,
        end: trace.now(),
    });
}

/// Runs task `i` of `plan` on `inputs`, recording it in `trace` when there is one.
fn execute(plan: &Plan, i: usize, inputs: &[Value], trace: Option<&Trace>) -> Result<Value> {
    let Some(trace) = trace else {
        return execute_task(plan, i, inputs);
    };
    let start = trace.now();
    let r = execute_task(plan, i, inputs);
    let worker = rayon::current_thread_index().map_or(-1, |t| t as i32);
    record(trace, plan, i, worker, start);
    r
}

/// Runs task `i` of `plan` on `inputs`. Where panics unwind (natively, and the threaded
/// wasm build) a panic in a kernel or closure becomes a task error; where they abort
/// (the single wasm build) the client restarts the kernel.
fn execute_task(plan: &Plan, i: usize, inputs: &[Value]) -> Result<Value> {
    let key = &plan.keys[i];
    let kernel = &plan.kernels[i];
    #[cfg(panic = "unwind")]
    {
        let call = std::panic::AssertUnwindSafe(|| kernel.run(&key.to_string(), inputs));
        match std::panic::catch_unwind(call) {
            Ok(r) => r,
            Err(p) => {
                let msg = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a task panicked".to_string());
                Err(Error::TaskFailed {
                    key: key.to_string(),
                    message: format!("panicked: {msg}"),
                })
            }
        }
    }
    #[cfg(not(panic = "unwind"))]
    {
        kernel.run(&key.to_string(), inputs)
    }
}

/// Milliseconds after which unchanged progress is reported anyway: the heartbeat the
/// client's supervision watches for.
const HEARTBEAT_MS: f64 = 1000.0;

/// How often progress is reported by task count: about a hundred times a compute.
fn progress_every(total: usize) -> usize {
    (total / 100).max(1)
}
