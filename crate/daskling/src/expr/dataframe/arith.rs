//! Arithmetic and logic: series with series or constants (pandas' dtype rules, one
//! place: `ops::binary_dtype`, `ops::scalar_dtype`, `ops::unary_dtype`), functions of each
//! value (`abs`, `sqrt`, …), `and`/`or`/`not`, and arithmetic of scalars.

use super::tasks::{each, ftask, scalar_key};
use super::{need, not_mine, same_rows, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{binary, float, Line, Script};
use crate::graph::{Graph, Key};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::ops;
use crate::kernels::dataframe::ops::LogicalOp;
use crate::kernels::dataframe::Dtype;

/// Names, dtypes, partitions and rows of a arithmetic operation.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    Ok(match op {
        DfOp::Binary { op, left, right } => {
            need(left, Kind::Series, op.name())?;
            need(right, Kind::Series, op.name())?;
            same_rows(left, right, op.name())?;
            let d = ops::binary_dtype(*op, left.0.dtypes[0], right.0.dtypes[0])?;
            Meta::series_like(op.name(), left, d)
        }
        DfOp::Scalar {
            op, input, value, ..
        } => {
            need(input, Kind::Series, op.name())?;
            let d = ops::scalar_dtype(*op, input.0.dtypes[0], *value)?;
            Meta::series_like(op.name(), input, d)
        }
        DfOp::Unary { f, input } => {
            need(input, Kind::Series, f.name())?;
            let d = ops::unary_dtype(*f, input.0.dtypes[0])?;
            Meta::series_like(f.name(), input, d)
        }
        DfOp::Logical { op, left, right } => {
            need(left, Kind::Series, op.name())?;
            if let Some(r) = right {
                need(r, Kind::Series, op.name())?;
                same_rows(left, r, op.name())?;
            }
            for s in std::iter::once(left).chain(right.iter()) {
                if s.0.dtypes[0] != Dtype::Bool {
                    return Err(Error::invalid(format!(
                        "{} needs bool series, got {}",
                        op.name(),
                        s.0.dtypes[0]
                    )));
                }
            }
            Meta::series_like(op.name(), left, Dtype::Bool)
        }
        DfOp::ScalarBinary { op, left, right } => {
            need(left, Kind::Scalar, op.name())?;
            need(right, Kind::Scalar, op.name())?;
            Meta::scalar(op.name())
        }
        DfOp::ScalarConst { op, input, .. } => {
            need(input, Kind::Scalar, op.name())?;
            Meta::scalar(op.name())
        }
        _ => return Err(not_mine("arithmetic")),
    })
}

/// Adds the partition tasks of `d`, a arithmetic operation whose inputs are lowered.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    match d.op() {
        DfOp::Binary { op, left, right } => each(g, d, FrameKernel::Binary(*op), &[left, right]),
        DfOp::Scalar {
            op,
            input,
            value,
            reflected,
        } => each(
            g,
            d,
            FrameKernel::Scalar {
                op: *op,
                value: *value,
                reflected: *reflected,
            },
            &[input],
        ),
        DfOp::Unary { f, input } => each(g, d, FrameKernel::Unary(*f), &[input]),
        DfOp::Logical { op, left, right } => {
            let mut ins = vec![left];
            ins.extend(right.iter());
            each(g, d, FrameKernel::Logical(*op), &ins)
        }
        _ => return Err(not_mine("arithmetic")),
    }
    Ok(())
}

/// Adds the tasks of `d`, a arithmetic scalar whose inputs are lowered; returns its key.
pub(super) fn lower_scalar(d: &Df, g: &mut Graph) -> Result<Key> {
    let key = Key::named(d.name());
    match d.op() {
        DfOp::ScalarBinary { op, left, right } => {
            let (l, r) = (scalar_key(left), scalar_key(right));
            g.insert(
                key.clone(),
                ftask(FrameKernel::ScalarArith(*op), vec![l, r]),
            );
            Ok(key)
        }
        DfOp::ScalarConst {
            op,
            input,
            value,
            reflected,
        } => {
            let i = scalar_key(input);
            g.insert(
                key.clone(),
                ftask(
                    FrameKernel::ScalarConst {
                        op: *op,
                        value: *value,
                        reflected: *reflected,
                    },
                    vec![i],
                ),
            );
            Ok(key)
        }
        _ => Err(not_mine("arithmetic")),
    }
}

/// The `dask.dataframe` line of arithmetic, comparisons and logical operations:
/// Python's operators (`a + b`, `s > 2.0`, `m & n`, `~m`).
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let var = |s: &Script, x: &Df| s.var(x.name()).map(str::to_string);
    Ok(match d.op() {
        DfOp::Binary { op, left, right } | DfOp::ScalarBinary { op, left, right } => (
            op.name().into(),
            binary(*op, &var(s, left)?, &var(s, right)?, ""),
        ),
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
            // A datetime series compares with a number of milliseconds: a Timestamp in
            // pandas.
            let c = match input.dtypes().first() {
                Some(Dtype::Datetime) if op.is_comparison() && value.is_finite() => {
                    format!("pd.Timestamp({}, unit=\"ms\")", *value as i64)
                }
                _ => float(*value),
            };
            let (l, r) = if *reflected { (c, x) } else { (x, c) };
            (op.name().into(), binary(*op, &l, &r, ""))
        }
        // numpy's ufuncs apply to a dask Series (`np.sqrt(s)`); `-s` and `abs(s)` are
        // Python's.
        DfOp::Unary { f, input } => (
            f.name().into(),
            f.dask()
                .replace("da.", "np.")
                .replace("{x}", &var(s, input)?),
        ),
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
            ("logical".into(), code)
        }
        _ => return Err(not_mine("arith")),
    })
}
