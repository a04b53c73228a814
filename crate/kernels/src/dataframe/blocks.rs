//! Parsing the blocks of a large CSV file cut at byte offsets.
//!
//! Splitting a file stays correct with quoted fields that contain newlines: every block
//! is scanned once for its quote and newline counts (`Scan`), and a partition starts at
//! the first newline of its block that lies *outside* quotes — known from the parity
//! of all quotes before the block (RFC 4180 escapes a quote as `""`, which keeps the
//! parity). The newline counts give each partition its first line number for errors.

use std::sync::Arc;

use super::csv::{parse_parts, CsvOptions, Schema};
use super::values::{bytes, input, number};
use crate::Value;
use daskling_core::{Error, Result};

/// How many of `b`'s bytes are `x` and how many are `y`, in one pass. The counts of each
/// run of 255 bytes are summed in `u8` lanes, which compilers vectorize 16 or more bytes
/// at a time (simd128 in wasm; a plain `filter().count()` widened every byte to 64 bits
/// and took a quarter of the time of a whole read of a large file).
pub(super) fn count_two(b: &[u8], x: u8, y: u8) -> (u64, u64) {
    let (mut nx, mut ny) = (0u64, 0u64);
    for run in b.chunks(255) {
        let (mut cx, mut cy) = (0u8, 0u8);
        for &c in run {
            cx += u8::from(c == x);
            cy += u8::from(c == y);
        }
        nx += u64::from(cx);
        ny += u64::from(cy);
    }
    (nx, ny)
}

/// Where the lines of a block start: after the first newline outside quotes, given
/// whether the block begins inside quotes. `None` when no line starts in the block.
fn first_line_start(b: &[u8], mut in_quotes: bool, quote: u8) -> Option<usize> {
    for (i, &c) in b.iter().enumerate() {
        if c == quote {
            in_quotes = !in_quotes;
        } else if c == b'\n' && !in_quotes {
            return Some(i + 1);
        }
    }
    None
}

/// A scan's value: `[quotes, lines]` (read back by [`sum_scans`]).
pub(super) fn scan_value(quotes: u64, lines: u64) -> Value {
    Value::Tuple(vec![Value::F64(quotes as f64), Value::F64(lines as f64)].into())
}

/// The summed `[quotes, lines]` of scan values (of [`FrameKernel::Scan`] or
/// [`FrameKernel::ScanSum`]).
pub(super) fn sum_scans(key: &str, scans: &[Value]) -> Result<(u64, u64)> {
    let (mut quotes, mut lines) = (0u64, 0u64);
    for v in scans {
        quotes += number(key, v.item(key, 0)?)? as u64;
        lines += number(key, v.item(key, 1)?)? as u64;
    }
    Ok((quotes, lines))
}

/// Parses block `index` of `file` (the block, and the next one's bytes when it is not
/// the last: a record may run into it), the inputs of a `FrameKernel::ParseBlock`.
#[allow(clippy::too_many_arguments)]
pub(super) fn parse_block(
    key: &str,
    inputs: &[Value],
    file: &str,
    index: usize,
    last: bool,
    schema: &Schema,
    options: &CsvOptions,
    keep: Option<&[usize]>,
) -> Result<Value> {
    let own = bytes(key, input(key, inputs, 0)?)?;
    let quote = options.dialect.quotechar;
    let (next, scans_from) = if last {
        (None, 1)
    } else {
        (Some(bytes(key, input(key, inputs, 1)?)?), 2)
    };
    // Counts of the blocks before this one, then this block's scan.
    let Some((own_scan, before)) = inputs[scans_from..].split_last() else {
        return Err(Error::invalid(format!(
            "{key}: the block's scan is missing"
        )));
    };
    let (quotes_before, lines_before) = sum_scans(key, before)?;
    let own_quotes = number(key, own_scan.item(key, 0)?)? as u64;
    if index == 0 && !before.is_empty() {
        return Err(Error::invalid(format!(
            "{key}: counts before the first block"
        )));
    }
    let too_long = || Error::Csv {
        file: file.to_string(),
        line: lines_before + 1,
        column: None,
        message: "a line is longer than the blocksize; read with a larger blocksize".to_string(),
    };
    let start = if index == 0 {
        0
    } else {
        match first_line_start(own, quotes_before % 2 == 1, quote) {
            Some(s) => s,
            None => return Err(too_long()),
        }
    };
    let first_line = 1 + lines_before + count_two(&own[..start], b'\n', b'\n').0;
    // The partition runs into the next block up to its first line start; both
    // pieces are parsed in place, without joining them.
    let tail: &[u8] = match next {
        Some(next) => {
            let in_quotes = (quotes_before + own_quotes) % 2 == 1;
            let end = first_line_start(next, in_quotes, quote).ok_or_else(too_long)?;
            &next[..end]
        }
        None => &[],
    };
    let header = index == 0 && options.header;
    let f = parse_parts(
        file,
        &[&own[start..], tail],
        first_line,
        header,
        schema,
        options,
        keep,
    )
    .map_err(|e| match e {
        // Only blank lines in the first block of a file that goes on: its header
        // starts in a later block, which a split read cannot use as the header.
        Error::NoHeader { line, .. } if header && !last => Error::Csv {
            file: file.to_string(),
            line,
            column: None,
            message:
                "the header line does not start in the first block; read with a larger blocksize"
                    .into(),
        },
        other => other,
    })?;
    Ok(Value::Frame(Arc::new(f)))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn byte_counts_equal_a_plain_loop_across_run_boundaries() {
        // Lengths around the 255-byte runs, bytes from a fixed LCG.
        let mut x = 7u32;
        for len in [0usize, 1, 254, 255, 256, 510, 511, 4096, 100_003] {
            let b: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    [b'"', b'\n', b'a', b','][(x >> 16) as usize % 4]
                })
                .collect();
            let mut want = (0u64, 0u64);
            for &c in &b {
                want.0 += u64::from(c == b'"');
                want.1 += u64::from(c == b'\n');
            }
            assert_eq!(count_two(&b, b'"', b'\n'), want, "{len}");
        }
        // Every byte the same: 255-byte runs count up to 255 without wrapping.
        assert_eq!(count_two(&[b'"'; 1000], b'"', b'\n'), (1000, 0));
    }

    #[test]
    fn line_starts_skip_quoted_newlines() {
        assert_eq!(first_line_start(b"ab\ncd", false, b'"'), Some(3));
        assert_eq!(first_line_start(b"a\"b\nc\"\nd", false, b'"'), Some(7));
        // Starting inside quotes: the first newline is quoted.
        assert_eq!(first_line_start(b"x\n\"y\nz", true, b'"'), Some(5));
        assert_eq!(first_line_start(b"no newline", false, b'"'), None);
    }
}
