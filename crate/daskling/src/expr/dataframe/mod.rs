//! Dataframes from CSV files, as `dask.dataframe`: lazy [`DataFrame`]s, [`Series`] and
//! [`Scalar`]s whose columns and dtypes are known at once; computing lowers them to one
//! task per partition (see `lower`), with tree reductions on top.
//!
//! ```
//! use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
//! use daskling::kernels::dataframe::source::MemorySource;
//! use daskling::Scheduler;
//! use std::sync::Arc;
//!
//! let a = Arc::new(MemorySource::new("a.csv", &b"x,y\n1,2.5\n3,4.5\n"[..]));
//! let b = Arc::new(MemorySource::new("b.csv", &b"x,y\n5,6.5\n"[..]));
//! let df = read_csv_sources(vec![a, b], &ReadOptions::default()).unwrap();
//! assert_eq!(df.columns(), ["x", "y"]);
//! assert_eq!(df.npartitions(), 2);
//! let total = df.col("x").unwrap().sum().unwrap().compute(Scheduler::Threads).unwrap();
//! assert_eq!(total, 9.0);
//! ```

mod lower;
pub mod source;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Lazy;
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::array::BinaryOp;
use crate::kernels::dataframe::csv::{infer_schema, CsvOptions, Schema};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::ops::{self, DtField, RoundMode, SeriesReduce};
use crate::kernels::dataframe::source::ByteSource;
use crate::kernels::dataframe::{Column, Dtype, Frame};
use crate::kernels::float;
use crate::scheduler::{self, Scheduler};
pub use source::SourceRef;

/// Bytes read from the first file to learn columns and dtypes (dask's default).
pub const SAMPLE_BYTES: u64 = 256_000;
/// Files larger than this are split into several partitions (16 MB: a few per thread
/// in memory at once, and enough partitions to keep every thread busy).
pub const DEFAULT_BLOCKSIZE: u64 = 16_000_000;
/// Partials merged per task in tree reductions (dask's default for dataframes).
pub const SPLIT_EVERY: usize = 8;

/// `and`, `or`, `not`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LogicalOp {
    /// Both true.
    And,
    /// Either true.
    Or,
    /// Negation (one operand).
    Not,
}

impl LogicalOp {
    fn name(self) -> &'static str {
        match self {
            LogicalOp::And => "and",
            LogicalOp::Or => "or",
            LogicalOp::Not => "not",
        }
    }
}

/// The operations dataframe expressions are built from; `A` holds inputs (a [`Df`] in
/// memory, a row number in the serialized form).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum DfOp<A = Df> {
    /// CSV files: one partition per file, or per block of a file over `blocksize`.
    ReadCsv {
        /// The files, in order.
        sources: Vec<SourceRef>,
        /// Parse options.
        options: CsvOptions,
        /// Column names and dtypes.
        schema: Schema,
        /// Bytes per partition of a large file.
        blocksize: u64,
    },
    /// Some columns of a frame.
    Select {
        /// The input.
        input: A,
        /// The columns kept, in order.
        columns: Vec<String>,
    },
    /// Rows of a frame where a bool series (of the same frame) is true.
    Filter {
        /// The input.
        input: A,
        /// A bool series of the same partitions.
        mask: A,
    },
    /// A frame with columns added or replaced.
    Assign {
        /// The input.
        input: A,
        /// The new (or replaced) columns.
        names: Vec<String>,
        /// The series assigned, one per name.
        values: Vec<A>,
    },
    /// One column of a frame.
    Col {
        /// The input.
        input: A,
        /// The column name.
        name: String,
    },
    /// Two series elementwise.
    Binary {
        /// The operation.
        op: BinaryOp,
        /// The left operand.
        left: A,
        /// The right operand.
        right: A,
    },
    /// A series with a constant (`value op series` when `reflected`).
    Scalar {
        /// The operation.
        op: BinaryOp,
        /// The input.
        input: A,
        #[serde(with = "float")]
        /// The constant.
        value: f64,
        /// Whether the constant is the left operand (`c - x`).
        reflected: bool,
    },
    /// Boolean logic of series.
    Logical {
        /// The operation.
        op: LogicalOp,
        /// The left operand.
        left: A,
        /// The second operand (`None` for `not`).
        right: Option<A>,
    },
    /// A datetime field.
    DtField {
        /// The input.
        input: A,
        /// Which field.
        field: DtField,
    },
    /// Datetimes rounded to `freq` milliseconds.
    DtRound {
        /// The input.
        input: A,
        /// The frequency, in milliseconds.
        freq: i64,
        /// Round, floor or ceil.
        mode: RoundMode,
    },
    /// A series reduced to a number.
    Reduce {
        /// The input.
        input: A,
        /// The reduction.
        reduce: SeriesReduce,
        #[serde(with = "float")]
        /// Delta degrees of freedom (`std`, `var`).
        ddof: f64,
    },
    /// Number of rows.
    Len {
        /// The input.
        input: A,
    },
    /// Group-by aggregation: `by` keys, one value series per aggregation; a series
    /// (one aggregation) or a frame, indexed by the sorted keys.
    GroupAgg {
        /// The group keys.
        by: A,
        /// The series aggregated.
        values: Vec<A>,
        /// The result's column names.
        names: Vec<String>,
        /// One aggregation per value series.
        aggs: Vec<GroupAgg>,
        #[serde(with = "float")]
        /// Delta degrees of freedom (`std`, `var`).
        ddof: f64,
        /// Sorted by count, largest first (`value_counts`), not by key.
        by_count_desc: bool,
        /// A frame (several aggregations) rather than one series.
        frame: bool,
    },
    /// count, mean, std, min, quartiles and max of the numeric columns.
    Describe {
        /// The input.
        input: A,
    },
    /// Two scalars.
    ScalarBinary {
        /// The operation.
        op: BinaryOp,
        /// The left operand.
        left: A,
        /// The right operand.
        right: A,
    },
    /// A scalar with a constant.
    ScalarConst {
        /// The operation.
        op: BinaryOp,
        /// The input.
        input: A,
        #[serde(with = "float")]
        /// The constant.
        value: f64,
        /// Whether the constant is the left operand (`c - x`).
        reflected: bool,
    },
}

impl<A> DfOp<A> {
    /// The inputs, in order.
    pub fn inputs(&self) -> Vec<&A> {
        match self {
            DfOp::ReadCsv { .. } => vec![],
            DfOp::Select { input, .. }
            | DfOp::Col { input, .. }
            | DfOp::Scalar { input, .. }
            | DfOp::DtField { input, .. }
            | DfOp::DtRound { input, .. }
            | DfOp::Reduce { input, .. }
            | DfOp::Len { input }
            | DfOp::Describe { input }
            | DfOp::ScalarConst { input, .. } => vec![input],
            DfOp::Filter { input, mask } => vec![input, mask],
            DfOp::Assign { input, values, .. } => {
                let mut v = vec![input];
                v.extend(values.iter());
                v
            }
            DfOp::Binary { left, right, .. } | DfOp::ScalarBinary { left, right, .. } => {
                vec![left, right]
            }
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
            DfOp::Reduce {
                input,
                reduce,
                ddof,
            } => DfOp::Reduce {
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

/// What an expression gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A dataframe (named columns per partition).
    Frame,
    /// A series (one column per partition).
    Series,
    /// One number.
    Scalar,
}

#[derive(Debug)]
struct Node {
    op: DfOp,
    /// Shared by every partition key (keys compare names by pointer first).
    name: Arc<str>,
    kind: Kind,
    /// Column names (one for a series, none for a scalar).
    names: Vec<String>,
    dtypes: Vec<Dtype>,
    npartitions: usize,
    /// The node whose rows these partitions have: series combine only with series of
    /// the same rows.
    rows: String,
    /// The index (name and dtype) of grouped results.
    index: Option<(String, Dtype)>,
}

/// A lazy dataframe expression of any kind; [`DataFrame`], [`Series`] and [`Scalar`]
/// are its typed views.
#[derive(Clone, Debug)]
pub struct Df(Arc<Node>);

fn partitions_of(sources: &[SourceRef], blocksize: u64) -> usize {
    sources
        .iter()
        .map(|s| {
            if blocksize == 0 || s.size <= blocksize {
                1
            } else {
                s.size.div_ceil(blocksize) as usize
            }
        })
        .sum()
}

impl Df {
    /// Builds an expression from an operation, checking it against its inputs. Every
    /// constructor ends here, and so does decoding.
    pub fn build(op: DfOp) -> Result<Df> {
        let need = |d: &Df, k: Kind, what: &str| -> Result<()> {
            if d.0.kind == k {
                Ok(())
            } else {
                Err(Error::invalid(format!(
                    "{what} needs a {}, got a {}",
                    kind_name(k),
                    kind_name(d.0.kind)
                )))
            }
        };
        let same_rows = |a: &Df, b: &Df, what: &str| -> Result<()> {
            if a.0.rows == b.0.rows && a.0.npartitions == b.0.npartitions {
                Ok(())
            } else {
                Err(Error::invalid(format!(
                    "{what}: the series come from different dataframes (or different \
                     filters of one); combine series of the same dataframe"
                )))
            }
        };
        let (prefix, kind, names, dtypes, nparts, rows): (
            &str,
            Kind,
            Vec<String>,
            Vec<Dtype>,
            usize,
            Option<String>,
        ) = match &op {
            DfOp::ReadCsv {
                sources,
                schema,
                blocksize,
                ..
            } => {
                if sources.is_empty() {
                    return Err(Error::invalid("readCsv: no files given"));
                }
                (
                    "read-csv",
                    Kind::Frame,
                    schema.names.clone(),
                    schema.dtypes.clone(),
                    partitions_of(sources, *blocksize),
                    None,
                )
            }
            DfOp::Select { input, columns } => {
                need(input, Kind::Frame, "select")?;
                let mut dtypes = vec![];
                for c in columns {
                    dtypes.push(input.dtype_of(c)?);
                }
                let r = input.0.rows.clone();
                (
                    "select",
                    Kind::Frame,
                    columns.clone(),
                    dtypes,
                    input.0.npartitions,
                    Some(r),
                )
            }
            DfOp::Filter { input, mask } => {
                need(input, Kind::Frame, "filter")?;
                need(mask, Kind::Series, "filter")?;
                same_rows(input, mask, "filter")?;
                if mask.0.dtypes[0] != Dtype::Bool {
                    return Err(Error::invalid(format!(
                        "filter needs a bool series, got {}",
                        mask.0.dtypes[0]
                    )));
                }
                let i = &input.0;
                (
                    "filter",
                    Kind::Frame,
                    i.names.clone(),
                    i.dtypes.clone(),
                    i.npartitions,
                    None,
                )
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
                ("assign", Kind::Frame, ns, ds, input.0.npartitions, Some(r))
            }
            DfOp::Col { input, name } => {
                need(input, Kind::Frame, "col")?;
                let d = input.dtype_of(name)?;
                let r = input.0.rows.clone();
                (
                    "getitem",
                    Kind::Series,
                    vec![name.clone()],
                    vec![d],
                    input.0.npartitions,
                    Some(r),
                )
            }
            DfOp::Binary { op, left, right } => {
                need(left, Kind::Series, op.name())?;
                need(right, Kind::Series, op.name())?;
                same_rows(left, right, op.name())?;
                let d = ops::binary_dtype(*op, left.0.dtypes[0], right.0.dtypes[0])?;
                let r = left.0.rows.clone();
                (
                    op.name(),
                    Kind::Series,
                    left.0.names.clone(),
                    vec![d],
                    left.0.npartitions,
                    Some(r),
                )
            }
            DfOp::Scalar {
                op, input, value, ..
            } => {
                need(input, Kind::Series, op.name())?;
                let vd = if value.fract() == 0.0 {
                    Dtype::Int64
                } else {
                    Dtype::Float64
                };
                let sd = input.0.dtypes[0];
                let d = if sd == Dtype::Datetime {
                    ops::binary_dtype(*op, sd, sd)?
                } else {
                    ops::binary_dtype(*op, sd, vd)?
                };
                let r = input.0.rows.clone();
                (
                    op.name(),
                    Kind::Series,
                    input.0.names.clone(),
                    vec![d],
                    input.0.npartitions,
                    Some(r),
                )
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
                let r = left.0.rows.clone();
                (
                    op.name(),
                    Kind::Series,
                    left.0.names.clone(),
                    vec![Dtype::Bool],
                    left.0.npartitions,
                    Some(r),
                )
            }
            DfOp::DtField { input, .. } | DfOp::DtRound { input, .. } => {
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
                let d = if matches!(op, DfOp::DtField { .. }) {
                    Dtype::Int64
                } else {
                    Dtype::Datetime
                };
                let r = input.0.rows.clone();
                (
                    "dt",
                    Kind::Series,
                    input.0.names.clone(),
                    vec![d],
                    input.0.npartitions,
                    Some(r),
                )
            }
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
                (reduce.name(), Kind::Scalar, vec![], vec![], 1, None)
            }
            DfOp::Len { input } => {
                if input.0.kind == Kind::Scalar {
                    return Err(Error::invalid("len of a scalar"));
                }
                ("len", Kind::Scalar, vec![], vec![], 1, None)
            }
            DfOp::GroupAgg {
                by,
                values,
                names,
                aggs,
                frame,
                ..
            } => {
                need(by, Kind::Series, "groupby")?;
                if values.is_empty() || values.len() != aggs.len() || names.len() != aggs.len() {
                    return Err(Error::invalid(
                        "groupby: one value series and name per aggregation",
                    ));
                }
                if !frame && values.len() != 1 {
                    return Err(Error::invalid(
                        "groupby: a series result has one aggregation",
                    ));
                }
                let mut dts = vec![];
                for (v, a) in values.iter().zip(aggs) {
                    need(v, Kind::Series, a.name())?;
                    same_rows(by, v, "groupby")?;
                    dts.push(a.dtype(v.0.dtypes[0])?);
                }
                let kind = if *frame { Kind::Frame } else { Kind::Series };
                let rows = format!("group-{}", tokenize(&(&by.0.rows, &by.0.name)));
                ("groupby", kind, names.clone(), dts, 1, Some(rows))
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
                ("describe", Kind::Frame, cols, dts, 1, None)
            }
            DfOp::ScalarBinary { op, left, right } => {
                need(left, Kind::Scalar, op.name())?;
                need(right, Kind::Scalar, op.name())?;
                (op.name(), Kind::Scalar, vec![], vec![], 1, None)
            }
            DfOp::ScalarConst { op, input, .. } => {
                need(input, Kind::Scalar, op.name())?;
                (op.name(), Kind::Scalar, vec![], vec![], 1, None)
            }
        };
        let named = op.try_map(|a| Ok::<_, Error>(a.name().to_string()))?;
        let json = serde_json::to_string(&named).map_err(Error::invalid)?;
        let name = format!("{prefix}-{}", tokenize(&json));
        let rows = rows.unwrap_or_else(|| name.clone());
        let name: Arc<str> = name.into();
        let index = match &op {
            DfOp::GroupAgg { by, .. } => Some((by.0.names[0].clone(), by.0.dtypes[0])),
            DfOp::Describe { .. } => Some((String::new(), Dtype::String)),
            _ if kind == Kind::Scalar => None,
            _ => op.inputs().first().and_then(|i| i.0.index.clone()),
        };
        Ok(Df(Arc::new(Node {
            op,
            name,
            kind,
            names,
            dtypes,
            npartitions: nparts,
            rows,
            index,
        })))
    }

    /// The operation.
    pub fn op(&self) -> &DfOp {
        &self.0.op
    }

    /// The layer name (a content hash of the expression).
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// Frame, series or scalar.
    pub fn kind(&self) -> Kind {
        self.0.kind
    }

    /// Column names (one for a series).
    pub fn names(&self) -> &[String] {
        &self.0.names
    }

    /// Column dtypes.
    pub fn dtypes(&self) -> &[Dtype] {
        &self.0.dtypes
    }

    /// Number of partitions.
    pub fn npartitions(&self) -> usize {
        self.0.npartitions
    }

    /// The index of a grouped result: its name and dtype.
    pub fn index(&self) -> Option<&(String, Dtype)> {
        self.0.index.as_ref()
    }

    fn dtype_of(&self, column: &str) -> Result<Dtype> {
        self.0
            .names
            .iter()
            .position(|n| n == column)
            .map(|i| self.0.dtypes[i])
            .ok_or_else(|| {
                Error::invalid(format!(
                    "no column {column} (the columns are {})",
                    self.0.names.join(", ")
                ))
            })
    }

    /// The rows token: series combine with series of equal rows.
    fn rows(&self) -> &str {
        &self.0.rows
    }

    /// The key of partition `p`.
    pub fn part_key(&self, p: usize) -> Key {
        Key::new(self.0.name.clone(), &[p as u32])
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Frame => "dataframe",
        Kind::Series => "series",
        Kind::Scalar => "scalar",
    }
}

impl Lazy for Df {
    fn lower(&self, g: &mut Graph) -> Result<Key> {
        lower::lower(self, g)
    }
}

/// How to read CSV files.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Parsing options (separator, header, parseDates, dtype).
    pub csv: CsvOptions,
    /// Split files larger than this (bytes); `None`: [`DEFAULT_BLOCKSIZE`]; `Some(0)`:
    /// never split.
    pub blocksize: Option<u64>,
}

/// A dataframe of CSV `sources` (one partition per source at least): columns and
/// dtypes come from the first [`SAMPLE_BYTES`] of the first source.
pub fn read_csv_sources(
    sources: Vec<Arc<dyn ByteSource>>,
    opts: &ReadOptions,
) -> Result<DataFrame> {
    let Some(first) = sources.first() else {
        return Err(Error::invalid("readCsv: no files given"));
    };
    let sample = first
        .read(0, SAMPLE_BYTES.min(first.len()))
        .map_err(Error::invalid)?;
    let schema = infer_schema(
        first.name(),
        &sample,
        first.len() <= SAMPLE_BYTES,
        &opts.csv,
    )?;
    let refs = sources
        .into_iter()
        .map(|s| {
            let id = format!(
                "src-{}",
                tokenize(&(s.name(), s.len(), Arc::as_ptr(&s) as *const u8 as usize))
            );
            SourceRef::new(&id, s)
        })
        .collect();
    read_csv_refs(refs, schema, opts)
}

/// A dataframe of sources already registered (the browser's, by the bindings).
pub fn read_csv_refs(
    sources: Vec<SourceRef>,
    schema: Schema,
    opts: &ReadOptions,
) -> Result<DataFrame> {
    Df::build(DfOp::ReadCsv {
        sources,
        options: opts.csv.clone(),
        schema,
        blocksize: opts.blocksize.unwrap_or(DEFAULT_BLOCKSIZE),
    })
    .map(DataFrame)
}

/// A dataframe of CSV files: paths or glob patterns (`data/minute/hp/*.csv`), in
/// sorted order within each pattern.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_csv(patterns: &[&str], opts: &ReadOptions) -> Result<DataFrame> {
    use crate::kernels::dataframe::source::FileSource;
    let mut paths = vec![];
    for p in patterns {
        if p.contains(['*', '?', '[']) {
            let mut found: Vec<std::path::PathBuf> = glob::glob(p)
                .map_err(|e| Error::invalid(format!("{p}: {e}")))?
                .filter_map(|r| r.ok())
                .collect();
            if found.is_empty() {
                return Err(Error::invalid(format!("no files match {p}")));
            }
            found.sort();
            paths.extend(found);
        } else {
            paths.push(std::path::PathBuf::from(p));
        }
    }
    let sources = paths
        .iter()
        .map(|p| FileSource::open(p).map(|s| Arc::new(s) as Arc<dyn ByteSource>))
        .collect::<std::result::Result<Vec<_>, String>>()
        .map_err(Error::invalid)?;
    read_csv_sources(sources, opts)
}

/// A lazy dataframe.
#[derive(Clone, Debug)]
pub struct DataFrame(pub Df);

/// A lazy series (one column).
#[derive(Clone, Debug)]
pub struct Series(pub Df);

/// A lazy number.
#[derive(Clone, Debug)]
pub struct Scalar(pub Df);

/// Rows grouped by a key series, as pandas' `DataFrameGroupBy`.
#[derive(Clone, Debug)]
pub struct GroupBy {
    frame: DataFrame,
    by: Series,
}

/// One column of a [`GroupBy`].
#[derive(Clone, Debug)]
pub struct SeriesGroupBy {
    by: Series,
    values: Series,
}

impl GroupBy {
    /// One column's groups.
    pub fn col(&self, name: &str) -> Result<SeriesGroupBy> {
        Ok(SeriesGroupBy {
            by: self.by.clone(),
            values: self.frame.col(name)?,
        })
    }

    /// Several aggregations at once: per column a list of aggregations. A column with
    /// one aggregation keeps its name; with several, each is `column_aggregation`.
    pub fn agg(&self, spec: &[(&str, Vec<GroupAgg>)]) -> Result<DataFrame> {
        let mut values = vec![];
        let mut names = vec![];
        let mut aggs = vec![];
        for (col, list) in spec {
            let s = self.frame.col(col)?;
            if list.is_empty() {
                return Err(Error::invalid(format!("agg: no aggregation for {col}")));
            }
            for a in list {
                values.push(s.0.clone());
                names.push(if list.len() == 1 {
                    col.to_string()
                } else {
                    format!("{col}_{}", a.name())
                });
                aggs.push(*a);
            }
        }
        Df::build(DfOp::GroupAgg {
            by: self.by.0.clone(),
            values,
            names,
            aggs,
            ddof: 1.0,
            by_count_desc: false,
            frame: true,
        })
        .map(DataFrame)
    }
}

impl SeriesGroupBy {
    /// An aggregation per group: a series indexed by the sorted keys.
    pub fn agg(&self, agg: GroupAgg) -> Result<Series> {
        Df::build(DfOp::GroupAgg {
            by: self.by.0.clone(),
            values: vec![self.values.0.clone()],
            names: vec![self.values.name().to_string()],
            aggs: vec![agg],
            ddof: 1.0,
            by_count_desc: false,
            frame: false,
        })
        .map(Series)
    }
}

impl DataFrame {
    /// Column names.
    pub fn columns(&self) -> &[String] {
        self.0.names()
    }

    /// Column dtypes.
    pub fn dtypes(&self) -> &[Dtype] {
        self.0.dtypes()
    }

    /// Number of partitions.
    pub fn npartitions(&self) -> usize {
        self.0.npartitions()
    }

    /// One column.
    pub fn col(&self, name: &str) -> Result<Series> {
        Df::build(DfOp::Col {
            input: self.0.clone(),
            name: name.to_string(),
        })
        .map(Series)
    }

    /// Some columns.
    pub fn select(&self, names: &[&str]) -> Result<DataFrame> {
        Df::build(DfOp::Select {
            input: self.0.clone(),
            columns: names.iter().map(|s| s.to_string()).collect(),
        })
        .map(DataFrame)
    }

    /// Rows where `mask` is true.
    pub fn filter(&self, mask: &Series) -> Result<DataFrame> {
        Df::build(DfOp::Filter {
            input: self.0.clone(),
            mask: mask.0.clone(),
        })
        .map(DataFrame)
    }

    /// Columns added or replaced.
    pub fn assign(&self, columns: &[(&str, &Series)]) -> Result<DataFrame> {
        Df::build(DfOp::Assign {
            input: self.0.clone(),
            names: columns.iter().map(|(n, _)| n.to_string()).collect(),
            values: columns.iter().map(|(_, s)| s.0.clone()).collect(),
        })
        .map(DataFrame)
    }

    /// Number of rows.
    pub fn len(&self) -> Result<Scalar> {
        Df::build(DfOp::Len {
            input: self.0.clone(),
        })
        .map(Scalar)
    }

    /// Groups rows by the values of `by` (a series of this frame).
    pub fn groupby(&self, by: &Series) -> Result<GroupBy> {
        if by.0.rows() != self.0.rows() {
            return Err(Error::invalid(
                "groupby: the key series comes from another dataframe",
            ));
        }
        Ok(GroupBy {
            frame: self.clone(),
            by: by.clone(),
        })
    }

    /// count, mean, std, min, 25%, 50%, 75% and max of the numeric columns (quartiles
    /// approximate over many partitions, see `kernels::dataframe::describe`).
    pub fn describe(&self) -> Result<DataFrame> {
        Df::build(DfOp::Describe {
            input: self.0.clone(),
        })
        .map(DataFrame)
    }

    /// Groups rows by a column.
    pub fn groupby_column(&self, column: &str) -> Result<GroupBy> {
        self.groupby(&self.col(column)?)
    }

    /// The whole frame.
    pub fn compute(&self, s: Scheduler) -> Result<Frame> {
        compute_frame(&self.0, s)
    }

    /// The first `n` rows, reading only the partitions they are in.
    pub fn head(&self, n: usize, s: Scheduler) -> Result<Frame> {
        lower::head(&self.0, n, s)
    }
}

fn compute_frame(d: &Df, s: Scheduler) -> Result<Frame> {
    let (g, key) = d.graph()?;
    let v = scheduler::compute(&g, &[key], s)?;
    match v.into_iter().next() {
        Some(crate::kernels::Value::Frame(f)) => Ok(Arc::unwrap_or_clone(f)),
        _ => Err(Error::invalid("the compute gave no frame")),
    }
}

impl Series {
    /// The series' name.
    pub fn name(&self) -> &str {
        &self.0.names()[0]
    }

    /// Its dtype.
    pub fn dtype(&self) -> Dtype {
        self.0.dtypes()[0]
    }

    /// `self op other` elementwise.
    pub fn binary(&self, op: BinaryOp, other: &Series) -> Result<Series> {
        Df::build(DfOp::Binary {
            op,
            left: self.0.clone(),
            right: other.0.clone(),
        })
        .map(Series)
    }

    /// `self op value` (or `value op self`).
    pub fn scalar_op(&self, op: BinaryOp, value: f64, reflected: bool) -> Result<Series> {
        Df::build(DfOp::Scalar {
            op,
            input: self.0.clone(),
            value,
            reflected,
        })
        .map(Series)
    }

    /// Boolean logic (`other` is `None` for `not`).
    pub fn logical(&self, op: LogicalOp, other: Option<&Series>) -> Result<Series> {
        Df::build(DfOp::Logical {
            op,
            left: self.0.clone(),
            right: other.map(|o| o.0.clone()),
        })
        .map(Series)
    }

    /// A datetime field (`dt.year`, …).
    pub fn dt_field(&self, field: DtField) -> Result<Series> {
        Df::build(DfOp::DtField {
            input: self.0.clone(),
            field,
        })
        .map(Series)
    }

    /// `dt.round/floor/ceil(freq)`.
    pub fn dt_round(&self, freq: &str, mode: RoundMode) -> Result<Series> {
        let ms = ops::parse_freq(freq).ok_or_else(|| {
            Error::invalid(format!(
                "unknown frequency {freq:?} (use 'min', 'h' or 'd' with an optional multiple, e.g. '5min', '1d')"
            ))
        })?;
        Df::build(DfOp::DtRound {
            input: self.0.clone(),
            freq: ms,
            mode,
        })
        .map(Series)
    }

    /// A reduction (`ddof` applies to std and var).
    pub fn reduce(&self, reduce: SeriesReduce, ddof: f64) -> Result<Scalar> {
        Df::build(DfOp::Reduce {
            input: self.0.clone(),
            reduce,
            ddof,
        })
        .map(Scalar)
    }

    /// Sum of the values (missing ones skipped).
    pub fn sum(&self) -> Result<Scalar> {
        self.reduce(SeriesReduce::Sum, 1.0)
    }

    /// Number of rows.
    pub fn len(&self) -> Result<Scalar> {
        Df::build(DfOp::Len {
            input: self.0.clone(),
        })
        .map(Scalar)
    }

    /// How often each value occurs, most frequent first (ties by value), as pandas'
    /// `value_counts`.
    pub fn value_counts(&self) -> Result<Series> {
        Df::build(DfOp::GroupAgg {
            by: self.0.clone(),
            values: vec![self.0.clone()],
            names: vec!["count".to_string()],
            aggs: vec![GroupAgg::Size],
            ddof: 1.0,
            by_count_desc: true,
            frame: false,
        })
        .map(Series)
    }

    /// The whole series as a one-column frame (with its index, for grouped results).
    pub fn compute_frame(&self, s: Scheduler) -> Result<Frame> {
        compute_frame(&self.0, s)
    }

    /// The whole series: its name and values.
    pub fn compute(&self, s: Scheduler) -> Result<(String, Column)> {
        let f = compute_frame(&self.0, s)?;
        let name = f.names.first().cloned().unwrap_or_default();
        let col = f
            .columns
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid("the compute gave no column"))?;
        Ok((name, col))
    }
}

impl Scalar {
    /// `self op other`.
    pub fn binary(&self, op: BinaryOp, other: &Scalar) -> Result<Scalar> {
        Df::build(DfOp::ScalarBinary {
            op,
            left: self.0.clone(),
            right: other.0.clone(),
        })
        .map(Scalar)
    }

    /// `self op value` (or `value op self`).
    pub fn scalar_op(&self, op: BinaryOp, value: f64, reflected: bool) -> Result<Scalar> {
        Df::build(DfOp::ScalarConst {
            op,
            input: self.0.clone(),
            value,
            reflected,
        })
        .map(Scalar)
    }

    /// The number.
    pub fn compute(&self, s: Scheduler) -> Result<f64> {
        let (g, key) = self.0.graph()?;
        match scheduler::compute(&g, &[key], s)?.into_iter().next() {
            Some(crate::kernels::Value::F64(x)) => Ok(x),
            _ => Err(Error::invalid("the compute gave no number")),
        }
    }
}
