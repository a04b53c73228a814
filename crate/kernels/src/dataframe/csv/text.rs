//! A file's bytes as the text the records are cut from: decompressed and decoded to
//! UTF-8 (readCsv's `compression` and `encoding`), checked to be text, and — for the
//! `comment` and `skipinitialspace` options — with comments and spaces that start a
//! field taken out, lines kept, so the tokenizer and its line numbers stay as they are.

use std::borrow::Cow;
use std::io::Read;

use super::csv_err;
use super::options::{Compression, Dialect, Encoding, TextFormat};
use daskling_core::Result;

/// How files start that are not plain text: the first bytes, what to pass, and the
/// compression they are (if one readCsv reads).
const MAGIC: &[(&[u8], &str, Option<Compression>)] = &[
    (
        b"\x1f\x8b",
        "it looks gzip-compressed: pass compression: 'gzip'",
        Some(Compression::Gzip),
    ),
    (
        b"\x28\xb5\x2f\xfd",
        "it looks zstd-compressed: pass compression: 'zstd'",
        Some(Compression::Zstd),
    ),
    (
        b"BZh",
        "it looks bz2-compressed: pass compression: 'bz2'",
        Some(Compression::Bz2),
    ),
    (
        b"\xff\xfe",
        "it looks like UTF-16: pass encoding: 'utf-16'",
        None,
    ),
    (
        b"\xfe\xff",
        "it looks like UTF-16: pass encoding: 'utf-16'",
        None,
    ),
    (
        b"PK\x03\x04",
        "it looks like a zip archive: extract the CSV file first",
        None,
    ),
];

/// The decompressed bytes of `file` (all of them, or — `limit` — about the first
/// `limit`, when `bytes` may be only the compressed file's start) and whether they are
/// the whole text.
fn decompress<'b>(
    file: &str,
    bytes: &'b [u8],
    how: Compression,
    limit: Option<usize>,
) -> Result<(Cow<'b, [u8]>, bool)> {
    let Some(&(magic, _, _)) = MAGIC.iter().find(|m| m.2 == Some(how)) else {
        return Ok((Cow::Borrowed(bytes), true));
    };
    let name = how.python_name().unwrap_or_default();
    if !bytes.is_empty() && !bytes.starts_with(magic) {
        return Err(csv_err(
            file,
            1,
            None,
            format!("is not {name}-compressed (it does not start as {name} data): pass compression: null if it is plain text"),
        ));
    }
    let mut out = Vec::new();
    let mut reader: Box<dyn Read + '_> = match how {
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
        Compression::Bz2 => Box::new(bzip2::read::MultiBzDecoder::new(bytes)),
        _ => Box::new(ZstdFrames {
            input: bytes,
            frame: None,
        }),
    };
    let res = match limit {
        Some(n) => reader.by_ref().take(n as u64 + 1).read_to_end(&mut out),
        None => reader.read_to_end(&mut out),
    };
    match (res, limit) {
        // A sample: decompressed as far as the compressed start allows.
        (_, Some(n)) if out.len() > n => {
            out.truncate(n);
            Ok((Cow::Owned(out), false))
        }
        (Err(_), Some(_)) if !out.is_empty() => Ok((Cow::Owned(out), false)),
        (Ok(_), _) => Ok((Cow::Owned(out), true)),
        (Err(e), _) => Err(csv_err(
            file,
            1,
            None,
            format!("cannot decompress it as {name}: {e}"),
        )),
    }
}

/// The frames of a Zstandard stream, one after another (ruzstd's decoder reads one).
struct ZstdFrames<'b> {
    input: &'b [u8],
    frame: Option<ruzstd::decoding::StreamingDecoder<&'b [u8], ruzstd::decoding::FrameDecoder>>,
}

impl Read for ZstdFrames<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if let Some(f) = &mut self.frame {
                let n = f.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
                self.input = f.get_ref();
                self.frame = None;
            }
            if self.input.is_empty() {
                return Ok(0);
            }
            let f = ruzstd::decoding::StreamingDecoder::new(self.input)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            self.frame = Some(f);
        }
    }
}

/// `bytes` in `encoding` as UTF-8 (`last`: they end the file; else a character cut
/// at their end is left out).
fn decode<'b>(
    file: &str,
    bytes: Cow<'b, [u8]>,
    encoding: Encoding,
    last: bool,
) -> Result<Cow<'b, [u8]>> {
    let e = match encoding {
        Encoding::Utf8 => return Ok(bytes),
        Encoding::Latin1 => {
            let s: String = bytes.iter().map(|&b| b as char).collect();
            return Ok(Cow::Owned(s.into_bytes()));
        }
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
        Encoding::Utf16 | Encoding::Utf16Le => encoding_rs::UTF_16LE,
        Encoding::Utf16Be => encoding_rs::UTF_16BE,
    };
    // A byte-order mark decides UTF-16's order (and is no text), as Python's codec.
    let mut d = match encoding {
        Encoding::Utf16 => e.new_decoder(),
        _ => e.new_decoder_without_bom_handling(),
    };
    let mut out = String::with_capacity(
        d.max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (res, read) = d.decode_to_string_without_replacement(&bytes, &mut out, last);
    match res {
        encoding_rs::DecoderResult::Malformed(..) => {
            let line = 1 + out.bytes().filter(|&c| c == b'\n').count() as u64;
            Err(csv_err(
                file,
                line,
                None,
                format!(
                    "is not {} text (byte {} cannot be decoded): pass the file's encoding to readCsv",
                    encoding.python_name(),
                    read
                ),
            ))
        }
        _ => Ok(Cow::Owned(out.into_bytes())),
    }
}

/// The text of a whole file: decompressed and decoded to UTF-8.
pub(super) fn file_text<'b>(file: &str, bytes: &'b [u8], f: &TextFormat) -> Result<Cow<'b, [u8]>> {
    let (raw, _) = decompress(file, bytes, f.compression.of(file), None)?;
    decode(file, raw, f.encoding, true)
}

/// The text of a file's first bytes (`complete`: all of it), up to about `limit` bytes
/// of text, and whether that is all the file's text.
pub(super) fn sample_text<'b>(
    file: &str,
    bytes: &'b [u8],
    complete: bool,
    f: &TextFormat,
    limit: usize,
) -> Result<(Cow<'b, [u8]>, bool)> {
    let how = f.compression.of(file);
    let (raw, whole) = match how {
        Compression::None | Compression::Infer => (Cow::Borrowed(bytes), complete),
        _ => {
            // At least a whole first line (a 2 MB header compresses to 2 kB), up to
            // 256 MB of text.
            let mut limit = limit;
            loop {
                let (t, whole) = decompress(file, bytes, how, Some(limit))?;
                if whole || t.contains(&b'\n') || limit >= 1 << 28 {
                    break (t, whole && complete);
                }
                limit *= 8;
            }
        }
    };
    Ok((decode(file, raw, f.encoding, whole)?, whole))
}

/// An error unless `text` (a file's start, as UTF-8) looks like text: no NUL bytes
/// (binary data, or UTF-16 read as UTF-8), valid UTF-8 (`cut`: the last character may
/// be cut off). The error names the line and column and what to pass.
pub(super) fn check_text(file: &str, text: &[u8], cut: bool, f: &TextFormat) -> Result<()> {
    let at = |i: usize| {
        let line = 1 + text[..i].iter().filter(|&&c| c == b'\n').count() as u64;
        let col = i - text[..i]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1)
            + 1;
        (line, col)
    };
    // A NUL byte here and there is a character, as pandas reads it; many of them (a
    // tenth of the bytes of 64 or more: UTF-16, most binary formats) or the start of a
    // compressed or UTF-16 file are not text.
    let nuls = memchr::memchr_iter(0, text).count();
    let marked = MAGIC.iter().find(|m| text.starts_with(m.0));
    if nuls > 0 && ((text.len() >= 64 && nuls * 10 >= text.len()) || marked.is_some()) {
        let (line, col) = at(memchr::memchr(0, text).unwrap_or(0));
        let hint = marked.map_or(
            "a binary file is not CSV; text in another encoding needs the encoding option (e.g. encoding: 'utf-16')",
            |m| m.1,
        );
        let message = format!("does not look like text (a NUL byte at column {col}): {hint}");
        return Err(csv_err(file, line, None, message));
    }
    if f.encoding != Encoding::Utf8 {
        return Ok(());
    }
    if let Err(e) = std::str::from_utf8(text) {
        if !(cut && e.error_len().is_none()) {
            let i = e.valid_up_to();
            let (line, col) = at(i);
            let message = format!(
                "is not UTF-8 text (byte 0x{:02X} at column {col}): pass its encoding, e.g. encoding: 'latin-1' or 'cp1252'",
                text[i]
            );
            return Err(csv_err(file, line, None, message));
        }
    }
    Ok(())
}

/// `pieces` without comments and without the spaces that start fields, and with
/// unquoted fields that hold escapes quoted (when the dialect asks for any of them:
/// else `None`), every newline kept. Quotes are followed as the tokenizer follows them:
/// a quote opens a quoted field only at the field's start, a doubled one inside stays,
/// the escape character makes the next byte plain — also outside quotes, as pandas
/// reads `a\,b` as one field `a,b`, where csv-core honours escapes inside quotes only.
pub(super) fn clean(pieces: &[&[u8]], d: &Dialect) -> Option<Vec<u8>> {
    if d.comment.is_none() && !d.skipinitialspace && d.escapechar.is_none() {
        return None;
    }
    let mut out = Vec::with_capacity(pieces.iter().map(|p| p.len()).sum());
    let (mut in_quotes, mut field_start, mut closed) = (false, true, false);
    let (mut escaped, mut in_comment) = (false, false);
    // Where the current field starts in `out`, and whether an escape outside quotes
    // makes it need quotes.
    let (mut field_at, mut needs_quotes) = (0, false);
    for &c in pieces.iter().flat_map(|p| p.iter()) {
        if in_comment {
            if c == b'\n' || c == b'\r' {
                in_comment = false;
                field_start = true;
                field_at = out.len() + 1;
                out.push(c);
            }
            continue;
        }
        if escaped {
            escaped = false;
            field_start = false;
            out.push(c);
            continue;
        }
        if Some(c) == d.escapechar {
            escaped = true;
            needs_quotes |= !in_quotes && !closed;
            field_start = false;
            out.push(c);
            continue;
        }
        if in_quotes {
            if c == d.quotechar {
                in_quotes = false;
                closed = true;
            }
            out.push(c);
            continue;
        }
        if c == d.quotechar && (field_start || (closed && d.doublequote)) {
            in_quotes = true;
            field_start = false;
            out.push(c);
            continue;
        }
        let ends = c == d.sep || c == b'\n' || c == b'\r' || Some(c) == d.comment;
        if ends && needs_quotes {
            quote_field(&mut out, field_at, d);
            needs_quotes = false;
        }
        if Some(c) == d.comment {
            in_comment = true;
            closed = false;
            continue;
        }
        if c == b' ' && field_start && d.skipinitialspace {
            continue;
        }
        closed = closed && !ends;
        field_start = ends;
        out.push(c);
        if ends {
            closed = false;
            field_at = out.len();
        }
    }
    if needs_quotes {
        quote_field(&mut out, field_at, d);
    }
    Some(out)
}

/// The unquoted field at `out[at..]` (which holds escapes) quoted, its bare quote
/// characters escaped, so that csv-core reads it as pandas reads the unquoted field.
fn quote_field(out: &mut Vec<u8>, at: usize, d: &Dialect) {
    let (q, esc) = (d.quotechar, d.escapechar);
    let raw = out.split_off(at);
    out.push(q);
    let mut i = 0;
    while i < raw.len() {
        if Some(raw[i]) == esc {
            out.extend_from_slice(&raw[i..(i + 2).min(raw.len())]);
            i += 2;
            continue;
        }
        if raw[i] == q {
            out.extend(esc);
        }
        out.push(raw[i]);
        i += 1;
    }
    out.push(q);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn cleaned(text: &str, d: &Dialect) -> String {
        String::from_utf8(clean(&[text.as_bytes()], d).unwrap()).unwrap()
    }

    #[test]
    fn comments_and_initial_spaces_go_quotes_and_lines_stay() {
        let d = Dialect {
            comment: Some(b'#'),
            skipinitialspace: true,
            ..Dialect::default()
        };
        assert_eq!(
            cleaned("a, b # names\n#only\n1,  \"x # y\"  ,3\n", &d),
            "a,b \n\n1,\"x # y\"  ,3\n"
        );
        // A quote inside a field is plain; a doubled one inside quotes stays.
        assert_eq!(cleaned("a\"b, \"c\"\"#d\"#e\n", &d), "a\"b,\"c\"\"#d\"\n");
        let esc = Dialect {
            escapechar: Some(b'\\'),
            ..d
        };
        assert_eq!(cleaned("\\#a, \\\"b#c\n", &esc), "\"\\#a\",\"\\\"b\"\n");
        assert!(clean(&[b"a"], &Dialect::default()).is_none());
        // Escapes outside quotes: the field quoted for csv-core, its bare quotes escaped.
        let only = Dialect {
            escapechar: Some(b'\\'),
            ..Dialect::default()
        };
        assert_eq!(
            cleaned("a\\,b,c\nx\"y\\\\,\"q\"\n", &only),
            "\"a\\,b\",c\n\"x\\\"y\\\\\",\"q\"\n"
        );
    }

    #[test]
    fn compressed_text_whole_and_from_its_start() {
        let text: Vec<u8> = (0..5000)
            .flat_map(|i| format!("{i},{}\n", i * 3).into_bytes())
            .collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let f = TextFormat::default();
        assert_eq!(&*file_text("a.csv.gz", &gz, &f).unwrap(), &text[..]);
        // The compressed file's first 200 bytes give some text, not all of it.
        let (start, whole) = sample_text("a.csv.gz", &gz[..200], false, &f, 1 << 20).unwrap();
        assert!(!whole && !start.is_empty() && text.starts_with(&start));
        let (some, whole) = sample_text("a.csv.gz", &gz, true, &f, 100).unwrap();
        assert!(!whole && some.len() == 100 && text.starts_with(&some));
        // Two gzip members are one text, as Python's gzip reads them.
        let twice = [gz.clone(), gz.clone()].concat();
        assert_eq!(file_text("b.gz", &twice, &f).unwrap().len(), 2 * text.len());
        let e = file_text("c.csv.gz", b"x,y\n1,2\n", &f)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("is not gzip-compressed") && e.contains("compression: null"),
            "{e}"
        );
    }

    #[test]
    fn encodings_decode_and_text_is_checked() {
        let latin = b"n\ncaf\xe9\n";
        let f = TextFormat {
            encoding: Encoding::Latin1,
            ..TextFormat::default()
        };
        assert_eq!(
            &*file_text("l.csv", latin, &f).unwrap(),
            "n\ncafé\n".as_bytes()
        );
        let utf8 = TextFormat::default();
        let e = check_text("l.csv", latin, false, &utf8)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "l.csv, line 2: is not UTF-8 text (byte 0xE9 at column 4): pass its encoding, e.g. encoding: 'latin-1' or 'cp1252'");
        // UTF-16 with a byte-order mark, either order; a sample cut in a character.
        let mut le = vec![0xff, 0xfe];
        le.extend("a,é\n".encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xfe, 0xff];
        be.extend("a,é\n".encode_utf16().flat_map(u16::to_be_bytes));
        let u16f = TextFormat {
            encoding: Encoding::Utf16,
            ..TextFormat::default()
        };
        assert_eq!(
            &*file_text("u.csv", &le, &u16f).unwrap(),
            "a,é\n".as_bytes()
        );
        assert_eq!(
            &*file_text("u.csv", &be, &u16f).unwrap(),
            "a,é\n".as_bytes()
        );
        let (cut, _) = sample_text("u.csv", &le[..5], false, &u16f, 100).unwrap();
        assert_eq!(&*cut, b"a");
        let e = check_text("u.csv", &le, false, &utf8)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("NUL byte") && e.contains("encoding: 'utf-16'"),
            "{e}"
        );
        // A cut last character is fine in a sample.
        assert!(check_text(
            "s.csv",
            "ab\né".as_bytes().split_last().unwrap().1,
            true,
            &utf8
        )
        .is_ok());
    }
}
