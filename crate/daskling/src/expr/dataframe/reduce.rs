//! Reductions: a series' `sum`, `mean`, …, a frame's (`df.sum()`: a series indexed by
//! column name) and its `len` as trees of partials, and `describe`.

use super::tasks::{ftask, merge_levels, tree};
use super::{need, not_mine, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{float, Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::across::{self, AcrossSpec};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::ops::SeriesReduce;
use crate::kernels::dataframe::Dtype;
use crate::kernels::names::Step;

/// Names, dtypes, partitions and rows of a reduction operation.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    Ok(match op {
        DfOp::Reduce { input, reduce, .. } => {
            need(input, Kind::Series, reduce.name())?;
            let d = input.0.dtypes[0];
            let ok = match reduce {
                SeriesReduce::Count | SeriesReduce::Nunique => true,
                SeriesReduce::Min | SeriesReduce::Max => d != Dtype::String,
                _ => d.is_numeric(),
            };
            if !ok {
                return Err(Error::invalid(format!(
                    "{} of the {d} series {} is not supported",
                    reduce.name(),
                    input.0.names[0]
                )));
            }
            Meta::scalar(reduce.name())
        }
        DfOp::FrameReduce { input, reduce, .. } => {
            need(input, Kind::Frame, reduce.name())?;
            let cols = across::columns(*reduce, &input.0.dtypes);
            let dts: Vec<Dtype> = cols.iter().map(|&i| input.0.dtypes[i]).collect();
            Meta {
                prefix: reduce.name(),
                kind: Kind::Series,
                names: vec![String::new()],
                dtypes: vec![across::result_dtype(*reduce, &dts)],
                npartitions: 1,
                rows: None,
            }
        }
        DfOp::Len { input } => {
            if input.0.kind == Kind::Scalar {
                return Err(Error::invalid("len of a scalar"));
            }
            Meta::scalar("len")
        }
        DfOp::Describe { input } => {
            need(input, Kind::Frame, "describe")?;
            let cols: Vec<String> = input
                .0
                .names
                .iter()
                .zip(&input.0.dtypes)
                .filter(|(_, d)| matches!(d, Dtype::Int64 | Dtype::Float64))
                .map(|(n, _)| n.clone())
                .collect();
            if cols.is_empty() {
                return Err(Error::invalid(
                    "describe: the dataframe has no numeric column",
                ));
            }
            let dts = vec![Dtype::Float64; cols.len()];
            Meta {
                prefix: "describe",
                kind: Kind::Frame,
                names: cols,
                dtypes: dts,
                npartitions: 1,
                rows: None,
            }
        }
        _ => return Err(not_mine("reduction")),
    })
}

/// Adds the partition tasks of `d`, a reduction operation whose inputs are lowered.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    match d.op() {
        DfOp::Describe { input } => {
            let cols = d.names().to_vec();
            let token = tokenize(d.name());
            let layer = format!("describe-chunk-{token}");
            let parts: Vec<Key> = (0..input.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    g.insert(
                        k.clone(),
                        ftask(
                            FrameKernel::DescribePartial(cols.clone()),
                            vec![input.part_key(p)],
                        ),
                    );
                    k
                })
                .collect();
            let parts = merge_levels(g, d, "describe-combine", FrameKernel::DescribeMerge, parts);
            g.insert(
                d.part_key(0),
                ftask(FrameKernel::DescribeFinish(cols), parts),
            );
        }
        DfOp::FrameReduce {
            input,
            reduce,
            ddof,
        } => {
            let cols: Vec<String> = across::columns(*reduce, input.dtypes())
                .into_iter()
                .map(|i| input.names()[i].clone())
                .collect();
            let layer = format!("{}-{}", reduce.step(Step::Chunk), tokenize(d.name()));
            let parts: Vec<Key> = (0..input.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    let partial = FrameKernel::AcrossPartial(*reduce, cols.clone().into());
                    g.insert(k.clone(), ftask(partial, vec![input.part_key(p)]));
                    k
                })
                .collect();
            let parts = merge_levels(g, d, "combine", FrameKernel::AcrossMerge(*reduce), parts);
            let spec = AcrossSpec {
                op: *reduce,
                ddof: *ddof,
                columns: cols,
                name: d.names()[0].clone(),
                dtype: d.dtypes()[0],
            };
            g.insert(
                d.part_key(0),
                ftask(FrameKernel::AcrossFinish(spec.into()), parts),
            );
        }
        _ => return Err(not_mine("reduction")),
    }
    Ok(())
}

/// Adds the tasks of `d`, a reduction scalar whose inputs are lowered; returns its key.
pub(super) fn lower_scalar(d: &Df, g: &mut Graph) -> Result<Key> {
    match d.op() {
        DfOp::Reduce {
            input,
            reduce,
            ddof,
        } => {
            let layer = format!(
                "{}-{}",
                FrameKernel::Partial(*reduce).kind(),
                tokenize(d.name())
            );
            let parts = (0..input.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    g.insert(
                        k.clone(),
                        ftask(FrameKernel::Partial(*reduce), vec![input.part_key(p)]),
                    );
                    k
                })
                .collect();
            Ok(tree(g, d, *reduce, *ddof, parts))
        }
        DfOp::Len { input } => {
            let layer = format!("len-chunk-{}", tokenize(d.name()));
            let parts = (0..input.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    g.insert(
                        k.clone(),
                        ftask(FrameKernel::RowCount, vec![input.part_key(p)]),
                    );
                    k
                })
                .collect();
            Ok(tree(g, d, SeriesReduce::Count, 0.0, parts))
        }
        _ => Err(not_mine("reduction")),
    }
}

/// The `dask.dataframe` line of a reduction (`s.sum()`, `s.std(ddof=1.0)`), `len`
/// (`df.shape[0]`) or `describe()`.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    Ok(match d.op() {
        DfOp::Reduce {
            input,
            reduce,
            ddof,
        } => {
            let x = s.var(input.name())?;
            let m = reduce.name();
            let args = if reduce.takes_ddof() {
                format!("ddof={}", float(*ddof))
            } else {
                String::new()
            };
            (m.into(), format!("{x}.{m}({args})"))
        }
        // pandas' numeric_only=True: the columns daskling reduces.
        DfOp::FrameReduce {
            input,
            reduce,
            ddof,
        } => {
            let x = s.var(input.name())?;
            let m = reduce.name();
            let mut args = vec![];
            if !matches!(reduce, SeriesReduce::Count | SeriesReduce::Nunique) {
                args.push("numeric_only=True".to_string());
            }
            if reduce.takes_ddof() {
                args.push(format!("ddof={}", float(*ddof)));
            }
            (m.into(), format!("{x}.{m}({})", args.join(", ")))
        }
        DfOp::Len { input } => ("len".into(), format!("{}.shape[0]", s.var(input.name())?)),
        DfOp::Describe { input } => (
            "describe".into(),
            format!("{}.describe()", s.var(input.name())?),
        ),
        _ => return Err(not_mine("reduce")),
    })
}
