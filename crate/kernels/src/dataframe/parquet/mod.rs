//! Reading Parquet files: the footer (schema, row groups, statistics) read first, then
//! partitions decoded from only the column chunks a computation uses.
//!
//! The Apache `parquet` crate (arrow-rs) does the format — thrift metadata, pages,
//! encodings (plain, dictionary, RLE, delta) and codecs (snappy, gzip, lz4, zstd) —
//! through its low-level column readers, with no Arrow arrays in between: values land
//! straight in daskling's [`Column`]s. Types map as pandas' `read_parquet` gives them:
//!
//! | Parquet | dtype |
//! |---|---|
//! | boolean | bool (nulls: missing) |
//! | int32, int64 (signed or not, any width) | int64, or float64 when the column has nulls |
//! | float, double | float64 (nulls: NaN) |
//! | string (`BYTE_ARRAY`, UTF-8, enum, JSON) | string |
//! | timestamp (ms, µs, ns), int96 timestamps | datetime (milliseconds) |
//! | date | datetime (midnight) |
//!
//! Nested columns (lists, structs, maps), decimals and other fixed-length types are an
//! error naming the column. pyarrow's stored pandas index (`__index_level_0__`) is left
//! out, as `to_parquet(index=False)` would have written.

mod decode;
mod layout;
pub mod stats;
pub mod write;

use std::sync::Arc;

use parquet::basic::{LogicalType, TimeUnit, Type as Physical};
use parquet::file::metadata::{FooterTail, ParquetMetaData, ParquetMetaDataReader};
use parquet::schema::types::ColumnDescriptor;

use super::Dtype;
use daskling_core::{Error, Result};

pub use decode::decode;
pub use layout::{ParquetParse, ParquetSet, Piece};

/// Bytes of the fixed end of a Parquet file: the metadata's length and `PAR1`.
pub const TAIL: usize = 8;

/// How many bytes from the end of a file of `size` bytes hold its footer (metadata and
/// [`TAIL`]), from its last 8 bytes; an error naming `file` when they are no Parquet
/// ending.
///
/// ```
/// use daskling_kernels::dataframe::parquet::footer_len;
/// let mut tail = 300u32.to_le_bytes().to_vec();
/// tail.extend_from_slice(b"PAR1");
/// assert_eq!(footer_len("a.parquet", 1000, &tail).unwrap(), 308);
/// assert!(footer_len("a.csv", 1000, b"x,y\n1,2\n").is_err());
/// ```
pub fn footer_len(file: &str, size: u64, last8: &[u8]) -> Result<usize> {
    let bad =
        |why: &str| Error::invalid(format!("readParquet: {file} is not a Parquet file ({why})"));
    let tail: &[u8; TAIL] = last8
        .get(last8.len().saturating_sub(TAIL)..)
        .and_then(|t| t.try_into().ok())
        .ok_or_else(|| bad("shorter than a Parquet footer"))?;
    let t = FooterTail::try_new(tail).map_err(|_| match &tail[4..] {
        b"PARE" => bad("its footer is encrypted"),
        _ => bad("it does not end with PAR1: not Parquet, or cut short"),
    })?;
    let len = t.metadata_length() + TAIL;
    if len as u64 + 4 > size {
        return Err(bad(&format!(
            "its footer says {} bytes of metadata but the file has {size} bytes: cut short?",
            t.metadata_length()
        )));
    }
    Ok(len)
}

/// How a column's stored values become a [`Column`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    /// Booleans.
    Bool,
    /// 32-bit integers.
    Int32,
    /// 64-bit integers.
    Int64,
    /// 32-bit floats.
    Float,
    /// 64-bit floats.
    Double,
    /// Days since the epoch (int32).
    Date,
    /// A timestamp (int64) in units of `1/per_ms` of a millisecond (`per_ms` 1, 1000 or
    /// 1,000,000).
    Timestamp {
        /// Units per millisecond.
        per_ms: i64,
    },
    /// Impala's int96 timestamps (nanoseconds of the day, Julian day).
    Int96,
    /// UTF-8 text.
    Utf8,
}

/// A column of a Parquet file.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// Its dtype here.
    pub dtype: Dtype,
    /// Its index among the file's leaf columns (column chunks).
    pub leaf: usize,
    pub(crate) kind: Kind,
    /// Whether it may hold nulls (optional in the schema).
    pub nullable: bool,
}

/// A Parquet file's footer, decoded: what a read needs to plan its partitions and
/// decode them.
pub struct ParquetFile {
    /// The name in messages.
    pub name: Arc<str>,
    /// Size in bytes.
    pub size: u64,
    /// The footer's bytes (metadata and [`TAIL`]), as read.
    pub footer: Arc<[u8]>,
    /// The decoded metadata.
    pub meta: Arc<ParquetMetaData>,
    /// The columns a frame gets, in the file's order.
    pub fields: Vec<Field>,
}

// The metadata is never changed after decoding, so a panic cannot leave it half
// updated; the parquet crate's page-index provider (`dyn`) just does not say so.
impl std::panic::RefUnwindSafe for ParquetFile {}
impl std::panic::UnwindSafe for ParquetFile {}

impl std::fmt::Debug for ParquetFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let groups = self.meta.row_groups().len();
        write!(
            f,
            "{} ({} bytes, {groups} row groups)",
            self.name, self.size
        )
    }
}

impl ParquetFile {
    /// The file `name` of `size` bytes from its last bytes `end` (at least its
    /// [`footer_len`]; more is fine).
    ///
    /// ```
    /// use daskling_kernels::dataframe::parquet::ParquetFile;
    /// // Not a Parquet file: a clear error, not a panic.
    /// let e = ParquetFile::from_end("x.parquet", 12, b"hello world!").unwrap_err();
    /// assert!(e.to_string().contains("x.parquet"));
    /// ```
    pub fn from_end(name: &str, size: u64, end: &[u8]) -> Result<ParquetFile> {
        let len = footer_len(name, size, end)?;
        let Some(footer) = end
            .get(end.len() - len.min(end.len())..)
            .filter(|f| f.len() == len)
        else {
            return Err(Error::invalid(format!(
                "readParquet: {name}: its footer needs the last {len} bytes, given {}",
                end.len()
            )));
        };
        let meta = ParquetMetaDataReader::decode_metadata(&footer[..len - TAIL])
            .map_err(|e| Error::invalid(format!("readParquet: {name}: a corrupt footer ({e})")))?;
        let fields = fields(name, &meta)?;
        Ok(ParquetFile {
            name: name.into(),
            size,
            footer: footer.into(),
            meta: Arc::new(meta),
            fields,
        })
    }

    /// Rows in all row groups.
    pub fn num_rows(&self) -> u64 {
        self.meta
            .row_groups()
            .iter()
            .map(|g| g.num_rows().max(0) as u64)
            .sum()
    }

    /// The byte range of column chunk `leaf` of row group `group`, checked against the
    /// file's size.
    pub(crate) fn chunk_range(&self, group: usize, leaf: usize) -> Result<(u64, u64)> {
        let (start, len) = self.meta.row_group(group).column(leaf).byte_range();
        match start.checked_add(len) {
            Some(end) if end <= self.size => Ok((start, end)),
            _ => Err(Error::invalid(format!(
                "readParquet: {}: row group {group} points past the end of the file (bytes \
                 {start}..{}, the file has {}): cut short?",
                self.name,
                start.saturating_add(len),
                self.size
            ))),
        }
    }
}

/// The frame columns of a file's schema, each checked.
fn fields(file: &str, meta: &ParquetMetaData) -> Result<Vec<Field>> {
    let schema = meta.file_metadata().schema_descr();
    let mut out = vec![];
    for (leaf, c) in schema.columns().iter().enumerate() {
        let name = c.path().parts().join(".");
        if name.starts_with("__index_level_") {
            continue;
        }
        let unsupported = |what: String| {
            Error::invalid(format!(
                "readParquet: {file}: column {name} is {what}, which daskling does not read \
                 (pass columns without it)"
            ))
        };
        if c.max_rep_level() > 0 || c.path().parts().len() > 1 {
            return Err(unsupported("nested (a list, struct or map)".into()));
        }
        let kind = kind(c).ok_or_else(|| unsupported(describe(c)))?;
        let nullable = c.max_def_level() > 0;
        let has_nulls = nullable
            && meta.row_groups().iter().any(|g| {
                g.num_rows() > 0
                    && g.column(leaf).statistics().and_then(|s| s.null_count_opt()) != Some(0)
            });
        let dtype = match kind {
            Kind::Bool => Dtype::Bool,
            Kind::Int32 | Kind::Int64 if has_nulls => Dtype::Float64,
            Kind::Int32 | Kind::Int64 => Dtype::Int64,
            Kind::Float | Kind::Double => Dtype::Float64,
            Kind::Date | Kind::Timestamp { .. } | Kind::Int96 => Dtype::Datetime,
            Kind::Utf8 => Dtype::String,
        };
        out.push(Field {
            name,
            dtype,
            leaf,
            kind,
            nullable,
        });
    }
    Ok(out)
}

/// How a leaf column is read; `None` for types daskling has no dtype for.
fn kind(c: &ColumnDescriptor) -> Option<Kind> {
    let logical = c.logical_type_ref();
    Some(match (c.physical_type(), logical) {
        (_, Some(LogicalType::Decimal(_))) => return None,
        (Physical::BOOLEAN, _) => Kind::Bool,
        (Physical::INT32, Some(LogicalType::Date)) => Kind::Date,
        (Physical::INT32, None | Some(LogicalType::Integer(_))) => match c.converted_type() {
            parquet::basic::ConvertedType::DATE => Kind::Date,
            _ => Kind::Int32,
        },
        (Physical::INT64, Some(LogicalType::Timestamp(t))) => Kind::Timestamp {
            per_ms: match t.unit {
                TimeUnit::MILLIS => 1,
                TimeUnit::MICROS => 1_000,
                TimeUnit::NANOS => 1_000_000,
            },
        },
        (Physical::INT64, None | Some(LogicalType::Integer(_))) => match c.converted_type() {
            parquet::basic::ConvertedType::TIMESTAMP_MILLIS => Kind::Timestamp { per_ms: 1 },
            parquet::basic::ConvertedType::TIMESTAMP_MICROS => Kind::Timestamp { per_ms: 1_000 },
            _ => Kind::Int64,
        },
        (Physical::INT96, None) => Kind::Int96,
        (Physical::FLOAT, None) => Kind::Float,
        (Physical::DOUBLE, None) => Kind::Double,
        (
            Physical::BYTE_ARRAY,
            None | Some(LogicalType::String | LogicalType::Enum | LogicalType::Json),
        ) => Kind::Utf8,
        _ => return None,
    })
}

/// A column's Parquet type in words, for errors.
fn describe(c: &ColumnDescriptor) -> String {
    match c.logical_type_ref() {
        Some(l) => format!("{:?} ({l:?})", c.physical_type()),
        None => format!("{:?}", c.physical_type()),
    }
}
