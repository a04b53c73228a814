//! The task stream: when a compute is traced, every task records which thread ran it and
//! when, as dask's dashboard shows it. The page draws these as one lane per thread.

use std::sync::Mutex;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::OnceLock;

use serde::Serialize;

/// One task run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskEvent {
    /// The task's key prefix (`sum-chunk`, `read-csv`, `f`): what colors its bar.
    pub prefix: String,
    /// The pool thread that ran it (`-1`: the calling thread, which runs the reads).
    pub worker: i32,
    /// Start, in milliseconds of the trace's clock.
    pub start: f64,
    /// End, in milliseconds of the trace's clock.
    pub end: f64,
}

/// Collects the events of one compute; the caller drains them while it runs.
///
/// ```
/// use daskling_scheduler::{Trace, TaskEvent};
/// let t = Trace::with_clock(|| 42.0);
/// assert_eq!(t.now(), 42.0);
/// t.push(TaskEvent { prefix: "sum".into(), worker: 0, start: 1.0, end: 2.0 });
/// assert_eq!(t.drain().len(), 1);
/// assert!(t.drain().is_empty());
/// ```
#[derive(Debug)]
pub struct Trace {
    events: Mutex<Vec<TaskEvent>>,
    clock: Clock,
}

impl Default for Trace {
    fn default() -> Self {
        Trace::with_clock(default_clock)
    }
}

impl Trace {
    /// An empty trace timed by the default clock (natively, milliseconds since the
    /// first reading; in wasm, give a clock with [`Trace::with_clock`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty trace timed by `clock` (the wasm bindings give `performance.timeOrigin +
    /// now()`, which every worker agrees on).
    pub fn with_clock(clock: Clock) -> Self {
        Trace {
            events: Mutex::new(Vec::new()),
            clock,
        }
    }

    /// Milliseconds by this trace's clock.
    pub fn now(&self) -> f64 {
        (self.clock)()
    }

    /// Records an event (any thread).
    pub fn push(&self, e: TaskEvent) {
        self.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(e);
    }

    /// The events recorded since the last call.
    pub fn drain(&self) -> Vec<TaskEvent> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A clock in milliseconds that every thread agrees on.
pub type Clock = fn() -> f64;

/// Natively, milliseconds since the first reading; in wasm (no clock without the
/// bindings' one) always 0.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn default_clock() -> f64 {
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1e3
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn default_clock() -> f64 {
    // No clock in wasm without the bindings' one: events keep their order only.
    0.0
}
