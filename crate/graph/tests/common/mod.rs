//! Task graphs for tests: tasks that add their integer inputs, chains of them. Shared
//! by the graph's tests and the scheduler's (`#[path]` from crate/scheduler/tests).
#![allow(dead_code)]

use std::sync::Arc;

use daskling_graph::{Graph, Key, Task};
use daskling_kernels::{Func, Kernel, Value};

/// A task that adds its integer inputs to `seed` (all values are `u64` in `Value::Any`).
pub fn add_task(name: &str, seed: u64, deps: Vec<Key>) -> Task {
    let body = move |inputs: &[Value]| -> Result<Value, String> {
        let mut acc = seed;
        for v in inputs {
            acc = acc
                .wrapping_mul(31)
                .wrapping_add(*v.downcast::<u64>("input").map_err(|e| e.to_string())?);
        }
        Ok(Value::any(acc))
    };
    Task::new(
        Kernel::Func(Func {
            name: name.into(),
            body: Arc::new(body),
        }),
        deps,
    )
}

/// The value of `add_task` computed directly, for checking schedulers.
pub fn add_direct(seed: u64, inputs: &[u64]) -> u64 {
    inputs
        .iter()
        .fold(seed, |acc, v| acc.wrapping_mul(31).wrapping_add(*v))
}

/// A chain `c0 → c1 → … → c{n-1}`.
pub fn chain(n: usize) -> (Graph, Key) {
    let mut g = Graph::new();
    let mut prev: Option<Key> = None;
    for i in 0..n {
        let k = Key::new("chain", &[i as u32]);
        g.insert(
            k.clone(),
            add_task("chain", i as u64, prev.iter().cloned().collect()),
        );
        prev = Some(k);
    }
    (g, prev.unwrap_or_else(|| Key::named("empty")))
}

/// The `u64` inside a task value.
pub fn u64_of(v: &Value) -> u64 {
    *v.downcast::<u64>("out").expect("a u64 value")
}
