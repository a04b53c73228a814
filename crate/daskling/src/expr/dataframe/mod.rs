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

mod collections;
mod lower;
mod op;
mod read;
pub mod source;

use std::sync::Arc;

use super::Lazy;
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::csv::{CsvOptions, Schema};
use crate::kernels::dataframe::ops::{self, SeriesReduce};
use crate::kernels::dataframe::Dtype;
pub use collections::{DataFrame, GroupBy, Scalar, Series, SeriesGroupBy};
pub use op::{DfOp, Kind, LogicalOp};
#[cfg(not(target_arch = "wasm32"))]
pub use read::read_csv;
pub use read::{read_csv_refs, read_csv_sources, ReadOptions};
pub use source::SourceRef;

/// Bytes read from the first file to learn columns and dtypes (dask's default).
pub const SAMPLE_BYTES: u64 = 256_000;
/// Files larger than this are split into several partitions (16 MB: a few per thread
/// in memory at once, and enough partitions to keep every thread busy).
pub const DEFAULT_BLOCKSIZE: u64 = 16_000_000;
/// Partials merged per task in tree reductions (dask's default for dataframes).
pub const SPLIT_EVERY: usize = 8;

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

impl Drop for Node {
    /// Drops long chains iteratively (see the arrays' node): inputs only this node held
    /// are unlinked one by one.
    fn drop(&mut self) {
        let empty_op = || DfOp::ReadCsv {
            sources: vec![],
            options: CsvOptions::default(),
            schema: Schema {
                names: vec![],
                dtypes: vec![],
            },
            blocksize: 0,
        };
        let mut stack: Vec<Df> = self.op.inputs().into_iter().cloned().collect();
        let _ = std::mem::replace(&mut self.op, empty_op());
        while let Some(d) = stack.pop() {
            if let Ok(mut node) = Arc::try_unwrap(d.0) {
                stack.extend(node.op.inputs().into_iter().cloned());
                let _ = std::mem::replace(&mut node.op, empty_op());
            }
        }
    }
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
                let d = ops::scalar_dtype(*op, input.0.dtypes[0], *value)?;
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
