//! Test and benchmark hooks, in builds with the `test-hooks` feature only (`node
//! crate/wasm/js/build.mjs --hooks`, which the tests and `npm run bench` use; the
//! published package is built without it): a trap, a panic in a task, a trap on a pool
//! thread — for the supervision tests, which must see the client restart the kernel —
//! and the scheduler benchmark.

use wasm_bindgen::prelude::*;

use crate::js_err;
use daskling::scheduler::Scheduler;

/// Scheduler overhead for `npm run bench`: best µs per task over `reps` computes of a
/// benchmark graph (`"wide"`: 100,000 trivial tasks; `"tree"`: a 1,000-leaf tree
/// reduction), timed with `now()` (e.g. `performance.now`). `scheduler`: `"sync"` or
/// `"threads"`. Returns `[tasks, µs per task]`.
#[wasm_bindgen(js_name = benchScheduler)]
pub fn bench_scheduler(
    case: &str,
    scheduler: &str,
    reps: u32,
    now: &js_sys::Function,
) -> Result<Vec<f64>, JsError> {
    use daskling::scheduler::{bench, compute};
    let (g, out) = match case {
        "wide" => bench::wide(100_000),
        "tree" => bench::tree(1_000, 2, "tree"),
        other => return Err(JsError::new(&format!("unknown benchmark {other}"))),
    };
    let s = match scheduler {
        "sync" => Scheduler::Sync,
        _ => Scheduler::Threads,
    };
    let clock = || {
        now.call0(&JsValue::NULL)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    let mut best = f64::INFINITY;
    for _ in 0..reps.max(1) {
        let t = clock();
        compute(&g, std::slice::from_ref(&out), s).map_err(js_err)?;
        best = best.min(clock() - t);
    }
    Ok(vec![g.len() as f64, best * 1000.0 / g.len() as f64])
}

/// Traps, as a Rust abort does: for the tests of the client's supervision, which must
/// restart the kernel after it.
#[wasm_bindgen]
pub fn trap() {
    std::process::abort();
}

/// Runs a two-task graph on the pool whose first task panics: for the test that a
/// panic is that task's error where panics unwind (the threaded build) and a trap that
/// restarts the kernel where they abort. Returns the compute's error message.
#[wasm_bindgen(js_name = panicInTask)]
pub fn panic_in_task() -> String {
    use daskling::graph::{Graph, Key, Task};
    use daskling::kernels::{Func, Kernel, Value};
    let boom = Kernel::Func(Func {
        name: "boom".into(),
        body: std::sync::Arc::new(|_: &[Value]| -> Result<Value, String> {
            panic!("a test panic")
        }),
    });
    let mut g = Graph::new();
    g.insert(Key::named("boom"), Task::new(boom, vec![]));
    g.insert(
        Key::named("after"),
        Task::new(Kernel::Literal(Value::F64(1.0)), vec![Key::named("boom")]),
    );
    match daskling::scheduler::compute(&g, &[Key::named("after")], Default::default()) {
        Ok(_) => "no error".to_string(),
        Err(e) => e.to_string(),
    }
}

/// Traps on a thread of the rayon pool (threaded build): for the test that a trapped
/// pool worker restarts the kernel.
#[wasm_bindgen(js_name = trapOnPool)]
pub fn trap_on_pool() {
    rayon::spawn(|| std::process::abort());
}
