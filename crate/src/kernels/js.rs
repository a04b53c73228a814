//! Calls of JavaScript functions (`client.delayed`, `client.submit`): the task side.
//!
//! A call's arguments and result are JavaScript values encoded as bytes (the page's
//! `clone.js` format), so they can live in any worker's view of the shared memory; the
//! call itself needs a JavaScript realm, which only the wasm bindings have. They install
//! a [`Caller`] at start-up; without one (natively) a call is a task error.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::Value;
use crate::error::{Error, Result};

/// A JavaScript function as its source text, compiled once per worker where it runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct JsFunction {
    /// `fn.toString()`.
    pub source: Arc<str>,
    /// Shown in keys, labels and errors.
    pub name: Arc<str>,
}

/// How a dependency's value is handed to the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DepKind {
    /// Another call's result (encoded bytes).
    Call,
    /// A whole array: `{shape, data}` (a number when 0-d).
    Array,
    /// A dataframe: a Table.
    Frame,
    /// A series: a Column.
    Series,
    /// A number.
    Scalar,
}

/// One call: the function, its encoded arguments (with placeholders for the
/// dependencies, the task's inputs in order) and how each dependency is passed.
#[derive(Debug, Clone)]
pub struct JsCall {
    /// What to call.
    pub func: Arc<JsFunction>,
    /// Encoded arguments.
    pub args: Arc<[u8]>,
    /// One per task input.
    pub deps: Arc<[DepKind]>,
}

/// Runs a call in the current thread's JavaScript realm: the result's encoded bytes, or
/// the error message (what the function threw, with its stack).
pub type Caller = fn(&JsCall, &[Value]) -> std::result::Result<Value, String>;

static CALLER: OnceLock<Caller> = OnceLock::new();

/// Installs the caller (the wasm bindings do, once).
pub fn set_caller(caller: Caller) {
    let _ = CALLER.set(caller);
}

impl JsCall {
    /// Calls the function on `inputs` (the dependencies' values); `key` names the task.
    pub fn run(&self, key: &str, inputs: &[Value]) -> Result<Value> {
        if inputs.len() != self.deps.len() {
            return Err(Error::invalid(format!(
                "{key}: {} inputs for {} dependencies",
                inputs.len(),
                self.deps.len()
            )));
        }
        let caller = CALLER.get().ok_or_else(|| Error::TaskFailed {
            key: key.to_string(),
            message: format!(
                "{} is a JavaScript function: it runs only in the wasm build",
                self.func.name
            ),
        })?;
        caller(self, inputs).map_err(|message| Error::TaskFailed {
            key: key.to_string(),
            message,
        })
    }
}
