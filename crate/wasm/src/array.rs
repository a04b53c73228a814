//! Lazy chunked arrays for JavaScript: [`LazyArray`] (metadata at once, methods that
//! build expressions) and the functions that make arrays; arguments are checked here
//! and turned into the `daskling` crate's types.

use wasm_bindgen::prelude::*;

use super::{from_js, js_err, named, to_js, Context};
use daskling::expr::array::{Array, ChunkSpec, NormOrd, SliceArg, DEFAULT_SPLIT_EVERY};
use daskling::expr::js::JsFunction;
use daskling::kernels::array::{ArgOp, BinaryOp, Boundary, ReduceOp, ScanOp, UnaryFn};

/// A lazy chunked array: metadata and expression building, synchronous.
#[wasm_bindgen]
pub struct LazyArray(pub(crate) Array);

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
pub(crate) fn int_arg(n: f64, what: &str) -> Result<i64, JsError> {
    if n.fract() != 0.0 || !n.is_finite() || n.abs() > 9.0e15 {
        return Err(JsError::new(&format!("{what} must be an integer, got {n}")));
    }
    Ok(n as i64)
}

/// `chunks`: a block shape, sizes per axis, or one number (that size on every axis, as
/// dask's `chunks=1000`); `undefined` means one block per axis.
fn chunks_arg(chunks: JsValue, shape: &[usize]) -> Result<ChunkSpec, JsError> {
    if chunks.is_undefined() || chunks.is_null() {
        return Ok(ChunkSpec::Block(shape.iter().map(|&n| n.max(1)).collect()));
    }
    if let Some(n) = chunks.as_f64() {
        let n = int_arg(n, "chunks")?;
        if n < 1 {
            return Err(JsError::new(&format!("chunks must be at least 1, got {n}")));
        }
        return Ok(ChunkSpec::Block(vec![n as usize; shape.len()]));
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
    pub fn npartitions(&self) -> f64 {
        self.0.npartitions() as f64
    }

    /// The expression's name (a content hash).
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.name().to_string()
    }

    /// An elementwise function by name (`"sqrt"`, `"neg"`, …).
    pub fn map(&self, name: &str) -> Result<LazyArray, JsError> {
        let f: UnaryFn = named(name)?;
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
        let r = named::<ReduceOp>(op)?;
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

    /// `argmin` / `argmax` (`op` an [`ArgOp`] name) along `axis`, or flattened.
    pub fn arg(&self, op: &str, axis: Option<f64>) -> Result<LazyArray, JsError> {
        let op = named::<ArgOp>(op)?;
        let axis = axis.map(|a| int_arg(a, "axis")).transpose()?;
        wrap(self.0.arg(op, axis.map(|a| a as isize)))
    }

    /// A cumulative sum or product (`op` a [`ScanOp`] name) along `axis`.
    pub fn scan(&self, op: &str, axis: Option<f64>) -> Result<LazyArray, JsError> {
        let op = named::<ScanOp>(op)?;
        let axis = axis.map(|a| int_arg(a, "axis")).transpose()?;
        wrap(self.0.scan(op, axis.map(|a| a as isize)))
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

    /// The function with this `source` and `name` on every block; `args` its encoded
    /// arguments (the block is dependency 0); `chunks` the blocks it gives (undefined:
    /// the input's).
    #[wasm_bindgen(js_name = mapBlocks)]
    pub fn map_blocks(
        &self,
        source: String,
        name: String,
        args: Vec<u8>,
        chunks: JsValue,
    ) -> Result<LazyArray, JsError> {
        let chunks = if chunks.is_undefined() || chunks.is_null() {
            None
        } else {
            Some(from_js::<ChunkSpec>(
                chunks,
                "chunks (a block shape or sizes per axis)",
            )?)
        };
        let func = JsFunction {
            source: source.into(),
            name: name.into(),
        };
        wrap(self.0.map_blocks(func, args, chunks))
    }

    /// The function on every block with `depth` (per axis) neighbouring elements on each
    /// side: `boundary` `'reflect' | 'nearest' | 'periodic' | 'none'` or a number.
    #[wasm_bindgen(js_name = mapOverlap)]
    pub fn map_overlap(
        &self,
        source: String,
        name: String,
        args: Vec<u8>,
        depth: Vec<f64>,
        boundary: JsValue,
    ) -> Result<LazyArray, JsError> {
        let depth = depth
            .iter()
            .map(|&d| int_arg(d, "depth").map(|d| d.max(0) as usize))
            .collect::<Result<Vec<_>, _>>()?;
        let boundary = match (boundary.as_f64(), boundary.as_string().as_deref()) {
            (Some(c), _) => Boundary::Constant(c),
            (_, Some("reflect")) => Boundary::Reflect,
            (_, Some("nearest")) => Boundary::Nearest,
            (_, Some("periodic")) => Boundary::Periodic,
            (_, Some("none")) => Boundary::None,
            _ => return Err(JsError::new(
                "mapOverlap: boundary must be 'reflect', 'nearest', 'periodic', 'none' or a number",
            )),
        };
        let func = JsFunction {
            source: source.into(),
            name: name.into(),
        };
        wrap(self.0.map_overlap(func, args, &depth, boundary))
    }

    /// numpy's `where(self, a, b)`.
    #[wasm_bindgen(js_name = where)]
    pub fn where_(&self, a: &LazyArray, b: &LazyArray) -> Result<LazyArray, JsError> {
        wrap(self.0.where_(&a.0, &b.0))
    }

    /// numpy's `linalg.norm`: `ord` a number (±Infinity too), `'fro'`, `'nuc'` or
    /// undefined; `axis` a number, two numbers or undefined.
    pub fn norm(&self, ord: JsValue, axis: JsValue) -> Result<LazyArray, JsError> {
        let ord = if ord.is_undefined() || ord.is_null() {
            None
        } else if let Some(p) = ord.as_f64() {
            Some(NormOrd::P(p))
        } else {
            match ord.as_string().as_deref() {
                Some("fro") => Some(NormOrd::Fro),
                Some("nuc") => Some(NormOrd::Nuc),
                _ => return Err(JsError::new("norm: ord must be a number, 'fro' or 'nuc'")),
            }
        };
        let axes = axes_arg(axis)?;
        wrap(self.0.norm(ord, axes.as_deref()))
    }

    /// The lower Cholesky factor (square blocks).
    pub fn cholesky(&self) -> Result<LazyArray, JsError> {
        wrap(self.0.cholesky())
    }

    /// `x` with `self · x = b`.
    pub fn solve(&self, b: &LazyArray) -> Result<LazyArray, JsError> {
        wrap(self.0.solve(&b.0))
    }

    /// The inverse.
    pub fn inv(&self) -> Result<LazyArray, JsError> {
        wrap(self.0.inv())
    }

    /// Randomized SVD with `k` components: `[u, s, v]`.
    #[wasm_bindgen(js_name = svdCompressed)]
    pub fn svd_compressed(
        &self,
        k: f64,
        power_iters: f64,
        seed: Option<f64>,
    ) -> Result<js_sys::Array, JsError> {
        let k = int_arg(k, "k")?.max(0) as usize;
        let p = int_arg(power_iters, "nPowerIter")?.max(0) as usize;
        let (u, s, v) = self
            .0
            .svd_compressed(k, p, seed_arg(seed)?)
            .map_err(js_err)?;
        Ok(js_list(vec![u, s, v]))
    }
}

fn binary_op(op: &str) -> Result<BinaryOp, JsError> {
    named(op)
}

/// An array of `shape` filled with `value`, with `chunks` as a block shape or explicit sizes.
#[wasm_bindgen]
pub fn full(shape: JsValue, value: f64, chunks: JsValue) -> Result<LazyArray, JsError> {
    let shape = shape_arg(shape)?;
    let chunks = chunks_arg(chunks, &shape)?;
    wrap(Array::full(&shape, value, chunks))
}

/// An `n`×`m` array with ones on diagonal `k`, blocked as `chunks`.
#[wasm_bindgen]
pub fn eye(n: f64, m: Option<f64>, k: Option<f64>, chunks: JsValue) -> Result<LazyArray, JsError> {
    let n = int_arg(n, "N")?.max(0) as usize;
    let m = m
        .map(|m| int_arg(m, "M"))
        .transpose()?
        .map_or(n, |m| m.max(0) as usize);
    let k = k.map(|k| int_arg(k, "k")).transpose()?.unwrap_or(0);
    let chunks = chunks_arg(chunks, &[n, m])?;
    wrap(Array::eye(n, m, k, chunks))
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

/// A seed argument: a non-negative integer, or none (daskling draws one).
fn seed_arg(seed: Option<f64>) -> Result<Option<u64>, JsError> {
    match seed {
        None => Ok(None),
        Some(s) => {
            let s = int_arg(s, "seed")?;
            if s < 0 {
                return Err(JsError::new("seed must be a non-negative integer"));
            }
            Ok(Some(s as u64))
        }
    }
}

/// Uniform `[0, 1)` values, reproducible for `seed` and the chunking (a fresh seed when
/// `seed` is undefined).
#[wasm_bindgen]
pub fn random(shape: JsValue, chunks: JsValue, seed: Option<f64>) -> Result<LazyArray, JsError> {
    let shape = shape_arg(shape)?;
    let chunks = chunks_arg(chunks, &shape)?;
    wrap(Array::random(&shape, chunks, seed_arg(seed)?))
}

/// Arrays gathered one by one for `concatenate` and `stack` (a JS array of handles cannot
/// be borrowed by wasm-bindgen).
#[wasm_bindgen]
#[derive(Default)]
pub struct ArrayList(Vec<Array>);

#[wasm_bindgen]
impl ArrayList {
    /// An empty list.
    #[wasm_bindgen(constructor)]
    pub fn new() -> ArrayList {
        ArrayList::default()
    }

    /// Appends `a`.
    pub fn push(&mut self, a: &LazyArray) {
        self.0.push(a.0.clone());
    }
}

/// The arrays joined along an existing axis.
#[wasm_bindgen]
pub fn concatenate(arrays: &ArrayList, axis: f64) -> Result<LazyArray, JsError> {
    wrap(Array::concatenate(
        &arrays.0,
        int_arg(axis, "axis")? as isize,
    ))
}

/// The arrays (of one shape) joined along a new axis.
#[wasm_bindgen]
pub fn stack(arrays: &ArrayList, axis: f64) -> Result<LazyArray, JsError> {
    wrap(Array::stack(&arrays.0, int_arg(axis, "axis")? as isize))
}

/// Normal values with mean `loc` and standard deviation `scale`, reproducible for `seed`
/// and the chunking.
#[wasm_bindgen]
pub fn normal(
    shape: JsValue,
    loc: f64,
    scale: f64,
    chunks: JsValue,
    seed: Option<f64>,
) -> Result<LazyArray, JsError> {
    let shape = shape_arg(shape)?;
    let chunks = chunks_arg(chunks, &shape)?;
    wrap(Array::normal(&shape, loc, scale, chunks, seed_arg(seed)?))
}

/// Uniform values in `[low, high)`, reproducible for `seed` and the chunking.
#[wasm_bindgen]
pub fn uniform(
    low: f64,
    high: f64,
    shape: JsValue,
    chunks: JsValue,
    seed: Option<f64>,
) -> Result<LazyArray, JsError> {
    let shape = shape_arg(shape)?;
    let chunks = chunks_arg(chunks, &shape)?;
    wrap(Array::uniform(low, high, &shape, chunks, seed_arg(seed)?))
}

/// `num` evenly spaced values from `start` to `stop`, in blocks of `chunk` (one block
/// when undefined).
#[wasm_bindgen]
pub fn linspace(
    start: f64,
    stop: f64,
    num: f64,
    endpoint: bool,
    chunk: Option<f64>,
) -> Result<LazyArray, JsError> {
    let num = int_arg(num, "num")?;
    if num < 0 {
        return Err(JsError::new(&format!(
            "linspace: num must be >= 0, got {num}"
        )));
    }
    let chunk = match chunk {
        Some(c) => int_arg(c, "chunks")?.max(0) as usize,
        None => (num as usize).max(1),
    };
    wrap(Array::linspace(start, stop, num as usize, endpoint, chunk))
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
