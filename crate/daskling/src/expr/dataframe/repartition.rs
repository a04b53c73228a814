//! `repartition({npartitions})`: the same rows in a given number of partitions, in
//! order, as dask's — fewer by concatenating runs of neighbours, more by cutting each
//! partition into about equal pieces (no data moves between distant partitions).

use super::tasks::ftask;
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta, Series};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::Graph;
use crate::kernels::dataframe::kernel::FrameKernel;

/// The input's columns in `npartitions` partitions; rows of its own.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::Repartition { input, npartitions } = op else {
        return Err(not_mine("repartition"));
    };
    let i = &input.0;
    if i.kind == Kind::Scalar {
        return Err(Error::invalid(
            "repartition needs a series or a dataframe, got a scalar",
        ));
    }
    if *npartitions == 0 || i.npartitions == 0 {
        return Err(Error::invalid(
            "repartition: npartitions must be at least 1",
        ));
    }
    Ok(Meta {
        prefix: "repartition",
        kind: i.kind,
        names: i.names.clone(),
        dtypes: i.dtypes.clone(),
        npartitions: *npartitions,
        rows: None,
    })
}

/// Which input partitions make output partition `j` of `out` (fewer partitions), or
/// which pieces of one input partition (more): `(input, piece, pieces)` per part.
fn plan(n: usize, out: usize) -> Vec<Vec<(usize, usize, usize)>> {
    if out <= n {
        // Runs of neighbours, as even as can be.
        (0..out)
            .map(|j| {
                (j * n / out..(j + 1) * n / out)
                    .map(|p| (p, 0, 1))
                    .collect()
            })
            .collect()
    } else {
        // Input partition p gives k_p pieces, the k_p summing to `out`.
        let mut parts = vec![];
        for p in 0..n {
            let k = out / n + usize::from(p < out % n);
            parts.extend((0..k).map(|i| vec![(p, i, k)]));
        }
        parts
    }
}

/// A task per output partition: a concatenation of neighbours, or a piece of one.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::Repartition { input, npartitions } = d.op() else {
        return Err(not_mine("repartition"));
    };
    for (j, sources) in plan(input.npartitions(), *npartitions)
        .into_iter()
        .enumerate()
    {
        let task = match sources.as_slice() {
            [(p, piece, pieces)] if *pieces > 1 => ftask(
                FrameKernel::Piece {
                    piece: *piece,
                    pieces: *pieces,
                },
                vec![input.part_key(*p)],
            ),
            _ => ftask(
                FrameKernel::Concat,
                sources.iter().map(|(p, _, _)| input.part_key(*p)).collect(),
            ),
        };
        g.insert(d.part_key(j), task);
    }
    Ok(())
}

/// dask's `repartition(npartitions=…)`.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::Repartition { input, npartitions } = d.op() else {
        return Err(not_mine("repartition"));
    };
    let x = s.var(input.name())?.to_string();
    Ok((
        "repartition".into(),
        format!("{x}.repartition(npartitions={npartitions})"),
    ))
}

/// `input` in `npartitions` partitions.
pub(super) fn repartition(input: &Df, npartitions: usize) -> Result<Df> {
    Df::build(DfOp::Repartition {
        input: input.clone(),
        npartitions,
    })
}

impl DataFrame {
    /// The same rows in `npartitions` partitions, in order (dask's `repartition`):
    /// neighbours concatenated, or partitions cut into about equal pieces.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let src = Arc::new(MemorySource::new("a.csv", &b"v\n1\n2\n3\n4\n5\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let more = df.repartition(3).unwrap();
    /// assert_eq!(more.npartitions(), 3);
    /// let total = more.col("v").unwrap().sum().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(total, 15.0);
    /// assert_eq!(more.repartition(1).unwrap().len().unwrap().compute(Scheduler::Sync).unwrap(), 5.0);
    /// ```
    pub fn repartition(&self, npartitions: usize) -> Result<DataFrame> {
        repartition(&self.0, npartitions).map(DataFrame)
    }
}

impl Series {
    /// The same values in `npartitions` partitions, in order.
    pub fn repartition(&self, npartitions: usize) -> Result<Series> {
        repartition(&self.0, npartitions).map(Series)
    }
}

#[cfg(test)]
mod tests {
    use super::plan;

    #[test]
    fn every_input_partition_goes_once_in_order() {
        for n in 1..9 {
            for out in 1..20 {
                let p = plan(n, out);
                assert_eq!(p.len(), out, "{n} → {out}");
                let flat: Vec<(usize, usize, usize)> = p.into_iter().flatten().collect();
                let mut expect = vec![];
                for q in 0..n {
                    let k = flat.iter().filter(|x| x.0 == q).count();
                    expect.extend((0..k).map(|i| (q, i, k)));
                }
                assert_eq!(flat, expect, "{n} → {out}");
                assert!(flat.iter().all(|x| x.2 >= 1));
            }
        }
    }
}
