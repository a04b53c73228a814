//! Reading Parquet files into a lazy [`DataFrame`]: the `ReadParquet` operation's
//! metadata (columns and dtypes from the footers; a partition per run of row groups of
//! up to `blocksize` compressed bytes, row groups whose statistics fail the filters
//! left out), its read and decode tasks (each read fetches only the column chunks its
//! partition decodes, after the projection pushdown), its `dd.read_parquet` export,
//! and the rows of `filters` kept by ordinary comparisons.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::tasks::ftask;
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta, Series, SourceRef, DEFAULT_BLOCKSIZE};
use crate::error::{Error, Result};
use crate::expr::dask::script::{list, string, Line, Script};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::map::{ColumnMap, Literal};
use crate::kernels::dataframe::parquet::stats::{may_pass, Cmp, Predicate, Scalar};
use crate::kernels::dataframe::parquet::{footer_len, ParquetFile, ParquetParse, ParquetSet};
use crate::kernels::dataframe::source::ByteSource;
use crate::kernels::dataframe::Dtype;
use crate::kernels::{Kernel, Read};

/// How to read Parquet files (pandas' and dask's `read_parquet` options).
#[derive(Clone, Debug, Default)]
pub struct ParquetOptions {
    /// Only these columns, in this order; `None`: all.
    pub columns: Option<Vec<String>>,
    /// Rows kept: any of these conjunctions of predicates (pyarrow's `filters`, in
    /// disjunctive normal form). Row groups whose statistics rule them out are not read.
    pub filters: Vec<Vec<Predicate>>,
    /// Compressed bytes per partition (row groups are grouped up to it); `None`:
    /// [`DEFAULT_BLOCKSIZE`]; `Some(0)`: one partition per row group.
    pub blocksize: Option<u64>,
}

/// The decoded footers of a read's files; serialized as their bytes (the side that
/// decodes an expression decodes them again).
#[derive(Clone, Debug)]
pub struct ParquetFiles(pub Arc<ParquetSet>);

#[derive(Serialize, Deserialize)]
struct WireFooter {
    name: String,
    size: u64,
    footer: Vec<u8>,
}

impl Serialize for ParquetFiles {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let v: Vec<WireFooter> = (self.0.files.iter())
            .map(|f| WireFooter {
                name: f.name.to_string(),
                size: f.size,
                footer: f.footer.to_vec(),
            })
            .collect();
        v.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ParquetFiles {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = Vec::<WireFooter>::deserialize(d)?;
        let files = v
            .into_iter()
            .map(|w| ParquetFile::from_end(&w.name, w.size, &w.footer).map(Arc::new))
            .collect::<Result<Vec<_>>>()
            .map_err(serde::de::Error::custom)?;
        ParquetSet::new(files)
            .map(|s| ParquetFiles(Arc::new(s)))
            .map_err(serde::de::Error::custom)
    }
}

/// The partitions of a read.
fn pieces(
    files: &ParquetFiles,
    blocksize: u64,
    filters: &[Vec<Predicate>],
) -> Vec<crate::kernels::dataframe::parquet::Piece> {
    let blocksize = if blocksize == 0 { 1 } else { blocksize };
    files.0.pieces(blocksize, |f, g| !may_pass(f, g, filters))
}

/// A dataframe of Parquet files whose footers were read (`files`, in the order of
/// `sources`): the bindings read footers on their side first.
pub fn read_parquet_refs(
    sources: Vec<SourceRef>,
    files: Vec<Arc<ParquetFile>>,
    opts: &ParquetOptions,
) -> Result<DataFrame> {
    let set = ParquetSet::new(files)?;
    for all in &opts.filters {
        for p in all {
            if !set.fields.iter().any(|f| f.name == p.column) {
                return Err(Error::invalid(format!(
                    "readParquet: filters: no column {} (the columns are {})",
                    p.column,
                    names(&set).join(", ")
                )));
            }
        }
    }
    let df = DataFrame(Df::build(DfOp::ReadParquet {
        sources,
        files: ParquetFiles(Arc::new(set)),
        filters: opts.filters.clone(),
        blocksize: opts.blocksize.unwrap_or(DEFAULT_BLOCKSIZE),
    })?);
    let df = keep_rows(&df, &opts.filters)?;
    match &opts.columns {
        Some(c) => df.select(&c.iter().map(String::as_str).collect::<Vec<_>>()),
        None => Ok(df),
    }
}

fn names(set: &ParquetSet) -> Vec<&str> {
    set.fields.iter().map(|f| f.name.as_str()).collect()
}

/// A dataframe of Parquet `sources`, their footers read from them.
///
/// ```
/// use std::sync::Arc;
/// use daskling::expr::dataframe::{read_parquet_sources, ParquetOptions};
/// use daskling::kernels::dataframe::source::MemorySource;
/// // Not Parquet: an error naming the file.
/// let csv = Arc::new(MemorySource::new("a.parquet", &b"x\n1\n"[..]));
/// let e = read_parquet_sources(vec![csv], &ParquetOptions::default()).unwrap_err();
/// assert!(e.to_string().contains("a.parquet"));
/// ```
pub fn read_parquet_sources(
    sources: Vec<Arc<dyn ByteSource>>,
    opts: &ParquetOptions,
) -> Result<DataFrame> {
    if sources.is_empty() {
        return Err(Error::invalid("readParquet: no files given"));
    }
    let mut files = vec![];
    let mut refs = vec![];
    for s in sources {
        let size = s.len();
        let io = |e: String| Error::invalid(format!("readParquet: {}: {e}", s.name()));
        let last8 = s.read(size.saturating_sub(8), size).map_err(io)?;
        let len = footer_len(s.name(), size, &last8)? as u64;
        let end = s.read(size - len, size).map_err(io)?;
        files.push(Arc::new(ParquetFile::from_end(s.name(), size, &end)?));
        let id = format!(
            "src-{}",
            tokenize(&(s.name(), size, Arc::as_ptr(&s) as *const u8 as usize))
        );
        refs.push(SourceRef::new(&id, s));
    }
    read_parquet_refs(refs, files, opts)
}

/// A dataframe of Parquet files: paths or glob patterns, in sorted order within each
/// pattern (as [`read_csv`](super::read_csv)).
#[cfg(not(target_arch = "wasm32"))]
pub fn read_parquet(patterns: &[&str], opts: &ParquetOptions) -> Result<DataFrame> {
    read_parquet_sources(super::read::file_sources(patterns)?, opts)
}

/// The rows that pass `filters`, by the ordinary comparisons, as pyarrow: a missing
/// value passes no predicate but `not in`.
fn keep_rows(df: &DataFrame, filters: &[Vec<Predicate>]) -> Result<DataFrame> {
    let mut any: Option<Series> = None;
    for all in filters {
        let mut both: Option<Series> = None;
        for p in all {
            let m = predicate_mask(df, p)?;
            both = Some(match both {
                Some(b) => b.logical(super::LogicalOp::And, Some(&m))?,
                None => m,
            });
        }
        if let Some(b) = both {
            any = Some(match any {
                Some(a) => a.logical(super::LogicalOp::Or, Some(&b))?,
                None => b,
            });
        }
    }
    match any {
        Some(mask) => df.filter(&mask),
        None => Ok(df.clone()),
    }
}

/// The bool series of rows passing `p`.
fn predicate_mask(df: &DataFrame, p: &Predicate) -> Result<Series> {
    let col = df.col(&p.column)?;
    let dtype = col.dtype();
    let bad = |why: &str| {
        Error::invalid(format!(
            "readParquet: filters: ({}, {}, …) on the {dtype} column {}: {why}",
            p.column,
            p.op.symbol(),
            p.column
        ))
    };
    let literal = |v: &Scalar| -> Result<Literal> {
        Ok(match (dtype, v) {
            (Dtype::Datetime, Scalar::Text(t)) => Literal::Number(
                crate::kernels::dataframe::datetime::parse_datetime(t.as_bytes())
                    .ok_or_else(|| bad(&format!("{t:?} is not a date or time")))?
                    as f64,
            ),
            (Dtype::Bool, Scalar::Bool(b)) => Literal::Bool(*b),
            (Dtype::String, Scalar::Text(t)) => Literal::Text(t.clone()),
            (Dtype::Int64 | Dtype::Float64 | Dtype::Datetime, Scalar::Number(x)) => {
                Literal::Number(*x)
            }
            _ => return Err(bad(&format!("{v:?} is of another type"))),
        })
    };
    let values = p.values.iter().map(literal).collect::<Result<Vec<_>>>()?;
    let present = col.map_each(ColumnMap::NotNa)?;
    let one = || match values.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(bad("takes one value (in and not in take a list)")),
    };
    let isin = |values: Vec<Literal>| col.map_each(ColumnMap::IsIn { values });
    let not = |s: Series| s.logical(super::LogicalOp::Not, None);
    let mask = match (p.op, dtype) {
        (Cmp::In, _) => isin(values.clone())?,
        // pyarrow's `not in` is `~isin`: a missing value passes it.
        (Cmp::NotIn, _) => return not(isin(values.clone())?),
        (Cmp::Eq, Dtype::String | Dtype::Bool) => isin(vec![one()?])?,
        (Cmp::Ne, Dtype::String | Dtype::Bool) => not(isin(vec![one()?])?)?,
        (_, Dtype::String | Dtype::Bool) => {
            return Err(bad("only ==, !=, in and not in compare text or bools"))
        }
        (op, _) => {
            let (Literal::Number(x), Some(op)) = (one()?, op.binary()) else {
                unreachable!("numbers for number and datetime columns; in / not in above")
            };
            col.scalar_op(op, x, false)?
        }
    };
    present.logical(super::LogicalOp::And, Some(&mask))
}

/// `input.filter(mask)` where `input` is a Parquet read and `mask` compares one of its
/// columns with a number (`df.filter(df.col('x').gt(5))`): the same rows, from a read
/// whose filters also hold the comparison, so row groups whose statistics rule it out
/// are not read. `None` for any other filter.
pub(super) fn pushed_filter(input: &Df, mask: &Df) -> Option<Result<DataFrame>> {
    let DfOp::ReadParquet {
        sources,
        files,
        filters,
        blocksize,
    } = input.op()
    else {
        return None;
    };
    let DfOp::Scalar {
        op,
        input: col,
        value,
        reflected,
    } = mask.op()
    else {
        return None;
    };
    let DfOp::Col { input: read, name } = col.op() else {
        return None;
    };
    if read.name() != input.name() || value.is_nan() {
        return None;
    }
    // `!=` rules a row group out only when all its values are the constant: not pushed.
    let cmp = Cmp::of_binary(*op, *reflected).filter(|c| *c != Cmp::Ne)?;
    let p = Predicate {
        column: name.clone(),
        op: cmp,
        values: vec![Scalar::Number(*value)],
    };
    let filters = match filters.is_empty() {
        true => vec![vec![p]],
        false => filters
            .iter()
            .map(|all| all.iter().cloned().chain([p.clone()]).collect())
            .collect(),
    };
    Some((|| {
        let read = DataFrame(Df::build(DfOp::ReadParquet {
            sources: sources.clone(),
            files: files.clone(),
            filters,
            blocksize: *blocksize,
        })?);
        let mask = read.col(name)?.scalar_op(*op, *value, *reflected)?;
        Df::build(DfOp::Filter {
            input: read.0.clone(),
            mask: mask.0,
        })
        .map(DataFrame)
    })())
}

/// Names, dtypes and partitions of a Parquet read.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::ReadParquet {
        files,
        filters,
        blocksize,
        ..
    } = op
    else {
        return Err(not_mine("parquet"));
    };
    Ok(Meta {
        prefix: "read-parquet",
        kind: Kind::Frame,
        names: files.0.fields.iter().map(|f| f.name.clone()).collect(),
        dtypes: files.0.fields.iter().map(|f| f.dtype).collect(),
        npartitions: pieces(files, *blocksize, filters).len(),
        rows: None,
    })
}

/// Adds a read task and a decode task per partition.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::ReadParquet {
        sources,
        files,
        filters,
        blocksize,
    } = d.op()
    else {
        return Err(not_mine("parquet"));
    };
    let held = sources
        .iter()
        .map(|s| {
            s.held
                .clone()
                .ok_or_else(|| Error::invalid(format!("the file {} is not available here", s.name)))
        })
        .collect::<Result<Vec<_>>>()?;
    let held: Arc<[Arc<dyn ByteSource>]> = held.into();
    let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    for (p, piece) in pieces(files, *blocksize, filters).into_iter().enumerate() {
        let parse = ParquetParse {
            piece,
            sources: held.clone(),
            keep: None,
        };
        let layer = format!(
            "read-{}",
            tokenize(&(ids.join("\0"), &parse.piece.groups[..]))
        );
        let r = Key::new(layer.as_str(), &[0]);
        let kernel = Kernel::Read(Read {
            parts: parse.parts()?.into(),
        });
        g.insert(r.clone(), Task::new(kernel, vec![]));
        g.insert(
            d.part_key(p),
            ftask(FrameKernel::ParseParquet(parse), vec![r]),
        );
    }
    Ok(())
}

/// `dd.read_parquet([paths], filters=[…], index=False)`, paths as the export's
/// `sources` option makes them.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::ReadParquet {
        sources,
        files,
        filters,
        ..
    } = d.op()
    else {
        return Err(not_mine("parquet"));
    };
    let paths = s.source_literals(sources.iter().map(|src| src.name.as_str()))?;
    let mut args = vec![list(&paths), "index=False".to_string()];
    if !filters.is_empty() {
        let dtype = |c: &str| files.0.fields.iter().find(|f| f.name == c).map(|f| f.dtype);
        let value = |c: &str, v: &Scalar| match (dtype(c), v) {
            (Some(Dtype::Datetime), Scalar::Text(t)) => format!("pd.Timestamp({})", string(t)),
            (Some(Dtype::Datetime), Scalar::Number(x)) => {
                format!("pd.Timestamp({}, unit=\"ms\")", *x as i64)
            }
            (Some(Dtype::Int64), Scalar::Number(x)) if x.fract() == 0.0 => format!("{}", *x as i64),
            (_, Scalar::Text(t)) => string(t),
            (_, Scalar::Bool(b)) => if *b { "True" } else { "False" }.into(),
            (_, Scalar::Number(x)) => Literal::Number(*x).python(),
        };
        let ors: Vec<String> = filters
            .iter()
            .map(|all| {
                let ands: Vec<String> = all
                    .iter()
                    .map(|p| {
                        let v: Vec<String> = p.values.iter().map(|v| value(&p.column, v)).collect();
                        let v = match p.op {
                            Cmp::In | Cmp::NotIn => list(&v),
                            _ => v.first().cloned().unwrap_or_default(),
                        };
                        format!("({}, {}, {v})", string(&p.column), string(p.op.symbol()))
                    })
                    .collect();
                list(&ands)
            })
            .collect();
        args.push(format!("filters={}", list(&ors)));
    }
    Ok(("df".into(), format!("dd.read_parquet({})", args.join(", "))))
}
