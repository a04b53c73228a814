//! Writing Parquet: each partition encoded on the pool as a file of one row group
//! ([`write_part`]: snappy pages, dictionary where it pays, min/max statistics), and the
//! parts joined into one file ([`join_parts`]) by copying their column chunks as they
//! are — no re-encoding — under one footer, a row group per partition.
//!
//! | dtype | Parquet |
//! |---|---|
//! | int64 | int64 (missing values, of ints a partition promoted, as nulls) |
//! | float64 | double (NaN written as null, as pyarrow writes pandas' NaN) |
//! | bool | boolean |
//! | string | string (UTF-8 `BYTE_ARRAY`) |
//! | datetime | timestamp (milliseconds, not adjusted to UTC) |

use std::sync::Arc;

use bytes::Bytes;
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::column::writer::{ColumnCloseResult, ColumnWriter};
use parquet::data_type::ByteArray;
use parquet::file::metadata::ParquetMetaDataReader;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::dataframe::column::NAT;
use crate::dataframe::{Column, Dtype, Frame};
use daskling_core::{Error, Result};

fn err(e: parquet::errors::ParquetError) -> Error {
    Error::invalid(format!("toParquet: {e}"))
}

/// The Parquet schema of `columns` (names and dtypes).
fn schema(columns: &[(String, Dtype)]) -> Result<Arc<Type>> {
    let fields = columns
        .iter()
        .map(|(n, d)| {
            let (physical, logical, repetition) = match d {
                Dtype::Int64 => (Physical::INT64, None, Repetition::OPTIONAL),
                Dtype::Float64 => (Physical::DOUBLE, None, Repetition::OPTIONAL),
                Dtype::Bool => (Physical::BOOLEAN, None, Repetition::OPTIONAL),
                Dtype::String => (
                    Physical::BYTE_ARRAY,
                    Some(LogicalType::String),
                    Repetition::OPTIONAL,
                ),
                Dtype::Datetime => (
                    Physical::INT64,
                    Some(LogicalType::Timestamp(parquet::basic::TimestampType {
                        is_adjusted_to_u_t_c: false,
                        unit: TimeUnit::MILLIS,
                    })),
                    Repetition::OPTIONAL,
                ),
            };
            Type::primitive_type_builder(n, physical)
                .with_logical_type(logical)
                .with_repetition(repetition)
                .build()
                .map(Arc::new)
        })
        .collect::<parquet::errors::Result<Vec<_>>>()
        .map_err(err)?;
    Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
        .map(Arc::new)
        .map_err(err)
}

fn properties() -> Arc<WriterProperties> {
    Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by("daskling".into())
            .build(),
    )
}

/// The values present and the definition levels (1 present, 0 missing) of a column.
fn levels<T: Clone>(v: &[T], present: impl Fn(&T) -> bool) -> (Vec<T>, Vec<i16>) {
    let defs: Vec<i16> = v.iter().map(|x| present(x) as i16).collect();
    (v.iter().filter(|x| present(x)).cloned().collect(), defs)
}

/// Partition `f` as a Parquet file of one row group with the `columns` (names and
/// dtypes) of its frame: its index (if any) then its columns. A partition whose column
/// is int64 where the frame's is float64 is written as floats; one whose column is
/// float64 where the frame's is int64 (ints promoted by a missing value) as ints with
/// nulls.
///
/// ```
/// use daskling_kernels::dataframe::parquet::{write::write_part, ParquetFile};
/// use daskling_kernels::dataframe::{Column, Dtype, Frame};
/// let f = Frame {
///     names: vec!["x".to_string()].into(),
///     columns: vec![Column::Float64(vec![1.5, f64::NAN])],
///     index: None,
/// };
/// let bytes = write_part(&f, &[("x".into(), Dtype::Float64)]).unwrap();
/// let back = ParquetFile::from_end("x.parquet", bytes.len() as u64, &bytes).unwrap();
/// assert_eq!(back.num_rows(), 2);
/// ```
pub fn write_part(f: &Frame, columns: &[(String, Dtype)]) -> Result<Vec<u8>> {
    let (_, mine) = f.with_index();
    if mine.len() != columns.len() {
        return Err(Error::invalid(format!(
            "toParquet: a partition has {} columns, the frame {}",
            mine.len(),
            columns.len()
        )));
    }
    let mut w =
        SerializedFileWriter::new(Vec::new(), schema(columns)?, properties()).map_err(err)?;
    let mut g = w.next_row_group().map_err(err)?;
    for (c, (name, _)) in mine.iter().zip(columns) {
        let mut col = g.next_column().map_err(err)?.expect("a writer per column");
        let done = match (c, col.untyped()) {
            (Column::Int64(v), ColumnWriter::Int64ColumnWriter(w)) => {
                w.write_batch(v, Some(&vec![1; v.len()]), None)
            }
            (Column::Float64(v), ColumnWriter::Int64ColumnWriter(w)) => {
                if let Some(x) = v.iter().find(|x| !x.is_nan() && x.fract() != 0.0) {
                    return Err(Error::invalid(format!(
                        "toParquet: column {name} is int64 but a partition holds {x}"
                    )));
                }
                let (x, d) = levels(v, |x| !x.is_nan());
                let x: Vec<i64> = x.into_iter().map(|x| x as i64).collect();
                w.write_batch(&x, Some(&d), None)
            }
            (Column::Int64(v), ColumnWriter::DoubleColumnWriter(w)) => {
                let x: Vec<f64> = v.iter().map(|&x| x as f64).collect();
                w.write_batch(&x, Some(&vec![1; v.len()]), None)
            }
            (Column::Float64(v), ColumnWriter::DoubleColumnWriter(w)) => {
                let (x, d) = levels(v, |x| !x.is_nan());
                w.write_batch(&x, Some(&d), None)
            }
            (Column::Bool(v), ColumnWriter::BoolColumnWriter(w)) => {
                let (x, d) = levels(v, Option::is_some);
                let x: Vec<bool> = x.into_iter().flatten().collect();
                w.write_batch(&x, Some(&d), None)
            }
            (Column::String(v), ColumnWriter::ByteArrayColumnWriter(w)) => {
                let (x, d) = levels(v, Option::is_some);
                let x: Vec<ByteArray> = x
                    .into_iter()
                    .flatten()
                    .map(|s| ByteArray::from(s.as_bytes().to_vec()))
                    .collect();
                w.write_batch(&x, Some(&d), None)
            }
            (Column::Datetime(v), ColumnWriter::Int64ColumnWriter(w)) => {
                let (x, d) = levels(v, |&t| t != NAT);
                w.write_batch(&x, Some(&d), None)
            }
            (c, _) => {
                return Err(Error::invalid(format!(
                    "toParquet: column {name} is {} in a partition, not the frame's dtype",
                    c.dtype()
                )))
            }
        };
        done.map_err(err)?;
        col.close().map_err(err)?;
    }
    g.close().map_err(err)?;
    w.into_inner().map_err(err)
}

/// Parts made by [`write_part`] (of the same columns) as one file, a row group each
/// (parts of no rows left out), their column chunks copied as they are.
pub fn join_parts(parts: &[&[u8]]) -> Result<Vec<u8>> {
    let metas = parts
        .iter()
        .map(|p| {
            let len = super::footer_len("a part", p.len() as u64, p)?;
            ParquetMetaDataReader::decode_metadata(&p[p.len() - len..p.len() - super::TAIL])
                .map_err(err)
        })
        .collect::<Result<Vec<_>>>()?;
    let Some(first) = metas.first() else {
        return Err(Error::invalid("toParquet: no partitions"));
    };
    let schema = first.file_metadata().schema_descr().root_schema_ptr();
    let mut w = SerializedFileWriter::new(Vec::new(), schema, properties()).map_err(err)?;
    for (bytes, meta) in parts.iter().zip(&metas) {
        let source = Bytes::copy_from_slice(bytes);
        for group in meta.row_groups().iter().filter(|g| g.num_rows() > 0) {
            let mut g = w.next_row_group().map_err(err)?;
            for c in group.columns() {
                let close = ColumnCloseResult {
                    bytes_written: c.compressed_size() as u64,
                    rows_written: group.num_rows() as u64,
                    metadata: c.clone(),
                    bloom_filter: None,
                    column_index: None,
                    offset_index: None,
                };
                g.append_column(&source, close).map_err(err)?;
            }
            g.close().map_err(err)?;
        }
    }
    w.into_inner().map_err(err)
}
