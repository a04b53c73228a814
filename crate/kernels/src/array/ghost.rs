//! The ghost cells of `mapOverlap`: a block extended along one axis by `depth` elements
//! of its neighbours, or — at the array's edge — by the edge's padding ([`Boundary`]),
//! as dask's `overlap`. Applied axis after axis, so corners come from diagonal
//! neighbours through the already extended blocks.

use ndarray::{concatenate, ArrayD, ArrayViewD, Axis, Slice};
use serde::{Deserialize, Serialize};

use daskling_core::{Error, Result};

/// What lies beyond the array's edge, as dask's `boundary`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Boundary {
    /// The edge mirrored, the edge element included (`[b, a | a, b, c]`).
    Reflect,
    /// The edge element repeated.
    Nearest,
    /// The other end of the array (the neighbours wrap around).
    Periodic,
    /// A constant.
    Constant(f64),
    /// Nothing: edge blocks are not extended there (nor trimmed after).
    None,
}

/// One block extended along `axis`: `inputs` are the block before (when `before`), the
/// block, the block after (when `after`); a missing side is padded per `boundary`.
pub fn extend(
    key: &str,
    inputs: &[&ArrayD<f64>],
    axis: usize,
    depth: usize,
    boundary: Boundary,
    before: bool,
    after: bool,
) -> Result<ArrayD<f64>> {
    let expected = 1 + usize::from(before) + usize::from(after);
    if inputs.len() != expected {
        return Err(Error::invalid(format!(
            "{key}: expected {expected} blocks, got {}",
            inputs.len()
        )));
    }
    let cur = inputs[usize::from(before)];
    if axis >= cur.ndim() {
        return Err(Error::invalid(format!(
            "{key}: axis {axis} of a {}-d block",
            cur.ndim()
        )));
    }
    if depth == 0 {
        return Ok(cur.clone());
    }
    let n = cur.shape()[axis];
    let cut = |b: &ArrayD<f64>, s: Slice| -> Result<ArrayD<f64>> {
        let len = b.shape()[axis];
        if len < depth {
            return Err(Error::invalid(format!(
                "{key}: a block of {len} along axis {axis} cannot give {depth} ghost elements; \
                 rechunk to blocks of at least the depth"
            )));
        }
        Ok(b.slice_axis(Axis(axis), s).to_owned())
    };
    let pad = |left: bool| -> Result<Option<ArrayD<f64>>> {
        let (first, last) = (0, n as isize);
        Ok(match boundary {
            Boundary::None => None,
            Boundary::Constant(c) => {
                let mut shape = cur.shape().to_vec();
                shape[axis] = depth;
                Some(ArrayD::from_elem(shape, c))
            }
            Boundary::Nearest => {
                let edge = if left { first } else { last - 1 };
                let one = cut(cur, Slice::new(edge, Some(edge + 1), 1))?;
                let views: Vec<ArrayViewD<f64>> = (0..depth).map(|_| one.view()).collect();
                Some(
                    concatenate(Axis(axis), &views)
                        .map_err(|e| Error::invalid(format!("{key}: {e}")))?,
                )
            }
            Boundary::Reflect => {
                let d = depth as isize;
                Some(if left {
                    cut(cur, Slice::new(0, Some(d), -1))?
                } else {
                    cut(cur, Slice::new(last - d, Some(last), -1))?
                })
            }
            // The wrapped neighbours are given as inputs.
            Boundary::Periodic => None,
        })
    };
    let d = depth as isize;
    let left = if before {
        Some(cut(inputs[0], Slice::new(-d, None, 1))?)
    } else {
        pad(true)?
    };
    let right = if after {
        Some(cut(inputs[expected - 1], Slice::new(0, Some(d), 1))?)
    } else {
        pad(false)?
    };
    let mut parts: Vec<ArrayViewD<f64>> = Vec::with_capacity(3);
    if let Some(l) = &left {
        parts.push(l.view());
    }
    parts.push(cur.view());
    if let Some(r) = &right {
        parts.push(r.view());
    }
    concatenate(Axis(axis), &parts).map_err(|e| Error::invalid(format!("{key}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn v(xs: &[f64]) -> ArrayD<f64> {
        ndarray::Array1::from(xs.to_vec()).into_dyn()
    }

    #[test]
    fn neighbours_and_each_boundary_as_numpy_pads() {
        let (a, b, c) = (v(&[1.0, 2.0, 3.0]), v(&[4.0, 5.0]), v(&[6.0, 7.0, 8.0]));
        let mid = extend("k", &[&a, &b, &c], 0, 2, Boundary::None, true, true).unwrap();
        assert_eq!(mid, v(&[2.0, 3.0, 4.0, 5.0, 6.0, 7.0]));
        // np.pad(a, (2, 0), mode='symmetric'), 'edge', 'constant'.
        let first = |bd| extend("k", &[&a, &b], 0, 2, bd, false, true).unwrap();
        assert_eq!(
            first(Boundary::Reflect),
            v(&[2.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0])
        );
        assert_eq!(
            first(Boundary::Nearest),
            v(&[1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0])
        );
        assert_eq!(
            first(Boundary::Constant(-1.0)),
            v(&[-1.0, -1.0, 1.0, 2.0, 3.0, 4.0, 5.0])
        );
        assert_eq!(first(Boundary::None), v(&[1.0, 2.0, 3.0, 4.0, 5.0]));
        let last = extend("k", &[&b, &c], 0, 2, Boundary::Reflect, true, false).unwrap();
        assert_eq!(last, v(&[4.0, 5.0, 6.0, 7.0, 8.0, 8.0, 7.0]));
        // A neighbour of 3 cannot give 4.
        let short = extend("k", &[&a, &b, &c], 0, 4, Boundary::None, true, true).unwrap_err();
        assert!(
            short.to_string().contains("cannot give 4 ghost elements"),
            "{short}"
        );
    }
}
