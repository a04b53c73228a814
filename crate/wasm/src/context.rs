//! The kernel's state for JavaScript: [`Context`] holds a `daskling::Context` and runs
//! computes, graphs and persists on expressions shipped as JSON; computed values become
//! JavaScript values here.

use wasm_bindgen::prelude::*;

use super::output::output_js;
use super::{from_js, js, js_err, sources, to_js};
use std::sync::atomic::AtomicU32;

use super::runs::{Request, Runs};

use daskling::cancel::CancelToken;
use daskling::expr::dataframe::Kind;
use daskling::expr::{self, Expr, Lazy, Wire};
use daskling::graph::Graph;
use daskling::scheduler::Scheduler;
use daskling::Output;

/// The state of one kernel instance: on the compute worker, the data, sources and
/// persisted arrays expressions name (see `daskling::Context`), and the cancel flags of
/// computes; on the page, the guards of a client's expressions.
#[wasm_bindgen]
pub struct Context(pub(crate) daskling::Context, Vec<CancelToken>, Runs);

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
            Runs::default(),
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
            if entry.length() == 2 {
                // A fromColumns frame, as bytes.
                let bytes = js_sys::Uint8Array::new(&entry.get(1)).to_vec();
                let frame =
                    daskling::kernels::dataframe::frame_bytes::decode(&bytes).map_err(js_err)?;
                self.0.add_frame(&id, std::sync::Arc::new(frame));
                continue;
            }
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

    /// Starts computing the expressions of `message` in one graph, as call `id`:
    /// [`Context::pump`] advances it, calling `on_progress({done, total, running})`
    /// while it runs — with `tasks`, the task stream since the last call
    /// (`[{prefix, worker, start, end}]`), when `trace` — and gives its result when it
    /// ends: an array of values; with `settle`, of `{value}` or `{error}` per output,
    /// each computed on its own (a failed output does not stop the others: futures).
    /// With `persist`, the one array expression's blocks are kept here until
    /// [`Context::release`] and the result is its name. `message.cancelSlot`, where
    /// given, names the cancel flag the page sets to stop it (see
    /// [`Context::cancel_flags`]); [`Context::cancel`] stops it in any build. Several
    /// runs advance together, their tasks taking turns on the pool.
    pub fn start(
        &self,
        id: u32,
        message: &JsValue,
        on_progress: js_sys::Function,
        trace: bool,
        settle: bool,
        persist: bool,
    ) -> Result<(), JsError> {
        let slot = js_sys::Reflect::get(message, &"cancelSlot".into())
            .ok()
            .and_then(|v| v.as_f64());
        let token = slot
            .and_then(|s| self.1.get(s as usize))
            .cloned()
            .unwrap_or_default();
        let req = Request {
            id,
            exprs: self.decode(message)?,
            on_progress,
            trace,
            settle,
            persist,
            token,
        };
        self.2.begin(&self.0, req)
    }

    /// Advances the running computes for about `budget_ms` milliseconds (the
    /// single-threaded build runs their tasks, in turns of a few milliseconds; the
    /// threaded one starts their reads and reports their progress while the pool runs
    /// their tasks). Returns the ones that ended: `[{id, result} | {id, error}]`.
    pub fn pump(&self, budget_ms: f64) -> js_sys::Array {
        self.2.pump(&self.0, budget_ms)
    }

    /// Whether every running compute waits for a function worker's answer: the worker
    /// has nothing to pump until one of its messages is read.
    #[wasm_bindgen(js_name = waitingOutside)]
    pub fn waiting_outside(&self) -> bool {
        self.2.waiting_outside()
    }

    /// Computes still running.
    pub fn running(&self) -> usize {
        self.2.len()
    }

    /// Cancels running compute `id`: no task of it starts after, and it ends with "the
    /// compute was cancelled" at the next [`Context::pump`].
    pub fn cancel(&self, id: u32) {
        self.2.cancel(id);
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
}
