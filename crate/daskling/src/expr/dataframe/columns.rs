//! Column selection: `select`, `col`, `filter` and `assign` — metadata and one task per
//! partition.

use super::tasks::each;
use super::{need, not_mine, same_rows, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{list, string, Line, Script};
use crate::graph::Graph;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::Dtype;

/// Names, dtypes, partitions and rows of a columns operation.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    Ok(match op {
        DfOp::Select { input, columns } => {
            need(input, Kind::Frame, "select")?;
            let mut dtypes = vec![];
            for c in columns {
                dtypes.push(input.dtype_of(c)?);
            }
            let r = input.0.rows.clone();
            Meta {
                prefix: "select",
                kind: Kind::Frame,
                names: columns.clone(),
                dtypes,
                npartitions: input.0.npartitions,
                rows: Some(r),
            }
        }
        DfOp::Filter { input, mask } => {
            if input.0.kind == Kind::Scalar {
                need(input, Kind::Frame, "filter")?;
            }
            need(mask, Kind::Series, "filter")?;
            same_rows(input, mask, "filter")?;
            if mask.0.dtypes[0] != Dtype::Bool {
                return Err(Error::invalid(format!(
                    "filter needs a bool series, got {}",
                    mask.0.dtypes[0]
                )));
            }
            let i = &input.0;
            Meta {
                prefix: "filter",
                kind: i.kind,
                names: i.names.clone(),
                dtypes: i.dtypes.clone(),
                npartitions: i.npartitions,
                rows: None,
            }
        }
        DfOp::Assign {
            input,
            names,
            values,
        } => {
            need(input, Kind::Frame, "assign")?;
            if names.len() != values.len() {
                return Err(Error::invalid("assign: one series per name"));
            }
            let (mut ns, mut ds) = (input.0.names.clone(), input.0.dtypes.clone());
            for (n, v) in names.iter().zip(values) {
                need(v, Kind::Series, "assign")?;
                same_rows(input, v, "assign")?;
                match ns.iter().position(|x| x == n) {
                    Some(j) => ds[j] = v.0.dtypes[0],
                    None => {
                        ns.push(n.clone());
                        ds.push(v.0.dtypes[0]);
                    }
                }
            }
            let r = input.0.rows.clone();
            Meta {
                prefix: "assign",
                kind: Kind::Frame,
                names: ns,
                dtypes: ds,
                npartitions: input.0.npartitions,
                rows: Some(r),
            }
        }
        DfOp::Col { input, name } => {
            need(input, Kind::Frame, "col")?;
            let d = input.dtype_of(name)?;
            let r = input.0.rows.clone();
            Meta {
                prefix: "getitem",
                kind: Kind::Series,
                names: vec![name.clone()],
                dtypes: vec![d],
                npartitions: input.0.npartitions,
                rows: Some(r),
            }
        }
        _ => return Err(not_mine("columns")),
    })
}

/// Adds the partition tasks of `d`, a columns operation whose inputs are lowered.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    match d.op() {
        DfOp::Select { input, columns } => {
            each(g, d, FrameKernel::Select(columns.clone()), &[input])
        }
        DfOp::Filter { input, mask } => each(g, d, FrameKernel::Filter, &[input, mask]),
        DfOp::Assign {
            input,
            names,
            values,
        } => {
            let mut ins = vec![input];
            ins.extend(values.iter());
            each(g, d, FrameKernel::Assign(names.clone()), &ins)
        }
        DfOp::Col { input, name } => each(g, d, FrameKernel::Col(name.clone()), &[input]),
        _ => return Err(not_mine("columns")),
    }
    Ok(())
}

/// The `dask.dataframe` line of a selection, filter, assign or column: pandas' own
/// spelling; a column's variable is named after it (`high_3`) where that makes an
/// identifier.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let var = |s: &Script, x: &Df| s.var(x.name()).map(str::to_string);
    Ok(match d.op() {
        DfOp::Select { input, columns } => {
            let c: Vec<String> = columns.iter().map(|n| string(n)).collect();
            ("select".into(), format!("{}[{}]", var(s, input)?, list(&c)))
        }
        DfOp::Filter { input, mask } => (
            "filter".into(),
            format!("{}[{}]", var(s, input)?, var(s, mask)?),
        ),
        DfOp::Assign {
            input,
            names,
            values,
        } => {
            let kv = names
                .iter()
                .zip(values)
                .map(|(n, v)| Ok(format!("{}: {}", string(n), var(s, v)?)))
                .collect::<Result<Vec<_>>>()?;
            let code = format!("{}.assign(**{{{}}})", var(s, input)?, kv.join(", "));
            ("assign".into(), code)
        }
        DfOp::Col { input, name } => {
            let stem: String = name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let stem = if stem.is_empty() || stem.starts_with(|c: char| c.is_ascii_digit()) {
                "col".to_string()
            } else {
                stem
            };
            (stem, format!("{}[{}]", var(s, input)?, string(name)))
        }
        _ => return Err(not_mine("columns")),
    })
}
