//! Where CSV bytes come from: files on disk (natively), bytes in memory, and — in the
//! browser — `File`s, `Blob`s and URLs read by the compute worker (see `bindings`).

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
        let end = end.min(self.len);
        let mut buf = vec![0u8; end.saturating_sub(start) as usize];
        f.seek(SeekFrom::Start(start))
            .and_then(|_| f.read_exact(&mut buf))
            .map_err(|e| format!("{}: {e}", self.name))?;
        Ok(buf)
    }
}
