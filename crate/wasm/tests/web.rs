//! The graph and the synchronous scheduler in Chromium (a dedicated worker), run by
//! `wasm-bindgen-test-runner` on the single-threaded wasm build.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use daskling::expr::array::{Array, ChunkSpec};
use daskling::graph::{Graph, Key, Task};
use daskling::kernels::{Func, Kernel, Value};
use daskling::scheduler::{compute, compute_with, Scheduler};
use daskling::{delayed, value, Call, Error, Lazy};
use ndarray::IxDyn;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn add(seed: f64, deps: Vec<Key>) -> Task {
    let body = move |inputs: &[Value]| -> Result<Value, String> {
        let mut acc = seed;
        for v in inputs {
            match v {
                Value::F64(x) => acc += x,
                _ => return Err("expected a number".into()),
            }
        }
        Ok(Value::F64(acc))
    };
    Task::new(
        Kernel::Func(Func {
            name: "add".into(),
            body: Arc::new(body),
        }),
        deps,
    )
}

fn f64_of(v: &Value) -> f64 {
    match v {
        Value::F64(x) => *x,
        other => panic!("expected a number, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn graph_validation_culling_fusion_and_dot() {
    let mut g = Graph::new();
    g.insert(Key::named("a"), add(1.0, vec![]));
    g.insert(Key::named("b"), add(2.0, vec![Key::named("a")]));
    g.insert(Key::named("c"), add(3.0, vec![Key::named("b")]));
    g.insert(Key::named("unused"), add(9.0, vec![]));
    assert!(g.validate().is_ok());
    let culled = g.cull(&[Key::named("c")]).unwrap();
    assert_eq!(culled.len(), 3);
    let fused = culled.fuse_linear(&[Key::named("c")]);
    assert_eq!(fused.len(), 1);
    assert!(fused.to_dot().contains("label=\"a+b+c\""));
    g.insert(Key::named("loop"), add(0.0, vec![Key::named("loop")]));
    assert!(matches!(g.validate(), Err(Error::Cycle { .. })));
}

#[wasm_bindgen_test]
fn sync_scheduler_frees_early_and_fails_cleanly() {
    let mut g = Graph::new();
    let mut prev = Key::named("c0");
    g.insert(prev.clone(), add(1.0, vec![]));
    for i in 1..2_000u32 {
        let k = Key::new("c", &[i]);
        g.insert(k.clone(), add(1.0, vec![prev]));
        prev = k;
    }
    let (v, stats) = compute_with(
        &g,
        std::slice::from_ref(&prev),
        Scheduler::Sync,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(f64_of(&v[0]), 2_000.0);
    assert!(stats.peak_live <= 2);

    let fail = Func {
        name: "fail".into(),
        body: Arc::new(|_: &[Value]| Err("no".to_string())),
    };
    let mut bad = Graph::new();
    bad.insert(Key::named("f"), Task::new(Kernel::Func(fail), vec![]));
    assert!(matches!(
        compute(&bad, &[Key::named("f")], Scheduler::Sync),
        Err(Error::TaskFailed { .. })
    ));
    let v = compute(&g, std::slice::from_ref(&prev), Scheduler::Sync).unwrap();
    assert_eq!(f64_of(&v[0]), 2_000.0);
}

#[wasm_bindgen_test]
fn arrays_and_delayed_in_the_browser() {
    let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    let total = x.sum(None).unwrap().compute(Scheduler::Threads).unwrap();
    assert_eq!(total[IxDyn(&[])], 225.0);
    let (g, _) = x.sum(Some(&[0])).unwrap().graph().unwrap();
    assert!(g
        .export()
        .nodes
        .iter()
        .any(|n| n.label.starts_with("ones+sum-chunk")));
    let inc = delayed(|x: &i64| x + 1).named("inc");
    assert_eq!(
        inc.call((inc.call((value(1i64),)),))
            .compute(Scheduler::Sync)
            .unwrap(),
        3
    );
}

#[wasm_bindgen_test]
fn simd_gemm_equals_the_textbook_product() {
    use daskling::kernels::array::gemm::{packed, packed_syrk};
    // Sizes across the packing edges (4-wide strips, 128-row and 256-deep panels).
    for &(m, k, n) in &[(1, 1, 1), (5, 3, 7), (130, 257, 9), (64, 300, 33)] {
        let a =
            ndarray::Array2::from_shape_fn((m, k), |(i, j)| ((i * 7 + j * 3) % 11) as f64 - 5.0);
        let b = ndarray::Array2::from_shape_fn((k, n), |(i, j)| ((i * 5 + j) % 13) as f64 * 0.5);
        let mut c = ndarray::Array2::<f64>::zeros((m, n));
        packed(a.view(), b.view(), &mut c.view_mut());
        for i in 0..m {
            for j in 0..n {
                let want: f64 = (0..k).map(|l| a[[i, l]] * b[[l, j]]).sum();
                // Small integers and halves: every partial sum is exact.
                assert_eq!(c[[i, j]], want, "({m}x{k}x{n}) at [{i}, {j}]");
            }
        }
        // SYRK: a · aᵀ on and above the diagonal.
        let mut s = ndarray::Array2::<f64>::zeros((m, m));
        packed_syrk(a.view(), &mut s.view_mut());
        for i in 0..m {
            for j in i..m {
                let want: f64 = (0..k).map(|l| a[[i, l]] * a[[j, l]]).sum();
                assert_eq!(s[[i, j]], want, "syrk ({m}x{k}) at [{i}, {j}]");
            }
        }
    }
    // And through the chunked array API.
    let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    let y = x.dot(&x.t().add_scalar(1.0).unwrap()).unwrap();
    let v = y.compute(Scheduler::Threads).unwrap();
    assert!(v.iter().all(|&e| e == 30.0));
}
