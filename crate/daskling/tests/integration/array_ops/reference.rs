//! The reference: each operation on the whole array, with plain ndarray and loops.

use super::*;

pub(crate) fn ref_reduce(x: &ArrayD<f64>, op: ReduceOp, axes: &[usize], ddof: f64) -> ArrayD<f64> {
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
        ReduceOp::NanSum => sum(&x.mapv(|v| if v.is_nan() { 0.0 } else { v })),
        ReduceOp::Any | ReduceOp::All => {
            // The count of values that are not 0, against none / all of them.
            let nonzero = sum(&x.mapv(|v| f64::from(u8::from(v != 0.0))));
            if op == ReduceOp::Any {
                nonzero.mapv(|c| f64::from(u8::from(c > 0.0)))
            } else {
                nonzero.mapv(|c| f64::from(u8::from(c == nf)))
            }
        }
        ReduceOp::NanMin | ReduceOp::NanMax => {
            // NaN values skipped: NaN only where every value is.
            let min = op == ReduceOp::NanMin;
            let pick = move |acc: f64, v: f64| match (acc.is_nan(), v.is_nan()) {
                (_, true) => acc,
                (true, false) => v,
                _ if min => acc.min(v),
                _ => acc.max(v),
            };
            let mut s = x.clone();
            for &a in &sorted {
                s = s.fold_axis(Axis(a), f64::NAN, |&acc, &v| pick(acc, v));
            }
            s
        }
        ReduceOp::NanMean | ReduceOp::NanVar | ReduceOp::NanStd => {
            let count = sum(&x.mapv(|v| f64::from(u8::from(!v.is_nan()))));
            let mean = sum(&x.mapv(|v| if v.is_nan() { 0.0 } else { v })) / &count;
            if op == ReduceOp::NanMean {
                return mean;
            }
            let mut m = mean.clone();
            for &a in axes {
                m = m.insert_axis(Axis(a));
            }
            let dev = Zip::from(x).and_broadcast(&m).map_collect(|&v, &mu| {
                if v.is_nan() {
                    0.0
                } else {
                    (v - mu) * (v - mu)
                }
            });
            let var = Zip::from(&sum(&dev))
                .and(&count)
                .map_collect(|&d, &n| d / (n - ddof).max(0.0));
            if op == ReduceOp::NanStd {
                var.mapv(f64::sqrt)
            } else {
                var
            }
        }
    }
}

/// The first index of the extreme (a NaN first of all) of each lane along `axis`, or of
/// the array in C order, by a plain loop.
pub(crate) fn ref_arg(x: &ArrayD<f64>, op: ArgOp, axis: Option<usize>) -> ArrayD<f64> {
    let pick = |vals: Vec<f64>| -> f64 {
        if let Some(i) = vals.iter().position(|v| v.is_nan()) {
            return i as f64;
        }
        let mut best = 0;
        for (i, &v) in vals.iter().enumerate() {
            let better = if op == ArgOp::ArgMax {
                v > vals[best]
            } else {
                v < vals[best]
            };
            if better {
                best = i;
            }
        }
        best as f64
    };
    match axis {
        None => ArrayD::from_elem(IxDyn(&[]), pick(x.iter().copied().collect())),
        Some(a) => x.map_axis(Axis(a), |lane| pick(lane.iter().copied().collect())),
    }
}

/// Running sums or products along `axis`, one line at a time by a plain loop.
pub(crate) fn ref_scan(x: &ArrayD<f64>, op: ScanOp, axis: usize) -> ArrayD<f64> {
    let mut out = x.clone();
    for mut line in out.lanes_mut(Axis(axis)) {
        let mut acc = if op.is_product() { 1.0 } else { 0.0 };
        for v in line.iter_mut() {
            let x = match op {
                ScanOp::NanCumSum if v.is_nan() => 0.0,
                ScanOp::NanCumProd if v.is_nan() => 1.0,
                _ => *v,
            };
            acc = if op.is_product() { acc * x } else { acc + x };
            *v = acc;
        }
    }
    out
}

pub(crate) fn ref_binary(op: BinaryOp, a: &ArrayD<f64>, b: &ArrayD<f64>) -> ArrayD<f64> {
    let f = |x: f64, y: f64| match op {
        BinaryOp::Add => x + y,
        BinaryOp::Sub => x - y,
        BinaryOp::Mul => x * y,
        BinaryOp::Div => x / y,
        BinaryOp::Pow => x.powf(y),
        BinaryOp::Mod => x - (x / y).floor() * y,
        BinaryOp::FloorDiv => (x / y).floor(),
        BinaryOp::Gt => (x > y) as u8 as f64,
        BinaryOp::Ge => (x >= y) as u8 as f64,
        BinaryOp::Lt => (x < y) as u8 as f64,
        BinaryOp::Le => (x <= y) as u8 as f64,
        BinaryOp::Eq => (x == y) as u8 as f64,
        BinaryOp::Ne => (x != y) as u8 as f64,
        BinaryOp::Maximum | BinaryOp::Minimum if x.is_nan() || y.is_nan() => f64::NAN,
        BinaryOp::Maximum => {
            if x >= y {
                x
            } else {
                y
            }
        }
        BinaryOp::Minimum => {
            if x <= y {
                x
            } else {
                y
            }
        }
        BinaryOp::Arctan2 => x.atan2(y),
        BinaryOp::Hypot => (x * x + y * y).sqrt(),
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

pub(crate) fn ref_unary(f: UnaryFn, a: &ArrayD<f64>) -> ArrayD<f64> {
    a.mapv(|x| match f {
        UnaryFn::Neg => -x,
        UnaryFn::Abs => x.abs(),
        UnaryFn::Sqrt => x.sqrt(),
        UnaryFn::Exp => x.exp(),
        UnaryFn::Log => x.ln(),
        UnaryFn::Sin => x.sin(),
        UnaryFn::Cos => x.cos(),
        UnaryFn::Tan => x.sin() / x.cos(),
        UnaryFn::Arcsin => x.asin(),
        UnaryFn::Arccos => x.acos(),
        UnaryFn::Arctan => x.atan(),
        UnaryFn::Sinh => (x.exp() - (-x).exp()) / 2.0,
        UnaryFn::Cosh => (x.exp() + (-x).exp()) / 2.0,
        UnaryFn::Tanh => x.tanh(),
        UnaryFn::Log10 => x.ln() / std::f64::consts::LN_10,
        UnaryFn::Log2 => x.ln() / std::f64::consts::LN_2,
        UnaryFn::Log1p => (1.0 + x).ln(),
        UnaryFn::Expm1 => x.exp() - 1.0,
        UnaryFn::Floor => x.floor(),
        UnaryFn::Ceil => -(-x).floor(),
        UnaryFn::Round => {
            // Halves to the even neighbour, as numpy.
            let r = x.round();
            if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
                r - x.signum()
            } else {
                r
            }
        }
        UnaryFn::Trunc => x.trunc(),
        UnaryFn::Sign => {
            if x.is_nan() || x == 0.0 {
                x
            } else {
                x.signum()
            }
        }
        UnaryFn::Square => x * x,
    })
}

/// Python's `range(*slice(start, stop, step).indices(n))`, by walking it.
pub(crate) fn py_indices(n: usize, s: SliceArg) -> Option<Vec<usize>> {
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

pub(crate) fn ref_slice(x: &ArrayD<f64>, spec: &[SliceArg]) -> ArrayD<f64> {
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

pub(crate) fn ref_dot(a: &ArrayD<f64>, b: &ArrayD<f64>) -> ArrayD<f64> {
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

pub(crate) fn assert_close(got: &ArrayD<f64>, want: &ArrayD<f64>, rel: f64, what: &str) {
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
