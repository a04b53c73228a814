//! CSV partitions to columns, with the `csv` crate underneath: schema inference from a
//! sample, then typed parsing of each partition, with errors that name the file, the
//! line and the column.

use serde::{Deserialize, Serialize};

mod fields;
mod records;
mod structural;

use fields::{parse_bool, parse_f64, parse_i64, strip_bom, trim, Builder, NaSet};
use records::Records;

use super::column::{Dtype, Frame};
use daskling_core::{Error, Result};

/// How to read CSV text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvOptions {
    /// Field separator (default `,`).
    pub sep: u8,
    /// The first line names the columns (default true); else they are `"0"`, `"1"`, ….
    pub header: bool,
    /// Columns to read as datetimes.
    pub parse_dates: Vec<String>,
    /// Dtypes forced per column.
    pub dtype: Vec<(String, Dtype)>,
    /// What else counts as missing (pandas' `na_values`, `keep_default_na`).
    #[serde(default)]
    pub na_values: NaValues,
}

/// The text a field has to be to count as missing: pandas' default set (unless
/// `keep_default` is false), plus `all` in every column and `columns`' own in theirs.
/// A field that reads as a number matches a numeric marker by value (`-999` also
/// matches `-999.0`), in text columns too, as pandas.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NaValues {
    /// pandas' default strings (`''`, `NA`, `NaN`, `null`, `#N/A`, …) count.
    pub keep_default: bool,
    /// Missing in every column.
    pub all: Vec<String>,
    /// Missing in one column each.
    pub columns: Vec<(String, Vec<String>)>,
}

impl Default for NaValues {
    fn default() -> Self {
        NaValues {
            keep_default: true,
            all: vec![],
            columns: vec![],
        }
    }
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            sep: b',',
            header: true,
            parse_dates: vec![],
            dtype: vec![],
            na_values: NaValues::default(),
        }
    }
}

/// Column names and types.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schema {
    /// Column names, in order.
    pub names: Vec<String>,
    /// Column dtypes, in order.
    pub dtypes: Vec<Dtype>,
}

fn reader<R: std::io::Read>(bytes: R, sep: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(bytes)
}

fn csv_err(file: &str, line: u64, column: Option<&str>, message: impl Into<String>) -> Error {
    Error::Csv {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message: message.into(),
    }
}

fn read_err(file: &str, first_line: u64, e: csv::Error) -> Error {
    let line = e
        .position()
        .map_or(first_line, |p| first_line + p.line() - 1);
    csv_err(file, line, None, e.to_string())
}

/// Column names from a header record as pandas' C parser makes them: a field as it is
/// (spaces kept), an empty one `Unnamed: i` (its position), and a name met before
/// mangled `a.1`, `a.2`, … skipping any name the header has (`a,a,a.1` gives `a`,
/// `a.2`, `a.1`).
fn names_of<'f>(fields: impl Iterator<Item = &'f [u8]>) -> Vec<String> {
    let mut header: Vec<String> = fields
        .enumerate()
        .map(|(i, f)| match f {
            b"" => format!("Unnamed: {i}"),
            f => String::from_utf8_lossy(f).into_owned(),
        })
        .collect();
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for i in 0..header.len() {
        let old = header[i].clone();
        let mut name = old.clone();
        let mut count = counts.get(&name).copied().unwrap_or(0);
        while count > 0 {
            counts.insert(old.clone(), count + 1);
            name = format!("{old}.{count}");
            if header.contains(&name) {
                count += 1;
            } else {
                count = counts.get(&name).copied().unwrap_or(0);
            }
        }
        counts.insert(name.clone(), count + 1);
        header[i] = name;
    }
    header
}

/// Whether the start of a file (`sample`) holds a data row: a record after the header
/// (when there is one) that is not a blank line. A file without one adds no rows, and
/// its dtypes cannot be learnt from it.
///
/// ```
/// use daskling_kernels::dataframe::csv::{has_rows, CsvOptions};
/// let o = CsvOptions::default();
/// assert!(!has_rows(b"a,b\n\n", &o));
/// assert!(has_rows(b"a,b\n1,2\n", &o));
/// ```
pub fn has_rows(sample: &[u8], opts: &CsvOptions) -> bool {
    let mut rd = reader(strip_bom(sample), opts.sep);
    let mut rec = csv::ByteRecord::new();
    let mut records = 0;
    while let Ok(true) = rd.read_byte_record(&mut rec) {
        if rec.len() == 1 && rec[0].is_empty() {
            continue;
        }
        records += 1;
        if records > usize::from(opts.header) {
            return true;
        }
    }
    false
}

/// Infers names and dtypes from the start of a file (`sample`; a last line that was
/// cut off is ignored when `complete` is false).
pub fn infer_schema(
    file: &str,
    sample: &[u8],
    complete: bool,
    opts: &CsvOptions,
) -> Result<Schema> {
    let mut text = strip_bom(sample);
    if !complete {
        // Only whole lines: up to the last newline.
        if let Some(end) = text.iter().rposition(|&c| c == b'\n') {
            text = &text[..=end];
        }
    }
    let mut rd = reader(text, opts.sep);
    let mut rec = csv::ByteRecord::new();
    let mut rows: Vec<csv::ByteRecord> = Vec::new();
    let mut names: Option<Vec<String>> = None;
    let mut first_line = 1;
    loop {
        match rd.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                if names.is_none() && opts.header {
                    names = Some(names_of(rec.iter()));
                    first_line = rec.position().map_or(1, |p| p.line()) + 1;
                    continue;
                }
                rows.push(rec.clone());
                if rows.len() >= 10_000 {
                    break;
                }
            }
            Err(e) => return Err(read_err(file, 1, e)),
        }
    }
    let names = match names {
        Some(n) => n,
        None if opts.header => {
            return Err(Error::NoHeader {
                file: file.to_string(),
                line: 1,
            })
        }
        None => match rows.first() {
            Some(r) => (0..r.len()).map(|i| i.to_string()).collect(),
            None => return Err(csv_err(file, 1, None, "the file is empty")),
        },
    };
    let n = names.len();
    // A row shorter than the header has missing values where it ends, as pandas pads it;
    // a longer one is an error (blank lines are no rows).
    rows.retain(|r| !(r.len() == 1 && r[0].is_empty() && n > 1));
    for r in &rows {
        if r.len() > n {
            let line = r.position().map_or(first_line, |p| p.line());
            return Err(too_many(file, line, n, r.len()));
        }
    }
    for want in opts
        .parse_dates
        .iter()
        .chain(opts.dtype.iter().map(|(c, _)| c))
    {
        if !names.contains(want) {
            return Err(csv_err(
                file,
                1,
                Some(want),
                format!("no such column (the columns are {})", names.join(", ")),
            ));
        }
    }
    let dtypes = (0..n)
        .map(|i| {
            let name = &names[i];
            if let Some((_, d)) = opts.dtype.iter().find(|(c, _)| c == name) {
                return *d;
            }
            if opts.parse_dates.contains(name) {
                return Dtype::Datetime;
            }
            // A header without rows: text columns, as pandas' object ones.
            if rows.is_empty() {
                return Dtype::String;
            }
            let na = NaSet::of(&opts.na_values, name);
            infer_column(rows.iter().map(|r| r.get(i).map(trim)), &na)
        })
        .collect();
    Ok(Schema { names, dtypes })
}

/// A parse error `message` of column `i` at `field`, saying — when its dtype was inferred
/// from the first rows, not given — which `dtype` to pass, as dask's message does.
fn with_dtype_hint(
    schema: &Schema,
    opts: &CsvOptions,
    i: usize,
    field: &[u8],
    message: String,
) -> String {
    let name = &schema.names[i];
    if opts.dtype.iter().any(|(c, _)| c == name) || opts.parse_dates.contains(name) {
        return message;
    }
    let fits = match schema.dtypes[i] {
        Dtype::Int64 | Dtype::Bool if parse_f64(trim(field)).is_some() => "float64",
        _ => "string",
    };
    format!(
        "{message}; the column's first rows made it {}: pass dtype: {{{name}: '{fits}'}} to readCsv",
        schema.dtypes[i]
    )
}

/// A row with more fields than the header, as pandas words it.
fn too_many(file: &str, line: u64, n: usize, found: usize) -> Error {
    csv_err(
        file,
        line,
        None,
        format!("expected {n} fields, saw {found} (a row may have fewer fields than the header, not more)"),
    )
}

/// The narrowest dtype all non-missing values fit: int64 (float64 if a value is
/// missing), float64, bool, else string. All missing: float64. `None` is a field a
/// short row does not have: missing.
fn infer_column<'a>(values: impl Iterator<Item = Option<&'a [u8]>> + Clone, na: &NaSet) -> Dtype {
    let present = || values.clone().flatten().filter(|v| !na.matches(v));
    if present().next().is_none() {
        return Dtype::Float64;
    }
    let any_na = values.clone().any(|v| v.is_none_or(|v| na.matches(v)));
    if present().all(|v| parse_i64(v).is_some()) {
        return if any_na { Dtype::Float64 } else { Dtype::Int64 };
    }
    if present().all(|v| parse_f64(v).is_some()) {
        return Dtype::Float64;
    }
    if present().all(|v| parse_bool(v).is_some()) {
        return Dtype::Bool;
    }
    Dtype::String
}

/// Parses one partition: `bytes` are whole lines of `file` starting at line
/// `first_line`; when `has_header` they start with the header, which must name the
/// schema's columns.
#[cfg(test)]
fn parse_partition(
    file: &str,
    bytes: &[u8],
    first_line: u64,
    has_header: bool,
    schema: &Schema,
    opts: &CsvOptions,
) -> Result<Frame> {
    parse_parts(file, &[bytes], first_line, has_header, schema, opts, None)
}

/// Parses whole lines given as consecutive pieces (a block and the start of the next,
/// read without joining them), keeping only the columns in `keep` (all when `None`;
/// the others are checked for their count but not parsed).
pub(crate) fn parse_parts(
    file: &str,
    pieces: &[&[u8]],
    first_line: u64,
    has_header: bool,
    schema: &Schema,
    opts: &CsvOptions,
    keep: Option<&[usize]>,
) -> Result<Frame> {
    let mut p = FrameParser::new(schema, opts, keep, pieces);
    p.parse(file, pieces, first_line, has_header)?;
    Ok(p.finish())
}

/// Parses several files' lines into one frame (a partition of many small files): the
/// columns grow file after file; errors name each file and its own line.
pub(crate) struct FrameParser<'s> {
    schema: &'s Schema,
    opts: &'s CsvOptions,
    kept: Vec<usize>,
    cols: Vec<Builder>,
    /// What is missing in each kept column.
    nas: Vec<NaSet>,
}

impl<'s> FrameParser<'s> {
    /// A parser of `schema`'s columns in `keep` (all when `None`) for `text`, whose size
    /// gives the columns' first capacity: a row per 48 bytes (the workshop's rows are
    /// ~60), growing if rows are shorter — a guess of a row per 16 bytes held 4× the
    /// memory a partition needs for as long as its frame lived, and counting the lines
    /// first cost a pass over the text.
    pub fn new(
        schema: &'s Schema,
        opts: &'s CsvOptions,
        keep: Option<&[usize]>,
        text: &[&[u8]],
    ) -> FrameParser<'s> {
        let n = schema.names.len();
        let kept: Vec<usize> = match keep {
            Some(k) => k.iter().copied().filter(|&i| i < n).collect(),
            None => (0..n).collect(),
        };
        let cap = 16 + text.iter().map(|t| t.len()).sum::<usize>() / 48;
        let cols = kept
            .iter()
            .map(|&i| Builder::new(schema.dtypes[i], cap))
            .collect();
        let nas = kept
            .iter()
            .map(|&i| NaSet::of(&opts.na_values, &schema.names[i]))
            .collect();
        FrameParser {
            schema,
            opts,
            kept,
            cols,
            nas,
        }
    }

    /// Appends the rows of whole lines of `file` given as consecutive pieces, the first
    /// on line `first_line`; when `has_header` they start with the header, which must
    /// name the schema's columns.
    pub fn parse(
        &mut self,
        file: &str,
        pieces: &[&[u8]],
        first_line: u64,
        has_header: bool,
    ) -> Result<()> {
        let (schema, opts) = (self.schema, self.opts);
        let n = schema.names.len();
        // A file's UTF-8 byte-order mark (Excel's "CSV UTF-8") is not part of its first
        // field, as pandas reads it.
        let unmarked: Vec<&[u8]>;
        let pieces = match pieces.split_first() {
            Some((head, rest)) if first_line == 1 && strip_bom(head).len() < head.len() => {
                unmarked = std::iter::once(strip_bom(head))
                    .chain(rest.iter().copied())
                    .collect();
                &unmarked[..]
            }
            _ => pieces,
        };
        let mut rd = Records::new(pieces, self.opts.sep);
        let mut header_seen = !has_header;
        let mut rows = 0u32;
        while let Some(at) = rd.next() {
            let line = first_line + at - 1;
            // A cancelled compute stops within a few thousand rows.
            rows = rows.wrapping_add(1);
            if rows.is_multiple_of(4096) {
                daskling_core::cancel::check()?;
            }
            if !header_seen {
                header_seen = true;
                let names = names_of((0..rd.len()).map(|i| rd.field(i)));
                if names != schema.names {
                    return Err(csv_err(
                        file,
                        line,
                        None,
                        format!(
                            "the header names the columns {} but the first file has {}",
                            names.join(", "),
                            schema.names.join(", ")
                        ),
                    ));
                }
                continue;
            }
            let have = rd.len();
            if have != n {
                // A blank line is no row (pandas skips them).
                if have == 1 && rd.field(0).is_empty() {
                    continue;
                }
                if have > n {
                    return Err(too_many(file, line, n, have));
                }
            }
            for ((b, &i), na) in self.cols.iter_mut().zip(&self.kept).zip(&self.nas) {
                if i >= have {
                    // A short row: missing where it ends, as pandas pads it.
                    b.push_missing();
                    continue;
                }
                b.push(rd.field(i), na).map_err(|m| {
                    let m = with_dtype_hint(schema, opts, i, rd.field(i), m);
                    csv_err(file, line, Some(&schema.names[i]), m)
                })?;
            }
        }
        if !header_seen {
            return Err(Error::NoHeader {
                file: file.to_string(),
                line: first_line,
            });
        }
        Ok(())
    }

    /// The frame of every row parsed.
    pub fn finish(self) -> Frame {
        Frame {
            names: self
                .kept
                .iter()
                .map(|&i| self.schema.names[i].clone())
                .collect::<Vec<_>>()
                .into(),
            columns: self.cols.into_iter().map(Builder::finish).collect(),
            index: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataframe::Column;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn opts() -> CsvOptions {
        CsvOptions {
            parse_dates: vec!["t".into()],
            ..CsvOptions::default()
        }
    }

    #[test]
    fn infers_and_parses_every_dtype() {
        let text = b"\xEF\xBB\xBFt,i,f,b,s,m\r\n2020-01-02 10:00:00,1,1.5,True,x,\r\n2020-01-03,2,2,false,\"a,b\",3\r\n";
        let s = infer_schema("a.csv", text, true, &opts()).unwrap();
        assert_eq!(s.names, ["t", "i", "f", "b", "s", "m"]);
        use Dtype::*;
        assert_eq!(s.dtypes, [Datetime, Int64, Float64, Bool, String, Float64]);
        let f = parse_partition("a.csv", text, 1, true, &s, &opts()).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f.columns[1], Column::Int64(vec![1, 2]));
        assert_eq!(f.columns[3], Column::Bool(vec![Some(true), Some(false)]));
        assert_eq!(
            f.columns[4],
            Column::String(vec![Some("x".into()), Some("a,b".into())])
        );
        match &f.columns[5] {
            Column::Float64(v) => assert!(v[0].is_nan() && v[1] == 3.0),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn header_names_and_short_rows_as_pandas() {
        let s = infer_schema(
            "h.csv",
            b" a,,a,a.1,a,\n1,2,3,4,5,6\n7\n",
            true,
            &CsvOptions::default(),
        )
        .unwrap();
        // pandas: [' a', 'Unnamed: 1', 'a', 'a.1', 'a.2', 'Unnamed: 5'] — a.1 taken, so
        // the second a becomes a.2.
        assert_eq!(
            s.names,
            [" a", "Unnamed: 1", "a", "a.1", "a.2", "Unnamed: 5"]
        );
        // The short row's missing values make the int columns float64.
        assert_eq!(
            s.dtypes,
            [
                Dtype::Int64,
                Dtype::Float64,
                Dtype::Float64,
                Dtype::Float64,
                Dtype::Float64,
                Dtype::Float64
            ]
        );
        let twice =
            infer_schema("h.csv", b"a,a,a.1\n1,2,3\n", true, &CsvOptions::default()).unwrap();
        assert_eq!(twice.names, ["a", "a.2", "a.1"]);
        let empty = infer_schema("e.csv", b"x,y\n", true, &opts()).unwrap_err();
        assert!(empty.to_string().contains("no such column"), "{empty}");
        let empty = infer_schema("e.csv", b"x,y\n", true, &CsvOptions::default()).unwrap();
        assert_eq!(empty.dtypes, [Dtype::String, Dtype::String]);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let text = b"t,i\n2020-01-02,1\n2020-01-03,x\n";
        let s = Schema {
            names: vec!["t".into(), "i".into()],
            dtypes: vec![Dtype::Datetime, Dtype::Int64],
        };
        let e = parse_partition("b.csv", text, 1, true, &s, &opts())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "b.csv, line 3, column i: cannot parse 'x' as int64; the column's first rows made it int64: pass dtype: {i: 'string'} to readCsv");
        let e = parse_partition("b.csv", b"t,i\n2020-13-01,1\n", 1, true, &s, &opts()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("b.csv, line 2, column t: cannot parse '2020-13-01'"),
            "{e}"
        );
        // A short row is padded with missing values, as pandas; a long one is an error.
        let f = parse_partition("b.csv", b"t,i\n2020-01-01\n", 1, true, &s, &opts()).unwrap();
        assert!(matches!(&f.columns[1], Column::Float64(v) if v[0].is_nan()));
        let e =
            parse_partition("b.csv", b"t,i\n2020-01-01,1,2\n", 1, true, &s, &opts()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("b.csv, line 2: expected 2 fields, saw 3"),
            "{e}"
        );
        // An int column meeting a float or a gap becomes float64.
        let f = parse_partition(
            "b.csv",
            b"t,i\n2020-01-01,1\n2020-01-02,\n",
            1,
            true,
            &s,
            &opts(),
        )
        .unwrap();
        assert!(matches!(&f.columns[1], Column::Float64(v) if v[0] == 1.0 && v[1].is_nan()));
        let e = infer_schema("c.csv", b"", true, &opts()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.csv, line 1: the file is empty (no header line)"
        );
        let e = infer_schema("d.csv", b"a,b\n1,2\n", true, &opts()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("d.csv, line 1, column t: no such column"),
            "{e}"
        );
    }

    #[test]
    fn quoted_newlines_stay_in_their_field_and_lines_count_from_the_record_start() {
        let text = b"s,i\n\"two\nlines\",1\nok,zz\n";
        let o = CsvOptions::default();
        let s = Schema {
            names: vec!["s".into(), "i".into()],
            dtypes: vec![Dtype::String, Dtype::Int64],
        };
        let e = parse_partition("q.csv", text, 1, true, &s, &o).unwrap_err();
        assert_eq!(
            e.to_string(),
            "q.csv, line 4, column i: cannot parse 'zz' as int64; the column's first rows made it int64: pass dtype: {i: 'string'} to readCsv"
        );
    }

    /// Two files into one frame; an error names its own file and line.
    #[test]
    fn frame_parser_grows_file_after_file() {
        let opts = CsvOptions::default();
        let schema = infer_schema("a.csv", b"x,y\n1,2\n", true, &opts).unwrap();
        let (a, b) = (&b"x,y\n1,2\n"[..], &b"x,y\n3,4\n5,6\n"[..]);
        let mut p = FrameParser::new(&schema, &opts, None, &[a, b]);
        p.parse("a.csv", &[a], 1, true).unwrap();
        p.parse("b.csv", &[b], 1, true).unwrap();
        assert_eq!(p.finish().len(), 3);
        let c = &b"x,y\n1,2\n3,z\n"[..];
        let mut p = FrameParser::new(&schema, &opts, None, &[c]);
        let e = p.parse("c.csv", &[c], 1, true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.csv, line 3, column y: cannot parse 'z' as int64; the column's first rows made it int64: pass dtype: {y: 'string'} to readCsv"
        );
    }

    #[test]
    fn a_byte_order_mark_starts_no_field_in_any_file_or_block() {
        let opts = CsvOptions::default();
        let a = "\u{feff}x,y\n1,2\n3,4\n".as_bytes();
        let schema = infer_schema("a.csv", a, true, &opts).unwrap();
        assert_eq!(schema.names, ["x", "y"]);
        // Two files, each with its mark and header, in one partition.
        let mut p = FrameParser::new(&schema, &opts, None, &[a]);
        p.parse("a.csv", &[a], 1, true).unwrap();
        p.parse("b.csv", &[a], 1, true).unwrap();
        let f = p.finish();
        assert_eq!(f.len(), 4);
        // A file split in blocks: the first starts at line 1 with the mark, the next
        // at line 3, in two pieces.
        let head = "\u{feff}x,y\n1,2\n".as_bytes();
        let tail = [&b"3,"[..], &b"4\n"[..]];
        let f1 = parse_parts("a.csv", &[head], 1, true, &schema, &opts, None).unwrap();
        let f2 = parse_parts("a.csv", &tail, 3, false, &schema, &opts, None).unwrap();
        assert_eq!((f1.len(), f2.len()), (1, 1));
        // Without a header the mark does not start the first value either.
        let bare = "\u{feff}5,6\n".as_bytes();
        let f3 = parse_parts("c.csv", &[bare], 1, false, &schema, &opts, None).unwrap();
        assert_eq!(f3.columns[0].f64_at(0), Some(5.0));
    }
}
