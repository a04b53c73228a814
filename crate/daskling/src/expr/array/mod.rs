//! Chunked float64 arrays, as `dask.array`.
//!
//! An [`Array`] is a lazy expression whose shape and chunks are known at once; computing
//! lowers it to one task per block, optimizes and schedules the graph.
//!
//! Each operation's constructors, metadata and lowering live together in its family's
//! module: `creation`, `elementwise`, `reduction`, `reshape` (transpose, slice, rechunk),
//! `dot` and `linalg`; `op` lists the operations, `chunks` is the chunk arithmetic,
//! `lower` walks an expression iteratively and hands each node to its family.
//!
//! ```
//! use daskling::expr::array::{Array, ChunkSpec};
//! use daskling::scheduler::Scheduler;
//!
//! let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
//! assert_eq!(x.chunks(), &[vec![5, 5, 5], vec![5, 5, 5]]);
//! let y = x.dot(&x.t().add_scalar(1.0).unwrap()).unwrap();       // x.dot(x.T + 1)
//! let z = y.sub(&x.mean(None).unwrap()).unwrap();                 // ... - x.mean()
//! let total = z.sum(None).unwrap().compute(Scheduler::Threads).unwrap();
//! assert_eq!(total.into_raw_vec_and_offset().0, vec![29.0 * 225.0]);
//! ```

mod arg;
mod chunks;
mod creation;
mod data;
mod dot;
mod elementwise;
mod join;
mod linalg;
mod lower;
mod map_blocks;
mod norm;
mod op;
mod overlap;
mod reduction;
mod reshape;
mod scan;
mod solve;
pub use super::stored;
mod tasks;

use std::sync::Arc;

use ndarray::ArrayD;

pub use chunks::{normalize_chunks, ChunkSpec, MAX_BLOCKS};
pub use data::Data;
pub use norm::NormOrd;
pub use op::{ArrayOp, AxisIndex, QrPart, SliceArg, SvdPart};

use super::dask::script::{Line, Script};
use super::walk::{post_order, unlink};
use super::{not_mine, Lazy};
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key};
use crate::scheduler::Scheduler;

/// A family of operations: one module with its operations' constructors, metadata
/// rule (`meta`), lowering (`lower`) and dask export (`dask`): `creation`, `elementwise`,
/// `reduction`, `reshape`, `dot`, `linalg`. A new family is a module with those three
/// functions and one arm of [`family`].
#[derive(Clone, Copy)]
struct Family {
    /// Shape, chunks and name of an operation of the family.
    meta: fn(&ArrayOp) -> Result<Meta>,
    /// Its `dask.array` line (the variable's stem and the code), its inputs exported.
    dask: fn(&Array, &mut Script) -> Result<Line>,
    /// Adds the tasks of an array of the family, its inputs lowered.
    lower: fn(&Array, &mut Graph) -> Result<()>,
}

/// The family of an operation: the one dispatch over families.
fn family(op: &ArrayOp) -> Family {
    macro_rules! of {
        ($m:ident) => {
            Family {
                meta: $m::meta,
                lower: $m::lower,
                dask: $m::dask,
            }
        };
    }
    match op {
        ArrayOp::Full { .. }
        | ArrayOp::Arange { .. }
        | ArrayOp::Random { .. }
        | ArrayOp::Linspace { .. }
        | ArrayOp::Eye { .. }
        | ArrayOp::FromData { .. }
        | ArrayOp::Stored { .. } => of!(creation),
        ArrayOp::Map { .. } | ArrayOp::Binary { .. } | ArrayOp::Where { .. } => {
            of!(elementwise)
        }
        ArrayOp::Reduce { .. } => of!(reduction),
        ArrayOp::Scan { .. } => of!(scan),
        ArrayOp::Arg { .. } => of!(arg),
        ArrayOp::Concatenate { .. } | ArrayOp::Stack { .. } => of!(join),
        ArrayOp::MapBlocks { .. } => of!(map_blocks),
        ArrayOp::Overlap { .. } | ArrayOp::Trim { .. } => of!(overlap),
        ArrayOp::Transpose { .. } | ArrayOp::Slice { .. } | ArrayOp::Rechunk { .. } => {
            of!(reshape)
        }
        ArrayOp::Dot { .. } => of!(dot),
        ArrayOp::Qr { .. } | ArrayOp::Svd { .. } => of!(linalg),
        ArrayOp::Cholesky { .. } | ArrayOp::Solve { .. } => of!(solve),
    }
}

/// Writes `a`'s line of a `toDask` script (its inputs are written), from its family.
pub(crate) fn export_dask(a: &Array, s: &mut Script) -> Result<()> {
    let (stem, code) = (family(a.op()).dask)(a, s)?;
    s.assign(a.name(), &stem, code);
    Ok(())
}

/// dask's default fan-in of tree reductions.
pub const DEFAULT_SPLIT_EVERY: usize = 4;

#[derive(Debug)]
struct Node {
    op: ArrayOp,
    /// Shared by every block key (keys compare names by pointer first).
    name: Arc<str>,
    shape: Vec<usize>,
    chunks: Vec<Vec<usize>>,
}

impl Drop for Node {
    /// Drops long chains iteratively: the default recursive drop of a chain of 100,000
    /// operations would overflow the stack.
    fn drop(&mut self) {
        unlink(take_inputs(self), take_inputs);
    }
}

/// Empties `node`'s operation; gives the nodes of its inputs.
fn take_inputs(node: &mut Node) -> Vec<Arc<Node>> {
    let empty = ArrayOp::Full {
        shape: vec![],
        chunks: vec![],
        value: 0.0,
    };
    let op = std::mem::replace(&mut node.op, empty);
    op.inputs().into_iter().map(|a| a.0.clone()).collect()
}

/// A lazy chunked float64 array. Cloning is cheap (a shared expression tree).
#[derive(Clone, Debug)]
pub struct Array(Arc<Node>);

impl PartialEq for Array {
    /// Arrays are equal when their expressions are (same name).
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

/// What an operation gives: layer name prefix, shape and chunks.
struct Meta {
    prefix: String,
    shape: Vec<usize>,
    chunks: Vec<Vec<usize>>,
    /// A fixed layer name (linalg outputs share internal tasks by name).
    name: Option<String>,
}

impl Meta {
    fn new(prefix: &str, shape: Vec<usize>, chunks: Vec<Vec<usize>>) -> Meta {
        Meta {
            prefix: prefix.to_string(),
            shape,
            chunks,
            name: None,
        }
    }
}

fn normalize_axis(axis: isize, ndim: usize) -> Result<usize> {
    let n = if axis < 0 { axis + ndim as isize } else { axis };
    if n < 0 || n >= ndim as isize {
        return Err(Error::invalid(format!(
            "axis {axis} is out of bounds for an array of {ndim} dimensions"
        )));
    }
    Ok(n as usize)
}

impl Array {
    /// Builds an array from an operation, checking that it fits its inputs. Every
    /// constructor ends here, and so does decoding a serialized expression.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// use daskling::expr::array::ArrayOp;
    /// // Chunks that do not add up to the shape are rejected, wherever the operation comes from.
    /// let bad = ArrayOp::Full { shape: vec![4], chunks: vec![vec![3]], value: 1.0 };
    /// assert!(Array::build(bad).is_err());
    /// ```
    pub fn build(op: ArrayOp) -> Result<Array> {
        let meta = Array::meta(&op)?;
        if meta
            .shape
            .iter()
            .try_fold(1u64, |acc, &n| acc.checked_mul(n as u64))
            .is_none()
        {
            return Err(Error::invalid(format!(
                "the shape {:?} has more than 2^64 elements",
                meta.shape
            )));
        }
        let counts: Vec<u64> = meta.chunks.iter().map(|c| c.len() as u64).collect();
        chunks::check_block_count(&meta.shape, &counts)?;
        let name = match meta.name {
            Some(n) => n,
            None => {
                let named = op.try_map(|a| Ok::<_, Error>(a.name().to_string()))?;
                let json = serde_json::to_string(&named).map_err(Error::invalid)?;
                format!("{}-{}", meta.prefix, tokenize(&json))
            }
        };
        Ok(Array(Arc::new(Node {
            op,
            name: name.into(),
            shape: meta.shape,
            chunks: meta.chunks,
        })))
    }

    /// Shape, chunks and name of `op`, from its family.
    fn meta(op: &ArrayOp) -> Result<Meta> {
        (family(op).meta)(op)
    }

    /// The operation this array is the result of.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// use daskling::expr::array::ArrayOp;
    /// assert!(matches!(x.op(), ArrayOp::Full { value, .. } if *value == 1.0));
    /// ```
    pub fn op(&self) -> &ArrayOp {
        &self.0.op
    }

    /// The layer name (`"sum-1a2b…"`), a content hash of the expression.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert!(x.name().starts_with("ones-"));
    /// assert_eq!(x.name(), Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap().name());
    /// ```
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The shape.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.shape(), &[10, 4]);
    /// ```
    pub fn shape(&self) -> &[usize] {
        &self.0.shape
    }

    /// Block sizes along each axis.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.chunks(), &[vec![3, 3, 3, 1], vec![4]]);
    /// ```
    pub fn chunks(&self) -> &[Vec<usize>] {
        &self.0.chunks
    }

    /// Number of dimensions.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.ndim(), 2);
    /// ```
    pub fn ndim(&self) -> usize {
        self.0.shape.len()
    }

    /// Number of elements, a 64-bit count on every target (wasm32's `usize` is 32 bits).
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.size(), 40);
    /// ```
    pub fn size(&self) -> u64 {
        // Checked when the array was built: the product fits in 64 bits.
        self.0.shape.iter().map(|&n| n as u64).product()
    }

    /// Number of blocks along each axis.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.numblocks(), vec![4, 1]);
    /// ```
    pub fn numblocks(&self) -> Vec<usize> {
        self.0.chunks.iter().map(|c| c.len()).collect()
    }

    /// Number of blocks.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.npartitions(), 4);
    /// ```
    pub fn npartitions(&self) -> usize {
        self.numblocks().iter().product()
    }

    /// Normalizes axes (negative counts from the end) to sorted, distinct indices;
    /// `None` means all axes.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.normalize_axes(Some(&[-1, 0])).unwrap(), vec![0, 1]);
    /// assert!(x.normalize_axes(Some(&[2])).is_err());
    /// assert!(x.normalize_axes(Some(&[0, 0])).is_err());
    /// ```
    pub fn normalize_axes(&self, axes: Option<&[isize]>) -> Result<Vec<usize>> {
        let mut out: Vec<usize> = match axes {
            None => (0..self.ndim()).collect(),
            Some(axes) => axes
                .iter()
                .map(|&a| normalize_axis(a, self.ndim()))
                .collect::<Result<_>>()?,
        };
        let len = out.len();
        out.sort_unstable();
        out.dedup();
        if out.len() != len {
            return Err(Error::invalid(format!("repeated axis in {axes:?}")));
        }
        Ok(out)
    }

    // ---- elementwise ----

    // ---- reductions ----

    // ---- shape ----

    // ---- compute ----

    /// Computes every block and keeps them in memory: the result has the same name,
    /// shape and chunks, and expressions built on it start from the stored blocks.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::random(&[100], ChunkSpec::Block(vec![25]), Some(3)).unwrap();
    /// let p = x.persist(Scheduler::Threads).unwrap();
    /// assert_eq!(p.name(), x.name());
    /// // Expressions on the persisted array start from its stored blocks: one literal task
    /// // per block feeds the sum.
    /// assert_eq!(p.sum(None).unwrap().compute(Scheduler::Sync).unwrap(), x.sum(None).unwrap().compute(Scheduler::Sync).unwrap());
    /// ```
    pub fn persist(&self, scheduler: Scheduler) -> Result<Array> {
        let options = super::RunOptions {
            scheduler,
            ..Default::default()
        };
        self.persist_with(&options, &mut |_| {})
    }

    /// As [`Array::persist`], run as `options` say (a memory limit the stored blocks
    /// must fit in), calling `on_progress` while it runs.
    pub fn persist_with(
        &self,
        options: &super::RunOptions,
        on_progress: &mut dyn FnMut(crate::scheduler::Progress),
    ) -> Result<Array> {
        let run = self.start_persist(options)?;
        let (values, _) = run.finish(on_progress)?;
        self.persisted(values)
    }

    /// As [`Array::persist_with`], started but not run: poll the execution, then give
    /// its values to [`Array::persisted`].
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec};
    /// let x = Array::ones(&[4], ChunkSpec::Block(vec![2])).unwrap();
    /// let run = x.start_persist(&Default::default()).unwrap();
    /// let (blocks, _) = run.finish(&mut |_| {}).unwrap();
    /// assert_eq!(x.persisted(blocks).unwrap().name(), x.name());
    /// ```
    pub fn start_persist(
        &self,
        options: &super::RunOptions,
    ) -> Result<crate::scheduler::Execution> {
        let limit = super::limit_for(&[self as &dyn Lazy], options)?;
        let mut g = Graph::new();
        lower::lower_blocks(self, &mut g)?;
        let keys: Vec<Key> = chunks::block_indices(&self.numblocks())
            .iter()
            .map(|i| self.block_key(i))
            .collect();
        super::start_graph(g, keys, limit, options)
    }

    /// The persisted array of this one's computed blocks (in block order).
    pub fn persisted(&self, values: Vec<crate::kernels::Value>) -> Result<Array> {
        let held = match stored::Stored::of(values) {
            Some(s @ stored::Stored::Blocks(_)) => Arc::new(s),
            _ => return Err(Error::invalid("persist: a block task gave no array")),
        };
        Array::build(ArrayOp::Stored {
            id: self.name().to_string(),
            shape: self.shape().to_vec(),
            chunks: self.chunks().to_vec(),
            held: Some(stored::Held::Local(held)),
        })
    }

    /// The key of block `index`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::ones(&[10, 4], ChunkSpec::Block(vec![3, 4])).unwrap();
    /// assert_eq!(x.block_key(&[2, 0]).to_string(), format!("('{}', 2, 0)", x.name()));
    /// ```
    pub fn block_key(&self, index: &[u32]) -> Key {
        Key::new(self.0.name.clone(), index)
    }

    fn block_shape(&self, idx: &[u32]) -> Vec<usize> {
        idx.iter()
            .zip(self.chunks())
            .map(|(&i, c)| c[i as usize])
            .collect()
    }

    /// Computes the array (lower, optimize, run) and returns it whole.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let x = Array::arange(0.0, 6.0, 1.0, 4).unwrap().add_scalar(1.0).unwrap();
    /// let v = x.compute(Scheduler::Sync).unwrap();
    /// assert_eq!(v.into_raw_vec_and_offset().0, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    /// ```
    pub fn compute(&self, scheduler: Scheduler) -> Result<ArrayD<f64>> {
        let (values, _) = super::compute_values(&[self as &dyn Lazy], scheduler, &mut |_| {})?;
        let v = values
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid("the compute returned no value"))?;
        Ok(v.as_block(self.name())?.clone())
    }
}

impl Lazy for Array {
    fn lower(&self, g: &mut Graph) -> Result<Key> {
        let total = self
            .shape()
            .iter()
            .try_fold(1usize, |acc, &x| acc.checked_mul(x));
        if total.is_none_or(|n| n > tasks::MAX_BLOCK_ELEMENTS) {
            return Err(Error::invalid(format!(
                "computing the whole {:?} array would need over 2 GiB; compute a reduction \
                 or a slice of it instead",
                self.shape()
            )));
        }
        lower::lower_blocks(self, g)?;
        let grid = self.numblocks();
        let indices = chunks::block_indices(&grid);
        if indices.len() == 1 {
            return Ok(self.block_key(&indices[0]));
        }
        let key = Key::named(format!("concatenate-{}", tokenize(self.name())));
        let deps = indices.iter().map(|i| self.block_key(i)).collect();
        g.insert(
            key.clone(),
            crate::graph::Task::new(
                crate::kernels::Kernel::Array(crate::kernels::ArrayKernel::Concat { grid }),
                deps,
            ),
        );
        Ok(key)
    }

    /// The whole array's bytes, and the largest block of any array it is built from
    /// (visited once each, iteratively).
    fn needs(&self) -> super::Needs {
        let mut state = (rustc_hash::FxHashSet::default(), 0u64);
        let inputs = |a: &Array| a.op().inputs().into_iter().cloned().collect();
        let done = |(seen, _): &(rustc_hash::FxHashSet<Arc<str>>, u64), a: &Array| {
            seen.contains(&a.0.name)
        };
        let _ = post_order(
            &mut state,
            [self.clone()],
            inputs,
            done,
            |(seen, block), a| {
                let largest = a
                    .chunks()
                    .iter()
                    .map(|c| c.iter().copied().max().unwrap_or(0) as u64)
                    .fold(8u64, u64::saturating_mul);
                *block = (*block).max(largest);
                seen.insert(a.0.name.clone());
                Ok::<_, std::convert::Infallible>(())
            },
        );
        let block = state.1;
        super::Needs {
            result: self.size().saturating_mul(8),
            block,
        }
    }
}
