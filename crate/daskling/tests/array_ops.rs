//! Chunked arrays against the same computation done directly with ndarray on the whole
//! array: random shapes, chunkings and expression programs (property tests), and the
//! workshop's expressions with their closed-form answers.
// Native only: these tests use threads, files, processes or proptest, which wasm32 lacks;
// the browser tests are crate/wasm/tests (wasm-pack test).
#![cfg(not(target_arch = "wasm32"))]

use daskling::expr::array::{Array, ChunkSpec, SliceArg};
use daskling::kernels::array::{ArrayKernel, BinaryOp, ReduceOp, UnaryFn};
use daskling::kernels::Kernel;
use daskling::{Lazy, Scheduler};
use ndarray::{ArrayD, Axis, Ix2, IxDyn, Zip};
use proptest::prelude::*;

// ---------- the reference: whole arrays, plain ndarray ----------

fn ref_reduce(x: &ArrayD<f64>, op: ReduceOp, axes: &[usize], ddof: f64) -> ArrayD<f64> {
    // Reduce one axis at a time from the highest (sum/prod/min/max); statistics
    // straight from their definitions over the reduced elements.
    let mut sorted = axes.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let n: usize = axes.iter().map(|&a| x.shape()[a]).product();
    let nf = n as f64;
    let sum = |x: &ArrayD<f64>| {
        let mut s = x.clone();
        for &a in &sorted {
            s = s.sum_axis(Axis(a));
        }
        s
    };
    match op {
        ReduceOp::Sum => sum(x),
        ReduceOp::Prod => {
            let mut s = x.clone();
            for &a in &sorted {
                s = s.fold_axis(Axis(a), 1.0, |&acc, &v| acc * v);
            }
            s
        }
        ReduceOp::Min | ReduceOp::Max => {
            // As numpy: a NaN anywhere makes the result NaN (`f64::min`/`max` would skip it).
            let pick = |acc: f64, v: f64, min: bool| {
                if acc.is_nan() || v.is_nan() {
                    f64::NAN
                } else if min {
                    acc.min(v)
                } else {
                    acc.max(v)
                }
            };
            let mut s = x.clone();
            for &a in &sorted {
                s = if op == ReduceOp::Min {
                    s.fold_axis(Axis(a), f64::INFINITY, |&acc, &v| pick(acc, v, true))
                } else {
                    s.fold_axis(Axis(a), f64::NEG_INFINITY, |&acc, &v| pick(acc, v, false))
                };
            }
            s
        }
        ReduceOp::Mean | ReduceOp::Var | ReduceOp::Std => {
            let mean = sum(x) / nf;
            if op == ReduceOp::Mean {
                return mean;
            }
            // Put the mean back at the reduced axes to subtract it.
            let mut m = mean.clone();
            for &a in axes {
                m = m.insert_axis(Axis(a));
            }
            let dev = Zip::from(x)
                .and_broadcast(&m)
                .map_collect(|&v, &mu| (v - mu) * (v - mu));
            // numpy divides by max(n - ddof, 0).
            let var = sum(&dev) / (nf - ddof).max(0.0);
            if op == ReduceOp::Std {
                var.mapv(f64::sqrt)
            } else {
                var
            }
        }
    }
}

fn ref_binary(op: BinaryOp, a: &ArrayD<f64>, b: &ArrayD<f64>) -> ArrayD<f64> {
    let f = |x: f64, y: f64| match op {
        BinaryOp::Add => x + y,
        BinaryOp::Sub => x - y,
        BinaryOp::Mul => x * y,
        BinaryOp::Div => x / y,
        BinaryOp::Pow => x.powf(y),
        BinaryOp::Gt => (x > y) as u8 as f64,
        BinaryOp::Ge => (x >= y) as u8 as f64,
        BinaryOp::Lt => (x < y) as u8 as f64,
        BinaryOp::Le => (x <= y) as u8 as f64,
        BinaryOp::Eq => (x == y) as u8 as f64,
        BinaryOp::Ne => (x != y) as u8 as f64,
    };
    // Broadcast by hand: pad the shorter shape with leading 1s, stretch 1s.
    let n = a.ndim().max(b.ndim());
    let pad = |s: &[usize]| {
        let mut v = vec![1; n - s.len()];
        v.extend(s);
        v
    };
    let (sa, sb) = (pad(a.shape()), pad(b.shape()));
    let shape: Vec<usize> = sa
        .iter()
        .zip(&sb)
        .map(|(&x, &y)| if x == 1 { y } else { x })
        .collect();
    let a = a.to_shape(IxDyn(&sa)).unwrap().to_owned();
    let b = b.to_shape(IxDyn(&sb)).unwrap().to_owned();
    ArrayD::from_shape_fn(IxDyn(&shape), |idx| {
        let ia: Vec<usize> = (0..n)
            .map(|i| if sa[i] == 1 { 0 } else { idx[i] })
            .collect();
        let ib: Vec<usize> = (0..n)
            .map(|i| if sb[i] == 1 { 0 } else { idx[i] })
            .collect();
        f(a[IxDyn(&ia)], b[IxDyn(&ib)])
    })
}

fn ref_unary(f: UnaryFn, a: &ArrayD<f64>) -> ArrayD<f64> {
    a.mapv(|x| match f {
        UnaryFn::Neg => -x,
        UnaryFn::Abs => x.abs(),
        UnaryFn::Sqrt => x.sqrt(),
        UnaryFn::Exp => x.exp(),
        UnaryFn::Log => x.ln(),
        UnaryFn::Sin => x.sin(),
        UnaryFn::Cos => x.cos(),
    })
}

/// Python's `range(*slice(start, stop, step).indices(n))`, by walking it.
fn py_indices(n: usize, s: SliceArg) -> Option<Vec<usize>> {
    let n = n as i64;
    match s {
        SliceArg::All => Some((0..n as usize).collect()),
        SliceArg::Index(i) => {
            let j = if i < 0 { i + n } else { i };
            (0..n).contains(&j).then(|| vec![j as usize])
        }
        SliceArg::Range(start, stop, step) => {
            let step = step.unwrap_or(1);
            let adj = |v: i64| if v < 0 { v + n } else { v };
            let mut out = vec![];
            if step > 0 {
                let mut i = start.map_or(0, adj).clamp(0, n);
                let e = stop.map_or(n, adj).clamp(0, n);
                while i < e {
                    out.push(i as usize);
                    i += step;
                }
            } else {
                let mut i = start.map_or(n - 1, adj).clamp(-1, n - 1);
                let e = stop.map_or(-1, adj).clamp(-1, n - 1);
                while i > e {
                    out.push(i as usize);
                    i += step;
                }
            }
            Some(out)
        }
    }
}

fn ref_slice(x: &ArrayD<f64>, spec: &[SliceArg]) -> ArrayD<f64> {
    let mut out = x.clone();
    let mut drop = vec![];
    for (ax, &s) in spec.iter().enumerate() {
        let idx = py_indices(x.shape()[ax], s).unwrap();
        out = out.select(Axis(ax), &idx);
        if matches!(s, SliceArg::Index(_)) {
            drop.push(ax);
        }
    }
    for &ax in drop.iter().rev() {
        out = out.index_axis_move(Axis(ax), 0);
    }
    out
}

fn ref_dot(a: &ArrayD<f64>, b: &ArrayD<f64>) -> ArrayD<f64> {
    let a2 = if a.ndim() == 1 {
        a.clone().insert_axis(Axis(0))
    } else {
        a.clone()
    };
    let b2 = if b.ndim() == 1 {
        b.clone().insert_axis(Axis(1))
    } else {
        b.clone()
    };
    let (a2, b2) = (
        a2.into_dimensionality::<Ix2>().unwrap(),
        b2.into_dimensionality::<Ix2>().unwrap(),
    );
    // The textbook triple loop, not a GEMM.
    let (m, k, n) = (a2.nrows(), a2.ncols(), b2.ncols());
    let mut c = ndarray::Array2::<f64>::zeros((m, n));
    for i in 0..m {
        for j in 0..n {
            let mut s = 0.0;
            for l in 0..k {
                s += a2[[i, l]] * b2[[l, j]];
            }
            c[[i, j]] = s;
        }
    }
    let mut c = c.into_dyn();
    if b.ndim() == 1 {
        c = c.index_axis_move(Axis(1), 0);
    }
    if a.ndim() == 1 {
        c = c.index_axis_move(Axis(0), 0);
    }
    c
}

fn assert_close(got: &ArrayD<f64>, want: &ArrayD<f64>, rel: f64, what: &str) {
    assert_eq!(got.shape(), want.shape(), "{what}: shapes");
    let scale = want
        .iter()
        .filter(|v| v.is_finite())
        .fold(1.0f64, |m, v| m.max(v.abs()));
    for (g, w) in got.iter().zip(want.iter()) {
        // Equal (infinities included), both NaN, or close relative to the scale.
        let ok = g == w || (g.is_nan() && w.is_nan()) || (g - w).abs() <= rel * scale;
        assert!(ok, "{what}: got {g}, want {w} (scale {scale})");
    }
}

// ---------- random chunkings and programs ----------

/// A random partition of `n` into blocks, from `cuts` (bits choose boundaries).
fn partition(n: usize, cuts: u64) -> Vec<usize> {
    if n == 0 {
        return vec![0];
    }
    let mut out = vec![];
    let mut run = 0;
    for i in 0..n {
        run += 1;
        if i + 1 == n || cuts & (1 << (i % 64)) != 0 {
            out.push(run);
            run = 0;
        }
    }
    out
}

fn data(shape: &[usize], seed: u64) -> ArrayD<f64> {
    // Values in [0.5, 1.5): safe for log, sqrt and products.
    let mut s = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    ArrayD::from_shape_fn(IxDyn(shape), |_| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        0.5 + (s >> 11) as f64 / (1u64 << 53) as f64
    })
}

#[derive(Clone, Debug)]
enum Step {
    AddOther(BinaryOp),
    Scalar(BinaryOp, f64, bool),
    Unary(UnaryFn),
    Transpose,
    Slice(Vec<SliceArg>),
    Rechunk(Vec<u64>),
    Reduce(ReduceOp, u8, u8),
    CenterRows,
    DotSelfT,
}

fn step() -> impl Strategy<Value = Step> {
    let binop = prop::sample::select(vec![
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Gt,
        BinaryOp::Le,
    ]);
    let unary = prop::sample::select(vec![
        UnaryFn::Neg,
        UnaryFn::Abs,
        UnaryFn::Exp,
        UnaryFn::Sin,
        UnaryFn::Cos,
    ]);
    let reduce = prop::sample::select(ReduceOp::ALL.to_vec());
    let slice_arg = prop_oneof![
        Just(SliceArg::All),
        (-3i64..3).prop_map(SliceArg::Index),
        (
            prop::option::of(-6i64..8),
            prop::option::of(-6i64..8),
            prop::sample::select(vec![None, Some(1), Some(2), Some(3), Some(-1), Some(-2)])
        )
            .prop_map(|(a, b, c)| SliceArg::Range(a, b, c)),
    ];
    prop_oneof![
        binop.clone().prop_map(Step::AddOther),
        (binop, -2.0f64..2.0, any::<bool>()).prop_map(|(o, v, r)| Step::Scalar(o, v, r)),
        unary.prop_map(Step::Unary),
        Just(Step::Transpose),
        prop::collection::vec(slice_arg, 0..3).prop_map(Step::Slice),
        prop::collection::vec(any::<u64>(), 3).prop_map(Step::Rechunk),
        (reduce, any::<u8>(), 0u8..2).prop_map(|(r, m, d)| Step::Reduce(r, m, d)),
        Just(Step::CenterRows),
        Just(Step::DotSelfT),
    ]
}

/// Applies `step` to the chunked value and the reference alike; `None` when the
/// step does not apply (the chunked side must then fail too, or be skipped).
fn apply(step: &Step, x: &Array, r: &ArrayD<f64>, other_seed: u64) -> Option<(Array, ArrayD<f64>)> {
    match step {
        Step::AddOther(op) => {
            // Same shape, other chunks: operands are aligned by rechunking.
            let o = data(r.shape(), other_seed);
            let chunks: Vec<Vec<usize>> = r
                .shape()
                .iter()
                .enumerate()
                .map(|(i, &n)| partition(n, other_seed.rotate_left(i as u32 * 7)))
                .collect();
            let oa = Array::from_array(o.clone(), ChunkSpec::Explicit(chunks)).unwrap();
            Some((x.binary(*op, &oa).unwrap(), ref_binary(*op, r, &o)))
        }
        Step::Scalar(op, v, reflected) => {
            // `v / x` is ill-conditioned where x nears 0 against the size of what it was
            // computed from (the data are ~1; x after a centering, or a mean of centered
            // values, is a difference of near-equal values, exact only to ~1e-16 of their
            // size, and the quotient magnifies that): no two correct orders of summation
            // need agree there to 1e-12, so such programs are not generated.
            let scale = r.iter().fold(1.0f64, |m, v| m.max(v.abs()));
            if *op == BinaryOp::Div && *reflected && r.iter().any(|v| v.abs() < 1e-3 * scale) {
                return None;
            }
            let s = ArrayD::from_elem(IxDyn(&[]), *v);
            let want = if *reflected {
                ref_binary(*op, &s, r)
            } else {
                ref_binary(*op, r, &s)
            };
            Some((x.scalar_op(*op, *v, *reflected).unwrap(), want))
        }
        Step::Unary(f) => Some((x.map(*f).unwrap(), ref_unary(*f, r))),
        Step::Transpose => {
            let want = r.view().reversed_axes().to_owned();
            Some((x.t(), want))
        }
        Step::Slice(spec) => {
            if spec.len() > r.ndim() {
                assert!(x.slice(spec).is_err());
                return None;
            }
            let bad = spec
                .iter()
                .enumerate()
                .any(|(ax, &s)| py_indices(r.shape()[ax], s).is_none());
            if bad {
                assert!(x.slice(spec).is_err(), "out-of-range index accepted");
                return None;
            }
            Some((x.slice(spec).unwrap(), ref_slice(r, spec)))
        }
        Step::Rechunk(cuts) => {
            let chunks: Vec<Vec<usize>> = r
                .shape()
                .iter()
                .enumerate()
                .map(|(i, &n)| partition(n, cuts[i % 3]))
                .collect();
            Some((x.rechunk(ChunkSpec::Explicit(chunks)).unwrap(), r.clone()))
        }
        Step::Reduce(op, mask, ddof) => {
            let axes: Vec<isize> = (0..r.ndim())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| i as isize)
                .collect();
            let axes_u: Vec<usize> = if axes.is_empty() {
                (0..r.ndim()).collect()
            } else {
                axes.iter().map(|&a| a as usize).collect()
            };
            let empty = axes_u.iter().any(|&a| r.shape()[a] == 0);
            let axes_opt = (!axes.is_empty()).then_some(axes.as_slice());
            let got = x.reduce(*op, axes_opt, *ddof as f64, 2 + (*mask as usize % 4));
            if empty && matches!(op, ReduceOp::Min | ReduceOp::Max) {
                assert!(got.is_err(), "min of nothing accepted");
                return None;
            }
            Some((got.unwrap(), ref_reduce(r, *op, &axes_u, *ddof as f64)))
        }
        Step::CenterRows => {
            // x - x.mean(axis=0): broadcasting a reduced array back.
            if r.ndim() == 0 {
                return None;
            }
            let m = x.mean(Some(&[0])).unwrap();
            let rm = ref_reduce(r, ReduceOp::Mean, &[0], 0.0);
            Some((x.sub(&m).unwrap(), ref_binary(BinaryOp::Sub, r, &rm)))
        }
        Step::DotSelfT => {
            if r.ndim() == 0 || r.ndim() > 2 || r.len() > 400 {
                return None;
            }
            let t = r.view().reversed_axes().to_owned();
            Some((x.dot(&x.t()).unwrap(), ref_dot(r, &t)))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    /// Random programs over random shapes and chunkings: the chunked result equals
    /// the whole-array computation (relative 1e-12 of the result's scale).
    #[test]
    fn chunked_programs_equal_whole_array_computation(
        shape in prop::collection::vec(0usize..9, 1..4),
        cuts in prop::collection::vec(any::<u64>(), 3),
        seed in any::<u64>(),
        steps in prop::collection::vec(step(), 1..5),
    ) {
        let chunks: Vec<Vec<usize>> = shape.iter().enumerate().map(|(i, &n)| partition(n, cuts[i])).collect();
        let r0 = data(&shape, seed);
        let mut x = Array::from_array(r0.clone(), ChunkSpec::Explicit(chunks)).unwrap();
        let mut r = r0;
        for (i, s) in steps.iter().enumerate() {
            if let Some((nx, nr)) = apply(s, &x, &r, seed ^ (i as u64 + 1)) {
                prop_assert_eq!(nx.shape(), nr.shape(), "shape after {:?}", s);
                x = nx;
                r = nr;
            }
        }
        for sched in [Scheduler::Sync, Scheduler::Threads] {
            let got = x.compute(sched).unwrap();
            assert_close(&got, &r, 1e-12, &format!("{steps:?}"));
        }
    }
}

// ---------- the workshop's expressions, closed forms ----------

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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// The packed GEMM used in wasm (blocking, packing, edge strips), on plain pairs
    /// here: equal to the textbook product, for any sizes and transposed views.
    #[test]
    fn packed_gemm_equals_the_textbook_product(
        m in 1usize..140, k in 1usize..300, n in 1usize..40,
        transpose_a in any::<bool>(), seed in any::<u64>(),
    ) {
        use daskling::kernels::array::gemm::packed;
        let a = data(&[m, k], seed).into_dimensionality::<Ix2>().unwrap();
        let at = a.t().to_owned();
        let b = data(&[k, n], !seed).into_dimensionality::<Ix2>().unwrap();
        let mut c = ndarray::Array2::<f64>::ones((m, n));
        let av = if transpose_a { at.t() } else { a.view() };
        packed(av, b.view(), &mut c.view_mut());
        let want = ref_dot(&a.clone().into_dyn(), &b.clone().into_dyn()) + 1.0;
        assert_close(&c.into_dyn(), &want, 1e-13, "packed gemm");
    }

    /// SYRK (`c += a · aᵀ` on and above the diagonal), both the packed wasm kernel (on
    /// plain pairs here) and the native bands: the upper triangle equals the textbook
    /// product, for any sizes (across the 4×6 tiles, 128-row panels and 256-row bands).
    #[test]
    fn syrk_upper_triangle_equals_the_textbook_product(
        m in 1usize..300, k in 1usize..300, transpose_a in any::<bool>(), seed in any::<u64>(),
    ) {
        use daskling::kernels::array::gemm::{packed_syrk, syrk_upper_acc};
        let a = data(&[m, k], seed).into_dimensionality::<Ix2>().unwrap();
        let at = a.t().to_owned();
        let av = if transpose_a { at.t() } else { a.view() };
        let want = ref_dot(&a.clone().into_dyn(), &at.clone().into_dyn()) + 1.0;
        type Syrk = fn(ndarray::ArrayView2<f64>, &mut ndarray::ArrayViewMut2<f64>);
        let f: [(&str, Syrk); 2] = [("packed syrk", packed_syrk), ("syrk bands", syrk_upper_acc)];
        for (what, f) in f {
            let mut c = ndarray::Array2::<f64>::ones((m, m));
            f(av, &mut c.view_mut());
            for i in 0..m {
                for j in i..m {
                    let (g, w) = (c[[i, j]], want[[i, j]]);
                    prop_assert!((g - w).abs() <= 1e-13 * w.abs(), "{what} [{i}, {j}]: {g} vs {w}");
                }
            }
        }
    }
}

#[test]
fn symmetric_products_compute_the_blocks_above_the_diagonal_only() {
    // 4 × 4 blocks: x·xᵀ and xᵀ·x need 10 block products, not 16; the 6 below the
    // diagonal are their mirrors transposed. The shared axis has 4 blocks: each product
    // off the diagonal is two partial products (2 blocks each) summed. Values against the
    // textbook product.
    let x = Array::random(&[40, 24], ChunkSpec::Block(vec![10, 6]), Some(5)).unwrap();
    let xv = x.compute(Scheduler::Sync).unwrap();
    let xt = xv.t().to_owned();
    let count = |y: &Array, f: &dyn Fn(&Kernel) -> bool| {
        let (g, _) = y.graph().unwrap();
        g.iter().filter(|(_, t)| f(&t.kernel)).count()
    };
    for (y, want, what) in [
        (x.dot(&x.t()).unwrap(), ref_dot(&xv, &xt), "x.dot(x.T)"),
        (x.t().dot(&x).unwrap(), ref_dot(&xt, &xv), "x.T.dot(x)"),
    ] {
        // 6 off the diagonal in two partial products each, and the 4 on it, which
        // multiply their upper triangles only (from x's blocks), in one task each: half
        // the work per block, so the tasks cost alike.
        assert_eq!(count(&y, &|k| k.kind() == "dot"), 16, "{what}");
        let sym = |k: &Kernel| matches!(k, Kernel::Array(ArrayKernel::SymDot { nk: 4, .. }));
        assert_eq!(count(&y, &sym), 4, "{what}");
        // x's blocks enter the products as transposed views: the only transposes are the
        // 6 mirrors below the diagonal.
        assert_eq!(count(&y, &|k| k.kind() == "transpose"), 6, "{what}");
        assert_close(&y.compute(Scheduler::Threads).unwrap(), &want, 1e-12, what);
    }
    // Not symmetric: every block a product.
    let z = Array::random(&[40, 24], ChunkSpec::Block(vec![10, 6]), Some(6)).unwrap();
    let zv = z.compute(Scheduler::Sync).unwrap();
    let zt = zv.t().to_owned();
    for (y, want, what) in [
        (x.dot(&z.t()).unwrap(), ref_dot(&xv, &zt), "x.dot(z.T)"),
        (x.t().dot(&z).unwrap(), ref_dot(&xt, &zv), "x.T.dot(z)"),
    ] {
        assert_eq!(count(&y, &|k| k.kind() == "dot"), 32, "{what}");
        assert_eq!(count(&y, &|k| k.kind() == "transpose"), 0, "{what}");
        assert_close(&y.compute(Scheduler::Threads).unwrap(), &want, 1e-12, what);
    }
}

#[test]
fn long_shared_axes_sum_partial_products_in_parallel() {
    // xᵀ·x of a tall x is one output block over many blocks of the shared axis: partial
    // products of 2 blocks each (4 for the symmetric one), summed pairwise (odd counts
    // too), on several threads.
    for (rows, nk) in [(50usize, 5usize), (90, 9), (20, 2), (10, 1)] {
        let x =
            Array::random(&[rows, 7], ChunkSpec::Block(vec![10, 7]), Some(rows as u64)).unwrap();
        let y = Array::random(&[rows, 3], ChunkSpec::Block(vec![10, 3]), Some(1)).unwrap();
        let (xv, yv) = (
            x.compute(Scheduler::Sync).unwrap(),
            y.compute(Scheduler::Sync).unwrap(),
        );
        let xt = xv.t().to_owned();
        // Symmetric (SYRK, half the work per block): groups of 4 blocks.
        for (e, want, group, what) in [
            (x.t().dot(&x).unwrap(), ref_dot(&xt, &xv), 4, "x.T.dot(x)"),
            (x.t().dot(&y).unwrap(), ref_dot(&xt, &yv), 2, "x.T.dot(y)"),
        ] {
            let (g, _) = e.graph().unwrap();
            let products = g.iter().filter(|(_, t)| t.kernel.kind() == "dot").count();
            assert_eq!(products, nk.div_ceil(group), "{what}, {nk} blocks");
            for s in [Scheduler::Sync, Scheduler::Threads] {
                assert_close(&e.compute(s).unwrap(), &want, 1e-12, what);
            }
        }
    }
}
