//! Writing a partition as CSV text, as pandas' `to_csv(index=False)` writes it: floats
//! as Python's `repr` (`1.0`, `1e+16`), missing values as empty fields, bools as
//! `True` / `False`, text quoted only when it holds the separator, a quote or a line
//! break (quotes doubled), and datetimes as dates when every value of the partition is
//! at midnight, with milliseconds when one has them, else to the second — the choice
//! pandas makes per column, and dask's `to_csv` per partition. A frame with an index (a
//! groupby's result) has it written as its first column, as `reset_index()` would.

use std::io::Write;

use super::column::{Column, Frame, NAT};
use super::convert::python_float;
use super::datetime::{format_date, format_datetime, DAY_MS};

/// How a frame is written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CsvWrite {
    /// The field separator.
    pub sep: u8,
    /// Whether the header line (the column names) is written.
    pub header: bool,
}

impl Default for CsvWrite {
    fn default() -> Self {
        CsvWrite {
            sep: b',',
            header: true,
        }
    }
}

/// `f` as CSV text.
///
/// ```
/// use std::sync::Arc;
/// use daskling_kernels::dataframe::write_csv::{write_csv, CsvWrite};
/// use daskling_kernels::dataframe::{Column, Frame};
/// let f = Frame {
///     names: vec!["x".to_string(), "s".to_string()].into(),
///     columns: vec![
///         Column::Float64(vec![1.0, f64::NAN]),
///         Column::String(vec![Some(Arc::from("a,b")), None]),
///     ],
///     index: None,
/// };
/// let text = write_csv(&f, &CsvWrite::default());
/// assert_eq!(String::from_utf8(text).unwrap(), "x,s\n1.0,\"a,b\"\n,\n");
/// ```
pub fn write_csv(f: &Frame, o: &CsvWrite) -> Vec<u8> {
    let (names, columns) = f.with_index();
    let mut out = Vec::with_capacity(f.len() * 16 * columns.len().max(1) + 64);
    let sep = o.sep;
    if o.header {
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            text(&mut out, n, sep);
        }
        out.push(b'\n');
    }
    let times: Vec<TimeFormat> = columns.iter().map(|c| TimeFormat::of(c)).collect();
    for r in 0..f.len() {
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            match c {
                Column::Int64(v) => {
                    let _ = write!(out, "{}", v[r]);
                }
                Column::Float64(v) => {
                    if !v[r].is_nan() {
                        out.extend_from_slice(python_float(v[r]).as_bytes());
                    }
                }
                Column::Bool(v) => match v[r] {
                    Some(true) => out.extend_from_slice(b"True"),
                    Some(false) => out.extend_from_slice(b"False"),
                    None => {}
                },
                Column::String(v) => {
                    if let Some(s) = &v[r] {
                        text(&mut out, s, sep);
                    }
                }
                Column::Datetime(v) => times[i].write(&mut out, v[r]),
            }
        }
        out.push(b'\n');
    }
    out
}

/// Text, quoted (quotes doubled) when it holds the separator, a quote or a line break.
fn text(out: &mut Vec<u8>, s: &str, sep: u8) {
    let b = s.as_bytes();
    if b.iter()
        .any(|&c| c == sep || c == b'"' || c == b'\n' || c == b'\r')
    {
        out.push(b'"');
        for &c in b {
            if c == b'"' {
                out.push(b'"');
            }
            out.push(c);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(b);
    }
}

/// How a datetime column is spelled.
#[derive(Clone, Copy)]
enum TimeFormat {
    /// `YYYY-MM-DD`: every value at midnight.
    Date,
    /// `YYYY-MM-DD HH:MM:SS`.
    Seconds,
    /// `YYYY-MM-DD HH:MM:SS.fff`: some value has milliseconds.
    Millis,
}

impl TimeFormat {
    fn of(c: &Column) -> TimeFormat {
        let Column::Datetime(v) = c else {
            return TimeFormat::Seconds;
        };
        let present = || v.iter().copied().filter(|&t| t != NAT);
        if present().any(|t| t.rem_euclid(1000) != 0) {
            TimeFormat::Millis
        } else if present().all(|t| t.rem_euclid(DAY_MS) == 0) {
            TimeFormat::Date
        } else {
            TimeFormat::Seconds
        }
    }

    fn write(self, out: &mut Vec<u8>, t: i64) {
        if t == NAT {
            return;
        }
        match self {
            TimeFormat::Date => out.extend_from_slice(format_date(t.div_euclid(DAY_MS)).as_bytes()),
            TimeFormat::Seconds => out.extend_from_slice(format_datetime(t).as_bytes()),
            TimeFormat::Millis => {
                out.extend_from_slice(format_datetime(t).as_bytes());
                let _ = write!(out, ".{:03}", t.rem_euclid(1000));
            }
        }
    }
}
