//! # daskling-core
//!
//! What every layer of daskling shares: the one [`Error`] type (every fallible call in
//! every crate returns [`Result`]), [`token`]s, the content hashes that name tasks, and
//! [`cancel`]lation tokens, which the schedulers and long kernels check.
//!
//! ```
//! use daskling_core::{token::tokenize, Error};
//!
//! // Equal inputs give equal tokens: identical sub-expressions become one task.
//! assert_eq!(tokenize(&("ones", [5u64, 5])), tokenize(&("ones", [5u64, 5])));
//! assert_ne!(tokenize(&("ones", [5u64, 5])), tokenize(&("zeros", [5u64, 5])));
//! assert_eq!(Error::invalid("bad axis").to_string(), "bad axis");
//! ```

// Unit tests run in headless Chromium as well as natively (wasm-pack test).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

pub mod cancel;
pub mod error;
pub mod token;

pub use error::{Error, Result};
