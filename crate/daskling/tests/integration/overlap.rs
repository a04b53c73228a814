//! `mapOverlap`'s ghost cells: every extended block equal to the same window of the whole
//! array padded as numpy's `np.pad` pads it (symmetric, edge, wrap, constant), or not
//! padded at the edges (`none`); trimming gives the array back.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use daskling::expr::array::{Array, ArrayOp, ChunkSpec};
use daskling::kernels::array::Boundary;
use daskling::Scheduler;
use ndarray::{Array2, ArrayD};

/// Position `i` (−d ≤ i < n + d) of a padded axis of length `n`, as numpy's `np.pad`;
/// `None` for a constant.
fn source(i: isize, n: isize, b: Boundary) -> Option<isize> {
    Some(match b {
        _ if (0..n).contains(&i) => i,
        Boundary::Reflect => {
            if i < 0 {
                -i - 1
            } else {
                2 * n - i - 1
            }
        }
        Boundary::Nearest => i.clamp(0, n - 1),
        Boundary::Periodic => i.rem_euclid(n),
        Boundary::Constant(_) | Boundary::None => return None,
    })
}

fn offsets(c: &[usize]) -> Vec<usize> {
    let mut o = vec![0];
    for &x in c {
        o.push(o.last().unwrap() + x);
    }
    o
}

#[test]
fn extended_blocks_are_windows_of_the_padded_array() {
    let x = Array2::from_shape_fn((7, 9), |(i, j)| (i * 10 + j) as f64);
    let chunks = vec![vec![3, 4], vec![2, 5, 2]];
    let depth = [1usize, 2];
    for b in [
        Boundary::Reflect,
        Boundary::Nearest,
        Boundary::Periodic,
        Boundary::Constant(-5.0),
        Boundary::None,
    ] {
        let a =
            Array::from_array(x.clone().into_dyn(), ChunkSpec::Explicit(chunks.clone())).unwrap();
        let ext = Array::build(ArrayOp::Overlap {
            input: a.clone(),
            depth: depth.to_vec(),
            boundary: b,
        })
        .unwrap();
        let got: Array2<f64> = ext
            .compute(Scheduler::Threads)
            .unwrap()
            .into_dimensionality()
            .unwrap();
        let (eo0, eo1) = (offsets(&ext.chunks()[0]), offsets(&ext.chunks()[1]));
        let (o0, o1) = (offsets(&chunks[0]), offsets(&chunks[1]));
        for bi in 0..2 {
            for bj in 0..3 {
                // The block's window of the padded array: its rows and columns ± depth
                // (not past the edge for `none`).
                let edge = b == Boundary::None;
                let r0 = o0[bi] as isize
                    - if edge && bi == 0 {
                        0
                    } else {
                        depth[0] as isize
                    };
                let c0 = o1[bj] as isize
                    - if edge && bj == 0 {
                        0
                    } else {
                        depth[1] as isize
                    };
                for (ei, gi) in (eo0[bi]..eo0[bi + 1]).enumerate() {
                    for (ej, gj) in (eo1[bj]..eo1[bj + 1]).enumerate() {
                        let (si, sj) = (
                            source(r0 + ei as isize, 7, b),
                            source(c0 + ej as isize, 9, b),
                        );
                        let want = match (si, sj, b) {
                            (Some(i), Some(j), _) => x[[i as usize, j as usize]],
                            (_, _, Boundary::Constant(c)) => c,
                            _ => panic!("no source for [{ei}, {ej}] of block [{bi}, {bj}]"),
                        };
                        assert_eq!(
                            got[[gi, gj]],
                            want,
                            "{b:?} block [{bi}, {bj}] at [{ei}, {ej}]"
                        );
                    }
                }
            }
        }
        let trimmed = Array::build(ArrayOp::Trim {
            input: ext,
            depth: depth.to_vec(),
            boundary: b,
        })
        .unwrap();
        assert_eq!(trimmed.chunks(), a.chunks());
        let back: ArrayD<f64> = trimmed.compute(Scheduler::Sync).unwrap();
        assert_eq!(back, x.clone().into_dyn(), "{b:?}: trimmed back");
    }
}

#[test]
fn a_depth_larger_than_a_block_is_an_error() {
    let a = Array::ones(&[10], ChunkSpec::Explicit(vec![vec![4, 1, 5]])).unwrap();
    let e = Array::build(ArrayOp::Overlap {
        input: a,
        depth: vec![2],
        boundary: Boundary::Reflect,
    })
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("depth 2 along axis 0 is larger than a block there (1)"),
        "{e}"
    );
}
