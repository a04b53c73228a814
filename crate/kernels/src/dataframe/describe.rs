//! `describe()`: count, mean, std, min, 25%, 50%, 75% and max of numeric columns, from
//! mergeable per-partition summaries. Quartiles come from quantile sketches: a
//! partition's sorted values when it has at most [`SKETCH`] of them (then the result
//! is pandas' linear interpolation, exactly), else that many evenly spaced quantiles
//! weighted by the rows they stand for — approximate, as dask's `describe`.

use super::column::{Column, Frame};
use super::ops::SeriesReduce;
use super::partials::{self, Partial};
use daskling_core::Result;

/// Points kept per sketch.
pub(crate) const SKETCH: usize = 1001;

/// A column's mergeable summary.
#[derive(Clone, Debug)]
pub(crate) struct Summary {
    moments: Partial,
    min: f64,
    max: f64,
    /// (value, rows it stands for), sorted by value.
    sketch: Vec<(f64, f64)>,
}

/// The row labels of the result.
pub(crate) const STATS: [&str; 8] = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"];

fn compress(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    if pts.len() <= SKETCH {
        return pts;
    }
    let total: f64 = pts.iter().map(|p| p.1).sum();
    let step = total / SKETCH as f64;
    let mut out = Vec::with_capacity(SKETCH);
    let mut acc = 0.0;
    let mut next = step / 2.0;
    for (v, w) in pts {
        acc += w;
        while acc >= next && out.len() < SKETCH {
            out.push((v, step));
            next += step;
        }
    }
    out
}

/// The summary of one column of a partition.
pub(crate) fn summarize(c: &Column) -> Result<Summary> {
    let values: Vec<f64> = (0..c.len()).filter_map(|i| c.f64_at(i)).collect();
    Ok(Summary {
        moments: partials::partial(SeriesReduce::Var, c)?,
        min: values.iter().copied().fold(f64::INFINITY, f64::min),
        max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        sketch: compress(values.into_iter().map(|v| (v, 1.0)).collect()),
    })
}

/// Summaries of the `columns` of a partition.
pub(crate) fn partial(f: &Frame, columns: &[String]) -> Result<Vec<Summary>> {
    columns
        .iter()
        .map(|n| {
            let c = f
                .column(n)
                .ok_or_else(|| daskling_core::Error::invalid(format!("no column {n}")))?;
            summarize(c)
        })
        .collect()
}

/// Merges summaries of the same columns.
pub(crate) fn merge(parts: &[&Vec<Summary>]) -> Result<Vec<Summary>> {
    let mut out: Vec<Summary> = parts.first().map(|p| (*p).clone()).unwrap_or_default();
    for p in parts.iter().skip(1) {
        for (a, b) in out.iter_mut().zip(p.iter()) {
            a.moments = partials::merge(SeriesReduce::Var, &[&a.moments, &b.moments])?;
            a.min = a.min.min(b.min);
            a.max = a.max.max(b.max);
            let mut pts = std::mem::take(&mut a.sketch);
            pts.extend_from_slice(&b.sketch);
            a.sketch = compress(pts);
        }
    }
    Ok(out)
}

/// Quantile `q` by linear interpolation between the sketch points placed at the
/// centres of the ranks they stand for (exactly pandas' rule for unweighted values).
fn quantile(sketch: &[(f64, f64)], q: f64) -> f64 {
    let total: f64 = sketch.iter().map(|p| p.1).sum();
    if sketch.is_empty() || total <= 0.0 {
        return f64::NAN;
    }
    let r = q * (total - 1.0);
    let mut cum = 0.0;
    let mut prev: Option<(f64, f64)> = None;
    for &(v, w) in sketch {
        let pos = cum + (w - 1.0) / 2.0;
        if pos >= r {
            return match prev {
                Some((pp, pv)) if pos > pp => pv + (v - pv) * (r - pp) / (pos - pp),
                _ => v,
            };
        }
        prev = Some((pos, v));
        cum += w;
    }
    prev.map_or(f64::NAN, |p| p.1)
}

/// The eight statistics of each summary, as columns.
pub(crate) fn finish(s: &[Summary]) -> Vec<Column> {
    s.iter()
        .map(|x| {
            let count = partials::finish(SeriesReduce::Count, &x.moments, 1.0);
            let empty = count == 0.0;
            let pick = |v: f64| if empty { f64::NAN } else { v };
            Column::Float64(vec![
                count,
                partials::finish(SeriesReduce::Mean, &x.moments, 1.0),
                partials::finish(SeriesReduce::Std, &x.moments, 1.0),
                pick(x.min),
                quantile(&x.sketch, 0.25),
                quantile(&x.sketch, 0.5),
                quantile(&x.sketch, 0.75),
                pick(x.max),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn quartiles_interpolate_like_pandas() {
        // pandas: Series([1, 2, 3, 4]).describe() → 25% 1.75, 50% 2.5, 75% 3.25.
        let s = summarize(&Column::Int64(vec![4, 1, 3, 2])).unwrap();
        let c = finish(&[s]);
        assert_eq!(
            c[0],
            Column::Float64(vec![
                4.0,
                2.5,
                (5.0f64 / 3.0).sqrt(),
                1.0,
                1.75,
                2.5,
                3.25,
                4.0
            ])
        );
        // Two partitions merge to the same answer while the sketch stays exact.
        let a = summarize(&Column::Int64(vec![4, 1])).unwrap();
        let b = summarize(&Column::Int64(vec![3, 2])).unwrap();
        let m = merge(&[&vec![a], &vec![b]]).unwrap();
        assert_eq!(finish(&m), c);
    }
}
