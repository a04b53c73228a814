//! Writing a frame to files: `toCsv` / `toParquet`. Each partition is written on the
//! pool (a CSV text, or a Parquet file of one row group); the result is the files'
//! bytes — one per partition, or one file: CSV parts the caller joins (a `Blob` of
//! them, no copy), Parquet parts joined under one footer by a last task.

use serde::{Deserialize, Serialize};

use super::tasks::{ftask, scalar_key};
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::expr::Lazy;
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::write::FileFormat;
use crate::kernels::dataframe::write_csv::CsvWrite;
use crate::kernels::dataframe::Dtype;
use crate::scheduler::{self, Scheduler};

/// What a write makes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WriteFormat {
    /// CSV text with this separator (pandas' `to_csv(index=False)`).
    Csv {
        /// The field separator.
        sep: u8,
    },
    /// Parquet (snappy; pyarrow reads it back).
    Parquet,
}

/// How a frame is written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteOptions {
    /// The format.
    pub format: WriteFormat,
    /// One file per partition (each CSV with its header), else one file.
    pub partitioned: bool,
}

impl DataFrame {
    /// This frame written as files (see [`Files::compute`]).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions, WriteFormat, WriteOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::Scheduler;
    /// let a = Arc::new(MemorySource::new("a.csv", &b"x,s\n1.5,a\n"[..]));
    /// let b = Arc::new(MemorySource::new("b.csv", &b"x,s\n2.5,\"b,c\"\n"[..]));
    /// let each = ReadOptions { blocksize: Some(0), ..ReadOptions::default() };
    /// let df = read_csv_sources(vec![a, b], &each).unwrap();
    /// let o = WriteOptions { format: WriteFormat::Csv { sep: b',' }, partitioned: false };
    /// let parts = df.write(&o).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(parts.concat(), b"x,s\n1.5,a\n2.5,\"b,c\"\n");
    /// ```
    pub fn write(&self, options: &WriteOptions) -> Result<Files> {
        Df::build(DfOp::Write {
            input: self.0.clone(),
            options: options.clone(),
        })
        .map(Files)
    }
}

/// The files of a write, lazy.
#[derive(Clone, Debug)]
pub struct Files(pub Df);

impl Files {
    /// The files' bytes: one per partition, or the parts of one file to join in order
    /// (CSV), or one file (Parquet).
    pub fn compute(&self, s: Scheduler) -> Result<Vec<Vec<u8>>> {
        let (g, key) = self.0.graph()?;
        match scheduler::compute(&g, &[key], s)?.into_iter().next() {
            Some(crate::kernels::Value::Tuple(parts)) => parts
                .iter()
                .map(|p| match p {
                    crate::kernels::Value::Bytes(b) => Ok(b.to_vec()),
                    _ => Err(Error::invalid("a write gave no bytes")),
                })
                .collect(),
            _ => Err(Error::invalid("a write gave no files")),
        }
    }
}

/// A write is one value (its files).
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::Write { input, options } = op else {
        return Err(not_mine("write"));
    };
    if input.kind() == Kind::Scalar {
        return Err(Error::invalid(
            "toCsv / toParquet: a scalar is no table to write",
        ));
    }
    Ok(Meta {
        prefix: match options.format {
            WriteFormat::Csv { .. } => "to-csv",
            WriteFormat::Parquet => "to-parquet",
        },
        kind: Kind::Scalar,
        names: vec![],
        dtypes: vec![],
        npartitions: 1,
        rows: None,
    })
}

/// Writes are scalars.
pub(super) fn lower_parts(_: &Df, _: &mut Graph) -> Result<()> {
    Err(not_mine("write"))
}

/// A write task per partition, then the files.
pub(super) fn lower_scalar(d: &Df, g: &mut Graph) -> Result<Key> {
    let DfOp::Write { input, options } = d.op() else {
        return Err(not_mine("write"));
    };
    let stem = match options.format {
        WriteFormat::Csv { .. } => "to-csv",
        WriteFormat::Parquet => "to-parquet",
    };
    let layer = format!("{stem}-part-{}", tokenize(d.name()));
    let mut columns: Vec<(String, Dtype)> = input.index().cloned().into_iter().collect();
    if let Some(ix) = columns.first_mut().filter(|c| c.0.is_empty()) {
        ix.0 = "index".into();
    }
    columns.extend(
        input
            .names()
            .iter()
            .cloned()
            .zip(input.dtypes().iter().copied()),
    );
    let columns: std::sync::Arc<[(String, Dtype)]> = columns.into();
    let parts = (0..input.npartitions())
        .map(|p| {
            let format = match options.format {
                WriteFormat::Csv { sep } => FileFormat::Csv(CsvWrite {
                    sep,
                    header: options.partitioned || p == 0,
                }),
                WriteFormat::Parquet => FileFormat::Parquet(columns.clone()),
            };
            let k = Key::new(layer.as_str(), &[p as u32]);
            g.insert(
                k.clone(),
                ftask(FrameKernel::WritePart(format), vec![input.part_key(p)]),
            );
            k
        })
        .collect();
    let join = options.format == WriteFormat::Parquet && !options.partitioned;
    let key = scalar_key(d);
    g.insert(key.clone(), ftask(FrameKernel::Files(join), parts));
    Ok(key)
}

/// Writes have no dask export: the script computes; dask writes with its own
/// `to_csv` / `to_parquet`.
pub(super) fn dask(_: &Df, _: &mut Script) -> Result<Line> {
    Err(Error::invalid(
        "toDask: a toCsv / toParquet write has no export (export the frame and write it with dask's to_csv / to_parquet)",
    ))
}
