//! Calls of JavaScript functions: building them on the page, and running them — in a
//! function worker of the compute worker's pool (`crate/wasm/js/functions.js`), which
//! it reaches through `globalThis.dasklingFunctions`, or, where there is none (a nested
//! compute on a pool thread, a synchronous `head`), in the realm of the thread that runs
//! their task (`crate/wasm/js/clone.js`, a snippet of this module).

use wasm_bindgen::prelude::*;

use super::dataframe::LazyDf;
use super::{value_as_js, LazyArray};
use daskling::expr::dataframe::Kind;
use daskling::expr::js::Call;
use daskling::expr::js::{DepKind, Encoded, JsCall, JsFunction, JsRunner};
use daskling::expr::Expr;
use daskling::kernels::{PendingCall, Value};

#[wasm_bindgen(module = "/js/clone.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = callFunction)]
    fn call_function(
        source: &str,
        name: &str,
        args: &[u8],
        deps: &js_sys::Array,
    ) -> Result<Vec<u8>, JsValue>;

    #[wasm_bindgen(js_name = decodeValue)]
    fn decode_value_js(bytes: &[u8]) -> JsValue;

    #[wasm_bindgen(catch, js_name = argsJson)]
    fn args_json_js(bytes: &[u8], name: &str) -> Result<String, JsValue>;
}

/// A call's encoded arguments as JSON for `toDask` (dependency `i` as `{"$dep": i}`), by
/// the decoder that runs the calls (clone.js).
pub(crate) fn args_json(bytes: &[u8], name: &str) -> Result<String, String> {
    args_json_js(bytes, name).map_err(|e| {
        js_sys::Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{e:?}"))
    })
}

// The clock is the global `performance`, not a function of the snippet: an import that
// needs no conversion is handed to wasm as the snippet's module namespace (`import * as`),
// for which bundlers add a runtime helper chunk to both builds.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

thread_local! {
    /// `performance.timeOrigin` of this worker.
    static TIME_ORIGIN: f64 = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .and_then(|p| js_sys::Reflect::get(&p, &"timeOrigin".into()))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
}

/// Milliseconds since the epoch, to the microsecond, the same in every worker
/// (`performance.timeOrigin + performance.now()`): the task stream's clock.
pub(super) fn clock() -> f64 {
    TIME_ORIGIN.with(|o| *o) + performance_now()
}

/// A call's encoded result as a JavaScript value.
pub(super) fn decode_value(bytes: &[u8]) -> JsValue {
    decode_value_js(bytes)
}

/// The [`JsRunner`] of this module: runs a call in the realm of the worker that runs
/// its task.
pub(super) struct Runner;

impl JsRunner for Runner {
    fn call(&self, c: &JsCall, inputs: &[Value]) -> Result<Value, String> {
        call(c, inputs)
    }

    fn begin(&self, c: &JsCall, inputs: &[Value]) -> Option<Box<dyn PendingCall>> {
        let id = with_functions(|pool| {
            let args: [JsValue; 4] = [
                c.func.source.as_ref().into(),
                c.func.name.as_ref().into(),
                js_sys::Uint8Array::from(&c.args[..]).into(),
                deps_js(c, inputs).into(),
            ];
            pool.start.apply(&pool.this, &args.iter().collect()).ok()
        })??;
        Some(Box::new(InWorker {
            id: id.as_f64()? as u32,
            lane: None,
            answered: false,
        }))
    }
}

/// The compute worker's function workers (`globalThis.dasklingFunctions`, see
/// `functions.js`): its `start(source, name, args, deps)` → an id (or `undefined`:
/// run it here) and `drop(id)`. Answers come back through [`function_answer`].
struct Functions {
    this: JsValue,
    start: js_sys::Function,
    drop: js_sys::Function,
}

/// What a call's answer holds: its encoded result or error, and the lane of its worker.
type Answer = (Result<Vec<u8>, String>, Option<i32>);

thread_local! {
    /// This thread's function workers, looked up once (`None`: it has none).
    static FUNCTIONS: Option<Functions> = {
        let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
        get(&js_sys::global(), "dasklingFunctions")
            .filter(JsValue::is_object)
            .and_then(|this| {
                Some(Functions {
                    start: get(&this, "start")?.dyn_into().ok()?,
                    drop: get(&this, "drop")?.dyn_into().ok()?,
                    this,
                })
            })
    };
    /// Answers of the function workers not taken yet, by call id.
    static ANSWERS: std::cell::RefCell<std::collections::HashMap<u32, Answer>> =
        Default::default();
}

/// `f` of this thread's function workers, where it has them.
fn with_functions<R>(f: impl FnOnce(&Functions) -> R) -> Option<R> {
    FUNCTIONS.with(|pool| pool.as_ref().map(f))
}

/// The answer of function call `id` (the compute worker's pool calls it as each comes
/// in): its encoded result (`bytes`) or `error`, and the task stream's `lane` of the
/// worker that ran it.
#[wasm_bindgen(js_name = functionAnswer)]
pub fn function_answer(id: u32, bytes: Option<Vec<u8>>, error: Option<String>, lane: Option<i32>) {
    let r =
        bytes.ok_or_else(|| error.unwrap_or_else(|| "the function worker gave no answer".into()));
    ANSWERS.with(|a| a.borrow_mut().insert(id, (r, lane)));
}

/// A call running in a function worker, by its id there. Dropped unanswered, it is
/// cancelled: the pool terminates the worker running it and starts another.
struct InWorker {
    id: u32,
    /// The task stream's lane of the worker that answered.
    lane: Option<i32>,
    answered: bool,
}

impl PendingCall for InWorker {
    fn poll(&mut self) -> Option<Result<Value, String>> {
        let (r, lane) = ANSWERS.with(|a| a.borrow_mut().remove(&self.id))?;
        self.answered = true;
        self.lane = lane;
        Some(r.map(|b| Value::any(Encoded(b.into()))))
    }

    fn lane(&self) -> Option<i32> {
        self.lane
    }
}

impl Drop for InWorker {
    fn drop(&mut self) {
        if self.answered {
            return;
        }
        ANSWERS.with(|a| a.borrow_mut().remove(&self.id));
        let _ = with_functions(|pool| pool.drop.call1(&pool.this, &self.id.into()));
    }
}

/// The dependencies' values as the function gets them.
fn deps_js(c: &JsCall, inputs: &[Value]) -> js_sys::Array {
    let deps = js_sys::Array::new();
    for (v, kind) in inputs.iter().zip(c.deps.iter()) {
        let encoded = v.downcast::<Encoded>("a call's result").ok();
        let js = match (kind, encoded) {
            // Copied out of (possibly shared) memory: clone.js decodes it.
            (DepKind::Call, Some(Encoded(bytes))) => js_sys::Uint8Array::from(&bytes[..]).into(),
            (DepKind::Series, _) => value_as_js(v, Kind::Series),
            (DepKind::Scalar, _) => value_as_js(v, Kind::Scalar),
            _ => value_as_js(v, Kind::Frame),
        };
        deps.push(&js);
    }
    deps
}

/// Converts the dependencies' values, calls, and returns the encoded result or the
/// error's message.
fn call(c: &JsCall, inputs: &[Value]) -> Result<Value, String> {
    let deps = deps_js(c, inputs);
    match call_function(&c.func.source, &c.func.name, &c.args, &deps) {
        Ok(bytes) => Ok(Value::any(Encoded(bytes.into()))),
        Err(e) => Err(match e.dyn_ref::<js_sys::Error>() {
            Some(err) => String::from(err.message()),
            None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
        }),
    }
}

/// A call of a JavaScript function, lazy.
#[wasm_bindgen]
pub struct LazyCall(pub(super) Call);

#[wasm_bindgen]
impl LazyCall {
    /// Its key's name (`<function>-<token>`).
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.name().to_string()
    }
}

/// Collects a call's lazy arguments, in the order of their placeholders.
#[wasm_bindgen]
pub struct CallBuilder {
    func: JsFunction,
    args: Vec<u8>,
    pure: bool,
    deps: Vec<Expr>,
}

#[wasm_bindgen]
impl CallBuilder {
    /// A call of the function with this `source` and `name` on encoded `args`.
    #[wasm_bindgen(constructor)]
    pub fn new(source: String, name: String, args: Vec<u8>, pure: bool) -> CallBuilder {
        CallBuilder {
            func: JsFunction {
                source: source.into(),
                name: name.into(),
            },
            args,
            pure,
            deps: vec![],
        }
    }

    /// The next lazy argument: an array.
    #[wasm_bindgen(js_name = depArray)]
    pub fn dep_array(&mut self, a: &LazyArray) {
        self.deps.push(Expr::Array(a.0.clone()));
    }

    /// The next lazy argument: a dataframe, series or scalar.
    #[wasm_bindgen(js_name = depDf)]
    pub fn dep_df(&mut self, d: &LazyDf) {
        self.deps.push(Expr::Df(d.0.clone()));
    }

    /// The next lazy argument: another call.
    #[wasm_bindgen(js_name = depCall)]
    pub fn dep_call(&mut self, c: &LazyCall) {
        self.deps.push(Expr::Call(c.0.clone()));
    }

    /// The call.
    pub fn finish(self) -> LazyCall {
        LazyCall(Call::new(self.func, self.args, self.deps, self.pure))
    }
}
