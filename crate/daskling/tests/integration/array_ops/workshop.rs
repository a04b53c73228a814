//! The workshop's expressions with their closed forms, fusion, reproducible random
//! arrays, bad arguments and persisted blocks.

use super::*;

fn scalar(a: &Array) -> f64 {
    let v = a.compute(Scheduler::Threads).unwrap();
    assert_eq!(v.ndim(), 0);
    v[IxDyn(&[])]
}

#[test]
fn workshop_expressions_have_their_closed_forms() {
    let ones = |s: &[usize], c: &[usize]| Array::ones(s, ChunkSpec::Block(c.to_vec())).unwrap();
    assert_eq!(scalar(&ones(&[15], &[5]).sum(None).unwrap()), 15.0);
    let x = ones(&[15, 15], &[5, 5]);
    let cols = x
        .sum(Some(&[0]))
        .unwrap()
        .compute(Scheduler::Threads)
        .unwrap();
    assert_eq!(cols, ArrayD::from_elem(IxDyn(&[15]), 15.0));
    let xxt = x.add(&x.t()).unwrap().compute(Scheduler::Threads).unwrap();
    assert_eq!(xxt, ArrayD::from_elem(IxDyn(&[15, 15]), 2.0));
    // x.dot(x.T + 1): every entry is 15 · 1 · 2 = 30.
    let y = x.dot(&x.t().add_scalar(1.0).unwrap()).unwrap();
    assert_eq!(
        y.compute(Scheduler::Threads).unwrap(),
        ArrayD::from_elem(IxDyn(&[15, 15]), 30.0)
    );
    let z = y.sub(&x.mean(None).unwrap()).unwrap();
    assert_eq!(
        z.compute(Scheduler::Sync).unwrap(),
        ArrayD::from_elem(IxDyn(&[15, 15]), 29.0)
    );
    assert_eq!(scalar(&z.std(None, 0.0).unwrap()), 0.0);
    assert_eq!(scalar(&z.mean(None).unwrap()), 29.0);
    // arange: 0 + 1 + … + 99.
    let a = Array::arange(0.0, 100.0, 1.0, 7).unwrap();
    assert_eq!(scalar(&a.sum(None).unwrap()), 4950.0);
    assert_eq!(scalar(&a.max(None).unwrap()), 99.0);
    // var of 0..99 with ddof=1: n(n+1)/12 for n = 100.
    assert_eq!(scalar(&a.var(None, 1.0).unwrap()), 100.0 * 101.0 / 12.0);
}

#[test]
fn elementwise_chains_fuse_into_one_task_per_block() {
    let x = Array::ones(&[10, 10], ChunkSpec::Block(vec![5, 5])).unwrap();
    let y = x
        .add_scalar(1.0)
        .unwrap()
        .scalar_op(BinaryOp::Mul, 2.0, false)
        .unwrap()
        .map(UnaryFn::Sqrt)
        .unwrap();
    let (g, _) = y.graph().unwrap();
    // 4 fused blocks + the concatenation of the result.
    assert_eq!(g.len(), 5);
    let got = y.compute(Scheduler::Threads).unwrap();
    assert_eq!(got, ArrayD::from_elem(IxDyn(&[10, 10]), 2.0));
}

#[test]
fn random_is_reproducible_per_seed_and_chunking() {
    let a = Array::random(&[50, 40], ChunkSpec::Block(vec![20, 15]), Some(7)).unwrap();
    let b = Array::random(&[50, 40], ChunkSpec::Block(vec![20, 15]), Some(7)).unwrap();
    let c = Array::random(&[50, 40], ChunkSpec::Block(vec![20, 15]), Some(8)).unwrap();
    let va = a.compute(Scheduler::Threads).unwrap();
    assert_eq!(va, b.compute(Scheduler::Sync).unwrap());
    assert_ne!(va, c.compute(Scheduler::Threads).unwrap());
    assert!(va.iter().all(|&v| (0.0..1.0).contains(&v)));
    // 2000 uniform values: the mean is 0.5 ± a few standard errors (0.0065).
    let m = va.mean().unwrap();
    assert!((m - 0.5).abs() < 0.04, "mean {m}");
    // Blocks are independent streams: no two blocks start alike.
    assert_ne!(va[[0, 0]], va[[20, 0]]);
}

#[test]
fn bad_arguments_are_errors_not_panics() {
    let x = Array::ones(&[4, 6], ChunkSpec::Block(vec![2, 3])).unwrap();
    let y = Array::ones(&[5], ChunkSpec::Block(vec![5])).unwrap();
    let msg = |r: daskling::Result<Array>| r.unwrap_err().to_string();
    assert!(msg(x.add(&y)).contains("could not be broadcast"));
    assert!(msg(x.dot(&y)).contains("not aligned"));
    assert!(msg(x.sum(Some(&[2]))).contains("out of bounds"));
    assert!(msg(x.slice(&[SliceArg::Index(4)])).contains("out of bounds"));
    assert!(msg(x.slice(&[SliceArg::Range(None, None, Some(0))])).contains("zero"));
    assert!(msg(x.transpose(Some(&[0, 0]))).contains("permutation"));
    assert!(msg(Array::arange(0.0, 1.0, 0.0, 1)).contains("non-zero step"));
    let empty = Array::ones(&[0, 3], ChunkSpec::Block(vec![1, 3])).unwrap();
    assert!(msg(empty.reduce(ReduceOp::Min, None, 0.0, 4)).contains("no identity"));
    assert!(msg(x.rechunk(ChunkSpec::Explicit(vec![vec![3], vec![6]]))).contains("add up"));
    // Too large to allocate: an error, not an abort.
    let huge = Array::ones(
        &[1 << 20, 1 << 20],
        ChunkSpec::Block(vec![1 << 20, 1 << 20]),
    )
    .unwrap();
    let e = huge
        .sum(None)
        .unwrap()
        .compute(Scheduler::Sync)
        .unwrap_err();
    assert!(e.to_string().contains("too large"), "{e}");
    let big = Array::ones(&[1 << 20, 1 << 20], ChunkSpec::Block(vec![1024, 1024])).unwrap();
    let e = big.compute(Scheduler::Sync).unwrap_err();
    assert!(e.to_string().contains("over 2 GiB"), "{e}");
}

#[test]
fn persisted_arrays_keep_their_blocks() {
    let x = Array::random(&[30, 20], ChunkSpec::Block(vec![10, 10]), Some(3)).unwrap();
    let p = x.persist(Scheduler::Threads).unwrap();
    assert_eq!(p.name(), x.name());
    assert_eq!(p.chunks(), x.chunks());
    let want = x.compute(Scheduler::Sync).unwrap();
    assert_eq!(p.compute(Scheduler::Threads).unwrap(), want);
    // Built on the stored blocks: no random_sample task is left to run.
    let (g, _) = p.mean(None).unwrap().graph().unwrap();
    assert!(g.iter().all(|(_, t)| t.kernel.kind() != "random_sample"));
    let m = p.mean(None).unwrap().compute(Scheduler::Threads).unwrap();
    assert!((m[IxDyn(&[])] - want.mean().unwrap()).abs() < 1e-15);
}
