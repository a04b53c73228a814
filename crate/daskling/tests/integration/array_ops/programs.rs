//! Random chunkings and expression programs: each program runs on the chunked array and
//! on the whole array alike, and the answers agree.

use super::*;

/// A random partition of `n` into blocks, from `cuts` (bits choose boundaries).
pub(crate) fn partition(n: usize, cuts: u64) -> Vec<usize> {
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

pub(crate) fn data(shape: &[usize], seed: u64) -> ArrayD<f64> {
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
pub(crate) enum Step {
    AddOther(BinaryOp),
    Scalar(BinaryOp, f64, bool),
    Unary(UnaryFn),
    Transpose,
    Slice(Vec<SliceArg>),
    Rechunk(Vec<u64>),
    Reduce(ReduceOp, u8, u8),
    Scan(ScanOp, u8),
    Arg(ArgOp, Option<u8>),
    CenterRows,
    DotSelfT,
}

pub(crate) fn step() -> impl Strategy<Value = Step> {
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
        (prop::sample::select(ScanOp::ALL.to_vec()), any::<u8>())
            .prop_map(|(o, a)| Step::Scan(o, a)),
        (
            prop::sample::select(ArgOp::ALL.to_vec()),
            prop::option::of(any::<u8>())
        )
            .prop_map(|(o, a)| Step::Arg(o, a)),
        Just(Step::CenterRows),
        Just(Step::DotSelfT),
    ]
}

/// Applies `step` to the chunked value and the reference alike; `None` when the
/// step does not apply (the chunked side must then fail too, or be skipped).
pub(crate) fn apply(
    step: &Step,
    x: &Array,
    r: &ArrayD<f64>,
    other_seed: u64,
) -> Option<(Array, ArrayD<f64>)> {
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
        Step::Scan(op, axis) => {
            if r.ndim() == 0 {
                assert!(x.scan(*op, None).is_err());
                return None;
            }
            let axis = *axis as usize % r.ndim();
            Some((
                x.scan(*op, Some(axis as isize)).unwrap(),
                ref_scan(r, *op, axis),
            ))
        }
        Step::Arg(op, axis) => {
            let axis = axis.filter(|_| r.ndim() > 0).map(|a| a as usize % r.ndim());
            let empty = match axis {
                Some(a) => r.shape()[a] == 0,
                None => r.is_empty(),
            };
            let got = x.arg(*op, axis.map(|a| a as isize));
            if empty {
                assert!(got.is_err(), "{op} of nothing accepted");
                return None;
            }
            Some((got.unwrap(), ref_arg(r, *op, axis)))
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
            if empty
                && matches!(
                    op,
                    ReduceOp::Min | ReduceOp::Max | ReduceOp::NanMin | ReduceOp::NanMax
                )
            {
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
