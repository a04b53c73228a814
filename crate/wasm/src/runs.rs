//! The computes a compute worker's kernel has running ([`Runs`]): started by
//! `Context.start`, advanced together by `Context.pump` between the worker's messages
//! (so that another compute, or a cancel, is read while one runs), and turned into
//! JavaScript values when they end.

use std::sync::Arc;
use std::time::Duration;

use wasm_bindgen::prelude::*;

use super::{js, js_err, set, to_js, value_as_js};
use daskling::cancel::CancelToken;
use daskling::expr::{self, Expr, Lazy};
use daskling::kernels::Value;
use daskling::scheduler::{failure, wait, Execution, Progress, Scheduler, Stats, Ticket, Trace};
use daskling::Result;
use std::sync::{Mutex, PoisonError};

/// What a run's values become when it ends.
enum Finish {
    /// The expressions' values, each `{value}` or `{error}` when `settle`.
    Values { exprs: Vec<Expr>, settle: bool },
    /// A persisted array, dataframe or series, kept by the context; its name is the
    /// result.
    Persist(Expr),
}

/// One compute in progress.
pub(crate) struct Running {
    /// The caller's id for it (the worker's message id).
    id: u32,
    exec: Execution,
    finish: Finish,
    token: CancelToken,
    on_progress: js_sys::Function,
    stream: Option<Arc<Trace>>,
    /// Milliseconds of this thread spent polling it, counted from the least any run
    /// had when it started: the fair share (see [`Context::pump_runs`]).
    used: f64,
}

/// The longest a synchronous run holds the thread before the next run's turn (ms).
const SYNC_SLICE_MS: f64 = 4.0;

impl Running {
    /// Advances the run (until `until` where it runs its own tasks); its outcome once over.
    fn poll(&mut self, until: f64) -> Option<Result<(Vec<Value>, Stats)>> {
        let (stream, on_progress) = (&self.stream, &self.on_progress);
        let mut report = |p: Progress| {
            let obj = to_js(&p);
            if let Some(t) = stream {
                let _ = js_sys::Reflect::set(&obj, &"tasks".into(), &to_js(&t.drain()));
            }
            // A throwing progress callback must not stop the compute.
            let _ = on_progress.call1(&JsValue::NULL, &obj);
        };
        self.exec.poll(Some(until), &mut report)
    }
}

/// What a run is asked for: its expressions, how its results are given, and its
/// progress callback and cancel token.
pub(crate) struct Request {
    pub(crate) id: u32,
    pub(crate) exprs: Vec<Expr>,
    pub(crate) on_progress: js_sys::Function,
    pub(crate) trace: bool,
    pub(crate) settle: bool,
    pub(crate) persist: bool,
    pub(crate) token: CancelToken,
}

/// The runs in progress (behind a mutex rather than a `RefCell` so that the kernel's
/// `&Context` crosses wasm-bindgen's unwind boundary, and a panic while it is held does
/// not lose the other runs).
#[derive(Default)]
pub(crate) struct Runs(Mutex<Vec<Running>>);

impl Runs {
    /// `f` of the runs (locked only while `f` runs).
    fn with<R>(&self, f: impl FnOnce(&mut Vec<Running>) -> R) -> R {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// How many are running.
    pub(crate) fn len(&self) -> usize {
        self.with(|runs| runs.len())
    }

    /// Starts run `req` of expressions in `ctx`.
    pub(crate) fn begin(
        &self,
        ctx: &daskling::Context,
        req: Request,
    ) -> std::result::Result<(), JsError> {
        let Request {
            id,
            exprs,
            on_progress,
            trace,
            settle,
            persist,
            token,
        } = req;
        let stream = trace.then(|| Arc::new(ctx.trace()));
        let options = expr::RunOptions {
            settle,
            cancel: Some(token.clone()),
            ..ctx.run_options(Scheduler::Threads, stream.clone())
        };
        let (exec, finish) = if persist {
            let exec = match exprs.first() {
                Some(Expr::Array(a)) => a.start_persist(&options),
                Some(Expr::Df(d)) => d.start_persist(&options),
                _ => {
                    return Err(JsError::new(
                        "persist: expected an array, dataframe or series",
                    ))
                }
            };
            (exec.map_err(js_err)?, Finish::Persist(exprs[0].clone()))
        } else {
            let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
            let exec = expr::start_values(&lazies, &options).map_err(js_err)?;
            (exec, Finish::Values { exprs, settle })
        };
        self.with(|runs| {
            // A new run starts level with the least served one, not at zero: it gets
            // its turns at once without holding the thread until it has caught up.
            let used = least_used(runs).unwrap_or(0.0);
            runs.push(Running {
                id,
                exec,
                finish,
                token,
                on_progress,
                stream,
                used,
            })
        });
        Ok(())
    }

    /// Cancels run `id`, if it is running.
    pub(crate) fn cancel(&self, id: u32) {
        self.with(|runs| {
            if let Some(r) = runs.iter().find(|r| r.id == id) {
                r.token.cancel();
            }
        });
    }

    /// Whether every run waits for a function worker's answer (which arrives as a
    /// message of this worker: nothing to do until it is read).
    pub(crate) fn waiting_outside(&self) -> bool {
        self.with(|runs| !runs.is_empty() && runs.iter().all(|r| r.exec.waiting_outside()))
    }

    /// Advances every run for about `budget_ms`; the ones that ended, as
    /// `[{id, result} | {id, error}]`.
    ///
    /// Runs share this thread by the time they take, not by turns: each round polls only
    /// the runs within a slice of the least served one, so in the single-threaded build a
    /// compute of many short tasks started beside one of 100 ms GEMM blocks runs several
    /// slices for each of the long one's tasks. (Threaded runs take microseconds to poll:
    /// every round polls them all, and the pool shares itself fairly.)
    pub(crate) fn pump(&self, ctx: &daskling::Context, budget_ms: f64) -> js_sys::Array {
        let out = js_sys::Array::new();
        let end = js::clock() + budget_ms.max(0.0);
        loop {
            let ticket = Ticket::now();
            let floor = self.with(|runs| least_used(runs)).unwrap_or(0.0);
            let mut k = 0;
            loop {
                // The run is taken out while it is polled: its progress callback is
                // JavaScript, which may call back into this context.
                let next = self.with(|runs| {
                    while k < runs.len() && runs[k].used > floor + SYNC_SLICE_MS {
                        k += 1;
                    }
                    (k < runs.len()).then(|| runs.remove(k))
                });
                let Some(mut r) = next else { break };
                let start = js::clock();
                let outcome = r.poll(end.min(start + SYNC_SLICE_MS));
                r.used += js::clock() - start;
                match outcome {
                    Some(outcome) => {
                        out.push(&outcome_js(ctx, r, outcome));
                    }
                    None => {
                        self.with(|runs| runs.insert(k, r));
                        k += 1;
                    }
                }
            }
            let idle = self.with(|runs| runs.iter().map(|r| r.exec.idle_for()).min());
            let left = end - js::clock();
            let Some(idle) = idle else { break };
            // Answers of function workers arrive as this worker's messages: read them.
            if left <= 0.0 || self.waiting_outside() {
                break;
            }
            wait(ticket, idle.min(Duration::from_secs_f64(left / 1e3)));
        }
        out
    }
}

/// The message of an ended run: `{id, result}` or `{id, error}`.
fn outcome_js(
    ctx: &daskling::Context,
    r: Running,
    outcome: Result<(Vec<Value>, Stats)>,
) -> JsValue {
    let msg = js_sys::Object::new();
    set(&msg, "id", &r.id.into());
    // What the tasks reported besides their values (readCsv's skipped bad lines).
    let warnings = r.token.take_warnings();
    if !warnings.is_empty() {
        let list: js_sys::Array = warnings.iter().map(|w| JsValue::from_str(w)).collect();
        set(&msg, "warnings", &list);
    }
    let result = outcome.and_then(|(values, _)| match r.finish {
        Finish::Values { exprs, settle } => Ok(values_js(&values, &exprs, settle)),
        Finish::Persist(Expr::Array(a)) => {
            let p = a.persisted(values)?;
            ctx.keep(&p);
            Ok(JsValue::from_str(p.name()))
        }
        Finish::Persist(Expr::Df(d)) => {
            ctx.keep_frame(&d.persisted(values)?);
            Ok(JsValue::from_str(d.name()))
        }
        Finish::Persist(e) => Err(daskling::Error::invalid(format!(
            "persist: {} is not an array or a dataframe",
            e.name()
        ))),
    });
    match result {
        Ok(v) => set(&msg, "result", &v),
        Err(e) => set(&msg, "error", &JsValue::from_str(&e.to_string())),
    }
    msg.into()
}

/// The least time any of `runs` has been served (`None`: no run).
fn least_used(runs: &[Running]) -> Option<f64> {
    runs.iter().map(|r| r.used).reduce(f64::min)
}

/// The values of `exprs` as JavaScript: an array of them, or with `settle` of `{value}`
/// or `{error}` per output (a failed output does not stop the others: futures).
fn values_js(values: &[Value], exprs: &[Expr], settle: bool) -> JsValue {
    let settled = |v: &Value, e: &Expr| {
        let out = js_sys::Object::new();
        match failure(v) {
            Some(err) => set(&out, "error", &JsValue::from_str(&err.to_string())),
            None => set(&out, "value", &value_as_js(v, e.kind())),
        }
        JsValue::from(out)
    };
    let list: js_sys::Array = values
        .iter()
        .zip(exprs)
        .map(|(v, e)| {
            if settle {
                settled(v, e)
            } else {
                value_as_js(v, e.kind())
            }
        })
        .collect();
    list.into()
}
