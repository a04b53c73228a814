//! Arrays from nothing: `full`/`ones`/`zeros`, `arange`, `linspace`, `eye`, `random`
//! (uniform and normal), in-memory data
//! (`fromArray`) and persisted blocks — their constructors, metadata and lowering.

use std::sync::{Arc, Mutex};

use ndarray::ArrayD;

use super::chunks::{block_indices, normalize_chunks, offsets, regular, ChunkSpec, MAX_BLOCKS};
use super::data::Data;
use super::stored::{Guard, Live};
use super::tasks::task;
use super::{not_mine, Array, ArrayOp, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{chunks, float, tuple, Line, Script, MAX_EMBEDDED, RANDOM};
use crate::graph::{Graph, Task};
use crate::kernels::array::BinaryOp;
use crate::kernels::Value;
use crate::kernels::{ArrayKernel, Kernel};

impl Array {
    /// An array of `shape` filled with `value`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::full(&[4, 6], 2.5, ChunkSpec::Block(vec![2, 3])).unwrap();
    /// assert_eq!((x.shape(), x.npartitions()), (&[4, 6][..], 4));
    /// assert_eq!(x.sum(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 60.0);
    /// ```
    pub fn full(shape: &[usize], value: f64, chunks: ChunkSpec) -> Result<Array> {
        Array::build(ArrayOp::Full {
            shape: shape.to_vec(),
            chunks: normalize_chunks(shape, &chunks)?,
            value,
        })
    }

    /// An array of ones.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    /// let s = x.sum(Some(&[0])).unwrap().compute(Scheduler::Threads).unwrap();
    /// assert!(s.iter().all(|&v| v == 15.0) && s.len() == 15);
    /// ```
    pub fn ones(shape: &[usize], chunks: ChunkSpec) -> Result<Array> {
        Array::full(shape, 1.0, chunks)
    }

    /// An array of zeros.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let z = Array::zeros(&[3], ChunkSpec::Block(vec![2])).unwrap();
    /// assert_eq!(z.chunks(), &[vec![2, 1]]);
    /// assert_eq!(z.max(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 0.0);
    /// ```
    pub fn zeros(shape: &[usize], chunks: ChunkSpec) -> Result<Array> {
        Array::full(shape, 0.0, chunks)
    }

    /// `start, start + step, …` up to (not including) `stop`, in blocks of `chunk`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(0.0, 10.0, 1.0, 4).unwrap();
    /// assert_eq!(x.chunks(), &[vec![4, 4, 2]]);
    /// // 0 + 1 + … + 9
    /// assert_eq!(x.sum(None).unwrap().compute(Scheduler::Sync).unwrap().sum(), 45.0);
    /// ```
    pub fn arange(start: f64, stop: f64, step: f64, chunk: usize) -> Result<Array> {
        if step == 0.0 || !step.is_finite() || !start.is_finite() || !stop.is_finite() {
            return Err(Error::invalid(format!(
                "arange needs finite start, stop and a non-zero step, got ({start}, {stop}, {step})"
            )));
        }
        if chunk == 0 {
            return Err(Error::invalid("chunk sizes must be positive"));
        }
        let len = ((stop - start) / step).ceil().max(0.0);
        let blocks = (len / chunk as f64).ceil();
        if blocks > MAX_BLOCKS as f64 {
            return Err(Error::invalid(format!(
                "arange({start}, {stop}, {step}) in chunks of {chunk} has {blocks:e} blocks, \
                 more than the {MAX_BLOCKS} a graph may have; use larger chunks"
            )));
        }
        if len > usize::MAX as f64 || len > crate::kernels::float::MAX_EXACT_INT {
            return Err(Error::invalid(format!(
                "arange({start}, {stop}, {step}) has {len:e} elements, more than this build can index"
            )));
        }
        let len = len as usize;
        Array::build(ArrayOp::Arange {
            start,
            step,
            len,
            chunks: regular(len, chunk),
        })
    }

    /// Uniform random values in `[0, 1)`, reproducible for `seed` and the chunking (see
    /// [`crate::kernels::array::random`]); `None` draws a seed.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = Array::random(&[100, 100], ChunkSpec::Block(vec![50, 50]), Some(7)).unwrap();
    /// let b = Array::random(&[100, 100], ChunkSpec::Block(vec![50, 50]), Some(7)).unwrap();
    /// assert_eq!(a.name(), b.name()); // same seed and chunks: the same values
    /// let v = a.compute(Scheduler::Threads).unwrap();
    /// assert!(v.iter().all(|&x| (0.0..1.0).contains(&x)));
    /// let mean = v.sum() / 1e4;
    /// assert!((mean - 0.5).abs() < 0.02);
    /// ```
    pub fn random(shape: &[usize], chunks: ChunkSpec, seed: Option<u64>) -> Result<Array> {
        Array::build(ArrayOp::Random {
            shape: shape.to_vec(),
            chunks: normalize_chunks(shape, &chunks)?,
            seed: seed.unwrap_or_else(fresh_seed),
            normal: false,
        })
    }

    /// Normal random values with mean `loc` and standard deviation `scale`, reproducible
    /// for `seed` and the chunking (standard normal blocks by Box–Muller, see
    /// [`crate::kernels::array::random`], then `loc + scale · z`).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = Array::normal(&[100, 100], 10.0, 2.0, ChunkSpec::Block(vec![50, 50]), Some(1)).unwrap();
    /// let v = a.compute(Scheduler::Threads).unwrap();
    /// let mean = v.sum() / 1e4;
    /// assert!((mean - 10.0).abs() < 0.1, "{mean}");
    /// ```
    pub fn normal(
        shape: &[usize],
        loc: f64,
        scale: f64,
        chunks: ChunkSpec,
        seed: Option<u64>,
    ) -> Result<Array> {
        if !(scale >= 0.0 && scale.is_finite() && loc.is_finite()) {
            return Err(Error::invalid(format!(
                "random.normal needs a finite loc and a finite scale >= 0, got loc {loc}, scale {scale}"
            )));
        }
        let z = Array::build(ArrayOp::Random {
            shape: shape.to_vec(),
            chunks: normalize_chunks(shape, &chunks)?,
            seed: seed.unwrap_or_else(fresh_seed),
            normal: true,
        })?;
        affine(z, scale, loc)
    }

    /// Uniform random values in `[low, high)`: `low + (high − low) · u` of
    /// [`Array::random`]'s `u`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = Array::uniform(-2.0, 3.0, &[1000], ChunkSpec::Block(vec![300]), Some(2)).unwrap();
    /// let v = a.compute(Scheduler::Sync).unwrap();
    /// assert!(v.iter().all(|&x| (-2.0..3.0).contains(&x)));
    /// ```
    pub fn uniform(
        low: f64,
        high: f64,
        shape: &[usize],
        chunks: ChunkSpec,
        seed: Option<u64>,
    ) -> Result<Array> {
        if !(low.is_finite() && high.is_finite() && low <= high) {
            return Err(Error::invalid(format!(
                "random.uniform needs finite low <= high, got {low}, {high}"
            )));
        }
        affine(Array::random(shape, chunks, seed)?, high - low, low)
    }

    /// `num` evenly spaced values from `start` to `stop` (numpy's `linspace`; without
    /// `endpoint`, `stop` is left out), in blocks of `chunk`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::linspace(0.0, 1.0, 5, true, 2).unwrap();
    /// assert_eq!(x.compute(Scheduler::Sync).unwrap().into_raw_vec_and_offset().0, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    /// ```
    pub fn linspace(
        start: f64,
        stop: f64,
        num: usize,
        endpoint: bool,
        chunk: usize,
    ) -> Result<Array> {
        if !(start.is_finite() && stop.is_finite()) {
            return Err(Error::invalid(format!(
                "linspace needs finite start and stop, got {start}, {stop}"
            )));
        }
        if chunk == 0 {
            return Err(Error::invalid("chunk sizes must be positive"));
        }
        Array::build(ArrayOp::Linspace {
            start,
            stop,
            num,
            endpoint,
            chunks: regular(num, chunk),
        })
    }

    /// An `n`×`m` array with ones on diagonal `k` (0 the main one, positive above it) and
    /// zeros elsewhere, numpy's `eye`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let e = Array::eye(3, 4, 1, ChunkSpec::Block(vec![2, 2])).unwrap();
    /// let v = e.compute(Scheduler::Sync).unwrap();
    /// assert_eq!((v[[0, 1]], v[[2, 3]], v[[0, 0]], v.sum()), (1.0, 1.0, 0.0, 3.0));
    /// ```
    pub fn eye(n: usize, m: usize, k: i64, chunks: ChunkSpec) -> Result<Array> {
        Array::build(ArrayOp::Eye {
            n,
            m,
            k,
            chunks: normalize_chunks(&[n, m], &chunks)?,
        })
    }

    /// An array of in-memory data, cut into `chunks`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let data = ndarray::arr2(&[[1.0, 2.0], [3.0, 4.0]]).into_dyn();
    /// let x = Array::from_array(data, ChunkSpec::Block(vec![1, 2])).unwrap();
    /// assert_eq!(x.numblocks(), vec![2, 1]);
    /// let col = x.sum(Some(&[0])).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(col.into_raw_vec_and_offset().0, vec![4.0, 6.0]);
    /// ```
    pub fn from_array(data: ArrayD<f64>, chunks: ChunkSpec) -> Result<Array> {
        Array::from_array_in(data, chunks, None)
    }

    /// As [`Array::from_array`]; with `live`, the data's guard is counted there (a
    /// page-side [`Context`](crate::Context) tracks which data its expressions hold).
    pub(crate) fn from_array_in(
        data: ArrayD<f64>,
        chunks: ChunkSpec,
        live: Option<&Arc<Mutex<Live>>>,
    ) -> Result<Array> {
        let chunks = normalize_chunks(data.shape(), &chunks)?;
        let mut data = Data::new(Arc::new(data.as_standard_layout().into_owned()));
        if let Some(live) = live {
            let guard = Arc::new(Guard::new(data.id(), live.clone()));
            data = data.guarded(guard);
        }
        Array::build(ArrayOp::FromData { data, chunks })
    }
}

/// A seed when none is given: drawn from the system's random source
/// (`crypto.getRandomValues` in browsers), 53 bits so that JS numbers hold it exactly.
/// `x · scale + offset`, leaving out the identities.
fn affine(x: Array, scale: f64, offset: f64) -> Result<Array> {
    let x = if scale == 1.0 {
        x
    } else {
        x.scalar_op(BinaryOp::Mul, scale, false)?
    };
    if offset == 0.0 {
        Ok(x)
    } else {
        x.scalar_op(BinaryOp::Add, offset, false)
    }
}

fn fresh_seed() -> u64 {
    let mut b = [0u8; 8];
    // The random source failing (no crypto at all) leaves a time-free fallback: a
    // per-process counter, so two calls still differ.
    if getrandom::fill(&mut b).is_err() {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0x5eed);
        return COUNTER.fetch_add(0x9e37_79b9, Ordering::Relaxed) & ((1 << 53) - 1);
    }
    u64::from_le_bytes(b) & ((1 << 53) - 1)
}

/// Shape, chunks and name prefix of a creation operation.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    Ok(match op {
        ArrayOp::Full {
            shape,
            chunks,
            value,
        } => {
            let chunks = normalize_chunks(shape, &ChunkSpec::Explicit(chunks.clone()))?;
            let prefix = if *value == 1.0 {
                "ones"
            } else if *value == 0.0 {
                "zeros"
            } else {
                "full"
            };
            Meta::new(prefix, shape.clone(), chunks)
        }
        ArrayOp::Arange { len, chunks, .. } => {
            let chunks = normalize_chunks(&[*len], &ChunkSpec::Explicit(vec![chunks.clone()]))?;
            Meta::new("arange", vec![*len], chunks)
        }
        ArrayOp::Random {
            shape,
            chunks,
            normal,
            ..
        } => {
            let chunks = normalize_chunks(shape, &ChunkSpec::Explicit(chunks.clone()))?;
            let prefix = if *normal { "normal" } else { "random_sample" };
            Meta::new(prefix, shape.clone(), chunks)
        }
        ArrayOp::Linspace { num, chunks, .. } => {
            let chunks = normalize_chunks(&[*num], &ChunkSpec::Explicit(vec![chunks.clone()]))?;
            Meta::new("linspace", vec![*num], chunks)
        }
        ArrayOp::Eye { n, m, chunks, .. } => {
            let chunks = normalize_chunks(&[*n, *m], &ChunkSpec::Explicit(chunks.clone()))?;
            Meta::new("eye", vec![*n, *m], chunks)
        }
        ArrayOp::FromData { data, chunks } => {
            let shape = data.array()?.shape().to_vec();
            let chunks = normalize_chunks(&shape, &ChunkSpec::Explicit(chunks.clone()))?;
            Meta::new("array", shape, chunks)
        }
        ArrayOp::Stored {
            id, shape, chunks, ..
        } => {
            let chunks = normalize_chunks(shape, &ChunkSpec::Explicit(chunks.clone()))?;
            let mut m = Meta::new("", shape.clone(), chunks);
            m.name = Some(id.clone());
            m
        }
        _ => return Err(not_mine("creation")),
    })
}

/// Adds the tasks of every block of `a`, a creation operation whose inputs are lowered.
pub(super) fn lower(a: &Array, g: &mut Graph) -> Result<()> {
    let grid = a.numblocks();
    match a.op() {
        ArrayOp::Full { value, .. } => {
            for idx in block_indices(&grid) {
                let shape = a.block_shape(&idx);
                g.insert(
                    a.block_key(&idx),
                    task(
                        ArrayKernel::Full {
                            shape,
                            value: *value,
                        },
                        vec![],
                    ),
                );
            }
        }
        ArrayOp::Arange {
            start,
            step,
            chunks,
            ..
        } => {
            let off = offsets(chunks);
            for (i, &len) in chunks.iter().enumerate() {
                g.insert(
                    a.block_key(&[i as u32]),
                    task(
                        ArrayKernel::Arange {
                            start: *start,
                            step: *step,
                            offset: off[i],
                            len,
                        },
                        vec![],
                    ),
                );
            }
        }
        ArrayOp::Random { seed, normal, .. } => {
            for (flat, idx) in block_indices(&grid).into_iter().enumerate() {
                let shape = a.block_shape(&idx);
                let k = ArrayKernel::Random {
                    shape,
                    seed: *seed,
                    block: flat as u64,
                    normal: *normal,
                };
                g.insert(a.block_key(&idx), task(k, vec![]));
            }
        }
        ArrayOp::Linspace {
            start,
            stop,
            num,
            endpoint,
            chunks,
        } => {
            let off = offsets(chunks);
            for (i, &len) in chunks.iter().enumerate() {
                let k = ArrayKernel::Linspace {
                    start: *start,
                    stop: *stop,
                    num: *num,
                    endpoint: *endpoint,
                    offset: off[i],
                    len,
                };
                g.insert(a.block_key(&[i as u32]), task(k, vec![]));
            }
        }
        ArrayOp::Eye { k, chunks, .. } => {
            let (rows, cols) = (offsets(&chunks[0]), offsets(&chunks[1]));
            for idx in block_indices(&grid) {
                let (i, j) = (idx[0] as usize, idx[1] as usize);
                let shape = [chunks[0][i], chunks[1][j]];
                // Diagonal k of the whole array, seen from this block's corner.
                let k = k + rows[i] as i64 - cols[j] as i64;
                g.insert(
                    a.block_key(&idx),
                    task(ArrayKernel::Eye { shape, k }, vec![]),
                );
            }
        }
        ArrayOp::FromData { data, chunks } => {
            let offs: Vec<Vec<usize>> = chunks.iter().map(|c| offsets(c)).collect();
            for idx in block_indices(&grid) {
                let block = data
                    .array()?
                    .slice_each_axis(|d| {
                        let ax = d.axis.index();
                        let i = idx[ax] as usize;
                        ndarray::Slice::from(offs[ax][i]..offs[ax][i + 1])
                    })
                    .to_owned();
                g.insert(
                    a.block_key(&idx),
                    Task::new(Kernel::Literal(Value::Block(block.into())), vec![]),
                );
            }
        }
        ArrayOp::Stored { id, held, .. } => {
            let Some(super::stored::Held::Local(stored)) = held else {
                return Err(Error::invalid(format!(
                    "the persisted array {id} is not available here (it was released)"
                )));
            };
            for (flat, idx) in block_indices(&grid).into_iter().enumerate() {
                let b = stored.block(flat).ok_or_else(|| {
                    Error::invalid(format!("the persisted array {id} lacks block {idx:?}"))
                })?;
                g.insert(
                    a.block_key(&idx),
                    Task::new(Kernel::Literal(Value::Block(b.clone())), vec![]),
                );
            }
        }
        _ => return Err(not_mine("creation")),
    }
    Ok(())
}

/// The `dask.array` line of a creation: `da.ones`, `da.zeros`, `da.full`, `da.arange`,
/// daskling's random blocks ([`RANDOM`]), embedded `fromArray` data.
pub(super) fn dask(a: &Array, s: &mut Script) -> Result<Line> {
    Ok(match a.op() {
        ArrayOp::Full { shape, chunks: c, value } => {
            let (shape, c) = (tuple(shape), chunks(c));
            if *value == 1.0 {
                ("ones".into(), format!("da.ones({shape}, chunks={c})"))
            } else if *value == 0.0 {
                ("zeros".into(), format!("da.zeros({shape}, chunks={c})"))
            } else {
                let v = float(*value);
                ("full".into(), format!("da.full({shape}, {v}, chunks={c})"))
            }
        }
        ArrayOp::Arange { start, step, len, chunks: c } => (
            "arange".into(),
            // start + i·step, as daskling computes each element.
            format!("da.arange({len}, chunks=({},)) * {} + {}", tuple(c), float(*step), float(*start)),
        ),
        ArrayOp::Random { chunks: c, seed, normal, .. } => {
            s.helper(RANDOM);
            let n = if *normal { ", normal=True" } else { "" };
            ("random".into(), format!("daskling_random({}, seed={seed}{n})", chunks(c)))
        }
        ArrayOp::Linspace { start, stop, num, endpoint, chunks: c } => {
            let (a, b, e) = (float(*start), float(*stop), if *endpoint { "True" } else { "False" });
            let code = format!("da.linspace({a}, {b}, {num}, endpoint={e}, chunks=({},))", tuple(c));
            ("linspace".into(), code)
        }
        ArrayOp::Eye { n, m, k, chunks: c } => {
            let first = c[0].first().copied().unwrap_or(1).max(1);
            let code = format!("da.eye({n}, M={m}, k={k}, chunks={first}).rechunk({})", chunks(c));
            ("eye".into(), code)
        }
        ArrayOp::FromData { data, chunks: c } => {
            let arr = data.array()?;
            if arr.len() > MAX_EMBEDDED {
                return Err(Error::invalid(format!(
                    "toDask: fromArray data of {} elements is too large to embed in a script (at most \
                     {MAX_EMBEDDED}); save it (np.save) next to the cluster and load it with da.from_array",
                    arr.len()
                )));
            }
            let values: Vec<String> = arr.iter().map(|&v| float(v)).collect();
            let (shape, c) = (tuple(arr.shape()), chunks(c));
            let code = format!("da.from_array(np.array([{}]).reshape({shape}), chunks={c})", values.join(", "));
            ("data".into(), code)
        }
        ArrayOp::Stored { id, .. } => {
            return Err(Error::invalid(format!(
                "toDask: {id} is a persisted array, whose blocks live in the browser's kernel; export the \
                 expression it was computed from (before persist())"
            )))
        }
        _ => return Err(not_mine("creation")),
    })
}
