//! Reductions of blocks, in three steps like dask's tree reductions: `chunk` reduces one
//! block (reduced axes kept with length 1), `combine` merges same-shape partials, and
//! `aggregate` merges the last ones and finishes (dropping the reduced axes).
//!
//! `mean`, `var` and `std` carry partial moments — (count, mean) or (count, mean, M2),
//! stacked along a new leading axis — merged with Chan et al.'s pairwise formulas, never
//! through a sum of squares.

use ndarray::{ArrayD, Axis, IxDyn, Zip};

use crate::moments;
use daskling_core::{Error, Result};

crate::name_table! {
    /// A reduction of arrays along axes: one row each.
    pub enum ReduceOp {
        Sum = "sum": "The sum.",
        Prod = "prod": "The product.",
        Min = "min": "The smallest value.",
        Max = "max": "The largest value.",
        Mean = "mean": "The mean.",
        Var = "var": "The variance (`ddof`, default 0).",
        Std = "std": "The standard deviation (`ddof`, default 0).",
        NanSum = "nansum": "The sum of the values that are not NaN (0 when none are).",
        NanMin = "nanmin": "The smallest value that is not NaN (NaN when none).",
        NanMax = "nanmax": "The largest value that is not NaN (NaN when none).",
        NanMean = "nanmean": "The mean of the values that are not NaN.",
        NanVar = "nanvar": "The variance of the values that are not NaN (`ddof`, default 0).",
        NanStd = "nanstd": "The standard deviation of the values that are not NaN (`ddof`, default 0).",
        Any = "any": "1 where any value is not 0 (NaN counts), else 0 (numpy's `any`; 0 of nothing).",
        All = "all": "1 where every value is not 0 (NaN counts), else 0 (numpy's `all`; 1 of nothing).",
    }
}

impl ReduceOp {
    /// Rows of partial moments (0 for plain reductions).
    fn moments(self) -> usize {
        match self {
            ReduceOp::Mean | ReduceOp::NanMean => 2,
            ReduceOp::Var | ReduceOp::Std | ReduceOp::NanVar | ReduceOp::NanStd => 3,
            _ => 0,
        }
    }

    /// Whether NaN values are left out (the `nan…` rows), which dask spells as
    /// functions (`da.nansum(x)`) rather than methods.
    pub fn skips_nan(self) -> bool {
        self.name().starts_with("nan")
    }

    /// Whether `ddof` changes the result (`var`, `std`).
    pub fn takes_ddof(self) -> bool {
        self.moments() == 3
    }

    /// The labels of the three steps, for graphs: `sum-chunk`, `sum-combine`,
    /// `sum-aggregate`.
    pub const fn step_names(self) -> [&'static str; 3] {
        use crate::names::Step;
        [
            self.step(Step::Chunk),
            self.step(Step::Combine),
            self.step(Step::Aggregate),
        ]
    }
}

/// `Σ f(x)` over a slice with eight independent accumulators, so it vectorizes.
#[inline(always)]
fn lane_sum(s: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut acc = [0.0f64; 8];
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        for i in 0..8 {
            acc[i] += f(c[i]);
        }
    }
    let tail: f64 = chunks.remainder().iter().map(|&x| f(x)).sum();
    let pairs = [
        acc[0] + acc[4],
        acc[1] + acc[5],
        acc[2] + acc[6],
        acc[3] + acc[7],
    ];
    (pairs[0] + pairs[2]) + (pairs[1] + pairs[3]) + tail
}

/// Sum of a slice.
fn sum_slice(s: &[f64]) -> f64 {
    lane_sum(s, |x| x)
}

/// Sum of squared deviations from `m`.
fn sum_sq_dev(s: &[f64], m: f64) -> f64 {
    lane_sum(s, |x| (x - m) * (x - m))
}

fn fmin(a: f64, b: f64) -> f64 {
    // NaN propagates, as numpy's min.
    if b < a || b.is_nan() {
        b
    } else {
        a
    }
}

fn fmax(a: f64, b: f64) -> f64 {
    if b > a || b.is_nan() {
        b
    } else {
        a
    }
}

/// The smaller of two values, NaN only when both are (numpy's `nanmin`).
fn nanmin(a: f64, b: f64) -> f64 {
    if a.is_nan() || b < a {
        b
    } else {
        a
    }
}

fn nanmax(a: f64, b: f64) -> f64 {
    if a.is_nan() || b > a {
        b
    } else {
        a
    }
}

/// `b` with NaN values replaced by `v`.
fn nan_to(b: &ArrayD<f64>, v: f64) -> ArrayD<f64> {
    b.mapv(|x| if x.is_nan() { v } else { x })
}

fn keep_shape(shape: &[usize], axes: &[usize]) -> Vec<usize> {
    shape
        .iter()
        .enumerate()
        .map(|(i, &n)| if axes.contains(&i) { 1 } else { n })
        .collect()
}

/// Folds `b` over `axes` with `f` from `init`, keeping them with length 1.
fn fold_keepdims(
    b: &ArrayD<f64>,
    axes: &[usize],
    init: f64,
    f: fn(f64, f64) -> f64,
) -> ArrayD<f64> {
    let all = axes.len() == b.ndim();
    if all {
        if let Some(s) = b.as_slice() {
            let v = s.iter().fold(init, |a, &x| f(a, x));
            return ArrayD::from_elem(IxDyn(&keep_shape(b.shape(), axes)), v);
        }
    }
    let mut out = b.to_owned();
    for &ax in axes {
        out = out
            .fold_axis(Axis(ax), init, |&a, &x| f(a, x))
            .insert_axis(Axis(ax));
    }
    out
}

fn sum_keepdims(b: &ArrayD<f64>, axes: &[usize]) -> ArrayD<f64> {
    if axes.len() == b.ndim() {
        if let Some(s) = b.as_slice() {
            return ArrayD::from_elem(IxDyn(&keep_shape(b.shape(), axes)), sum_slice(s));
        }
    }
    if axes.is_empty() {
        return b.to_owned();
    }
    let mut out: Option<ArrayD<f64>> = None;
    for &ax in axes {
        let cur = out.as_ref().unwrap_or(b);
        out = Some(cur.sum_axis(Axis(ax)).insert_axis(Axis(ax)));
    }
    out.unwrap_or_else(|| b.to_owned())
}

/// Reduces one block over `axes` (kept with length 1); moments get a leading axis.
pub(crate) fn chunk(op: ReduceOp, b: &ArrayD<f64>, axes: &[usize]) -> Result<ArrayD<f64>> {
    Ok(match op {
        ReduceOp::Sum => sum_keepdims(b, axes),
        ReduceOp::Prod => fold_keepdims(b, axes, 1.0, |a, x| a * x),
        ReduceOp::Min => fold_keepdims(b, axes, f64::INFINITY, fmin),
        ReduceOp::Max => fold_keepdims(b, axes, f64::NEG_INFINITY, fmax),
        ReduceOp::Mean | ReduceOp::Var | ReduceOp::Std => moments_chunk(op.moments(), b, axes)?,
        ReduceOp::NanSum => sum_keepdims(&nan_to(b, 0.0), axes),
        ReduceOp::Any => fold_keepdims(b, axes, 0.0, |a, x| if x != 0.0 { 1.0 } else { a }),
        ReduceOp::All => fold_keepdims(b, axes, 1.0, |a, x| if x == 0.0 { 0.0 } else { a }),
        ReduceOp::NanMin => fold_keepdims(b, axes, f64::NAN, nanmin),
        ReduceOp::NanMax => fold_keepdims(b, axes, f64::NAN, nanmax),
        ReduceOp::NanMean | ReduceOp::NanVar | ReduceOp::NanStd => {
            nan_moments_chunk(op.moments(), b, axes)
        }
    })
}

/// Partial moments of the values that are not NaN: the count varies by position.
fn nan_moments_chunk(rows: usize, b: &ArrayD<f64>, axes: &[usize]) -> ArrayD<f64> {
    let valid = b.mapv(|x| f64::from(u8::from(!x.is_nan())));
    let count = sum_keepdims(&valid, axes);
    let sum = sum_keepdims(&nan_to(b, 0.0), axes);
    // 0 / 0: the mean of no values is NaN; its count of 0 drops it in a merge.
    let mean = Zip::from(&sum).and(&count).map_collect(|&s, &n| s / n);
    let mut parts = vec![count.view(), mean.view()];
    let m2;
    if rows == 3 {
        let sq = Zip::from(b).and_broadcast(&mean).map_collect(|&x, &m| {
            if x.is_nan() {
                0.0
            } else {
                (x - m) * (x - m)
            }
        });
        m2 = sum_keepdims(&sq, axes);
        parts.push(m2.view());
    }
    ndarray::stack(Axis(0), &parts).unwrap_or_else(|_| ArrayD::zeros(IxDyn(&[0])))
}

fn moments_chunk(rows: usize, b: &ArrayD<f64>, axes: &[usize]) -> Result<ArrayD<f64>> {
    let n: usize = axes.iter().map(|&a| b.shape()[a]).product();
    let nf = n as f64;
    let keep = keep_shape(b.shape(), axes);
    let mut shape = vec![rows];
    shape.extend(&keep);
    let mut out = ArrayD::<f64>::zeros(IxDyn(&shape));
    if axes.len() == b.ndim() {
        if let Some(s) = b.as_slice() {
            // 0/0: the mean of nothing is NaN, as numpy's.
            let mean = sum_slice(s) / nf;
            let flat = out
                .as_slice_mut()
                .ok_or_else(|| Error::invalid("moments: a fresh array is contiguous"))?;
            flat[0] = nf;
            flat[1] = mean;
            if rows == 3 {
                flat[2] = sum_sq_dev(s, mean);
            }
            return Ok(out);
        }
    }
    let mut mean = sum_keepdims(b, axes);
    mean.mapv_inplace(|s| s / nf);
    out.index_axis_mut(Axis(0), 0).fill(nf);
    out.index_axis_mut(Axis(0), 1).assign(&mean);
    if rows == 3 {
        let sq = Zip::from(b)
            .and_broadcast(&mean)
            .map_collect(|&x, &m| (x - m) * (x - m));
        out.index_axis_mut(Axis(0), 2)
            .assign(&sum_keepdims(&sq, axes));
    }
    Ok(out)
}

/// Merges partial moments `p` into `acc` (both `rows` stacked rows, standard layout).
fn merge_moments(acc: &mut [f64], p: &[f64], rows: usize) {
    let m = acc.len() / rows;
    let (an, rest) = acc.split_at_mut(m);
    let (amean, am2) = rest.split_at_mut(m);
    let (pn, prest) = p.split_at(m);
    let (pmean, pm2) = prest.split_at(m);
    let has_m2 = rows == 3;
    for j in 0..m {
        let q = |v: &[f64]| if has_m2 { v[j] } else { 0.0 };
        let (n, mean, m2) = moments::merge((an[j], amean[j], q(am2)), (pn[j], pmean[j], q(pm2)));
        an[j] = n;
        amean[j] = mean;
        if has_m2 {
            am2[j] = m2;
        }
    }
}

/// Merges same-shape partials.
pub(crate) fn combine(key: &str, op: ReduceOp, parts: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
    let (first, rest) = parts
        .split_first()
        .ok_or_else(|| Error::invalid(format!("{key}: no partial results to combine")))?;
    let mut acc = first.as_standard_layout().into_owned();
    for p in rest {
        if p.shape() != acc.shape() {
            return Err(Error::invalid(format!(
                "{key}: cannot combine partials of shapes {:?} and {:?}",
                acc.shape(),
                p.shape()
            )));
        }
        match op {
            ReduceOp::Sum | ReduceOp::NanSum => acc += *p,
            // Partials are 1 or 0: any is their largest, all their smallest.
            ReduceOp::Any => Zip::from(&mut acc).and(*p).for_each(|a, &x| *a = a.max(x)),
            ReduceOp::All => Zip::from(&mut acc).and(*p).for_each(|a, &x| *a = a.min(x)),
            ReduceOp::Prod => acc *= *p,
            ReduceOp::NanMin => Zip::from(&mut acc)
                .and(*p)
                .for_each(|a, &x| *a = nanmin(*a, x)),
            ReduceOp::NanMax => Zip::from(&mut acc)
                .and(*p)
                .for_each(|a, &x| *a = nanmax(*a, x)),
            ReduceOp::Min => Zip::from(&mut acc)
                .and(*p)
                .for_each(|a, &x| *a = fmin(*a, x)),
            ReduceOp::Max => Zip::from(&mut acc)
                .and(*p)
                .for_each(|a, &x| *a = fmax(*a, x)),
            ReduceOp::Mean
            | ReduceOp::Var
            | ReduceOp::Std
            | ReduceOp::NanMean
            | ReduceOp::NanVar
            | ReduceOp::NanStd => {
                let p = p.as_standard_layout();
                let (Some(a), Some(ps)) = (acc.as_slice_mut(), p.as_slice()) else {
                    return Err(Error::invalid(format!(
                        "{key}: partials are not contiguous"
                    )));
                };
                merge_moments(a, ps, op.moments());
            }
        }
    }
    Ok(acc)
}

/// Merges the last partials and finishes: the reduced `axes` are dropped; `var`/`std`
/// divide by `n - ddof`.
pub(crate) fn aggregate(
    key: &str,
    op: ReduceOp,
    parts: &[&ArrayD<f64>],
    axes: &[usize],
    ddof: f64,
) -> Result<ArrayD<f64>> {
    let acc = combine(key, op, parts)?;
    let acc = match op {
        ReduceOp::Sum
        | ReduceOp::Prod
        | ReduceOp::Min
        | ReduceOp::Max
        | ReduceOp::NanSum
        | ReduceOp::NanMin
        | ReduceOp::NanMax
        | ReduceOp::Any
        | ReduceOp::All => acc,
        ReduceOp::Mean | ReduceOp::NanMean => acc.index_axis_move(Axis(0), 1),
        ReduceOp::Var | ReduceOp::Std | ReduceOp::NanVar | ReduceOp::NanStd => {
            let n = acc.index_axis(Axis(0), 0);
            let m2 = acc.index_axis(Axis(0), 2);
            let sqrt = matches!(op, ReduceOp::Std | ReduceOp::NanStd);
            Zip::from(&n).and(&m2).map_collect(|&n, &m2| {
                let v = m2 / (n - ddof).max(0.0);
                if sqrt {
                    v.sqrt()
                } else {
                    v
                }
            })
        }
    };
    let out_shape: Vec<usize> = acc
        .shape()
        .iter()
        .enumerate()
        .filter(|(i, _)| !axes.contains(i))
        .map(|(_, &n)| n)
        .collect();
    acc.as_standard_layout()
        .into_owned()
        .into_shape_with_order(IxDyn(&out_shape))
        .map_err(|e| Error::invalid(format!("{key}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn block(lo: f64, n: usize) -> ArrayD<f64> {
        ArrayD::from_shape_vec(
            IxDyn(&[n, 2]),
            (0..2 * n).map(|i| lo + (i * i % 7) as f64).collect(),
        )
        .unwrap()
    }

    #[test]
    fn nan_rows_skip_nan_and_give_nan_when_nothing_is_left() {
        // Column 0: 1, NaN, 4, NaN over two blocks; column 1 all NaN.
        let a = ndarray::array![[1.0, f64::NAN], [f64::NAN, f64::NAN]].into_dyn();
        let b = ndarray::array![[4.0, f64::NAN], [f64::NAN, f64::NAN]].into_dyn();
        let run = |op| {
            let (pa, pb) = (chunk(op, &a, &[0]).unwrap(), chunk(op, &b, &[0]).unwrap());
            aggregate("k", op, &[&pa, &pb], &[0], 0.0).unwrap()
        };
        assert_eq!(run(ReduceOp::NanSum), ndarray::array![5.0, 0.0].into_dyn());
        let mean = run(ReduceOp::NanMean);
        assert!(mean[[0]] == 2.5 && mean[[1]].is_nan(), "{mean}");
        let var = run(ReduceOp::NanVar);
        assert!(var[[0]] == 2.25 && var[[1]].is_nan(), "{var}");
        let min = run(ReduceOp::NanMin);
        assert!(min[[0]] == 1.0 && min[[1]].is_nan(), "{min}");
        let max = run(ReduceOp::NanMax);
        assert!(max[[0]] == 4.0 && max[[1]].is_nan(), "{max}");
    }

    /// Plain loops over every value of the blocks' column `c` (the `nan` rows over the
    /// values that are not NaN).
    fn reference(op: ReduceOp, xs: &[f64], ddof: f64) -> f64 {
        if let Some(plain) = op.name().strip_prefix("nan") {
            let kept: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
            return reference(ReduceOp::parse(plain).unwrap(), &kept, ddof);
        }
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let m2: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
        match op.name() {
            "sum" => xs.iter().sum(),
            "prod" => xs.iter().product(),
            "min" => xs.iter().copied().fold(f64::INFINITY, f64::min),
            "max" => xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            "mean" => mean,
            "var" => m2 / (n - ddof),
            "std" => (m2 / (n - ddof)).sqrt(),
            "any" => f64::from(u8::from(xs.iter().any(|&x| x != 0.0))),
            "all" => f64::from(u8::from(xs.iter().all(|&x| x != 0.0))),
            other => panic!("no reference for {other}: add one"),
        }
    }

    #[test]
    fn chunk_combine_aggregate_equal_plain_loops_for_every_row() {
        let blocks = [block(1.0, 3), block(-2.0, 5), block(0.5, 1)];
        for &op in ReduceOp::ALL {
            let parts: Vec<ArrayD<f64>> =
                blocks.iter().map(|b| chunk(op, b, &[0]).unwrap()).collect();
            // Two levels, as a tree: (0, 1) then with 2.
            let first = combine("k", op, &[&parts[0], &parts[1]]).unwrap();
            let out = aggregate("k", op, &[&first, &parts[2]], &[0], 1.0).unwrap();
            assert_eq!(out.shape(), &[2]);
            for c in 0..2 {
                let xs: Vec<f64> = blocks
                    .iter()
                    .flat_map(|b| b.index_axis(Axis(1), c).iter().copied().collect::<Vec<_>>())
                    .collect();
                let r = reference(op, &xs, 1.0);
                assert!(
                    (out[[c]] - r).abs() <= 1e-12 * (1.0 + r.abs()),
                    "{op} column {c}: {} vs {r}",
                    out[[c]]
                );
            }
        }
    }

    #[test]
    fn var_with_ddof_zero_and_the_whole_block() {
        let b = block(3.0, 4);
        let p = chunk(ReduceOp::Var, &b, &[0, 1]).unwrap();
        let out = aggregate("k", ReduceOp::Var, &[&p], &[0, 1], 0.0).unwrap();
        let xs: Vec<f64> = b.iter().copied().collect();
        assert!((out.sum() - reference(ReduceOp::Var, &xs, 0.0)).abs() < 1e-12);
    }

    #[test]
    fn step_labels_come_from_the_row_names() {
        for &op in ReduceOp::ALL {
            let [a, b, c] = op.step_names();
            assert_eq!(a, format!("{}-chunk", op.name()));
            assert_eq!(b, format!("{}-combine", op.name()));
            assert_eq!(c, format!("{}-aggregate", op.name()));
        }
    }
}
