//! `concat`: frames (or series) stacked, as pandas' and dask's `concat` — the partitions
//! of each input in order, every one conformed to the union of the columns
//! (`Frame::conform`: a column a part lacks is missing there, int64 meeting float64
//! or a missing column becomes float64).

use std::sync::Arc;

use super::tasks::ftask;
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::Graph;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::Dtype;

/// The union of the inputs' columns (in order of first appearance) and their common
/// dtypes.
fn columns(inputs: &[Df]) -> Result<(Vec<String>, Vec<Dtype>)> {
    let mut names: Vec<String> = vec![];
    let mut dtypes: Vec<Dtype> = vec![];
    for d in inputs {
        for (n, &t) in d.0.names.iter().zip(&d.0.dtypes) {
            match names.iter().position(|x| x == n) {
                None => {
                    names.push(n.clone());
                    dtypes.push(t);
                }
                Some(j) => {
                    dtypes[j] = match (dtypes[j], t) {
                        (a, b) if a == b => a,
                        (Dtype::Int64, Dtype::Float64) | (Dtype::Float64, Dtype::Int64) => {
                            Dtype::Float64
                        }
                        (a, b) => {
                            return Err(Error::invalid(format!(
                                "concat: column {n} is {a} in one input and {b} in another"
                            )))
                        }
                    }
                }
            }
        }
    }
    // A column some input lacks is missing there: int64 cannot be.
    for (n, t) in names.iter().zip(dtypes.iter_mut()) {
        if *t == Dtype::Int64 && inputs.iter().any(|d| !d.0.names.contains(n)) {
            *t = Dtype::Float64;
        }
    }
    Ok((names, dtypes))
}

/// The union of the columns; the partitions of every input.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::Concat { inputs } = op else {
        return Err(not_mine("concat"));
    };
    let Some(first) = inputs.first() else {
        return Err(Error::invalid("concat needs at least one dataframe"));
    };
    let kind = first.0.kind;
    if kind == Kind::Scalar || inputs.iter().any(|d| d.0.kind != kind) {
        return Err(Error::invalid(
            "concat takes dataframes, or series, not a mix (nor scalars)",
        ));
    }
    let (mut names, dtypes) = columns(inputs)?;
    if kind == Kind::Series && names.len() > 1 {
        // Series of different names stack into one (pandas names it None).
        let t = dtypes
            .iter()
            .skip(1)
            .try_fold(dtypes[0], |a, &b| match (a, b) {
                (a, b) if a == b => Ok(a),
                (Dtype::Int64, Dtype::Float64) | (Dtype::Float64, Dtype::Int64) => {
                    Ok(Dtype::Float64)
                }
                (a, b) => Err(Error::invalid(format!(
                    "concat: a {a} series and a {b} series"
                ))),
            })?;
        names.truncate(1);
        return Ok(Meta {
            prefix: "concat",
            kind,
            names,
            dtypes: vec![t],
            npartitions: inputs.iter().map(Df::npartitions).sum(),
            rows: None,
        });
    }
    Ok(Meta {
        prefix: "concat",
        kind,
        names,
        dtypes,
        npartitions: inputs.iter().map(Df::npartitions).sum(),
        rows: None,
    })
}

/// One task per partition of every input: the partition conformed.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::Concat { inputs } = d.op() else {
        return Err(not_mine("concat"));
    };
    let names: Arc<[String]> = d.names().into();
    let dtypes: Arc<[Dtype]> = d.dtypes().into();
    let mut out = 0;
    for input in inputs {
        for p in 0..input.npartitions() {
            // A series keeps its values whatever its name: conform its one column.
            let own: Arc<[String]> = if d.kind() == Kind::Series {
                input.names().into()
            } else {
                names.clone()
            };
            let k = FrameKernel::Conform(own, dtypes.clone());
            g.insert(d.part_key(out), ftask(k, vec![input.part_key(p)]));
            out += 1;
        }
    }
    Ok(())
}

/// `dd.concat([a, b, …])`.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::Concat { inputs } = d.op() else {
        return Err(not_mine("concat"));
    };
    let vars = inputs
        .iter()
        .map(|i| s.var(i.name()).map(str::to_string))
        .collect::<Result<Vec<_>>>()?;
    Ok(("concat".into(), format!("dd.concat([{}])", vars.join(", "))))
}

/// `parts` stacked (a part that is itself a concat contributes its inputs).
pub(super) fn concat(parts: &[Df]) -> Result<Df> {
    let mut inputs = vec![];
    for p in parts {
        match p.op() {
            DfOp::Concat { inputs: inner } => inputs.extend(inner.iter().cloned()),
            _ => inputs.push(p.clone()),
        }
    }
    Df::build(DfOp::Concat { inputs })
}

impl DataFrame {
    /// `frames` stacked, as pandas' `concat`: their partitions in order, the union of
    /// their columns (in order of first appearance; a column a frame lacks is missing
    /// in its rows).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, DataFrame, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let read = |t: &'static str| read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", t.as_bytes()))], &ReadOptions::default()).unwrap();
    /// let both = DataFrame::concat(&[read("k,v\na,1\n"), read("v,w\n2,x\n")]).unwrap();
    /// assert_eq!(both.columns(), ["k", "v", "w"]);
    /// let out = both.compute(Scheduler::Sync).unwrap();
    /// assert_eq!(out.columns[1], Column::Int64(vec![1, 2]));
    /// assert_eq!(out.columns[2], Column::String(vec![None, Some("x".into())]));
    /// ```
    pub fn concat(frames: &[DataFrame]) -> Result<DataFrame> {
        let parts: Vec<Df> = frames.iter().map(|f| f.0.clone()).collect();
        concat(&parts).map(DataFrame)
    }
}
