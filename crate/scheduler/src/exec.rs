//! A run that returns to its caller between slices: [`Execution`].
//!
//! The browser's compute worker is one thread with an event loop: to read the next
//! message (another compute, a cancel) while a compute runs, it starts the compute and
//! then polls it — a slice of tasks at a time in the single-threaded build, the caller's
//! share of the work (the reads, progress) in the threaded one, where the tasks run on
//! the pool. Several executions may be polled in turn: the pool runs their tasks fairly
//! (see [`crate::threads`]), each with its own plan, cache and memory ledger.
//!
//! ```
//! use std::sync::Arc;
//! use daskling_graph::{Graph, Key, Task};
//! use daskling_kernels::{Kernel, Value};
//! use daskling_scheduler::{wait, Execution, Plan, Run, Scheduler, Ticket};
//!
//! let mut g = Graph::new();
//! g.insert(Key::named("x"), Task::new(Kernel::Literal(Value::F64(2.0)), vec![]));
//! let plan = Arc::new(Plan::new(&g, &[Key::named("x")]).unwrap());
//! let mut runs: Vec<Execution> = (0..3)
//!     .map(|_| Execution::start(plan.clone(), Run { scheduler: Scheduler::Threads, ..Run::default() }))
//!     .collect();
//! let mut done = 0;
//! while done < runs.len() {
//!     let ticket = Ticket::now();
//!     for r in runs.iter_mut() {
//!         if let Some(result) = r.poll(None, &mut |_| {}) {
//!             assert!(matches!(result.unwrap().0[0], Value::F64(x) if x == 2.0));
//!             done += 1;
//!         }
//!     }
//!     wait(ticket, std::time::Duration::from_millis(5));
//! }
//! ```

use std::sync::Arc;
use std::time::Duration;

use super::wake::{wait, Ticket};
use super::{sync, threads, Plan, Progress, Run, Scheduler, Stats};
use daskling_core::Result;
use daskling_kernels::Value;

/// A started run of a plan; [`Execution::poll`] advances it.
pub struct Execution {
    inner: Inner,
    /// The result, once polled out (later polls give `None`).
    over: bool,
}

enum Inner {
    /// Boxed: its state is several times the threaded one's handle.
    Sync(Box<sync::Exec>),
    Threads(threads::Exec),
}

impl Execution {
    /// A run of `plan` as `run` says; nothing runs before the first
    /// [`Execution::poll`], which reports progress 0 and (in the threaded scheduler)
    /// puts the first tasks on the pool.
    pub fn start(plan: Arc<Plan>, run: Run) -> Execution {
        let single = cfg!(all(target_arch = "wasm32", not(target_feature = "atomics")));
        let inner = match run.scheduler {
            Scheduler::Threads if !single => Inner::Threads(threads::Exec::start(plan, run)),
            _ => Inner::Sync(Box::new(sync::Exec::new(plan, run))),
        };
        Execution { inner, over: false }
    }

    /// Advances the run on this thread: the synchronous scheduler runs tasks until the
    /// run's clock passes `until` (at least one; all of them without `until`), the
    /// threaded one does what its caller has to do now (start reads, report progress)
    /// without waiting. Progress goes to `on_progress` when it changed, and at least
    /// once a second (a heartbeat). Returns the outcome once, when the run is over.
    pub fn poll(
        &mut self,
        until: Option<f64>,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Option<Result<(Vec<Value>, Stats)>> {
        if self.over {
            return None;
        }
        let out = match &mut self.inner {
            Inner::Sync(e) => e.poll(until, on_progress),
            Inner::Threads(e) => e.poll(on_progress),
        };
        self.over = out.is_some();
        out
    }

    /// How long the caller may wait (with [`wait`]) before this run needs it again:
    /// zero while it has tasks to run on this thread (and always where threads cannot
    /// block: the single-threaded wasm build).
    pub fn idle_for(&self) -> Duration {
        let single = cfg!(all(target_arch = "wasm32", not(target_feature = "atomics")));
        match &self.inner {
            Inner::Sync(e) if e.waiting_outside() && !single => Duration::from_millis(1),
            Inner::Sync(_) => Duration::ZERO,
            Inner::Threads(e) => e.idle_for(),
        }
    }

    /// Whether the run can go on only once a remote task ([`Kernel::Remote`]) answers:
    /// a caller whose answers arrive as messages (the browser's compute worker) returns
    /// to its event loop rather than waiting here.
    ///
    /// [`Kernel::Remote`]: daskling_kernels::Kernel::Remote
    pub fn waiting_outside(&self) -> bool {
        match &self.inner {
            Inner::Sync(e) => e.waiting_outside(),
            Inner::Threads(e) => e.waiting_outside(),
        }
    }

    /// Runs to the end on this thread, waiting for the pool between polls.
    pub fn finish(mut self, on_progress: &mut dyn FnMut(Progress)) -> Result<(Vec<Value>, Stats)> {
        // A caller on a pool thread must not block it: it runs pool jobs meanwhile.
        let in_pool = rayon::current_thread_index().is_some();
        loop {
            let ticket = Ticket::now();
            if let Some(out) = self.poll(None, on_progress) {
                return out;
            }
            if !(in_pool && matches!(rayon::yield_now(), Some(rayon::Yield::Executed))) {
                wait(ticket, self.idle_for());
            }
        }
    }
}
