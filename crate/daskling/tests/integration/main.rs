//! daskling's integration tests, in one test binary: one link natively, and one binary
//! that `wasm-pack test --headless --chrome crate/daskling` runs in Chromium. Each module
//! is one concern (see its docs); the modules that need what wasm32 lacks — files on
//! disk, child processes, proptest — are native-only. (`tests/memory.rs` is a binary of
//! its own: it counts every allocation of its process.)

// In the browser, every test module's `#[test]` is wasm-bindgen-test's.
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod array;
#[cfg(not(target_arch = "wasm32"))]
mod array_ops;
#[cfg(not(target_arch = "wasm32"))]
mod cancel;
#[cfg(not(target_arch = "wasm32"))]
mod cli;
mod dask_export;
#[cfg(not(target_arch = "wasm32"))]
mod dataframe;
mod deep;
mod delayed;
#[cfg(not(target_arch = "wasm32"))]
mod fuzz;
mod js_calls;
mod limits;
mod linalg;
#[cfg(not(target_arch = "wasm32"))]
mod modules;
#[cfg(not(target_arch = "wasm32"))]
mod names;
mod output;
mod overlap;
mod reads;
mod solve;
