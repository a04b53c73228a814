//! Calls of JavaScript functions as lazy values (`client.delayed`): a call is one task
//! whose inputs are its lazy arguments — other calls, arrays, dataframes, series or
//! scalars — so calls mix freely with the other collections in one graph.
//!
//! A call's arguments and result are JavaScript values encoded as bytes (the package's
//! `clone.js` format), so they can live in any worker's view of the shared memory; the
//! call itself needs a JavaScript realm, which only the wasm bindings have. They give a
//! [`JsRunner`] to the [`Context`](crate::Context) that decodes expressions, and each
//! decoded call lowers to a [`Kernel::Remote`]: the scheduler's polling thread starts it
//! through the runner (in a function worker, where it can be stopped alone) or runs it
//! in place. A call built without a runner (natively) is a task error when it runs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::dataframe::Kind;
use super::walk::{post_order, unlink};
use super::{Expr, Lazy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::graph::{prefix_name, tokenize, Graph, Key, Task};
use crate::kernels::{Kernel, PendingCall, Remote, Value};

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
    /// Another call's result (an [`Encoded`] value).
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

/// A JavaScript value encoded as bytes: what a call returns, as a [`Value::Any`].
#[derive(Debug, Clone)]
pub struct Encoded(pub Arc<[u8]>);

/// The answer of the one call a task depends on (a partition's or block's function),
/// decoded.
pub(crate) fn answer(inputs: &[Value]) -> std::result::Result<super::js_value::JsVal, String> {
    match inputs {
        [v] => {
            let bytes = v
                .downcast::<Encoded>("a call's result")
                .map_err(|e| e.to_string())?;
            super::js_value::decode(&bytes.0)
        }
        _ => Err("expected the call's answer".into()),
    }
}

/// One call as its task runs it: the function, its encoded arguments (with placeholders
/// for the dependencies, the task's inputs in order) and how each dependency is passed.
#[derive(Debug, Clone)]
pub struct JsCall {
    /// What to call.
    pub func: Arc<JsFunction>,
    /// Encoded arguments.
    pub args: Arc<[u8]>,
    /// One per task input.
    pub deps: Arc<[DepKind]>,
}

/// Runs calls of JavaScript functions (the wasm bindings implement it).
pub trait JsRunner: Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe {
    /// Calls `call` on `inputs` (its dependencies' values) in the current thread's
    /// realm: the result (an [`Encoded`] value), or the error's message (what the
    /// function threw).
    fn call(&self, call: &JsCall, inputs: &[Value]) -> std::result::Result<Value, String>;

    /// Starts `call` on `inputs` elsewhere (a function worker), when this thread has
    /// somewhere to send it; `None` (the default): [`JsRunner::call`] runs it here.
    fn begin(&self, call: &JsCall, inputs: &[Value]) -> Option<Box<dyn PendingCall>> {
        let _ = (call, inputs);
        None
    }
}

/// A call of a JavaScript function on encoded arguments and lazy dependencies.
#[derive(Clone, Debug)]
pub struct Call(Arc<CallNode>);

/// What a [`Call`] holds.
#[derive(Debug)]
pub struct CallNode {
    /// The key's layer name, `<function name>-<token>`.
    pub name: String,
    /// The function.
    pub func: Arc<JsFunction>,
    /// Encoded arguments; dependency `i` stands where its placeholder is.
    pub args: Arc<[u8]>,
    /// The lazy arguments, in placeholder order.
    pub deps: Vec<Expr>,
    /// Where the call runs (none: natively, where it is a task error).
    pub runner: Option<Arc<dyn JsRunner>>,
}

impl std::fmt::Debug for dyn JsRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsRunner")
    }
}

impl Drop for CallNode {
    /// Drops long chains of calls iteratively (a loop of 100,000 calls would overflow
    /// the stack with the default recursive drop).
    fn drop(&mut self) {
        unlink(call_inputs(self), call_inputs);
    }
}

/// Takes the calls among `node`'s dependencies (the others drop on their own).
fn call_inputs(node: &mut CallNode) -> Vec<Arc<CallNode>> {
    let deps = std::mem::take(&mut node.deps).into_iter();
    deps.filter_map(|d| match d {
        Expr::Call(c) => Some(c.0),
        _ => None,
    })
    .collect()
}

static CALLS: AtomicU64 = AtomicU64::new(0);

impl Call {
    /// A call. `pure`: equal calls (same function, arguments and dependencies) are one
    /// task, as dask's `delayed(pure=True)`; otherwise every call is its own task (dask's
    /// default: a function may be random or read the clock).
    pub fn new(func: JsFunction, args: Vec<u8>, deps: Vec<Expr>, pure: bool) -> Call {
        let func = JsFunction {
            name: prefix_name(&func.name).into(),
            source: func.source,
        };
        let dep_names: Vec<&str> = deps.iter().map(Expr::name).collect();
        let token = if pure {
            tokenize(&(&func, &args, &dep_names))
        } else {
            let n = CALLS.fetch_add(1, Ordering::Relaxed);
            tokenize(&(&func, &args, &dep_names, n))
        };
        Call(Arc::new(CallNode {
            name: format!("{}-{token}", func.name),
            func: Arc::new(func),
            args: args.into(),
            deps,
            runner: None,
        }))
    }

    /// A call decoded from the wire: its name as it was built, run by `runner`.
    pub fn with_name(
        name: String,
        func: Arc<JsFunction>,
        args: Arc<[u8]>,
        deps: Vec<Expr>,
        runner: Option<Arc<dyn JsRunner>>,
    ) -> Result<Call> {
        let prefix = name.rsplit_once('-').map(|(p, _)| p);
        if prefix != Some(&*func.name) {
            return Err(Error::invalid(format!(
                "call {name:?} does not name its function {}",
                func.name
            )));
        }
        Ok(Call(Arc::new(CallNode {
            name,
            func,
            args,
            deps,
            runner,
        })))
    }

    /// What it holds.
    pub fn node(&self) -> &CallNode {
        &self.0
    }

    /// The key's layer name.
    pub fn name(&self) -> &str {
        &self.0.name
    }
}

fn dep_kind(e: &Expr) -> DepKind {
    match e {
        Expr::Call(_) => DepKind::Call,
        Expr::Array(_) => DepKind::Array,
        Expr::Df(d) => match d.kind() {
            Kind::Frame => DepKind::Frame,
            Kind::Series => DepKind::Series,
            Kind::Scalar => DepKind::Scalar,
        },
    }
}

impl Lazy for Call {
    /// Lowers the calls iteratively (a chain of calls can be long); other lazy arguments
    /// lower through their own collections.
    fn lower(&self, g: &mut Graph) -> Result<Key> {
        let key_of = |c: &Call| Key::named(c.name());
        let calls = |c: &Call| {
            let calls = c.0.deps.iter().filter_map(|d| match d {
                Expr::Call(inner) => Some(inner.clone()),
                _ => None,
            });
            calls.collect()
        };
        let done = |g: &Graph, c: &Call| g.contains(&key_of(c));
        post_order(g, [self.clone()], calls, done, |g, c| {
            let deps =
                c.0.deps
                    .iter()
                    .map(|d| match d {
                        Expr::Call(inner) => Ok(key_of(inner)),
                        other => other.lower(g),
                    })
                    .collect::<Result<Vec<Key>>>()?;
            let call = JsCall {
                func: c.0.func.clone(),
                args: c.0.args.clone(),
                deps: c.0.deps.iter().map(dep_kind).collect(),
            };
            g.insert(
                key_of(&c),
                Task::new(call_kernel(call, c.0.runner.clone()), deps),
            );
            Ok(())
        })?;
        Ok(key_of(self))
    }
}

/// The kernel of a call: started elsewhere or run in place through `runner`, or failing
/// to say where calls run.
pub(crate) fn call_kernel(call: JsCall, runner: Option<Arc<dyn JsRunner>>) -> Kernel {
    let name = call.func.name.clone();
    let call = Arc::new(call);
    let (c, r) = (call.clone(), runner.clone());
    let body = move |inputs: &[Value]| -> std::result::Result<Value, String> {
        check_inputs(&c, inputs)?;
        match &r {
            Some(r) => r.call(&c, inputs),
            None => Err(format!(
                "{} is a JavaScript function: it runs only in the wasm build",
                c.func.name
            )),
        }
    };
    let start = move |inputs: &[Value]| -> Option<Box<dyn PendingCall>> {
        check_inputs(&call, inputs).ok()?;
        runner.as_ref()?.begin(&call, inputs)
    };
    Kernel::Remote(Remote {
        name,
        body: Arc::new(body),
        start: Arc::new(start),
    })
}

/// An error unless there is one input per dependency.
fn check_inputs(call: &JsCall, inputs: &[Value]) -> std::result::Result<(), String> {
    if inputs.len() == call.deps.len() {
        return Ok(());
    }
    Err(format!(
        "{} inputs for {} dependencies",
        inputs.len(),
        call.deps.len()
    ))
}

/// The function of a `mapPartitions` or `mapBlocks`, its extra arguments (the partition
/// or block as dependency 0), and where it runs.
#[derive(Clone)]
pub struct PartitionFn {
    /// The function.
    pub func: Arc<JsFunction>,
    /// Its encoded arguments (`clone.js`), the partition as dependency 0.
    pub args: Arc<[u8]>,
    /// Where its calls run (set by the [`Context`](crate::Context) that decodes it;
    /// none: natively, where running it is a task error).
    pub runner: Option<Arc<dyn JsRunner>>,
}

impl std::fmt::Debug for PartitionFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} bytes of arguments)",
            self.func.name,
            self.args.len()
        )
    }
}

#[derive(Serialize, Deserialize)]
struct Wire {
    func: JsFunction,
    args: Vec<u8>,
}

impl Serialize for PartitionFn {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        Wire {
            func: (*self.func).clone(),
            args: self.args.to_vec(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PartitionFn {
    /// The function and arguments; a [`Context`](crate::Context) gives the runner.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<PartitionFn, D::Error> {
        let w = Wire::deserialize(d)?;
        Ok(PartitionFn {
            func: Arc::new(w.func),
            args: w.args.into(),
            runner: None,
        })
    }
}
