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
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicU32>);

impl CancelToken {
    /// A token not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels the compute: from any thread, at any time; the first call counts.
    pub fn cancel(&self) {
        self.0.store(1, Ordering::Release);
    }

    /// Whether [`cancel`](Self::cancel) was called (or the flag set nonzero).
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire) != 0
    }

    /// The flag itself, for another party sharing this memory: the wasm bindings give
    /// its address to the page, which cancels a running compute by storing 1 there with
    /// `Atomics.store` (and 0 before reusing it for the next).
    pub fn flag(&self) -> &AtomicU32 {
        &self.0
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
