//! The pool's dispatcher of ready tasks across runs: each running compute has a queue
//! here, and a pool job takes the next task from the runs in turn.
//!
//! rayon runs a worker's own jobs before anything injected from outside the pool, so a
//! compute whose tasks were spawned one job per task would wait behind every task a
//! long compute keeps making ready. Here a job is only a claim on "some ready task":
//! which task it runs is chosen when it runs, round-robin over the runs with ready
//! tasks, and within a run the most recently readied first (depth first, as the
//! synchronous scheduler: a branch of a reduction completes and frees its inputs before
//! the next starts). Every task pushed comes with one job, so no task is left without a
//! job to run it; a job that finds nothing (its task was taken by another job) ends.

use std::sync::Arc;

/// A run's queue: its id, the run, and its ready tasks (the next on top).
struct Queue<R> {
    id: u64,
    run: Arc<R>,
    ready: Vec<u32>,
}

/// The queues of the runs in progress, and the one to take from next.
pub(crate) struct Fair<R> {
    queues: Vec<Queue<R>>,
    next: usize,
}

impl<R> Fair<R> {
    pub(crate) const fn new() -> Self {
        Fair {
            queues: Vec::new(),
            next: 0,
        }
    }

    /// Adds ready `tasks` of run `id` (the first of them on top).
    pub(crate) fn push(&mut self, id: u64, run: &Arc<R>, tasks: &[usize]) {
        let k = match self.queues.iter().position(|q| q.id == id) {
            Some(k) => k,
            None => {
                self.queues.push(Queue {
                    id,
                    run: run.clone(),
                    ready: Vec::new(),
                });
                self.queues.len() - 1
            }
        };
        self.queues[k]
            .ready
            .extend(tasks.iter().rev().map(|&t| t as u32));
    }

    /// The next task: from the next run in turn that has one.
    pub(crate) fn take(&mut self) -> Option<(Arc<R>, usize)> {
        let n = self.queues.len();
        for k in 0..n {
            let q = (self.next + k) % n;
            if let Some(t) = self.queues[q].ready.pop() {
                self.next = (q + 1) % n;
                return Some((self.queues[q].run.clone(), t as usize));
            }
        }
        None
    }

    /// Drops run `id`'s queue (it is over: its tasks left there never run).
    pub(crate) fn retire(&mut self, id: u64) {
        self.queues.retain(|q| q.id != id);
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn runs_take_turns_and_each_goes_depth_first() {
        let (a, b) = (Arc::new('a'), Arc::new('b'));
        let mut f = Fair::new();
        f.push(1, &a, &[0, 1, 2]);
        f.push(2, &b, &[7]);
        let order: Vec<(char, usize)> =
            std::iter::from_fn(|| f.take().map(|(r, t)| (*r, t))).collect();
        assert_eq!(order, vec![('a', 0), ('b', 7), ('a', 1), ('a', 2)]);
        f.push(1, &a, &[3]);
        f.retire(1);
        assert!(f.take().is_none());
    }
}
