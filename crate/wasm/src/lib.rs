//! # daskling-wasm
//!
//! The wasm/JS bindings: one thin layer over the `daskling` crate, used by `crate/wasm/js/`.
//!
//! The page's main thread holds a single-threaded instance for building expressions
//! ([`LazyArray`]: metadata at once, no compute) with a [`Context`] per client (which
//! tracks the data and persisted arrays its expressions hold); the compute worker holds
//! the threaded (or single) instance and one [`Context`], which runs
//! [`Context::compute`], [`Context::graph`] and [`Context::to_dot`] on expressions
//! shipped as JSON, and keeps the data, sources and persisted arrays between calls.

// The bindings exist in wasm32 only; natively this crate is empty.
#![cfg(target_arch = "wasm32")]

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use daskling::expr::array::{Array, ChunkSpec, SliceArg, DEFAULT_SPLIT_EVERY};
use daskling::expr::js::Encoded;
use daskling::expr::{self, compute_values_traced, Expr, Lazy, Wire};
use daskling::graph::Graph;
use daskling::kernels::array::{BinaryOp, ReduceOp, UnaryFn};
use daskling::kernels::Value;
use daskling::scheduler::{Progress, Scheduler};
use daskling::Error;

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

fn wrap(r: daskling::Result<Array>) -> Result<LazyArray, JsError> {
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

    /// The persisted form of this array, once the worker holds its blocks; `ctx` (the
    /// client's) tells when no expression uses it any more.
    pub fn persisted(&self, ctx: &Context) -> Result<LazyArray, JsError> {
        wrap(ctx.0.persisted_remote(&self.0))
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

/// An array of the values in `data` (row-major) with `shape`; `ctx` (the client's)
/// tracks the data, which the worker is sent once.
#[wasm_bindgen(js_name = fromArray)]
pub fn from_array(
    ctx: &Context,
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
    wrap(ctx.0.from_array(array, chunks))
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

    /// The expression as JSON, its array data (but that of the ids in `sent`, which
    /// the worker has; all when not given), sources and the calls' argument bytes.
    pub fn finish(&self, sent: Option<Vec<String>>) -> Result<JsValue, JsError> {
        let sent = sent.unwrap_or_default();
        let wire = Wire::encode(&self.0);
        let json = serde_json::to_string(&wire).map_err(|e| JsError::new(&e.to_string()))?;
        let data: js_sys::Array = wire
            .data(&self.0)
            .iter()
            .filter(|d| !sent.iter().any(|s| s == d.id()))
            .filter_map(|d| {
                let a = d.array().ok()?;
                let flat = js_sys::Float64Array::from(a.as_slice().unwrap_or(&[]));
                let entry = js_sys::Array::new();
                entry.push(&JsValue::from_str(d.id()));
                entry.push(&flat);
                entry.push(&to_js(a.shape()));
                Some(JsValue::from(entry))
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

/// A computed value for JS: a number for a 0-d array or a scalar, `{shape, data:
/// Float64Array}` for arrays, a Table or Column for frames and series, the value a
/// JavaScript function returned.
fn value_to_js(v: &Value, e: &Expr) -> JsValue {
    let kind = match e {
        Expr::Df(d) => d.kind(),
        Expr::Array(_) | Expr::Call(_) => daskling::expr::dataframe::Kind::Frame,
    };
    value_as_js(v, kind)
}

/// As [`value_to_js`], frames shown as `kind`.
fn value_as_js(v: &Value, kind: daskling::expr::dataframe::Kind) -> JsValue {
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
        Value::Any(a) => match a.downcast_ref::<Encoded>() {
            Some(Encoded(bytes)) => js::decode_value(bytes),
            None => JsValue::UNDEFINED,
        },
        Value::Tuple(_) | Value::Bytes(_) => JsValue::UNDEFINED,
    }
}

/// The state of one kernel instance: on the compute worker, the data, sources and
/// persisted arrays expressions name (see `daskling::Context`); on the page, the
/// guards of a client's expressions.
#[wasm_bindgen]
pub struct Context(daskling::Context);

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
        )
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

    /// Decodes an expression (`json`, `data`, `sources` and `bytes` from
    /// [`ExprBuilder::finish`]), keeping its new data and sources here.
    fn decode(
        &self,
        json: &str,
        data: &js_sys::Array,
        sources: &js_sys::Array,
        bytes: &[u8],
    ) -> Result<Vec<Expr>, JsError> {
        dataframe::add_sources(&self.0, sources)?;
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
        let wire: Wire = serde_json::from_str(json)
            .map_err(|e| JsError::new(&format!("invalid expression: {e}")))?;
        self.0.decode(&wire, bytes).map_err(js_err)
    }

    /// Computes the expressions in one graph, calling `on_progress({done, total,
    /// running})` while it runs — with `tasks`, the task stream since the last call
    /// (`[{prefix, worker, start, end}]`), when `trace`. Returns an array of results.
    pub fn compute(
        &self,
        json: &str,
        data: &js_sys::Array,
        sources: &js_sys::Array,
        bytes: &[u8],
        on_progress: &js_sys::Function,
        trace: bool,
    ) -> Result<js_sys::Array, JsError> {
        let exprs = self.decode(json, data, sources, bytes)?;
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
        let (values, _) =
            compute_values_traced(&lazies, Scheduler::Threads, &mut report, stream.as_ref())
                .map_err(js_err)?;
        Ok(values
            .iter()
            .zip(&exprs)
            .map(|(v, e)| value_to_js(v, e))
            .collect())
    }

    /// The first `n` rows of a frame or series expression, reading only the partitions
    /// they are in: a Table or Column.
    pub fn head(
        &self,
        json: &str,
        data: &js_sys::Array,
        sources: &js_sys::Array,
        bytes: &[u8],
        n: f64,
    ) -> Result<JsValue, JsError> {
        let exprs = self.decode(json, data, sources, bytes)?;
        let Some(Expr::Df(d)) = exprs.first() else {
            return Err(JsError::new("head: expected a dataframe or series"));
        };
        let f = daskling::expr::dataframe::DataFrame(d.clone())
            .head(n.max(0.0) as usize, Scheduler::Threads)
            .map_err(js_err)?;
        Ok(dataframe::frame_to_js(&f, d.kind()))
    }

    fn optimized_graph(
        &self,
        json: &str,
        data: &js_sys::Array,
        sources: &js_sys::Array,
        bytes: &[u8],
    ) -> Result<Graph, JsError> {
        let exprs = self.decode(json, data, sources, bytes)?;
        let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
        expr::optimized_graph(&lazies)
            .map(|(g, _)| g)
            .map_err(js_err)
    }

    /// The optimized task graph of the expressions, as `{nodes: [{id, label, kind}],
    /// edges}`.
    pub fn graph(
        &self,
        json: &str,
        data: &js_sys::Array,
        sources: &js_sys::Array,
        bytes: &[u8],
    ) -> Result<JsValue, JsError> {
        Ok(to_js(
            &self.optimized_graph(json, data, sources, bytes)?.export(),
        ))
    }

    /// The optimized task graph of the expressions in Graphviz DOT.
    #[wasm_bindgen(js_name = toDot)]
    pub fn to_dot(
        &self,
        json: &str,
        data: &js_sys::Array,
        sources: &js_sys::Array,
        bytes: &[u8],
    ) -> Result<String, JsError> {
        Ok(self.optimized_graph(json, data, sources, bytes)?.to_dot())
    }

    /// Computes the array expression and keeps its blocks here until
    /// [`Context::release`]; returns its name.
    pub fn persist(
        &self,
        json: &str,
        data: &js_sys::Array,
        sources: &js_sys::Array,
        bytes: &[u8],
    ) -> Result<String, JsError> {
        let exprs = self.decode(json, data, sources, bytes)?;
        let Some(Expr::Array(a)) = exprs.first() else {
            return Err(JsError::new("persist: expected one array"));
        };
        let p = self.0.persist(a, Scheduler::Threads).map_err(js_err)?;
        Ok(p.name().to_string())
    }
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
    use daskling::kernels::dataframe::{datetime, sample};
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
    use daskling::scheduler::{bench, compute};
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
