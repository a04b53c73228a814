//! The files of one Parquet read as one frame: their schemas made one ([`ParquetSet`]),
//! their row groups grouped into partitions ([`Piece`]s), and the byte ranges a partition
//! reads for the columns it decodes.

use std::sync::Arc;

use super::{Field, ParquetFile};
use crate::dataframe::source::{ByteSource, Part};
use crate::dataframe::{Dtype, Frame};
use daskling_core::{Error, Result};

/// The files of a read, with one schema: the first file's columns, each found by name
/// in every file (int64 in one file and float64 in another read as float64).
#[derive(Debug)]
pub struct ParquetSet {
    /// The files, in order.
    pub files: Vec<Arc<ParquetFile>>,
    /// The frame's columns (names and dtypes; `leaf` is the first file's).
    pub fields: Vec<Field>,
    /// For each file, each field's leaf column in it.
    leaves: Vec<Vec<usize>>,
}

impl ParquetSet {
    /// `files` as one frame; an error naming the file whose columns differ.
    pub fn new(files: Vec<Arc<ParquetFile>>) -> Result<ParquetSet> {
        let Some(first) = files.first() else {
            return Err(Error::invalid("readParquet: no files given"));
        };
        let mut fields = first.fields.clone();
        let mut leaves = vec![];
        for f in &files {
            let mut mine = vec![];
            for field in fields.iter_mut() {
                let Some(other) = f.fields.iter().find(|o| o.name == field.name) else {
                    return Err(Error::invalid(format!(
                        "readParquet: {} has no column {} (which {} has); the files must have \
                         the same columns",
                        f.name, field.name, first.name
                    )));
                };
                field.dtype = match (field.dtype, other.dtype) {
                    (a, b) if a == b => a,
                    (Dtype::Int64 | Dtype::Float64, Dtype::Int64 | Dtype::Float64) => {
                        Dtype::Float64
                    }
                    (a, b) => {
                        return Err(Error::invalid(format!(
                            "readParquet: column {} is {} in {} but {} in {}",
                            field.name, a, first.name, b, f.name
                        )))
                    }
                };
                mine.push(other.leaf);
            }
            if f.fields.len() != fields.len() {
                let extra: Vec<&str> = f
                    .fields
                    .iter()
                    .filter(|o| !fields.iter().any(|x| x.name == o.name))
                    .map(|o| o.name.as_str())
                    .collect();
                return Err(Error::invalid(format!(
                    "readParquet: {} has columns {} that {} has not; the files must have the \
                     same columns",
                    f.name,
                    extra.join(", "),
                    first.name
                )));
            }
            leaves.push(mine);
        }
        Ok(ParquetSet {
            files,
            fields,
            leaves,
        })
    }

    /// The partitions: consecutive row groups (across files) of at most `blocksize`
    /// compressed bytes together, row groups `skip(file, group)` rejects (and those of
    /// no rows) left out; at least one partition (empty when nothing is left).
    pub fn pieces(
        self: &Arc<Self>,
        blocksize: u64,
        skip: impl Fn(&ParquetFile, usize) -> bool,
    ) -> Vec<Piece> {
        let mut out = vec![];
        let mut run: Vec<(u32, u32)> = vec![];
        let mut run_bytes = 0u64;
        for (fi, f) in self.files.iter().enumerate() {
            for (gi, g) in f.meta.row_groups().iter().enumerate() {
                if g.num_rows() <= 0 || skip(f, gi) {
                    continue;
                }
                let bytes = g.compressed_size().max(0) as u64;
                if !run.is_empty() && run_bytes + bytes > blocksize {
                    out.push(self.piece(std::mem::take(&mut run)));
                    run_bytes = 0;
                }
                run.push((fi as u32, gi as u32));
                run_bytes += bytes;
            }
        }
        if !run.is_empty() || out.is_empty() {
            out.push(self.piece(run));
        }
        out
    }

    fn piece(self: &Arc<Self>, groups: Vec<(u32, u32)>) -> Piece {
        Piece {
            set: self.clone(),
            groups: groups.into(),
        }
    }
}

/// One partition of a Parquet read: row groups, decoded one after the other.
#[derive(Clone)]
pub struct Piece {
    /// The read's files and schema.
    pub set: Arc<ParquetSet>,
    /// `(file, row group)`, in order.
    pub groups: Arc<[(u32, u32)]>,
}

impl std::fmt::Debug for Piece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "parquet row groups {:?}", self.groups)
    }
}

impl Piece {
    /// Rows in its row groups.
    pub fn num_rows(&self) -> u64 {
        self.groups
            .iter()
            .map(|&(f, g)| {
                self.set.files[f as usize]
                    .meta
                    .row_group(g as usize)
                    .num_rows() as u64
            })
            .sum()
    }

    /// What decoding `fields` (indices into the set's fields) reads: for each row group,
    /// for each field, `(file, start, end)` — the column chunk's bytes.
    pub fn ranges(&self, fields: &[usize]) -> Result<Vec<(usize, u64, u64)>> {
        let mut out = Vec::with_capacity(self.groups.len() * fields.len());
        for &(f, g) in self.groups.iter() {
            let (f, g) = (f as usize, g as usize);
            for &k in fields {
                let (start, end) = self.set.files[f].chunk_range(g, self.set.leaves[f][k])?;
                out.push((f, start, end));
            }
        }
        Ok(out)
    }

    /// The leaf column of field `k` in file `f`.
    pub(crate) fn leaf(&self, f: usize, k: usize) -> usize {
        self.set.leaves[f][k]
    }
}

/// The parse task of a Parquet partition: the piece, its files' sources, and which
/// fields it decodes. Its read task reads [`ParquetParse::parts`]; when the projection
/// pushdown narrows the parse, the read is re-planned to those columns' chunks only.
#[derive(Clone)]
pub struct ParquetParse {
    /// The row groups.
    pub piece: Piece,
    /// The sources of the set's files, in order.
    pub sources: Arc<[Arc<dyn ByteSource>]>,
    /// Only these fields (indices into the set's fields); all when `None`.
    pub keep: Option<Arc<[usize]>>,
}

impl std::fmt::Debug for ParquetParse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} columns {:?}", self.piece, self.keep)
    }
}

impl ParquetParse {
    /// The fields decoded.
    fn fields(&self) -> Vec<usize> {
        match &self.keep {
            Some(k) => k.to_vec(),
            None => (0..self.piece.set.fields.len()).collect(),
        }
    }

    /// The byte ranges its read task reads: the column chunks of its fields.
    pub fn parts(&self) -> Result<Vec<Part>> {
        Ok(self
            .piece
            .ranges(&self.fields())?
            .into_iter()
            .map(|(f, start, end)| Part {
                source: self.sources[f].clone(),
                start,
                end,
            })
            .collect())
    }

    /// Decodes the bytes its read task read.
    pub fn run(&self, bytes: &Arc<Vec<u8>>) -> Result<Frame> {
        super::decode(&self.piece, Some(&self.fields()), bytes)
    }

    /// This parse decoding only the fields named `columns` (at least one, to count rows).
    pub fn narrow(&self, columns: &[String]) -> ParquetParse {
        let names = self.piece.set.fields.iter().map(|f| f.name.as_str());
        ParquetParse {
            keep: Some(crate::dataframe::pushdown::kept(names, columns)),
            ..self.clone()
        }
    }
}
