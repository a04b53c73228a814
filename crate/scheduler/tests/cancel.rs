//! Cancelling a compute: no task is dispatched after its token is cancelled, a running
//! kernel that checks stops at its next block, the run ends with `Error::Cancelled`
//! (not the error of the task that noticed), and the next compute works. In Chromium the
//! synchronous scheduler's cases run (a task cancels its own compute, as no other thread
//! can there); natively another thread cancels while the pool runs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use daskling_core::cancel::{self, CancelToken};
use daskling_core::Error;
use daskling_graph::{Graph, Key, Task};
use daskling_kernels::{Func, Kernel, Value};
use daskling_scheduler::{run_plan, Plan, Run, Scheduler};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A chain of `n` tasks, each counting its run in `ran` and then calling `body`.
fn chain(n: u32, ran: &Arc<AtomicUsize>, body: fn() -> Result<(), String>) -> (Graph, Key) {
    let mut g = Graph::new();
    let f = {
        let ran = ran.clone();
        Func {
            name: "step".into(),
            body: Arc::new(move |_: &[Value]| {
                ran.fetch_add(1, Ordering::SeqCst);
                body()?;
                Ok(Value::F64(1.0))
            }),
        }
    };
    for i in 0..n {
        let deps = if i == 0 {
            vec![]
        } else {
            vec![Key::new("step", &[i - 1])]
        };
        g.insert(
            Key::new("step", &[i]),
            Task::new(Kernel::Func(f.clone()), deps),
        );
    }
    (g, Key::new("step", &[n - 1]))
}

fn run(
    g: &Graph,
    out: &Key,
    scheduler: Scheduler,
    token: &CancelToken,
) -> Result<Vec<Value>, Error> {
    let plan = Plan::new(g, std::slice::from_ref(out))?;
    let run = Run {
        scheduler,
        cancel: Some(token.clone()),
        ..Run::default()
    };
    run_plan(Arc::new(plan), run, &mut |_| {}).map(|(v, _)| v)
}

#[test]
fn a_cancelled_token_runs_no_task() {
    let ran = Arc::new(AtomicUsize::new(0));
    let (g, out) = chain(10, &ran, || Ok(()));
    let token = CancelToken::new();
    token.cancel();
    assert!(matches!(
        run(&g, &out, Scheduler::Sync, &token),
        Err(Error::Cancelled)
    ));
    assert_eq!(ran.load(Ordering::SeqCst), 0);
    // A fresh token: the same graph computes.
    let values = run(&g, &out, Scheduler::Sync, &CancelToken::new()).unwrap();
    assert!(matches!(values[0], Value::F64(x) if x == 1.0));
    assert_eq!(ran.load(Ordering::SeqCst), 10);
}

#[test]
fn a_task_that_cancels_stops_the_chain_and_the_run_says_cancelled() {
    let ran = Arc::new(AtomicUsize::new(0));
    // The third task cancels its own compute (as an abort would, mid-run) and then
    // notices at its next "block": the run is Cancelled, not "task step failed".
    let (g, out) = chain(10, &ran, || {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        if CALLS.fetch_add(1, Ordering::SeqCst) == 2 {
            CancelToken::current()
                .expect("a task runs in its compute's scope")
                .cancel();
        }
        cancel::check().map_err(|e| e.to_string())
    });
    let token = CancelToken::new();
    assert!(matches!(
        run(&g, &out, Scheduler::Sync, &token),
        Err(Error::Cancelled)
    ));
    assert_eq!(ran.load(Ordering::SeqCst), 3, "no task after the cancel");
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn another_thread_cancels_a_running_pool_compute() {
    use std::time::{Duration, Instant};
    // 64 independent tasks of ~20 ms each, on the pool, feeding one sum: ~0.6 s of work
    // on two threads. Each task checks the token every millisecond, as a kernel checks
    // at its blocks.
    let ran = Arc::new(AtomicUsize::new(0));
    let spin = {
        let ran = ran.clone();
        Func {
            name: "spin".into(),
            body: Arc::new(move |_: &[Value]| {
                ran.fetch_add(1, Ordering::SeqCst);
                let t = Instant::now();
                while t.elapsed() < Duration::from_millis(20) {
                    cancel::check().map_err(|e| e.to_string())?;
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok(Value::F64(1.0))
            }),
        }
    };
    let mut g = Graph::new();
    let keys: Vec<Key> = (0..64u32).map(|i| Key::new("spin", &[i])).collect();
    for k in &keys {
        g.insert(k.clone(), Task::new(Kernel::Func(spin.clone()), vec![]));
    }
    let sum = Func {
        name: "sum".into(),
        body: Arc::new(|xs: &[Value]| Ok(Value::F64(xs.len() as f64))),
    };
    g.insert(Key::named("sum"), Task::new(Kernel::Func(sum), keys));
    let token = CancelToken::new();
    let remote = token.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        remote.cancel();
    });
    let r = run(&g, &Key::named("sum"), Scheduler::Threads, &token);
    canceller.join().unwrap();
    assert!(matches!(r, Err(Error::Cancelled)), "{:?}", r.err());
    let n = ran.load(Ordering::SeqCst);
    assert!(
        n < 64,
        "{n} of 64 tasks ran: dispatching went on after the cancel"
    );
    // The pool is fine: the same graph computes with a fresh token.
    let v = run(
        &g,
        &Key::named("sum"),
        Scheduler::Threads,
        &CancelToken::new(),
    )
    .unwrap();
    assert!(matches!(v[0], Value::F64(x) if x == 64.0));
}
