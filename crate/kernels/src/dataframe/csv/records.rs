//! Records of a partition across consecutive byte slices (a block and the start of the
//! next), each with the line it starts on.
//!
//! Text with no quote and no carriage return — most machine-written CSV, the workshop's
//! among it — is split directly: lines at `\n`, fields at the separator, both found in
//! one SIMD pass over each piece ([`super::structural`]), fields borrowed from the input. Anything else goes
//! through csv-core's state machine (quoted fields with separators and newlines, CRLF or
//! CR line ends), which copies each field. Both give the same records on the same lines
//! (tested below); blank lines are no records.

use memchr::{memchr2, memchr3, memchr_iter};

use super::options::Dialect;
use super::structural::Positions;

thread_local! {
    /// One csv-core reader per thread and dialect: building its state machine costs
    /// more than parsing a small file.
    static CORE: std::cell::RefCell<Vec<(Dialect, csv_core::Reader)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether `pieces` can be split without csv-core: no quote, no carriage return, no
/// escape character.
fn plain(pieces: &[&[u8]], d: &Dialect) -> bool {
    pieces.iter().all(|p| match d.escapechar {
        None => memchr2(d.quotechar, b'\r', p).is_none(),
        Some(e) => memchr3(d.quotechar, b'\r', e, p).is_none(),
    })
}

/// Records of consecutive byte slices, with the line each record starts on.
pub(super) struct Records<'a> {
    /// csv-core's reader; `None` in plain mode (and once dropped).
    rdr: Option<csv_core::Reader>,
    /// The dialect: its separator, whether blank lines are records (of one empty
    /// field) or skipped, and what csv-core's reader was built for.
    dialect: Dialect,
    /// The current record is a blank line (not a quoted empty field: `""`).
    blank: bool,
    pieces: &'a [&'a [u8]],
    pos: usize,
    /// csv-core's field bytes; in plain mode, a line that runs across two pieces.
    out: Vec<u8>,
    /// csv-core's field ends.
    ends: Vec<usize>,
    nfields: usize,
    done: bool,
    /// Plain mode: the current line (borrowed, or `out` when it crossed pieces), its
    /// fields' ranges, and the number of the next line.
    line: &'a [u8],
    /// Plain mode: separators and newlines of the first piece from `pos` on.
    scan: Positions<'a>,
    joined: bool,
    bounds: Vec<(usize, usize)>,
    next_line: u64,
}

impl<'a> Records<'a> {
    pub(super) fn new(pieces: &'a [&'a [u8]], d: &Dialect) -> Records<'a> {
        Records::with(pieces, d, !plain(pieces, d))
    }

    /// With csv-core (`core`) or split directly (the text must then be plain).
    fn with(pieces: &'a [&'a [u8]], d: &Dialect, core: bool) -> Records<'a> {
        let sep = d.sep;
        let rdr = core.then(|| {
            let mut rdr = CORE
                .with(|c| {
                    let mut c = c.borrow_mut();
                    let i = c.iter().position(|(x, _)| x == d)?;
                    Some(c.swap_remove(i).1)
                })
                .unwrap_or_else(|| {
                    csv_core::ReaderBuilder::new()
                        .delimiter(sep)
                        .quote(d.quotechar)
                        .escape(d.escapechar)
                        .double_quote(d.doublequote)
                        .build()
                });
            rdr.reset();
            rdr
        });
        Records {
            rdr,
            dialect: d.clone(),
            blank: false,
            pieces,
            pos: 0,
            out: vec![0; if core { 1024 } else { 0 }],
            ends: vec![0; if core { 64 } else { 0 }],
            nfields: 0,
            done: false,
            line: &[],
            scan: Positions::new(pieces.first().copied().unwrap_or(&[]), sep, b'\n'),
            joined: false,
            bounds: Vec::new(),
            next_line: 1,
        }
    }

    /// Moves to the next record; returns the line it starts on.
    #[inline]
    pub(super) fn next(&mut self) -> Option<u64> {
        if self.done {
            return None;
        }
        if self.rdr.is_none() {
            return self.next_plain();
        }
        self.next_core()
    }

    /// The next non-blank line of plain text (csv-core skips blank lines too), split at
    /// the separator; blank ones too when they are records.
    #[inline(always)]
    fn next_plain(&mut self) -> Option<u64> {
        loop {
            let at = self.next_line_plain()?;
            self.blank = self.nfields == 1 && self.field(0).is_empty();
            if !self.dialect.skip_blank_lines || !self.blank {
                return Some(at);
            }
        }
    }

    /// The next line of plain text, split at the separator.
    fn next_line_plain(&mut self) -> Option<u64> {
        self.joined = false;
        self.bounds.clear();
        let Some(&p) = self.pieces.first() else {
            self.done = true;
            return None;
        };
        let begin = self.pos;
        let mut start = begin;
        for i in self.scan.by_ref() {
            self.bounds.push((start - begin, i - begin));
            if p[i] == b'\n' {
                self.line = &p[begin..i];
                self.pos = i + 1;
                return Some(self.numbered());
            }
            start = i + 1;
        }
        // The line runs on into the next pieces (or is the input's last).
        self.out.clear();
        self.out.extend_from_slice(&p[begin..]);
        self.next_piece();
        while let Some(&q) = self.pieces.first() {
            if let Some(e) = self.scan.find(|&i| q[i] == b'\n') {
                self.out.extend_from_slice(&q[..e]);
                self.pos = e + 1;
                break;
            }
            self.out.extend_from_slice(q);
            self.next_piece();
        }
        if self.out.is_empty() && self.pieces.is_empty() {
            self.done = true;
            return None;
        }
        self.joined = true;
        self.bounds.clear();
        let mut start = 0;
        for s in memchr_iter(self.dialect.sep, &self.out) {
            self.bounds.push((start, s));
            start = s + 1;
        }
        self.bounds.push((start, self.out.len()));
        Some(self.numbered())
    }

    /// Plain mode: on to the next piece, from its start.
    fn next_piece(&mut self) {
        self.pieces = &self.pieces[1..];
        self.pos = 0;
        let sep = self.dialect.sep;
        self.scan = Positions::new(self.pieces.first().copied().unwrap_or(&[]), sep, b'\n');
    }

    /// The number of the line just split (its fields' count recorded), and on to the next.
    fn numbered(&mut self) -> u64 {
        self.nfields = self.bounds.len();
        let at = self.next_line;
        self.next_line += 1;
        at
    }

    fn next_core(&mut self) -> Option<u64> {
        use csv_core::ReadRecordResult as R;
        // Blank lines before the record are skipped here, counted, so the record's line
        // is exact (csv-core skips them too, but its count would start at the first).
        while let Some(&p) = self.pieces.first() {
            match p.get(self.pos) {
                None => {
                    self.pieces = &self.pieces[1..];
                    self.pos = 0;
                }
                Some(b'\n') => {
                    self.next_line += 1;
                    self.pos += 1;
                    if !self.dialect.skip_blank_lines {
                        self.nfields = 1;
                        self.ends[0] = 0;
                        self.blank = true;
                        return Some(self.next_line - 1);
                    }
                }
                Some(b'\r') => self.pos += 1,
                Some(_) => break,
            }
        }
        let rdr = self.rdr.as_mut()?;
        let before = rdr.line();
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            // An empty input means the end to csv-core: skip exhausted pieces first.
            while let Some(p) = self.pieces.first() {
                if self.pos < p.len() {
                    break;
                }
                self.pieces = &self.pieces[1..];
                self.pos = 0;
            }
            let input: &[u8] = match self.pieces.first() {
                Some(p) => &p[self.pos..],
                None => &[],
            };
            let (res, nin, nout, nend) =
                rdr.read_record(input, &mut self.out[outlen..], &mut self.ends[endlen..]);
            self.pos += nin;
            outlen += nout;
            endlen += nend;
            match res {
                R::InputEmpty => {}
                R::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                R::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                R::Record => {
                    self.nfields = endlen;
                    self.blank = false;
                    let at = self.next_line;
                    self.next_line += rdr.line() - before;
                    return Some(at);
                }
                R::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }

    /// Whether the current record is a blank line (a record of one empty field that
    /// was no quoted `""`).
    #[inline]
    pub(super) fn is_blank(&self) -> bool {
        self.blank
    }

    #[inline]
    pub(super) fn len(&self) -> usize {
        self.nfields
    }

    #[inline(always)]
    pub(super) fn field(&self, i: usize) -> &[u8] {
        if self.rdr.is_none() {
            let (s, e) = self.bounds[i];
            let line: &[u8] = if self.joined { &self.out } else { self.line };
            return &line[s..e];
        }
        let s = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.out[s..self.ends[i]]
    }
}

impl Drop for Records<'_> {
    fn drop(&mut self) {
        if let Some(rdr) = self.rdr.take() {
            let d = std::mem::take(&mut self.dialect);
            CORE.with(|c| c.borrow_mut().push((d, rdr)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn all(pieces: &[&[u8]], sep: u8, core: bool) -> Vec<(u64, Vec<Vec<u8>>)> {
        let d = Dialect {
            sep,
            ..Dialect::default()
        };
        each(pieces, &d, core)
    }

    fn each(pieces: &[&[u8]], d: &Dialect, core: bool) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut r = Records::with(pieces, d, core);
        let mut out = vec![];
        while let Some(line) = r.next() {
            out.push((line, (0..r.len()).map(|i| r.field(i).to_vec()).collect()));
        }
        out
    }

    #[test]
    fn plain_splitting_gives_csv_cores_records_and_lines() {
        // Quote-free texts from a fixed LCG: fields, separators, newlines, blank lines,
        // with and without a last newline, cut into two pieces at every point.
        let mut x = 12345u32;
        let mut rnd = |n: u32| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) % n
        };
        for case in 0..300 {
            let sep = if case % 3 == 0 { b';' } else { b',' };
            let len = rnd(60) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| match rnd(10) {
                    0 | 1 => b'\n',
                    2 | 3 => sep,
                    4 => b' ',
                    _ => b'a' + rnd(3) as u8,
                })
                .collect();
            // By hand: the non-blank lines, numbered from 1, split at the separator.
            let want: Vec<(u64, Vec<Vec<u8>>)> = text
                .split(|&c| c == b'\n')
                .enumerate()
                .filter(|(_, l)| !l.is_empty())
                .map(|(i, l)| {
                    (
                        i as u64 + 1,
                        l.split(|&c| c == sep).map(<[u8]>::to_vec).collect(),
                    )
                })
                .collect();
            // csv-core gives the same records on the same lines.
            assert_eq!(all(&[&text], sep, true), want);
            for cut in 0..=text.len() {
                let (a, b) = text.split_at(cut);
                assert_eq!(
                    all(&[a, b], sep, false),
                    want,
                    "{:?} cut at {cut}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    #[test]
    fn text_with_quotes_or_carriage_returns_goes_to_csv_core() {
        let d = Dialect::default();
        assert!(plain(&[b"a,b\n1,2\n"], &d));
        assert!(!plain(&[b"a,b\n", b"\"1,5\",2\n"], &d));
        assert!(!plain(&[b"a,b\r\n1,2\r\n"], &d));
        let r = all(
            &[b"s,i\n\"x,y\",1\r\n"],
            b',',
            !plain(&[b"s,i\n\"x,y\",1\r\n"], &d),
        );
        assert_eq!(r[1].1, vec![b"x,y".to_vec(), b"1".to_vec()]);
        // CRLF, blank lines and a quoted newline: each record on the line it starts on.
        let text = b"a,b\r\n\r\n\"x\ny\",1\r\n\r\n2,3\r\n";
        let lines: Vec<u64> = all(&[text], b',', true).iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 3, 6]);
    }

    #[test]
    fn dialects_quote_escape_and_blank_lines() {
        let fields = |r: &[(u64, Vec<Vec<u8>>)]| -> Vec<(u64, Vec<String>)> {
            r.iter()
                .map(|(l, f)| {
                    (
                        *l,
                        f.iter()
                            .map(|x| String::from_utf8(x.clone()).unwrap())
                            .collect(),
                    )
                })
                .collect()
        };
        let single = Dialect {
            quotechar: b'\'',
            ..Dialect::default()
        };
        let text = b"a,b\n'x,y',\"q\"\n";
        assert!(!plain(&[text], &single));
        assert_eq!(fields(&each(&[text], &single, true))[1].1, ["x,y", "\"q\""]);
        let escaped = Dialect {
            escapechar: Some(b'\\'),
            doublequote: false,
            ..Dialect::default()
        };
        // The escape works inside quotes (csv-core's, where pandas' also works outside).
        let text = b"a,\"c\\\"d\"\n";
        assert!(!plain(&[b"a\\b\n"], &escaped));
        assert_eq!(fields(&each(&[text], &escaped, true))[0].1, ["a", "c\"d"]);
        // Blank lines as records, in both modes, with their line numbers.
        let blanks = Dialect {
            skip_blank_lines: false,
            ..Dialect::default()
        };
        let text = b"a,b\n\n1,2\n\n";
        let want = vec![
            (1, vec!["a".to_string(), "b".into()]),
            (2, vec!["".into()]),
            (3, vec!["1".into(), "2".into()]),
            (4, vec!["".into()]),
        ];
        assert_eq!(fields(&each(&[text], &blanks, false)), want);
        assert_eq!(fields(&each(&[text], &blanks, true)), want);
    }
}
