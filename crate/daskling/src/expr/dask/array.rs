//! Array operations as `dask.array` code, one line each. Random arrays are drawn by a
//! helper that reproduces daskling's block generator (xoshiro256++ seeded per block,
//! see `kernels::array::random`), so the numbers are the same.

use super::{float, tuple, Script, MAX_EMBEDDED};
use crate::error::{Error, Result};
use crate::expr::array::{Array, ArrayOp, AxisIndex, QrPart, SvdPart};
use crate::kernels::array::{BinaryOp, Elementwise};

/// daskling's random blocks in Python: the same generator, seeding and conversion.
const RANDOM: &str = r#"
_M64 = (1 << 64) - 1


def _splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & _M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return state, z ^ (z >> 31)


def _daskling_block(shape, seed, block):
    """Block `block` (row-major number) of daskling's random array drawn with `seed`:
    xoshiro256++ seeded through SplitMix64 with seed ^ (block * 0x9E3779B97F4A7C15),
    each element (u >> 11) * 2**-53, in row-major order."""
    state = (seed ^ (block * 0x9E3779B97F4A7C15)) & _M64
    s = []
    for _ in range(4):
        state, z = _splitmix64(state)
        s.append(z)
    n = int(np.prod(shape, dtype=np.int64))
    out = np.empty(n)
    s0, s1, s2, s3 = s
    for i in range(n):
        t = (s0 + s3) & _M64
        u = ((((t << 23) | (t >> 41)) & _M64) + s0) & _M64
        out[i] = (u >> 11) * 2.0**-53
        t = (s1 << 17) & _M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & _M64
    return out.reshape(shape)


def daskling_random(chunks, seed):
    """A dask array with daskling's random numbers for `seed` and `chunks`."""
    def block(block_info=None):
        info = block_info[None]
        loc, grid = info["chunk-location"], info["num-chunks"]
        number = 0
        for i, n in zip(loc, grid):
            number = number * n + i
        return _daskling_block(info["chunk-shape"], seed, number)

    return da.map_blocks(block, chunks=chunks, dtype=float, meta=np.empty((0,) * len(chunks)))
"#;

fn chunks(c: &[Vec<usize>]) -> String {
    let axes: Vec<String> = c.iter().map(|a| tuple(a)).collect();
    if axes.len() == 1 {
        format!("({},)", axes[0])
    } else {
        format!("({})", axes.join(", "))
    }
}

/// `l op r`; comparisons are 1.0/0.0 in daskling, so cast to float.
pub(super) fn binary(op: BinaryOp, l: &str, r: &str, cast: &str) -> String {
    let e = format!("{l} {} {r}", op.symbol());
    if op.is_comparison() && !cast.is_empty() {
        format!("({e}).astype({cast})")
    } else {
        e
    }
}

fn index(ix: &[AxisIndex]) -> String {
    let parts: Vec<String> = ix
        .iter()
        .map(|i| match *i {
            AxisIndex::At(k) => k.to_string(),
            AxisIndex::Range { first, step, len } => {
                let stop = first as i64 + step as i64 * len as i64;
                let stop = if stop < 0 {
                    "None".to_string()
                } else {
                    stop.to_string()
                };
                if step == 1 {
                    format!("{first}:{stop}")
                } else {
                    format!("{first}:{stop}:{step}")
                }
            }
        })
        .collect();
    parts.join(", ")
}

/// Writes the line of array `a` (its inputs are written).
pub(super) fn export(a: &Array, s: &mut Script) -> Result<()> {
    let name = a.name().to_string();
    let (stem, code) = match a.op() {
        ArrayOp::Full { shape, chunks: c, value } => {
            let shape = tuple(shape);
            let c = chunks(c);
            if *value == 1.0 {
                ("ones", format!("da.ones({shape}, chunks={c})"))
            } else if *value == 0.0 {
                ("zeros", format!("da.zeros({shape}, chunks={c})"))
            } else {
                ("full", format!("da.full({shape}, {}, chunks={c})", float(*value)))
            }
        }
        ArrayOp::Arange { start, step, len, chunks: c } => (
            "arange",
            // start + i·step, as daskling computes each element.
            format!("da.arange({len}, chunks=({},)) * {} + {}", tuple(c), float(*step), float(*start)),
        ),
        ArrayOp::Random { chunks: c, seed, .. } => {
            s.helper(RANDOM);
            ("random", format!("daskling_random({}, seed={seed})", chunks(c)))
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
            (
                "data",
                format!(
                    "da.from_array(np.array([{}]).reshape({}), chunks={})",
                    values.join(", "),
                    tuple(arr.shape()),
                    chunks(c)
                ),
            )
        }
        ArrayOp::Map { input, func } => {
            let x = s.var(input.name())?.to_string();
            match func {
                Elementwise::Unary { f } => (f.name(), f.dask().replace("{x}", &x)),
                Elementwise::Scalar { op, value, reflected } => {
                    let c = float(*value);
                    let (l, r) = if *reflected { (c, x) } else { (x, c) };
                    (op.name(), binary(*op, &l, &r, "float"))
                }
            }
        }
        ArrayOp::Binary { op, left, right } => {
            let (l, r) = (s.var(left.name())?.to_string(), s.var(right.name())?.to_string());
            (op.name(), binary(*op, &l, &r, "float"))
        }
        ArrayOp::Reduce { input, reduce, axes, ddof, split_every } => {
            let x = s.var(input.name())?.to_string();
            let mut args = Vec::new();
            if axes.len() != input.ndim() {
                args.push(format!("axis={}", tuple(axes)));
            }
            if reduce.takes_ddof() && *ddof != 0.0 {
                args.push(format!("ddof={}", float(*ddof)));
            }
            // 4 is dask's default as well as daskling's.
            if *split_every != 0 && *split_every != 4 {
                args.push(format!("split_every={split_every}"));
            }
            let m = reduce.name();
            (m, format!("{x}.{m}({})", args.join(", ")))
        }
        ArrayOp::Transpose { input, axes } => {
            let x = s.var(input.name())?.to_string();
            let reversed: Vec<usize> = (0..axes.len()).rev().collect();
            if *axes == reversed {
                ("transpose", format!("{x}.T"))
            } else {
                ("transpose", format!("{x}.transpose({})", tuple(axes)))
            }
        }
        ArrayOp::Dot { left, right } => {
            let (l, r) = (s.var(left.name())?.to_string(), s.var(right.name())?.to_string());
            ("dot", format!("{l}.dot({r})"))
        }
        ArrayOp::Slice { input, index: ix } => {
            let x = s.var(input.name())?.to_string();
            ("getitem", format!("{x}[{}]", index(ix)))
        }
        ArrayOp::Rechunk { input, chunks: c } => {
            let x = s.var(input.name())?.to_string();
            ("rechunk", format!("{x}.rechunk({})", chunks(c)))
        }
        ArrayOp::Stored { id, .. } => {
            return Err(Error::invalid(format!(
                "toDask: {id} is a persisted array, whose blocks live in the browser's kernel; export the \
                 expression it was computed from (before persist())"
            )))
        }
        ArrayOp::Qr { input, part } => {
            let x = s.var(input.name())?.to_string();
            let i = match part {
                QrPart::Q => 0,
                QrPart::R => 1,
            };
            ("qr", format!("da.linalg.qr({x})[{i}]"))
        }
        ArrayOp::Svd { input, part } => {
            let x = s.var(input.name())?.to_string();
            let i = match part {
                SvdPart::U => 0,
                SvdPart::S => 1,
                SvdPart::V => 2,
            };
            ("svd", format!("da.linalg.svd({x})[{i}]"))
        }
    };
    s.assign(&name, stem, code);
    Ok(())
}
