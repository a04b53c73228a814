//! The `.dt` accessor: datetime fields, rounding and `strftime`, one task per partition.

use super::tasks::each;
use super::{need, not_mine, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{freq, string, Line, Script};
use crate::graph::Graph;
use crate::kernels::dataframe::dt;
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::Dtype;

/// Names, dtypes, partitions and rows of a datetime operation.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    Ok(match op {
        DfOp::DtField { input, .. }
        | DfOp::DtRound { input, .. }
        | DfOp::DtFormat { input, .. } => {
            need(input, Kind::Series, "dt")?;
            if input.0.dtypes[0] != Dtype::Datetime {
                return Err(Error::invalid(format!(
                    "the dt accessor needs a datetime series; {} is {}",
                    input.0.names[0], input.0.dtypes[0]
                )));
            }
            if let DfOp::DtRound { freq, .. } = &op {
                if *freq <= 0 {
                    return Err(Error::invalid("dt rounding needs a positive frequency"));
                }
            }
            let d = match op {
                DfOp::DtField { .. } => Dtype::Int64,
                DfOp::DtFormat { format, .. } => {
                    dt::check_format(format)?;
                    Dtype::String
                }
                _ => Dtype::Datetime,
            };
            Meta::series_like("dt", input, d)
        }
        _ => return Err(not_mine("datetime")),
    })
}

/// Adds the partition tasks of `d`, a datetime operation whose inputs are lowered.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    match d.op() {
        DfOp::DtField { input, field } => each(g, d, FrameKernel::DtField(*field), &[input]),
        DfOp::DtRound { input, freq, mode } => each(
            g,
            d,
            FrameKernel::DtRound {
                freq: *freq,
                mode: *mode,
            },
            &[input],
        ),
        DfOp::DtFormat { input, format } => {
            each(g, d, FrameKernel::DtFormat(format.clone()), &[input])
        }
        _ => return Err(not_mine("datetime")),
    }
    Ok(())
}

/// The `dask.dataframe` line of a `dt` field or rounding: `s.dt.hour`,
/// `s.dt.round("1D")`.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    Ok(match d.op() {
        DfOp::DtField { input, field } => {
            let f = field.name();
            (f.into(), format!("{}.dt.{f}", s.var(input.name())?))
        }
        DfOp::DtRound {
            input,
            freq: ms,
            mode,
        } => {
            let m = mode.name();
            let code = format!("{}.dt.{m}({})", s.var(input.name())?, string(&freq(*ms)));
            (m.into(), code)
        }
        DfOp::DtFormat { input, format } => (
            "strftime".into(),
            format!("{}.dt.strftime({})", s.var(input.name())?, string(format)),
        ),
        _ => return Err(not_mine("datetime")),
    })
}
