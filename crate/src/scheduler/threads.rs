//! The thread-pool scheduler: ready tasks run in parallel on the rayon pool.
//!
//! The same transitions as [`super::sync::State`], made thread-safe: per-task atomic
//! counters of unfinished dependencies (`waiting`) and of dependents still to run
//! (`waiting_data`), and a slot per result. A worker that finishes a task continues
//! with one of the tasks it made ready and spawns the others, so chains run without
//! a trip through the pool's queues. The calling thread waits and reports progress.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::{execute, Plan, Progress, Stats};
use crate::error::{Error, Result};
use crate::kernels::Value;

/// How long the caller sleeps between progress reports.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(25);

struct Shared<'p> {
    plan: &'p Plan,
    waiting: Vec<AtomicU32>,
    waiting_data: Vec<AtomicU32>,
    cache: Vec<Mutex<Option<Value>>>,
    done: AtomicUsize,
    running: AtomicUsize,
    live: AtomicUsize,
    peak_live: AtomicUsize,
    threads: AtomicU64,
    cancelled: AtomicBool,
    error: Mutex<Option<Error>>,
    finished: Mutex<bool>,
    wake: Condvar,
}

/// Locks, ignoring poisoning: a panic is turned into a task error before it can
/// unwind through a lock, and the data behind these locks stays consistent.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared<'_> {
    fn progress(&self) -> Progress {
        Progress {
            done: self.done.load(Ordering::Acquire),
            total: self.plan.len(),
            running: self.running.load(Ordering::Relaxed),
        }
    }

    fn signal_finished(&self) {
        *lock(&self.finished) = true;
        self.wake.notify_all();
    }

    fn fail(&self, e: Error) {
        lock(&self.error).get_or_insert(e);
        self.cancelled.store(true, Ordering::Release);
        self.signal_finished();
    }

    /// Runs task `i`, then the tasks it makes ready: one inline, the rest spawned.
    fn run_from<'s>(&'s self, scope: &rayon::Scope<'s>, mut i: usize) {
        if let Some(t) = rayon::current_thread_index() {
            self.threads.fetch_or(1 << (t % 64), Ordering::Relaxed);
        }
        loop {
            if self.cancelled.load(Ordering::Acquire) {
                return;
            }
            let plan = self.plan;
            self.running.fetch_add(1, Ordering::Relaxed);
            let inputs: Vec<Value> = plan.deps[i]
                .iter()
                .filter_map(|&d| lock(&self.cache[d as usize]).clone())
                .collect();
            let result = execute(plan, i, &inputs);
            drop(inputs);
            for &d in &plan.deps[i] {
                let d = d as usize;
                if self.waiting_data[d].fetch_sub(1, Ordering::AcqRel) == 1
                    && !plan.is_output[d]
                    && lock(&self.cache[d]).take().is_some()
                {
                    self.live.fetch_sub(1, Ordering::Relaxed);
                }
            }
            self.running.fetch_sub(1, Ordering::Relaxed);
            let value = match result {
                Ok(v) => v,
                Err(e) => return self.fail(e),
            };
            *lock(&self.cache[i]) = Some(value);
            let live = self.live.fetch_add(1, Ordering::Relaxed) + 1;
            self.peak_live.fetch_max(live, Ordering::Relaxed);
            if self.done.fetch_add(1, Ordering::AcqRel) + 1 == plan.len() {
                self.signal_finished();
            }
            let mut next: Option<usize> = None;
            for &d in &plan.dependents[i] {
                if self.waiting[d as usize].fetch_sub(1, Ordering::AcqRel) == 1 {
                    if let Some(prev) = next.replace(d as usize) {
                        scope.spawn(move |s| self.run_from(s, prev));
                    }
                }
            }
            match next {
                Some(n) => i = n,
                None => return,
            }
        }
    }
}

/// Runs `plan` on the rayon pool; the caller waits and calls `on_progress`.
pub fn run(plan: &Plan, on_progress: &mut dyn FnMut(Progress)) -> Result<(Vec<Value>, Stats)> {
    let n = plan.len();
    let shared = Shared {
        plan,
        waiting: plan
            .deps
            .iter()
            .map(|d| AtomicU32::new(d.len() as u32))
            .collect(),
        waiting_data: plan
            .dependents
            .iter()
            .map(|d| AtomicU32::new(d.len() as u32))
            .collect(),
        cache: (0..n).map(|_| Mutex::new(None)).collect(),
        done: AtomicUsize::new(0),
        running: AtomicUsize::new(0),
        live: AtomicUsize::new(0),
        peak_live: AtomicUsize::new(0),
        threads: AtomicU64::new(0),
        cancelled: AtomicBool::new(false),
        error: Mutex::new(None),
        finished: Mutex::new(n == 0),
        wake: Condvar::new(),
    };
    on_progress(shared.progress());
    let shared = &shared;
    rayon::in_place_scope(|scope| {
        for i in (0..n).filter(|&i| plan.deps[i].is_empty()) {
            scope.spawn(move |s| shared.run_from(s, i));
        }
        // A caller inside the pool must not block a worker: the scope's end joins
        // (and helps) instead, and progress is reported once at the end.
        if rayon::current_thread_index().is_none() {
            let mut last = shared.progress();
            let mut finished = lock(&shared.finished);
            while !*finished {
                finished = shared
                    .wake
                    .wait_timeout(finished, PROGRESS_INTERVAL)
                    .map(|(g, _)| g)
                    .unwrap_or_else(|e| e.into_inner().0);
                let p = shared.progress();
                if p != last && !*finished {
                    drop(finished);
                    on_progress(p);
                    last = p;
                    finished = lock(&shared.finished);
                }
            }
        }
    });
    if let Some(e) = lock(&shared.error).take() {
        return Err(e);
    }
    on_progress(shared.progress());
    let values = plan
        .outputs
        .iter()
        .filter_map(|&o| lock(&shared.cache[o as usize]).clone())
        .collect();
    let stats = Stats {
        tasks: shared.done.load(Ordering::Acquire),
        peak_live: shared.peak_live.load(Ordering::Relaxed),
        threads_used: shared.threads.load(Ordering::Relaxed).count_ones() as usize,
    };
    Ok((values, stats))
}
