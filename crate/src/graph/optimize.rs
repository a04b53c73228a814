//! Graph optimizations: culling to the requested outputs and fusing linear chains.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::{Graph, Key, Task};
use crate::error::Result;
use crate::kernels::Kernel;

impl Graph {
    /// Only the tasks that `outputs` need, as dask's `cull`.
    ///
    /// ```
    /// use daskling::graph::{Graph, Key, Task};
    /// use daskling::kernels::{Kernel, Value};
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
    pub fn fuse_linear(&self, keep: &[Key]) -> Graph {
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
                if dep_task.kernel.is_io() {
                    continue;
                }
                let single = dependents.get(dep).is_some_and(|d| d.len() == 1);
                if single && !keep.contains(dep) && dep != k {
                    child_of.insert(dep, k);
                    parent_of.insert(k, dep);
                }
            }
        }
        let mut tasks = HashMap::with_capacity_and_hasher(self.tasks.len(), Default::default());
        for (k, t) in &self.tasks {
            if child_of.contains_key(k) {
                continue; // absorbed into its child's chain
            }
            if !parent_of.contains_key(k) {
                tasks.insert(k.clone(), t.clone());
                continue;
            }
            // k ends a chain: walk up to its head.
            let mut chain: Vec<&Key> = vec![k];
            let mut cur = k;
            while let Some(p) = parent_of.get(cur) {
                // A cycle of single edges is invalid anyway; stop rather than loop.
                if chain.len() > self.tasks.len() {
                    break;
                }
                chain.push(p);
                cur = p;
            }
            chain.reverse();
            let head = &self.tasks[chain[0]];
            let mut kernels: Vec<Kernel> = Vec::with_capacity(chain.len());
            let mut fused: Vec<Key> = Vec::new();
            for (i, ck) in chain.iter().enumerate() {
                let ct = &self.tasks[*ck];
                fused.extend(ct.fused.iter().cloned());
                if i + 1 < chain.len() {
                    fused.push((*ck).clone());
                }
                match &ct.kernel {
                    Kernel::Chain(inner) => kernels.extend(inner.iter().cloned()),
                    other => kernels.push(other.clone()),
                }
            }
            tasks.insert(
                k.clone(),
                Task {
                    kernel: Kernel::Chain(Arc::from(kernels)),
                    deps: head.deps.clone(),
                    fused,
                },
            );
        }
        Graph { tasks }
    }

    /// Projection pushdown: a task that can produce fewer columns
    /// ([`Kernel::narrow`], a CSV parse) and whose dependents all say which columns
    /// they read ([`Kernel::columns_used`]) produces only those (outputs keep all).
    pub fn prune_columns(&self, keep: &[Key]) -> Graph {
        let dependents = self.dependents();
        let mut tasks = self.tasks.clone();
        for (k, t) in &self.tasks {
            if keep.contains(k) || t.kernel.narrow(&[]).is_none() {
                continue;
            }
            let Some(users) = dependents.get(k) else {
                continue;
            };
            let mut used: Vec<String> = vec![];
            let mut all_known = true;
            for u in users {
                match self.tasks.get(u).and_then(|ut| ut.kernel.columns_used()) {
                    Some(cols) => used.extend(cols),
                    None => all_known = false,
                }
            }
            if !all_known {
                continue;
            }
            if let (Some(narrow), Some(task)) = (t.kernel.narrow(&used), tasks.get_mut(k)) {
                task.kernel = narrow;
            }
        }
        Graph { tasks }
    }

    /// The standard optimization before scheduling: cull to `outputs`, read only the
    /// columns used, then fuse linear chains (outputs are never fused away).
    pub fn optimize(&self, outputs: &[Key]) -> Result<Graph> {
        Ok(self
            .cull(outputs)?
            .prune_columns(outputs)
            .fuse_linear(outputs))
    }
}
