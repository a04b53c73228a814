//! The synchronous scheduler: one thread, dask's local scheduler in miniature.
//!
//! Its whole state is [`State`]. For the graph `a → b → c` with output `c`
//! (tasks numbered in priority order 0, 1, 2):
//!
//! ```text
//! start            ready=[0]  waiting=[0,1,1]  waiting_data=[1,1,0]  cache={}
//! finish 0         ready=[1]  waiting=[0,0,1]                        cache={0}
//! finish 1         ready=[2]  waiting=[0,0,0]  waiting_data=[0,1,0]  cache={1}   (0 released)
//! finish 2         ready=[]                    waiting_data=[0,0,0]  cache={2}   (1 released)
//! ```
//! `ready` is a stack, so a task's newly ready dependents run before unrelated work:
//! one branch of a reduction completes before the next begins and its inputs are freed.

use super::{execute, progress_every, Plan, Progress, Stats, Trace};
use daskling_core::Result;
use daskling_kernels::Value;

/// The state of a synchronous run; printable with `{:?}` to follow a run step by step.
#[derive(Debug)]
pub struct State {
    /// Results held, by task index.
    pub cache: Vec<Option<Value>>,
    /// Per task: dependencies (uses) not yet finished.
    pub waiting: Vec<u32>,
    /// Per task: dependents (uses) not yet run; at zero its result is released.
    pub waiting_data: Vec<u32>,
    /// Tasks ready to run, the next on top.
    pub ready: Vec<u32>,
    /// Tasks finished.
    pub finished: usize,
    /// Results released.
    pub released: usize,
    /// Results held now, and the most ever held.
    pub live: usize,
    /// The most results held at once.
    pub peak_live: usize,
}

impl State {
    /// The state before anything runs.
    pub fn new(plan: &Plan) -> Self {
        let waiting: Vec<u32> = plan.deps.iter().map(|d| d.len() as u32).collect();
        // Lowest index on top of the stack.
        let ready = (0..plan.len() as u32)
            .rev()
            .filter(|&i| waiting[i as usize] == 0)
            .collect();
        State {
            cache: vec![None; plan.len()],
            waiting,
            waiting_data: plan.dependents.iter().map(|d| d.len() as u32).collect(),
            ready,
            finished: 0,
            released: 0,
            live: 0,
            peak_live: 0,
        }
    }

    /// Stores the result of task `i`, makes dependents ready, releases inputs no longer needed.
    pub fn finish_task(&mut self, plan: &Plan, i: usize, value: Value) {
        self.cache[i] = Some(value);
        self.live += 1;
        self.peak_live = self.peak_live.max(self.live);
        self.finished += 1;
        // Push in reverse so the first dependent is on top.
        for &d in plan.dependents[i].iter().rev() {
            let w = &mut self.waiting[d as usize];
            *w -= 1;
            if *w == 0 {
                self.ready.push(d);
            }
        }
        for &dep in &plan.deps[i] {
            let wd = &mut self.waiting_data[dep as usize];
            *wd -= 1;
            if *wd == 0 && !plan.is_output[dep as usize] {
                self.release_data(dep as usize);
            }
        }
    }

    /// Frees the result of task `i`.
    pub fn release_data(&mut self, i: usize) {
        if self.cache[i].take().is_some() {
            self.live -= 1;
            self.released += 1;
        }
    }
}

/// Runs `plan` on the calling thread.
pub fn run(
    plan: &Plan,
    on_progress: &mut dyn FnMut(Progress),
    trace: Option<&Trace>,
) -> Result<(Vec<Value>, Stats)> {
    let total = plan.len();
    let every = progress_every(total);
    let mut st = State::new(plan);
    on_progress(Progress {
        done: 0,
        total,
        running: 0,
    });
    while let Some(i) = st.ready.pop() {
        let i = i as usize;
        let inputs: Vec<Value> = plan.deps[i]
            .iter()
            .filter_map(|&d| st.cache[d as usize].clone())
            .collect();
        let value = execute(plan, i, &inputs, trace)?;
        drop(inputs);
        st.finish_task(plan, i, value);
        if st.finished.is_multiple_of(every) && st.finished < total {
            on_progress(Progress {
                done: st.finished,
                total,
                running: 0,
            });
        }
    }
    on_progress(Progress {
        done: st.finished,
        total,
        running: 0,
    });
    let values = plan
        .outputs
        .iter()
        .filter_map(|&o| st.cache[o as usize].clone())
        .collect();
    let stats = Stats {
        tasks: st.finished,
        peak_live: st.peak_live,
        threads_used: 1,
    };
    Ok((values, stats))
}
