//! CSV partitions to columns: the text of each file (decompressed, decoded — `text`)
//! cut into records by csv-core or a SIMD split (`records`), a schema inferred from a
//! sample (`infer`), then typed parsing of each partition (`parse`), with pandas'
//! `read_csv` options ([`CsvOptions`]) and errors that name the file, the line and the
//! column.

use serde::{Deserialize, Serialize};

mod fields;
mod infer;
mod options;
mod parse;
mod records;
mod structural;
mod text;

pub use infer::{has_rows, infer_schema, sniff_sep};
pub use options::{
    BadLines, Compression, CsvOptions, Dialect, Encoding, NaValues, Numbers, SkipRows, TextFormat,
};
pub(crate) use parse::{parse_parts, FrameParser};

use super::column::Dtype;
use daskling_core::Error;

/// Column names and types.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schema {
    /// Column names, in order.
    pub names: Vec<String>,
    /// Column dtypes, in order.
    pub dtypes: Vec<Dtype>,
    /// The dtype of an implicit index: each row's first field, when the first data row
    /// has one field more than the header (or the names), as pandas reads it; unnamed.
    #[serde(default)]
    pub index: Option<Dtype>,
}

fn csv_err(file: &str, line: u64, column: Option<&str>, message: impl Into<String>) -> Error {
    Error::Csv {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message: message.into(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataframe::{Column, Frame};
    use daskling_core::Result;

    /// Parses one partition: whole lines of `file` from line `first_line`.
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
            index: None,
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
            index: None,
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

    #[test]
    fn an_implicit_index_when_rows_have_one_field_more() {
        let text = b"a,b\nx,1,2.5\ny,3,4\nz,5\n";
        let o = CsvOptions::default();
        let s = infer_schema("i.csv", text, true, &o).unwrap();
        assert_eq!(
            (s.names.clone(), s.index),
            (vec!["a".into(), "b".into()], Some(Dtype::String))
        );
        // The short last row: b missing, so float64 (it was in the sample).
        assert_eq!(s.dtypes, [Dtype::Int64, Dtype::Float64]);
        let f = parse_partition("i.csv", text, 1, true, &s, &o).unwrap();
        assert_eq!(f.columns[0], Column::Int64(vec![1, 3, 5]));
        let index = f.index.as_ref().unwrap();
        assert_eq!(
            index.1,
            Column::String(vec![Some("x".into()), Some("y".into()), Some("z".into())])
        );
        let e = parse_partition("i.csv", b"a,b\nx,1,2,3\n", 1, true, &s, &o).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("i.csv, line 2: expected 3 fields, saw 4"),
            "{e}"
        );
    }

    #[test]
    fn a_quoted_empty_field_is_a_field_and_a_blank_line_none() {
        let o = CsvOptions::default();
        // pandas: one column "Unnamed: 0", no rows.
        let s = infer_schema("q.csv", b"\"\"", true, &o).unwrap();
        assert_eq!(
            (s.names.clone(), s.dtypes.clone()),
            (vec!["Unnamed: 0".to_string()], vec![Dtype::String])
        );
        // In a one-column file a `""` row is a missing value, a blank line no row.
        let s = infer_schema("q.csv", b"a\n1\n\n\"\"\n2\n", true, &o).unwrap();
        let f = parse_partition("q.csv", b"a\n1\n\n\"\"\n2\n", 1, true, &s, &o).unwrap();
        assert_eq!(s.dtypes, [Dtype::Float64]);
        assert_eq!(f.len(), 3);
        assert!(f.columns[0].f64_at(1).is_none());
    }
}
