//! The wasm/JS bindings: one thin layer over the crate, used by `crate/js/`.
//!
//! The page's main thread holds a single-threaded instance for building expressions
//! ([`LazyArray`]: metadata at once, no compute); the compute worker holds the threaded
//! (or single) instance and runs [`compute`], [`graph`] and [`to_dot`] on expressions
//! shipped as JSON.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::expr::array::{register_data, Array, ChunkSpec, SliceArg, DEFAULT_SPLIT_EVERY};
use crate::expr::{self, compute_values_traced, Expr, Lazy, Wire};
use crate::graph::Graph;
use crate::kernels::array::{BinaryOp, ReduceOp, UnaryFn};
use crate::kernels::Value;
use crate::scheduler::{Progress, Scheduler, Trace};
use crate::Error;

mod dataframe;
mod js;
#[cfg(target_feature = "atomics")]
mod pool;

pub use dataframe::{GroupAggBuilder, LazyDf};
pub use js::{CallBuilder, LazyCall};
#[cfg(target_feature = "atomics")]
pub use pool::{build_pool, prepare_pool, run_pool_worker};

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
        return Ok(Some(vec![int_arg(n, "axis")? as isize]));
    }
    from_js::<Vec<isize>>(axis, "axis (a number or an array of numbers)").map(Some)
}

/// A JS number that must be an integer.
fn int_arg(n: f64, what: &str) -> Result<i64, JsError> {
    if n.fract() != 0.0 || !n.is_finite() || n.abs() > 9.0e15 {
        return Err(JsError::new(&format!("{what} must be an integer, got {n}")));
    }
    Ok(n as i64)
}

/// `chunks`: a block shape or sizes per axis; `undefined` means one block per axis.
fn chunks_arg(chunks: JsValue, shape: &[usize]) -> Result<ChunkSpec, JsError> {
    if chunks.is_undefined() || chunks.is_null() {
        return Ok(ChunkSpec::Block(shape.iter().map(|&n| n.max(1)).collect()));
    }
    from_js(
        chunks,
        "chunks (a block shape such as [1000, 1000] or sizes per axis such as [[5, 5], [3]])",
    )
}

fn shape_arg(shape: JsValue) -> Result<Vec<usize>, JsError> {
    from_js(shape, "shape (an array of non-negative integers)")
}

/// One slice entry: a number (index), `null` (all), or `[start, stop, step]` with
/// `null`s for defaults.
fn slice_arg(v: JsValue, axis: usize) -> Result<SliceArg, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(SliceArg::All);
    }
    if let Some(n) = v.as_f64() {
        return Ok(SliceArg::Index(int_arg(n, "an index")?));
    }
    if js_sys::Array::is_array(&v) {
        let a = js_sys::Array::from(&v);
        if a.length() > 3 {
            return Err(JsError::new(&format!(
                "slice for axis {axis}: expected [start, stop, step], got {} entries",
                a.length()
            )));
        }
        let get = |i: u32| -> Result<Option<i64>, JsError> {
            let x = a.get(i);
            if x.is_undefined() || x.is_null() {
                return Ok(None);
            }
            let n = x.as_f64().ok_or_else(|| {
                JsError::new(&format!(
                    "slice for axis {axis}: bounds must be numbers or null"
                ))
            })?;
            int_arg(n, "a slice bound").map(Some)
        };
        return Ok(SliceArg::Range(get(0)?, get(1)?, get(2)?));
    }
    Err(JsError::new(&format!(
        "slice for axis {axis}: expected an index, [start, stop, step] or null"
    )))
}

fn wrap(r: crate::Result<Array>) -> Result<LazyArray, JsError> {
    r.map(LazyArray).map_err(js_err)
}

fn js_list(items: Vec<Array>) -> js_sys::Array {
    items
        .into_iter()
        .map(|a| JsValue::from(LazyArray(a)))
        .collect()
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

    /// Number of elements.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> f64 {
        self.0.size() as f64
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

    /// An elementwise function by name (`"sqrt"`, `"neg"`, …).
    pub fn map(&self, name: &str) -> Result<LazyArray, JsError> {
        let f = UnaryFn::parse(name)
            .ok_or_else(|| JsError::new(&format!("unknown elementwise function {name}")))?;
        wrap(self.0.map(f))
    }

    /// `this op value` (or `value op this` when `reflected`).
    #[wasm_bindgen(js_name = scalarOp)]
    pub fn scalar_op(&self, op: &str, value: f64, reflected: bool) -> Result<LazyArray, JsError> {
        wrap(self.0.scalar_op(binary_op(op)?, value, reflected))
    }

    /// `this op other` with broadcasting.
    pub fn binary(&self, op: &str, other: &LazyArray) -> Result<LazyArray, JsError> {
        wrap(self.0.binary(binary_op(op)?, &other.0))
    }

    /// A reduction by name over `axis` (all when undefined).
    pub fn reduce(
        &self,
        op: &str,
        axis: JsValue,
        ddof: Option<f64>,
        split_every: Option<f64>,
    ) -> Result<LazyArray, JsError> {
        let r =
            ReduceOp::parse(op).ok_or_else(|| JsError::new(&format!("unknown reduction {op}")))?;
        let axes = axes_arg(axis)?;
        let split_every = match split_every {
            Some(n) => int_arg(n, "splitEvery")?.max(0) as usize,
            None => DEFAULT_SPLIT_EVERY,
        };
        wrap(
            self.0
                .reduce(r, axes.as_deref(), ddof.unwrap_or(0.0), split_every),
        )
    }

    /// Axes permuted (reversed when undefined).
    pub fn transpose(&self, axes: JsValue) -> Result<LazyArray, JsError> {
        let axes = axes_arg(axes)?;
        wrap(self.0.transpose(axes.as_deref()))
    }

    /// numpy's `dot`.
    pub fn dot(&self, other: &LazyArray) -> Result<LazyArray, JsError> {
        wrap(self.0.dot(&other.0))
    }

    /// numpy's `matmul`.
    pub fn matmul(&self, other: &LazyArray) -> Result<LazyArray, JsError> {
        wrap(self.0.matmul(&other.0))
    }

    /// A selection: per axis an index, `[start, stop, step]` or `null`.
    pub fn slice(&self, spec: JsValue) -> Result<LazyArray, JsError> {
        let items: Vec<SliceArg> = if js_sys::Array::is_array(&spec) {
            js_sys::Array::from(&spec)
                .iter()
                .enumerate()
                .map(|(ax, v)| slice_arg(v, ax))
                .collect::<Result<_, _>>()?
        } else {
            vec![slice_arg(spec, 0)?]
        };
        wrap(self.0.slice(&items))
    }

    /// The same values in other blocks.
    pub fn rechunk(&self, chunks: JsValue) -> Result<LazyArray, JsError> {
        let spec = chunks_arg(chunks, self.0.shape())?;
        wrap(self.0.rechunk(spec))
    }

    /// The persisted form of this array, once the worker holds its blocks.
    pub fn persisted(&self) -> Result<LazyArray, JsError> {
        wrap(self.0.persisted_remote())
    }

    /// TSQR: `[q, r]`.
    pub fn qr(&self) -> Result<js_sys::Array, JsError> {
        let (q, r) = self.0.qr().map_err(js_err)?;
        Ok(js_list(vec![q, r]))
    }

    /// SVD: `[u, s, v]`.
    pub fn svd(&self) -> Result<js_sys::Array, JsError> {
        let (u, s, v) = self.0.svd().map_err(js_err)?;
        Ok(js_list(vec![u, s, v]))
    }

    /// Randomized SVD with `k` components: `[u, s, v]`.
    #[wasm_bindgen(js_name = svdCompressed)]
    pub fn svd_compressed(
        &self,
        k: f64,
        power_iters: f64,
        seed: f64,
    ) -> Result<js_sys::Array, JsError> {
        let k = int_arg(k, "k")?.max(0) as usize;
        let p = int_arg(power_iters, "nPowerIter")?.max(0) as usize;
        let seed = int_arg(seed, "seed")? as u64;
        let (u, s, v) = self.0.svd_compressed(k, p, Some(seed)).map_err(js_err)?;
        Ok(js_list(vec![u, s, v]))
    }
}

fn binary_op(op: &str) -> Result<BinaryOp, JsError> {
    BinaryOp::parse(op).ok_or_else(|| JsError::new(&format!("unknown operation {op}")))
}

/// An array of `shape` filled with `value`, with `chunks` as a block shape or explicit sizes.
#[wasm_bindgen]
pub fn full(shape: JsValue, value: f64, chunks: JsValue) -> Result<LazyArray, JsError> {
    let shape = shape_arg(shape)?;
    let chunks = chunks_arg(chunks, &shape)?;
    wrap(Array::full(&shape, value, chunks))
}

/// `start, start + step, …` below `stop`, in blocks of `chunk` (one block when undefined).
#[wasm_bindgen]
pub fn arange(start: f64, stop: f64, step: f64, chunk: JsValue) -> Result<LazyArray, JsError> {
    let chunk = if chunk.is_undefined() || chunk.is_null() {
        usize::MAX
    } else if let Some(n) = chunk.as_f64() {
        int_arg(n, "chunks")?.max(0) as usize
    } else {
        let v: Vec<usize> = from_js(chunk, "chunks (a number or [number])")?;
        v.first().copied().unwrap_or(0)
    };
    wrap(Array::arange(start, stop, step, chunk))
}

/// Uniform `[0, 1)` values, reproducible for `seed` and the chunking.
#[wasm_bindgen]
pub fn random(shape: JsValue, chunks: JsValue, seed: f64) -> Result<LazyArray, JsError> {
    let shape = shape_arg(shape)?;
    let chunks = chunks_arg(chunks, &shape)?;
    let seed = int_arg(seed, "seed")?;
    if seed < 0 {
        return Err(JsError::new("seed must be a non-negative integer"));
    }
    wrap(Array::random(&shape, chunks, Some(seed as u64)))
}

/// An array of the values in `data` (row-major) with `shape`.
#[wasm_bindgen(js_name = fromArray)]
pub fn from_array(
    data: &js_sys::Float64Array,
    shape: JsValue,
    chunks: JsValue,
) -> Result<LazyArray, JsError> {
    let shape = shape_arg(shape)?;
    let values = data.to_vec();
    let n: usize = shape.iter().product();
    if n != values.len() {
        return Err(JsError::new(&format!(
            "fromArray: {} values do not fill the shape {shape:?} ({n} elements)",
            values.len()
        )));
    }
    let array = ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&shape), values)
        .map_err(|e| JsError::new(&format!("fromArray: {e}")))?;
    let chunks = chunks_arg(chunks, &shape)?;
    wrap(Array::from_array(array, chunks))
}

/// Collects lazy values into one serialized expression (shared nodes once) with the
/// data they carry: `{json, data: [[id, Float64Array, shape], …]}`.
#[wasm_bindgen]
#[derive(Default)]
pub struct ExprBuilder(Vec<Expr>);

#[wasm_bindgen]
impl ExprBuilder {
    /// An empty builder.
    #[wasm_bindgen(constructor)]
    pub fn new() -> ExprBuilder {
        ExprBuilder::default()
    }

    /// Adds an array.
    #[wasm_bindgen(js_name = addArray)]
    pub fn add_array(&mut self, a: &LazyArray) {
        self.0.push(Expr::Array(a.0.clone()));
    }

    /// Adds a dataframe, series or scalar.
    #[wasm_bindgen(js_name = addDf)]
    pub fn add_df(&mut self, d: &LazyDf) {
        self.0.push(Expr::Df(d.0.clone()));
    }

    /// Adds a call of a JavaScript function.
    #[wasm_bindgen(js_name = addCall)]
    pub fn add_call(&mut self, c: &LazyCall) {
        self.0.push(Expr::Call(c.0.clone()));
    }

    /// The expression as JSON, its array data, sources and the calls' argument bytes.
    pub fn finish(&self) -> Result<JsValue, JsError> {
        let wire = Wire::encode(&self.0);
        let json = serde_json::to_string(&wire).map_err(|e| JsError::new(&e.to_string()))?;
        let data: js_sys::Array = wire
            .data(&self.0)
            .iter()
            .map(|d| {
                let a = d.array();
                let flat = js_sys::Float64Array::from(a.as_slice().unwrap_or(&[]));
                let entry = js_sys::Array::new();
                entry.push(&JsValue::from_str(d.id()));
                entry.push(&flat);
                entry.push(&to_js(a.shape()));
                JsValue::from(entry)
            })
            .collect();
        let sources: js_sys::Array = wire
            .sources()
            .iter()
            .map(|s| to_js(&(s.id.as_str(), s.name.as_str(), s.size as f64)))
            .collect();
        let out = js_sys::Object::new();
        // Setting properties on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&out, &"json".into(), &json.into());
        let _ = js_sys::Reflect::set(&out, &"data".into(), &data);
        let _ = js_sys::Reflect::set(&out, &"sources".into(), &sources);
        let bytes = js_sys::Uint8Array::from(&wire.bytes[..]);
        let _ = js_sys::Reflect::set(&out, &"bytes".into(), &bytes);
        Ok(out.into())
    }
}

/// Decodes an expression, with its data and sources registered (and held) while `f`
/// runs.
fn with_exprs<T>(
    json: &str,
    data: &js_sys::Array,
    sources: &js_sys::Array,
    bytes: &[u8],
    f: impl FnOnce(Vec<Expr>) -> Result<T, JsError>,
) -> Result<T, JsError> {
    let held_sources = dataframe::register_sources(sources)?;
    let mut held = Vec::new();
    for entry in data.iter() {
        let entry = js_sys::Array::from(&entry);
        let values = js_sys::Float64Array::from(entry.get(1)).to_vec();
        let shape: Vec<usize> = from_js(entry.get(2), "data shape")?;
        let array = ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&shape), values)
            .map_err(|e| JsError::new(&format!("array data: {e}")))?;
        held.push(register_data(std::sync::Arc::new(array)));
    }
    let wire: Wire = serde_json::from_str(json)
        .map_err(|e| JsError::new(&format!("invalid expression: {e}")))?;
    let exprs = wire.decode(bytes).map_err(js_err)?;
    // Calls of JavaScript functions run through this module's realm in each worker.
    crate::kernels::js::set_caller(js::call);
    crate::scheduler::trace::set_clock(js::clock);
    let out = f(exprs);
    drop(held);
    drop(held_sources);
    out
}

/// A computed value for JS: a number for a 0-d array or a scalar, `{shape, data:
/// Float64Array}` for arrays, a Table or Column for frames and series, the value a
/// JavaScript function returned.
fn value_to_js(v: &Value, e: &Expr) -> JsValue {
    let kind = match e {
        Expr::Df(d) => d.kind(),
        Expr::Array(_) | Expr::Call(_) => crate::expr::dataframe::Kind::Frame,
    };
    value_as_js(v, kind)
}

/// As [`value_to_js`], frames shown as `kind`.
fn value_as_js(v: &Value, kind: crate::expr::dataframe::Kind) -> JsValue {
    match v {
        Value::Frame(f) => dataframe::frame_to_js(f, kind),
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
        Value::Js(bytes) => js::decode_value(bytes),
        Value::Tuple(_) | Value::Any(_) | Value::Bytes(_) => JsValue::UNDEFINED,
    }
}

/// Computes the expressions (`json` and `data` from [`ExprBuilder::finish`]) in one
/// graph, calling `on_progress({done, total, running})` while it runs — with `tasks`, the
/// task stream since the last call (`[{prefix, worker, start, end}]`), when `trace`.
/// Returns an array of results.
#[wasm_bindgen]
pub fn compute(
    json: &str,
    data: &js_sys::Array,
    sources: &js_sys::Array,
    bytes: &[u8],
    on_progress: &js_sys::Function,
    trace: bool,
) -> Result<js_sys::Array, JsError> {
    with_exprs(json, data, sources, bytes, |exprs| {
        let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
        let stream = trace.then(Trace::new);
        let mut report = |p: Progress| {
            let obj = to_js(&p);
            if let Some(t) = &stream {
                let _ = js_sys::Reflect::set(&obj, &"tasks".into(), &to_js(&t.drain()));
            }
            // A throwing progress callback must not stop the compute.
            let _ = on_progress.call1(&JsValue::NULL, &obj);
        };
        let (values, _) =
            compute_values_traced(&lazies, Scheduler::Threads, &mut report, stream.as_ref())
                .map_err(js_err)?;
        Ok(values
            .iter()
            .zip(&exprs)
            .map(|(v, e)| value_to_js(v, e))
            .collect())
    })
}

/// The first `n` rows of a frame or series expression, reading only the partitions
/// they are in: a Table or Column.
#[wasm_bindgen]
pub fn head(
    json: &str,
    data: &js_sys::Array,
    sources: &js_sys::Array,
    bytes: &[u8],
    n: f64,
) -> Result<JsValue, JsError> {
    with_exprs(json, data, sources, bytes, |exprs| {
        let Some(Expr::Df(d)) = exprs.first() else {
            return Err(JsError::new("head: expected a dataframe or series"));
        };
        let f = crate::expr::dataframe::DataFrame(d.clone())
            .head(n.max(0.0) as usize, Scheduler::Threads)
            .map_err(js_err)?;
        Ok(dataframe::frame_to_js(&f, d.kind()))
    })
}

fn optimized_graph(
    json: &str,
    data: &js_sys::Array,
    sources: &js_sys::Array,
    bytes: &[u8],
) -> Result<Graph, JsError> {
    with_exprs(json, data, sources, bytes, |exprs| {
        let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
        expr::optimized_graph(&lazies)
            .map(|(g, _)| g)
            .map_err(js_err)
    })
}

/// The optimized task graph of the expressions, as `{nodes: [{id, label, kind}], edges}`.
#[wasm_bindgen]
pub fn graph(
    json: &str,
    data: &js_sys::Array,
    sources: &js_sys::Array,
    bytes: &[u8],
) -> Result<JsValue, JsError> {
    Ok(to_js(
        &optimized_graph(json, data, sources, bytes)?.export(),
    ))
}

/// The optimized task graph of the expressions in Graphviz DOT.
#[wasm_bindgen(js_name = toDot)]
pub fn to_dot(
    json: &str,
    data: &js_sys::Array,
    sources: &js_sys::Array,
    bytes: &[u8],
) -> Result<String, JsError> {
    Ok(optimized_graph(json, data, sources, bytes)?.to_dot())
}

/// Persisted arrays held by this (worker) instance, by name.
static PERSISTED: std::sync::Mutex<Option<rustc_hash::FxHashMap<String, Array>>> =
    std::sync::Mutex::new(None);

/// Computes the array expression and keeps its blocks here until [`release`]; returns
/// its name.
#[wasm_bindgen]
pub fn persist(
    json: &str,
    data: &js_sys::Array,
    sources: &js_sys::Array,
    bytes: &[u8],
) -> Result<String, JsError> {
    with_exprs(json, data, sources, bytes, |exprs| {
        let Some(Expr::Array(a)) = exprs.first() else {
            return Err(JsError::new("persist: expected one array"));
        };
        let p = a.persist(Scheduler::Threads).map_err(js_err)?;
        let name = p.name().to_string();
        let mut map = PERSISTED.lock().unwrap_or_else(|e| e.into_inner());
        map.get_or_insert_with(Default::default)
            .insert(name.clone(), p);
        Ok(name)
    })
}

/// Frees persisted arrays by name.
#[wasm_bindgen]
pub fn release(names: Vec<String>) {
    let mut map = PERSISTED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(m) = map.as_mut() {
        for n in names {
            m.remove(&n);
        }
    }
}

/// Names of persisted arrays no expression on this (builder) instance uses any more.
#[wasm_bindgen(js_name = takeReleased)]
pub fn take_released() -> Vec<String> {
    crate::expr::array::stored::take_released()
}

/// The workshop's sample data (see `kernels::dataframe::sample`): an array of
/// `{name, data: Uint8Array}`, one per weekday per ticker.
#[wasm_bindgen(js_name = generateSample)]
pub fn generate_sample(
    tickers: Vec<String>,
    days: usize,
    seed: f64,
    start: Option<String>,
) -> Result<js_sys::Array, JsError> {
    use crate::kernels::dataframe::{datetime, sample};
    let mut spec = sample::SampleSpec {
        tickers,
        days,
        seed: int_arg(seed, "seed")?.max(0) as u64,
        ..Default::default()
    };
    if let Some(s) = start {
        let ms = datetime::parse_datetime(s.as_bytes())
            .ok_or_else(|| JsError::new(&format!("start: not a date (YYYY-MM-DD): {s}")))?;
        spec.start = datetime::civil_from_days(ms.div_euclid(datetime::DAY_MS));
    }
    if spec
        .tickers
        .iter()
        .any(|t| t.is_empty() || t.contains(['/', '\\']))
    {
        return Err(JsError::new(
            "tickers must be non-empty names without slashes",
        ));
    }
    Ok(sample::minute_files(&spec)
        .map(|f| {
            let obj = js_sys::Object::new();
            // Setting properties on a fresh plain object cannot fail.
            let _ = js_sys::Reflect::set(&obj, &"name".into(), &f.name.into());
            let _ = js_sys::Reflect::set(
                &obj,
                &"data".into(),
                &js_sys::Uint8Array::from(f.data.as_slice()),
            );
            JsValue::from(obj)
        })
        .collect())
}

/// Bytes of this instance's wasm memory (it only grows: this is its peak).
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| js_sys::Reflect::get(&m.buffer(), &"byteLength".into()).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
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
