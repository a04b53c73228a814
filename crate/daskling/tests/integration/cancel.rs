//! Cancelling a compute keeps everything else: a long `x.dot(x.T)` cancelled from
//! another thread ends with `Error::Cancelled` before its tasks are done, and the
//! persisted `x` it read, the context and the pool serve the next compute.

use std::time::Duration;

use daskling::cancel::CancelToken;
use daskling::expr::{compute_values_with, Lazy};
use daskling::{Array, ChunkSpec, Context, Error, Scheduler};

#[test]
fn a_cancelled_product_ends_and_the_persisted_array_still_computes() {
    let ctx = Context::new();
    let x = Array::random(&[1500, 1500], ChunkSpec::Block(vec![250, 250]), Some(7)).unwrap();
    let x = ctx.persist(&x, Scheduler::Threads).unwrap();
    // x · xᵀ · x: 432 block products, seconds of work on two threads.
    let slow = x.dot(&x.t()).unwrap().dot(&x).unwrap().sum(None).unwrap();
    let token = CancelToken::new();
    let remote = token.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        remote.cancel();
    });
    let options = daskling::expr::RunOptions {
        cancel: Some(token.clone()),
        ..ctx.run_options(Scheduler::Threads, None)
    };
    let mut last = None;
    let r = compute_values_with(&[&slow as &dyn Lazy], &options, &mut |p| last = Some(p));
    canceller.join().unwrap();
    assert!(
        matches!(r, Err(Error::Cancelled)),
        "{:?}",
        r.err().map(|e| e.to_string())
    );
    let p = last.expect("progress was reported");
    assert!(
        p.done < p.total,
        "{} of {} tasks ran: the cancel stopped nothing",
        p.done,
        p.total
    );
    // The persisted blocks are still there: sum(x) equals the sum of the same random
    // numbers computed afresh.
    let again = Array::random(&[1500, 1500], ChunkSpec::Block(vec![250, 250]), Some(7)).unwrap();
    let a = x.sum(None).unwrap().compute(Scheduler::Threads).unwrap();
    let b = again
        .sum(None)
        .unwrap()
        .compute(Scheduler::Threads)
        .unwrap();
    assert_eq!(a, b);
}
