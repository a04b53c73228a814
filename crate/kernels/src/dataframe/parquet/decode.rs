//! Decoding a partition of a Parquet read: each column chunk it read (the bytes of
//! [`Piece::ranges`], joined) through the `parquet` crate's page and column readers,
//! nulls placed by the definition levels, values converted to daskling's columns.

use std::sync::Arc;

use bytes::{Buf, Bytes};
use parquet::column::reader::{get_column_reader, get_typed_column_reader, ColumnReader};
use parquet::data_type::{
    BoolType, ByteArrayType, DataType, DoubleType, FloatType, Int32Type, Int64Type, Int96Type,
};
use parquet::file::reader::{ChunkReader, Length};
use parquet::file::serialized_reader::SerializedPageReader;

use super::{Field, Kind, Piece};
use crate::dataframe::column::NAT;
use crate::dataframe::datetime::DAY_MS;
use crate::dataframe::{Column, Dtype, Frame};
use daskling_core::{Error, Result};

/// The Julian day of 1970-01-01 (int96 timestamps count Julian days).
const EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// The frame of `piece` with the fields `keep` (indices into its set's fields; all when
/// `None`), from `bytes`: the column chunks of [`Piece::ranges`] for those fields, joined
/// in that order.
pub fn decode(piece: &Piece, keep: Option<&[usize]>, bytes: &Arc<Vec<u8>>) -> Result<Frame> {
    let all: Vec<usize> = (0..piece.set.fields.len()).collect();
    let keep = keep.unwrap_or(&all);
    let ranges = piece.ranges(keep)?;
    let whole = Bytes::from_owner(Shared(bytes.clone()));
    let rows = piece.num_rows() as usize;
    let mut columns: Vec<Values> = keep
        .iter()
        .map(|&k| Values::new(piece.set.fields[k].dtype, rows))
        .collect();
    let mut at = 0usize;
    let mut range = ranges.iter();
    for &(f, g) in piece.groups.iter() {
        let (f, g) = (f as usize, g as usize);
        let file = &piece.set.files[f];
        let group = file.meta.row_group(g);
        let n = group.num_rows() as usize;
        for (c, &k) in keep.iter().enumerate() {
            let &(_, start, end) = range.next().expect("a range per chunk");
            let len = (end - start) as usize;
            let chunk = whole.slice(at.min(whole.len())..(at + len).min(whole.len()));
            if chunk.len() != len {
                return Err(Error::invalid(format!(
                    "readParquet: {}: read {} bytes of a {len}-byte column chunk",
                    file.name,
                    chunk.len()
                )));
            }
            at += len;
            let field = &piece.set.fields[k];
            let leaf = piece.leaf(f, k);
            let reader = Chunk {
                start,
                bytes: chunk,
                size: file.size,
            };
            let here = |e: String| {
                Error::invalid(format!(
                    "readParquet: {}: column {}, row group {g}: {e}",
                    file.name, field.name
                ))
            };
            let pages = SerializedPageReader::new(Arc::new(reader), group.column(leaf), n, None)
                .map_err(|e| here(e.to_string()))?;
            let descr = file.meta.file_metadata().schema_descr().column(leaf);
            let kind = file
                .fields
                .iter()
                .find(|x| x.leaf == leaf)
                .map_or(field.kind, |x| x.kind);
            read_chunk(
                get_column_reader(descr, Box::new(pages)),
                kind,
                n,
                field,
                &mut columns[c],
            )
            .map_err(here)?;
        }
    }
    Ok(Frame {
        names: keep
            .iter()
            .map(|&k| piece.set.fields[k].name.clone())
            .collect(),
        columns: columns.into_iter().map(Values::finish).collect(),
        index: None,
    })
}

/// Bytes of a read task shared, not copied, as `Bytes`.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// One column chunk's bytes, addressed by offsets in its file.
struct Chunk {
    start: u64,
    bytes: Bytes,
    size: u64,
}

impl Chunk {
    fn slice(&self, start: u64, len: Option<usize>) -> parquet::errors::Result<Bytes> {
        let from = start
            .checked_sub(self.start)
            .map(|s| s as usize)
            .filter(|&s| s <= self.bytes.len());
        let Some(from) = from else {
            return Err(parquet::errors::ParquetError::General(format!(
                "a page at byte {start} lies outside its column chunk"
            )));
        };
        let to = len.map_or(self.bytes.len(), |l| from + l);
        if to > self.bytes.len() {
            return Err(parquet::errors::ParquetError::EOF(format!(
                "a page runs past its column chunk (to byte {})",
                self.start + to as u64
            )));
        }
        Ok(self.bytes.slice(from..to))
    }
}

impl Length for Chunk {
    fn len(&self) -> u64 {
        self.size
    }
}

impl ChunkReader for Chunk {
    type T = bytes::buf::Reader<Bytes>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(self.slice(start, None)?.reader())
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.slice(start, Some(length))
    }
}

/// A column being filled, in its final dtype.
enum Values {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<Arc<str>>>),
    Time(Vec<i64>),
}

impl Values {
    fn new(dtype: Dtype, rows: usize) -> Values {
        match dtype {
            Dtype::Int64 => Values::Int(Vec::with_capacity(rows)),
            Dtype::Float64 => Values::Float(Vec::with_capacity(rows)),
            Dtype::Bool => Values::Bool(Vec::with_capacity(rows)),
            Dtype::String => Values::Text(Vec::with_capacity(rows)),
            Dtype::Datetime => Values::Time(Vec::with_capacity(rows)),
        }
    }

    fn finish(self) -> Column {
        match self {
            Values::Int(v) => Column::Int64(v),
            Values::Float(v) => Column::Float64(v),
            Values::Bool(v) => Column::Bool(v),
            Values::Text(v) => Column::String(v),
            Values::Time(v) => Column::Datetime(v),
        }
    }
}

/// A chunk's stored values (the non-null ones) and, for a nullable column, its
/// definition levels (a level below the maximum is a null).
type Stored<T> = (Vec<T>, Option<Vec<i16>>);

/// All `rows` values of a chunk.
fn read_all<T: DataType>(
    r: ColumnReader,
    rows: usize,
    nullable: bool,
) -> std::result::Result<Stored<T::T>, String> {
    let mut typed = get_typed_column_reader::<T>(r);
    let mut values = Vec::with_capacity(rows);
    let mut levels = nullable.then(|| Vec::with_capacity(rows));
    let mut done = 0;
    while done < rows {
        let (records, _, _) = typed
            .read_records(rows - done, levels.as_mut(), None, &mut values)
            .map_err(|e| e.to_string())?;
        if records == 0 {
            return Err(format!(
                "the row group has {rows} rows but its pages hold {done}"
            ));
        }
        done += records;
    }
    Ok((values, levels))
}

/// Places `values` (the non-null ones) at the rows the levels mark as present, `null`
/// elsewhere, each converted by `f`.
fn place<S, T>(
    out: &mut Vec<T>,
    values: Vec<S>,
    levels: Option<Vec<i16>>,
    max: i16,
    null: T,
    mut f: impl FnMut(S) -> T,
) where
    T: Clone,
{
    match levels {
        None => out.extend(values.into_iter().map(f)),
        Some(levels) => {
            let mut v = values.into_iter();
            out.extend(levels.iter().map(|&l| match l == max {
                true => v.next().map_or_else(|| null.clone(), &mut f),
                false => null.clone(),
            }));
        }
    }
}

/// Each field's values are filled in the dtype its kind gives ([`super::fields`]).
fn wrong(kind: Kind) -> ! {
    unreachable!("{kind:?} read into another dtype")
}

/// Reads one chunk of `rows` rows of `field` (stored as `kind`) onto `out`.
fn read_chunk(
    r: ColumnReader,
    kind: Kind,
    rows: usize,
    field: &Field,
    out: &mut Values,
) -> std::result::Result<(), String> {
    let nullable = field.nullable;
    // Columns are flat (nested ones are refused): present values have level 1.
    let max = 1;
    macro_rules! numbers {
        ($t:ty, $conv_i:expr, $conv_f:expr) => {{
            let (v, l) = read_all::<$t>(r, rows, nullable)?;
            match out {
                Values::Int(o) => {
                    if l.as_ref().is_some_and(|l| l.iter().any(|&x| x != max)) {
                        return Err("it has nulls, which its statistics did not say".into());
                    }
                    place(o, v, None, max, 0, $conv_i)
                }
                Values::Float(o) => place(o, v, l, max, f64::NAN, $conv_f),
                _ => wrong(kind),
            }
        }};
    }
    match kind {
        Kind::Int32 => numbers!(Int32Type, |x: i32| x as i64, |x: i32| x as f64),
        Kind::Int64 => numbers!(Int64Type, |x: i64| x, |x: i64| x as f64),
        Kind::Float => numbers!(FloatType, |x: f32| x as i64, |x: f32| x as f64),
        Kind::Double => numbers!(DoubleType, |x: f64| x as i64, |x: f64| x),
        Kind::Bool => {
            let Values::Bool(o) = out else { wrong(kind) };
            let (v, l) = read_all::<BoolType>(r, rows, nullable)?;
            place(o, v, l, max, None, Some);
        }
        Kind::Date => {
            let Values::Time(o) = out else { wrong(kind) };
            let (v, l) = read_all::<Int32Type>(r, rows, nullable)?;
            place(o, v, l, max, NAT, |d| d as i64 * DAY_MS);
        }
        Kind::Timestamp { per_ms } => {
            let Values::Time(o) = out else { wrong(kind) };
            let (v, l) = read_all::<Int64Type>(r, rows, nullable)?;
            place(o, v, l, max, NAT, |t| t.div_euclid(per_ms));
        }
        Kind::Int96 => {
            let Values::Time(o) = out else { wrong(kind) };
            let (v, l) = read_all::<Int96Type>(r, rows, nullable)?;
            place(o, v, l, max, NAT, |t| {
                let d = t.data();
                let nanos = (d[1] as i64) << 32 | d[0] as i64;
                (d[2] as i64 - EPOCH_JULIAN_DAY) * DAY_MS + nanos.div_euclid(1_000_000)
            });
        }
        Kind::Utf8 => {
            let Values::Text(o) = out else { wrong(kind) };
            let (v, l) = read_all::<ByteArrayType>(r, rows, nullable)?;
            let mut bad = false;
            place(o, v, l, max, None, |b| {
                match std::str::from_utf8(b.data()) {
                    Ok(s) => Some(Arc::from(s)),
                    Err(_) => {
                        bad = true;
                        None
                    }
                }
            });
            if bad {
                return Err("it holds bytes that are not UTF-8 text (a binary column?)".into());
            }
        }
    }
    Ok(())
}
