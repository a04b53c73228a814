//! Fields of CSV records: what counts as missing, how numbers, bools and datetimes
//! parse, and the typed column [`Builder`] that a partition's fields are pushed into.

use std::sync::Arc;

use super::super::column::{Column, Dtype, NAT};
use super::super::datetime::{parse_datetime, DatetimeParser};

/// pandas' default strings for a missing value.
fn is_na(f: &[u8]) -> bool {
    matches!(
        f,
        b"" | b"#N/A"
            | b"#N/A N/A"
            | b"#NA"
            | b"-1.#IND"
            | b"-1.#QNAN"
            | b"-NaN"
            | b"-nan"
            | b"1.#IND"
            | b"1.#QNAN"
            | b"<NA>"
            | b"N/A"
            | b"NA"
            | b"NULL"
            | b"NaN"
            | b"None"
            | b"n/a"
            | b"nan"
            | b"null"
    )
}

/// What counts as missing in one column (see `NaValues`).
#[derive(Clone, Debug)]
pub(super) struct NaSet {
    default: bool,
    strings: Vec<Box<[u8]>>,
    numbers: Vec<f64>,
}

impl NaSet {
    /// The set of column `name`.
    pub(super) fn of(v: &super::NaValues, name: &str) -> NaSet {
        let own = v.columns.iter().filter(|(c, _)| c == name);
        let strings: Vec<Box<[u8]>> = v
            .all
            .iter()
            .chain(own.flat_map(|(_, s)| s))
            .map(|s| s.as_bytes().into())
            .collect();
        let numbers = strings
            .iter()
            .filter_map(|s| parse_f64(trim(s)))
            .filter(|x| !x.is_nan())
            .collect();
        NaSet {
            default: v.keep_default,
            strings,
            numbers,
        }
    }

    /// Whether the text `f` is missing.
    fn is_na(&self, f: &[u8]) -> bool {
        (self.default && is_na(f)) || self.strings.iter().any(|s| **s == *f)
    }

    /// Whether the number `x` is missing (a numeric column's value).
    fn is_na_number(&self, x: f64) -> bool {
        !self.numbers.is_empty() && self.numbers.contains(&x)
    }

    /// Whether `f` is missing as text or, read as a number, by value.
    pub(super) fn matches(&self, f: &[u8]) -> bool {
        self.is_na(f)
            || (!self.numbers.is_empty() && parse_f64(f).is_some_and(|x| self.is_na_number(x)))
    }
}

/// How numbers are written (`Numbers`), ready to rewrite a field as Rust parses it.
#[derive(Clone, Debug)]
pub(super) struct Numeric {
    thousands: Option<u8>,
    decimal: u8,
    /// Written as Rust parses them (no thousands, a `.`): fields are parsed as they are.
    plain: bool,
}

impl Numeric {
    pub(super) fn new(n: &super::Numbers) -> Numeric {
        Numeric {
            thousands: n.thousands,
            decimal: n.decimal,
            plain: n.plain(),
        }
    }

    /// `f` as Rust writes a number: the thousands character dropped, the decimal one a
    /// `.` (a `.` that is neither makes it no number, as pandas reads `1.5` with
    /// `decimal: ','`); `f` itself when numbers are written that way already.
    #[inline]
    pub(super) fn text<'a>(&self, f: &'a [u8], buf: &'a mut Vec<u8>) -> &'a [u8] {
        if self.plain {
            return f;
        }
        buf.clear();
        for &c in f {
            if Some(c) == self.thousands {
                continue;
            }
            buf.push(match c {
                c if c == self.decimal => b'.',
                b'.' => b'!',
                c => c,
            });
        }
        buf
    }
}

pub(super) fn trim(f: &[u8]) -> &[u8] {
    let s = f
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(f.len());
    let e = f
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |e| e + 1);
    &f[s..e]
}

pub(super) fn parse_i64(f: &[u8]) -> Option<i64> {
    lexical_core::parse::<i64>(f).ok()
}

pub(super) fn parse_f64(f: &[u8]) -> Option<f64> {
    match f {
        b"inf" | b"+inf" | b"Inf" | b"infinity" | b"Infinity" => Some(f64::INFINITY),
        b"-inf" | b"-Inf" | b"-infinity" | b"-Infinity" => Some(f64::NEG_INFINITY),
        _ => lexical_core::parse::<f64>(f).ok(),
    }
}

pub(super) fn parse_bool(f: &[u8]) -> Option<bool> {
    match f {
        b"True" | b"true" | b"TRUE" => Some(true),
        b"False" | b"false" | b"FALSE" => Some(false),
        _ => None,
    }
}

pub(super) fn show(f: &[u8]) -> String {
    let s = String::from_utf8_lossy(f);
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.into_owned()
    }
}

pub(super) fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// A column being filled.
pub(super) enum Builder {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<Option<bool>>),
    Str(Vec<Option<Arc<str>>>),
    Date(Vec<i64>, DatetimeParser),
}

impl Builder {
    pub(super) fn new(d: Dtype, cap: usize) -> Builder {
        match d {
            Dtype::Int64 => Builder::Int(Vec::with_capacity(cap)),
            Dtype::Float64 => Builder::Float(Vec::with_capacity(cap)),
            Dtype::Bool => Builder::Bool(Vec::with_capacity(cap)),
            Dtype::String => Builder::Str(Vec::with_capacity(cap)),
            Dtype::Datetime => Builder::Date(Vec::with_capacity(cap), DatetimeParser::default()),
        }
    }

    /// Adds a missing value: the field of a row shorter than the header (an int64
    /// column becomes float64, as pandas pads with NaN).
    pub(super) fn push_missing(&mut self) {
        match self {
            Builder::Int(v) => {
                let mut promoted: Vec<f64> = v.iter().map(|&x| x as f64).collect();
                promoted.push(f64::NAN);
                *self = Builder::Float(promoted);
            }
            Builder::Float(v) => v.push(f64::NAN),
            Builder::Bool(v) => v.push(None),
            Builder::Str(v) => v.push(None),
            Builder::Date(v, _) => v.push(NAT),
        }
    }

    /// Adds a field (numbers written as `num` says; `buf` room to rewrite them); an
    /// error message when it does not fit the column's type.
    #[inline(always)]
    pub(super) fn push(
        &mut self,
        field: &[u8],
        na: &NaSet,
        num: &Numeric,
        buf: &mut Vec<u8>,
    ) -> std::result::Result<(), String> {
        let raw = match self {
            Builder::Int(_) | Builder::Float(_) => num.text(field, buf),
            _ => field,
        };
        match self {
            Builder::Str(v) => {
                if na.matches(raw) {
                    v.push(None);
                } else {
                    let s = std::str::from_utf8(raw)
                        .map_err(|_| {
                            format!(
                                "'{}' is not valid UTF-8: pass the file's encoding to readCsv (e.g. encoding: 'latin-1')",
                                show(raw)
                            )
                        })?;
                    v.push(Some(Arc::from(s)));
                }
                return Ok(());
            }
            Builder::Int(v) => {
                let f = trim(raw);
                if let Some(x) = parse_i64(f) {
                    if !na.is_na_number(x as f64) {
                        v.push(x);
                        return Ok(());
                    }
                } else if !(na.is_na(trim(field)) || parse_f64(f).is_some()) {
                    return Err(format!("cannot parse '{}' as int64", show(field)));
                }
                // A float or a missing value: the column becomes float64, as pandas.
                let promoted: Vec<f64> = v.iter().map(|&x| x as f64).collect();
                *self = Builder::Float(promoted);
                return self.push(field, na, num, buf);
            }
            Builder::Float(v) => {
                // The common case first: a plain number, no spaces, no missing marker.
                if raw.first().is_some_and(u8::is_ascii_digit) {
                    if let Ok(x) = lexical_core::parse::<f64>(raw) {
                        v.push(if na.is_na_number(x) { f64::NAN } else { x });
                        return Ok(());
                    }
                }
                let f = trim(raw);
                if na.is_na(trim(field)) {
                    v.push(f64::NAN);
                } else {
                    let x = parse_f64(f)
                        .ok_or_else(|| format!("cannot parse '{}' as float64", show(field)))?;
                    v.push(if na.is_na_number(x) { f64::NAN } else { x });
                }
            }
            Builder::Bool(v) => {
                let f = trim(raw);
                if na.is_na(f) {
                    v.push(None);
                } else {
                    v.push(Some(parse_bool(f).ok_or_else(|| {
                        format!("cannot parse '{}' as bool", show(raw))
                    })?));
                }
            }
            Builder::Date(v, p) => {
                if raw.first().is_some_and(u8::is_ascii_digit) {
                    if let Some(t) = p.parse(raw) {
                        v.push(t);
                        return Ok(());
                    }
                }
                let f = trim(raw);
                if na.is_na(f) {
                    v.push(NAT);
                } else {
                    v.push(parse_datetime(f).ok_or_else(|| {
                        format!(
                            "cannot parse '{}' as a date (YYYY-MM-DD, optionally with HH:MM[:SS[.fff]])",
                            show(raw)
                        )
                    })?);
                }
            }
        }
        Ok(())
    }

    pub(super) fn finish(self) -> Column {
        match self {
            Builder::Int(v) => Column::Int64(v),
            Builder::Float(v) => Column::Float64(v),
            Builder::Bool(v) => Column::Bool(v),
            Builder::Str(v) => Column::String(v),
            Builder::Date(v, _) => Column::Datetime(v),
        }
    }
}
