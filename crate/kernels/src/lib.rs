//! # daskling-kernels
//!
//! Kernels: plain functions on blocks and values — array blocks ([`array`](mod@array)), dataframe
//! partitions and CSV parsing ([`dataframe`]). They know nothing of graphs or JS.
//!
//! A [`Kernel`] is data — which computation, with which parameters — so a task can be
//! inspected, drawn and run on any thread. The one exception is [`Kernel::Func`], an
//! opaque closure: a Rust function of `daskling::delayed`, or a call of a JavaScript
//! function that the wasm bindings supply.
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
    /// An opaque closure: a Rust `delayed` function, or a JavaScript call.
    Func(Func),
    /// Reads byte ranges of sources, joined: an input task (see [`Kernel::is_io`]).
    Read(Read),
    /// A dataframe task.
    Frame(dataframe::kernel::FrameKernel),
    /// A fused linear chain: the first kernel takes the task's inputs, every later one
    /// the previous output.
    Chain(Arc<[Kernel]>),
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

    /// A short name for the kind of work, used to color and label graphs.
    pub fn kind(&self) -> &str {
        match self {
            Kernel::Literal(_) => "literal",
            Kernel::Array(k) => k.kind(),
            Kernel::Func(f) => &f.name,
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
            Kernel::Func(f) => run_func(f, key, inputs),
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

fn run_func(f: &Func, key: &str, inputs: &[Value]) -> Result<Value> {
    (f.body)(inputs).map_err(|message| Error::TaskFailed {
        key: key.to_string(),
        message,
    })
}
