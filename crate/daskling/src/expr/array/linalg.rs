//! Chunked linear algebra, as `dask.array.linalg`: TSQR (`qr`), the SVD of
//! tall-and-skinny and short-and-fat arrays built on it, and a randomized
//! `svd_compressed` for any chunking.
//!
//! TSQR (Benson, Gleich & Demmel): every row block `xᵢ = qᵢ rᵢ`; the stacked `rᵢ` are
//! factored once more, `[r₀; r₁; …] = q₂ r`; then `q = [q₀ q₂⁽⁰⁾; q₁ q₂⁽¹⁾; …]`. The SVD
//! factors the small `r = uᵣ s v` and returns `u = q uᵣ`. Outputs of one factorization
//! share their tasks through fixed layer names derived from the input's name.

use super::tasks::task;
use super::{not_mine, Array, ArrayOp, ChunkSpec, Meta, QrPart, SliceArg, SvdPart};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::array::BinaryOp;
use crate::kernels::ArrayKernel;

impl Array {
    /// TSQR of a tall-and-skinny array (one block along axis 1): `(q, r)`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// let a = ndarray::Array2::from_shape_fn((6, 2), |(i, j)| (i * 2 + j) as f64 + if i == j { 1.0 } else { 0.0 });
    /// let x = Array::from_array(a.clone().into_dyn(), ChunkSpec::Block(vec![3, 2])).unwrap();
    /// let (q, r) = x.qr().unwrap();
    /// let back = q.dot(&r).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert!(back.iter().zip(a.iter()).all(|(u, v)| (u - v).abs() < 1e-9));
    /// ```
    pub fn qr(&self) -> Result<(Array, Array)> {
        qr(self)
    }

    /// SVD `x = u · diag(s) · v` of a tall-and-skinny or short-and-fat array (one block
    /// along one axis); other chunkings get an error naming `svd_compressed`.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// // diag(3, 2) stacked over zeros: singular values 3 and 2.
    /// let mut a = ndarray::Array2::<f64>::zeros((4, 2));
    /// a[[0, 0]] = 3.0;
    /// a[[1, 1]] = 2.0;
    /// let x = Array::from_array(a.into_dyn(), ChunkSpec::Block(vec![2, 2])).unwrap();
    /// let (_, s, _) = x.svd().unwrap();
    /// let s = s.compute(Scheduler::Sync).unwrap().into_raw_vec_and_offset().0;
    /// assert!((s[0] - 3.0).abs() < 1e-12 && (s[1] - 2.0).abs() < 1e-12);
    /// ```
    pub fn svd(&self) -> Result<(Array, Array, Array)> {
        svd(self)
    }

    /// Randomized SVD keeping `k` components, with `power_iters` power iterations.
    ///
    /// ```
    /// use daskling::{Array, ChunkSpec, Scheduler};
    /// // A rank-1 matrix u vᵀ with |u| = |v| = 1 scaled by 5: one singular value, 5.
    /// let (m, n) = (40, 30);
    /// let u: Vec<f64> = (0..m).map(|i| 1.0 / (m as f64).sqrt() * if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
    /// let v: Vec<f64> = (0..n).map(|_| 1.0 / (n as f64).sqrt()).collect();
    /// let a = ndarray::Array2::from_shape_fn((m, n), |(i, j)| 5.0 * u[i] * v[j]);
    /// let x = Array::from_array(a.into_dyn(), ChunkSpec::Block(vec![10, 10])).unwrap();
    /// let (_, s, _) = x.svd_compressed(1, 2, Some(1)).unwrap();
    /// let s = s.compute(Scheduler::Sync).unwrap();
    /// assert!((s[[0]] - 5.0).abs() < 1e-9);
    /// ```
    pub fn svd_compressed(
        &self,
        k: usize,
        power_iters: usize,
        seed: Option<u64>,
    ) -> Result<(Array, Array, Array)> {
        svd_compressed(self, k, power_iters, seed)
    }
}

/// Row blocks, columns, the rows each block keeps in its `r`, and `k` (columns of q).
struct Tsqr {
    rows: Vec<usize>,
    n: usize,
    kept: Vec<usize>,
    k: usize,
}

fn tsqr_shape(x: &Array, what: &str) -> Result<Tsqr> {
    if x.ndim() != 2 {
        return Err(Error::invalid(format!(
            "{what} needs a 2-d array, got {} dimensions",
            x.ndim()
        )));
    }
    let (m, n) = (x.shape()[0], x.shape()[1]);
    if m == 0 || n == 0 {
        return Err(Error::invalid(format!("{what} of an empty {m}x{n} array")));
    }
    if x.chunks()[1].len() != 1 {
        return Err(Error::invalid(format!(
            "{what} needs a tall-and-skinny array with one block along axis 1, got chunks {}; \
             rechunk it (x.rechunk) or use svdCompressed for a low-rank approximation",
            super::chunks::summary(x.chunks())
        )));
    }
    let rows = x.chunks()[0].clone();
    let kept: Vec<usize> = rows.iter().map(|&r| r.min(n)).collect();
    let k = kept.iter().sum::<usize>().min(n);
    Ok(Tsqr { rows, n, kept, k })
}

fn tok(x: &Array) -> String {
    tokenize(x.name())
}

fn qr_meta(x: &Array, part: QrPart) -> Result<Meta> {
    let t = tsqr_shape(x, "qr")?;
    let (shape, chunks, name) = match part {
        QrPart::Q => (
            vec![x.shape()[0], t.k],
            vec![t.rows, vec![t.k]],
            format!("qr-q-{}", tok(x)),
        ),
        QrPart::R => (
            vec![t.k, t.n],
            vec![vec![t.k], vec![t.n]],
            format!("qr-r-{}", tok(x)),
        ),
    };
    Ok(Meta {
        prefix: String::new(),
        shape,
        chunks,
        name: Some(name),
    })
}

fn svd_meta(x: &Array, part: SvdPart) -> Result<Meta> {
    let t = tsqr_shape(x, "svd")?;
    let (shape, chunks, name) = match part {
        SvdPart::U => (
            vec![x.shape()[0], t.k],
            vec![t.rows, vec![t.k]],
            format!("svd-u-{}", tok(x)),
        ),
        SvdPart::S => (vec![t.k], vec![vec![t.k]], format!("svd-s-{}", tok(x))),
        SvdPart::V => (
            vec![t.k, t.n],
            vec![vec![t.k], vec![t.n]],
            format!("svd-v-{}", tok(x)),
        ),
    };
    Ok(Meta {
        prefix: String::new(),
        shape,
        chunks,
        name: Some(name),
    })
}

fn qr(x: &Array) -> Result<(Array, Array)> {
    let q = Array::build(ArrayOp::Qr {
        input: x.clone(),
        part: QrPart::Q,
    })?;
    let r = Array::build(ArrayOp::Qr {
        input: x.clone(),
        part: QrPart::R,
    })?;
    Ok((q, r))
}

fn svd_tall(x: &Array) -> Result<(Array, Array, Array)> {
    let part = |part| {
        Array::build(ArrayOp::Svd {
            input: x.clone(),
            part,
        })
    };
    Ok((part(SvdPart::U)?, part(SvdPart::S)?, part(SvdPart::V)?))
}

fn svd(x: &Array) -> Result<(Array, Array, Array)> {
    if x.ndim() != 2 {
        return Err(Error::invalid(format!(
            "svd needs a 2-d array, got {} dimensions",
            x.ndim()
        )));
    }
    if x.chunks()[1].len() == 1 {
        return svd_tall(x);
    }
    if x.chunks()[0].len() == 1 {
        // Short and fat: x = (xᵀ)ᵀ = (u s v)ᵀ = vᵀ s uᵀ.
        let (u, s, v) = svd_tall(&x.t())?;
        return Ok((v.t(), s, u.t()));
    }
    Err(Error::invalid(format!(
        "svd needs a tall-and-skinny or short-and-fat array (one block along one axis), \
         got chunks {}; rechunk it, or use svdCompressed(x, k) for an approximate \
         low-rank SVD of any chunking",
        super::chunks::summary(x.chunks())
    )))
}

/// Oversampling of the randomized range finder, as dask's default.
const OVERSAMPLES: usize = 10;

fn svd_compressed(
    x: &Array,
    k: usize,
    power_iters: usize,
    seed: Option<u64>,
) -> Result<(Array, Array, Array)> {
    if x.ndim() != 2 {
        return Err(Error::invalid(format!(
            "svdCompressed needs a 2-d array, got {} dimensions",
            x.ndim()
        )));
    }
    let (m, n) = (x.shape()[0], x.shape()[1]);
    if k == 0 || k > m.min(n) {
        return Err(Error::invalid(format!(
            "svdCompressed: k must be between 1 and {} for a {m}x{n} array, got {k}",
            m.min(n)
        )));
    }
    let l = (k + OVERSAMPLES).min(m.min(n));
    // A random test matrix, uniform in [-1, 1), blocked like x's columns.
    let omega = Array::random(
        &[n, l],
        ChunkSpec::Explicit(vec![x.chunks()[1].clone(), vec![l]]),
        seed,
    )?
    .scalar_op(BinaryOp::Mul, 2.0, false)?
    .scalar_op(BinaryOp::Sub, 1.0, false)?;
    let xt = x.t();
    let mut q = x.dot(&omega)?.qr()?.0;
    for _ in 0..power_iters {
        let z = xt.dot(&q)?.qr()?.0;
        q = x.dot(&z)?.qr()?.0;
    }
    let b = q.t().dot(x)?;
    let (ub, s, v) = b.svd()?;
    let u = q.dot(&ub)?;
    let kk = Some(k as i64);
    Ok((
        u.slice(&[SliceArg::All, SliceArg::Range(None, kk, None)])?,
        s.slice(&[SliceArg::Range(None, kk, None)])?,
        v.slice(&[SliceArg::Range(None, kk, None), SliceArg::All])?,
    ))
}

/// The per-block QRs and the stacked QR, shared by every output of one TSQR.
fn lower_tsqr(x: &Array, g: &mut Graph) -> Result<(Vec<Key>, Key, Tsqr)> {
    let t = tsqr_shape(x, "qr")?;
    let tk = tok(x);
    let blocks: Vec<Key> = (0..t.rows.len() as u32)
        .map(|i| Key::new(format!("qr-block-{tk}"), &[i, 0]))
        .collect();
    for (i, key) in blocks.iter().enumerate() {
        g.insert(
            key.clone(),
            task(ArrayKernel::Qr, vec![x.block_key(&[i as u32, 0])]),
        );
    }
    let stack = Key::named(format!("qr-stack-{tk}"));
    g.insert(stack.clone(), task(ArrayKernel::QrStack, blocks.clone()));
    Ok((blocks, stack, t))
}

/// Shape, chunks and (fixed) name of a QR or SVD output.
pub(super) fn meta(op: &ArrayOp) -> Result<Meta> {
    match op {
        ArrayOp::Qr { input, part } => qr_meta(input, *part),
        ArrayOp::Svd { input, part } => svd_meta(input, *part),
        _ => Err(not_mine("linalg")),
    }
}

/// Adds the tasks of a QR or SVD output (the factorization's shared tasks once).
pub(super) fn lower(a: &Array, g: &mut Graph) -> Result<()> {
    match a.op() {
        ArrayOp::Qr { input, part } => lower_qr(input, *part, g),
        ArrayOp::Svd { input, part } => lower_svd(input, *part, g),
        _ => Err(not_mine("linalg")),
    }
}

/// The key of block `index` of QR output `part` of `x` (the name `qr_meta` gives it).
fn qr_key(x: &Array, part: QrPart, index: &[u32]) -> Key {
    let p = match part {
        QrPart::Q => "q",
        QrPart::R => "r",
    };
    Key::new(format!("qr-{p}-{}", tok(x)), index)
}

/// The key of block `index` of SVD output `part` of `x` (the name `svd_meta` gives it).
fn svd_key(x: &Array, part: SvdPart, index: &[u32]) -> Key {
    let p = match part {
        SvdPart::U => "u",
        SvdPart::S => "s",
        SvdPart::V => "v",
    };
    Key::new(format!("svd-{p}-{}", tok(x)), index)
}

/// The tasks of QR output `part` of `x` (none when there already). A one-block `x` is
/// one QR: its factors are the output.
fn lower_qr(x: &Array, part: QrPart, g: &mut Graph) -> Result<()> {
    if g.contains(&qr_key(x, part, &[0, 0])) {
        return Ok(());
    }
    if x.numblocks()[0] == 1 {
        tsqr_shape(x, "qr")?;
        let block = Key::new(format!("qr-block-{}", tok(x)), &[0, 0]);
        g.insert(
            block.clone(),
            task(ArrayKernel::Qr, vec![x.block_key(&[0, 0])]),
        );
        let index = match part {
            QrPart::Q => 0,
            QrPart::R => 1,
        };
        g.insert(
            qr_key(x, part, &[0, 0]),
            task(ArrayKernel::Pick { index }, vec![block]),
        );
        return Ok(());
    }
    let (blocks, stack, t) = lower_tsqr(x, g)?;
    match part {
        QrPart::Q => {
            let mut offset = 0;
            for (i, block) in blocks.iter().enumerate() {
                let rows = t.kept[i];
                g.insert(
                    qr_key(x, part, &[i as u32, 0]),
                    task(
                        ArrayKernel::QrApply { offset, rows },
                        vec![block.clone(), stack.clone()],
                    ),
                );
                offset += rows;
            }
        }
        QrPart::R => {
            g.insert(
                qr_key(x, part, &[0, 0]),
                task(ArrayKernel::Pick { index: 1 }, vec![stack]),
            );
        }
    }
    Ok(())
}

/// The tasks of SVD output `part` of a tall-and-skinny `x`, on its TSQR's tasks:
/// `r = uᵣ s v`, `u = q uᵣ`. A one-block `x` is factored directly, without a QR first.
fn lower_svd(x: &Array, part: SvdPart, g: &mut Graph) -> Result<()> {
    let tk = tok(x);
    let factors = Key::named(format!("svd-factors-{tk}"));
    let one_block = x.numblocks()[0] == 1;
    let of = if one_block {
        x.block_key(&[0, 0])
    } else {
        lower_qr(x, QrPart::R, g)?;
        qr_key(x, QrPart::R, &[0, 0])
    };
    g.insert(factors.clone(), task(ArrayKernel::Svd, vec![of]));
    match part {
        SvdPart::U if one_block => {
            g.insert(
                svd_key(x, part, &[0, 0]),
                task(ArrayKernel::Pick { index: 0 }, vec![factors]),
            );
        }
        SvdPart::U => {
            lower_qr(x, QrPart::Q, g)?;
            let ur = Key::named(format!("svd-ur-{tk}"));
            g.insert(
                ur.clone(),
                task(ArrayKernel::Pick { index: 0 }, vec![factors]),
            );
            for i in 0..x.numblocks()[0] as u32 {
                g.insert(
                    svd_key(x, part, &[i, 0]),
                    task(
                        ArrayKernel::Dot {
                            nk: 1,
                            transposed: [false; 2],
                        },
                        vec![qr_key(x, QrPart::Q, &[i, 0]), ur.clone()],
                    ),
                );
            }
        }
        SvdPart::S => {
            g.insert(
                svd_key(x, part, &[0]),
                task(ArrayKernel::Pick { index: 1 }, vec![factors]),
            );
        }
        SvdPart::V => {
            g.insert(
                svd_key(x, part, &[0, 0]),
                task(ArrayKernel::Pick { index: 2 }, vec![factors]),
            );
        }
    }
    Ok(())
}

/// The `dask.array` line of a factor: `da.linalg.qr(x)[i]`, `da.linalg.svd(x)[i]`.
pub(super) fn dask(a: &Array, s: &mut Script) -> Result<Line> {
    Ok(match a.op() {
        ArrayOp::Qr { input, part } => {
            let x = s.var(input.name())?;
            let i = match part {
                QrPart::Q => 0,
                QrPart::R => 1,
            };
            ("qr".into(), format!("da.linalg.qr({x})[{i}]"))
        }
        ArrayOp::Svd { input, part } => {
            let x = s.var(input.name())?;
            let i = match part {
                SvdPart::U => 0,
                SvdPart::S => 1,
                SvdPart::V => 2,
            };
            ("svd".into(), format!("da.linalg.svd({x})[{i}]"))
        }
        _ => return Err(not_mine("linalg")),
    })
}
