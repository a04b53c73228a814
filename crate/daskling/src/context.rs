//! The [`Context`]: everything a kernel instance holds between computes, owned by one
//! value instead of process-wide registries.
//!
//! - `fromArray` data the client sent, by content token (sent once, then named);
//! - the dataframe sources it was given (the page's `File`s, Node's paths), by id, and
//!   the dataframe reads decoded here, by name (later messages name them only);
//! - persisted arrays' blocks and dataframes' partitions, by name;
//! - the runner of JavaScript calls (the wasm bindings give one);
//! - on the page's side, the guards that tell which of the worker's data and persisted
//!   arrays no expression uses any more.
//!
//! Decoding a wire expression is a function of the wire and the context only
//! ([`Context::decode`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use ndarray::ArrayD;
use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::expr::array::{Array, ArrayOp, Data};
use crate::expr::dataframe::{Df, DfOp, SourceRef};
use crate::expr::js::JsRunner;
use crate::expr::stored::{Guard, Held, Live, Stored};
use crate::expr::{Expr, RunOptions, Wire};
use crate::kernels::dataframe::source::ByteSource;
use crate::kernels::dataframe::Frame;
use crate::scheduler::{Clock, Scheduler, Trace};

/// What one kernel instance holds: data, sources, persisted arrays, the JS runner.
///
/// ```
/// use std::sync::Arc;
/// use daskling::expr::array::{Array, ChunkSpec};
/// use daskling::expr::{Expr, Wire};
/// use daskling::{Context, Scheduler};
///
/// // The page's side builds and encodes; the worker's side decodes in its context.
/// let page = Context::new();
/// let x = page.from_array(ndarray::arr1(&[1.0, 2.0, 3.0]).into_dyn(), ChunkSpec::Block(vec![2])).unwrap();
/// let wire = Wire::encode(&[Expr::Array(x.sum(None).unwrap())]);
/// let json = serde_json::to_string(&wire).unwrap();
///
/// let worker = Context::new();
/// let wire: Wire = serde_json::from_str(&json).unwrap();
/// // The data was not sent yet: decoding names what is missing.
/// assert!(worker.decode(&wire, &[]).unwrap_err().to_string().contains("array data"));
/// for d in wire.data(&[Expr::Array(x.clone())]) {
///     worker.add_data(d.id(), d.array().unwrap().clone());
/// }
/// let Expr::Array(s) = worker.decode(&wire, &[]).unwrap().remove(0) else { panic!() };
/// assert_eq!(s.compute(Scheduler::Sync).unwrap().into_raw_vec_and_offset().0, vec![6.0]);
/// ```
#[derive(Default)]
pub struct Context {
    data: RwLock<FxHashMap<String, Arc<ArrayD<f64>>>>,
    /// `fromColumns` frames the client sent, by content token.
    frames: RwLock<FxHashMap<String, Arc<Frame>>>,
    sources: RwLock<FxHashMap<String, Arc<dyn ByteSource>>>,
    persisted: RwLock<FxHashMap<String, Arc<Stored>>>,
    /// The dataframe reads decoded here, by name: later messages name them only.
    reads: RwLock<FxHashMap<String, Df>>,
    live: Arc<Mutex<Live>>,
    runner: Option<Arc<dyn JsRunner>>,
    clock: Option<Clock>,
    /// The most bytes data, persisted arrays and the running computes may hold (0: no limit).
    memory_limit: AtomicU64,
    /// What the computes running at once hold together.
    budget: Arc<crate::scheduler::Budget>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("data", &read(&self.data).len())
            .field("sources", &read(&self.sources).len())
            .field("persisted", &read(&self.persisted).len())
            .field("js", &self.runner.is_some())
            .finish()
    }
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}

impl Context {
    /// An empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// This context, running JavaScript calls through `runner`.
    pub fn with_js_runner(mut self, runner: Arc<dyn JsRunner>) -> Context {
        self.runner = Some(runner);
        self
    }

    /// This context, timing task streams by `clock` (milliseconds every thread agrees
    /// on).
    pub fn with_clock(mut self, clock: Clock) -> Context {
        self.clock = Some(clock);
        self
    }

    /// An empty task stream timed by this context's clock.
    ///
    /// ```
    /// let ctx = daskling::Context::new().with_clock(|| 7.0);
    /// assert_eq!(ctx.trace().now(), 7.0);
    /// ```
    pub fn trace(&self) -> Trace {
        match self.clock {
            Some(c) => Trace::with_clock(c),
            None => Trace::new(),
        }
    }

    // ---- the page's side ----

    /// Sets the memory limit: data, persisted arrays and what one compute holds at once
    /// stay within `bytes` (`None`: no limit). See [`Context::run_options`].
    pub fn set_memory_limit(&self, bytes: Option<u64>) {
        self.memory_limit
            .store(bytes.map_or(0, |b| b.max(1)), Ordering::Relaxed);
    }

    /// The memory limit, if there is one.
    pub fn memory_limit(&self) -> Option<u64> {
        Some(self.memory_limit.load(Ordering::Relaxed)).filter(|&b| b > 0)
    }

    /// Bytes of the data and persisted arrays held here.
    pub fn held_bytes(&self) -> u64 {
        let data: u64 = read(&self.data).values().map(|a| 8 * a.len() as u64).sum();
        let frames: u64 = read(&self.frames).values().map(|f| f.nbytes()).sum();
        data + frames
            + read(&self.persisted)
                .values()
                .map(|s| s.nbytes())
                .sum::<u64>()
    }

    /// How a compute runs here: on `scheduler`, recording into `trace`, within what the
    /// memory limit leaves after the data and persisted arrays held.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Context, Scheduler};
    /// let ctx = Context::new();
    /// ctx.set_memory_limit(Some(1_000_000));
    /// let x = Array::ones(&[100, 100], ChunkSpec::Block(vec![50, 50])).unwrap();
    /// let p = ctx.persist(&x, Scheduler::Sync).unwrap(); // 80 kB held
    /// let options = ctx.run_options(Scheduler::Sync, None);
    /// assert_eq!((options.memory_limit, options.held), (Some(1_000_000), 80_000));
    /// let big = Array::ones(&[400, 400], ChunkSpec::Block(vec![100, 100])).unwrap(); // 1.28 MB
    /// let e = ctx.persist(&big, Scheduler::Sync).unwrap_err();
    /// assert!(e.to_string().contains("the computed result (1.28 MB)"), "{e}");
    /// # drop(p);
    /// ```
    pub fn run_options(&self, scheduler: Scheduler, trace: Option<Arc<Trace>>) -> RunOptions {
        RunOptions {
            scheduler,
            trace,
            clock: self.clock,
            memory_limit: self.memory_limit(),
            held: self.held_bytes(),
            budget: Some(self.budget.clone()),
            settle: false,
            cancel: None,
        }
    }

    /// An array of in-memory data (as [`Array::from_array`]) whose data is tracked: when
    /// no expression holds it any more, its token is in [`Context::take_released`].
    pub fn from_array(
        &self,
        data: ArrayD<f64>,
        chunks: crate::expr::array::ChunkSpec,
    ) -> Result<Array> {
        Array::from_array_in(data, chunks, Some(&self.live))
    }

    /// A frame of in-memory columns (as [`DataFrame::from_frame`]) whose data is tracked:
    /// when no expression holds it any more, its token is in [`Context::take_released`].
    ///
    /// [`DataFrame::from_frame`]: crate::expr::dataframe::DataFrame::from_frame
    pub fn from_frame(
        &self,
        frame: Arc<Frame>,
        npartitions: usize,
    ) -> Result<crate::expr::dataframe::DataFrame> {
        crate::expr::dataframe::from_frame_in(frame, npartitions, Some(&self.live))
    }

    /// Keeps `frame` under its content token `id` (sent once by the page).
    pub fn add_frame(&self, id: &str, frame: Arc<Frame>) {
        write(&self.frames).insert(id.to_string(), frame);
    }

    /// The persisted form of `array` whose blocks are kept elsewhere (on the compute
    /// worker): same name, shape and chunks; when no expression holds it any more, its
    /// name is in [`Context::take_released`].
    pub fn persisted_remote(&self, array: &Array) -> Result<Array> {
        Array::build(ArrayOp::Stored {
            id: array.name().to_string(),
            shape: array.shape().to_vec(),
            chunks: array.chunks().to_vec(),
            held: Some(Held::Remote(Arc::new(Guard::new(
                array.name(),
                self.live.clone(),
            )))),
        })
    }

    /// Names of data and persisted arrays no expression of this context uses any more
    /// (since the previous call): the worker may free them ([`Context::release`]).
    ///
    /// ```
    /// use daskling::{Context, ChunkSpec};
    /// let page = Context::new();
    /// let x = page.from_array(ndarray::arr1(&[1.0]).into_dyn(), ChunkSpec::Block(vec![1])).unwrap();
    /// let y = x.add_scalar(1.0).unwrap();
    /// drop(x);
    /// assert!(page.take_released().is_empty()); // y still holds the data
    /// drop(y);
    /// assert_eq!(page.take_released().len(), 1);
    /// ```
    pub fn take_released(&self) -> Vec<String> {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take_released()
    }

    // ---- the worker's side ----

    /// Keeps `array` under its content token `id` (sent once by the page).
    ///
    /// ```
    /// use std::sync::Arc;
    /// let ctx = daskling::Context::new();
    /// ctx.add_data("data-1", Arc::new(ndarray::arr1(&[1.0]).into_dyn()));
    /// assert!(ctx.has_data("data-1") && !ctx.has_data("data-2"));
    /// ```
    pub fn add_data(&self, id: &str, array: Arc<ArrayD<f64>>) {
        write(&self.data).insert(id.to_string(), array);
    }

    /// Whether data `id` is here.
    pub fn has_data(&self, id: &str) -> bool {
        read(&self.data).contains_key(id)
    }

    /// Adds `source` under `id`: expressions naming `id` read it.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// let ctx = daskling::Context::new();
    /// let s = ctx.add_source("src-1", Arc::new(MemorySource::new("a.csv", &b"x\n1\n"[..])));
    /// assert_eq!((s.name.as_str(), s.size, ctx.held().1), ("a.csv", 4, 1));
    /// ```
    pub fn add_source(&self, id: &str, source: Arc<dyn ByteSource>) -> SourceRef {
        write(&self.sources).insert(id.to_string(), source.clone());
        SourceRef::new(id, source)
    }

    /// Computes `array`'s blocks and keeps them under its name until [`Context::release`];
    /// returns the persisted array.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Context, Scheduler};
    /// let ctx = Context::new();
    /// let x = Array::ones(&[4], ChunkSpec::Block(vec![2])).unwrap();
    /// let p = ctx.persist(&x, Scheduler::Sync).unwrap();
    /// assert_eq!(ctx.held().2, 1);
    /// ctx.release(&[p.name().to_string()]);
    /// assert_eq!(ctx.held().2, 0);
    /// ```
    pub fn persist(&self, array: &Array, scheduler: Scheduler) -> Result<Array> {
        self.persist_with(array, scheduler, &mut |_| {})
    }

    /// As [`Context::persist`], calling `on_progress` while it runs.
    pub fn persist_with(
        &self,
        array: &Array,
        scheduler: Scheduler,
        on_progress: &mut dyn FnMut(crate::scheduler::Progress),
    ) -> Result<Array> {
        let p = array.persist_with(&self.run_options(scheduler, None), on_progress)?;
        self.keep(&p);
        Ok(p)
    }

    /// Keeps the blocks of persisted array `p` (what [`Array::persisted`] gives) under
    /// its name until [`Context::release`].
    pub fn keep(&self, p: &Array) {
        if let ArrayOp::Stored { id, held, .. } = p.op() {
            self.hold(id, held.as_ref());
        }
    }

    /// Keeps the partitions of persisted frame or series `p` (what [`Df::persisted`]
    /// gives) under the name it was computed as, until [`Context::release`].
    pub fn keep_frame(&self, p: &Df) {
        if let DfOp::Stored { id, held, .. } = p.op() {
            self.hold(id, held.as_ref());
        }
    }

    fn hold(&self, id: &str, held: Option<&Held>) {
        if let Some(Held::Local(s)) = held {
            write(&self.persisted).insert(id.to_string(), s.clone());
        }
    }

    /// Computes the partitions of frame or series `d` and keeps them (as
    /// [`Context::persist`] does an array's blocks); returns the persisted frame.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::{Context, Scheduler};
    /// let ctx = Context::new();
    /// let src = Arc::new(MemorySource::new("a.csv", &b"x\n1\n2\n"[..]));
    /// let df = read_csv_sources(vec![src], &ReadOptions::default()).unwrap();
    /// let p = ctx.persist_frame(&df.0, Scheduler::Sync).unwrap();
    /// assert_eq!(ctx.held().2, 1);
    /// let total = daskling::expr::dataframe::DataFrame(p).col("x").unwrap().sum().unwrap();
    /// assert_eq!(total.compute(Scheduler::Sync).unwrap(), 3.0);
    /// ```
    pub fn persist_frame(&self, d: &Df, scheduler: Scheduler) -> Result<Df> {
        let (values, _) = d
            .start_persist(&self.run_options(scheduler, None))?
            .finish(&mut |_| {})?;
        let p = d.persisted(values)?;
        self.keep_frame(&p);
        Ok(p)
    }

    /// The persisted form of frame or series `d` whose partitions are kept elsewhere
    /// (on the compute worker): same metadata; when no expression holds it any more,
    /// its name is in [`Context::take_released`].
    pub fn persisted_remote_frame(&self, d: &Df) -> Result<Df> {
        d.stored(Held::Remote(Arc::new(Guard::new(
            d.name(),
            self.live.clone(),
        ))))
    }

    /// Frees data and persisted arrays by name (unknown names are ignored).
    pub fn release(&self, names: &[String]) {
        let mut data = write(&self.data);
        let mut frames = write(&self.frames);
        let mut persisted = write(&self.persisted);
        for n in names {
            data.remove(n);
            frames.remove(n);
            persisted.remove(n);
        }
    }

    /// How many data arrays, sources and persisted arrays this context holds.
    pub fn held(&self) -> (usize, usize, usize) {
        (
            read(&self.data).len(),
            read(&self.sources).len(),
            read(&self.persisted).len(),
        )
    }

    /// Decodes `wire` (and `bytes`, the calls' arguments) into lazy values, resolving
    /// the data, sources and persisted arrays it names in this context, and giving its
    /// calls this context's JavaScript runner. An error names anything missing.
    pub fn decode(&self, wire: &Wire, bytes: &[u8]) -> Result<Vec<Expr>> {
        wire.decode_with(bytes, self)
    }

    /// Fills in what an array operation decoded from the wire names.
    pub(crate) fn resolve_array(&self, op: &mut ArrayOp) -> Result<()> {
        match op {
            ArrayOp::MapBlocks { func, .. } => func.runner = self.js_runner(),
            ArrayOp::FromData { data, .. } if !data.is_resolved() => {
                let array = read(&self.data).get(data.id()).cloned().ok_or_else(|| {
                    Error::invalid(format!(
                        "array data {} is not available here (it was not sent to this kernel)",
                        data.id()
                    ))
                })?;
                *data = Data::with_id(data.id().to_string(), array);
            }
            ArrayOp::Stored { id, held, .. } if held.is_none() => {
                let s = read(&self.persisted).get(id.as_str()).cloned().ok_or_else(|| {
                    Error::invalid(format!(
                        "the persisted array {id} is not available here (it was released, or the kernel restarted)"
                    ))
                })?;
                *held = Some(Held::Local(s));
            }
            _ => {}
        }
        Ok(())
    }

    /// Fills in the sources a dataframe operation decoded from the wire names.
    pub(crate) fn resolve_df(&self, op: &mut DfOp<crate::expr::dataframe::Df>) -> Result<()> {
        if let DfOp::Stored { id, held, .. } = op {
            if held.is_none() {
                let s = read(&self.persisted).get(id.as_str()).cloned().ok_or_else(|| {
                    Error::invalid(format!(
                        "the persisted dataframe {id} is not available here (it was released, or the kernel restarted)"
                    ))
                })?;
                *held = Some(Held::Local(s));
            }
        }
        if let DfOp::FromFrame { data, .. } = op {
            if !data.is_resolved() {
                let f = read(&self.frames).get(data.id()).cloned().ok_or_else(|| {
                    Error::invalid(format!(
                        "frame data {} is not available here (it was not sent to this kernel)",
                        data.id()
                    ))
                })?;
                *data = crate::expr::dataframe::FrameData::with_id(data.id().to_string(), f);
            }
        }
        if let DfOp::MapPartitions { func, .. } = op {
            func.runner = self.js_runner();
        }
        if !op.sources().is_empty() {
            let table = read(&self.sources);
            for s in op.sources_mut().iter_mut().filter(|s| s.held.is_none()) {
                s.held = Some(table.get(&s.id).cloned().ok_or_else(|| {
                    Error::invalid(format!(
                        "the source {} ({}) was not given to this kernel",
                        s.name, s.id
                    ))
                })?);
            }
        }
        Ok(())
    }

    /// Keeps a dataframe read decoded here, for later messages that name it only.
    pub(crate) fn hold_read(&self, d: &Df) {
        write(&self.reads).insert(d.name().to_string(), d.clone());
    }

    /// A dataframe read decoded here earlier, by name.
    pub(crate) fn held_read(&self, name: &str) -> Result<Df> {
        read(&self.reads).get(name).cloned().ok_or_else(|| {
            Error::invalid(format!(
                "the dataframe read {name} is not held by this kernel (it was never sent here, or the kernel restarted)"
            ))
        })
    }

    /// The runner calls decoded here get.
    pub(crate) fn js_runner(&self) -> Option<Arc<dyn JsRunner>> {
        self.runner.clone()
    }
}
