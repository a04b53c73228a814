//! Calls of JavaScript functions, natively: their graph (keys, dependencies, sharing),
//! the wire table round trip, long chains, and the clear error when run outside wasm.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use daskling::expr::array::{Array, ChunkSpec};
use daskling::expr::js::Call;
use daskling::expr::js::JsFunction;
use daskling::expr::{Expr, Lazy, Wire};
use daskling::graph::Graph;
use daskling::scheduler::Scheduler;
use daskling::Context;

fn func(name: &str, source: &str) -> JsFunction {
    JsFunction {
        source: source.into(),
        name: name.into(),
    }
}

#[test]
fn calls_are_tasks_whose_inputs_are_their_lazy_arguments() {
    let x = Array::ones(&[6, 6], ChunkSpec::Block(vec![3, 3]))
        .unwrap()
        .sum(None)
        .unwrap();
    let inc = func("inc", "(x) => x + 1");
    let a = Call::new(inc.clone(), vec![1, 2, 3], vec![], false);
    let b = Call::new(
        func("add", "(a, b) => a + b"),
        vec![9],
        vec![Expr::Call(a.clone()), Expr::Array(x.clone())],
        false,
    );
    assert!(b.name().starts_with("add-"));
    let mut g = Graph::new();
    let key = b.lower(&mut g).unwrap();
    let task = g.get(&key).unwrap();
    assert_eq!(task.deps.len(), 2);
    assert_eq!(task.deps[0].name(), a.name());
    assert_eq!(task.deps[1], x.lower(&mut Graph::new()).unwrap());
    // Impure calls (the default) are distinct even when equal; pure ones are shared.
    let again = Call::new(inc.clone(), vec![1, 2, 3], vec![], false);
    assert_ne!(again.name(), a.name());
    let p1 = Call::new(inc.clone(), vec![1], vec![], true);
    let p2 = Call::new(inc, vec![1], vec![], true);
    assert_eq!(p1.name(), p2.name());
    // Names are cleaned for keys.
    let odd = Call::new(func("my fn!", "() => 1"), vec![], vec![], false);
    assert!(odd.name().starts_with("my_fn_-"), "{}", odd.name());
    let anon = Call::new(func("", "() => 1"), vec![], vec![], false);
    assert!(anon.name().starts_with("lambda-"));
}

#[test]
fn calls_sharing_an_argument_share_its_task() {
    let shared = Call::new(func("load", "() => 1"), vec![], vec![], false);
    let f = Call::new(
        func("f", "(x) => x"),
        vec![],
        vec![Expr::Call(shared.clone())],
        false,
    );
    let g = Call::new(
        func("g", "(x) => x"),
        vec![],
        vec![Expr::Call(shared.clone())],
        false,
    );
    let mut graph = Graph::new();
    f.lower(&mut graph).unwrap();
    g.lower(&mut graph).unwrap();
    assert_eq!(graph.len(), 3, "load once, f, g");
}

#[test]
fn the_wire_table_round_trips_calls_with_their_bytes_and_shares_functions() {
    let x = Array::ones(&[4], ChunkSpec::Block(vec![2]))
        .unwrap()
        .sum(None)
        .unwrap();
    let f = func("f", "(a, b) => a + b");
    let a = Call::new(f.clone(), vec![10, 11], vec![Expr::Array(x.clone())], false);
    let b = Call::new(f, vec![20, 21, 22], vec![Expr::Call(a.clone())], false);
    let exprs = vec![Expr::Call(b.clone()), Expr::Call(a.clone())];
    let wire = Wire::encode(&exprs);
    assert_eq!(wire.funcs.len(), 1, "one function, sent once");
    assert_eq!(wire.bytes, vec![10, 11, 20, 21, 22]);
    let json = serde_json::to_string(&wire).unwrap();
    let back: Wire = serde_json::from_str(&json).unwrap();
    let decoded = Context::new().decode(&back, &wire.bytes).unwrap();
    let (Expr::Call(b2), Expr::Call(a2)) = (&decoded[0], &decoded[1]) else {
        panic!("expected two calls");
    };
    assert_eq!(b2.name(), b.name());
    assert_eq!(a2.name(), a.name());
    assert_eq!(&*b2.node().args, &[20, 21, 22]);
    assert_eq!(&*a2.node().args, &[10, 11]);
    assert_eq!(b2.node().deps[0].name(), a.name());
    // Arguments outside the bytes sent, or an unknown function, are errors.
    let err = Context::new()
        .decode(&back, &[1, 2])
        .unwrap_err()
        .to_string();
    assert!(err.contains("arguments are not in the bytes sent"), "{err}");
    let bad = json.replace("\"func\":0", "\"func\":7");
    let err = Context::new()
        .decode(&serde_json::from_str::<Wire>(&bad).unwrap(), &wire.bytes)
        .unwrap_err();
    assert!(err.to_string().contains("names function 7"), "{err}");
}

#[test]
fn a_long_chain_of_calls_lowers_and_drops_without_overflowing_the_stack() {
    let f = func("step", "(x) => x + 1");
    let mut c = Call::new(f.clone(), vec![0], vec![], false);
    for _ in 0..100_000 {
        c = Call::new(f.clone(), vec![], vec![Expr::Call(c)], false);
    }
    let mut g = Graph::new();
    c.lower(&mut g).unwrap();
    assert_eq!(g.len(), 100_001);
    drop(g);
    drop(c);
}

#[test]
fn natively_a_call_is_a_clear_task_error() {
    let c = Call::new(func("inc", "(x) => x + 1"), vec![], vec![], false);
    let err = daskling::expr::compute_values(&[&c as &dyn Lazy], Scheduler::Sync, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("inc is a JavaScript function: it runs only in the wasm build"),
        "{err}"
    );
}
