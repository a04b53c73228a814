//! Expressions of 100,000 operations build, encode, decode, lower, optimize, compute and
//! drop without deep recursion (on a thread with a 1 MiB stack, a wasm worker's kind).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::sync::Arc;

use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
use daskling::expr::{Expr, Wire};
use daskling::kernels::array::BinaryOp;
use daskling::kernels::dataframe::source::MemorySource;
use daskling::{Array, ChunkSpec, Context, Scheduler};

const N: usize = 100_000;

/// Runs `f` on a 1 MiB stack: natively on a thread of that size; in the browser on the
/// test's own wasm stack, which is that size (rustc's default for wasm32).
#[cfg(target_arch = "wasm32")]
fn small_stack<T>(f: impl FnOnce() -> T) -> T {
    f()
}

#[cfg(not(target_arch = "wasm32"))]
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn an_array_chain_of_100000_operations() {
    let total = small_stack(|| {
        let mut y = Array::ones(&[10], ChunkSpec::Block(vec![5])).unwrap();
        for _ in 0..N {
            y = y.add_scalar(1.0).unwrap();
        }
        // Through the wire, as the browser sends it.
        let json = serde_json::to_string(&Wire::encode(&[Expr::Array(y.clone())])).unwrap();
        let wire: Wire = serde_json::from_str(&json).unwrap();
        let Expr::Array(back) = Context::new().decode(&wire, &[]).unwrap().remove(0) else {
            panic!("an array")
        };
        assert_eq!(back.name(), y.name());
        drop(back);
        y.sum(None)
            .unwrap()
            .compute(Scheduler::Threads)
            .unwrap()
            .sum()
    });
    // Ten elements of 1 + 100,000.
    assert_eq!(total, 10.0 * (1.0 + N as f64));
}

#[test]
fn a_series_chain_of_100000_operations() {
    let total = small_stack(|| {
        let src = Arc::new(MemorySource::new("a.csv", &b"v\n1\n2\n"[..]));
        let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
        let mut s = df.col("v").unwrap();
        for _ in 0..N {
            s = s.scalar_op(BinaryOp::Add, 1.0, false).unwrap();
        }
        s.sum().unwrap().compute(Scheduler::Threads).unwrap()
    });
    assert_eq!(total, 3.0 + 2.0 * N as f64);
}

#[test]
fn a_scalar_chain_of_100000_operations() {
    let total = small_stack(|| {
        let src = Arc::new(MemorySource::new("a.csv", &b"v\n1\n2\n"[..]));
        let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
        let mut x = df.len().unwrap();
        for _ in 0..N {
            x = x.scalar_op(BinaryOp::Add, 1.0, false).unwrap();
        }
        x.compute(Scheduler::Sync).unwrap()
    });
    assert_eq!(total, 2.0 + N as f64);
}

#[test]
fn a_delayed_chain_of_100000_calls() {
    use daskling::{delayed, value, Call};
    let total = small_stack(|| {
        let inc = delayed(|x: &u64| x + 1).named("inc");
        let mut y = value(0u64);
        for _ in 0..N {
            y = inc.call((y,));
        }
        y.compute(Scheduler::Threads).unwrap()
    });
    assert_eq!(total, N as u64);
}
