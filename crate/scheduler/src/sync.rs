//! The synchronous scheduler: one thread, dask's local scheduler in miniature.
//!
//! Its whole state is [`State`]. For the graph `a → b → c` with output `c`
//! (tasks numbered in priority order 0, 1, 2):
//!
//! ```text
//! start            ready=[0]  waiting=[0,1,1]  waiting_data=[1,1,0]  cache={}
//! finish 0         ready=[1]  waiting=[0,0,1]                        cache={0}
//! finish 1         ready=[2]  waiting=[0,0,0]  waiting_data=[0,1,0]  cache={1}   (0 released)
//! finish 2         ready=[]                    waiting_data=[0,0,0]  cache={2}   (1 released)
//! ```
//! `ready` is a stack, so a task's newly ready dependents run before unrelated work:
//! one branch of a reduction completes before the next begins and its inputs are freed.
//!
//! A remote task ([`daskling_kernels::Kernel::Remote`]) is started when it comes up and
//! finished when its answer is in ([`State::collect`]); meanwhile other tasks run, and a
//! poll with nothing else to do returns to its caller (see
//! [`Execution::waiting_outside`](crate::Execution::waiting_outside)).

use std::sync::Arc;

use super::memory::{Budget, Ledger, MemoryLimit};
use super::remote::{self, Begun, InCall};
use super::{cancelled_or, execute_settled, progress_every, Plan, Progress, Run, Stats, Trace};
use daskling_core::Result;
use daskling_kernels::Value;

/// The state of a synchronous run, as dask's `start_state_from_dask`: every field is
/// public, and [`State::step`] runs one task, so a run can be followed step by step.
///
/// ```
/// use daskling_graph::{Graph, Key, Task};
/// use daskling_kernels::{Func, Kernel, Value};
/// use daskling_scheduler::{Plan, State};
/// use std::sync::Arc;
///
/// // a → b → c: each adds one to its input.
/// let inc = Kernel::Func(Func {
///     name: "inc".into(),
///     body: Arc::new(|v: &[Value]| match v {
///         [Value::F64(x)] => Ok(Value::F64(x + 1.0)),
///         _ => Ok(Value::F64(0.0)),
///     }),
/// });
/// let mut g = Graph::new();
/// g.insert(Key::named("a"), Task::new(Kernel::Literal(Value::F64(1.0)), vec![]));
/// g.insert(Key::named("b"), Task::new(inc.clone(), vec![Key::named("a")]));
/// g.insert(Key::named("c"), Task::new(inc, vec![Key::named("b")]));
/// let plan = Plan::new(&g, &[Key::named("c")]).unwrap();
///
/// let mut st = State::new(&plan);
/// assert_eq!((st.ready.clone(), st.waiting.clone(), st.waiting_data.clone()), (vec![0], vec![0, 1, 1], vec![1, 1, 0]));
/// assert_eq!(st.step(&plan, None).unwrap(), Some(0)); // a
/// assert_eq!((st.ready.clone(), st.waiting.clone()), (vec![1], vec![0, 0, 1]));
/// assert!(st.cache[0].is_some());
/// assert_eq!(st.step(&plan, None).unwrap(), Some(1)); // b: a's result is released
/// assert!(st.cache[0].is_none() && st.cache[1].is_some());
/// assert_eq!(st.step(&plan, None).unwrap(), Some(2)); // c
/// assert_eq!(st.step(&plan, None).unwrap(), None);    // done
/// assert!(matches!(st.cache[2], Some(Value::F64(x)) if x == 3.0));
/// assert_eq!((st.finished, st.released, st.peak_live), (3, 2, 2));
/// ```
#[derive(Debug)]
pub struct State {
    /// Results held, by task index.
    pub cache: Vec<Option<Value>>,
    /// Per task: dependencies (uses) not yet finished.
    pub waiting: Vec<u32>,
    /// Per task: dependents (uses) not yet run; at zero its result is released.
    pub waiting_data: Vec<u32>,
    /// Tasks ready to run, the next on top.
    pub ready: Vec<u32>,
    /// Tasks finished.
    pub finished: usize,
    /// Results released.
    pub released: usize,
    /// Results held now.
    pub live: usize,
    /// The most results held at once.
    pub peak_live: usize,
    /// Whether outputs settle on their own ([`Run::settle`]).
    pub settle: bool,
    /// The bytes held, against the compute's limit.
    ledger: Ledger,
    /// Remote tasks started and not answered yet.
    calls: Vec<InCall>,
    /// Ready remote tasks waiting for room in the window ([`remote::WINDOW`]).
    deferred: Vec<u32>,
}

impl State {
    /// The state before anything runs, with no memory limit.
    pub fn new(plan: &Plan) -> Self {
        State::with_limit(plan, MemoryLimit::NONE)
    }

    /// The state before anything runs; held results may not exceed `limit`.
    pub fn with_limit(plan: &Plan, limit: MemoryLimit) -> Self {
        State::with_budget(plan, limit, None)
    }

    /// As [`State::with_limit`], `limit` bounding what every compute sharing `budget`
    /// holds together.
    pub(crate) fn with_budget(
        plan: &Plan,
        limit: MemoryLimit,
        budget: Option<Arc<Budget>>,
    ) -> Self {
        let waiting: Vec<u32> = plan.deps.iter().map(|d| d.len() as u32).collect();
        // Lowest index on top of the stack.
        let ready = (0..plan.len() as u32)
            .rev()
            .filter(|&i| waiting[i as usize] == 0)
            .collect();
        State {
            cache: vec![None; plan.len()],
            waiting,
            waiting_data: plan.dependents.iter().map(|d| d.len() as u32).collect(),
            ready,
            finished: 0,
            released: 0,
            live: 0,
            peak_live: 0,
            settle: false,
            ledger: Ledger::new(limit, budget),
            calls: Vec::new(),
            deferred: Vec::new(),
        }
    }

    /// The most bytes of results held at once so far.
    pub fn peak_bytes(&self) -> u64 {
        self.ledger.peak()
    }

    /// Stores the result of task `i`, makes dependents ready, releases inputs no longer needed.
    pub fn finish_task(&mut self, plan: &Plan, i: usize, value: Value) {
        self.cache[i] = Some(value);
        self.live += 1;
        self.peak_live = self.peak_live.max(self.live);
        self.finished += 1;
        // Push in reverse so the first dependent is on top.
        for &d in plan.dependents[i].iter().rev() {
            let w = &mut self.waiting[d as usize];
            *w -= 1;
            if *w == 0 {
                self.ready.push(d);
            }
        }
        for &dep in &plan.deps[i] {
            let wd = &mut self.waiting_data[dep as usize];
            *wd -= 1;
            if *wd == 0 && !plan.is_output[dep as usize] {
                self.release_data(plan, dep as usize);
            }
        }
    }

    /// Runs the task on top of `ready` and records its result (a remote task: starts
    /// it): the task's number, or `None` when nothing is ready (the run is over unless
    /// remote tasks are [running](State::calls_running)). A failing task is an error.
    pub fn step(&mut self, plan: &Plan, trace: Option<&Trace>) -> Result<Option<usize>> {
        let Some(i) = self.ready.pop() else {
            return Ok(None);
        };
        let i = i as usize;
        if plan.remote[i] && self.calls.len() >= remote::WINDOW {
            self.deferred.push(i as u32);
            return Ok(Some(i));
        }
        let inputs = plan.inputs_of(i, |d| self.cache[d].clone())?;
        self.ledger.begin(plan, i)?;
        let value = if plan.remote[i] {
            match remote::begin(plan, i, &inputs, trace, self.settle) {
                Begun::Started(call) => {
                    self.calls.push(call);
                    return Ok(Some(i));
                }
                Begun::Done(r) => r,
            }
        } else {
            execute_settled(plan, i, &inputs, trace, self.settle)
        };
        let value = value.inspect_err(|_| self.ledger.abandon())?;
        drop(inputs);
        self.ledger.end(plan, i, &value)?;
        self.finish_task(plan, i, value);
        Ok(Some(i))
    }

    /// Finishes the remote tasks whose answers are in, and makes deferred ones ready
    /// again as the window has room; how many finished. A failed one is an error (in a
    /// settled run, a failed value).
    pub fn collect(&mut self, plan: &Plan, trace: Option<&Trace>) -> Result<usize> {
        if self.calls.is_empty() && self.deferred.is_empty() {
            return Ok(0);
        }
        let answered = remote::answered(&mut self.calls, plan, trace, self.settle);
        let n = answered.len();
        for (i, r) in answered {
            let value = r.inspect_err(|_| self.ledger.abandon())?;
            self.ledger.end(plan, i, &value)?;
            self.finish_task(plan, i, value);
        }
        let room = remote::WINDOW.saturating_sub(self.calls.len());
        let back = self.deferred.len().saturating_sub(room);
        self.ready.extend(self.deferred.drain(back..));
        Ok(n)
    }

    /// Remote tasks started and not answered yet, or waiting for room to start.
    pub fn calls_running(&self) -> usize {
        self.calls.len() + self.deferred.len()
    }

    /// Frees the result of task `i`.
    pub fn release_data(&mut self, plan: &Plan, i: usize) {
        if let Some(v) = self.cache[i].take() {
            self.ledger.free(plan, i, &v);
            self.live -= 1;
            self.released += 1;
        }
    }
}

/// A synchronous run in progress: its tasks run on the thread that polls it.
pub(crate) struct Exec {
    plan: Arc<Plan>,
    st: State,
    run: Run,
    every: usize,
    /// Progress last reported and when (`None`: not yet).
    reported: Option<(Progress, f64)>,
}

impl Exec {
    pub(crate) fn new(plan: Arc<Plan>, run: Run) -> Exec {
        let mut st = State::with_budget(&plan, run.limit, run.budget.clone());
        st.settle = run.settle;
        Exec {
            every: progress_every(plan.len()),
            plan,
            st,
            run,
            reported: None,
        }
    }

    fn progress(&self) -> Progress {
        Progress {
            done: self.st.finished,
            total: self.plan.len(),
            running: self.st.calls_running(),
        }
    }

    /// Reports progress when it changed, and unchanged about once a second (the
    /// heartbeat the client watches for while remote tasks run).
    fn report(&mut self, on_progress: &mut dyn FnMut(Progress)) {
        let (p, now) = (self.progress(), self.run.now());
        let due = match self.reported {
            None => true,
            Some((last, at)) => last != p || now - at >= super::HEARTBEAT_MS,
        };
        if due {
            on_progress(p);
            self.reported = Some((p, now));
        }
    }

    /// Whether nothing can run until a remote task's answer is in.
    pub(crate) fn waiting_outside(&self) -> bool {
        self.st.ready.is_empty() && self.st.calls_running() > 0
    }

    /// Runs tasks until the run's clock passes `until` (or to the end); the outcome
    /// when the run is over.
    pub(crate) fn poll(
        &mut self,
        until: Option<f64>,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Option<Result<(Vec<Value>, Stats)>> {
        if self.reported.is_none() {
            self.report(on_progress);
        }
        let (plan, run, every) = (self.plan.clone(), self.run.clone(), self.every);
        let total = plan.len();
        // Every task runs on this thread: one cancel scope for the slice (kernels check it).
        let step = daskling_core::cancel::scope(run.cancel.as_ref(), || -> Result<bool> {
            loop {
                if let Some(t) = &run.cancel {
                    t.check()?;
                }
                self.st.collect(&plan, run.trace.as_deref())?;
                if self.st.step(&plan, run.trace.as_deref())?.is_none() {
                    // Over, or every task left waits for a remote answer.
                    return Ok(self.st.calls_running() == 0);
                }
                if self.st.finished.is_multiple_of(every) && self.st.finished < total {
                    self.report(on_progress);
                }
                if until.is_some_and(|u| run.now() >= u) {
                    return Ok(false);
                }
            }
        });
        match step {
            Err(e) => Some(Err(cancelled_or(&run, e))),
            Ok(false) => {
                self.report(on_progress);
                None
            }
            Ok(true) => {
                self.report(on_progress);
                let st = &self.st;
                Some(plan.output_values(|o| st.cache[o].clone()).map(|values| {
                    let stats = Stats {
                        tasks: st.finished,
                        peak_live: st.peak_live,
                        peak_bytes: st.peak_bytes(),
                        threads_used: 1,
                    };
                    (values, stats)
                }))
            }
        }
    }
}
