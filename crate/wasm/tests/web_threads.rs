//! The threads scheduler in Chromium. In the threaded wasm build, a real rayon pool of
//! Web Workers: tasks run on more than one thread, and a failure leaves the pool
//! working. In the single build (no atomics), the same graph runs on the one thread
//! there is (`node tests/wasm-pack.mjs threads` runs the first, `single` the second).
#![cfg(target_arch = "wasm32")]

use std::hint::black_box;
use std::sync::Arc;

use daskling::expr::array::{Array, ChunkSpec};
use daskling::graph::{Graph, Key, Task};
use daskling::kernels::{Func, Kernel, Value};
use daskling::scheduler::{compute, compute_with, Scheduler};
use daskling::Error;
use ndarray::IxDyn;
#[cfg(target_feature = "atomics")]
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// About a millisecond of work, so tasks overlap in time.
fn spin(n: u64) -> f64 {
    let mut acc = 0u64;
    for i in 0..n {
        acc = black_box(acc.wrapping_mul(6364136223846793005).wrapping_add(i));
    }
    (acc % 7) as f64
}

/// 64 independent tasks of `n` spins each, and their keys.
fn busy_graph(n: u64) -> (Graph, Vec<Key>) {
    let busy = Func {
        name: "busy".into(),
        body: Arc::new(move |_: &[Value]| Ok(Value::F64(spin(n)))),
    };
    let keys: Vec<Key> = (0..64u32).map(|i| Key::new("busy", &[i])).collect();
    let mut g = Graph::new();
    for k in &keys {
        g.insert(k.clone(), Task::new(Kernel::Func(busy.clone()), vec![]));
    }
    (g, keys)
}

#[cfg(target_feature = "atomics")]
#[wasm_bindgen_test]
async fn a_pool_of_two_workers_runs_tasks_on_both() {
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(2))
        .await
        .expect("the pool starts");
    assert_eq!(rayon::current_num_threads(), 2);

    let (g, keys) = busy_graph(300_000);
    let expected = spin(300_000);
    let (values, stats) = compute_with(&g, &keys, Scheduler::Threads, &mut |_| {}).unwrap();
    assert_eq!(values.len(), 64);
    assert!(values
        .iter()
        .all(|v| matches!(v, Value::F64(x) if *x == expected)));
    assert!(
        stats.threads_used >= 2,
        "tasks ran on {} thread(s)",
        stats.threads_used
    );

    // A failing task fails that compute only.
    let fail = Func {
        name: "fail".into(),
        body: Arc::new(|_: &[Value]| Err("bad".to_string())),
    };
    let mut bad = g.clone();
    bad.insert(
        Key::named("fail"),
        Task::new(Kernel::Func(fail), keys.clone()),
    );
    assert!(matches!(
        compute(&bad, &[Key::named("fail")], Scheduler::Threads),
        Err(Error::TaskFailed { .. })
    ));

    let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    let total = x.sum(None).unwrap().compute(Scheduler::Threads).unwrap();
    assert_eq!(total[IxDyn(&[])], 225.0);
}

#[cfg(not(target_feature = "atomics"))]
#[wasm_bindgen_test]
fn without_atomics_the_threads_scheduler_runs_on_the_one_thread() {
    let (g, keys) = busy_graph(1_000);
    let (values, stats) = compute_with(&g, &keys, Scheduler::Threads, &mut |_| {}).unwrap();
    assert_eq!(values.len(), 64);
    assert!(values
        .iter()
        .all(|v| matches!(v, Value::F64(x) if *x == spin(1_000))));
    assert_eq!(stats.threads_used, 1);
    let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    let total = x.sum(None).unwrap().compute(Scheduler::Threads).unwrap();
    assert_eq!(total[IxDyn(&[])], 225.0);
    // A failing task is that compute's error.
    let mut bad = g;
    let fail = Func {
        name: "fail".into(),
        body: Arc::new(|_: &[Value]| Err("bad".to_string())),
    };
    bad.insert(Key::named("fail"), Task::new(Kernel::Func(fail), keys));
    assert!(matches!(
        compute(&bad, &[Key::named("fail")], Scheduler::Threads),
        Err(Error::TaskFailed { .. })
    ));
}
