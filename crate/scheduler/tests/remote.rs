//! Remote tasks (`Kernel::Remote`: JavaScript functions in function workers, here a
//! stand-in whose answer comes after a number of polls): both schedulers start every
//! ready one at once from the polling thread, run other tasks meanwhile, pass their
//! answers and errors on as a pool task's, run them in place when they cannot start
//! elsewhere, drop (cancel) the unanswered ones when the run ends early, and never fuse
//! them into chains. In Chromium these run too (no threads needed: answers come by polls).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use daskling_core::cancel::CancelToken;
use daskling_core::Error;
use daskling_graph::{Graph, Key, Task};
use daskling_kernels::{Func, Kernel, PendingCall, Remote, Value};
use daskling_scheduler::{failure, run_plan, wait, Execution, Plan, Run, Scheduler, Ticket};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// What the stand-in's calls did, counted.
#[derive(Default)]
struct Counts {
    started: AtomicUsize,
    answered: AtomicUsize,
    /// Most calls started and not answered at once.
    peak: AtomicUsize,
    /// Calls dropped before their answer.
    dropped: AtomicUsize,
    /// Runs in place (`body`).
    in_place: AtomicUsize,
}

/// A call answering `answer` after `polls` polls (never with `None`).
struct Call {
    polls: Option<usize>,
    answer: Option<Result<Value, String>>,
    counts: Arc<Counts>,
}

impl PendingCall for Call {
    fn poll(&mut self) -> Option<Result<Value, String>> {
        match &mut self.polls {
            Some(0) => {
                self.counts.answered.fetch_add(1, Ordering::SeqCst);
                self.answer.take()
            }
            Some(n) => {
                *n -= 1;
                None
            }
            None => None,
        }
    }
    fn lane(&self) -> Option<i32> {
        Some(7)
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if self.answer.is_some() {
            self.counts.dropped.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// A remote "add one to the sum of the inputs (or the literal `x`)", answering after
/// `polls` polls (`None`: never); fails for inputs summing to -13. `elsewhere`: false
/// when it cannot start elsewhere (it runs in place).
fn add_one(counts: &Arc<Counts>, polls: Option<usize>, elsewhere: bool) -> Kernel {
    fn compute(v: &[Value]) -> Result<Value, String> {
        let mut s = 0.0;
        for x in v {
            match x {
                Value::F64(x) => s += x,
                other => return Err(format!("expected numbers, got {other:?}")),
            }
        }
        if s == -13.0 {
            return Err("unlucky".into());
        }
        Ok(Value::F64(s + 1.0))
    }
    let (c1, c2) = (counts.clone(), counts.clone());
    Kernel::Remote(Remote {
        name: "add_one".into(),
        body: Arc::new(move |v: &[Value]| {
            c1.in_place.fetch_add(1, Ordering::SeqCst);
            compute(v)
        }),
        start: Arc::new(move |v: &[Value]| {
            if !elsewhere {
                return None;
            }
            let out =
                c2.started.fetch_add(1, Ordering::SeqCst) + 1 - c2.answered.load(Ordering::SeqCst);
            c2.peak.fetch_max(out, Ordering::SeqCst);
            Some(Box::new(Call {
                polls,
                answer: Some(compute(v)),
                counts: c2.clone(),
            }) as Box<dyn PendingCall>)
        }),
    })
}

fn lit(x: f64) -> Kernel {
    Kernel::Literal(Value::F64(x))
}

fn sum() -> Kernel {
    Kernel::Func(Func {
        name: "sum".into(),
        body: Arc::new(|v: &[Value]| {
            let s: f64 = v
                .iter()
                .map(|x| if let Value::F64(x) = x { *x } else { f64::NAN })
                .sum();
            Ok(Value::F64(s))
        }),
    })
}

/// `n` remote calls on literals 0..n, then a sum of them: Σ(i + 1).
fn fan_in(counts: &Arc<Counts>, n: u32, polls: Option<usize>) -> (Graph, Key) {
    let mut g = Graph::new();
    let mut calls = vec![];
    for i in 0..n {
        let (x, c) = (Key::new("x", &[i]), Key::new("add_one", &[i]));
        g.insert(x.clone(), Task::new(lit(i as f64), vec![]));
        g.insert(c.clone(), Task::new(add_one(counts, polls, true), vec![x]));
        calls.push(c);
    }
    g.insert(Key::named("total"), Task::new(sum(), calls));
    (g, Key::named("total"))
}

fn run(
    g: &Graph,
    out: &[Key],
    scheduler: Scheduler,
    settle: bool,
    cancel: Option<CancelToken>,
) -> daskling_core::Result<Vec<Value>> {
    let plan = Arc::new(Plan::new(g, out)?);
    let run = Run {
        scheduler,
        settle,
        cancel,
        ..Run::default()
    };
    run_plan(plan, run, &mut |_| {}).map(|(v, _)| v)
}

fn f64_of(v: &Value) -> f64 {
    match v {
        Value::F64(x) => *x,
        other => panic!("not a number: {other:?}"),
    }
}

const SCHEDULERS: [Scheduler; 2] = [Scheduler::Sync, Scheduler::Threads];

#[test]
fn every_ready_call_is_out_at_once_and_the_answers_flow_on() {
    for s in SCHEDULERS {
        let counts = Arc::new(Counts::default());
        // Answers after 100 polls: later than the last start, in either scheduler.
        let (g, total) = fan_in(&counts, 8, Some(100));
        let v = run(&g, &[total], s, false, None).unwrap();
        // Σ (i + 1) for i in 0..8, by hand: 36.
        assert_eq!(f64_of(&v[0]), 36.0, "{s:?}");
        assert_eq!(counts.started.load(Ordering::SeqCst), 8);
        assert_eq!(
            counts.peak.load(Ordering::SeqCst),
            8,
            "{s:?}: all eight out together"
        );
        assert_eq!(counts.in_place.load(Ordering::SeqCst), 0);
    }
}

#[test]
fn a_thousand_ready_calls_go_out_at_most_a_window_at_a_time() {
    for s in SCHEDULERS {
        let counts = Arc::new(Counts::default());
        let (g, total) = fan_in(&counts, 1000, Some(100));
        let v = run(&g, &[total], s, false, None).unwrap();
        // Σ (i + 1) for i in 0..1000: 1000 · 1001 / 2.
        assert_eq!(f64_of(&v[0]), 500_500.0, "{s:?}");
        assert_eq!(counts.answered.load(Ordering::SeqCst), 1000);
        let peak = counts.peak.load(Ordering::SeqCst);
        assert!((8..=32).contains(&peak), "{s:?}: {peak} calls out at once");
    }
}

#[test]
fn a_chain_of_calls_and_pool_tasks() {
    for s in SCHEDULERS {
        let counts = Arc::new(Counts::default());
        let mut g = Graph::new();
        g.insert(Key::named("a"), Task::new(lit(1.0), vec![]));
        let mut prev = Key::named("a");
        // 1 → +1 → (sum with 10) → +1 → … : ((1 + 1 + 10) + 1 + 10) …
        for i in 0..6u32 {
            let c = Key::new("add_one", &[i]);
            g.insert(
                c.clone(),
                Task::new(add_one(&counts, Some(2), true), vec![prev.clone()]),
            );
            let ten = Key::new("ten", &[i]);
            g.insert(ten.clone(), Task::new(lit(10.0), vec![]));
            let p = Key::new("plus", &[i]);
            g.insert(p.clone(), Task::new(sum(), vec![c, ten]));
            prev = p;
        }
        let v = run(
            &g.optimize(std::slice::from_ref(&prev)).unwrap(),
            &[prev],
            s,
            false,
            None,
        )
        .unwrap();
        // Each round adds 11: 1 + 6 × 11.
        assert_eq!(f64_of(&v[0]), 67.0, "{s:?}");
        assert_eq!(
            counts.started.load(Ordering::SeqCst),
            6,
            "{s:?}: no call fused away"
        );
    }
}

#[test]
fn a_failed_answer_fails_the_compute_or_only_its_dependents_when_settled() {
    for s in SCHEDULERS {
        let counts = Arc::new(Counts::default());
        // Calls on 0..13: fine; a call on -13 fails.
        let (g, total) = fan_in(&counts, 13, Some(1));
        let mut g2 = g.clone();
        g2.insert(Key::named("thirteen"), Task::new(lit(-13.0), vec![]));
        g2.insert(
            Key::named("bad"),
            Task::new(
                add_one(&counts, Some(1), true),
                vec![Key::named("thirteen")],
            ),
        );
        g2.insert(
            Key::named("after"),
            Task::new(sum(), vec![Key::named("bad"), total.clone()]),
        );
        let e = run(&g2, &[Key::named("after")], s, false, None).unwrap_err();
        assert_eq!(e.to_string(), "task bad failed: unlucky", "{s:?}");
        let v = run(&g2, &[Key::named("after"), total.clone()], s, true, None).unwrap();
        assert_eq!(
            failure(&v[0]).map(|e| e.to_string()).as_deref(),
            Some("task bad failed: unlucky")
        );
        // Σ (i + 1) for i in 0..13: 91.
        assert_eq!(f64_of(&v[1]), 91.0, "{s:?}");
    }
}

#[test]
fn a_call_that_cannot_start_elsewhere_runs_in_place() {
    for s in SCHEDULERS {
        let counts = Arc::new(Counts::default());
        let mut g = Graph::new();
        g.insert(Key::named("x"), Task::new(lit(4.0), vec![]));
        g.insert(
            Key::named("y"),
            Task::new(add_one(&counts, None, false), vec![Key::named("x")]),
        );
        let v = run(&g, &[Key::named("y")], s, false, None).unwrap();
        assert_eq!(f64_of(&v[0]), 5.0);
        assert_eq!(counts.in_place.load(Ordering::SeqCst), 1);
        assert_eq!(counts.started.load(Ordering::SeqCst), 0);
    }
}

#[test]
fn a_cancelled_run_drops_its_unanswered_calls() {
    for s in SCHEDULERS {
        let counts = Arc::new(Counts::default());
        // Calls that never answer, then a cancel while they are out.
        let (g, total) = fan_in(&counts, 4, None);
        let plan = Arc::new(Plan::new(&g, &[total]).unwrap());
        let token = CancelToken::new();
        let mut exec = Execution::start(
            plan,
            Run {
                scheduler: s,
                cancel: Some(token.clone()),
                ..Run::default()
            },
        );
        let mut polls = 0;
        while counts.started.load(Ordering::SeqCst) < 4 || !exec.waiting_outside() {
            let ticket = Ticket::now();
            assert!(exec.poll(None, &mut |_| {}).is_none());
            polls += 1;
            assert!(polls < 100_000, "{s:?}: the calls never all started");
            wait(ticket, exec.idle_for());
        }
        token.cancel();
        let out = loop {
            if let Some(out) = exec.poll(None, &mut |_| {}) {
                break out;
            }
        };
        assert!(matches!(out, Err(Error::Cancelled)), "{s:?}: {out:?}");
        drop(exec);
        assert_eq!(counts.dropped.load(Ordering::SeqCst), 4, "{s:?}");
    }
}

#[test]
fn remote_tasks_are_never_fused() {
    let counts = Arc::new(Counts::default());
    let mut g = Graph::new();
    g.insert(Key::named("a"), Task::new(lit(1.0), vec![]));
    g.insert(
        Key::named("b"),
        Task::new(add_one(&counts, Some(0), true), vec![Key::named("a")]),
    );
    g.insert(
        Key::named("c"),
        Task::new(add_one(&counts, Some(0), true), vec![Key::named("b")]),
    );
    g.insert(Key::named("d"), Task::new(sum(), vec![Key::named("c")]));
    let fused = g.fuse_linear(&[Key::named("d")]);
    assert_eq!(fused.len(), 4);
}
