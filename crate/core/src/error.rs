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

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
