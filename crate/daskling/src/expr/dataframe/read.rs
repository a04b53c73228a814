//! Reading CSV files into a lazy [`DataFrame`]: from byte sources, from sources a
//! context resolved, and natively from paths and glob patterns.

use std::sync::Arc;

use super::{DataFrame, Df, DfOp, SourceRef, DEFAULT_BLOCKSIZE, SAMPLE_BYTES, SAMPLE_FILES};
use crate::error::{Error, Result};
use crate::graph::tokenize;
use crate::kernels::dataframe::csv::{has_rows, infer_schema, sniff_sep, CsvOptions, Schema};
use crate::kernels::dataframe::source::ByteSource;

/// How to read CSV files.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Parsing options (separator, header, parseDates, dtype).
    pub csv: CsvOptions,
    /// Partition size (bytes): larger files are split, runs of smaller ones grouped;
    /// `None`: [`DEFAULT_BLOCKSIZE`]; `Some(0)`: one partition per file, never split.
    pub blocksize: Option<u64>,
    /// Only these columns (pandas' `usecols`: names or positions; the frame keeps the
    /// file's order, and only they are parsed); `None`: every column.
    pub usecols: Option<Vec<UseCol>>,
    /// Only the first rows (pandas' `nrows`: of all the files, in order).
    pub nrows: Option<usize>,
    /// The separator is found from the first file (pandas' `sep=None`: see
    /// [`sniff_sep`]), not `csv.dialect.sep`.
    pub sniff_sep: bool,
}

/// The schema of a read, from the first bytes of one of its files (`complete`: all of
/// it): the separator sniffed first when `opts` asks (and set in them).
///
/// ```
/// use daskling::expr::dataframe::{schema_of, ReadOptions};
/// let mut o = ReadOptions { sniff_sep: true, ..ReadOptions::default() };
/// let s = schema_of("a.csv", b"x;y\n1;2\n", true, &mut o).unwrap();
/// assert_eq!((s.names.len(), o.csv.dialect.sep), (2, b';'));
/// ```
pub fn schema_of(
    file: &str,
    sample: &[u8],
    complete: bool,
    opts: &mut ReadOptions,
) -> Result<Schema> {
    if opts.sniff_sep {
        opts.csv.dialect.sep = sniff_sep(file, sample, complete, &opts.csv)?;
        opts.sniff_sep = false;
    }
    infer_schema(file, sample, complete, &opts.csv)
}

/// One entry of `usecols`: a column's name or its position in the file.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum UseCol {
    /// The column's position (from 0).
    Position(usize),
    /// The column's name.
    Name(String),
}

/// The names `usecols` keeps of `names`, in the file's order; an error naming an entry
/// that is not a column.
fn used(names: &[String], usecols: &[UseCol]) -> Result<Vec<String>> {
    let mut keep = vec![false; names.len()];
    for u in usecols {
        let at = match u {
            UseCol::Position(p) => Some(*p).filter(|&p| p < names.len()),
            UseCol::Name(n) => names.iter().position(|x| x == n),
        };
        let Some(at) = at else {
            let what = match u {
                UseCol::Position(p) => format!("position {p} is past the {} columns", names.len()),
                UseCol::Name(n) => format!("no column {n}"),
            };
            return Err(Error::invalid(format!(
                "usecols: {what} (the columns are {})",
                names.join(", ")
            )));
        };
        keep[at] = true;
    }
    Ok(names
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(n, _)| n.clone())
        .collect())
}

/// A dataframe of CSV `sources` in partitions of up to the blocksize (runs of small
/// sources grouped, large ones split): columns and dtypes come from the first
/// [`SAMPLE_BYTES`] of the first source.
///
/// ```
/// use std::sync::Arc;
/// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
/// use daskling::kernels::dataframe::source::MemorySource;
/// let a = Arc::new(MemorySource::new("a.csv", &b"x\n1\n"[..]));
/// let b = Arc::new(MemorySource::new("b.csv", &b"x\n2\n"[..]));
/// let df = read_csv_sources(vec![a, b], &ReadOptions::default()).unwrap();
/// assert_eq!(df.npartitions(), 1); // two small files, one partition
/// let each = ReadOptions { blocksize: Some(0), ..ReadOptions::default() };
/// let a = Arc::new(MemorySource::new("a.csv", &b"x\n1\n"[..]));
/// let b = Arc::new(MemorySource::new("b.csv", &b"x\n2\n"[..]));
/// assert_eq!(read_csv_sources(vec![a, b], &each).unwrap().npartitions(), 2); // one per file
/// assert!(read_csv_sources(vec![], &ReadOptions::default()).is_err());
/// ```
pub fn read_csv_sources(
    sources: Vec<Arc<dyn ByteSource>>,
    opts: &ReadOptions,
) -> Result<DataFrame> {
    let Some(first) = sources.first() else {
        return Err(Error::invalid("readCsv: no files given"));
    };
    // The dtypes come from the first file with rows (of the first few): a header-only
    // file adds none, so its columns say nothing of the others'.
    let mut sampled = (
        first,
        first
            .read(0, SAMPLE_BYTES.min(first.len()))
            .map_err(Error::invalid)?,
    );
    for s in sources.iter().skip(1).take(SAMPLE_FILES - 1) {
        if has_rows(&sampled.1, &opts.csv) {
            break;
        }
        sampled = (
            s,
            s.read(0, SAMPLE_BYTES.min(s.len()))
                .map_err(Error::invalid)?,
        );
    }
    let (from, sample) = sampled;
    let mut opts = opts.clone();
    let schema = schema_of(from.name(), &sample, from.len() <= SAMPLE_BYTES, &mut opts)?;
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
    read_csv_refs(refs, schema, &opts)
}

/// A dataframe of sources already registered (the browser's, by the bindings).
pub fn read_csv_refs(
    sources: Vec<SourceRef>,
    schema: Schema,
    opts: &ReadOptions,
) -> Result<DataFrame> {
    let keep = match &opts.usecols {
        Some(u) => Some(used(&schema.names, u)?),
        None => None,
    };
    let df = Df::build(DfOp::ReadCsv {
        sources,
        options: opts.csv.clone(),
        schema,
        blocksize: opts.blocksize.unwrap_or(DEFAULT_BLOCKSIZE),
    })
    .map(DataFrame)?;
    let df = match keep {
        // A selection of the read: the projection reaches the parser, so only these
        // columns are parsed.
        Some(k) => df.select(&k.iter().map(String::as_str).collect::<Vec<_>>())?,
        None => df,
    };
    match opts.nrows {
        Some(n) => df.first_rows(n),
        None => Ok(df),
    }
}

/// A dataframe of CSV files: paths or glob patterns (`data/minute/hp/*.csv`), in
/// sorted order within each pattern.
///
/// ```
/// use daskling::expr::dataframe::{read_csv, ReadOptions};
/// let dir = std::env::temp_dir().join(format!("daskling-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("2012-05-01.csv"), "high\n3.5\n").unwrap();
/// std::fs::write(dir.join("2012-05-02.csv"), "high\n4.5\n").unwrap();
/// let df = read_csv(&[dir.join("*.csv").to_str().unwrap()], &ReadOptions::default()).unwrap();
/// assert_eq!(df.npartitions(), 1);
/// let s = df.col("high").unwrap().sum().unwrap().compute(daskling::Scheduler::Sync).unwrap();
/// assert_eq!(s, 8.0);
/// assert!(read_csv(&[dir.join("*.tsv").to_str().unwrap()], &ReadOptions::default()).is_err());
/// std::fs::remove_dir_all(dir).unwrap();
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn read_csv(patterns: &[&str], opts: &ReadOptions) -> Result<DataFrame> {
    read_csv_sources(file_sources(patterns)?, opts)
}

/// The files of paths or glob patterns, in sorted order within each pattern; an error
/// names a pattern no file matches.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn file_sources(patterns: &[&str]) -> Result<Vec<Arc<dyn ByteSource>>> {
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
    paths
        .iter()
        .map(|p| FileSource::open(p).map(|s| Arc::new(s) as Arc<dyn ByteSource>))
        .collect::<std::result::Result<Vec<_>, String>>()
        .map_err(Error::invalid)
}
