//! The kernel's state for JavaScript: [`Context`] holds a `daskling::Context` and runs
//! computes, graphs and persists on expressions shipped as JSON; computed values become
//! JavaScript values here.

use wasm_bindgen::prelude::*;

use super::output::{output_js, value_as_js};
use super::{from_js, js, js_err, sources, to_js};
use std::sync::atomic::AtomicU32;

use daskling::cancel::CancelToken;
use daskling::expr::dataframe::Kind;
use daskling::expr::{self, compute_values_with, Expr, Lazy, Wire};
use daskling::graph::Graph;
use daskling::scheduler::{failure, Progress, Scheduler};
use daskling::Output;

/// The state of one kernel instance: on the compute worker, the data, sources and
/// persisted arrays expressions name (see `daskling::Context`), and the cancel flags of
/// computes; on the page, the guards of a client's expressions.
#[wasm_bindgen]
pub struct Context(pub(crate) daskling::Context, Vec<CancelToken>);

/// Computes that can run with a cancel flag at once (a compute beyond them runs without
/// one: aborting it restarts the kernel).
const CANCEL_SLOTS: usize = 64;

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

#[wasm_bindgen]
impl Context {
    /// An empty context whose JavaScript calls run in this module's realm, timed by the
    /// clock every worker agrees on.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Context {
        Context(
            daskling::Context::new()
                .with_js_runner(std::sync::Arc::new(js::Runner))
                .with_clock(js::clock),
            (0..CANCEL_SLOTS).map(|_| CancelToken::new()).collect(),
        )
    }

    /// The addresses in this module's memory of the cancel flags, one per slot: where
    /// the memory is shared (the threaded build), the page cancels the compute it gave
    /// slot `i` (`cancelSlot` of its message) by `Atomics.store(i32, address / 4, 1)`;
    /// it stores 0 before giving the slot to the next compute. The compute then stops
    /// dispatching tasks, its kernels stop at their next block, and it fails with "the
    /// compute was cancelled"; the kernel and its data stay.
    #[wasm_bindgen(js_name = cancelFlags)]
    pub fn cancel_flags(&self) -> Vec<u32> {
        let address = |t: &CancelToken| t.flag() as *const AtomicU32 as usize as u32;
        self.1.iter().map(address).collect()
    }

    /// Sets the memory limit in bytes (`undefined`: none): data, persisted arrays and
    /// what one compute holds at once stay within it, or the compute fails naming what
    /// is too large.
    #[wasm_bindgen(js_name = setMemoryLimit)]
    pub fn set_memory_limit(&self, bytes: Option<f64>) {
        self.0
            .set_memory_limit(bytes.filter(|b| b.is_finite()).map(|b| b.max(1.0) as u64));
    }

    /// Bytes of the data and persisted arrays held.
    #[wasm_bindgen(js_name = heldBytes)]
    pub fn held_bytes(&self) -> f64 {
        self.0.held_bytes() as f64
    }

    /// Names of data and persisted arrays no expression of this (page) context uses any
    /// more, for the worker to [`Context::release`].
    #[wasm_bindgen(js_name = takeReleased)]
    pub fn take_released(&self) -> Vec<String> {
        self.0.take_released()
    }

    /// Frees data and persisted arrays by name.
    pub fn release(&self, names: Vec<String>) {
        self.0.release(&names);
    }

    /// Decodes an expression message `{json, data, refs, bytes}` (what
    /// [`ExprBuilder::finish`](crate::ExprBuilder::finish) gives, `refs` its sources),
    /// keeping its new data and sources here.
    fn decode(&self, message: &JsValue) -> Result<Vec<Expr>, JsError> {
        let field =
            |k: &str| js_sys::Reflect::get(message, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let json = field("json")
            .as_string()
            .ok_or_else(|| JsError::new("invalid expression message: no json"))?;
        let data = js_sys::Array::from(&field("data"));
        let sources = js_sys::Array::from(&field("refs"));
        let bytes = field("bytes");
        let bytes = if bytes.is_undefined() {
            vec![]
        } else {
            js_sys::Uint8Array::new(&bytes).to_vec()
        };
        sources::add_sources(&self.0, &sources)?;
        for entry in data.iter() {
            let entry = js_sys::Array::from(&entry);
            let id = entry
                .get(0)
                .as_string()
                .ok_or_else(|| JsError::new("array data: no id"))?;
            let values = js_sys::Float64Array::from(entry.get(1)).to_vec();
            let shape: Vec<usize> = from_js(entry.get(2), "data shape")?;
            let array = ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&shape), values)
                .map_err(|e| JsError::new(&format!("array data: {e}")))?;
            self.0.add_data(&id, std::sync::Arc::new(array));
        }
        let wire: Wire = serde_json::from_str(&json)
            .map_err(|e| JsError::new(&format!("invalid expression: {e}")))?;
        self.0.decode(&wire, &bytes).map_err(js_err)
    }

    /// Computes the expressions in one graph, calling `on_progress({done, total,
    /// running})` while it runs — with `tasks`, the task stream since the last call
    /// (`[{prefix, worker, start, end}]`), when `trace`. Returns an array of results;
    /// with `settle`, of `{value}` or `{error}` per output, each computed on its own (a
    /// failed output does not stop the others: futures).
    pub fn compute(
        &self,
        message: &JsValue,
        on_progress: &js_sys::Function,
        trace: bool,
        settle: bool,
    ) -> Result<js_sys::Array, JsError> {
        let exprs = self.decode(message)?;
        let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
        let stream = trace.then(|| self.0.trace());
        let mut report = |p: Progress| {
            let obj = to_js(&p);
            if let Some(t) = &stream {
                let _ = js_sys::Reflect::set(&obj, &"tasks".into(), &to_js(&t.drain()));
            }
            // A throwing progress callback must not stop the compute.
            let _ = on_progress.call1(&JsValue::NULL, &obj);
        };
        let slot = js_sys::Reflect::get(message, &"cancelSlot".into())
            .ok()
            .and_then(|v| v.as_f64());
        let options = expr::RunOptions {
            settle,
            cancel: slot.and_then(|s| self.1.get(s as usize)),
            ..self.0.run_options(Scheduler::Threads, stream.as_ref())
        };
        let (values, _) = compute_values_with(&lazies, &options, &mut report).map_err(js_err)?;
        let settled = |v: &daskling::kernels::Value, e: &Expr| {
            let out = js_sys::Object::new();
            let (k, x) = match failure(v) {
                Some(err) => ("error", JsValue::from_str(&err.to_string())),
                None => ("value", value_as_js(v, e.kind())),
            };
            let _ = js_sys::Reflect::set(&out, &k.into(), &x);
            JsValue::from(out)
        };
        Ok(values
            .iter()
            .zip(&exprs)
            .map(|(v, e)| {
                if settle {
                    settled(v, e)
                } else {
                    value_as_js(v, e.kind())
                }
            })
            .collect())
    }

    /// The first `n` rows of a frame or series expression, reading only the partitions
    /// they are in: a Table or Column.
    pub fn head(&self, message: &JsValue, n: f64) -> Result<JsValue, JsError> {
        let exprs = self.decode(message)?;
        let Some(Expr::Df(d)) = exprs.first() else {
            return Err(JsError::new("head: expected a dataframe or series"));
        };
        let f = daskling::expr::dataframe::DataFrame(d.clone())
            .head(n.max(0.0) as usize, Scheduler::Threads)
            .map_err(js_err)?;
        Ok(output_js(&match d.kind() {
            Kind::Series => Output::Column(&f),
            _ => Output::Table(&f),
        }))
    }

    fn optimized_graph(&self, message: &JsValue) -> Result<Graph, JsError> {
        let exprs = self.decode(message)?;
        let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
        expr::optimized_graph(&lazies)
            .map(|(g, _)| g)
            .map_err(js_err)
    }

    /// The optimized task graph of the expressions, as `{nodes: [{id, label, kind}],
    /// edges}`.
    pub fn graph(&self, message: &JsValue) -> Result<JsValue, JsError> {
        Ok(to_js(&self.optimized_graph(message)?.export()))
    }

    /// The optimized task graph of the expressions in Graphviz DOT.
    #[wasm_bindgen(js_name = toDot)]
    pub fn to_dot(&self, message: &JsValue) -> Result<String, JsError> {
        Ok(self.optimized_graph(message)?.to_dot())
    }

    /// Computes the array expression and keeps its blocks here until
    /// [`Context::release`], calling `on_progress` while it runs; returns its name.
    pub fn persist(
        &self,
        message: &JsValue,
        on_progress: &js_sys::Function,
    ) -> Result<String, JsError> {
        let exprs = self.decode(message)?;
        let Some(Expr::Array(a)) = exprs.first() else {
            return Err(JsError::new("persist: expected one array"));
        };
        let mut report = |p: Progress| {
            let _ = on_progress.call1(&JsValue::NULL, &to_js(&p));
        };
        let p = self
            .0
            .persist_with(a, Scheduler::Threads, &mut report)
            .map_err(js_err)?;
        Ok(p.name().to_string())
    }
}
