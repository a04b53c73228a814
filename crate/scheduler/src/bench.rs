//! Graphs for measuring scheduler overhead (`cargo bench`, `npm run bench`): every task
//! is trivial (adds its inputs), so the time per task is the scheduler's own.

use std::sync::Arc;

use daskling_graph::{Graph, Key, Task};
use daskling_kernels::{Func, Kernel, Value};

fn trivial() -> Func {
    Func {
        name: "add".into(),
        body: Arc::new(|inputs: &[Value]| {
            let mut acc = 1.0;
            for v in inputs {
                if let Value::F64(x) = v {
                    acc += x;
                }
            }
            Ok(Value::F64(acc))
        }),
    }
}

/// `n` independent trivial tasks summed by a tree of fan-in 32, as the leaves of a
/// large map-reduce; returns the graph and its output key. About `n * 1.03` tasks.
pub fn wide(n: usize) -> (Graph, Key) {
    tree(n, 32, "wide")
}

/// A tree reduction over `n` leaves with the given fan-in.
pub fn tree(n: usize, fan_in: usize, name: &str) -> (Graph, Key) {
    let f = trivial();
    let fan_in = fan_in.max(2);
    let mut g = Graph::new();
    let mut level: Vec<Key> = (0..n.max(1) as u32)
        .map(|i| {
            let k = Key::new(format!("{name}-leaf"), &[i]);
            g.insert(k.clone(), Task::new(Kernel::Func(f.clone()), vec![]));
            k
        })
        .collect();
    let mut depth = 0u32;
    while level.len() > 1 {
        depth += 1;
        level = level
            .chunks(fan_in)
            .enumerate()
            .map(|(i, group)| {
                let k = Key::new(format!("{name}-{depth}"), &[i as u32]);
                g.insert(
                    k.clone(),
                    Task::new(Kernel::Func(f.clone()), group.to_vec()),
                );
                k
            })
            .collect();
    }
    let out = level.pop().unwrap_or_else(|| Key::named("empty"));
    (g, out)
}
