//! # daskling
//!
//! dask's task-graph model in Rust: lazy collections ([`expr`]) lower to task graphs
//! ([`graph`]) that are optimized and run by a scheduler ([`scheduler`]) on kernels
//! ([`kernels`]) — natively on a rayon thread pool, and in WebAssembly on a pool of Web
//! Workers (the `daskling-wasm` crate's bindings).
//!
//! ```
//! use daskling::expr::array::{Array, ChunkSpec};
//! use daskling::scheduler::Scheduler;
//!
//! let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
//! let col_sums = x.sum(Some(&[0])).unwrap().compute(Scheduler::Threads).unwrap();
//! assert_eq!(col_sums.shape(), &[15]);
//! assert!(col_sums.iter().all(|&v| v == 15.0));
//! ```

// Unit tests run in headless Chromium as well as natively (wasm-pack test).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod context;
pub mod expr;
pub mod operations;
pub mod output;

pub use context::Context;
pub use output::Output;

pub use daskling_core::{cancel, error, token};
pub use daskling_graph as graph;
pub use daskling_kernels as kernels;
pub use daskling_scheduler as scheduler;

pub use error::{Error, Result};
pub use expr::array::{Array, ChunkSpec};
pub use expr::delayed::{compute_all, delayed, try_delayed, value, Call, Delayed, TryCall};
pub use expr::Lazy;
pub use graph::{Graph, Key, Task};
pub use scheduler::{compute, Progress, Scheduler};
