//! Cancelling a compute without stopping the threads it runs on: a [`CancelToken`] that
//! whoever started the compute keeps, which the schedulers check before every task they
//! dispatch, and which long kernels check at their block boundaries ([`check`]: a GEMM
//! panel, a CSV chunk, a generated block) through the token of the task the thread is
//! running ([`scope`]). A cancelled compute ends with [`Error::Cancelled`] soon after,
//! and everything else — the pool, persisted values, other computes — is untouched.
//!
//! ```
//! use daskling_core::cancel::{check, scope, CancelToken};
//! use daskling_core::Error;
//!
//! let token = CancelToken::new();
//! let work = || -> Result<u32, Error> {
//!     for block in 0..1000 {
//!         check()?; // at each block boundary
//!         if let (10, Some(t)) = (block, CancelToken::current()) {
//!             t.cancel(); // as another thread would
//!         }
//!     }
//!     Ok(1000)
//! };
//! assert!(matches!(scope(Some(&token), work), Err(Error::Cancelled)));
//! assert!(token.is_cancelled());
//! // Outside a scope nothing is ever cancelled.
//! assert_eq!(work().unwrap(), 1000);
//! ```

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::{Error, Result};

/// A compute's cancel flag, shared by its clones: cheap to check. Nonzero is cancelled.
/// It also gathers the warnings the compute's tasks report ([`warn`]).
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<Shared>);

#[derive(Debug, Default)]
struct Shared {
    flag: AtomicU32,
    warnings: std::sync::Mutex<Warnings>,
}

/// The warnings of a compute: the first [`MAX_WARNINGS`] and how many more.
#[derive(Debug, Default)]
struct Warnings {
    kept: Vec<String>,
    more: usize,
}

/// How many warnings a compute keeps (a file of a million bad lines tells of the first
/// ones and the count of the rest).
pub const MAX_WARNINGS: usize = 100;

impl CancelToken {
    /// A token not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels the compute: from any thread, at any time; the first call counts.
    pub fn cancel(&self) {
        self.0.flag.store(1, Ordering::Release);
    }

    /// Whether [`cancel`](Self::cancel) was called (or the flag set nonzero).
    pub fn is_cancelled(&self) -> bool {
        self.0.flag.load(Ordering::Acquire) != 0
    }

    /// The flag itself, for another party sharing this memory: the wasm bindings give
    /// its address to the page, which cancels a running compute by storing 1 there with
    /// `Atomics.store` (and 0 before reusing it for the next).
    pub fn flag(&self) -> &AtomicU32 {
        &self.0.flag
    }

    /// The warnings reported so far (then none): at most [`MAX_WARNINGS`], and a last
    /// line that counts the rest.
    pub fn take_warnings(&self) -> Vec<String> {
        let mut w = self.0.warnings.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = std::mem::take(&mut w.kept);
        if w.more > 0 {
            out.push(format!("… and {} more warnings", w.more));
            w.more = 0;
        }
        out
    }

    fn push_warning(&self, message: String) {
        let mut w = self.0.warnings.lock().unwrap_or_else(|e| e.into_inner());
        if w.kept.len() < MAX_WARNINGS {
            w.kept.push(message);
        } else {
            w.more += 1;
        }
    }

    /// [`Error::Cancelled`] once cancelled.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// The token of the task this thread is running, if any (see [`scope`]).
    pub fn current() -> Option<CancelToken> {
        with_current(|t| t.cloned())
    }
}

thread_local! {
    /// The token of the task running on this thread: a pointer, so that entering a
    /// task's scope costs two thread-local writes, not a shared count (the schedulers
    /// enter one per task).
    static CURRENT: Cell<*const CancelToken> = const { Cell::new(std::ptr::null()) };
}

/// Calls `g` with this thread's current token.
fn with_current<R>(g: impl FnOnce(Option<&CancelToken>) -> R) -> R {
    let p = CURRENT.with(Cell::get);
    // SAFETY: a non-null pointer was set by `scope` from a reference that lives for the
    // whole of its call of `f` and is reset (by a drop guard) when that call returns or
    // unwinds; the pointer is read on the same thread, so only inside that call.
    g(unsafe { p.as_ref() })
}

/// Runs `f` with `token` as this thread's current token (the schedulers wrap each task
/// in it), restoring the one before after — also when `f` panics.
pub fn scope<R>(token: Option<&CancelToken>, f: impl FnOnce() -> R) -> R {
    struct Restore(*const CancelToken);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let ptr = token.map_or(std::ptr::null(), |t| t as *const CancelToken);
    let _restore = Restore(CURRENT.with(|c| c.replace(ptr)));
    f()
}

/// Reports a warning of the task this thread runs (readCsv's skipped bad lines), kept
/// with its compute's token for whoever started it; outside a compute's scope it is
/// written to stderr (natively; in wasm it is dropped).
///
/// ```
/// use daskling_core::cancel::{scope, warn, CancelToken};
/// let token = CancelToken::new();
/// scope(Some(&token), || warn("a.csv, line 3: skipped"));
/// assert_eq!(token.take_warnings(), ["a.csv, line 3: skipped"]);
/// assert!(token.take_warnings().is_empty());
/// ```
pub fn warn(message: impl Into<String>) {
    let message = message.into();
    with_current(|t| match t {
        Some(t) => t.push_warning(message),
        #[cfg(not(target_arch = "wasm32"))]
        None => eprintln!("daskling: {message}"),
        #[cfg(target_arch = "wasm32")]
        None => drop(message),
    })
}

/// [`Error::Cancelled`] when the task this thread runs belongs to a cancelled compute:
/// what a long kernel calls between blocks. A thread-local read and an atomic load.
pub fn check() -> Result<()> {
    with_current(|t| t.map_or(Ok(()), CancelToken::check))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn scopes_nest_and_restore() {
        let (outer, inner) = (CancelToken::new(), CancelToken::new());
        inner.cancel();
        scope(Some(&outer), || {
            assert!(check().is_ok());
            scope(Some(&inner), || {
                assert!(matches!(check(), Err(Error::Cancelled)))
            });
            assert!(check().is_ok(), "the outer token is back");
        });
        assert!(CancelToken::current().is_none());
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_panic_restores_the_token_before() {
        let t = CancelToken::new();
        let r = std::panic::catch_unwind(|| scope(Some(&t), || panic!("boom")));
        assert!(r.is_err());
        assert!(CancelToken::current().is_none());
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn another_thread_cancels() {
        let t = CancelToken::new();
        let remote = t.clone();
        std::thread::spawn(move || remote.cancel()).join().unwrap();
        assert!(matches!(t.check(), Err(Error::Cancelled)));
    }
}
