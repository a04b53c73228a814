//! Tasks that run elsewhere ([`Kernel::Remote`]: a JavaScript function in a function
//! worker). Both schedulers start them on the thread that polls the run, keep the
//! started ones here, and collect their answers at each poll; a run that is dropped
//! drops its calls, which cancels them (the bindings terminate the worker of one still
//! running). Only the starting and the answer are shared here: where the result goes
//! (the synchronous [`State`](crate::State), the threaded run's slots) is each
//! scheduler's own.

use super::{execute_settled, failure, record, settled, Plan, Trace};
use daskling_core::{Error, Result};
use daskling_kernels::{Kernel, PendingCall, Value};

/// The most remote tasks one run has out at once. Each poll asks every one of them for
/// its answer, so the window keeps a run of 10,000 ready calls linear; it is well above
/// the number of function workers, which run the calls a few at a time anyway.
pub(crate) const WINDOW: usize = 32;

/// A remote task started and not answered yet.
pub(crate) struct InCall {
    /// Its number in the plan.
    pub(crate) task: usize,
    pending: Box<dyn PendingCall>,
    /// When it started, by the trace's clock.
    start: f64,
}

impl std::fmt::Debug for InCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InCall({})", self.task)
    }
}

/// What starting a remote task gave.
pub(crate) enum Begun {
    /// It runs elsewhere; poll it.
    Started(InCall),
    /// It is over already: a failed input passed on (a settled run), or it ran here
    /// because it could not start elsewhere.
    Done(Result<Value>),
}

/// Starts remote task `i` of `plan` on `inputs`, to be recorded in `trace`; `settle`:
/// as [`Run::settle`](crate::Run::settle).
pub(crate) fn begin(
    plan: &Plan,
    i: usize,
    inputs: &[Value],
    trace: Option<&Trace>,
    settle: bool,
) -> Begun {
    if settle {
        if let Some(failed) = inputs.iter().find(|v| failure(v).is_some()) {
            return Begun::Done(Ok(failed.clone()));
        }
    }
    let started = match &plan.kernels[i] {
        Kernel::Remote(r) => (r.start)(inputs),
        _ => None,
    };
    match started {
        Some(pending) => Begun::Started(InCall {
            task: i,
            pending,
            start: trace.map_or(0.0, |t| t.now()),
        }),
        None => Begun::Done(execute_settled(plan, i, inputs, trace, settle)),
    }
}

impl InCall {
    /// The task's outcome once its answer is in (recorded in the run's trace), as the
    /// run keeps it (a settled run: a failure as a failed value).
    pub(crate) fn poll(
        &mut self,
        plan: &Plan,
        trace: Option<&Trace>,
        settle: bool,
    ) -> Option<Result<Value>> {
        let answer = self.pending.poll()?;
        if let Some(trace) = trace {
            record(
                trace,
                plan,
                self.task,
                self.pending.lane().unwrap_or(-1),
                self.start,
            );
        }
        let key = &plan.keys[self.task];
        let r = answer.map_err(|message| Error::TaskFailed {
            key: key.to_string(),
            message,
        });
        Some(settled(r, settle))
    }
}

/// Takes the answered calls out of `calls`, with their outcomes.
pub(crate) fn answered(
    calls: &mut Vec<InCall>,
    plan: &Plan,
    trace: Option<&Trace>,
    settle: bool,
) -> Vec<(usize, Result<Value>)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < calls.len() {
        match calls[k].poll(plan, trace, settle) {
            Some(r) => out.push((calls.swap_remove(k).task, r)),
            None => k += 1,
        }
    }
    out
}
