//! # daskling-graph
//!
//! Task graphs: keys → tasks with dependencies, validated, culled, fused and ordered.
//!
//! ```
//! use daskling_graph::{Graph, Key, Task};
//! use daskling_kernels::{Kernel, Value};
//!
//! let mut g = Graph::new();
//! let a = Key::named("a");
//! g.insert(a.clone(), Task::new(Kernel::Literal(Value::F64(1.0)), vec![]));
//! g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(2.0)), vec![a]));
//! assert!(g.validate().is_ok());
//! assert_eq!(g.len(), 2);
//! ```

// Unit tests run in headless Chromium as well as natively (wasm-pack test).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod export;
mod key;
mod optimize;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub use daskling_core::token::tokenize;
pub use export::{GraphExport, NodeExport};
pub use key::{prefix_name, Key};

use daskling_core::{Error, Result};
use daskling_kernels::Kernel;

/// A graph with numbered tasks: `deps[i]` are the numbers of task `i`'s dependencies.
pub struct Indexed<'g> {
    /// Key of each task.
    pub keys: Vec<&'g Key>,
    /// Each task.
    pub tasks: Vec<&'g Task>,
    /// Dependencies of each task, as numbers, in kernel input order.
    pub deps: Vec<Vec<u32>>,
    lookup: HashMap<&'g Key, u32>,
}

impl Indexed<'_> {
    /// The numbers of `keys`, or an error naming the first one not in the graph.
    pub fn lookup_all(&self, keys: &[Key]) -> Result<Vec<u32>> {
        keys.iter()
            .map(|k| {
                self.lookup
                    .get(k)
                    .copied()
                    .ok_or_else(|| Error::UnknownKey(k.to_string()))
            })
            .collect()
    }

    /// A depth-first post-order of the tasks reachable from `roots` (see [`Graph::order`]).
    pub fn postorder(&self, roots: &[u32]) -> Result<Vec<u32>> {
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let mut mark = vec![NEW; self.keys.len()];
        let mut out = Vec::with_capacity(self.keys.len());
        // Stack of (task, index of the next dependency to visit).
        let mut stack: Vec<(u32, usize)> = Vec::new();
        for &root in roots {
            if mark[root as usize] != NEW {
                continue;
            }
            mark[root as usize] = OPEN;
            stack.push((root, 0));
            while let Some((task, next)) = stack.last_mut() {
                let t = *task as usize;
                if let Some(&dep) = self.deps[t].get(*next) {
                    *next += 1;
                    match mark[dep as usize] {
                        NEW => {
                            mark[dep as usize] = OPEN;
                            stack.push((dep, 0));
                        }
                        OPEN => {
                            let start = stack.iter().position(|(k, _)| *k == dep).unwrap_or(0);
                            let mut path: Vec<String> = stack[start..]
                                .iter()
                                .map(|(k, _)| self.keys[*k as usize].to_string())
                                .collect();
                            path.push(self.keys[dep as usize].to_string());
                            return Err(Error::Cycle { path });
                        }
                        _ => {}
                    }
                } else {
                    mark[t] = DONE;
                    out.push(t as u32);
                    stack.pop();
                }
            }
        }
        Ok(out)
    }
}

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
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(0.0)), vec![Key::named("a")]));
    /// g.insert(Key::named("a"), lit(5.0)); // "a" is there: its first task is kept
    /// assert_eq!(g.len(), 2);
    /// let kept = &g.get(&Key::named("a")).unwrap().kernel;
    /// assert!(matches!(kept, Kernel::Literal(Value::F64(x)) if *x == 1.0));
    /// ```
    pub fn insert(&mut self, key: Key, task: Task) {
        self.tasks.entry(key).or_insert(task);
    }

    /// Whether `key` is in the graph.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(0.0)), vec![Key::named("a")]));
    /// assert!(g.contains(&Key::named("a")) && !g.contains(&Key::named("z")));
    /// ```
    pub fn contains(&self, key: &Key) -> bool {
        self.tasks.contains_key(key)
    }

    /// The task of `key`.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(0.0)), vec![Key::named("a")]));
    /// assert_eq!(g.get(&Key::named("b")).unwrap().deps, vec![Key::named("a")]);
    /// ```
    pub fn get(&self, key: &Key) -> Option<&Task> {
        self.tasks.get(key)
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the graph has no task.
    ///
    /// ```
    /// use daskling_graph::Graph;
    /// assert!(Graph::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// All keys and tasks, in no particular order.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(0.0)), vec![Key::named("a")]));
    /// let mut keys: Vec<String> = g.iter().map(|(k, _)| k.to_string()).collect();
    /// keys.sort();
    /// assert_eq!(keys, ["a", "b"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Task)> {
        self.tasks.iter()
    }

    /// Adds every task of `other`.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(0.0)), vec![Key::named("a")]));
    /// let mut h = Graph::new();
    /// h.insert(Key::named("c"), lit(2.0));
    /// g.merge(h);
    /// assert_eq!(g.len(), 3);
    /// ```
    pub fn merge(&mut self, other: Graph) {
        for (k, t) in other.tasks {
            self.insert(k, t);
        }
    }

    /// For each key, the keys that depend on it.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(0.0)), vec![Key::named("a")]));
    /// let d = g.dependents();
    /// assert_eq!(d[&Key::named("a")], vec![&Key::named("b")]);
    /// ```
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
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), Task::new(Kernel::Literal(Value::F64(1.0)), vec![Key::named("b")]));
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(1.0)), vec![Key::named("a")]));
    /// assert!(g.validate().unwrap_err().to_string().contains("cycle"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        let ix = self.indexed()?;
        let all: Vec<u32> = (0..ix.keys.len() as u32).collect();
        ix.postorder(&all).map(|_| ())
    }

    /// A topological order of the tasks `outputs` need: a depth-first post-order from the
    /// outputs, so one branch finishes before the next starts and intermediates can be
    /// freed early. Fails on a missing key or a cycle.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(0.0)), vec![Key::named("a")]));
    /// g.insert(Key::named("a"), lit(1.0));
    /// // Dependencies first.
    /// assert_eq!(g.order(&[Key::named("b")]).unwrap(), vec![Key::named("a"), Key::named("b")]);
    /// ```
    pub fn order(&self, outputs: &[Key]) -> Result<Vec<Key>> {
        let ix = self.indexed()?;
        let roots = ix.lookup_all(outputs)?;
        Ok(ix
            .postorder(&roots)?
            .into_iter()
            .map(|i| ix.keys[i as usize].clone())
            .collect())
    }

    /// The graph with tasks numbered and dependencies as numbers. Fails on a missing
    /// dependency.
    pub fn indexed(&self) -> Result<Indexed<'_>> {
        let n = self.tasks.len();
        let mut lookup: HashMap<&Key, u32> =
            HashMap::with_capacity_and_hasher(n, Default::default());
        let mut keys = Vec::with_capacity(n);
        let mut tasks = Vec::with_capacity(n);
        for (i, (k, t)) in self.tasks.iter().enumerate() {
            lookup.insert(k, i as u32);
            keys.push(k);
            tasks.push(t);
        }
        let mut deps = Vec::with_capacity(n);
        for (k, t) in keys.iter().zip(&tasks) {
            let d = t
                .deps
                .iter()
                .map(|d| {
                    lookup
                        .get(d)
                        .copied()
                        .ok_or_else(|| Error::MissingDependency {
                            task: k.to_string(),
                            missing: d.to_string(),
                        })
                })
                .collect::<Result<Vec<u32>>>()?;
            deps.push(d);
        }
        Ok(Indexed {
            keys,
            tasks,
            deps,
            lookup,
        })
    }

    /// The keys reachable from `outputs` (themselves included).
    fn reachable(&self, outputs: &[Key]) -> Result<HashSet<Key>> {
        let mut seen: HashSet<Key> = HashSet::default();
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
