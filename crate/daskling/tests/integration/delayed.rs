//! `delayed` for Rust closures.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use daskling::{
    compute_all, delayed, try_delayed, value, Call, Delayed, Error, Lazy, Scheduler, TryCall,
};

fn f(a: &i64, b: &i64) -> i64 {
    a * 10 + b
}
fn g(a: &i64, b: &i64) -> i64 {
    a - b * 3
}

/// The seed's loop: `results[a, b] = delayed(f if a < b else g)(a, b)`.
#[test]
fn the_seed_loop_equals_a_plain_loop() {
    let df = delayed(f).named("f");
    let dg = delayed(g).named("g");
    let a_vals: Vec<i64> = (0..30).collect();
    let b_vals: Vec<i64> = (0..30).map(|x| x * 2 - 7).collect();
    let mut results: HashMap<(i64, i64), Delayed<i64>> = HashMap::new();
    for &a in &a_vals {
        for &b in &b_vals {
            let args = (value(a), value(b));
            let d = if a < b { df.call(args) } else { dg.call(args) };
            results.insert((a, b), d);
        }
    }
    let keys: Vec<(i64, i64)> = results.keys().copied().collect();
    let lazies: Vec<Delayed<i64>> = keys.iter().map(|k| results[k].clone()).collect();
    for s in [Scheduler::Sync, Scheduler::Threads] {
        let out = compute_all(&lazies, s).unwrap();
        for (k, v) in keys.iter().zip(out) {
            let (a, b) = *k;
            let want = if a < b { a * 10 + b } else { a - b * 3 };
            assert_eq!(v, want, "{k:?}");
        }
    }
}

#[test]
fn common_work_runs_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let expensive = delayed(move |x: &i64| {
        c.fetch_add(1, Ordering::SeqCst);
        x * 2
    })
    .named("expensive");
    let add = delayed(|a: &i64, b: &i64| a + b).named("add");
    let base = expensive.call((value(21i64),));
    let outs = vec![
        add.call((base.clone(), value(1))),
        add.call((base.clone(), value(2))),
        base.clone(),
    ];
    let vals = compute_all(&outs, Scheduler::Threads).unwrap();
    assert_eq!(vals, vec![43, 44, 42]);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // The same call twice is the same key, hence one node.
    let again = expensive.call((value(21i64),));
    assert_ne!(
        again.key(),
        base.key(),
        "distinct literals are distinct values"
    );
    let shared = value(5i64);
    let x1 = expensive.call((shared.clone(),));
    let x2 = expensive.call((shared,));
    assert_eq!(x1.key(), x2.key());
}

#[test]
fn a_failing_call_fails_the_compute_and_the_next_works() {
    let parse = try_delayed(|s: &String| s.parse::<i64>()).named("parse");
    let bad = parse.try_call((value("12x".to_string()),));
    match bad.compute(Scheduler::Threads) {
        Err(Error::TaskFailed { key, message }) => {
            assert!(key.starts_with("parse-"), "{key}");
            assert!(message.contains("invalid digit"), "{message}");
        }
        other => panic!("expected a failure, got {:?}", other.map(|_| ())),
    }
    let good = parse.try_call((value("12".to_string()),));
    assert_eq!(good.compute(Scheduler::Threads).unwrap(), 12);
}

#[test]
fn graph_shows_function_names() {
    let inc = delayed(|x: &i64| x + 1).named("inc");
    let d = inc.call((inc.call((value(1i64),)),));
    let mut g = daskling::Graph::new();
    d.lower(&mut g).unwrap();
    let ex = g.export();
    assert_eq!(ex.nodes.iter().filter(|n| n.kind == "inc").count(), 2);
    assert_eq!(ex.edges.len(), 2);
    assert_eq!(d.compute(Scheduler::Sync).unwrap(), 3);
}

#[test]
fn a_deep_chain_of_calls_lowers_without_recursion() {
    let inc = delayed(|x: &i64| x + 1).named("inc");
    let mut d = value(0i64);
    for _ in 0..20_000 {
        d = inc.call((d,));
    }
    assert_eq!(d.compute(Scheduler::Threads).unwrap(), 20_000);
}
