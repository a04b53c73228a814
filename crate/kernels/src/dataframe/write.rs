//! The file formats a frame is written in, one file per partition (`toCsv`,
//! `toParquet`): the one dispatch over [`super::write_csv`] and
//! [`super::parquet::write`].

use std::sync::Arc;

use super::column::{Dtype, Frame};
use super::write_csv::{write_csv, CsvWrite};

/// The formats a frame is written in, one file per partition.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// CSV text.
    Csv(CsvWrite),
    /// A Parquet file of one row group ([`super::parquet::write::write_part`]) of the
    /// frame's declared columns (the index first, when it has one), whatever a
    /// partition's own dtypes (an int64 partition of a float64 column).
    Parquet(Arc<[(String, Dtype)]>),
}

impl FileFormat {
    /// The kind of task, for graph labels.
    pub fn name(&self) -> &'static str {
        match self {
            FileFormat::Csv(_) => "to-csv",
            FileFormat::Parquet(_) => "to-parquet",
        }
    }

    /// `f` written.
    pub fn write(&self, f: &Frame) -> daskling_core::Result<Vec<u8>> {
        match self {
            FileFormat::Csv(o) => Ok(write_csv(f, o)),
            FileFormat::Parquet(columns) => super::parquet::write::write_part(f, columns),
        }
    }
}
