//! Parsing a partition's text into typed columns: the records of one or several files
//! (or of a block of one) pushed field by field into column builders, with the rows
//! `skiprows` names left out, the header checked, short rows padded, and errors that
//! name the file, the line and the column.

use std::borrow::Cow;

use super::fields::{parse_f64, strip_bom, trim, Builder, NaSet, Numeric};
use super::infer::names_of;
use super::options::{BadLines, CsvOptions, SkipRows};
use super::records::Records;
use super::text::{clean, file_text};
use super::{csv_err, too_many, Schema};
use crate::dataframe::column::{Column, Dtype, Frame};
use daskling_core::{Error, Result};

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

/// Parses whole lines given as consecutive pieces (a block and the start of the next,
/// read without joining them; in a single-byte encoding, each decoded apart), keeping
/// only the columns in `keep` (all when `None`; the others are checked for their count
/// but not parsed).
pub(crate) fn parse_parts(
    file: &str,
    pieces: &[&[u8]],
    first_line: u64,
    has_header: bool,
    schema: &Schema,
    opts: &CsvOptions,
    keep: Option<&[usize]>,
) -> Result<Frame> {
    let text = pieces
        .iter()
        .map(|p| file_text(file, p, &opts.text))
        .collect::<Result<Vec<Cow<[u8]>>>>()?;
    let text: Vec<&[u8]> = text.iter().map(|t| &t[..]).collect();
    let mut p = FrameParser::new(schema, opts, keep, &text);
    p.parse(file, &text, first_line, has_header)?;
    Ok(p.finish())
}

/// Parses several files' lines into one frame (a partition of many small files): the
/// columns grow file after file; errors name each file and its own line.
pub(crate) struct FrameParser<'s> {
    schema: &'s Schema,
    opts: &'s CsvOptions,
    /// The fields read, by position in the record: an implicit index's (0) first, then
    /// the kept columns'.
    fields: Vec<usize>,
    /// A builder per field read.
    cols: Vec<Builder>,
    /// What is missing in each field read.
    nas: Vec<NaSet>,
    /// How numbers are written.
    num: Numeric,
    /// Fields before the columns': 1 with an implicit index, else 0.
    shift: usize,
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
        let shift = usize::from(schema.index.is_some());
        let kept: Vec<usize> = match keep {
            Some(k) => k.iter().copied().filter(|&i| i < n).collect(),
            None => (0..n).collect(),
        };
        let cap = 16 + text.iter().map(|t| t.len()).sum::<usize>() / 48;
        // The index is read as one more field, ahead of the columns, so that the rows'
        // loop is the same with and without one.
        let index = schema.index.map(|d| (0, d, String::new()));
        let read: Vec<(usize, Dtype, String)> = index
            .into_iter()
            .chain(
                kept.iter()
                    .map(|&i| (i + shift, schema.dtypes[i], schema.names[i].clone())),
            )
            .collect();
        FrameParser {
            schema,
            opts,
            fields: read.iter().map(|r| r.0).collect(),
            cols: read.iter().map(|r| Builder::new(r.1, cap)).collect(),
            nas: read
                .iter()
                .map(|r| NaSet::of(&opts.na_values, &r.2))
                .collect(),
            num: Numeric::new(&opts.numbers),
            shift,
        }
    }

    /// Appends the rows of a whole file as it is stored (compressed, in another
    /// encoding: decoded first).
    pub fn parse_file(&mut self, file: &str, bytes: &[u8]) -> Result<()> {
        let text = file_text(file, bytes, &self.opts.text)?;
        self.parse(file, &[&text], 1, self.opts.header)
    }

    /// Appends the rows of whole lines of `file` (as text: decoded) given as consecutive
    /// pieces, the first on line `first_line`; when `has_header` they start with the
    /// header, which must name the schema's columns (unless names are given).
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
        let mut pieces = match pieces.split_first() {
            Some((head, rest)) if first_line == 1 && strip_bom(head).len() < head.len() => {
                unmarked = std::iter::once(strip_bom(head))
                    .chain(rest.iter().copied())
                    .collect();
                &unmarked[..]
            }
            _ => pieces,
        };
        let cleaned: Option<Vec<u8>> = clean(pieces, &opts.dialect);
        let one: [&[u8]; 1];
        if let Some(c) = &cleaned {
            one = [&c[..]];
            pieces = &one;
        }
        let mut rd = Records::new(pieces, &opts.dialect);
        let shift = self.shift;
        // Fields in a record: the index's, then the columns'.
        let n = n + shift;
        let skipping = opts.skiprows != SkipRows::None;
        let mut header_seen = !has_header;
        let mut passed = 0;
        let mut rows = 0u32;
        let mut buf = Vec::new();
        while let Some(at) = rd.next() {
            let line = first_line + at - 1;
            // A cancelled compute stops within a few thousand rows.
            rows = rows.wrapping_add(1);
            if rows.is_multiple_of(4096) {
                daskling_core::cancel::check()?;
            }
            if skipping && opts.skiprows.skips(line) {
                continue;
            }
            let have = rd.len();
            let blank = rd.is_blank();
            if !header_seen {
                if blank {
                    continue;
                }
                // Records before the header row (pandas' `header=N`) are no rows.
                if passed < opts.header_row {
                    passed += 1;
                    continue;
                }
                header_seen = true;
                if opts.names.is_none() {
                    let names = names_of((0..have).map(|i| rd.field(i)));
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
                }
                continue;
            }
            if have != n {
                // A blank line is no row (pandas skips them), unless they are kept.
                if blank && opts.dialect.skip_blank_lines {
                    continue;
                }
                if have > n {
                    match opts.on_bad_lines {
                        BadLines::Error => return Err(too_many(file, line, n, have)),
                        BadLines::Skip => continue,
                        BadLines::Warn => {
                            daskling_core::cancel::warn(format!(
                                "{file}, line {line}: skipped (expected {n} fields, saw {have})"
                            ));
                            continue;
                        }
                    }
                }
            }
            for ((b, &p), na) in self.cols.iter_mut().zip(&self.fields).zip(&self.nas) {
                if p >= have {
                    // A short row: missing where it ends, as pandas pads it.
                    b.push_missing();
                    continue;
                }
                let field = rd.field(p);
                b.push(field, na, &self.num, &mut buf)
                    .map_err(|m| match p.checked_sub(shift) {
                        Some(i) => {
                            let m = with_dtype_hint(schema, opts, i, field, m);
                            csv_err(file, line, Some(&schema.names[i]), m)
                        }
                        None => csv_err(
                            file,
                            line,
                            None,
                            format!("the index (the first field): {m}"),
                        ),
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
        let mut cols: Vec<Column> = self.cols.into_iter().map(Builder::finish).collect();
        let index = (self.shift == 1).then(|| std::sync::Arc::new((String::new(), cols.remove(0))));
        Frame {
            names: self.fields[self.shift..]
                .iter()
                .map(|&p| self.schema.names[p - self.shift].clone())
                .collect::<Vec<_>>()
                .into(),
            columns: cols,
            index,
        }
    }
}
