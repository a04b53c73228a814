//! What the start of a file tells before anything is parsed: its text (decompressed,
//! decoded, checked), whether it holds rows, its separator (`sep: null`), and the
//! schema — column names as pandas makes them and the narrowest dtype of each.

use std::borrow::Cow;

use super::fields::{parse_bool, parse_f64, parse_i64, strip_bom, trim, NaSet, Numeric};
use super::options::{BadLines, CsvOptions};
use super::records::Records;
use super::text::{check_text, clean, sample_text};
use super::{csv_err, too_many, Schema};
use crate::dataframe::column::Dtype;
use daskling_core::{Error, Result};

/// How many rows of a sample decide the dtypes.
const SAMPLE_ROWS: usize = 10_000;

/// Column names from a header record as pandas' C parser makes them: a field as it is
/// (spaces kept), an empty one `Unnamed: i` (its position), and a name met before
/// mangled `a.1`, `a.2`, … skipping any name the header has (`a,a,a.1` gives `a`,
/// `a.2`, `a.1`).
pub(super) fn names_of<'f>(fields: impl Iterator<Item = &'f [u8]>) -> Vec<String> {
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

/// The text of a file's start, ready to be cut into records: decompressed and decoded
/// (`complete`: `sample` is the whole file), checked to be text, its byte-order mark
/// and a last line cut off dropped, comments and initial spaces out.
fn sample_lines<'s>(
    file: &str,
    sample: &'s [u8],
    complete: bool,
    opts: &CsvOptions,
) -> Result<Cow<'s, [u8]>> {
    let (text, whole) = sample_text(
        file,
        sample,
        complete,
        &opts.text,
        4 * sample.len().max(1 << 16),
    )?;
    check_text(file, &text, !whole, &opts.text)?;
    let mut text = match text {
        Cow::Borrowed(b) => Cow::Borrowed(strip_bom(b)),
        Cow::Owned(b) => Cow::Owned(strip_bom(&b).to_vec()),
    };
    if !whole {
        // Only whole lines: up to the last newline.
        if let Some(end) = text.iter().rposition(|&c| c == b'\n') {
            text = match text {
                Cow::Borrowed(b) => Cow::Borrowed(&b[..=end]),
                Cow::Owned(mut b) => {
                    b.truncate(end + 1);
                    Cow::Owned(b)
                }
            };
        }
    }
    Ok(match clean(&[&text], &opts.dialect) {
        Some(c) => Cow::Owned(c),
        None => text,
    })
}

/// The records of a sample as the reader sees them: skipped lines out, and blank lines
/// and the records passed over (`header_row`) before the header; each with its line.
fn sample_records(text: &[u8], opts: &CsvOptions, limit: usize) -> Vec<(u64, Vec<Vec<u8>>)> {
    let pieces = [text];
    let mut rd = Records::new(&pieces, &opts.dialect);
    let mut out: Vec<(u64, Vec<Vec<u8>>)> = vec![];
    let mut passed = 0;
    while let Some(line) = rd.next() {
        if opts.skiprows.skips(line) {
            continue;
        }
        let blank = rd.is_blank();
        if blank && out.is_empty() && opts.header {
            continue;
        }
        if out.is_empty() && opts.header && passed < opts.header_row {
            passed += 1;
            continue;
        }
        // A blank line is no fields (a quoted `""` is one empty field).
        let fields = if blank { 0 } else { rd.len() };
        out.push((line, (0..fields).map(|i| rd.field(i).to_vec()).collect()));
        if out.len() >= limit {
            break;
        }
    }
    out
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
    let Ok(text) = sample_lines("", sample, false, opts) else {
        return false;
    };
    let header = usize::from(opts.header);
    sample_records(&text, opts, header + 1).len() > header
}

/// The separator of a file whose `sep` is not given, as pandas' python engine finds it
/// with `csv.Sniffer` on the first line (after skipped ones): the first of its
/// preferred `,` `\t` `;` space `:` the line holds outside quotes, else `|`; `,` when it
/// holds none (one column, where Python would pick a letter).
///
/// ```
/// use daskling_kernels::dataframe::csv::{sniff_sep, CsvOptions};
/// let o = CsvOptions::default();
/// assert_eq!(sniff_sep("a.csv", b"x;y;z\n1;2;3\n", true, &o).unwrap(), b';');
/// assert_eq!(sniff_sep("a.csv", b"\"a;b\"|c\n", true, &o).unwrap(), b'|');
/// ```
pub fn sniff_sep(file: &str, sample: &[u8], complete: bool, opts: &CsvOptions) -> Result<u8> {
    let text = sample_lines(file, sample, complete, opts)?;
    let q = opts.dialect.quotechar;
    let mut line = 0u64;
    for l in text.split(|&c| c == b'\n') {
        line += 1;
        if l.iter().all(u8::is_ascii_whitespace) || opts.skiprows.skips(line) {
            continue;
        }
        let mut in_quotes = false;
        let mut seen = [false; 256];
        for &c in l {
            if c == q {
                in_quotes = !in_quotes;
            } else if !in_quotes {
                seen[c as usize] = true;
            }
        }
        return Ok([b',', b'\t', b';', b' ', b':', b'|']
            .into_iter()
            .find(|&c| seen[c as usize])
            .unwrap_or(b','));
    }
    Ok(b',')
}

/// Infers names and dtypes from the start of a file (`sample`; a last line that was
/// cut off is ignored when `complete` is false).
pub fn infer_schema(
    file: &str,
    sample: &[u8],
    complete: bool,
    opts: &CsvOptions,
) -> Result<Schema> {
    let text = sample_lines(file, sample, complete, opts)?;
    let mut rows = sample_records(&text, opts, SAMPLE_ROWS + usize::from(opts.header));
    let header = match opts.header && !rows.is_empty() {
        true => Some(rows.remove(0)),
        false => None,
    };
    let first_line = header.as_ref().map_or(1, |h| h.0 + 1);
    let names = match (&opts.names, &header) {
        (Some(given), _) => {
            check_names(file, given)?;
            given.clone()
        }
        (None, Some((_, fields))) => names_of(fields.iter().map(|f| &f[..])),
        (None, None) if opts.header => {
            return Err(Error::NoHeader {
                file: file.to_string(),
                line: 1,
            })
        }
        (None, None) => match rows.first() {
            Some((_, r)) => (0..r.len()).map(|i| i.to_string()).collect(),
            None => return Err(csv_err(file, 1, None, "the file is empty")),
        },
    };
    let n = names.len();
    // A row shorter than the header has missing values where it ends, as pandas pads it;
    // a longer one is an error. Blank lines are rows only when they are kept.
    rows.retain(|(_, r)| !(r.is_empty() && opts.dialect.skip_blank_lines));
    // A first row one field longer: that field is the index, in every row (pandas'
    // implicit index).
    let implicit = rows.first().is_some_and(|(_, r)| r.len() == n + 1);
    let width = n + usize::from(implicit);
    // A longer row is an error, or — skipped when parsing — no sample of the dtypes.
    if opts.on_bad_lines == BadLines::Error {
        if let Some((line, r)) = rows.iter().find(|(_, r)| r.len() > width) {
            let line = (*line).max(first_line);
            if rows[0].1.len() == r.len() {
                // pandas makes the extra leading fields of every row a MultiIndex.
                return Err(csv_err(
                    file,
                    line,
                    None,
                    format!(
                        "the first row has {} fields and the header {n}: pandas would make the first {} an index of several levels, which daskling does not read (one extra field is an index); pass names, one per field",
                        r.len(),
                        r.len() - n
                    ),
                ));
            }
            return Err(too_many(file, line, width, r.len()));
        }
    }
    rows.retain(|(_, r)| r.len() <= width);
    let num = Numeric::new(&opts.numbers);
    let index = implicit.then(|| {
        let na = NaSet::of(&opts.na_values, "");
        infer_column(
            rows.iter().map(|(_, r)| r.first().map(|f| trim(f))),
            &na,
            &num,
        )
    });
    if implicit {
        for (_, r) in &mut rows {
            if !r.is_empty() {
                r.remove(0);
            }
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
            infer_column(
                rows.iter().map(|(_, r)| r.get(i).map(|f| trim(f))),
                &na,
                &num,
            )
        })
        .collect();
    Ok(Schema {
        names,
        dtypes,
        index,
    })
}

/// An error unless the given `names` are distinct, as pandas requires.
fn check_names(file: &str, names: &[String]) -> Result<()> {
    for (i, a) in names.iter().enumerate() {
        if names[..i].contains(a) {
            return Err(csv_err(
                file,
                1,
                None,
                format!("names: {a} is given twice (names must be distinct)"),
            ));
        }
    }
    Ok(())
}

/// The narrowest dtype all non-missing values fit: int64 (float64 if a value is
/// missing), float64, bool, else string. All missing: float64. `None` is a field a
/// short row does not have: missing.
fn infer_column<'a>(
    values: impl Iterator<Item = Option<&'a [u8]>> + Clone,
    na: &NaSet,
    num: &Numeric,
) -> Dtype {
    let present = || values.clone().flatten().filter(|v| !na.matches(v));
    if present().next().is_none() {
        return Dtype::Float64;
    }
    let any_na = values.clone().any(|v| v.is_none_or(|v| na.matches(v)));
    let mut buf = Vec::new();
    if present().all(|v| parse_i64(num.text(v, &mut buf)).is_some()) {
        return if any_na { Dtype::Float64 } else { Dtype::Int64 };
    }
    if present().all(|v| parse_f64(num.text(v, &mut buf)).is_some()) {
        return Dtype::Float64;
    }
    if present().all(|v| parse_bool(v).is_some()) {
        return Dtype::Bool;
    }
    Dtype::String
}
