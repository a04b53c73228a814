//! Dataframes from CSV files, as `dask.dataframe`: lazy [`DataFrame`]s, [`Series`] and
//! [`Scalar`]s whose columns and dtypes are known at once; computing lowers them to one
//! task per partition, with tree reductions on top.
//!
//! Each operation's metadata and lowering live together in its family's module: `io`
//! (readCsv), `memory` (fromColumns), `columns` (select, col, filter, assign), `arith` (arithmetic, comparisons,
//! logic), `map` (functions of each value with parameters: missing data, `round`,
//! `astype`, …, and the `.str` accessor), `rows` (`nlargest`, `tail`, `unique`, `dropDuplicates`), `sort` (`sortValues`), `index` (`setIndex`, `loc`), `merge`, `partitions` (`mapPartitions`, with `from_js`), `persist`, `resample`, `group_rows` (`transform`, `cumsum` per group), `cond` (`where`, `mask`), `concat`, `repartition`, `scan` (`shift`,
//! `cumsum`, `rolling`), `datetime` (the
//! `.dt` accessor), `reduce` (reductions, len, describe) and `groupby`; `lower` walks an expression iteratively and hands each node to its family.
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
//! assert_eq!(df.npartitions(), 1); // small files are grouped up to the blocksize
//! let total = df.col("x").unwrap().sum().unwrap().compute(Scheduler::Threads).unwrap();
//! assert_eq!(total, 9.0);
//! ```

mod arith;
mod collections;
mod columns;
mod concat;
mod cond;
mod datetime;
mod from_js;
mod group_rows;
mod groupby;
mod index;
mod io;
mod lower;
mod map;
mod memory;
mod merge;
mod op;
mod op_inputs;
mod parquet;
mod partitions;
mod persist;
mod read;
mod reduce;
mod repartition;
mod resample;
mod rows;
mod scan;
mod series;
mod sort;
pub mod source;
mod tasks;
mod write;

use std::sync::Arc;

use super::dask::script::{Line, Script};
use super::walk::unlink;
use super::{not_mine, Lazy};
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::csv::{CsvOptions, Schema};
use crate::kernels::dataframe::{Column, Dtype};
pub use collections::{DataFrame, GroupBy, Scalar, Series, SeriesGroupBy};
pub use cond::Replacement;
pub use index::IndexOp;
pub use map::DropHow;
pub(crate) use memory::from_frame_in;
pub use memory::{frame_of_js, FrameData};
pub use merge::{How, MergeOptions};
pub use op::{DfOp, Kind, LogicalOp};
#[cfg(not(target_arch = "wasm32"))]
pub use parquet::read_parquet;
pub use parquet::{read_parquet_refs, read_parquet_sources, ParquetFiles, ParquetOptions};
pub use partitions::{PartitionFn, PartitionMeta};
pub use persist::StoredMeta;
#[cfg(not(target_arch = "wasm32"))]
pub use read::read_csv;
pub use read::{read_csv_refs, read_csv_sources, schema_of, ReadOptions, UseCol};
pub use resample::{Resampler, SeriesResampler};
pub use source::SourceRef;
pub use write::{Files, WriteFormat, WriteOptions};

/// Bytes read from the first file to learn columns and dtypes (dask's default).
pub const SAMPLE_BYTES: u64 = 256_000;
/// Files sampled at most, in order, for the first one with rows (a header-only file
/// tells no dtypes).
pub const SAMPLE_FILES: usize = 16;
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
    /// The index (name and dtype) of grouped results and indexed frames.
    index: Option<(String, Dtype)>,
    /// The index's divisions, where known (see `index`): `npartitions + 1` values.
    divisions: Option<Arc<Column>>,
}

impl Drop for Node {
    /// Drops long chains iteratively (see the arrays' node).
    fn drop(&mut self) {
        unlink(take_inputs(self), take_inputs);
    }
}

/// Empties `node`'s operation; gives the nodes of its inputs.
fn take_inputs(node: &mut Node) -> Vec<Arc<Node>> {
    let empty = DfOp::ReadCsv {
        sources: vec![],
        options: CsvOptions::default(),
        schema: Schema::default(),
        blocksize: 0,
    };
    let op = std::mem::replace(&mut node.op, empty);
    op.inputs().into_iter().map(|d| d.0.clone()).collect()
}

/// A lazy dataframe expression of any kind; [`DataFrame`], [`Series`] and [`Scalar`]
/// are its typed views.
#[derive(Clone, Debug)]
pub struct Df(Arc<Node>);

/// What an operation gives, from its family's metadata rule.
struct Meta {
    /// The name prefix (`"sum"`, `"read-csv"`).
    prefix: &'static str,
    /// Frame, series or scalar.
    kind: Kind,
    /// Column names (one for a series, none for a scalar).
    names: Vec<String>,
    /// Their dtypes.
    dtypes: Vec<Dtype>,
    /// Partitions (1 for a scalar).
    npartitions: usize,
    /// The rows it shares with an input (`None`: rows of its own).
    rows: Option<String>,
}

impl Meta {
    /// A series with `input`'s rows, partitions and name, of `dtype`: what a row-wise
    /// operation on a series gives.
    fn series_like(prefix: &'static str, input: &Df, dtype: Dtype) -> Meta {
        Meta {
            prefix,
            kind: Kind::Series,
            names: input.0.names.clone(),
            dtypes: vec![dtype],
            npartitions: input.0.npartitions,
            rows: Some(input.0.rows.clone()),
        }
    }

    /// A scalar (one value, one partition, no columns): what a reduction gives.
    fn scalar(prefix: &'static str) -> Meta {
        Meta {
            prefix,
            kind: Kind::Scalar,
            names: vec![],
            dtypes: vec![],
            npartitions: 1,
            rows: None,
        }
    }
}

/// A family of operations: one module with its operations' metadata rule (`meta`),
/// lowering (`lower_parts` for frames and series, `lower_scalar` for scalars) and dask
/// export (`dask`): `io`, `columns`, `arith`, `datetime`, `reduce`, `groupby`. A new
/// family is a module with those functions and one arm of [`family`].
#[derive(Clone, Copy)]
struct Family {
    /// What an operation of the family gives, checked against its inputs.
    meta: fn(&DfOp) -> Result<Meta>,
    /// Adds the partition tasks of a frame or series of the family, its inputs lowered.
    lower_parts: fn(&Df, &mut Graph) -> Result<()>,
    /// Adds the tasks of a scalar of the family, its inputs lowered; returns its key.
    lower_scalar: fn(&Df, &mut Graph) -> Result<Key>,
    /// Its `dask.dataframe` line (the variable's stem and the code), inputs exported.
    dask: fn(&Df, &mut Script) -> Result<Line>,
}

fn not_scalar(_: &Df, _: &mut Graph) -> Result<Key> {
    Err(Error::invalid("not a scalar"))
}

/// The family of an operation: the one dispatch over families.
fn family(op: &DfOp) -> Family {
    macro_rules! of {
        ($m:ident, parts) => {
            Family {
                meta: $m::meta,
                lower_parts: $m::lower_parts,
                lower_scalar: not_scalar,
                dask: $m::dask,
            }
        };
        ($m:ident, parts, scalar) => {
            Family {
                meta: $m::meta,
                lower_parts: $m::lower_parts,
                lower_scalar: $m::lower_scalar,
                dask: $m::dask,
            }
        };
    }
    match op {
        DfOp::ReadCsv { .. } => of!(io, parts),
        DfOp::ReadParquet { .. } => of!(parquet, parts),
        DfOp::Write { .. } => of!(write, parts, scalar),
        DfOp::FromFrame { .. } => of!(memory, parts),
        DfOp::Select { .. } | DfOp::Filter { .. } | DfOp::Assign { .. } | DfOp::Col { .. } => {
            of!(columns, parts)
        }
        DfOp::Binary { .. }
        | DfOp::Scalar { .. }
        | DfOp::Unary { .. }
        | DfOp::Logical { .. }
        | DfOp::ScalarBinary { .. }
        | DfOp::ScalarConst { .. } => of!(arith, parts, scalar),
        DfOp::DtField { .. } | DfOp::DtRound { .. } | DfOp::DtFormat { .. } => {
            of!(datetime, parts)
        }
        DfOp::Map { .. } | DfOp::Str { .. } => of!(map, parts),
        DfOp::Rows { .. } => of!(rows, parts),
        DfOp::Sort { .. } => of!(sort, parts),
        DfOp::Index { .. } => of!(index, parts),
        DfOp::Stored { .. } => of!(persist, parts),
        DfOp::Merge { .. } => of!(merge, parts),
        DfOp::MapPartitions { .. } => of!(partitions, parts),
        DfOp::FillBins { .. } => of!(resample, parts),
        DfOp::GroupTransform { .. } | DfOp::GroupCum { .. } => of!(group_rows, parts),
        DfOp::Where { .. } => of!(cond, parts),
        DfOp::Concat { .. } => of!(concat, parts),
        DfOp::Repartition { .. } => of!(repartition, parts),
        DfOp::Scan { .. } | DfOp::RollTime { .. } => of!(scan, parts),
        DfOp::Reduce { .. }
        | DfOp::FrameReduce { .. }
        | DfOp::Len { .. }
        | DfOp::Describe { .. } => {
            of!(reduce, parts, scalar)
        }
        DfOp::GroupAgg { .. } => of!(groupby, parts),
    }
}

/// Writes `d`'s line of a `toDask` script (its inputs are written), from its family.
pub(crate) fn export_dask(d: &Df, s: &mut Script) -> Result<()> {
    let (stem, code) = (family(d.op()).dask)(d, s)?;
    s.assign(d.name(), &stem, code);
    Ok(())
}

/// What `d`'s computed value needs to equal daskling's in a `toDask` script (a
/// method called on it, `sort_index`), if anything.
pub(crate) fn dask_finish(d: &Df) -> Option<&'static str> {
    groupby::dask_finish(d)
}

/// An error unless `d` is of kind `k`; `what` names the operation.
fn need(d: &Df, k: Kind, what: &str) -> Result<()> {
    if d.0.kind == k {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "{what} needs a {}, got a {}",
            kind_name(k),
            kind_name(d.0.kind)
        )))
    }
}

/// An error unless series `a` and `b` have the same rows; `what` names the operation.
fn same_rows(a: &Df, b: &Df, what: &str) -> Result<()> {
    if a.0.rows == b.0.rows && a.0.npartitions == b.0.npartitions {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "{what}: the series come from different dataframes (or different \
             filters of one); combine series of the same dataframe"
        )))
    }
}

impl Df {
    /// Builds an expression from an operation, checking it against its inputs. Every
    /// constructor ends here, and so does decoding.
    pub fn build(op: DfOp) -> Result<Df> {
        let Meta {
            prefix,
            kind,
            names,
            dtypes,
            npartitions,
            rows,
        } = (family(&op).meta)(&op)?;
        let named = op.try_map(|a| Ok::<_, Error>(a.name().to_string()))?;
        let json = serde_json::to_string(&named).map_err(Error::invalid)?;
        let name = format!("{prefix}-{}", tokenize(&json));
        let rows = rows.unwrap_or_else(|| name.clone());
        let name: Arc<str> = name.into();
        let index = match &op {
            // Several keys (a frame) become columns, not an index.
            DfOp::GroupAgg { by, .. } if by.0.kind == Kind::Frame => None,
            DfOp::GroupAgg { by, .. } => Some((by.0.names[0].clone(), by.0.dtypes[0])),
            DfOp::Describe { .. } | DfOp::FrameReduce { .. } => {
                Some((String::new(), Dtype::String))
            }
            DfOp::Index {
                input,
                op: index::IndexOp::Set { column, .. },
            } => Some((column.clone(), input.dtype_of(column)?)),
            DfOp::Stored { meta, .. } => meta.index.clone(),
            // pandas' implicit index: unnamed.
            DfOp::ReadCsv { schema, .. } => schema.index.map(|d| (String::new(), d)),
            // New rows, without the inputs' index.
            DfOp::Index {
                op: index::IndexOp::Divisions { .. },
                ..
            }
            | DfOp::Merge { .. }
            | DfOp::MapPartitions { .. }
            | DfOp::GroupTransform { .. }
            | DfOp::GroupCum { .. } => None,
            _ if kind == Kind::Scalar => None,
            _ => op.inputs().first().and_then(|i| i.0.index.clone()),
        };
        let first = op.inputs().first().map(|i| i.0.clone());
        let divisions = match &op {
            DfOp::Index { .. } => index::divisions_of(&op, index.as_ref())?,
            DfOp::Stored { meta, .. } => persist::divisions_of(meta)?,
            // Rows moved between partitions: the divisions no longer hold.
            DfOp::Sort { .. } | DfOp::Repartition { .. } | DfOp::Concat { .. } => None,
            // Each partition's rows from the same partition of the input: they hold.
            _ => first
                .filter(|i| i.npartitions == npartitions && i.index.is_some() && i.index == index)
                .and_then(|i| i.divisions.clone()),
        };
        Ok(Df(Arc::new(Node {
            op,
            name,
            kind,
            names,
            dtypes,
            npartitions,
            rows,
            index,
            divisions,
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
