//! Reading a task's inputs: the `Value`s a dataframe kernel expects (a partition, bytes,
//! a number), each a clear type error otherwise. A leaf module of `dataframe`, used by
//! `kernel` and `blocks`.

use super::column::Frame;
use crate::Value;
use daskling_core::{Error, Result};

/// A dataframe partition.
pub(super) fn frame<'a>(key: &str, v: &'a Value) -> Result<&'a Frame> {
    match v {
        Value::Frame(f) => Ok(f),
        _ => Err(Error::Type {
            key: key.to_string(),
            expected: "a dataframe partition",
        }),
    }
}

/// Bytes (a file or block).
pub(super) fn bytes<'a>(key: &str, v: &'a Value) -> Result<&'a [u8]> {
    match v {
        Value::Bytes(b) => Ok(b),
        _ => Err(Error::Type {
            key: key.to_string(),
            expected: "bytes",
        }),
    }
}

/// A number.
pub(super) fn number(key: &str, v: &Value) -> Result<f64> {
    match v {
        Value::F64(x) => Ok(*x),
        _ => Err(Error::Type {
            key: key.to_string(),
            expected: "a number",
        }),
    }
}

/// Input `i` of a task.
pub(super) fn input<'a>(key: &str, inputs: &'a [Value], i: usize) -> Result<&'a Value> {
    inputs
        .get(i)
        .ok_or_else(|| Error::invalid(format!("{key}: missing input {i}")))
}
