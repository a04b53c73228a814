//! Graph export: `{nodes, edges}` for drawing, and Graphviz DOT.

use serde::Serialize;

use super::{Graph, Key, Task};

/// One node of an exported graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeExport {
    /// The key, as text.
    pub id: String,
    /// What to show: the layer prefixes of the (fused) task and its block index.
    pub label: String,
    /// The kind of work (kernel), for colors.
    pub kind: String,
}

/// A graph as plain data: nodes and `[from, to]` edges (dependency → dependent).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphExport {
    /// Every task, sorted by id.
    pub nodes: Vec<NodeExport>,
    /// Every dependency edge, sorted.
    pub edges: Vec<(String, String)>,
}

fn label(key: &Key, task: &Task) -> String {
    let mut prefixes: Vec<&str> = Vec::new();
    for k in task.fused.iter().chain(std::iter::once(key)) {
        let p = k.prefix();
        if prefixes.last() != Some(&p) {
            prefixes.push(p);
        }
    }
    let mut s = prefixes.join("+");
    if !key.index().is_empty() {
        let idx: Vec<String> = key.index().iter().map(|i| i.to_string()).collect();
        s.push_str(&format!(" ({})", idx.join(", ")));
    }
    s
}

impl Graph {
    /// The graph as nodes and edges, sorted for stable output.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// g.insert(Key::named("b"), Task::new(Kernel::Literal(Value::F64(0.0)), vec![Key::named("a")]));
    /// let e = g.export();
    /// assert_eq!((e.nodes.len(), e.edges.len()), (2, 1));
    /// ```
    pub fn export(&self) -> GraphExport {
        let mut keys: Vec<&Key> = self.tasks.keys().collect();
        keys.sort();
        let nodes = keys
            .iter()
            .map(|k| {
                let t = &self.tasks[*k];
                NodeExport {
                    id: k.to_string(),
                    label: label(k, t),
                    kind: t.kernel.kind().to_string(),
                }
            })
            .collect();
        let mut edges: Vec<(String, String)> = keys
            .iter()
            .flat_map(|k| {
                self.tasks[*k]
                    .deps
                    .iter()
                    .map(move |d| (d.to_string(), k.to_string()))
            })
            .collect();
        edges.sort();
        edges.dedup();
        GraphExport { nodes, edges }
    }

    /// The graph in Graphviz DOT, bottom to top as dask draws it.
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let mut g = Graph::new();
    /// g.insert(Key::named("x"), Task::new(Kernel::Literal(Value::F64(1.0)), vec![]));
    /// assert!(g.to_dot().starts_with("digraph"));
    /// ```
    ///
    /// ```
    /// use daskling_graph::{Graph, Key, Task};
    /// use daskling_kernels::{Kernel, Value};
    /// let lit = |x| Task::new(Kernel::Literal(Value::F64(x)), vec![]);
    /// let mut g = Graph::new();
    /// g.insert(Key::named("a"), lit(1.0));
    /// let dot = g.to_dot();
    /// assert!(dot.starts_with("digraph") && dot.contains("literal"));
    /// ```
    pub fn to_dot(&self) -> String {
        let ex = self.export();
        let mut s = String::from(
            "digraph daskling {\n  graph [rankdir=BT];\n  node [shape=box, style=rounded];\n",
        );
        for n in &ex.nodes {
            s.push_str(&format!(
                "  {} [label={}, tooltip={}, class={}];\n",
                quote(&n.id),
                quote(&n.label),
                quote(&n.id),
                quote(&n.kind)
            ));
        }
        for (a, b) in &ex.edges {
            s.push_str(&format!("  {} -> {};\n", quote(a), quote(b)));
        }
        s.push_str("}\n");
        s
    }
}

/// A DOT double-quoted string.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}
