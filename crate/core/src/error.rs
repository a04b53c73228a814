//! The one error type of every daskling crate: every fallible call returns
//! `Result<_, Error>`.

use std::fmt;

/// What went wrong, with enough context (key, kernel, file, line) to act on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A task depends on a key that is not in the graph.
    #[error("task {task} depends on {missing}, which is not in the graph")]
    MissingDependency {
        /// The task.
        task: String,
        /// The key it names.
        missing: String,
    },
    /// The graph has a cycle; `path` lists the keys on it.
    #[error("the graph has a cycle: {}", .path.join(" -> "))]
    Cycle {
        /// The keys on the cycle, in order.
        path: Vec<String>,
    },
    /// A requested output key is not in the graph.
    #[error("requested key {0} is not in the graph")]
    UnknownKey(String),
    /// A task failed while running; the compute stops and reports it.
    #[error("task {key} failed: {message}")]
    TaskFailed {
        /// The task's key.
        key: String,
        /// What went wrong.
        message: String,
    },
    /// The arguments of a call do not fit (a shape, an axis, chunks, ...).
    #[error("{0}")]
    Invalid(String),
    /// Bad CSV input: the file, the line (1-based) and, when known, the column.
    #[error("{file}, line {line}{}: {message}", .column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
    Csv {
        /// The file's name.
        file: String,
        /// The line, counted from 1 in the whole file.
        line: u64,
        /// The column's name, when known.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A CSV file (or the part of it read) has no header line: nothing but blank lines.
    /// A kind of its own because the split read recognises it (a header that starts
    /// after the first block).
    #[error("{file}, line {line}: the file is empty (no header line)")]
    NoHeader {
        /// The file's name.
        file: String,
        /// The line where the header was looked for.
        line: u64,
    },
    /// A compute would hold more memory than its limit allows.
    #[error("out of memory budget: {what} would bring the memory held to {}{}, over the memory limit of {} (Client.start({{ memoryLimit }})); use smaller chunks, reduce before computing, or release persisted values", bytes(*.needed), if *.held > 0 { format!(" ({} of it persisted arrays and data)", bytes(*.held)) } else { String::new() }, bytes(*.limit))]
    MemoryLimit {
        /// What needs the memory (a task and its result, a result's size).
        what: String,
        /// Bytes that would be held, `held` included.
        needed: u64,
        /// Bytes held before the compute (persisted arrays, data).
        held: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The compute was cancelled ([`crate::cancel::CancelToken::cancel`]): it stopped
    /// dispatching tasks and its running kernels stopped at their next block.
    #[error("the compute was cancelled")]
    Cancelled,
    /// A value had another type than the task expected.
    #[error("type mismatch in {key}: expected {expected}")]
    Type {
        /// The task's key.
        key: String,
        /// What it expected.
        expected: &'static str,
    },
}

impl Error {
    /// An [`Error::Invalid`] from anything printable.
    pub fn invalid(msg: impl fmt::Display) -> Self {
        Error::Invalid(msg.to_string())
    }
}

/// `n` bytes for people: `"512 B"`, `"3.20 MB"`, `"12.5 GB"` (decimal units, as dask prints).
///
/// ```
/// assert_eq!(daskling_core::error::bytes(3_200_000), "3.20 MB");
/// assert_eq!(daskling_core::error::bytes(12_500_000_000), "12.5 GB");
/// assert_eq!(daskling_core::error::bytes(128_000_000), "128 MB");
/// assert_eq!(daskling_core::error::bytes(512), "512 B");
/// ```
pub fn bytes(n: u64) -> String {
    const UNITS: [(&str, f64); 4] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)];
    for (unit, size) in UNITS {
        if n as f64 >= size {
            let x = n as f64 / size;
            return if x < 10.0 {
                format!("{x:.2} {unit}")
            } else if x < 100.0 {
                format!("{x:.1} {unit}")
            } else {
                format!("{x:.0} {unit}")
            };
        }
    }
    format!("{n} B")
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn csv_errors_name_file_line_and_column() {
        let e = Error::Csv {
            file: "a.csv".into(),
            line: 12,
            column: Some("high".into()),
            message: "not a number: x".into(),
        };
        assert_eq!(
            e.to_string(),
            "a.csv, line 12, column high: not a number: x"
        );
        let e = Error::NoHeader {
            file: "b.csv".into(),
            line: 1,
        };
        assert_eq!(
            e.to_string(),
            "b.csv, line 1: the file is empty (no header line)"
        );
    }

    #[test]
    fn memory_errors_give_sizes_in_decimal_units() {
        let e = Error::MemoryLimit {
            what: "the result".into(),
            needed: 128_000_000,
            held: 0,
            limit: 64_000_000,
        }
        .to_string();
        assert!(e.contains("128 MB") && e.contains("64.0 MB"), "{e}");
        assert!(!e.contains("of it persisted"), "{e}");
    }

    #[test]
    fn byte_counts_round_to_three_digits() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_000), "1.00 kB");
        assert_eq!(bytes(99_949_999), "99.9 MB");
        assert_eq!(bytes(3_500_000_000_000), "3.50 TB");
    }
}
