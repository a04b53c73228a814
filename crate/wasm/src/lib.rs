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

use daskling::expr::{Expr, Wire};
use daskling::Error;

mod array;
mod context;
mod dataframe;
mod group_rows;
#[cfg(feature = "test-hooks")]
mod hooks;
mod index;
mod join;
mod js;
mod output;
mod partitions;
mod persist;
#[cfg(target_feature = "atomics")]
mod pool;
mod read_csv;
mod read_parquet;
mod resample;
mod runs;
mod sources;
mod warm;
mod write;

use array::int_arg;
pub use array::{arange, from_array, full, random, LazyArray};
pub use context::Context;
pub use dataframe::LazyDf;
pub use js::{CallBuilder, LazyCall};
use output::value_as_js;
#[cfg(target_feature = "atomics")]
pub use pool::{build_pool, prepare_pool, run_pool_worker};

fn js_err(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// The row of table `T` named `name`, or an error listing the names there are.
fn named<T: daskling::kernels::names::NameTable>(name: &str) -> Result<T, JsError> {
    daskling::kernels::names::lookup(name).map_err(js_err)
}

/// An error naming an option of `method` not in `known` (serde-wasm-bindgen looks up
/// only the fields it knows, so a misspelt option would pass unseen); the list in the
/// message leaves out `hidden` ones (set by the package's JS, not by users).
fn known_options(
    method: &str,
    options: &JsValue,
    known: &[&str],
    hidden: &[&str],
) -> Result<(), JsError> {
    let Some(obj) = options.dyn_ref::<js_sys::Object>() else {
        return Ok(());
    };
    for k in js_sys::Object::keys(obj).iter() {
        let k = k.as_string().unwrap_or_default();
        if !known.contains(&k.as_str()) {
            let listed: Vec<&str> = known
                .iter()
                .filter(|k| !hidden.contains(k))
                .copied()
                .collect();
            return Err(JsError::new(&format!(
                "{method}: unknown option {k} (the options are {})",
                listed.join(", ")
            )));
        }
    }
    Ok(())
}

fn from_js<T: for<'de> Deserialize<'de>>(v: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&format!("invalid {what}: {e}")))
}

/// Sets property `k` of a fresh plain object (which cannot fail).
fn set(o: &js_sys::Object, k: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(o, &k.into(), v);
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    // Plain data (numbers, strings, arrays, maps of them) always serializes.
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::UNDEFINED)
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

    /// The Python source of a dask script computing the values added (see
    /// `daskling::expr::dask`). `address`: the scheduler's; `prefix` or `map` (an object
    /// `{name: pathOrUrl}`): where the sources are.
    #[wasm_bindgen(js_name = toDask)]
    pub fn to_dask(
        &self,
        address: Option<String>,
        prefix: Option<String>,
        map: JsValue,
    ) -> Result<String, JsError> {
        use daskling::expr::dask::{to_dask, DaskOptions, Sources};
        let sources = match (prefix, map.is_undefined() || map.is_null()) {
            (Some(p), _) => Sources::Prefix(p),
            (None, false) => Sources::Map(from_js(map, "toDask sources")?),
            (None, true) => Sources::AsNamed,
        };
        let options = DaskOptions {
            address,
            sources,
            args_json: Some(js::args_json),
        };
        to_dask(&self.0, &options).map_err(js_err)
    }

    /// The expression as JSON, its array data (but that of the ids in `sent`, which
    /// the worker has; all when not given), sources, the calls' argument bytes, and
    /// `reads`: the dataframe reads sent in full (those in `held`, which the worker
    /// decoded before, are named only).
    pub fn finish(
        &self,
        sent: Option<Vec<String>>,
        held: Option<Vec<String>>,
    ) -> Result<JsValue, JsError> {
        let sent = sent.unwrap_or_default();
        let held = held.unwrap_or_default();
        let wire = Wire::encode_holding(&self.0, &|name| held.iter().any(|h| h == name));
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
        // fromColumns frames travel as bytes, in the same list (two entries: id, bytes).
        for f in wire.frames(&self.0) {
            if sent.iter().any(|s| s == f.id()) {
                continue;
            }
            if let Ok(frame) = f.frame() {
                let bytes = daskling::kernels::dataframe::frame_bytes::encode(frame);
                let entry = js_sys::Array::new();
                entry.push(&JsValue::from_str(f.id()));
                entry.push(&js_sys::Uint8Array::from(&bytes[..]));
                data.push(&entry);
            }
        }
        let sources: js_sys::Array = wire
            .sources()
            .iter()
            .map(|s| to_js(&(s.id.as_str(), s.name.as_str(), s.size as f64)))
            .collect();
        let out = js_sys::Object::new();
        set(&out, "json", &json.into());
        set(&out, "data", &data);
        set(&out, "sources", &sources);
        let bytes = js_sys::Uint8Array::from(&wire.bytes[..]);
        set(&out, "bytes", &bytes);
        set(&out, "reads", &to_js(&wire.reads));
        Ok(out.into())
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
            set(&obj, "name", &f.name.into());
            set(&obj, "data", &js_sys::Uint8Array::from(f.data.as_slice()));
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

/// Bytes of the first file read to learn a CSV's columns and dtypes (the page reads
/// this much before `readCsv` builds its expression).
#[wasm_bindgen(js_name = sampleBytes)]
pub fn sample_bytes() -> f64 {
    daskling::expr::dataframe::SAMPLE_BYTES as f64
}

/// Files sampled at most, in order, for the first with rows (see `csvHasRows`).
#[wasm_bindgen(js_name = sampleFiles)]
pub fn sample_files() -> usize {
    daskling::expr::dataframe::SAMPLE_FILES
}

/// The operation tables and the families of methods generated from them
/// (`daskling::operations::table()`): `{tables: {UnaryFn: [{name, doc}], …}, families}`.
/// `crate/wasm/js/gen.mjs` writes the JS methods, `index.d.ts` and the reference of
/// `docs/API.md` from it. In the single build only: the tables are read where
/// expressions are built (the page's and Node's main-thread instance is the single
/// build); the threaded kernel only computes, and 18 kB of it would be dead weight.
#[cfg(not(target_feature = "atomics"))]
#[wasm_bindgen]
pub fn operations() -> JsValue {
    to_js(&daskling::operations::table())
}
