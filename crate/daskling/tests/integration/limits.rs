//! Sizes are checked 64-bit integers on every target: the right answer or a clear error,
//! never a wrap (rows of the reliability issue, natively; the browser tests repeat them
//! on wasm32, whose `usize` is 32 bits).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use daskling::expr::array::MAX_BLOCKS;
use daskling::{Array, ChunkSpec};

#[test]
fn a_10_to_the_10_element_array_has_that_size() {
    let x = Array::ones(&[100_000, 100_000], ChunkSpec::Block(vec![1000, 1000])).unwrap();
    assert_eq!(x.size(), 10_000_000_000);
    assert_eq!(x.npartitions(), 10_000);
}

#[test]
fn too_many_blocks_is_a_clear_error() {
    let e = Array::arange(0.0, 1e18, 1.0, 1_000_000)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("blocks") && e.contains(&MAX_BLOCKS.to_string()),
        "{e}"
    );
    let e = Array::ones(&[1 << 31], ChunkSpec::Block(vec![1]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("2147483648 blocks"), "{e}");
    // Just under the limit builds (nothing is allocated per block until it computes).
    let x = Array::ones(&[10_000, 10_000], ChunkSpec::Block(vec![1, 1])).unwrap();
    assert_eq!(x.npartitions() as u64, MAX_BLOCKS);
    assert!(Array::ones(&[10_000, 10_001], ChunkSpec::Block(vec![1, 1])).is_err());
}

#[test]
fn shapes_whose_product_overflows_are_errors() {
    // 2^93 elements: past 2^64 with dimensions that fit a 32-bit usize.
    let big = 1usize << 31;
    let e = Array::ones(&[big, big, big], ChunkSpec::Block(vec![big, big, big]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("2^64"), "{e}");
}

#[test]
fn explicit_chunks_that_overflow_when_summed_are_errors() {
    let e = Array::ones(&[4], ChunkSpec::Explicit(vec![vec![usize::MAX, 5]]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("do not add up"), "{e}");
}
