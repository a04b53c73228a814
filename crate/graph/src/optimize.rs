//! Graph optimizations: culling to the requested outputs and fusing linear chains.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::{Graph, Key, Task};
use daskling_core::Result;
use daskling_kernels::Kernel;

impl Graph {
    /// Only the tasks that `outputs` need, as dask's `cull`.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = || Task::new(Kernel::Literal(Value::F64(0.0)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit());
    /// g.insert(Key::named("unused"), lit());
    /// let culled = g.cull(&[Key::named("a")]).unwrap();
    /// assert_eq!(culled.len(), 1);
    /// ```
    pub fn cull(&self, outputs: &[Key]) -> Result<Graph> {
        let keep = self.reachable(outputs)?;
        let tasks = self
            .tasks
            .iter()
            .filter(|(k, _)| keep.contains(*k))
            .map(|(k, t)| (k.clone(), t.clone()))
            .collect();
        Ok(Graph { tasks })
    }

    /// Fuses linear chains, as dask's `fuse_linear`: a task whose only dependency has no
    /// other dependent (and is not in `keep`) absorbs that dependency. The fused task keeps
    /// the last key of the chain, so outputs and later dependents are unchanged. Input
    /// tasks ([`Kernel::is_io`]) are never absorbed: they stay separate so the scheduler
    /// can run them apart from the compute.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// use daskling_kernels::array::{ArrayKernel, Elementwise, UnaryFn};
    /// let neg = || Kernel::Array(ArrayKernel::Map(Elementwise::Unary { f: UnaryFn::Neg }));
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("b"), Task::new(neg(), vec![Key::named("a")]));
    /// g.insert(Key::named("c"), Task::new(neg(), vec![Key::named("b")]));
    /// // a → b → c is a linear chain (each has one dependent): one task, named c.
    /// let fused = g.fuse_linear(&[Key::named("c")]);
    /// assert_eq!(fused.len(), 1);
    /// assert!(fused.contains(&Key::named("c")));
    /// ```
    pub fn fuse_linear(&self, keep: &[Key]) -> Graph {
        self.clone().into_fused(keep)
    }

    /// The chains to fuse, each from head to tail (two tasks or more).
    fn chains(&self, keep: &[Key]) -> Vec<Vec<Key>> {
        let keep: HashSet<&Key> = keep.iter().collect();
        let dependents = self.dependents();
        // parent -> child edges that can be fused.
        let mut child_of: HashMap<&Key, &Key> = HashMap::default();
        let mut parent_of: HashMap<&Key, &Key> = HashMap::default();
        for (k, t) in &self.tasks {
            if let [dep] = t.deps.as_slice() {
                let (dep, dep_task) = match self.tasks.get_key_value(dep) {
                    Some(kv) => kv,
                    None => continue,
                };
                // Reads run on the caller, remote work elsewhere: neither fuses.
                if dep_task.kernel.is_io() || dep_task.kernel.is_remote() || t.kernel.is_remote() {
                    continue;
                }
                let single = dependents.get(dep).is_some_and(|d| d.len() == 1);
                if single && !keep.contains(dep) && dep != k {
                    child_of.insert(dep, k);
                    parent_of.insert(k, dep);
                }
            }
        }
        let mut chains = Vec::new();
        for k in self.tasks.keys() {
            // k ends a chain when it has a parent and is nobody's parent.
            if child_of.contains_key(k) || !parent_of.contains_key(k) {
                continue;
            }
            let mut chain: Vec<Key> = vec![k.clone()];
            let mut cur = k;
            while let Some(p) = parent_of.get(cur) {
                // A cycle of single edges is invalid anyway; stop rather than loop.
                if chain.len() > self.tasks.len() {
                    break;
                }
                chain.push((*p).clone());
                cur = p;
            }
            chain.reverse();
            chains.push(chain);
        }
        chains
    }

    /// [`Graph::fuse_linear`], consuming the graph (tasks are moved, not copied).
    pub fn into_fused(mut self, keep: &[Key]) -> Graph {
        for chain in self.chains(keep) {
            let mut kernels: Vec<Kernel> = Vec::with_capacity(chain.len());
            let mut fused: Vec<Key> = Vec::new();
            let mut head_deps = Vec::new();
            let last = chain.len() - 1;
            for (i, ck) in chain.iter().enumerate() {
                let Some(ct) = self.tasks.remove(ck) else {
                    continue;
                };
                if i == 0 {
                    head_deps = ct.deps;
                }
                fused.extend(ct.fused);
                if i < last {
                    fused.push(ck.clone());
                }
                match ct.kernel {
                    Kernel::Chain(inner) => kernels.extend(inner.iter().cloned()),
                    other => kernels.push(other),
                }
            }
            self.tasks.insert(
                chain[last].clone(),
                Task {
                    kernel: Kernel::Chain(Arc::from(kernels)),
                    deps: head_deps,
                    fused,
                },
            );
        }
        self
    }

    /// Projection pushdown: a task that can produce fewer columns
    /// ([`Kernel::narrow`], a CSV parse) and whose dependents all say which columns
    /// they read ([`Kernel::columns_used`]) produces only those (outputs keep all).
    pub fn into_pruned(mut self, keep: &[Key]) -> Graph {
        // (the task, its narrowed kernel, its inputs that only it uses)
        let narrowed: Vec<(Key, Kernel, Vec<Key>)> = {
            let dependents = self.dependents();
            self.tasks
                .iter()
                .filter(|(k, t)| !keep.contains(k) && t.kernel.narrow(&[]).is_some())
                .filter_map(|(k, t)| {
                    let users = dependents.get(k)?;
                    let mut used: Vec<String> = vec![];
                    for u in users {
                        used.extend(self.tasks.get(*u)?.kernel.columns_used()?);
                    }
                    let own = t
                        .deps
                        .iter()
                        .filter(|d| dependents.get(*d).is_some_and(|u| u.len() == 1));
                    Some((k.clone(), t.kernel.narrow(&used)?, own.cloned().collect()))
                })
                .collect()
        };
        for (k, kernel, own) in narrowed {
            // A narrowed parse may read less (a Parquet parse: its columns' chunks): its
            // read input, when used by it alone, is re-planned.
            if let Some(Ok(parts)) = kernel.reads() {
                for d in own {
                    if let Some(Task {
                        kernel: Kernel::Read(r),
                        ..
                    }) = self.tasks.get_mut(&d)
                    {
                        r.parts = parts.clone().into();
                    }
                }
            }
            if let Some(t) = self.tasks.get_mut(&k) {
                t.kernel = kernel;
            }
        }
        self
    }

    /// [`Graph::cull`], consuming the graph.
    pub fn into_culled(mut self, outputs: &[Key]) -> Result<Graph> {
        let keep = self.reachable(outputs)?;
        self.tasks.retain(|k, _| keep.contains(k));
        Ok(self)
    }

    /// The standard optimization before scheduling: cull to `outputs`, read only the
    /// columns used, then fuse linear chains (outputs are never fused away).
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("unused"), lit(2.0));
    /// assert_eq!(g.optimize(&[Key::named("a")]).unwrap().len(), 1);
    /// ```
    pub fn optimize(&self, outputs: &[Key]) -> Result<Graph> {
        self.clone().into_optimized(outputs)
    }

    /// [`Graph::optimize`], consuming the graph.
    pub fn into_optimized(self, outputs: &[Key]) -> Result<Graph> {
        Ok(self
            .into_culled(outputs)?
            .into_pruned(outputs)
            .into_fused(outputs))
    }
}
