//! How to read CSV text: pandas' `read_csv` options as the kernels take them — the
//! dialect that cuts text into records and fields, the rows that are skipped, what is
//! missing, how numbers are written, and the bytes' encoding and compression.

use serde::{Deserialize, Serialize};

use super::super::column::Dtype;

/// How to read CSV text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CsvOptions {
    /// How records and fields are written (separator, quoting, comments).
    pub dialect: Dialect,
    /// The first line (after skipped ones) names the columns (default true); else they
    /// are `names`, or `"0"`, `"1"`, ….
    pub header: bool,
    /// With `header`: the records (after skipped lines, blank and comment lines)
    /// passed over before the header (pandas' `header=N`); default 0.
    pub header_row: u64,
    /// Column names given (pandas' `names`): with `header`, they replace the header's.
    pub names: Option<Vec<String>>,
    /// Lines skipped at the start of each file, or the lines (from 0) skipped.
    pub skiprows: SkipRows,
    /// What a row with more fields than the header is (pandas' `on_bad_lines`).
    pub on_bad_lines: BadLines,
    /// Columns to read as datetimes.
    pub parse_dates: Vec<String>,
    /// Dtypes forced per column.
    pub dtype: Vec<(String, Dtype)>,
    /// What else counts as missing (pandas' `na_values`, `keep_default_na`).
    pub na_values: NaValues,
    /// How numbers are written (`thousands`, `decimal`).
    pub numbers: Numbers,
    /// The bytes' encoding and compression.
    pub text: TextFormat,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            dialect: Dialect::default(),
            header: true,
            header_row: 0,
            names: None,
            skiprows: SkipRows::None,
            on_bad_lines: BadLines::Error,
            parse_dates: vec![],
            dtype: vec![],
            na_values: NaValues::default(),
            numbers: Numbers::default(),
            text: TextFormat::default(),
        }
    }
}

impl CsvOptions {
    /// Whether a file can be cut at byte offsets and its blocks parsed apart: its
    /// bytes are text as they are (no compression, an ASCII-compatible encoding) and a
    /// record's end can be told from the parity of quotes before it (no escape
    /// character, no comments whose text could hold a quote, quotes doubled).
    ///
    /// ```
    /// use daskling_kernels::dataframe::csv::CsvOptions;
    /// let mut o = CsvOptions::default();
    /// assert!(o.splittable("a.csv"));
    /// assert!(!o.splittable("a.csv.gz"));
    /// o.dialect.comment = Some(b'#');
    /// assert!(!o.splittable("a.csv"));
    /// ```
    pub fn splittable(&self, file: &str) -> bool {
        let d = &self.dialect;
        d.escapechar.is_none()
            && d.comment.is_none()
            && d.doublequote
            && self.text.compression.of(file) == Compression::None
            && self.text.encoding.ascii_compatible()
    }
}

/// How CSV text is cut into records and fields (Python's `csv` dialect, as pandas
/// takes it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Dialect {
    /// Field separator (default `,`).
    pub sep: u8,
    /// The quote character (default `"`).
    pub quotechar: u8,
    /// A character that makes the next one literal (none by default).
    pub escapechar: Option<u8>,
    /// A quote inside a quoted field is written twice (default true).
    pub doublequote: bool,
    /// Spaces after a separator are not part of the field.
    pub skipinitialspace: bool,
    /// The rest of a line after this character (outside quotes) is not read; a line
    /// that is only a comment is no record.
    pub comment: Option<u8>,
    /// Blank lines are no rows (default true); else a blank line is a row of missing
    /// values.
    pub skip_blank_lines: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            sep: b',',
            quotechar: b'"',
            escapechar: None,
            doublequote: true,
            skipinitialspace: false,
            comment: None,
            skip_blank_lines: true,
        }
    }
}

/// Which lines are skipped (pandas' `skiprows`), counted from 0 at each file's start
/// (a line of a quoted field that runs over several belongs to the record it starts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SkipRows {
    /// None.
    #[default]
    None,
    /// The first `n` lines.
    Count(u64),
    /// These lines (sorted, from 0).
    Lines(Vec<u64>),
}

impl SkipRows {
    /// Whether the record starting on `line` (from 1) is skipped.
    pub fn skips(&self, line: u64) -> bool {
        match self {
            SkipRows::None => false,
            SkipRows::Count(n) => line <= *n,
            SkipRows::Lines(v) => v.binary_search(&(line - 1)).is_ok(),
        }
    }
}

/// What a row with more fields than the header is (pandas' `on_bad_lines`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BadLines {
    /// An error naming the file and line (the default).
    #[default]
    Error,
    /// Left out.
    Skip,
    /// Left out, with a warning naming the file and line reported with the result.
    Warn,
}

impl BadLines {
    /// The name pandas takes.
    pub fn python_name(self) -> &'static str {
        match self {
            BadLines::Error => "error",
            BadLines::Skip => "skip",
            BadLines::Warn => "warn",
        }
    }
}

/// How numbers are written: pandas' `thousands` and `decimal`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Numbers {
    /// A character that groups digits (`1,234`), ignored in numbers; none by default.
    pub thousands: Option<u8>,
    /// The decimal point (default `.`).
    pub decimal: u8,
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers {
            thousands: None,
            decimal: b'.',
        }
    }
}

impl Numbers {
    /// Whether numbers are written as Rust and JSON write them.
    pub fn plain(&self) -> bool {
        self.thousands.is_none() && self.decimal == b'.'
    }
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

/// The bytes of a file as they are stored: how its text is encoded and compressed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TextFormat {
    /// The text's encoding.
    pub encoding: Encoding,
    /// The file's compression.
    pub compression: Compression,
}

/// A text encoding pandas users pass as `encoding`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Encoding {
    /// UTF-8, a byte-order mark skipped (pandas' `utf-8` and `utf-8-sig`).
    #[default]
    Utf8,
    /// ISO-8859-1: each byte its own code point (Python's `latin-1`).
    Latin1,
    /// Windows-1252 (Python's `cp1252`).
    Windows1252,
    /// UTF-16, its byte order from the byte-order mark (little-endian without one).
    Utf16,
    /// UTF-16 little-endian.
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
}

impl Encoding {
    /// The encoding a Python codec name means (`utf-8`, `utf8`, `utf-8-sig`, `latin-1`,
    /// `latin1`, `iso-8859-1`, `cp1252`, `utf-16`, `utf-16-le`, …; any case).
    ///
    /// ```
    /// use daskling_kernels::dataframe::csv::Encoding;
    /// assert_eq!(Encoding::from_name("Latin-1"), Some(Encoding::Latin1));
    /// assert_eq!(Encoding::from_name("utf_8_sig"), Some(Encoding::Utf8));
    /// assert_eq!(Encoding::from_name("ebcdic"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Encoding> {
        let n: String = name
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect();
        Some(match n.as_str() {
            "utf8" | "utf8sig" | "u8" => Encoding::Utf8,
            "latin1" | "latin" | "l1" | "iso88591" | "iso885911987" => Encoding::Latin1,
            "cp1252" | "windows1252" => Encoding::Windows1252,
            "utf16" | "u16" => Encoding::Utf16,
            "utf16le" => Encoding::Utf16Le,
            "utf16be" => Encoding::Utf16Be,
            _ => return None,
        })
    }

    /// The name pandas takes.
    pub fn python_name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Latin1 => "latin-1",
            Encoding::Windows1252 => "cp1252",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf16Le => "utf-16-le",
            Encoding::Utf16Be => "utf-16-be",
        }
    }

    /// Whether ASCII bytes (separators, quotes, newlines) are themselves in the encoded
    /// text, so the raw bytes can be cut into lines.
    pub fn ascii_compatible(self) -> bool {
        !matches!(
            self,
            Encoding::Utf16 | Encoding::Utf16Le | Encoding::Utf16Be
        )
    }
}

/// A file's compression (pandas' `compression`; `Infer`, the default, reads the file
/// name's ending).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Compression {
    /// None.
    None,
    /// From the name: `.gz`, `.zst`, `.bz2`, else none.
    #[default]
    Infer,
    /// gzip.
    Gzip,
    /// Zstandard.
    Zstd,
    /// bzip2.
    Bz2,
}

impl Compression {
    /// The compression of the file `name` (`Infer` resolved by its ending).
    ///
    /// ```
    /// use daskling_kernels::dataframe::csv::Compression;
    /// assert_eq!(Compression::Infer.of("2012-05-01.csv.gz"), Compression::Gzip);
    /// assert_eq!(Compression::Infer.of("A.CSV.GZ"), Compression::Gzip);
    /// assert_eq!(Compression::Infer.of("a.csv"), Compression::None);
    /// assert_eq!(Compression::Zstd.of("a.csv"), Compression::Zstd);
    /// ```
    pub fn of(self, name: &str) -> Compression {
        if self != Compression::Infer {
            return self;
        }
        // Case aside, without a copy of the name (asked of each of 9,500 files).
        let ends = |ext: &str| {
            name.len() >= ext.len()
                && name.as_bytes()[name.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
        };
        [
            (".gz", Compression::Gzip),
            (".zst", Compression::Zstd),
            (".bz2", Compression::Bz2),
        ]
        .into_iter()
        .find(|(ext, _)| ends(ext))
        .map_or(Compression::None, |(_, c)| c)
    }

    /// The name pandas takes (`None` for no compression).
    pub fn python_name(self) -> Option<&'static str> {
        match self {
            Compression::None => None,
            Compression::Infer => Some("infer"),
            Compression::Gzip => Some("gzip"),
            Compression::Zstd => Some("zstd"),
            Compression::Bz2 => Some("bz2"),
        }
    }
}
