//! The thread-pool scheduler: ready tasks run in parallel on the rayon pool.
//!
//! The same transitions as [`super::sync::State`], made thread-safe: per-task atomic
//! counters of unfinished dependencies (`waiting`) and of dependents still to run
//! (`waiting_data`), and a slot per result. A worker that finishes a task continues
//! with the next one the dispatcher gives it, without a trip through the pool's queues.
//!
//! Tasks do not go to the pool's own queues one by one: each run keeps its ready tasks in
//! a queue of the [`Fair`] dispatcher, and a pool job takes the next task from the runs
//! in turn, so a quick compute started while a long one keeps the pool busy gets every
//! other task, not a place behind all of the long one's.
//!
//! The calling thread ([`Exec::poll`], between other work: see [`crate::Execution`])
//! reports progress (at least once a second, a heartbeat) and runs
//! the input tasks ([`Plan::io`]): in the browser only the compute worker holds the
//! `File`s, and reading there also bounds memory — a read starts only while fewer than
//! [`io_budget`] read results wait for their consumers or are being read, and reads go in
//! plan (depth-first) order, so a reduction over many files holds a few of them at a
//! time however many there are. Where the source reads in the background
//! ([`daskling_kernels::dataframe::source::ByteSource::begin_read`]: the browser's
//! reader workers) the caller starts up to the budget of reads at once and polls them,
//! so reading runs beside the pool's parsing instead of one read at a time.
//!
//! Remote tasks ([`Kernel::Remote`]: JavaScript functions in function workers) go to
//! the caller too, which starts each as it becomes ready and collects the answers at
//! each poll: no pool thread waits for one.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::fair::Fair;
use super::memory::Ledger;
use super::remote::{self, Begun, InCall};
use super::wake::wake_callers;
use super::{
    cancelled_or, execute_settled, lock, record, settled, Plan, Progress, Run, Stats, HEARTBEAT_MS,
};
use daskling_core::cancel;
use daskling_core::{Error, Result};
use daskling_kernels::dataframe::source::PendingRead;
use daskling_kernels::{Kernel, Read, Value};

/// A read the caller started in the background.
struct InFlight {
    task: usize,
    read: Box<dyn PendingRead>,
    start: f64,
}

/// How long the caller may sleep between progress reports.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(25);

/// The least time between two reports of changed progress (ms).
const PROGRESS_EVERY_MS: f64 = 8.0;

/// How long the caller may sleep between polls of background reads.
const POLL_INTERVAL: Duration = Duration::from_millis(1);

/// Read results allowed to wait for their consumers at once.
fn io_budget() -> usize {
    (2 * rayon::current_num_threads()).max(4)
}

/// The ready tasks of every run in progress.
static FAIR: Mutex<Fair<Shared>> = Mutex::new(Fair::new());

/// Ids of runs, for their queues in [`FAIR`].
static RUN_IDS: AtomicU64 = AtomicU64::new(1);

/// What the calling thread has to do.
struct Caller {
    finished: bool,
    /// Ready input tasks, lowest plan number first.
    io_ready: BinaryHeap<Reverse<usize>>,
    /// Ready remote tasks.
    remote_ready: Vec<usize>,
}

struct Shared {
    id: u64,
    plan: Arc<Plan>,
    run: Run,
    /// Input tasks go to the caller (false when the caller is itself a pool thread).
    caller_reads: bool,
    waiting: Vec<AtomicU32>,
    waiting_data: Vec<AtomicU32>,
    cache: Vec<Mutex<Option<Value>>>,
    done: AtomicUsize,
    running: AtomicUsize,
    /// Pool jobs inside one of this run's tasks: a failed or cancelled run is over for
    /// its caller only once they have returned (a task that never does — a JavaScript
    /// function in an endless loop — keeps it from ending; the client then restarts).
    on_pool: AtomicUsize,
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
}

/// Queues ready `tasks` of `run` and starts a pool job for each (but `keep`, which
/// the calling pool job will take itself).
fn dispatch(run: &Arc<Shared>, tasks: &[usize], keep: usize) {
    if tasks.is_empty() {
        return;
    }
    lock(&FAIR).push(run.id, run, tasks);
    for _ in keep.min(tasks.len())..tasks.len() {
        rayon::spawn(work);
    }
}

/// A pool job: runs tasks the dispatcher gives it until none is ready.
fn work() {
    if let Some(t) = rayon::current_thread_index() {
        // Which threads ran tasks: one bit each, in every run this job serves.
        let bit = 1u64 << (t % 64);
        let mut last: Option<u64> = None;
        loop {
            // Taken under the lock, run without it.
            let next = lock(&FAIR).take();
            let Some((run, i)) = next else { return };
            if last != Some(run.id) {
                run.threads.fetch_or(bit, Ordering::Relaxed);
                last = Some(run.id);
            }
            run.run_task(i);
        }
    } else {
        loop {
            let next = lock(&FAIR).take();
            let Some((run, i)) = next else { return };
            run.run_task(i);
        }
    }
}

impl Shared {
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
        drop(c);
        wake_callers();
    }

    fn fail(&self, e: Error) {
        lock(&self.error).get_or_insert(e);
        self.cancelled.store(true, Ordering::SeqCst);
        lock(&FAIR).retire(self.id);
        self.tell_caller(|c| c.finished = true);
    }

    /// Runs task `i` (a pool job took it) and queues the tasks it made ready, keeping
    /// one for this job.
    fn run_task(self: &Arc<Self>, i: usize) {
        // Counted before `cancelled` is read: a caller that sees the run cancelled and
        // no job on it knows none will start a task of it.
        self.on_pool.fetch_add(1, Ordering::SeqCst);
        let ready = if self.cancelled.load(Ordering::SeqCst) {
            None
        } else if self.run.cancel.as_ref().is_some_and(|t| t.is_cancelled()) {
            self.fail(Error::Cancelled);
            None
        } else {
            self.run_one(i)
        };
        if self.on_pool.fetch_sub(1, Ordering::SeqCst) == 1 && self.cancelled.load(Ordering::SeqCst)
        {
            wake_callers();
        }
        if let Some(ready) = ready {
            dispatch(self, &ready, 1);
        }
    }

    /// Whether the caller may take the outcome: every task done, or the run failed
    /// and no pool job is still inside one of its tasks.
    fn over(&self) -> bool {
        lock(&self.caller).finished
            && (!self.cancelled.load(Ordering::SeqCst) || self.on_pool.load(Ordering::SeqCst) == 0)
    }

    /// Runs task `i` on this thread and records its result; returns the tasks it made
    /// ready that the pool may run (input tasks go to the caller instead).
    fn run_one(&self, i: usize) -> Option<Vec<usize>> {
        let plan = &*self.plan;
        self.running.fetch_add(1, Ordering::Relaxed);
        let inputs = plan.inputs_of(i, |d| lock(&self.cache[d]).clone());
        let trace = self.run.trace.as_deref();
        let result = inputs.and_then(|inputs| {
            self.ledger.begin(plan, i)?;
            let r = cancel::scope(self.run.cancel.as_ref(), || {
                execute_settled(plan, i, &inputs, trace, self.run.settle)
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
        let start = self.run.trace.as_ref().map_or(0.0, |t| t.now());
        if let Err(e) = self.ledger.begin(&self.plan, i) {
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

    /// Starts remote task `i` (or runs it here, where it cannot start elsewhere): the
    /// started call, or the tasks it made ready.
    fn begin_remote(&self, i: usize) -> std::result::Result<InCall, Vec<usize>> {
        let plan = &*self.plan;
        let started = plan
            .inputs_of(i, |d| lock(&self.cache[d]).clone())
            .and_then(|inputs| {
                self.ledger.begin(plan, i)?;
                let trace = self.run.trace.as_deref();
                Ok(remote::begin(plan, i, &inputs, trace, self.run.settle))
            });
        let r = match started {
            Ok(Begun::Started(call)) => {
                self.running.fetch_add(1, Ordering::Relaxed);
                return Ok(call);
            }
            Ok(Begun::Done(r)) => self.ledger.outcome(plan, i, r),
            Err(e) => Err(e),
        };
        self.release_inputs(i);
        Err(self.complete(i, r).unwrap_or_default())
    }

    /// Completes remote task `i`, answered with `r`; returns the tasks it made ready.
    fn finish_remote(&self, i: usize, r: Result<Value>) -> Vec<usize> {
        let r = self.ledger.outcome(&self.plan, i, r);
        self.release_inputs(i);
        self.running.fetch_sub(1, Ordering::Relaxed);
        self.complete(i, r).unwrap_or_default()
    }

    /// Completes a background read that is done; returns the tasks it made ready.
    fn finish_read(&self, f: InFlight) -> Option<Vec<usize>> {
        let (plan, i) = (&*self.plan, f.task);
        let key = plan.keys[i].to_string();
        let read = settled(Read::value(&key, f.read.finish()), self.run.settle);
        let result = self.ledger.outcome(plan, i, read);
        if let Some(trace) = &self.run.trace {
            record(trace, plan, i, -1, f.start);
        }
        self.running.fetch_sub(1, Ordering::Relaxed);
        self.complete(i, result)
    }

    /// Drops the inputs of task `i` that no other task still needs.
    fn release_inputs(&self, i: usize) {
        let plan = &*self.plan;
        for &d in &plan.deps[i] {
            let d = d as usize;
            if self.waiting_data[d].fetch_sub(1, Ordering::AcqRel) == 1 && !plan.is_output[d] {
                let Some(v) = lock(&self.cache[d]).take() else {
                    continue;
                };
                self.ledger.free(plan, d, &v);
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
        let plan = &*self.plan;
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

    /// Whether task `i` runs on (or is started by) the caller rather than the pool.
    fn on_caller(&self, i: usize) -> bool {
        (self.plan.io[i] || self.plan.remote[i]) && self.caller_reads
    }

    fn make_ready(&self, d: usize, ready: &mut Vec<usize>) {
        if self.plan.io[d] && self.caller_reads {
            self.tell_caller(|c| c.io_ready.push(Reverse(d)));
        } else if self.plan.remote[d] && self.caller_reads {
            self.tell_caller(|c| c.remote_ready.push(d));
        } else {
            self.queued.fetch_add(1, Ordering::AcqRel);
            ready.push(d);
        }
    }

    /// A compute task is over (done or failed); wakes the caller when it was the last.
    fn unqueue(&self, i: usize) {
        if !self.on_caller(i) && self.queued.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.tell_caller(|_| {});
        }
    }
}

/// A threaded run in progress: its tasks run on the pool; the thread that polls it
/// runs the input tasks and reports progress.
pub(crate) struct Exec {
    shared: Arc<Shared>,
    in_flight: Vec<InFlight>,
    /// Remote tasks started and not answered yet.
    calls: Vec<InCall>,
    /// Progress last reported and when (`None`: not yet).
    reported: Option<(Progress, f64)>,
}

impl Exec {
    /// A run of `plan` on the pool; its first tasks are queued at the first poll.
    pub(crate) fn start(plan: Arc<Plan>, run: Run) -> Exec {
        let n = plan.len();
        // A caller inside the pool runs pool jobs while it waits, so every task runs
        // on the pool, inputs too.
        let caller_reads = rayon::current_thread_index().is_none();
        let shared = Arc::new(Shared {
            id: RUN_IDS.fetch_add(1, Ordering::Relaxed),
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
            on_pool: AtomicUsize::new(0),
            live: AtomicUsize::new(0),
            io_live: AtomicUsize::new(0),
            queued: AtomicUsize::new(0),
            peak_live: AtomicUsize::new(0),
            threads: AtomicU64::new(0),
            cancelled: AtomicBool::new(false),
            ledger: Ledger::new(run.limit, run.budget.clone()),
            error: Mutex::new(None),
            caller: Mutex::new(Caller {
                finished: n == 0,
                io_ready: BinaryHeap::new(),
                remote_ready: Vec::new(),
            }),
            caller_reads,
            plan,
            run,
        });
        Exec {
            shared,
            in_flight: Vec::new(),
            calls: Vec::new(),
            reported: None,
        }
    }

    /// How long the caller may sleep: briefly while reads or remote tasks are in flight.
    pub(crate) fn idle_for(&self) -> Duration {
        if self.in_flight.is_empty() && self.calls.is_empty() {
            PROGRESS_INTERVAL
        } else {
            POLL_INTERVAL
        }
    }

    /// Whether nothing can run until a remote task's answer is in: calls are out, and
    /// the pool and the caller have none of this run's work.
    pub(crate) fn waiting_outside(&self) -> bool {
        let sh = &self.shared;
        if self.calls.is_empty() || !self.in_flight.is_empty() {
            return false;
        }
        let caller = lock(&sh.caller);
        !caller.finished
            && caller.io_ready.is_empty()
            && (caller.remote_ready.is_empty() || self.calls.len() >= remote::WINDOW)
            && sh.queued.load(Ordering::Acquire) == 0
    }

    /// Starts the ready remote tasks and completes the answered ones (whose dependents
    /// may be remote tasks to start at once).
    fn remote_work(&mut self) {
        let sh = self.shared.clone();
        let trace = sh.run.trace.as_deref();
        loop {
            if sh.cancelled.load(Ordering::Acquire) {
                // Dropped: the bindings stop the ones still running.
                self.calls.clear();
                return;
            }
            // As many as the window has room for; the rest wait their turn.
            let ready: Vec<usize> = {
                let mut caller = lock(&sh.caller);
                let room = remote::WINDOW.saturating_sub(self.calls.len());
                let k = caller.remote_ready.len().min(room);
                caller.remote_ready.drain(..k).collect()
            };
            for &i in &ready {
                match sh.begin_remote(i) {
                    Ok(call) => self.calls.push(call),
                    Err(next) => dispatch(&sh, &next, 0),
                }
            }
            let answered = remote::answered(&mut self.calls, &sh.plan, trace, sh.run.settle);
            if ready.is_empty() && answered.is_empty() {
                return;
            }
            for (i, r) in answered {
                dispatch(&sh, &sh.finish_remote(i, r), 0);
            }
        }
    }

    /// The caller's share of the run, without waiting: completes the background reads
    /// that are done, starts input tasks within the budget (or runs them here), notices
    /// a cancel, reports progress; the outcome once the run is over. Reads still in
    /// flight then are dropped (see [`PendingRead`]).
    pub(crate) fn poll(
        &mut self,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Option<Result<(Vec<Value>, Stats)>> {
        let sh = &self.shared.clone();
        if self.reported.is_none() {
            let p = sh.progress();
            on_progress(p);
            self.reported = Some((p, sh.run.now()));
            let mut roots = Vec::new();
            for i in (0..sh.plan.len()).filter(|&i| sh.plan.deps[i].is_empty()) {
                sh.make_ready(i, &mut roots);
            }
            dispatch(sh, &roots, 0);
        }
        let budget = io_budget();
        loop {
            let mut caller = lock(&sh.caller);
            if caller.finished {
                break;
            }
            if let Some(k) = self.in_flight.iter().position(|f| f.read.is_done()) {
                drop(caller);
                let f = self.in_flight.swap_remove(k);
                dispatch(sh, &sh.finish_read(f).unwrap_or_default(), 0);
                continue;
            }
            let room = sh.io_live.load(Ordering::Acquire) + self.in_flight.len() < budget;
            // No other task is ready or running: every waiting read result waits for
            // more reads, so admit one over budget rather than stall.
            let idle = sh.queued.load(Ordering::Acquire) == 0 && self.in_flight.is_empty();
            let next = if room || idle {
                caller.io_ready.pop()
            } else {
                None
            };
            drop(caller);
            let Some(Reverse(i)) = next else {
                break;
            };
            if sh.cancelled.load(Ordering::Acquire) {
                continue;
            }
            match sh.begin_read(i) {
                Some(Ok(f)) => self.in_flight.push(f),
                Some(Err(e)) => dispatch(sh, &sh.complete(i, Err(e)).unwrap_or_default(), 0),
                None => dispatch(sh, &sh.run_one(i).unwrap_or_default(), 0),
            }
        }
        self.remote_work();
        // A cancelled compute ends here, even while every pool thread is in a long
        // kernel (which stops at its next block).
        let finished = lock(&sh.caller).finished;
        if !finished && sh.run.cancel.as_ref().is_some_and(|t| t.is_cancelled()) {
            sh.fail(Error::Cancelled);
        }
        if sh.over() {
            return Some(self.outcome(on_progress));
        }
        // Changed progress is reported at most every few milliseconds (often enough for
        // a progress bar; a run of 10,000 quick calls is not 10,000 messages); unchanged,
        // about once a second, as a heartbeat: the caller is alive even while a task
        // runs for long.
        let (p, now) = (sh.progress(), sh.run.now());
        let due = match self.reported {
            None => true,
            Some((last, at)) => {
                (last != p && now - at >= PROGRESS_EVERY_MS) || now - at >= HEARTBEAT_MS
            }
        };
        if due {
            on_progress(p);
            self.reported = Some((p, now));
        }
        None
    }

    fn outcome(&mut self, on_progress: &mut dyn FnMut(Progress)) -> Result<(Vec<Value>, Stats)> {
        let sh = &self.shared;
        lock(&FAIR).retire(sh.id);
        if let Some(e) = lock(&sh.error).take() {
            return Err(cancelled_or(&sh.run, e));
        }
        if let Some(t) = &sh.run.cancel {
            t.check()?;
        }
        on_progress(sh.progress());
        let values = sh.plan.output_values(|o| lock(&sh.cache[o]).clone())?;
        Ok((
            values,
            Stats {
                tasks: sh.done.load(Ordering::Acquire),
                peak_live: sh.peak_live.load(Ordering::Relaxed),
                peak_bytes: sh.ledger.peak(),
                threads_used: sh.threads.load(Ordering::Relaxed).count_ones() as usize,
            },
        ))
    }
}

impl Drop for Exec {
    /// A run dropped before its end (its caller gave up on it) stops dispatching.
    fn drop(&mut self) {
        let sh = &self.shared;
        sh.cancelled.store(true, Ordering::Release);
        lock(&FAIR).retire(sh.id);
    }
}
