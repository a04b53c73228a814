//! Wake-ups of the threads that poll threaded executions: a pool thread that leaves
//! work for a run's caller (a read result consumed, the run finished) bumps a count and
//! wakes every caller waiting; a caller takes a [`Ticket`] before it polls and waits
//! only while the count is still the ticket's, so work that arrives in between is not
//! slept through.
//!
//! ```
//! use daskling_scheduler::{wait, Ticket};
//! use std::time::{Duration, Instant};
//! let t = Ticket::now();
//! let start = Instant::now();
//! wait(t, Duration::from_millis(20)); // nothing happened: the whole timeout
//! assert!(start.elapsed() >= Duration::from_millis(15));
//! ```

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Wake-ups of callers: bumped whenever a threaded execution has work for its caller.
static WAKES: Mutex<u64> = Mutex::new(0);
static WAKE: Condvar = Condvar::new();

fn wakes() -> MutexGuard<'static, u64> {
    super::lock(&WAKES)
}

/// The wake-ups so far: take one before polling, then [`wait`] with it, so that work
/// arriving between the poll and the wait is not slept through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

impl Ticket {
    /// The current count of wake-ups.
    pub fn now() -> Ticket {
        Ticket(*wakes())
    }
}

/// Sleeps until some execution has work for its caller since `ticket`, or `timeout`
/// (or a spurious wake-up: callers poll again either way). One `wait_timeout`, not
/// `wait_timeout_while`: that one reads `Instant`, which wasm32 does not have.
pub fn wait(ticket: Ticket, timeout: Duration) {
    if timeout.is_zero() {
        return;
    }
    let guard = wakes();
    if *guard != ticket.0 {
        return;
    }
    let _ = WAKE
        .wait_timeout(guard, timeout)
        .unwrap_or_else(|e| e.into_inner());
}

/// Tells the callers that an execution has work for its caller.
pub(crate) fn wake_callers() {
    *wakes() += 1;
    WAKE.notify_all();
}
