//! Task graphs: keys → tasks with dependencies, validated, culled, fused and ordered.
//!
//! ```
//! use daskling::graph::{Graph, Key, Task};
//! use daskling::kernels::{Kernel, Value};
//!
//! let mut g = Graph::new();
//! let a = Key::named("a");
//! g.insert(a.clone(), Task::new(Kernel::Literal(Value::F64(1.0)), vec![]));
//! g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(2.0)), vec![a]));
//! assert!(g.validate().is_ok());
//! assert_eq!(g.len(), 2);
//! ```

mod export;
mod key;
mod optimize;

use std::collections::{HashMap, HashSet};

pub use export::{GraphExport, NodeExport};
pub use key::{tokenize, Key};

use crate::error::{Error, Result};
use crate::kernels::Kernel;

/// One unit of work: a kernel and the keys whose values it takes, in order.
#[derive(Clone, Debug)]
pub struct Task {
    /// What to compute.
    pub kernel: Kernel,
    /// Inputs, in the order the kernel takes them.
    pub deps: Vec<Key>,
    /// Keys fused into this task by optimization (earliest first), for labels.
    pub fused: Vec<Key>,
}

impl Task {
    /// A task running `kernel` on the values of `deps`.
    pub fn new(kernel: Kernel, deps: Vec<Key>) -> Self {
        Task {
            kernel,
            deps,
            fused: Vec::new(),
        }
    }
}

/// A task graph: a map from keys to tasks.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    tasks: HashMap<Key, Task>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Graph::default()
    }

    /// Adds a task. A key already present keeps its task: keys are content hashes, so an
    /// equal key means equal work (this is how common sub-expressions are shared).
    pub fn insert(&mut self, key: Key, task: Task) {
        self.tasks.entry(key).or_insert(task);
    }

    /// Whether `key` is in the graph.
    pub fn contains(&self, key: &Key) -> bool {
        self.tasks.contains_key(key)
    }

    /// The task of `key`.
    pub fn get(&self, key: &Key) -> Option<&Task> {
        self.tasks.get(key)
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the graph has no task.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// All keys and tasks, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Task)> {
        self.tasks.iter()
    }

    /// Adds every task of `other`.
    pub fn merge(&mut self, other: Graph) {
        for (k, t) in other.tasks {
            self.insert(k, t);
        }
    }

    /// For each key, the keys that depend on it.
    pub fn dependents(&self) -> HashMap<&Key, Vec<&Key>> {
        let mut out: HashMap<&Key, Vec<&Key>> =
            self.tasks.keys().map(|k| (k, Vec::new())).collect();
        for (k, t) in &self.tasks {
            for d in &t.deps {
                if let Some(v) = out.get_mut(d) {
                    v.push(k);
                }
            }
        }
        out
    }

    /// Checks that every dependency exists and that there is no cycle.
    pub fn validate(&self) -> Result<()> {
        for (k, t) in &self.tasks {
            if let Some(m) = t.deps.iter().find(|d| !self.tasks.contains_key(*d)) {
                return Err(Error::MissingDependency {
                    task: k.to_string(),
                    missing: m.to_string(),
                });
            }
        }
        let mut roots: Vec<&Key> = self.tasks.keys().collect();
        roots.sort();
        self.order(roots.into_iter().cloned().collect::<Vec<_>>().as_slice())
            .map(|_| ())
    }

    /// A topological order of the tasks `outputs` need: a depth-first post-order from the
    /// outputs, so one branch finishes before the next starts and intermediates can be
    /// freed early. Fails on a missing key or a cycle.
    pub fn order(&self, outputs: &[Key]) -> Result<Vec<Key>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        let mut mark: HashMap<&Key, Mark> = HashMap::with_capacity(self.tasks.len());
        let mut out = Vec::with_capacity(self.tasks.len());
        // Stack of (key, index of the next dependency to visit).
        let mut stack: Vec<(&Key, usize)> = Vec::new();
        for root in outputs {
            let (root, _) = self
                .tasks
                .get_key_value(root)
                .ok_or_else(|| Error::UnknownKey(root.to_string()))?;
            if mark.contains_key(root) {
                continue;
            }
            mark.insert(root, Mark::Open);
            stack.push((root, 0));
            while let Some((key, next)) = stack.last_mut() {
                let task = &self.tasks[*key];
                if let Some(dep) = task.deps.get(*next) {
                    *next += 1;
                    let (dep, _) =
                        self.tasks
                            .get_key_value(dep)
                            .ok_or_else(|| Error::MissingDependency {
                                task: key.to_string(),
                                missing: dep.to_string(),
                            })?;
                    match mark.get(dep) {
                        Some(Mark::Done) => {}
                        Some(Mark::Open) => {
                            let start = stack.iter().position(|(k, _)| *k == dep).unwrap_or(0);
                            let mut path: Vec<String> =
                                stack[start..].iter().map(|(k, _)| k.to_string()).collect();
                            path.push(dep.to_string());
                            return Err(Error::Cycle { path });
                        }
                        None => {
                            mark.insert(dep, Mark::Open);
                            stack.push((dep, 0));
                        }
                    }
                } else {
                    let key = *key;
                    mark.insert(key, Mark::Done);
                    out.push(key.clone());
                    stack.pop();
                }
            }
        }
        Ok(out)
    }

    /// The keys reachable from `outputs` (themselves included).
    fn reachable(&self, outputs: &[Key]) -> Result<HashSet<Key>> {
        let mut seen: HashSet<Key> = HashSet::new();
        let mut stack: Vec<Key> = Vec::new();
        for o in outputs {
            if !self.tasks.contains_key(o) {
                return Err(Error::UnknownKey(o.to_string()));
            }
            if seen.insert(o.clone()) {
                stack.push(o.clone());
            }
        }
        while let Some(k) = stack.pop() {
            let task = &self.tasks[&k];
            for d in &task.deps {
                if !self.tasks.contains_key(d) {
                    return Err(Error::MissingDependency {
                        task: k.to_string(),
                        missing: d.to_string(),
                    });
                }
                if seen.insert(d.clone()) {
                    stack.push(d.clone());
                }
            }
        }
        Ok(seen)
    }
}
