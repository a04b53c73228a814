//! Dataframe tasks: parsing CSV partitions (whole files, or blocks of large files —
//! see `blocks`), blockwise operations on partitions, and reduction steps.

use std::sync::Arc;

use super::across::{self, AcrossSpec};
use super::blocks;
use super::column::{concat, Column, Dtype, Frame};
use super::cond::{Cond, Other};
use super::csv::{CsvOptions, FrameParser, Schema};
use super::describe;
use super::dt::{self, DtField, RoundMode};
pub use super::groupby::GroupSpec;
use super::groupby::{self, GroupAgg};
use super::map::ColumnMap;
use super::merge::{MergeSpec, MergeStep};
use super::ops::{self, LogicalOp, SeriesReduce};
use super::partials::{self, Partial};
use super::rows::RowsOp;
use super::scan::ScanOp;
use super::sort::{SortBy, SortStep};
use super::strings::StrMap;
use super::values::{bytes, frame, input, number};
use crate::array::{BinaryOp, UnaryFn};
use crate::Value;
use daskling_core::{Error, Result};

/// A dataframe task.
#[derive(Clone, Debug)]
pub enum FrameKernel {
    /// Parses whole files, one after the other, into one partition (input: their bytes,
    /// joined), only the columns in `keep` if given.
    ParseFiles {
        /// The files' names (for errors) and sizes in bytes, in order.
        files: Arc<[(Arc<str>, u64)]>,
        /// Column names and dtypes.
        schema: Arc<Schema>,
        /// Parse options.
        options: Arc<CsvOptions>,
        /// Only these columns (all when `None`).
        keep: Option<Arc<[usize]>>,
    },
    /// Counts quotes (this quote character) and newlines of a raw block (input: its
    /// bytes) → `[quotes, lines]`.
    Scan(u8),
    /// Sums scans (inputs: `[quotes, lines]` each) → `[quotes, lines]`: the running
    /// count of a file's blocks so far, one link of a chain (linear in the blocks).
    ScanSum,
    /// Parses the lines that start in block `index` of a split file. Inputs: this
    /// block's bytes, the next block's bytes (unless last), then counts of the earlier
    /// blocks (their scans, or [`FrameKernel::ScanSum`]s of them) and last this block's
    /// scan.
    ParseBlock {
        /// The file name, for errors.
        file: Arc<str>,
        /// The index.
        index: usize,
        /// Whether this is the file's last block.
        last: bool,
        /// Column names and dtypes.
        schema: Arc<Schema>,
        /// Parse options.
        options: Arc<CsvOptions>,
        /// Only these columns (all when `None`).
        keep: Option<Arc<[usize]>>,
    },
    /// Decodes a partition of a Parquet read (input: the column chunks it read).
    ParseParquet(super::parquet::ParquetParse),
    /// A partition written as a file's bytes (input: the partition).
    WritePart(super::write::FileFormat),
    /// The written partitions (inputs) as the files of a write: each its own, or joined
    /// into one Parquet file (`true`). CSV parts are left for the caller to join, so no
    /// copy of the whole text is made here.
    Files(bool),
    /// Keeps some columns.
    Select(Vec<String>),
    /// One column as a series.
    Col(String),
    /// Rows where the mask (second input) is true.
    Filter,
    /// Adds or replaces columns (inputs: the frame, then one series per name).
    Assign(Vec<String>),
    /// A binary operation of two series.
    Binary(BinaryOp),
    /// A function of each value of a series (numpy's ufuncs, as pandas applies them).
    Unary(UnaryFn),
    /// A function of each value with parameters, on a series or on every column of a
    /// frame (`frame`; its numeric columns only where the function says so).
    Map {
        /// The function.
        f: Arc<ColumnMap>,
        /// The input is a frame.
        frame: bool,
    },
    /// A series with a constant.
    Scalar {
        /// The operation.
        op: BinaryOp,
        /// The constant.
        value: f64,
        /// Whether the constant is the left operand (`c - x`).
        reflected: bool,
    },
    /// `and`, `or` (two inputs) or `not` (one).
    Logical(LogicalOp),
    /// A datetime field.
    DtField(DtField),
    /// Datetime rounding to `freq` ms.
    DtRound {
        /// The frequency, in milliseconds.
        freq: i64,
        /// Round, floor or ceil.
        mode: RoundMode,
    },
    /// The context a series partition (first input) leaves its neighbour along a scan,
    /// from the neighbour's own (second input, unless first or last).
    ScanContext(Arc<ScanOp>),
    /// A scan's result for a series partition (first input), given its neighbour's
    /// context (second input, unless first or last).
    ScanApply(Arc<ScanOp>),
    /// A `.str` function of a text series.
    Str(Arc<StrMap>),
    /// Datetimes as text in this format (`dt.strftime`).
    DtFormat(String),
    /// A reduction's partial of one partition.
    Partial(SeriesReduce),
    /// Rows of a partition, as a partial sum.
    RowCount,
    /// Merges partials.
    Merge(SeriesReduce),
    /// Merges the last partials and gives the number.
    Finish {
        /// The reduction.
        op: SeriesReduce,
        /// Delta degrees of freedom (`std`, `var`).
        ddof: f64,
    },
    /// Arithmetic of two scalars (numbers).
    ScalarArith(BinaryOp),
    /// A scalar with a constant.
    ScalarConst {
        /// The operation.
        op: BinaryOp,
        /// The constant.
        value: f64,
        /// Whether the constant is the left operand (`c - x`).
        reflected: bool,
    },
    /// The partials of a reduction of these columns of a partition (`df.sum()`).
    AcrossPartial(SeriesReduce, Arc<[String]>),
    /// Merges frame-wide partials.
    AcrossMerge(SeriesReduce),
    /// Merges the last frame-wide partials into a series indexed by column name.
    AcrossFinish(Arc<AcrossSpec>),
    /// The rows of a partition a row-picking operation can keep (`nlargest`, `tail`, …).
    RowsChunk(Arc<RowsOp>),
    /// The rows of several chunks (concatenated in input order) it can keep.
    RowsCombine(Arc<RowsOp>),
    /// Its result from the last chunks.
    RowsFinish(Arc<RowsOp>),
    /// `where` / `mask` of a series (inputs: the series, the bool condition, then the
    /// replacement series if any).
    Cond(Arc<Cond>),
    /// A step of a distributed sort (`sort::SortStep` says its inputs).
    Sort(Arc<SortBy>, SortStep),
    /// A step of `setIndex` or `loc` (`index::IndexStep` says its inputs).
    Index(Arc<super::index::IndexStep>),
    /// Every time bin between the first and the last of a grouped result (`resample`,
    /// see `bins`): `zero` per column, its dtype after.
    FillBins {
        /// Bin width in ms.
        step: i64,
        /// Per column: new bins get 0 (else missing).
        zero: Arc<[bool]>,
        /// Per column: its dtype.
        dtypes: Arc<[Dtype]>,
    },
    /// A step of a per-row group result (`transform`, `cumsum` per group).
    GroupRows(super::group_rows::GroupRowsStep),
    /// A rolling window by time (see `time_window`): the context a partition leaves
    /// (`context`), or its window values.
    RollTime(Arc<super::time_window::TimeWindow>, bool),
    /// A step of a join (see `merge`).
    Join(Arc<MergeSpec>, MergeStep),
    /// Concatenates partitions (in input order) into one frame.
    Concat,
    /// Piece `piece` of `pieces` about equal runs of a partition's rows (`repartition`).
    Piece {
        /// Which piece.
        piece: usize,
        /// Into how many.
        pieces: usize,
    },
    /// A partition with these columns and dtypes (`Frame::conform`): a part of a
    /// `concat`.
    Conform(Arc<[String]>, Arc<[Dtype]>),
    /// A group table of one partition: inputs are the key series, then one value series
    /// per aggregation.
    GroupPartial(Vec<GroupAgg>),
    /// Merges group tables (in partition order).
    GroupMerge(Vec<GroupAgg>),
    /// Merges the last tables and gives the result frame, indexed by sorted keys.
    GroupFinish(Arc<GroupSpec>),
    /// Summaries of these columns of a partition (`describe`).
    DescribePartial(Vec<String>),
    /// Merges summaries.
    DescribeMerge,
    /// Merges the last summaries into the describe table of these columns.
    DescribeFinish(Vec<String>),
}

type Index = Option<Arc<(String, Column)>>;

fn series<'a>(key: &str, v: &'a Value) -> Result<(&'a str, &'a Column)> {
    series_ix(key, v).map(|(n, c, _)| (n, c))
}

/// A series partition: its name, values and index.
fn series_ix<'a>(key: &str, v: &'a Value) -> Result<(&'a str, &'a Column, &'a Index)> {
    let f = frame(key, v)?;
    match (f.names.first(), f.columns.first()) {
        (Some(n), Some(c)) if f.columns.len() == 1 => Ok((n, c, &f.index)),
        _ => Err(Error::Type {
            key: key.to_string(),
            expected: "a series partition",
        }),
    }
}

fn partial<'a>(key: &str, v: &'a Value) -> Result<&'a Partial> {
    v.downcast::<Partial>(key)
}

/// A one-column frame with an index.
fn series_indexed(name: &str, c: Column, index: Index) -> Value {
    Value::Frame(Arc::new(Frame {
        names: vec![name.to_string()].into(),
        columns: vec![c],
        index,
    }))
}

impl FrameKernel {
    /// The kind of work, for graph labels.
    pub fn kind(&self) -> &'static str {
        match self {
            FrameKernel::ParseFiles { .. } | FrameKernel::ParseBlock { .. } => "read-csv",
            FrameKernel::ParseParquet(_) => "read-parquet",
            FrameKernel::WritePart(f) => f.name(),
            FrameKernel::Files(_) => "files",
            FrameKernel::Scan(_) | FrameKernel::ScanSum => "scan",
            FrameKernel::Select(_) => "select",
            FrameKernel::Col(_) => "getitem",
            FrameKernel::Filter => "filter",
            FrameKernel::Assign(_) => "assign",
            FrameKernel::Binary(op) | FrameKernel::Scalar { op, .. } => op.name(),
            FrameKernel::Logical(op) => op.name(),
            FrameKernel::Unary(f) => f.name(),
            FrameKernel::Map { f, .. } => f.function().name(),
            FrameKernel::DtField(_) => "dt",
            FrameKernel::DtRound { .. } => "dt-round",
            FrameKernel::DtFormat(_) => "strftime",
            FrameKernel::Str(f) => f.function().name(),
            FrameKernel::ScanContext(_) => "scan-context",
            FrameKernel::ScanApply(op) => op.name(),
            FrameKernel::Partial(op) => op.step(crate::names::Step::Chunk),
            FrameKernel::RowCount => "len-chunk",
            FrameKernel::Merge(_) => "combine",
            FrameKernel::Finish { .. } => "aggregate",
            FrameKernel::ScalarArith(op) | FrameKernel::ScalarConst { op, .. } => op.name(),
            FrameKernel::AcrossPartial(op, _) => op.step(crate::names::Step::Chunk),
            FrameKernel::AcrossMerge(_) => "combine",
            FrameKernel::AcrossFinish(_) => "aggregate",
            FrameKernel::RowsChunk(op)
            | FrameKernel::RowsCombine(op)
            | FrameKernel::RowsFinish(op) => op.name(),
            FrameKernel::Cond(c) => c.name(),
            FrameKernel::Sort(_, step) => step.name(),
            FrameKernel::Index(step) => step.name(),
            FrameKernel::Join(_, step) => step.name(),
            FrameKernel::FillBins { .. } => "resample",
            FrameKernel::GroupRows(step) => step.name(),
            FrameKernel::RollTime(w, context) => w.name(*context),
            FrameKernel::Concat | FrameKernel::Conform(..) => "concat",
            FrameKernel::Piece { .. } => "repartition",
            FrameKernel::GroupPartial(_) => "groupby-chunk",
            FrameKernel::GroupMerge(_) => "groupby-combine",
            FrameKernel::GroupFinish(_) => "groupby-aggregate",
            FrameKernel::DescribePartial(_) => "describe-chunk",
            FrameKernel::DescribeMerge => "describe-combine",
            FrameKernel::DescribeFinish(_) => "describe-aggregate",
        }
    }

    /// Runs on the inputs.
    pub fn run(&self, key: &str, inputs: &[Value]) -> Result<Value> {
        let inp = |i: usize| input(key, inputs, i);
        Ok(match self {
            FrameKernel::ParseFiles {
                files,
                schema,
                options,
                keep,
            } => {
                let b = bytes(key, inp(0)?)?;
                let mut p = FrameParser::new(schema, options, keep.as_deref(), &[b]);
                let mut at = 0usize;
                for (file, size) in files.iter() {
                    let end = (at + *size as usize).min(b.len());
                    p.parse_file(file, &b[at..end])?;
                    at = end;
                }
                Value::Frame(Arc::new(p.finish()))
            }
            FrameKernel::ParseParquet(p) => match inp(0)? {
                Value::Bytes(b) => Value::Frame(Arc::new(p.run(b)?)),
                other => return Err(bytes(key, other).unwrap_err()),
            },
            FrameKernel::WritePart(format) => {
                Value::Bytes(Arc::new(format.write(frame(key, inp(0)?)?)?))
            }
            FrameKernel::Files(join) => {
                let parts = (0..inputs.len())
                    .map(|i| bytes(key, inp(i)?))
                    .collect::<Result<Vec<_>>>()?;
                match join {
                    true => Value::Tuple(Arc::new([Value::Bytes(Arc::new(
                        super::parquet::write::join_parts(&parts)?,
                    ))])),
                    false => Value::Tuple(inputs.into()),
                }
            }
            FrameKernel::Scan(quote) => {
                let b = bytes(key, inp(0)?)?;
                let (quotes, lines) = blocks::count_two(b, *quote, b'\n');
                blocks::scan_value(quotes, lines)
            }
            FrameKernel::ScanSum => {
                let (quotes, lines) = blocks::sum_scans(key, inputs)?;
                blocks::scan_value(quotes, lines)
            }
            FrameKernel::ParseBlock {
                file,
                index,
                last,
                schema,
                options,
                keep,
            } => blocks::parse_block(
                key,
                inputs,
                file,
                *index,
                *last,
                schema,
                options,
                keep.as_deref(),
            )?,
            FrameKernel::Select(names) => {
                Value::Frame(Arc::new(frame(key, inp(0)?)?.select(names)?))
            }
            FrameKernel::Col(name) => {
                let f = frame(key, inp(0)?)?;
                let c = f
                    .column(name)
                    .ok_or_else(|| Error::invalid(format!("no column {name}")))?;
                series_indexed(name, c.clone(), f.index.clone())
            }
            FrameKernel::Filter => {
                let m = ops::mask(series(key, inp(1)?)?.1)?;
                Value::Frame(Arc::new(frame(key, inp(0)?)?.filter_rows(key, &m)?))
            }
            FrameKernel::Assign(names) => {
                let cols = (0..names.len())
                    .map(|i| series(key, inp(i + 1)?).map(|s| s.1))
                    .collect::<Result<Vec<_>>>()?;
                Value::Frame(Arc::new(frame(key, inp(0)?)?.assign(key, names, &cols)?))
            }
            FrameKernel::Binary(op) => {
                let (name, a, ia) = series_ix(key, inp(0)?)?;
                let (_, b, ib) = series_ix(key, inp(1)?)?;
                if ia != ib {
                    return Err(Error::invalid(format!(
                        "{key}: the series have different indexes (group keys)"
                    )));
                }
                series_indexed(name, ops::binary(*op, a, b)?, ia.clone())
            }
            FrameKernel::Scalar {
                op,
                value,
                reflected,
            } => {
                let (name, a, ix) = series_ix(key, inp(0)?)?;
                series_indexed(name, ops::scalar(*op, a, *value, *reflected)?, ix.clone())
            }
            FrameKernel::Unary(f) => {
                let (name, a, ix) = series_ix(key, inp(0)?)?;
                series_indexed(name, ops::unary(*f, a)?, ix.clone())
            }
            FrameKernel::Map { f, frame: is_frame } => {
                Value::Frame(Arc::new(f.apply_frame(frame(key, inp(0)?)?, *is_frame)?))
            }
            FrameKernel::Logical(op) => {
                let (name, a, ix) = series_ix(key, inp(0)?)?;
                let b = match inputs.get(1) {
                    Some(v) => Some(series(key, v)?.1),
                    None => None,
                };
                series_indexed(name, ops::logical(*op, a, b)?, ix.clone())
            }
            FrameKernel::DtField(f) => {
                let (name, a, ix) = series_ix(key, inp(0)?)?;
                series_indexed(name, dt::dt_field(a, *f)?, ix.clone())
            }
            FrameKernel::DtRound { freq, mode } => {
                let (name, a, ix) = series_ix(key, inp(0)?)?;
                series_indexed(name, dt::dt_round(a, *freq, *mode)?, ix.clone())
            }
            FrameKernel::ScanContext(op) | FrameKernel::ScanApply(op) => {
                let (name, part, ix) = series_ix(key, inp(0)?)?;
                let ctx = match inputs.get(1) {
                    Some(v) => Some(series(key, v)?.1),
                    None => None,
                };
                let out = match self {
                    FrameKernel::ScanContext(_) => op.context(ctx, part)?,
                    _ => op.apply(ctx, part)?,
                };
                let ix = if matches!(self, FrameKernel::ScanApply(_)) {
                    ix.clone()
                } else {
                    None
                };
                series_indexed(name, out, ix)
            }
            FrameKernel::Str(f) => {
                let (name, a, ix) = series_ix(key, inp(0)?)?;
                series_indexed(name, f.apply(a)?, ix.clone())
            }
            FrameKernel::DtFormat(format) => {
                let (name, a, ix) = series_ix(key, inp(0)?)?;
                series_indexed(name, dt::strftime(a, format)?, ix.clone())
            }
            FrameKernel::DescribePartial(cols) => {
                Value::any(describe::partial(frame(key, inp(0)?)?, cols)?)
            }
            FrameKernel::DescribeMerge | FrameKernel::DescribeFinish(_) => {
                let parts = inputs
                    .iter()
                    .map(|v| v.downcast::<Vec<describe::Summary>>(key))
                    .collect::<Result<Vec<_>>>()?;
                let merged = describe::merge(&parts)?;
                match self {
                    FrameKernel::DescribeFinish(cols) => Value::Frame(Arc::new(Frame {
                        names: cols.clone().into(),
                        columns: describe::finish(&merged),
                        index: Some(Arc::new((
                            String::new(),
                            Column::String(
                                describe::STATS
                                    .iter()
                                    .map(|s| Some(Arc::from(*s)))
                                    .collect(),
                            ),
                        ))),
                    })),
                    _ => Value::any(merged),
                }
            }
            FrameKernel::GroupPartial(aggs) => {
                Value::partial(groupby::partial_of(key, aggs, inputs)?)
            }
            FrameKernel::GroupMerge(aggs) => {
                Value::partial(groupby::merge_values(key, aggs, inputs)?)
            }
            FrameKernel::GroupFinish(spec) => Value::Frame(Arc::new(spec.finish(key, inputs)?)),
            FrameKernel::Partial(op) => {
                let (_, a) = series(key, inp(0)?)?;
                Value::partial(partials::partial(*op, a)?)
            }
            FrameKernel::RowCount => {
                let f = frame(key, inp(0)?)?;
                Value::partial(Partial::Sum {
                    count: f.len() as f64,
                    sum: 0.0,
                })
            }
            FrameKernel::Merge(op) => {
                let parts = inputs
                    .iter()
                    .map(|v| partial(key, v))
                    .collect::<Result<Vec<_>>>()?;
                Value::partial(partials::merge(*op, &parts)?)
            }
            FrameKernel::Finish { op, ddof } => {
                let parts = inputs
                    .iter()
                    .map(|v| partial(key, v))
                    .collect::<Result<Vec<_>>>()?;
                let merged = partials::merge(*op, &parts)?;
                partials::check(&merged).map_err(|e| Error::TaskFailed {
                    key: key.to_string(),
                    message: e.to_string(),
                })?;
                Value::F64(partials::finish(*op, &merged, *ddof))
            }
            FrameKernel::ScalarArith(op) => {
                let (a, b) = (number(key, inp(0)?)?, number(key, inp(1)?)?);
                Value::F64(op.call(a, b))
            }
            FrameKernel::ScalarConst {
                op,
                value,
                reflected,
            } => {
                let a = number(key, inp(0)?)?;
                Value::F64(if *reflected {
                    op.call(*value, a)
                } else {
                    op.call(a, *value)
                })
            }
            FrameKernel::AcrossPartial(op, names) => {
                Value::partial(across::partial(*op, frame(key, inp(0)?)?, names)?)
            }
            FrameKernel::AcrossMerge(op) => Value::partial(across::merge_values(key, *op, inputs)?),
            FrameKernel::AcrossFinish(s) => Value::Frame(Arc::new(s.finish_values(key, inputs)?)),
            FrameKernel::RowsChunk(op) => Value::Frame(Arc::new(op.chunk(frame(key, inp(0)?)?)?)),
            FrameKernel::RowsCombine(op) | FrameKernel::RowsFinish(op) => {
                let frames = inputs
                    .iter()
                    .map(|v| frame(key, v))
                    .collect::<Result<Vec<_>>>()?;
                let last = matches!(self, FrameKernel::RowsFinish(_));
                Value::Frame(Arc::new(op.combine_parts(key, &frames, last)?))
            }
            FrameKernel::Cond(c) => {
                let (name, x, ix) = series_ix(key, inp(0)?)?;
                let (_, cond) = series(key, inp(1)?)?;
                let other = match inputs.get(2) {
                    Some(v) => Other::Series(series(key, v)?.1),
                    None => Other::Value,
                };
                series_indexed(name, c.apply(x, cond, other)?, ix.clone())
            }
            FrameKernel::Sort(by, step) => by.run(*step, key, inputs)?,
            FrameKernel::Index(step) => step.run(key, inputs)?,
            FrameKernel::Join(spec, step) => spec.run(*step, key, inputs)?,
            FrameKernel::GroupRows(step) => step.run(key, inputs)?,
            FrameKernel::RollTime(w, context) => w.run(*context, key, inputs)?,
            FrameKernel::FillBins { step, zero, dtypes } => Value::Frame(Arc::new(
                super::bins::fill_bins(frame(key, inp(0)?)?, *step, zero, dtypes)?,
            )),
            FrameKernel::Piece { piece, pieces } => {
                let f = frame(key, inp(0)?)?;
                let n = f.len();
                let rows: Vec<usize> = (piece * n / pieces..(piece + 1) * n / pieces).collect();
                Value::Frame(Arc::new(f.take(&rows)))
            }
            FrameKernel::Conform(names, dtypes) => {
                Value::Frame(Arc::new(frame(key, inp(0)?)?.conform(names, dtypes)?))
            }
            FrameKernel::Concat => {
                let frames = inputs
                    .iter()
                    .map(|v| frame(key, v))
                    .collect::<Result<Vec<_>>>()?;
                Value::Frame(Arc::new(concat(key, &frames)?))
            }
        })
    }
}
