//! The task stream: when a compute is traced, every task records which thread ran it and
//! when, as dask's dashboard shows it. The page draws these as one lane per thread.

use std::sync::{Mutex, OnceLock};

use serde::Serialize;

/// One task run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskEvent {
    /// The task's key prefix (`sum-chunk`, `read-csv`, `f`): what colors its bar.
    pub prefix: String,
    /// The pool thread that ran it (`-1`: the calling thread, which runs the reads).
    pub worker: i32,
    /// Start, in milliseconds of [`now`].
    pub start: f64,
    /// End, in milliseconds of [`now`].
    pub end: f64,
}

/// Collects the events of one compute; the caller drains them while it runs.
#[derive(Debug, Default)]
pub struct Trace {
    events: Mutex<Vec<TaskEvent>>,
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Self {
        Self::default()
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

static CLOCK: OnceLock<Clock> = OnceLock::new();

/// Installs the clock (the wasm bindings do: `performance.timeOrigin + now()`, the same
/// in every worker). Natively the default is the time since the first reading.
pub fn set_clock(clock: Clock) {
    let _ = CLOCK.set(clock);
}

/// Milliseconds by the installed clock.
pub fn now() -> f64 {
    match CLOCK.get() {
        Some(c) => c(),
        None => default_clock(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn default_clock() -> f64 {
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1e3
}

#[cfg(target_arch = "wasm32")]
fn default_clock() -> f64 {
    // No clock in wasm without the bindings' one: events keep their order only.
    0.0
}
