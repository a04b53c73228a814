//! The wasm/JS bindings: one thin layer over the crate, used by `crate/js/`.
//!
//! The page's main thread holds a single-threaded instance for building expressions
//! ([`LazyArray`]: metadata at once, no compute); the compute worker holds the threaded
//! (or single) instance and runs [`compute`], [`graph`] and [`to_dot`] on expressions
//! shipped as JSON.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::expr::array::{Array, ChunkSpec};
use crate::expr::{self, compute_values, Lazy};
use crate::graph::{Graph, Key};
use crate::kernels::Value;
use crate::scheduler::{Progress, Scheduler};
use crate::Error;

#[cfg(target_feature = "atomics")]
pub use wasm_bindgen_rayon::init_thread_pool;

fn js_err(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

fn from_js<T: for<'de> Deserialize<'de>>(v: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&format!("invalid {what}: {e}")))
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    // Plain data (numbers, strings, arrays, maps of them) always serializes.
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::UNDEFINED)
}

/// A lazy chunked array: metadata and expression building, synchronous.
#[wasm_bindgen]
pub struct LazyArray(Array);

/// An axis argument: `undefined`/`null` for all axes, a number, or an array of numbers.
fn axes_arg(axis: JsValue) -> Result<Option<Vec<isize>>, JsError> {
    if axis.is_undefined() || axis.is_null() {
        return Ok(None);
    }
    if let Some(n) = axis.as_f64() {
        return Ok(Some(vec![n as isize]));
    }
    from_js::<Vec<isize>>(axis, "axis (a number or an array of numbers)").map(Some)
}

#[wasm_bindgen]
impl LazyArray {
    /// The shape.
    #[wasm_bindgen(getter)]
    pub fn shape(&self) -> JsValue {
        to_js(self.0.shape())
    }

    /// Block sizes per axis.
    #[wasm_bindgen(getter)]
    pub fn chunks(&self) -> JsValue {
        to_js(self.0.chunks())
    }

    /// Number of dimensions.
    #[wasm_bindgen(getter)]
    pub fn ndim(&self) -> usize {
        self.0.ndim()
    }

    /// Number of blocks.
    #[wasm_bindgen(getter)]
    pub fn npartitions(&self) -> usize {
        self.0.npartitions()
    }

    /// The expression's name (a content hash).
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.name().to_string()
    }

    /// Sum over `axis` (all axes when undefined).
    pub fn sum(&self, axis: JsValue) -> Result<LazyArray, JsError> {
        let axes = axes_arg(axis)?;
        self.0.sum(axes.as_deref()).map(LazyArray).map_err(js_err)
    }

    /// The expression as JSON, to ship to the compute worker.
    #[wasm_bindgen(js_name = toExpr)]
    pub fn to_expr(&self) -> Result<String, JsError> {
        serde_json::to_string(&LazyExpr::Array(self.0.clone()))
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

/// An array of `shape` filled with `value`, with `chunks` as a block shape or explicit sizes.
#[wasm_bindgen]
pub fn full(shape: JsValue, value: f64, chunks: JsValue) -> Result<LazyArray, JsError> {
    let shape: Vec<usize> = from_js(shape, "shape (an array of non-negative integers)")?;
    let chunks: ChunkSpec = if chunks.is_undefined() || chunks.is_null() {
        ChunkSpec::Block(shape.iter().map(|&n| n.max(1)).collect())
    } else {
        from_js(
            chunks,
            "chunks (a block shape such as [1000, 1000] or sizes per axis)",
        )?
    };
    Array::full(&shape, value, chunks)
        .map(LazyArray)
        .map_err(js_err)
}

/// Any lazy value shipped between the page and the compute worker.
#[derive(Serialize, Deserialize)]
enum LazyExpr {
    #[serde(rename = "array")]
    Array(Array),
}

impl Lazy for LazyExpr {
    fn lower(&self, g: &mut Graph) -> crate::Result<Key> {
        match self {
            LazyExpr::Array(a) => a.lower(g),
        }
    }
}

fn parse_exprs(json: &str) -> Result<Vec<LazyExpr>, JsError> {
    serde_json::from_str(json).map_err(|e| JsError::new(&format!("invalid expression: {e}")))
}

/// A computed value for JS: a number for a 0-d array, else `{shape, data: Float64Array}`.
fn value_to_js(v: &Value) -> JsValue {
    match v {
        Value::F64(x) => JsValue::from_f64(*x),
        Value::Block(b) if b.ndim() == 0 => {
            JsValue::from_f64(b.iter().copied().next().unwrap_or(f64::NAN))
        }
        Value::Block(b) => {
            let obj = js_sys::Object::new();
            let std = b.as_standard_layout();
            let data = match std.as_slice() {
                Some(s) => js_sys::Float64Array::from(s),
                None => js_sys::Float64Array::new_with_length(0),
            };
            // Setting properties on a fresh plain object cannot fail.
            let _ = js_sys::Reflect::set(&obj, &"shape".into(), &to_js(b.shape()));
            let _ = js_sys::Reflect::set(&obj, &"data".into(), &data);
            obj.into()
        }
        Value::Any(_) => JsValue::UNDEFINED,
    }
}

/// Computes the JSON list of expressions in one graph, calling `on_progress({done,
/// total, running})` while it runs. Resolves to an array of results.
#[wasm_bindgen]
pub fn compute(exprs: &str, on_progress: &js_sys::Function) -> Result<js_sys::Array, JsError> {
    let exprs = parse_exprs(exprs)?;
    let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
    let mut report = |p: Progress| {
        // A throwing progress callback must not stop the compute.
        let _ = on_progress.call1(&JsValue::NULL, &to_js(&p));
    };
    let (values, _) = compute_values(&lazies, Scheduler::Threads, &mut report).map_err(js_err)?;
    Ok(values.iter().map(value_to_js).collect())
}

fn optimized_graph(exprs: &str) -> Result<Graph, JsError> {
    let exprs = parse_exprs(exprs)?;
    let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
    expr::optimized_graph(&lazies)
        .map(|(g, _)| g)
        .map_err(js_err)
}

/// The optimized task graph of the expressions, as `{nodes: [{id, label, kind}], edges}`.
#[wasm_bindgen]
pub fn graph(exprs: &str) -> Result<JsValue, JsError> {
    Ok(to_js(&optimized_graph(exprs)?.export()))
}

/// The optimized task graph of the expressions in Graphviz DOT.
#[wasm_bindgen(js_name = toDot)]
pub fn to_dot(exprs: &str) -> Result<String, JsError> {
    Ok(optimized_graph(exprs)?.to_dot())
}

/// Threads of the pool (1 in the single-threaded build).
#[wasm_bindgen(js_name = threadCount)]
pub fn thread_count() -> usize {
    if cfg!(target_feature = "atomics") {
        rayon::current_num_threads()
    } else {
        1
    }
}

/// `"threads"` for the threaded build, `"single"` otherwise.
#[wasm_bindgen(js_name = buildMode)]
pub fn build_mode() -> String {
    if cfg!(target_feature = "atomics") {
        "threads"
    } else {
        "single"
    }
    .to_string()
}

/// Scheduler overhead for `npm run bench`: best µs per task over `reps` computes of a
/// benchmark graph (`"wide"`: 100,000 trivial tasks; `"tree"`: a 1,000-leaf tree
/// reduction), timed with `now()` (e.g. `performance.now`). `scheduler`: `"sync"` or
/// `"threads"`. Returns `[tasks, µs per task]`.
#[wasm_bindgen(js_name = benchScheduler)]
pub fn bench_scheduler(
    case: &str,
    scheduler: &str,
    reps: u32,
    now: &js_sys::Function,
) -> Result<Vec<f64>, JsError> {
    use crate::scheduler::{bench, compute};
    let (g, out) = match case {
        "wide" => bench::wide(100_000),
        "tree" => bench::tree(1_000, 2, "tree"),
        other => return Err(JsError::new(&format!("unknown benchmark {other}"))),
    };
    let s = match scheduler {
        "sync" => Scheduler::Sync,
        _ => Scheduler::Threads,
    };
    let clock = || {
        now.call0(&JsValue::NULL)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    let mut best = f64::INFINITY;
    for _ in 0..reps.max(1) {
        let t = clock();
        compute(&g, std::slice::from_ref(&out), s).map_err(js_err)?;
        best = best.min(clock() - t);
    }
    Ok(vec![g.len() as f64, best * 1000.0 / g.len() as f64])
}
