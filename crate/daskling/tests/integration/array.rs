//! Chunked arrays: the foundation slice (ones/zeros/full, sum by any axes).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use daskling::expr::array::{normalize_chunks, Array, ChunkSpec};
use daskling::expr::{Expr, Wire};
use daskling::{Context, Lazy, Scheduler};
use ndarray::IxDyn;
#[cfg(not(target_arch = "wasm32"))]
use ndarray::{ArrayD, Axis};
#[cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;

#[test]
fn ones_15_by_15_sums_to_225() {
    let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    for s in [Scheduler::Sync, Scheduler::Threads] {
        let total = x.sum(None).unwrap().compute(s).unwrap();
        assert_eq!(total.shape(), &[] as &[usize]);
        assert_eq!(total[IxDyn(&[])], 225.0);
        let cols = x.sum(Some(&[0])).unwrap().compute(s).unwrap();
        assert_eq!(cols.shape(), &[15]);
        assert!(cols.iter().all(|&v| v == 15.0));
    }
}

#[test]
fn one_dimensional_sum() {
    let x = Array::ones(&[15], ChunkSpec::Block(vec![5])).unwrap();
    let s = x.sum(None).unwrap().compute(Scheduler::Threads).unwrap();
    assert_eq!(s[IxDyn(&[])], 15.0);
}

#[test]
fn chunk_normalization() {
    assert_eq!(
        normalize_chunks(
            &[15, 15],
            &ChunkSpec::Explicit(vec![vec![5, 5, 5], vec![7, 8]])
        )
        .unwrap(),
        vec![vec![5, 5, 5], vec![7, 8]]
    );
    assert!(normalize_chunks(&[4], &ChunkSpec::Block(vec![0])).is_err());
    assert!(normalize_chunks(&[4, 4], &ChunkSpec::Block(vec![2])).is_err());
    assert_eq!(
        normalize_chunks(&[0], &ChunkSpec::Block(vec![3])).unwrap(),
        vec![vec![0]]
    );
}

#[test]
fn bad_axes_are_errors() {
    let x = Array::ones(&[3, 4], ChunkSpec::Block(vec![2, 2])).unwrap();
    assert!(x.sum(Some(&[2])).is_err());
    assert!(x.sum(Some(&[-3])).is_err());
    assert!(x.sum(Some(&[0, -2])).is_err());
    assert_eq!(x.sum(Some(&[-1])).unwrap().shape(), &[3]);
}

#[test]
fn ones_and_partial_sums_fuse_into_one_task_per_block() {
    let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    let (g, _) = x.sum(None).unwrap().graph().unwrap();
    let ex = g.export();
    let fused = ex
        .nodes
        .iter()
        .filter(|n| n.label.starts_with("ones+sum-chunk"))
        .count();
    assert_eq!(fused, 9, "{:#?}", ex.nodes);
    // 9 fused leaves, 2x2 combines with fan-in 2 per axis, one aggregate; the corner
    // combine has a single input, so it fuses into that leaf's chain too.
    assert_eq!(g.len(), 9 + 3 + 1);
    assert!(ex
        .nodes
        .iter()
        .any(|n| n.label == "ones+sum-chunk+sum-combine (1, 1)"));
}

#[test]
fn equal_expressions_share_tasks() {
    let a = Array::ones(&[10, 10], ChunkSpec::Block(vec![5, 5])).unwrap();
    let b = Array::ones(&[10, 10], ChunkSpec::Block(vec![5, 5])).unwrap();
    assert_eq!(a.name(), b.name());
    assert_eq!(a.sum(None).unwrap().name(), b.sum(None).unwrap().name());
    assert_ne!(
        a.sum(Some(&[0])).unwrap().name(),
        a.sum(Some(&[1])).unwrap().name()
    );
}

#[test]
fn serialized_expressions_round_trip() {
    let x = Array::full(&[6, 4], 2.5, ChunkSpec::Block(vec![4, 3])).unwrap();
    let s = x.sum(Some(&[1])).unwrap();
    let json = serde_json::to_string(&Wire::encode(&[Expr::Array(s.clone())])).unwrap();
    let wire: Wire = serde_json::from_str(&json).unwrap();
    let back = Context::new().decode(&wire, &[]).unwrap();
    let Expr::Array(back) = &back[0] else {
        panic!("an array")
    };
    assert_eq!(back.name(), s.name());
    assert_eq!(back.shape(), &[6]);
    // Inconsistent chunks in a serialized expression are rejected, not trusted.
    let bad = r#"{"nodes":[{"kind":"array","type":"full","shape":[4],"chunks":[[3]],"value":1.0}],"outputs":[0]}"#;
    assert!(Context::new()
        .decode(&serde_json::from_str::<Wire>(bad).unwrap(), &[])
        .is_err());
    // So are references to later rows.
    let fwd =
        r#"{"nodes":[{"kind":"array","type":"transpose","input":0,"axes":[0]}],"outputs":[0]}"#;
    assert!(Context::new()
        .decode(&serde_json::from_str::<Wire>(fwd).unwrap(), &[])
        .is_err());
}

#[test]
fn shared_nodes_are_serialized_once() {
    // y = y + y.T, 30 times: 2^30 paths through the tree, but ~90 distinct nodes.
    let mut y = Array::ones(&[4, 4], ChunkSpec::Block(vec![2, 2])).unwrap();
    for _ in 0..30 {
        y = y.add(&y.t()).unwrap();
    }
    let wire = Wire::encode(&[Expr::Array(y.clone())]);
    assert!(wire.nodes.len() <= 61, "{} nodes", wire.nodes.len());
    let Expr::Array(back) = &Context::new().decode(&wire, &[]).unwrap()[0] else {
        panic!("an array")
    };
    assert_eq!(back.name(), y.name());
}

// proptest is a native dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// For random shapes, chunkings, values, axes and fan-ins, the chunked sum equals
    /// ndarray's sum of the whole array (exact: every partial sum is of equal values).
    #[test]
    fn chunked_sums_equal_ndarray(
        shape in proptest::collection::vec(1usize..9, 1..4),
        block_seed in proptest::collection::vec(1usize..9, 3),
        value in -4i32..5,
        axis_mask in 0u8..8,
        split_every in 2usize..6,
    ) {
        let ndim = shape.len();
        let block: Vec<usize> = (0..ndim).map(|i| block_seed[i].min(shape[i])).collect();
        let value = value as f64 * 0.5;
        let x = Array::full(&shape, value, ChunkSpec::Block(block)).unwrap();
        let axes: Vec<isize> = (0..ndim).filter(|i| axis_mask & (1 << i) != 0).map(|i| i as isize).collect();
        let axes_opt = if axes.is_empty() { None } else { Some(axes.as_slice()) };
        let got = x.sum_with(axes_opt, split_every).unwrap().compute(Scheduler::Threads).unwrap();
        let mut want = ArrayD::from_elem(IxDyn(&shape), value);
        let reduce: Vec<usize> = if axes.is_empty() { (0..ndim).collect() } else { axes.iter().map(|&a| a as usize).collect() };
        for &ax in reduce.iter().rev() {
            want = want.sum_axis(Axis(ax));
        }
        prop_assert_eq!(got, want);
    }
}
