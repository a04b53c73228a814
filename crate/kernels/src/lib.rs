//! # daskling-kernels
//!
//! Kernels: plain functions on blocks and values — array blocks ([`array`](mod@array)), dataframe
//! partitions and CSV parsing ([`dataframe`]). They know nothing of graphs or JS.
//!
//! A [`Kernel`] is data — which computation, with which parameters — so a task can be
//! inspected, drawn and run on any thread. The exceptions are [`Kernel::Func`], an
//! opaque closure (a Rust function of `daskling::delayed`), and [`Kernel::Remote`],
//! work done outside the scheduler's threads (a call of a JavaScript function, which the
//! wasm bindings hand to a function worker).
//!
//! ```
//! use daskling_kernels::{Kernel, Value};
//! use daskling_kernels::array::{ArrayKernel, BinaryOp};
//!
//! let k = Kernel::Literal(Value::F64(2.0));
//! let v = k.run("two", &[]).unwrap();
//! assert!(matches!(v, Value::F64(x) if x == 2.0));
//! assert_eq!(Kernel::Array(ArrayKernel::Binary(BinaryOp::Add)).kind(), "add");
//! ```

// Unit tests run in headless Chromium as well as natively (wasm-pack test).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

pub mod array;
pub mod dataframe;
pub mod float;
pub(crate) mod moments;
pub mod names;

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use ndarray::ArrayD;

pub use array::ArrayKernel;
use daskling_core::{Error, Result};

/// A task's output: a float, an n-d block, or any Rust value (from `delayed`).
#[derive(Clone)]
pub enum Value {
    /// A plain number.
    F64(f64),
    /// A block of a chunked array (0-d for a full reduction).
    Block(Arc<ArrayD<f64>>),
    /// Raw bytes read from a source.
    Bytes(Arc<Vec<u8>>),
    /// A dataframe partition (a Series is a one-column frame).
    Frame(Arc<dataframe::Frame>),
    /// Several values made by one task (a QR's `q` and `r`).
    Tuple(Arc<[Value]>),
    /// Any value produced by a closure (a Rust `delayed` function's result, a
    /// JavaScript function's encoded result). Its memory is not counted.
    Any(Arc<dyn Any + Send + Sync>),
    /// A reduction's partial state (a groupby table, a set of distinct values), whose
    /// memory the schedulers count against a compute's budget.
    Partial(Arc<dyn Footprint>),
}

/// A value that knows roughly how much memory it holds.
pub trait Footprint: Any + Send + Sync {
    /// Bytes held (heap and inline), an estimate.
    fn nbytes(&self) -> u64;
}

impl Value {
    /// Wraps any `Send + Sync` value.
    pub fn any<T: Any + Send + Sync>(v: T) -> Self {
        Value::Any(Arc::new(v))
    }

    /// Wraps a partial state whose memory is counted.
    pub fn partial<T: Footprint>(v: T) -> Self {
        Value::Partial(Arc::new(v))
    }

    /// Bytes this value holds, as the memory budget counts them: blocks, bytes and
    /// frames exactly (strings by their text), partial states by their estimate,
    /// closures' values as nothing.
    ///
    /// ```
    /// use daskling_kernels::Value;
    /// let b = Value::Block(std::sync::Arc::new(ndarray::ArrayD::zeros(ndarray::IxDyn(&[10, 10]))));
    /// assert_eq!(b.nbytes(), 800);
    /// assert_eq!(Value::F64(1.0).nbytes(), 8);
    /// ```
    pub fn nbytes(&self) -> u64 {
        match self {
            Value::F64(_) => 8,
            Value::Block(b) => 8 * b.len() as u64,
            Value::Bytes(b) => b.len() as u64,
            Value::Frame(f) => f.nbytes(),
            Value::Tuple(items) => items.iter().map(Value::nbytes).sum(),
            Value::Partial(p) => p.nbytes(),
            Value::Any(_) => 0,
        }
    }

    /// A tuple of blocks.
    pub fn tuple(blocks: Vec<ndarray::ArrayD<f64>>) -> Self {
        Value::Tuple(
            blocks
                .into_iter()
                .map(|b| Value::Block(Arc::new(b)))
                .collect(),
        )
    }

    /// Element `i` of a tuple, or a type error naming `key`.
    pub fn item(&self, key: &str, i: usize) -> Result<&Value> {
        match self {
            Value::Tuple(items) => items.get(i),
            _ => None,
        }
        .ok_or_else(|| Error::Type {
            key: key.to_string(),
            expected: "a tuple of results",
        })
    }

    /// The block inside, or a type error naming `key`.
    pub fn as_block(&self, key: &str) -> Result<&ArrayD<f64>> {
        match self {
            Value::Block(b) => Ok(b),
            _ => Err(Error::Type {
                key: key.to_string(),
                expected: "an array block",
            }),
        }
    }

    /// The `T` inside a [`Value::Any`], or a type error naming `key`.
    pub fn downcast<T: Any>(&self, key: &str) -> Result<&T> {
        match self {
            Value::Any(a) => a.downcast_ref::<T>(),
            Value::Partial(p) => (&**p as &dyn Any).downcast_ref::<T>(),
            _ => None,
        }
        .ok_or_else(|| Error::Type {
            key: key.to_string(),
            expected: std::any::type_name::<T>(),
        })
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::F64(x) => write!(f, "F64({x})"),
            Value::Block(b) => write!(f, "Block(shape={:?})", b.shape()),
            Value::Tuple(items) => f.debug_list().entries(items.iter()).finish(),
            Value::Bytes(b) => write!(f, "Bytes({})", b.len()),
            Value::Frame(fr) => write!(f, "Frame({} rows, {:?})", fr.len(), fr.names),
            Value::Any(_) => write!(f, "Any(..)"),
            Value::Partial(p) => write!(f, "Partial({} bytes)", p.nbytes()),
        }
    }
}

/// The signature of a Rust closure task: its inputs in dependency order.
pub type FuncBody = dyn Fn(&[Value]) -> std::result::Result<Value, String> + Send + Sync;

/// A named Rust closure; tasks calling the same closure share its `Arc`.
#[derive(Clone)]
pub struct Func {
    /// Shown in graph labels.
    pub name: Arc<str>,
    /// The closure.
    pub body: Arc<FuncBody>,
}

/// What a task computes.
#[derive(Clone)]
pub enum Kernel {
    /// A constant value, with no inputs.
    Literal(Value),
    /// A block computation of chunked arrays.
    Array(ArrayKernel),
    /// An opaque closure: a Rust `delayed` function.
    Func(Func),
    /// Work done elsewhere (a JavaScript call in a function worker): the thread that
    /// polls a run starts it and collects its answer (see [`Remote`]).
    Remote(Remote),
    /// Reads byte ranges of sources, joined: an input task (see [`Kernel::is_io`]).
    Read(Read),
    /// A dataframe task.
    Frame(dataframe::kernel::FrameKernel),
    /// A fused linear chain: the first kernel takes the task's inputs, every later one
    /// the previous output.
    Chain(Arc<[Kernel]>),
}

/// Work that runs outside the scheduler's threads — a JavaScript function in a function
/// worker — so that a task that never returns can be stopped alone. The thread that
/// polls a run [starts](Remote::start) it and [polls](PendingCall::poll) the answer;
/// where nothing polls (a nested compute on a pool thread) or it cannot be started
/// elsewhere, [`Kernel::run`] runs `body` in place.
///
/// ```
/// use std::sync::Arc;
/// use daskling_kernels::{Kernel, PendingCall, Remote, Value};
///
/// // An answer that is in at once; a real one arrives from another worker later.
/// struct Ready(Option<Value>);
/// impl PendingCall for Ready {
///     fn poll(&mut self) -> Option<Result<Value, String>> {
///         self.0.take().map(Ok)
///     }
/// }
/// let twice = Remote {
///     name: "twice".into(),
///     body: Arc::new(|v: &[Value]| match v {
///         [Value::F64(x)] => Ok(Value::F64(2.0 * x)),
///         _ => Err("expected a number".into()),
///     }),
///     start: Arc::new(|v: &[Value]| match v {
///         [Value::F64(x)] => Some(Box::new(Ready(Some(Value::F64(2.0 * x)))) as Box<dyn PendingCall>),
///         _ => None,
///     }),
/// };
/// let mut pending = (twice.start)(&[Value::F64(4.0)]).unwrap();
/// assert!(matches!(pending.poll(), Some(Ok(Value::F64(x))) if x == 8.0));
/// let k = Kernel::Remote(twice);
/// assert!(k.is_remote());
/// assert!(matches!(k.run("twice-1", &[Value::F64(1.0)]), Ok(Value::F64(x)) if x == 2.0));
/// ```
#[derive(Clone)]
pub struct Remote {
    /// Shown in graph labels.
    pub name: Arc<str>,
    /// Runs it on this thread, to its end.
    pub body: Arc<FuncBody>,
    /// Starts it elsewhere on its inputs; `None` when it cannot be (then `body` runs).
    pub start: Arc<StartFn>,
}

/// The signature of [`Remote::start`].
pub type StartFn = dyn Fn(&[Value]) -> Option<Box<dyn PendingCall>> + Send + Sync;

/// A [`Remote`] task started elsewhere. Dropping it before its answer is in cancels it
/// (the bindings terminate the worker running it).
pub trait PendingCall: Send {
    /// The answer once it is in (the task's value, or its error's message); `None`
    /// while it runs. Called again after an answer, it may give `None`.
    fn poll(&mut self) -> Option<std::result::Result<Value, String>>;

    /// The task stream's lane of the worker that answered (see
    /// `daskling_scheduler::TaskEvent::worker`), once answered; `None`: the caller's.
    fn lane(&self) -> Option<i32> {
        None
    }
}

/// Byte ranges of sources, read in one call and joined: a block of a large file, or a
/// run of small files read together.
#[derive(Clone)]
pub struct Read {
    /// The ranges, in order.
    pub parts: Arc<[dataframe::source::Part]>,
}

impl Read {
    /// The joined bytes.
    pub fn read(&self) -> std::result::Result<Vec<u8>, String> {
        match self.parts.first() {
            Some(p) => p.source.read_parts(&self.parts),
            None => Ok(Vec::new()),
        }
    }

    /// Starts the read in the background, where the sources' platform can.
    pub fn begin(&self) -> Option<Box<dyn dataframe::source::PendingRead>> {
        self.parts.first()?.source.begin_read(&self.parts)
    }

    /// Bytes read, as a task's value (`key` names the task in errors).
    pub fn value(key: &str, r: std::result::Result<Vec<u8>, String>) -> Result<Value> {
        // The buffer itself, shared: no copy of the bytes.
        r.map(|b| Value::Bytes(Arc::new(b)))
            .map_err(|message| Error::TaskFailed {
                key: key.to_string(),
                message,
            })
    }
}

impl Kernel {
    /// The columns this task reads of its first input frame, when it reads only some.
    pub fn columns_used(&self) -> Option<Vec<String>> {
        match self {
            Kernel::Frame(k) => k.columns_used(),
            Kernel::Chain(ks) => ks.first().and_then(Kernel::columns_used),
            _ => None,
        }
    }

    /// This task producing only `columns` of its frame, when it can (a CSV parse).
    pub fn narrow(&self, columns: &[String]) -> Option<Kernel> {
        match self {
            Kernel::Frame(k) => k.narrow(columns).map(Kernel::Frame),
            _ => None,
        }
    }

    /// The byte ranges this task's read input should read, when this task decides them
    /// (see [`dataframe::kernel::FrameKernel::reads`]).
    pub fn reads(&self) -> Option<Result<Vec<dataframe::source::Part>>> {
        match self {
            Kernel::Frame(k) => k.reads(),
            _ => None,
        }
    }

    /// Whether this task reads input. Schedulers may run such tasks on the calling
    /// thread only (in the browser the `File`s live there) and keep few of their
    /// results waiting at once.
    pub fn is_io(&self) -> bool {
        match self {
            Kernel::Read(_) => true,
            Kernel::Chain(ks) => ks.first().is_some_and(Kernel::is_io),
            _ => false,
        }
    }

    /// Whether this task runs elsewhere ([`Kernel::Remote`]): a scheduler's polling
    /// thread starts it, and it is never fused into a chain.
    pub fn is_remote(&self) -> bool {
        matches!(self, Kernel::Remote(_))
    }

    /// A short name for the kind of work, used to color and label graphs.
    pub fn kind(&self) -> &str {
        match self {
            Kernel::Literal(_) => "literal",
            Kernel::Array(k) => k.kind(),
            Kernel::Func(f) => &f.name,
            Kernel::Remote(r) => &r.name,
            Kernel::Read(_) => "read",
            Kernel::Frame(k) => k.kind(),
            Kernel::Chain(ks) => ks.last().map_or("chain", |k| k.kind()),
        }
    }

    /// Runs the kernel on its inputs; `key` names the task in errors.
    pub fn run(&self, key: &str, inputs: &[Value]) -> Result<Value> {
        match self {
            Kernel::Literal(v) => Ok(v.clone()),
            Kernel::Array(k) => k.run(key, inputs),
            Kernel::Func(f) => run_func(&*f.body, key, inputs),
            Kernel::Remote(r) => run_func(&*r.body, key, inputs),
            Kernel::Frame(k) => k.run(key, inputs),
            Kernel::Read(r) => Read::value(key, r.read()),
            Kernel::Chain(ks) => {
                let mut iter = ks.iter();
                let first = iter
                    .next()
                    .ok_or_else(|| Error::invalid(format!("empty chain in {key}")))?;
                let mut v = first.run(key, inputs)?;
                for k in iter {
                    v = match k {
                        Kernel::Array(a) => a.run_owned(key, v)?,
                        other => other.run(key, std::slice::from_ref(&v))?,
                    };
                }
                Ok(v)
            }
        }
    }
}

impl fmt::Debug for Kernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kernel::Literal(v) => write!(f, "Literal({v:?})"),
            Kernel::Array(k) => write!(f, "{k:?}"),
            Kernel::Func(func) => write!(f, "Func({})", func.name),
            Kernel::Remote(r) => write!(f, "Remote({})", r.name),
            Kernel::Read(r) => {
                write!(f, "Read(")?;
                for (k, p) in r.parts.iter().enumerate() {
                    let sep = if k == 0 { "" } else { ", " };
                    write!(f, "{sep}{}, {}..{}", p.source.name(), p.start, p.end)?;
                }
                write!(f, ")")
            }
            Kernel::Frame(k) => write!(f, "{k:?}"),
            Kernel::Chain(ks) => f.debug_list().entries(ks.iter()).finish(),
        }
    }
}

fn run_func(body: &FuncBody, key: &str, inputs: &[Value]) -> Result<Value> {
    body(inputs).map_err(|message| Error::TaskFailed {
        key: key.to_string(),
        message,
    })
}
