//! The memory budget of one compute: what its held results may add up to.
//!
//! Every result a scheduler holds is counted by [`Value::nbytes`] from the moment its
//! task finishes until it is released; a task about to start first reserves what it
//! is expected to allocate ([`MemoryLimit::per_task`], for arrays the compute's
//! largest block), so a kernel is not started when its output could not fit. Going
//! over the limit is an [`Error::MemoryLimit`] naming the task, never a trap.
//!
//! ```
//! use daskling_graph::{Graph, Key, Task};
//! use daskling_kernels::{Kernel, Value};
//! use daskling_scheduler::{run_plan, MemoryLimit, Plan, Run, Scheduler};
//! use std::sync::Arc;
//!
//! let mut g = Graph::new();
//! let block = Value::Bytes(Arc::from(vec![0u8; 8000]));
//! g.insert(Key::named("x"), Task::new(Kernel::Literal(block), vec![]));
//! let plan = Arc::new(Plan::new(&g, &[Key::named("x")]).unwrap());
//! let run = |limit| run_plan(plan.clone(), Run { limit, ..Run::default() }, &mut |_| {});
//! // 8,000 bytes fit in 10 kB, not in 4 kB.
//! assert_eq!(run(MemoryLimit::new(10_000)).unwrap().1.peak_bytes, 8_000);
//! let e = run(MemoryLimit::new(4_000)).unwrap_err().to_string();
//! assert!(e.contains("the result of x (8.00 kB)"), "{e}");
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use super::Plan;
use daskling_core::error::bytes;
use daskling_core::{Error, Result};
use daskling_kernels::Value;

/// How much memory a compute may hold, and what each task reserves before it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryLimit {
    /// The most bytes held at once, `held` included.
    pub bytes: u64,
    /// Bytes held before the compute starts (persisted arrays, data).
    pub held: u64,
    /// Bytes reserved for a task while it runs (its output's expected size).
    pub per_task: u64,
}

impl MemoryLimit {
    /// No limit.
    pub const NONE: MemoryLimit = MemoryLimit {
        bytes: u64::MAX,
        held: 0,
        per_task: 0,
    };

    /// At most `bytes` held at once; nothing held before, nothing reserved per task.
    pub fn new(bytes: u64) -> Self {
        MemoryLimit {
            bytes,
            held: 0,
            per_task: 0,
        }
    }

    /// The same limit, `bytes` of it held before the compute starts.
    pub fn with_held(self, bytes: u64) -> Self {
        MemoryLimit {
            held: bytes,
            ..self
        }
    }

    /// The error for `what` bringing the compute's own bytes to `now`.
    pub fn exceeded(&self, what: String, now: u64) -> Error {
        Error::MemoryLimit {
            what,
            needed: now.saturating_add(self.held),
            held: self.held,
            limit: self.bytes,
        }
    }

    /// Whether the compute holding `now` bytes of its own is over the limit.
    pub fn over(&self, now: u64) -> bool {
        now.saturating_add(self.held) > self.bytes
    }

    /// The same limit, each running task reserving `bytes`.
    pub fn with_per_task(self, bytes: u64) -> Self {
        MemoryLimit {
            per_task: bytes,
            ..self
        }
    }
}

impl Default for MemoryLimit {
    fn default() -> Self {
        MemoryLimit::NONE
    }
}

/// The running count of a compute's bytes (shared by the pool's threads).
#[derive(Debug)]
pub(crate) struct Ledger {
    limit: MemoryLimit,
    held: AtomicU64,
    peak: AtomicU64,
    /// The largest result so far: its bytes and task.
    largest: Mutex<(u64, usize)>,
}

impl Ledger {
    pub(crate) fn new(limit: MemoryLimit) -> Self {
        Ledger {
            limit,
            held: AtomicU64::new(0),
            peak: AtomicU64::new(0),
            largest: Mutex::new((0, 0)),
        }
    }

    /// The most bytes held at once so far.
    pub(crate) fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    fn add(&self, n: u64) -> u64 {
        let now = self.held.fetch_add(n, Ordering::AcqRel).saturating_add(n);
        self.peak.fetch_max(now, Ordering::Relaxed);
        now
    }

    fn sub(&self, n: u64) {
        self.held.fetch_sub(n, Ordering::AcqRel);
    }

    /// Reserves what task `i` is expected to allocate, or an error when it cannot fit.
    pub(crate) fn begin(&self, plan: &Plan, i: usize) -> Result<()> {
        let want = self.limit.per_task;
        if want == 0 {
            return Ok(());
        }
        let now = self.add(want);
        if self.limit.over(now) {
            self.sub(want);
            let what = format!(
                "running {} (its blocks are up to {})",
                plan.keys[i],
                bytes(want)
            );
            return Err(self.limit.exceeded(what, now));
        }
        Ok(())
    }

    /// Task `i`'s outcome after [`Ledger::begin`]: a failure gives the reservation back
    /// ([`Ledger::abandon`]), a value is counted ([`Ledger::end`]).
    pub(crate) fn outcome(&self, plan: &Plan, i: usize, r: Result<Value>) -> Result<Value> {
        let v = r.inspect_err(|_| self.abandon())?;
        self.end(plan, i, &v)?;
        Ok(v)
    }

    /// Exchanges task `i`'s reservation for its result's size; an error when the
    /// result does not fit.
    pub(crate) fn end(&self, plan: &Plan, i: usize, value: &Value) -> Result<()> {
        let n = value.nbytes();
        self.sub(self.limit.per_task);
        let now = self.add(n);
        let largest = {
            let mut l = self.largest.lock().unwrap_or_else(|e| e.into_inner());
            if n > l.0 {
                *l = (n, i);
            }
            *l
        };
        if self.limit.over(now) {
            let mut what = format!("the result of {} ({})", plan.keys[i], bytes(n));
            if largest.1 != i {
                what += &format!(
                    " (the largest result so far: {}, {})",
                    plan.keys[largest.1],
                    bytes(largest.0)
                );
            }
            return Err(self.limit.exceeded(what, now));
        }
        Ok(())
    }

    /// Gives back the reservation of a task that failed.
    pub(crate) fn abandon(&self) {
        self.sub(self.limit.per_task);
    }

    /// A released result.
    pub(crate) fn free(&self, value: &Value) {
        self.sub(value.nbytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_limit_counts_what_was_held_before() {
        let l = MemoryLimit::new(1_000).with_held(400);
        assert!(!l.over(600));
        assert!(l.over(601));
        match l.exceeded("a block".into(), 700) {
            Error::MemoryLimit {
                needed,
                held,
                limit,
                ..
            } => assert_eq!((needed, held, limit), (1_100, 400, 1_000)),
            other => panic!("{other:?}"),
        }
        assert!(!MemoryLimit::NONE.over(u64::MAX));
    }
}
