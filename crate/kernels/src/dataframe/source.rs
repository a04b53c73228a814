//! Where CSV bytes come from: files on disk (natively), bytes in memory, and — in the
//! browser — `File`s, `Blob`s and URLs read by the platform (see the wasm crate).
//!
//! A read task reads one or more [`Part`]s (a run of small files is read together, as
//! one partition) in one call, [`ByteSource::read_parts`]; where the platform can read in
//! the background (the browser's reader workers), the scheduler starts reads with
//! [`ByteSource::begin_read`] and keeps several in flight while the pool parses.

use std::fmt;
use std::sync::Arc;

/// A readable, sized run of bytes with a name for messages.
pub trait ByteSource: Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe {
    /// The name shown in errors (a file name or URL).
    fn name(&self) -> &str;
    /// Size in bytes.
    fn len(&self) -> u64;
    /// Whether it holds no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Bytes `start..end` (clamped to the size).
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String>;
    /// The platform's id of this source, when the platform reads several sources in one
    /// call (the wasm bindings: the compute worker's id of a `File`); `None` otherwise.
    fn batch_id(&self) -> Option<&str> {
        None
    }
    /// The bytes of `parts` (ranges of this source and others), joined. Called on the
    /// first part's source; a platform that joins reads (a browser reads a `Blob` made of
    /// many `File`s in one call) overrides it.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling_kernels::dataframe::source::{ByteSource, MemorySource, Part};
    /// let a: Arc<dyn ByteSource> = Arc::new(MemorySource::new("a.csv", b"x\n1\n".to_vec()));
    /// let b: Arc<dyn ByteSource> = Arc::new(MemorySource::new("b.csv", b"x\n2\n".to_vec()));
    /// let parts = [Part::whole(&a), Part::whole(&b)];
    /// assert_eq!(a.read_parts(&parts).unwrap(), b"x\n1\nx\n2\n");
    /// ```
    fn read_parts(&self, parts: &[Part]) -> Result<Vec<u8>, String> {
        read_each(parts)
    }
    /// Starts reading `parts` in the background and returns at once, where the platform
    /// can (the threaded browser build's reader workers); `None`: read them with
    /// [`ByteSource::read_parts`]. Called on the first part's source.
    fn begin_read(&self, _parts: &[Part]) -> Option<Box<dyn PendingRead>> {
        None
    }
}

/// A byte range of a source: one piece of a read task.
#[derive(Clone)]
pub struct Part {
    /// Where from.
    pub source: Arc<dyn ByteSource>,
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

impl Part {
    /// All of `source`.
    pub fn whole(source: &Arc<dyn ByteSource>) -> Part {
        Part {
            source: source.clone(),
            start: 0,
            end: source.len(),
        }
    }
}

/// The bytes of `parts`, each read with [`ByteSource::read`], joined.
pub fn read_each(parts: &[Part]) -> Result<Vec<u8>, String> {
    if let [one] = parts {
        return one.source.read(one.start, one.end);
    }
    let mut out = Vec::with_capacity(
        parts
            .iter()
            .map(|p| p.end.saturating_sub(p.start) as usize)
            .sum(),
    );
    for p in parts {
        out.extend_from_slice(&p.source.read(p.start, p.end)?);
    }
    Ok(out)
}

/// A read started by [`ByteSource::begin_read`]. Dropping it before it is done must be
/// safe: the platform's write into its buffer is waited for (or the buffer leaked).
pub trait PendingRead: Send {
    /// Whether the bytes are in (or the read failed).
    fn is_done(&self) -> bool;
    /// The bytes (or the error), once [`PendingRead::is_done`].
    fn finish(self: Box<Self>) -> Result<Vec<u8>, String>;
}

impl fmt::Debug for dyn ByteSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} bytes)", self.name(), self.len())
    }
}

/// Bytes held in memory.
pub struct MemorySource {
    name: String,
    data: Arc<[u8]>,
}

impl MemorySource {
    /// `data` named `name`.
    pub fn new(name: impl Into<String>, data: impl Into<Arc<[u8]>>) -> MemorySource {
        MemorySource {
            name: name.into(),
            data: data.into(),
        }
    }
}

impl ByteSource for MemorySource {
    fn name(&self) -> &str {
        &self.name
    }
    fn len(&self) -> u64 {
        self.data.len() as u64
    }
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        let n = self.data.len();
        let (s, e) = ((start as usize).min(n), (end as usize).min(n));
        Ok(self.data[s..e.max(s)].to_vec())
    }
}

/// A file on disk.
#[cfg(not(target_arch = "wasm32"))]
pub struct FileSource {
    path: std::path::PathBuf,
    name: String,
    len: u64,
}

#[cfg(not(target_arch = "wasm32"))]
impl FileSource {
    /// Opens `path` to learn its size.
    pub fn open(path: &std::path::Path) -> Result<FileSource, String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !meta.is_file() {
            return Err(format!("{}: not a file", path.display()));
        }
        Ok(FileSource {
            path: path.to_path_buf(),
            name: path.display().to_string(),
            len: meta.len(),
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ByteSource for FileSource {
    fn name(&self) -> &str {
        &self.name
    }
    fn len(&self) -> u64 {
        self.len
    }
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = std::fs::File::open(&self.path).map_err(|e| format!("{}: {e}", self.name))?;
        let want = end.min(self.len).saturating_sub(start);
        // Read into spare capacity: no zeroing of a buffer about to be overwritten.
        let mut buf = Vec::with_capacity(want as usize);
        f.seek(SeekFrom::Start(start))
            .and_then(|_| f.take(want).read_to_end(&mut buf))
            .map_err(|e| format!("{}: {e}", self.name))?;
        if (buf.len() as u64) < want {
            return Err(format!(
                "{}: the file ended at byte {} of {}..{} (it changed since it was listed)",
                self.name,
                start + buf.len() as u64,
                start,
                start + want
            ));
        }
        Ok(buf)
    }
}
