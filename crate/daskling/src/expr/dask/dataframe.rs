//! Dataframe operations as `dask.dataframe` code, one line each, with pandas' names:
//! `dd.read_csv`, column access, filters, `assign`, arithmetic, `dt` accessors,
//! reductions and groupby aggregations (results sorted by key, as daskling sorts them).

use super::array::binary;
use super::{float, string, Script};
use crate::error::{Error, Result};
use crate::expr::dataframe::{Df, DfOp, LogicalOp};
use crate::kernels::dataframe::column::Dtype;
use crate::kernels::dataframe::groupby::GroupAgg;

/// A pandas frequency string for `ms` milliseconds (`1D`, `6h`, `15min`, `30s`).
fn freq(ms: i64) -> String {
    for (unit, size) in [
        ("D", 86_400_000),
        ("h", 3_600_000),
        ("min", 60_000),
        ("s", 1000),
    ] {
        if ms % size == 0 {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// What to do with a computed value so it equals daskling's: a result indexed by group
/// keys (a groupby, or arithmetic on groupbys) sorted by key, as daskling sorts it.
pub(super) fn finish(d: &Df) -> Option<&'static str> {
    let mut stack = vec![d];
    while let Some(x) = stack.pop() {
        match x.op() {
            DfOp::GroupAgg { by_count_desc, .. } => {
                return (!by_count_desc).then_some("sort_index")
            }
            DfOp::Binary { .. } | DfOp::Scalar { .. } | DfOp::Logical { .. } => {
                stack.extend(x.op().inputs())
            }
            _ => {}
        }
    }
    None
}

/// Writes the line of `d` (its inputs are written).
pub(super) fn export(d: &Df, s: &mut Script) -> Result<()> {
    let var = |s: &Script, x: &Df| s.var(x.name()).map(str::to_string);
    let (stem, code) = match d.op() {
        DfOp::ReadCsv {
            sources,
            options,
            schema: _,
            blocksize,
        } => {
            let paths = sources
                .iter()
                .map(|src| s.source_path(&src.name).map(|p| string(&p)))
                .collect::<Result<Vec<_>>>()?;
            let mut args = vec![list(&paths)];
            if options.sep != b',' {
                args.push(format!(
                    "sep={}",
                    string(&(options.sep as char).to_string())
                ));
            }
            if !options.header {
                let names: Vec<String> = d.names().iter().map(|n| string(n)).collect();
                args.push(format!("header=None, names={}", list(&names)));
            }
            if !options.parse_dates.is_empty() {
                let p: Vec<String> = options.parse_dates.iter().map(|n| string(n)).collect();
                args.push(format!("parse_dates={}", list(&p)));
            }
            let dtypes: Vec<String> = options
                .dtype
                .iter()
                .filter(|(_, t)| *t != Dtype::Datetime)
                .map(|(n, t)| {
                    let t = match t {
                        Dtype::Int64 => "int64",
                        Dtype::Float64 => "float64",
                        Dtype::Bool => "boolean",
                        Dtype::String | Dtype::Datetime => "string",
                    };
                    format!("{}: {}", string(n), string(t))
                })
                .collect();
            if !dtypes.is_empty() {
                args.push(format!("dtype={{{}}}", dtypes.join(", ")));
            }
            args.push(format!("blocksize={blocksize}"));
            ("df", format!("dd.read_csv({})", args.join(", ")))
        }
        DfOp::Select { input, columns } => {
            let c: Vec<String> = columns.iter().map(|n| string(n)).collect();
            ("select", format!("{}[{}]", var(s, input)?, list(&c)))
        }
        DfOp::Filter { input, mask } => {
            ("filter", format!("{}[{}]", var(s, input)?, var(s, mask)?))
        }
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
            (
                "assign",
                format!("{}.assign(**{{{}}})", var(s, input)?, kv.join(", ")),
            )
        }
        DfOp::Col { input, name } => {
            // Named after the column (`high_3`), when it makes an identifier.
            let stem: String = name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let stem = if stem.is_empty() || stem.starts_with(|c: char| c.is_ascii_digit()) {
                "col".to_string()
            } else {
                stem
            };
            let code = format!("{}[{}]", var(s, input)?, string(name));
            s.assign(d.name(), &stem, code);
            return Ok(());
        }
        DfOp::Binary { op, left, right } | DfOp::ScalarBinary { op, left, right } => {
            (op.name(), binary(*op, &var(s, left)?, &var(s, right)?, ""))
        }
        DfOp::Scalar {
            op,
            input,
            value,
            reflected,
        }
        | DfOp::ScalarConst {
            op,
            input,
            value,
            reflected,
        } => {
            let x = var(s, input)?;
            let c = float(*value);
            let (l, r) = if *reflected { (c, x) } else { (x, c) };
            (op.name(), binary(*op, &l, &r, ""))
        }
        DfOp::Logical { op, left, right } => {
            let l = var(s, left)?;
            let code = match (op, right) {
                (LogicalOp::Not, _) => format!("{}{l}", op.symbol()),
                (_, Some(r)) => format!("{l} {} {}", op.symbol(), var(s, r)?),
                (_, None) => {
                    return Err(Error::invalid(
                        "toDask: a logical operation without its operand",
                    ))
                }
            };
            ("logical", code)
        }
        DfOp::DtField { input, field } => {
            let f = field.name();
            (f, format!("{}.dt.{f}", var(s, input)?))
        }
        DfOp::DtRound {
            input,
            freq: ms,
            mode,
        } => {
            let m = mode.name();
            (
                m,
                format!("{}.dt.{m}({})", var(s, input)?, string(&freq(*ms))),
            )
        }
        DfOp::Reduce {
            input,
            reduce,
            ddof,
        } => {
            let x = var(s, input)?;
            let m = reduce.name();
            let args = if reduce.takes_ddof() {
                format!("ddof={}", float(*ddof))
            } else {
                String::new()
            };
            (m, format!("{x}.{m}({args})"))
        }
        DfOp::Len { input } => ("len", format!("{}.shape[0]", var(s, input)?)),
        DfOp::GroupAgg {
            by,
            values,
            names,
            aggs,
            ddof,
            by_count_desc,
            frame,
        } => {
            let by_var = var(s, by)?;
            let agg_args = |a: &GroupAgg| {
                if a.takes_ddof() {
                    format!("ddof={}", float(*ddof))
                } else {
                    String::new()
                }
            };
            if *by_count_desc {
                ("value_counts", format!("{by_var}.value_counts()"))
            } else if !*frame {
                let (v, a) = (values.first(), aggs.first());
                let (Some(v), Some(a)) = (v, a) else {
                    return Err(Error::invalid("toDask: a groupby without values"));
                };
                let code = format!(
                    "{}.groupby({by_var}).{}({})",
                    var(s, v)?,
                    a.name(),
                    agg_args(a)
                );
                ("groupby", code)
            } else {
                if aggs.iter().any(|a| a.takes_ddof()) && *ddof != 1.0 {
                    return Err(Error::invalid(
                        "toDask: std or var with ddof other than 1 inside agg() has no dask spelling; \
                         aggregate that column on its own",
                    ));
                }
                let cols = names
                    .iter()
                    .zip(values)
                    .map(|(n, v)| Ok(format!("{}.rename({})", var(s, v)?, string(n))))
                    .collect::<Result<Vec<_>>>()?;
                let spec: Vec<String> = names
                    .iter()
                    .zip(aggs)
                    .map(|(n, a)| format!("{}: {}", string(n), string(a.name())))
                    .collect();
                let code = format!(
                    "dd.concat({}, axis=1).groupby({by_var}).agg({{{}}})",
                    list(&cols),
                    spec.join(", ")
                );
                ("groupby", code)
            }
        }
        DfOp::Describe { input } => ("describe", format!("{}.describe()", var(s, input)?)),
    };
    s.assign(d.name(), stem, code);
    Ok(())
}
