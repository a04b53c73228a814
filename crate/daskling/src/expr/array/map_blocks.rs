//! `mapBlocks`: a JavaScript function run on every block, as dask's `map_blocks` — each
//! block handed to the function as `{shape, data: Float64Array}` in a function worker
//! (one call task per block, stoppable alone), and what it returns made a block of the
//! declared chunks by a second task, which checks its shape. The function travels as its
//! source text; extra arguments as encoded values, the block standing for dependency 0.

use std::sync::Arc;

use ndarray::{ArrayD, IxDyn};

use super::chunks::{block_indices, normalize_chunks, ChunkSpec};
use super::{not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{chunks as py_chunks, string, tuple, Line, Script};
use crate::expr::js::{answer, call_kernel, DepKind, JsCall, JsFunction, PartitionFn};
use crate::expr::js_value::JsVal;
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::{Func, Kernel, Value};

impl Array {
    /// JavaScript function `f` on every block (as dask's `map_blocks`): it gets
    /// `{shape, data}` and returns a block of the same shape, or of `chunks` when given
    /// (the same number of blocks per axis). `args` are its encoded arguments (the
    /// package's `clone.js`), the block as dependency 0. It runs only in the wasm build
    /// (natively a task error says so).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::expr::js::JsFunction;
    /// let x = Array::ones(&[4], ChunkSpec::Block(vec![2])).unwrap();
    /// let f = JsFunction { source: "(b) => b".into(), name: "same".into() };
    /// // The block as dependency 0: clone.js's array of one dependency tag.
    /// let args = vec![6, 1, 0, 0, 0, 14, 0, 0, 0, 0];
    /// let y = x.map_blocks(f, args, None).unwrap();
    /// assert_eq!(y.chunks(), x.chunks());
    /// let e = y.compute(Scheduler::Sync).unwrap_err().to_string();
    /// assert!(e.contains("same is a JavaScript function: it runs only in the wasm build"), "{e}");
    /// ```
    pub fn map_blocks(
        &self,
        f: JsFunction,
        args: Vec<u8>,
        chunks: Option<ChunkSpec>,
    ) -> Result<Array> {
        let what = format!("mapBlocks({})", f.name);
        let chunks = match chunks {
            None => self.chunks().to_vec(),
            Some(ChunkSpec::Explicit(c)) => c,
            Some(ChunkSpec::Block(b)) => {
                // A block shape: the same block count, each block that shape.
                if b.len() != self.ndim() {
                    return Err(Error::invalid(format!(
                        "{what}: chunks {b:?} for a {}-d array",
                        self.ndim()
                    )));
                }
                self.numblocks()
                    .iter()
                    .zip(&b)
                    .map(|(&n, &s)| vec![s; n])
                    .collect()
            }
        };
        Array::build(ArrayOp::MapBlocks {
            input: self.clone(),
            func: PartitionFn {
                func: Arc::new(f),
                args: args.into(),
                runner: None,
            },
            chunks,
        })
    }
}

/// Shape and chunks: the declared ones (one block per input block).
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    let ArrayOp::MapBlocks {
        input,
        func,
        chunks,
    } = op
    else {
        return Err(not_mine("map_blocks"));
    };
    let what = format!("mapBlocks({})", func.func.name);
    let counts: Vec<usize> = chunks.iter().map(Vec::len).collect();
    if counts != input.numblocks() {
        return Err(Error::invalid(format!(
            "{what}: chunks must give one block per input block ({:?} per axis), got {counts:?}",
            input.numblocks()
        )));
    }
    let shape: Vec<usize> = chunks.iter().map(|c| c.iter().sum()).collect();
    let chunks = normalize_chunks(&shape, &ChunkSpec::Explicit(chunks.clone()))?;
    Ok(Meta::new("map_blocks", shape, chunks))
}

/// Per block, the function's call (in a function worker) and its answer made a block.
pub(super) fn lower(out: &Array, g: &mut Graph) -> Result<()> {
    let ArrayOp::MapBlocks { input, func, .. } = out.op() else {
        return Err(not_mine("map_blocks"));
    };
    let call = JsCall {
        func: func.func.clone(),
        args: func.args.clone(),
        deps: vec![DepKind::Array].into(),
    };
    let kernel = call_kernel(call, func.runner.clone());
    let layer = format!("{}-{}", func.func.name, tokenize(out.name()));
    for idx in block_indices(&out.numblocks()) {
        let ck = Key::new(layer.as_str(), &idx);
        g.insert(
            ck.clone(),
            Task::new(kernel.clone(), vec![input.block_key(&idx)]),
        );
        let (name, shape, at) = (func.func.name.clone(), out.block_shape(&idx), idx.clone());
        let body = move |inputs: &[Value]| -> std::result::Result<Value, String> {
            let fail = |e: String| format!("mapBlocks: {name} on block {at:?}: {e}");
            let v = answer(inputs).map_err(fail)?;
            to_block(&v, &shape)
                .map(|b| Value::Block(b.into()))
                .map_err(fail)
        };
        let k = Kernel::Func(Func {
            name: "from-js".into(),
            body: Arc::new(body),
        });
        g.insert(out.block_key(&idx), Task::new(k, vec![ck]));
    }
    Ok(())
}

/// A function's answer as a block of `shape`: `{shape, data}`, or the values alone (a
/// typed array or an array of numbers, row-major) when they are as many as the block
/// holds, or a number for a block of one element.
fn to_block(v: &JsVal, shape: &[usize]) -> std::result::Result<ArrayD<f64>, String> {
    let n: usize = shape.iter().product();
    let numbers = |v: &JsVal| -> std::result::Result<Vec<f64>, String> {
        match v {
            JsVal::Typed(x) => Ok(x.clone()),
            JsVal::Ints(x) => Ok(x.iter().map(|&i| i as f64).collect()),
            JsVal::Array(items) => items
                .iter()
                .map(|x| match x {
                    JsVal::Number(f) => Ok(*f),
                    other => Err(format!("data holds {}, not a number", other.describe())),
                })
                .collect(),
            other => Err(format!("data is {}, not numbers", other.describe())),
        }
    };
    let (got_shape, data) = match v {
        JsVal::Object(_) => {
            let s = v.get("shape").ok_or("returned an object without `shape`")?;
            let s = numbers(s)?.iter().map(|&d| d as usize).collect::<Vec<_>>();
            let d = numbers(v.get("data").ok_or("returned an object without `data`")?)?;
            (s, d)
        }
        JsVal::Number(x) => (shape.to_vec(), vec![*x]),
        other => (shape.to_vec(), numbers(other)?),
    };
    if got_shape != shape || data.len() != n {
        return Err(format!(
            "returned shape {got_shape:?} with {} values, where the block is {shape:?} ({n} values); \
             declare other chunks with {{chunks}}",
            data.len()
        ));
    }
    ArrayD::from_shape_vec(IxDyn(shape), data).map_err(|e| e.to_string())
}

/// Runs daskling's block functions on a dask worker: the block converted as the browser
/// converts it (`_to_js`), the answer made a numpy block.
const JS_BLOCK: &str = r#"
def js_block(block, source, name, args_json):
    """Calls the JavaScript function on one block (as js_call does) and makes its answer
    a block."""
    out = js_on(block, "array", source, name, args_json)
    if isinstance(out, dict):
        return np.asarray(out["data"], dtype=float).reshape(out["shape"])
    return np.asarray(out, dtype=float).reshape(block.shape)
"#;

/// dask's `map_blocks` of `js_block`, with the declared chunks.
pub(super) fn dask(out: &Array, s: &mut Script) -> Result<Line> {
    let ArrayOp::MapBlocks {
        input,
        func,
        chunks,
    } = out.op()
    else {
        return Err(not_mine("map_blocks"));
    };
    let fname = func.func.name.to_string();
    let args = crate::expr::dask::delayed::js_args(s, "mapBlocks", func)?;
    let x = s.var(input.name())?.to_string();
    s.helper(JS_BLOCK);
    // `meta` given, so dask does not call the function on the client to find it (that
    // would start a V8 there, which then cannot be pickled with the helpers).
    let code = format!(
        "{x}.map_blocks(js_block, {}, {}, {}, dtype=float, chunks={}, meta=np.empty({}))",
        string(&func.func.source),
        string(&fname),
        string(&args),
        py_chunks(chunks),
        tuple(&vec![0; chunks.len()]),
    );
    Ok(("mapped".into(), code))
}
