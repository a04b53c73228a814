//! The memory budget of computes: what their held results may add up to.
//!
//! Computes running at once on one kernel share a [`Budget`] (their [`crate::Run`]'s
//! `budget`): the limit bounds what they hold together. When a task would take the
//! total over it, the compute holding the most is the one that fails — the task's own
//! when that is the largest, else the largest one at its next task (it is the one over
//! its share, and its memory is freed when it ends) while the smaller goes on.
//!
//! Every result a scheduler holds is counted by [`Value::nbytes`] from the moment its
//! task finishes until it is released — except a literal's (a persisted block, a frame
//! from memory): that value was held before the compute and is shared, not copied; a task about to start first reserves what it
//! is expected to allocate ([`MemoryLimit::per_task`], for arrays the compute's
//! largest block), so a kernel is not started when its output could not fit. Going
//! over the limit is an [`Error::MemoryLimit`] naming the task, never a trap.
//!
//! ```
//! use daskling_graph::{Graph, Key, Task};
//! use daskling_kernels::{array::ArrayKernel, Kernel};
//! use daskling_scheduler::{run_plan, MemoryLimit, Plan, Run, Scheduler};
//! use std::sync::Arc;
//!
//! let mut g = Graph::new();
//! let full = ArrayKernel::Full { shape: vec![1000], value: 1.0 };
//! g.insert(Key::named("x"), Task::new(Kernel::Array(full), vec![]));
//! let plan = Arc::new(Plan::new(&g, &[Key::named("x")]).unwrap());
//! let run = |limit| run_plan(plan.clone(), Run { limit, ..Run::default() }, &mut |_| {});
//! // 8,000 bytes fit in 10 kB, not in 4 kB.
//! assert_eq!(run(MemoryLimit::new(10_000)).unwrap().1.peak_bytes, 8_000);
//! let e = run(MemoryLimit::new(4_000)).unwrap_err().to_string();
//! assert!(e.contains("the result of x (8.00 kB)"), "{e}");
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use super::{lock, Plan};
use daskling_core::error::bytes;
use daskling_core::{Error, Result};
use daskling_kernels::{Kernel, Value};

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

/// What the computes running at once hold together: give every [`crate::Run`] of one
/// kernel the same one.
///
/// ```
/// use daskling_scheduler::Budget;
/// let budget = std::sync::Arc::new(Budget::default());
/// assert_eq!(budget.held(), 0);
/// ```
#[derive(Debug, Default)]
pub struct Budget {
    held: AtomicU64,
    /// The computes' accounts (dropped ones are pruned when the next registers).
    accounts: Mutex<Vec<Weak<Account>>>,
}

impl Budget {
    /// Bytes the running computes hold together.
    pub fn held(&self) -> u64 {
        self.held.load(Ordering::Acquire)
    }

    fn accounts(&self) -> MutexGuard<'_, Vec<Weak<Account>>> {
        lock(&self.accounts)
    }
}

/// One compute's bytes, its largest result so far (bytes and key) that another
/// compute's error can name, and the error it is to stop with when a smaller compute
/// needs the room it holds.
#[derive(Debug, Default)]
struct Account {
    held: AtomicU64,
    largest: Mutex<Option<(u64, String)>>,
    /// Set with `evicted`: every task reads it, only a told compute takes the lock.
    told: std::sync::atomic::AtomicBool,
    evicted: Mutex<Option<Error>>,
}

impl Account {
    fn evicted(&self) -> MutexGuard<'_, Option<Error>> {
        lock(&self.evicted)
    }
}

/// The running count of a compute's bytes (shared by the pool's threads).
#[derive(Debug)]
pub(crate) struct Ledger {
    limit: MemoryLimit,
    account: Arc<Account>,
    budget: Option<Arc<Budget>>,
    peak: AtomicU64,
    /// The largest result so far: its bytes and task.
    largest: Mutex<(u64, usize)>,
}

impl Ledger {
    pub(crate) fn new(limit: MemoryLimit, budget: Option<Arc<Budget>>) -> Self {
        let account = Arc::new(Account::default());
        if let Some(b) = &budget {
            let mut accounts = b.accounts();
            accounts.retain(|a| a.strong_count() > 0);
            accounts.push(Arc::downgrade(&account));
        }
        Ledger {
            limit,
            account,
            budget,
            peak: AtomicU64::new(0),
            largest: Mutex::new((0, 0)),
        }
    }

    /// The most bytes held at once so far.
    pub(crate) fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    /// Counts `n` more bytes; what the limit is checked against: the bytes of every
    /// compute sharing the budget, or this one's.
    fn add(&self, n: u64) -> u64 {
        let own = self
            .account
            .held
            .fetch_add(n, Ordering::AcqRel)
            .saturating_add(n);
        self.peak.fetch_max(own, Ordering::Relaxed);
        match &self.budget {
            Some(b) => b.held.fetch_add(n, Ordering::AcqRel).saturating_add(n),
            None => own,
        }
    }

    fn sub(&self, n: u64) {
        self.account.held.fetch_sub(n, Ordering::AcqRel);
        if let Some(b) = &self.budget {
            b.held.fetch_sub(n, Ordering::AcqRel);
        }
    }

    /// Over the limit at `total` bytes: whether this compute goes on because another
    /// sharing the budget holds more (that one is told to stop, see [`Budget`]).
    fn another_holds_more(&self, total: u64) -> bool {
        let Some(b) = &self.budget else {
            return false;
        };
        let own = self.account.held.load(Ordering::Acquire);
        let accounts = b.accounts();
        let live: Vec<Arc<Account>> = accounts.iter().filter_map(Weak::upgrade).collect();
        let Some(largest) = live
            .iter()
            .max_by_key(|a| a.held.load(Ordering::Acquire))
            .filter(|a| !Arc::ptr_eq(a, &self.account))
        else {
            return false;
        };
        let theirs = largest.held.load(Ordering::Acquire);
        if theirs <= own {
            return false;
        }
        let result = match &*lock(&largest.largest) {
            Some((n, key)) => format!("; its largest result {key}, {}", bytes(*n)),
            None => String::new(),
        };
        let what = format!(
            "this compute (holding {}, the most of the {} running at once{result})",
            bytes(theirs),
            live.len()
        );
        largest
            .evicted()
            .get_or_insert_with(|| self.limit.exceeded(what, total));
        largest.told.store(true, Ordering::Release);
        true
    }

    /// The error this compute was told to stop with, if any (once).
    fn check_evicted(&self) -> Result<()> {
        if !self.account.told.load(Ordering::Acquire) {
            return Ok(());
        }
        match self.account.evicted().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Reserves what task `i` is expected to allocate, or an error when it cannot fit.
    pub(crate) fn begin(&self, plan: &Plan, i: usize) -> Result<()> {
        self.check_evicted()?;
        let want = self.limit.per_task;
        if want == 0 {
            return Ok(());
        }
        let now = self.add(want);
        if self.limit.over(now) && !self.another_holds_more(now) {
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

    /// Bytes task `i`'s result `value` adds: none for a literal, whose value the graph
    /// held before the compute began (counted there, if at all, as `held`).
    fn counted(plan: &Plan, i: usize, value: &Value) -> u64 {
        match plan.kernels[i] {
            Kernel::Literal(_) => 0,
            _ => value.nbytes(),
        }
    }

    /// Exchanges task `i`'s reservation for its result's size; an error when the
    /// result does not fit.
    pub(crate) fn end(&self, plan: &Plan, i: usize, value: &Value) -> Result<()> {
        let n = Self::counted(plan, i, value);
        self.sub(self.limit.per_task);
        let now = self.add(n);
        let largest = {
            let mut l = lock(&self.largest);
            if n > l.0 {
                *l = (n, i);
                if self.budget.is_some() {
                    *lock(&self.account.largest) = Some((n, plan.keys[i].to_string()));
                }
            }
            *l
        };
        if self.limit.over(now) && !self.another_holds_more(now) {
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

    /// Task `i`'s released result.
    pub(crate) fn free(&self, plan: &Plan, i: usize, value: &Value) {
        self.sub(Self::counted(plan, i, value));
    }
}

impl Drop for Ledger {
    /// The compute is over: what it still counted (its outputs, handed to its caller,
    /// or results dropped with it) leaves the shared budget.
    fn drop(&mut self) {
        if let Some(b) = &self.budget {
            b.held
                .fetch_sub(self.account.held.load(Ordering::Acquire), Ordering::AcqRel);
        }
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
