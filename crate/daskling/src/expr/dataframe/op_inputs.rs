//! How an operation's inputs are listed and mapped: [`DfOp::inputs`] (for walks over
//! the expression) and [`DfOp::try_map`] (expressions to wire row numbers and back, and
//! rewrites such as the head's smaller reads) — one match per operation, so that a new
//! operation's inputs are declared once.

use super::op::DfOp;
use super::SourceRef;

impl<A> DfOp<A> {
    /// The inputs, in order.
    pub fn inputs(&self) -> Vec<&A> {
        match self {
            DfOp::ReadCsv { .. }
            | DfOp::ReadParquet { .. }
            | DfOp::FromFrame { .. }
            | DfOp::Stored { .. } => vec![],
            DfOp::Select { input, .. }
            | DfOp::Write { input, .. }
            | DfOp::Col { input, .. }
            | DfOp::Scalar { input, .. }
            | DfOp::Unary { input, .. }
            | DfOp::Map { input, .. }
            | DfOp::Str { input, .. }
            | DfOp::Scan { input, .. }
            | DfOp::Rows { input, .. }
            | DfOp::Sort { input, .. }
            | DfOp::Index { input, .. }
            | DfOp::MapPartitions { input, .. }
            | DfOp::FillBins { input, .. }
            | DfOp::Repartition { input, .. }
            | DfOp::DtField { input, .. }
            | DfOp::DtRound { input, .. }
            | DfOp::DtFormat { input, .. }
            | DfOp::Reduce { input, .. }
            | DfOp::FrameReduce { input, .. }
            | DfOp::Len { input }
            | DfOp::Describe { input }
            | DfOp::ScalarConst { input, .. } => vec![input],
            DfOp::Filter { input, mask } => vec![input, mask],
            DfOp::Assign { input, values, .. } => {
                let mut v = vec![input];
                v.extend(values.iter());
                v
            }
            DfOp::Concat { inputs } => inputs.iter().collect(),
            DfOp::Where {
                input, cond, other, ..
            } => {
                let mut v = vec![input, cond];
                v.extend(other.iter());
                v
            }
            DfOp::Binary { left, right, .. }
            | DfOp::ScalarBinary { left, right, .. }
            | DfOp::Merge { left, right, .. } => vec![left, right],
            DfOp::GroupTransform { by, grouped } => vec![by, grouped],
            DfOp::RollTime { input, on, .. } => vec![input, on],
            DfOp::GroupCum { by, values, .. } => vec![by, values],
            DfOp::GroupAgg { by, values, .. } => {
                let mut v = vec![by];
                v.extend(values.iter());
                v
            }
            DfOp::Logical { left, right, .. } => {
                let mut v = vec![left];
                v.extend(right.iter());
                v
            }
        }
    }

    /// The files a read reads (none for other operations).
    pub fn sources(&self) -> &[SourceRef] {
        match self {
            DfOp::ReadCsv { sources, .. } | DfOp::ReadParquet { sources, .. } => sources,
            _ => &[],
        }
    }

    /// [`DfOp::sources`], to resolve them.
    pub(crate) fn sources_mut(&mut self) -> &mut [SourceRef] {
        match self {
            DfOp::ReadCsv { sources, .. } | DfOp::ReadParquet { sources, .. } => sources,
            _ => &mut [],
        }
    }

    /// The same operation with every input replaced by `f(input)`.
    pub fn try_map<B, E>(&self, mut f: impl FnMut(&A) -> Result<B, E>) -> Result<DfOp<B>, E> {
        Ok(match self {
            DfOp::ReadCsv {
                sources,
                options,
                schema,
                blocksize,
            } => DfOp::ReadCsv {
                sources: sources.clone(),
                options: options.clone(),
                schema: schema.clone(),
                blocksize: *blocksize,
            },
            DfOp::ReadParquet {
                sources,
                files,
                filters,
                blocksize,
            } => DfOp::ReadParquet {
                sources: sources.clone(),
                files: files.clone(),
                filters: filters.clone(),
                blocksize: *blocksize,
            },
            DfOp::Write { input, options } => DfOp::Write {
                input: f(input)?,
                options: options.clone(),
            },
            DfOp::Select { input, columns } => DfOp::Select {
                input: f(input)?,
                columns: columns.clone(),
            },
            DfOp::Filter { input, mask } => DfOp::Filter {
                input: f(input)?,
                mask: f(mask)?,
            },
            DfOp::Assign {
                input,
                names,
                values,
            } => DfOp::Assign {
                input: f(input)?,
                names: names.clone(),
                values: values.iter().map(&mut f).collect::<Result<_, E>>()?,
            },
            DfOp::Col { input, name } => DfOp::Col {
                input: f(input)?,
                name: name.clone(),
            },
            DfOp::Binary { op, left, right } => DfOp::Binary {
                op: *op,
                left: f(left)?,
                right: f(right)?,
            },
            DfOp::Scalar {
                op,
                input,
                value,
                reflected,
            } => DfOp::Scalar {
                op: *op,
                input: f(input)?,
                value: *value,
                reflected: *reflected,
            },
            DfOp::Unary { f: func, input } => DfOp::Unary {
                f: *func,
                input: f(input)?,
            },
            DfOp::Map { input, f: func } => DfOp::Map {
                input: f(input)?,
                f: func.clone(),
            },
            DfOp::Scan { input, op } => DfOp::Scan {
                input: f(input)?,
                op: op.clone(),
            },
            DfOp::Str { input, f: func } => DfOp::Str {
                input: f(input)?,
                f: func.clone(),
            },
            DfOp::Rows { input, op } => DfOp::Rows {
                input: f(input)?,
                op: op.clone(),
            },
            DfOp::Repartition { input, npartitions } => DfOp::Repartition {
                input: f(input)?,
                npartitions: *npartitions,
            },
            DfOp::Concat { inputs } => DfOp::Concat {
                inputs: inputs.iter().map(&mut f).collect::<Result<_, E>>()?,
            },
            DfOp::Where {
                input,
                cond,
                other,
                c,
            } => DfOp::Where {
                input: f(input)?,
                cond: f(cond)?,
                other: match other {
                    Some(o) => Some(f(o)?),
                    None => None,
                },
                c: c.clone(),
            },
            DfOp::Sort { input, by } => DfOp::Sort {
                input: f(input)?,
                by: by.clone(),
            },
            DfOp::Stored { id, meta, held } => DfOp::Stored {
                id: id.clone(),
                meta: meta.clone(),
                held: held.clone(),
            },
            DfOp::Index { input, op } => DfOp::Index {
                input: f(input)?,
                op: op.clone(),
            },
            DfOp::FromFrame { data, npartitions } => DfOp::FromFrame {
                data: data.clone(),
                npartitions: *npartitions,
            },
            DfOp::RollTime {
                input,
                on,
                freq,
                window,
            } => DfOp::RollTime {
                input: f(input)?,
                on: f(on)?,
                freq: freq.clone(),
                window: window.clone(),
            },
            DfOp::GroupTransform { by, grouped } => DfOp::GroupTransform {
                by: f(by)?,
                grouped: f(grouped)?,
            },
            DfOp::GroupCum { by, values, agg } => DfOp::GroupCum {
                by: f(by)?,
                values: f(values)?,
                agg: *agg,
            },
            DfOp::FillBins {
                input,
                freq,
                step,
                zero,
            } => DfOp::FillBins {
                input: f(input)?,
                freq: freq.clone(),
                step: *step,
                zero: zero.clone(),
            },
            DfOp::MapPartitions {
                input,
                func,
                out,
                names,
                dtypes,
            } => DfOp::MapPartitions {
                input: f(input)?,
                func: func.clone(),
                out: *out,
                names: names.clone(),
                dtypes: dtypes.clone(),
            },
            DfOp::Merge {
                left,
                right,
                spec,
                broadcast,
            } => DfOp::Merge {
                left: f(left)?,
                right: f(right)?,
                spec: spec.clone(),
                broadcast: *broadcast,
            },
            DfOp::Logical { op, left, right } => DfOp::Logical {
                op: *op,
                left: f(left)?,
                right: match right {
                    Some(r) => Some(f(r)?),
                    None => None,
                },
            },
            DfOp::DtField { input, field } => DfOp::DtField {
                input: f(input)?,
                field: *field,
            },
            DfOp::DtRound { input, freq, mode } => DfOp::DtRound {
                input: f(input)?,
                freq: *freq,
                mode: *mode,
            },
            DfOp::DtFormat { input, format } => DfOp::DtFormat {
                input: f(input)?,
                format: format.clone(),
            },
            DfOp::Reduce {
                input,
                reduce,
                ddof,
            } => DfOp::Reduce {
                input: f(input)?,
                reduce: *reduce,
                ddof: *ddof,
            },
            DfOp::FrameReduce {
                input,
                reduce,
                ddof,
            } => DfOp::FrameReduce {
                input: f(input)?,
                reduce: *reduce,
                ddof: *ddof,
            },
            DfOp::Len { input } => DfOp::Len { input: f(input)? },
            DfOp::Describe { input } => DfOp::Describe { input: f(input)? },
            DfOp::GroupAgg {
                by,
                values,
                names,
                aggs,
                ddof,
                by_count_desc,
                frame,
            } => DfOp::GroupAgg {
                by: f(by)?,
                values: values.iter().map(&mut f).collect::<Result<_, E>>()?,
                names: names.clone(),
                aggs: aggs.clone(),
                ddof: *ddof,
                by_count_desc: *by_count_desc,
                frame: *frame,
            },
            DfOp::ScalarBinary { op, left, right } => DfOp::ScalarBinary {
                op: *op,
                left: f(left)?,
                right: f(right)?,
            },
            DfOp::ScalarConst {
                op,
                input,
                value,
                reflected,
            } => DfOp::ScalarConst {
                op: *op,
                input: f(input)?,
                value: *value,
                reflected: *reflected,
            },
        })
    }
}
