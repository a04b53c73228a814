//! Records of a partition, parsed in place with csv-core across consecutive byte
//! slices (a block and the start of the next), each with the line it starts on.

thread_local! {
    /// One csv-core reader per thread and separator: building its state machine costs
    /// more than parsing a small file.
    static CORE: std::cell::RefCell<Vec<(u8, csv_core::Reader)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Records of consecutive byte slices (a block and the start of the next, parsed in
/// place), with the line each record starts on.
pub(super) struct Records<'a> {
    /// Always `Some` until dropped (then back to the thread's cache).
    rdr: Option<csv_core::Reader>,
    sep: u8,
    pieces: &'a [&'a [u8]],
    pos: usize,
    out: Vec<u8>,
    ends: Vec<usize>,
    nfields: usize,
    done: bool,
}

impl<'a> Records<'a> {
    pub(super) fn new(pieces: &'a [&'a [u8]], sep: u8) -> Records<'a> {
        let rdr = CORE
            .with(|c| {
                let mut c = c.borrow_mut();
                let i = c.iter().position(|(s, _)| *s == sep)?;
                Some(c.swap_remove(i).1)
            })
            .unwrap_or_else(|| csv_core::ReaderBuilder::new().delimiter(sep).build());
        let mut rdr = rdr;
        rdr.reset();
        Records {
            rdr: Some(rdr),
            sep,
            pieces,
            pos: 0,
            out: vec![0; 1024],
            ends: vec![0; 64],
            nfields: 0,
            done: false,
        }
    }

    /// Moves to the next record; returns the line it starts on.
    pub(super) fn next(&mut self) -> Option<u64> {
        use csv_core::ReadRecordResult as R;
        if self.done {
            return None;
        }
        let rdr = self.rdr.as_mut()?;
        let line = rdr.line();
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
                    return Some(line);
                }
                R::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }

    pub(super) fn len(&self) -> usize {
        self.nfields
    }

    pub(super) fn field(&self, i: usize) -> &[u8] {
        let s = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.out[s..self.ends[i]]
    }
}

impl Drop for Records<'_> {
    fn drop(&mut self) {
        if let Some(rdr) = self.rdr.take() {
            let sep = self.sep;
            CORE.with(|c| c.borrow_mut().push((sep, rdr)));
        }
    }
}
