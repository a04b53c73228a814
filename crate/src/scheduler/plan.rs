//! A graph compiled for execution: tasks numbered in priority order, with dependency
//! and dependent lists as indices.

use std::collections::HashMap;

use crate::error::Result;
use crate::graph::{Graph, Key};
use crate::kernels::Kernel;

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
}

impl Plan {
    /// Compiles the part of `graph` that `outputs` need. Fails on a missing key or a cycle.
    pub fn new(graph: &Graph, outputs: &[Key]) -> Result<Plan> {
        let order = graph.order(outputs)?;
        let index: HashMap<&Key, u32> = order
            .iter()
            .enumerate()
            .map(|(i, k)| (k, i as u32))
            .collect();
        let n = order.len();
        let mut kernels = Vec::with_capacity(n);
        let mut deps = Vec::with_capacity(n);
        let mut dependents: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, k) in order.iter().enumerate() {
            // `order` succeeded, so every task and dependency exists.
            let Some(t) = graph.get(k) else { continue };
            let d: Vec<u32> = t
                .deps
                .iter()
                .filter_map(|d| index.get(d).copied())
                .collect();
            for &j in &d {
                dependents[j as usize].push(i as u32);
            }
            kernels.push(t.kernel.clone());
            deps.push(d);
        }
        let outputs: Vec<u32> = outputs
            .iter()
            .filter_map(|k| index.get(k).copied())
            .collect();
        let mut is_output = vec![false; n];
        for &o in &outputs {
            is_output[o as usize] = true;
        }
        Ok(Plan {
            keys: order,
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
}
