//! The thread-pool scheduler: ready tasks run in parallel on the rayon pool.
//!
//! The same transitions as [`super::sync::State`], made thread-safe: per-task atomic
//! counters of unfinished dependencies (`waiting`) and of dependents still to run
//! (`waiting_data`), and a slot per result. A worker that finishes a task continues
//! with one of the tasks it made ready and spawns the others, so chains run without
//! a trip through the pool's queues.
//!
//! The calling thread reports progress (at least once a second, a heartbeat) and runs
//! the input tasks ([`Plan::io`]): in the browser only the compute worker holds the
//! `File`s, and reading there also bounds memory — a read starts only while fewer than
//! [`io_budget`] read results wait for their consumers or are being read, and reads go in
//! plan (depth-first) order, so a reduction over many files holds a few of them at a
//! time however many there are. Where the source reads in the background
//! ([`daskling_kernels::dataframe::source::ByteSource::begin_read`]: the browser's
//! reader workers) the caller starts up to the budget of reads at once and polls them,
//! so reading runs beside the pool's parsing instead of one read at a time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::memory::Ledger;
use super::{cancelled_or, execute_settled, record, settled, Plan, Progress, Run, Stats, Trace};
use daskling_core::cancel::{self, CancelToken};
use daskling_core::{Error, Result};
use daskling_kernels::dataframe::source::PendingRead;
use daskling_kernels::{Kernel, Read, Value};

/// A read the caller started in the background.
struct InFlight {
    task: usize,
    read: Box<dyn PendingRead>,
    start: f64,
}

/// How long the caller sleeps between progress reports.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(25);

/// How long the caller sleeps between polls of background reads.
const POLL_INTERVAL: Duration = Duration::from_millis(1);

/// Quiet time after which unchanged progress is reported anyway: the heartbeat the
/// client's supervision watches for. Counted in waits (wasm has no clock here).
const HEARTBEAT: Duration = Duration::from_secs(1);

/// Read results allowed to wait for their consumers at once.
fn io_budget() -> usize {
    (2 * rayon::current_num_threads()).max(4)
}

/// What the calling thread waits on.
struct Caller {
    finished: bool,
    /// Ready input tasks, lowest plan number first.
    io_ready: BinaryHeap<Reverse<usize>>,
}

struct Shared<'p> {
    plan: &'p Plan,
    /// The compute's cancel token, if it has one.
    token: Option<&'p CancelToken>,
    trace: Option<&'p Trace>,
    settle: bool,
    /// Input tasks go to the caller (false when the caller is itself a pool thread).
    caller_reads: bool,
    waiting: Vec<AtomicU32>,
    waiting_data: Vec<AtomicU32>,
    cache: Vec<Mutex<Option<Value>>>,
    done: AtomicUsize,
    running: AtomicUsize,
    live: AtomicUsize,
    io_live: AtomicUsize,
    /// Compute tasks made ready and not finished yet.
    queued: AtomicUsize,
    peak_live: AtomicUsize,
    threads: AtomicU64,
    cancelled: AtomicBool,
    ledger: Ledger,
    error: Mutex<Option<Error>>,
    caller: Mutex<Caller>,
    wake: Condvar,
}

/// Locks, ignoring poisoning: a panic is turned into a task error before it can
/// unwind through a lock, and the data behind these locks stays consistent.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<'p> Shared<'p> {
    fn progress(&self) -> Progress {
        Progress {
            done: self.done.load(Ordering::Acquire),
            total: self.plan.len(),
            running: self.running.load(Ordering::Relaxed),
        }
    }

    /// Changes the caller's state and wakes it (under its lock: no lost wake-up).
    fn tell_caller(&self, f: impl FnOnce(&mut Caller)) {
        let mut c = lock(&self.caller);
        f(&mut c);
        self.wake.notify_all();
    }

    fn fail(&self, e: Error) {
        lock(&self.error).get_or_insert(e);
        self.cancelled.store(true, Ordering::Release);
        self.tell_caller(|c| c.finished = true);
    }

    /// Runs task `i` on this thread and records its result; returns the tasks it made
    /// ready that this thread may run (input tasks go to the caller instead).
    fn run_one(&self, i: usize) -> Option<Vec<usize>> {
        let plan = self.plan;
        self.running.fetch_add(1, Ordering::Relaxed);
        let inputs = plan.inputs_of(i, |d| lock(&self.cache[d]).clone());
        let result = inputs.and_then(|inputs| {
            self.ledger.begin(plan, i)?;
            let r = cancel::scope(self.token, || {
                execute_settled(plan, i, &inputs, self.trace, self.settle)
            });
            self.ledger.outcome(plan, i, r)
        });
        self.release_inputs(i);
        self.running.fetch_sub(1, Ordering::Relaxed);
        self.complete(i, result)
    }

    /// Starts input task `i` as a background read, when its source can.
    fn begin_read(&self, i: usize) -> Option<Result<InFlight>> {
        let Kernel::Read(r) = &self.plan.kernels[i] else {
            return None;
        };
        let start = self.trace.map_or(0.0, Trace::now);
        if let Err(e) = self.ledger.begin(self.plan, i) {
            return Some(Err(e));
        }
        match r.begin() {
            Some(read) => {
                self.running.fetch_add(1, Ordering::Relaxed);
                Some(Ok(InFlight {
                    task: i,
                    read,
                    start,
                }))
            }
            None => {
                self.ledger.abandon();
                None
            }
        }
    }

    /// Completes a background read that is done; returns the tasks it made ready.
    fn finish_read(&self, f: InFlight) -> Option<Vec<usize>> {
        let (plan, i) = (self.plan, f.task);
        let key = plan.keys[i].to_string();
        let read = settled(Read::value(&key, f.read.finish()), self.settle);
        let result = self.ledger.outcome(plan, i, read);
        if let Some(trace) = self.trace {
            record(trace, plan, i, -1, f.start);
        }
        self.running.fetch_sub(1, Ordering::Relaxed);
        self.complete(i, result)
    }

    /// Drops the inputs of task `i` that no other task still needs.
    fn release_inputs(&self, i: usize) {
        let plan = self.plan;
        for &d in &plan.deps[i] {
            let d = d as usize;
            if self.waiting_data[d].fetch_sub(1, Ordering::AcqRel) == 1 && !plan.is_output[d] {
                let Some(v) = lock(&self.cache[d]).take() else {
                    continue;
                };
                self.ledger.free(&v);
                self.live.fetch_sub(1, Ordering::Relaxed);
                if plan.io[d] && self.caller_reads {
                    self.io_live.fetch_sub(1, Ordering::AcqRel);
                    self.tell_caller(|_| {});
                }
            }
        }
    }

    /// Records the result of task `i`; returns the tasks it made ready.
    fn complete(&self, i: usize, result: Result<Value>) -> Option<Vec<usize>> {
        let plan = self.plan;
        let value = match result {
            Ok(v) => v,
            Err(e) => {
                self.fail(e);
                self.unqueue(i);
                return None;
            }
        };
        *lock(&self.cache[i]) = Some(value);
        if plan.io[i] && self.caller_reads {
            self.io_live.fetch_add(1, Ordering::AcqRel);
        }
        let live = self.live.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak_live.fetch_max(live, Ordering::Relaxed);
        if self.done.fetch_add(1, Ordering::AcqRel) + 1 == plan.len() {
            self.tell_caller(|c| c.finished = true);
        }
        let mut ready = Vec::new();
        for &d in &plan.dependents[i] {
            if self.waiting[d as usize].fetch_sub(1, Ordering::AcqRel) == 1 {
                self.make_ready(d as usize, &mut ready);
            }
        }
        self.unqueue(i);
        Some(ready)
    }

    fn make_ready(&self, d: usize, ready: &mut Vec<usize>) {
        if self.plan.io[d] && self.caller_reads {
            self.tell_caller(|c| c.io_ready.push(Reverse(d)));
        } else {
            self.queued.fetch_add(1, Ordering::AcqRel);
            ready.push(d);
        }
    }

    /// A compute task is over (done or failed); wakes the caller when it was the last.
    fn unqueue(&self, i: usize) {
        if !(self.plan.io[i] && self.caller_reads)
            && self.queued.fetch_sub(1, Ordering::AcqRel) == 1
        {
            self.tell_caller(|_| {});
        }
    }

    /// Runs task `i`, then the tasks it makes ready: one inline, the rest spawned.
    fn run_from<'s>(&'s self, scope: &rayon::Scope<'s>, mut i: usize)
    where
        'p: 's,
    {
        if let Some(t) = rayon::current_thread_index() {
            self.threads.fetch_or(1 << (t % 64), Ordering::Relaxed);
        }
        loop {
            if self.cancelled.load(Ordering::Acquire) {
                return;
            }
            if self.token.is_some_and(CancelToken::is_cancelled) {
                self.fail(Error::Cancelled);
                return;
            }
            let Some(mut ready) = self.run_one(i) else {
                return;
            };
            match ready.pop() {
                Some(n) => {
                    for r in ready {
                        scope.spawn(move |s| self.run_from(s, r));
                    }
                    i = n;
                }
                None => return,
            }
        }
    }

    /// The caller's loop: runs input tasks within the budget (or starts them in the
    /// background and polls them), reports progress, and returns when the compute is
    /// finished or failed. Reads still in flight then are dropped (see [`PendingRead`]).
    fn drive<'s>(&'s self, scope: &rayon::Scope<'s>, on_progress: &mut dyn FnMut(Progress))
    where
        'p: 's,
    {
        let budget = io_budget();
        let spawn = |ready: Option<Vec<usize>>| {
            for r in ready.into_iter().flatten() {
                scope.spawn(move |s| self.run_from(s, r));
            }
        };
        let mut in_flight: Vec<InFlight> = Vec::new();
        let mut last = self.progress();
        let mut quiet = Duration::ZERO;
        let mut caller = lock(&self.caller);
        loop {
            if caller.finished {
                return;
            }
            if let Some(k) = in_flight.iter().position(|f| f.read.is_done()) {
                let f = in_flight.swap_remove(k);
                drop(caller);
                spawn(self.finish_read(f));
                caller = lock(&self.caller);
                continue;
            }
            let room = self.io_live.load(Ordering::Acquire) + in_flight.len() < budget;
            // No other task is ready or running: every waiting read result waits for
            // more reads, so admit one over budget rather than stall.
            let idle = self.queued.load(Ordering::Acquire) == 0 && in_flight.is_empty();
            if room || idle {
                if let Some(Reverse(i)) = caller.io_ready.pop() {
                    drop(caller);
                    if !self.cancelled.load(Ordering::Acquire) {
                        match self.begin_read(i) {
                            Some(Ok(f)) => in_flight.push(f),
                            Some(Err(e)) => spawn(self.complete(i, Err(e))),
                            None => spawn(self.run_one(i)),
                        }
                    }
                    caller = lock(&self.caller);
                    continue;
                }
            }
            let interval = if in_flight.is_empty() {
                PROGRESS_INTERVAL
            } else {
                POLL_INTERVAL
            };
            let (guard, waited) = self
                .wake
                .wait_timeout(caller, interval)
                .unwrap_or_else(|e| e.into_inner());
            caller = guard;
            if waited.timed_out() {
                quiet += interval;
            }
            // A cancelled compute ends here within an interval, even while every pool
            // thread is in a long kernel (which stops at its next block).
            if self.token.is_some_and(CancelToken::is_cancelled) && !caller.finished {
                drop(caller);
                self.fail(Error::Cancelled);
                caller = lock(&self.caller);
            }
            let p = self.progress();
            // Changed progress is reported at once; unchanged, about once a second, as
            // a heartbeat: the caller is alive even while a task runs for long.
            if (p != last || quiet >= HEARTBEAT) && !caller.finished {
                drop(caller);
                on_progress(p);
                last = p;
                quiet = Duration::ZERO;
                caller = lock(&self.caller);
            }
        }
    }
}

/// Runs `plan` on the rayon pool; the caller reads inputs and calls `on_progress`.
pub fn run<'p>(
    plan: &'p Plan,
    on_progress: &mut dyn FnMut(Progress),
    run: &Run<'p>,
) -> Result<(Vec<Value>, Stats)> {
    let n = plan.len();
    // A caller inside the pool must not block a worker: the scope's end joins (and
    // helps) instead, every task runs on the pool, and progress is reported at the end.
    let caller_reads = rayon::current_thread_index().is_none();
    let shared = Shared {
        plan,
        token: run.cancel,
        trace: run.trace,
        settle: run.settle,
        caller_reads,
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
        io_live: AtomicUsize::new(0),
        queued: AtomicUsize::new(0),
        peak_live: AtomicUsize::new(0),
        threads: AtomicU64::new(0),
        cancelled: AtomicBool::new(false),
        ledger: Ledger::new(run.limit),
        error: Mutex::new(None),
        caller: Mutex::new(Caller {
            finished: n == 0,
            io_ready: BinaryHeap::new(),
        }),
        wake: Condvar::new(),
    };
    on_progress(shared.progress());
    let shared = &shared;
    rayon::in_place_scope(|scope| {
        let mut roots = Vec::new();
        for i in (0..n).filter(|&i| plan.deps[i].is_empty()) {
            shared.make_ready(i, &mut roots);
        }
        for i in roots {
            scope.spawn(move |s| shared.run_from(s, i));
        }
        if caller_reads {
            shared.drive(scope, on_progress);
        }
    });
    if let Some(e) = lock(&shared.error).take() {
        return Err(cancelled_or(run, e));
    }
    if let Some(t) = run.cancel {
        t.check()?;
    }
    on_progress(shared.progress());
    let values = plan.output_values(|o| lock(&shared.cache[o]).clone())?;
    let stats = Stats {
        tasks: shared.done.load(Ordering::Acquire),
        peak_live: shared.peak_live.load(Ordering::Relaxed),
        peak_bytes: shared.ledger.peak(),
        threads_used: shared.threads.load(Ordering::Relaxed).count_ones() as usize,
    };
    Ok((values, stats))
}
