//! Both schedulers: results, random DAGs, errors, early freeing, progress, parallelism.
//! In headless Chromium (`wasm-pack test --headless --chrome crate/scheduler`) the
//! synchronous scheduler's tests run; what needs threads, sleeps, unwinding or proptest
//! runs natively (the threaded browser build is tested by crate/wasm/tests/web_threads.rs).

#[path = "../../graph/tests/common/mod.rs"]
mod common;

use std::sync::Arc;

use common::{add_direct, add_task, chain, u64_of};
use daskling_core::Error;
use daskling_graph::{Graph, Key, Task};
use daskling_kernels::{Func, Kernel, Value};
use daskling_scheduler::{compute, compute_with, Progress, Scheduler};
#[cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The schedulers of this target.
#[cfg(not(target_arch = "wasm32"))]
const BOTH: [Scheduler; 2] = [Scheduler::Sync, Scheduler::Threads];
#[cfg(target_arch = "wasm32")]
const BOTH: [Scheduler; 1] = [Scheduler::Sync];

#[cfg(not(target_arch = "wasm32"))]
/// A random DAG: task `i` depends on some of the tasks before it.
fn random_dag() -> impl Strategy<Value = Vec<(u64, Vec<usize>)>> {
    (1usize..120).prop_flat_map(|n| {
        (0..n)
            .map(|i| {
                let deps = if i == 0 {
                    Just(vec![]).boxed()
                } else {
                    proptest::collection::vec(0..i, 0..4).boxed()
                };
                (any::<u64>(), deps)
            })
            .collect::<Vec<_>>()
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn build(spec: &[(u64, Vec<usize>)]) -> Graph {
    let mut g = Graph::new();
    for (i, (seed, deps)) in spec.iter().enumerate() {
        let deps = deps.iter().map(|&d| Key::new("t", &[d as u32])).collect();
        g.insert(Key::new("t", &[i as u32]), add_task("t", *seed, deps));
    }
    g
}

#[cfg(not(target_arch = "wasm32"))]
/// Each task's value computed directly, in index order (deps always come earlier).
fn direct(spec: &[(u64, Vec<usize>)]) -> Vec<u64> {
    let mut vals: Vec<u64> = Vec::with_capacity(spec.len());
    for (seed, deps) in spec {
        let inputs: Vec<u64> = deps.iter().map(|&d| vals[d]).collect();
        vals.push(add_direct(*seed, &inputs));
    }
    vals
}

#[cfg(not(target_arch = "wasm32"))]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_dags_give_the_same_results_on_both_schedulers(
        spec in random_dag(),
        picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..6),
        optimize in any::<bool>(),
    ) {
        let g = build(&spec);
        let expect = direct(&spec);
        let outputs: Vec<usize> = picks.iter().map(|p| p.index(spec.len())).collect();
        let keys: Vec<Key> = outputs.iter().map(|&o| Key::new("t", &[o as u32])).collect();
        let g = if optimize { g.optimize(&keys).unwrap() } else { g };
        for s in BOTH {
            let vals = compute(&g, &keys, s).unwrap();
            let got: Vec<u64> = vals.iter().map(u64_of).collect();
            let want: Vec<u64> = outputs.iter().map(|&o| expect[o]).collect();
            prop_assert_eq!(got, want);
        }
    }
}

#[test]
fn diamond_on_both_schedulers() {
    let mut g = Graph::new();
    g.insert(Key::named("a"), add_task("a", 2, vec![]));
    g.insert(Key::named("b"), add_task("b", 3, vec![Key::named("a")]));
    g.insert(Key::named("c"), add_task("c", 5, vec![Key::named("a")]));
    g.insert(
        Key::named("d"),
        add_task(
            "d",
            7,
            vec![Key::named("b"), Key::named("c"), Key::named("a")],
        ),
    );
    let a = 2;
    let b = add_direct(3, &[a]);
    let c = add_direct(5, &[a]);
    let d = add_direct(7, &[b, c, a]);
    for s in BOTH {
        let v = compute(&g, &[Key::named("d"), Key::named("b")], s).unwrap();
        assert_eq!((u64_of(&v[0]), u64_of(&v[1])), (d, b), "{s:?}");
    }
}

fn failing_graph() -> (Graph, Key) {
    let mut g = Graph::new();
    for i in 0..20u32 {
        g.insert(Key::new("ok", &[i]), add_task("ok", i as u64, vec![]));
    }
    let fail = Func {
        name: "boom".into(),
        body: Arc::new(|_: &[Value]| Err("bad input on line 3".to_string())),
    };
    let deps = (0..20u32).map(|i| Key::new("ok", &[i])).collect();
    g.insert(Key::named("boom"), Task::new(Kernel::Func(fail), deps));
    g.insert(
        Key::named("after"),
        add_task("after", 1, vec![Key::named("boom")]),
    );
    (g, Key::named("after"))
}

#[test]
fn a_failing_task_fails_the_compute_and_the_next_compute_works() {
    let (g, out) = failing_graph();
    for s in BOTH {
        for _ in 0..3 {
            match compute(&g, std::slice::from_ref(&out), s) {
                Err(Error::TaskFailed { key, message }) => {
                    assert_eq!(key, "boom");
                    assert_eq!(message, "bad input on line 3");
                }
                other => panic!("{s:?}: expected a task failure, got {other:?}"),
            }
            let (g2, k2) = chain(100);
            let v = compute(&g2, &[k2], s).unwrap();
            assert_eq!(v.len(), 1);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_panicking_closure_is_an_error_not_a_crash() {
    let mut g = Graph::new();
    let body = |_: &[Value]| -> Result<Value, String> { panic!("kaboom") };
    g.insert(
        Key::named("p"),
        Task::new(
            Kernel::Func(Func {
                name: "p".into(),
                body: Arc::new(body),
            }),
            vec![],
        ),
    );
    for s in BOTH {
        match compute(&g, &[Key::named("p")], s) {
            Err(Error::TaskFailed { message, .. }) => assert!(message.contains("kaboom")),
            other => panic!("expected a task failure, got {other:?}"),
        }
    }
}

#[test]
fn early_freeing_keeps_few_results_alive_on_a_long_chain() {
    let (g, out) = chain(5_000);
    for s in BOTH {
        let (v, stats) = compute_with(&g, std::slice::from_ref(&out), s, &mut |_| {}).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(stats.tasks, 5_000);
        assert!(stats.peak_live <= 2, "{s:?}: peak {}", stats.peak_live);
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn early_freeing_on_a_wide_tree_reduction() {
    // 1024 leaves, binary tree: depth-first order holds O(depth) results in sync.
    let mut g = Graph::new();
    let mut level: Vec<Key> = (0..1024u32)
        .map(|i| {
            let k = Key::new("leaf", &[i]);
            g.insert(k.clone(), add_task("leaf", i as u64, vec![]));
            k
        })
        .collect();
    let mut depth = 0u32;
    while level.len() > 1 {
        depth += 1;
        level = level
            .chunks(2)
            .enumerate()
            .map(|(i, pair)| {
                let k = Key::new(format!("node{depth}"), &[i as u32]);
                g.insert(k.clone(), add_task("node", 1, pair.to_vec()));
                k
            })
            .collect();
    }
    let (_, stats) = compute_with(&g, &level, Scheduler::Sync, &mut |_| {}).unwrap();
    assert!(
        stats.peak_live <= 2 * depth as usize,
        "peak {}",
        stats.peak_live
    );
    let (_, stats) = compute_with(&g, &level, Scheduler::Threads, &mut |_| {}).unwrap();
    assert!(stats.peak_live < 1024, "threads peak {}", stats.peak_live);
}

#[test]
fn progress_is_monotone_and_reaches_the_total() {
    let (g, out) = chain(1_000);
    for s in BOTH {
        let mut seen: Vec<Progress> = Vec::new();
        compute_with(&g, std::slice::from_ref(&out), s, &mut |p| seen.push(p)).unwrap();
        assert!(seen.len() >= 2, "{s:?}: {seen:?}");
        assert!(seen.windows(2).all(|w| w[0].done <= w[1].done));
        let last = seen.last().unwrap();
        assert_eq!((last.done, last.total, last.running), (1_000, 1_000, 0));
        assert_eq!(seen[0].done, 0);
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn thread_pool_runs_tasks_on_several_threads() {
    if rayon::current_num_threads() < 2 {
        eprintln!("skipped: one thread");
        return;
    }
    let mut g = Graph::new();
    let sleepy = Func {
        name: "sleepy".into(),
        body: Arc::new(|_: &[Value]| {
            std::thread::sleep(std::time::Duration::from_millis(3));
            Ok(Value::F64(1.0))
        }),
    };
    let keys: Vec<Key> = (0..64u32).map(|i| Key::new("s", &[i])).collect();
    for k in &keys {
        g.insert(k.clone(), Task::new(Kernel::Func(sleepy.clone()), vec![]));
    }
    let (v, stats) = compute_with(&g, &keys, Scheduler::Threads, &mut |_| {}).unwrap();
    assert_eq!(v.len(), 64);
    assert!(stats.threads_used >= 2, "{stats:?}");
}

#[test]
fn the_same_key_requested_twice_gives_two_values() {
    let (g, out) = chain(3);
    for s in BOTH {
        let v = compute(&g, &[out.clone(), out.clone()], s).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(u64_of(&v[0]), u64_of(&v[1]));
    }
}

#[test]
fn a_cycle_is_an_error_for_compute() {
    let mut g = Graph::new();
    g.insert(Key::named("a"), add_task("a", 1, vec![Key::named("b")]));
    g.insert(Key::named("b"), add_task("b", 1, vec![Key::named("a")]));
    for s in BOTH {
        assert!(matches!(
            compute(&g, &[Key::named("a")], s),
            Err(Error::Cycle { .. })
        ));
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod reads {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use daskling_graph::{Graph, Key, Task};
    use daskling_kernels::dataframe::source::{ByteSource, Part};
    use daskling_kernels::{Func, Kernel, Read, Value};
    use daskling_scheduler::{compute, Scheduler};

    /// A source that records which thread reads it and how far reads run ahead.
    struct Probe {
        caller: std::thread::ThreadId,
        reads: Arc<AtomicUsize>,
        used: Arc<AtomicUsize>,
        ahead: Arc<AtomicUsize>,
        off_caller: Arc<AtomicUsize>,
    }

    impl ByteSource for Probe {
        fn name(&self) -> &str {
            "probe"
        }
        fn len(&self) -> u64 {
            8
        }
        fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
            if std::thread::current().id() != self.caller {
                self.off_caller.fetch_add(1, Ordering::SeqCst);
            }
            let r = self.reads.fetch_add(1, Ordering::SeqCst) + 1;
            let ahead = r - self.used.load(Ordering::SeqCst);
            self.ahead.fetch_max(ahead, Ordering::SeqCst);
            Ok((start..end).map(|b| b as u8).collect())
        }
    }

    #[test]
    fn reads_run_on_the_caller_a_bounded_number_ahead() {
        let reads = Arc::new(AtomicUsize::new(0));
        let used = Arc::new(AtomicUsize::new(0));
        let ahead = Arc::new(AtomicUsize::new(0));
        let off_caller = Arc::new(AtomicUsize::new(0));
        let source: Arc<dyn ByteSource> = Arc::new(Probe {
            caller: std::thread::current().id(),
            reads: reads.clone(),
            used: used.clone(),
            ahead: ahead.clone(),
            off_caller: off_caller.clone(),
        });
        let mut g = Graph::new();
        let n = 200u32;
        let mut parts = vec![];
        for i in 0..n {
            let r = Key::new("read", &[i]);
            g.insert(
                r.clone(),
                Task::new(
                    Kernel::Read(Read {
                        parts: vec![Part::whole(&source)].into(),
                    }),
                    vec![],
                ),
            );
            let used = used.clone();
            let body = move |inputs: &[Value]| -> Result<Value, String> {
                std::thread::sleep(std::time::Duration::from_micros(300));
                let n = match &inputs[0] {
                    Value::Bytes(b) => b.iter().map(|&x| x as f64).sum::<f64>(),
                    _ => return Err("bytes expected".into()),
                };
                used.fetch_add(1, Ordering::SeqCst);
                Ok(Value::F64(n))
            };
            let p = Key::new("use", &[i]);
            g.insert(
                p.clone(),
                Task::new(
                    Kernel::Func(Func {
                        name: "use".into(),
                        body: Arc::new(body),
                    }),
                    vec![r],
                ),
            );
            parts.push(p);
        }
        let total = |inputs: &[Value]| -> Result<Value, String> {
            Ok(Value::F64(
                inputs
                    .iter()
                    .map(|v| if let Value::F64(x) = v { *x } else { 0.0 })
                    .sum(),
            ))
        };
        g.insert(
            Key::named("total"),
            Task::new(
                Kernel::Func(Func {
                    name: "total".into(),
                    body: Arc::new(total),
                }),
                parts,
            ),
        );
        let out = compute(&g, &[Key::named("total")], Scheduler::Threads).unwrap();
        // Each read gives bytes 0..8, summing to 28.
        assert!(matches!(out[0], Value::F64(x) if x == 28.0 * n as f64));
        assert_eq!(reads.load(Ordering::SeqCst), n as usize);
        assert_eq!(
            off_caller.load(Ordering::SeqCst),
            0,
            "a read ran off the calling thread"
        );
        let threads = rayon::current_num_threads();
        let bound = (2 * threads).max(4) + 1;
        assert!(
            ahead.load(Ordering::SeqCst) <= bound,
            "reads ran {} ahead of their consumers (bound {bound})",
            ahead.load(Ordering::SeqCst)
        );
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_traced_compute_records_every_task_once_with_its_thread_and_times() {
    use daskling_scheduler::{run_plan, Plan, Run, Trace};
    let mut g = Graph::new();
    let sleepy = Func {
        name: "sleepy".into(),
        body: Arc::new(|_: &[Value]| {
            std::thread::sleep(std::time::Duration::from_millis(2));
            Ok(Value::F64(1.0))
        }),
    };
    let keys: Vec<Key> = (0..32u32).map(|i| Key::new("nap", &[i])).collect();
    for k in &keys {
        g.insert(k.clone(), Task::new(Kernel::Func(sleepy.clone()), vec![]));
    }
    let plan = Arc::new(Plan::new(&g, &keys).unwrap());
    for s in BOTH {
        let trace = Arc::new(Trace::new());
        let mut drained = vec![];
        let run = Run {
            scheduler: s,
            trace: Some(trace.clone()),
            ..Run::default()
        };
        run_plan(plan.clone(), run, &mut |_| drained.extend(trace.drain())).unwrap();
        drained.extend(trace.drain());
        assert_eq!(drained.len(), 32, "{s:?}");
        for e in &drained {
            assert_eq!(e.prefix, "nap");
            // Each task slept 2 ms.
            assert!(e.end - e.start >= 1.9, "{s:?}: {e:?}");
        }
        let workers: std::collections::HashSet<i32> = drained.iter().map(|e| e.worker).collect();
        if s == Scheduler::Threads && rayon::current_num_threads() >= 2 {
            assert!(workers.len() >= 2, "{workers:?}");
            assert!(
                workers.iter().all(|&w| w >= 0),
                "compute tasks run on the pool: {workers:?}"
            );
        }
    }
}

#[test]
fn a_settled_run_fails_only_what_depends_on_the_failed_task() {
    use daskling_scheduler::{failure, run_plan, Plan, Run};
    // bad → uses_bad; good → uses_good; every other task runs, once.
    let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = |fail: bool| {
        let runs = runs.clone();
        Kernel::Func(Func {
            name: "step".into(),
            body: Arc::new(move |_: &[Value]| {
                runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if fail {
                    Err("broken".to_string())
                } else {
                    Ok(Value::F64(1.0))
                }
            }),
        })
    };
    let mut g = Graph::new();
    g.insert(Key::named("bad"), Task::new(counted(true), vec![]));
    g.insert(
        Key::named("uses_bad"),
        Task::new(counted(false), vec![Key::named("bad")]),
    );
    g.insert(Key::named("good"), Task::new(counted(false), vec![]));
    g.insert(
        Key::named("uses_good"),
        Task::new(counted(false), vec![Key::named("good")]),
    );
    let outs = [
        Key::named("uses_bad"),
        Key::named("uses_good"),
        Key::named("bad"),
    ];
    let plan = Arc::new(Plan::new(&g, &outs).unwrap());
    for s in BOTH {
        runs.store(0, std::sync::atomic::Ordering::SeqCst);
        let run = Run {
            scheduler: s,
            settle: true,
            ..Run::default()
        };
        let (v, _) = run_plan(plan.clone(), run.clone(), &mut |_| {}).unwrap();
        let msg = |i: usize| failure(&v[i]).map(|e| e.to_string());
        assert_eq!(msg(0).as_deref(), Some("task bad failed: broken"), "{s:?}");
        assert!(matches!(v[1], Value::F64(x) if x == 1.0), "{s:?}");
        assert_eq!(msg(2).as_deref(), Some("task bad failed: broken"), "{s:?}");
        // uses_bad never ran: bad, good, uses_good did.
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 3, "{s:?}");
        // Not settled: the first failure is the compute's error.
        let run = Run {
            settle: false,
            ..run
        };
        assert!(run_plan(plan.clone(), run, &mut |_| {}).is_err());
    }
}

#[test]
fn fused_chain_computes_the_same_value() {
    let (g, out) = chain(50);
    let fused = g.optimize(std::slice::from_ref(&out)).unwrap();
    assert_eq!(fused.len(), 1);
    let mut expect = 0u64;
    for i in 0..50u64 {
        expect = if i == 0 { 0 } else { add_direct(i, &[expect]) };
    }
    for s in BOTH {
        let v = compute(&fused, std::slice::from_ref(&out), s).unwrap();
        assert_eq!(u64_of(&v[0]), expect);
    }
}
