//! A graph compiled for execution: tasks numbered in priority order, with dependency
//! and dependent lists as indices.

use daskling_core::{Error, Result};
use daskling_graph::{Graph, Key};
use daskling_kernels::{Kernel, Value};

/// An executable form of a graph. Task `i` comes before task `j` in [`Graph::order`]
/// when `i < j`, so running tasks by index is a valid, memory-friendly order.
pub struct Plan {
    /// Key of each task (for errors).
    pub keys: Vec<Key>,
    /// Kernel of each task.
    pub kernels: Vec<Kernel>,
    /// Dependencies of each task, as task indices, in kernel input order.
    pub deps: Vec<Vec<u32>>,
    /// Dependents of each task (one entry per use).
    pub dependents: Vec<Vec<u32>>,
    /// Task index of each requested output, in request order.
    pub outputs: Vec<u32>,
    /// Whether a task is a requested output (its value is kept to the end).
    pub is_output: Vec<bool>,
    /// Whether a task reads input (see [`Kernel::is_io`]): the threaded scheduler runs
    /// these on the calling thread, a bounded number ahead of their consumers.
    pub io: Vec<bool>,
    /// Whether a task runs elsewhere (see [`Kernel::is_remote`]): the thread that polls
    /// the run starts it and collects its answer.
    pub remote: Vec<bool>,
}

impl Plan {
    /// Compiles the part of `graph` that `outputs` need. Fails on a missing key or a cycle.
    pub fn new(graph: &Graph, outputs: &[Key]) -> Result<Plan> {
        let ix = graph.indexed()?;
        let roots = ix.lookup_all(outputs)?;
        let order = ix.postorder(&roots)?;
        // Renumber: a task's number in the plan is its place in `order`.
        let mut number = vec![u32::MAX; ix.keys.len()];
        for (i, &t) in order.iter().enumerate() {
            number[t as usize] = i as u32;
        }
        let n = order.len();
        let mut keys = Vec::with_capacity(n);
        let mut kernels = Vec::with_capacity(n);
        let mut deps = Vec::with_capacity(n);
        let mut dependents: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, &t) in order.iter().enumerate() {
            let d: Vec<u32> = ix.deps[t as usize]
                .iter()
                .map(|&d| number[d as usize])
                .collect();
            for &j in &d {
                dependents[j as usize].push(i as u32);
            }
            keys.push(ix.keys[t as usize].clone());
            kernels.push(ix.tasks[t as usize].kernel.clone());
            deps.push(d);
        }
        let outputs: Vec<u32> = roots.iter().map(|&r| number[r as usize]).collect();
        let mut is_output = vec![false; n];
        for &o in &outputs {
            is_output[o as usize] = true;
        }
        let io = kernels.iter().map(Kernel::is_io).collect();
        let remote = kernels.iter().map(Kernel::is_remote).collect();
        Ok(Plan {
            io,
            remote,
            keys,
            kernels,
            deps,
            dependents,
            outputs,
            is_output,
        })
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no task.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The inputs of task `i`, each read by `held(task)`; a scheduler that lost one is
    /// an error naming it (never a task run on fewer inputs).
    pub(crate) fn inputs_of(
        &self,
        i: usize,
        held: impl Fn(usize) -> Option<Value>,
    ) -> Result<Vec<Value>> {
        self.deps[i]
            .iter()
            .map(|&d| {
                held(d as usize).ok_or_else(|| {
                    Error::invalid(format!(
                        "internal: the input {} of {} is not held",
                        self.keys[d as usize], self.keys[i]
                    ))
                })
            })
            .collect()
    }

    /// The values of the outputs, each read by `held(task)`; one missing is an error
    /// naming it.
    pub(crate) fn output_values(
        &self,
        held: impl Fn(usize) -> Option<Value>,
    ) -> Result<Vec<Value>> {
        self.outputs
            .iter()
            .map(|&o| {
                held(o as usize).ok_or_else(|| {
                    Error::invalid(format!(
                        "internal: the output {} was not computed",
                        self.keys[o as usize]
                    ))
                })
            })
            .collect()
    }
}
