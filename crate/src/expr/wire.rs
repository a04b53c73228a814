//! The serialized form of lazy values, shipped from the page's builder instance to the
//! compute worker: a table of distinct expression nodes in dependency order (inputs
//! refer to earlier rows), so an expression that reuses a value many times
//! (`y = y.add(y.T)` in a loop) stays as small as its graph, and decoding re-checks
//! every node through the same constructors as building it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::array::{Array, ArrayOp};
use super::dataframe::{Df, DfOp, SourceRef};
use super::Lazy;
use crate::error::{Error, Result};
use crate::graph::{Graph, Key};

/// A lazy value of any kind.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A chunked array.
    Array(Array),
    /// A dataframe, series or scalar.
    Df(Df),
}

impl Lazy for Expr {
    fn lower(&self, g: &mut Graph) -> Result<Key> {
        match self {
            Expr::Array(a) => a.lower(g),
            Expr::Df(d) => d.lower(g),
        }
    }
}

/// One row of the table.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WireNode {
    /// An array operation; inputs are row numbers.
    Array(ArrayOp<usize>),
    /// A dataframe operation; inputs are row numbers.
    Dataframe(DfOp<usize>),
}

/// Lazy values as a table of nodes and the rows of the outputs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Wire {
    /// Distinct nodes, every input before its users.
    pub nodes: Vec<WireNode>,
    /// The row of each output value.
    pub outputs: Vec<usize>,
}

impl Wire {
    /// Encodes `exprs` (shared nodes once).
    pub fn encode(exprs: &[Expr]) -> Wire {
        let mut w = Wire::default();
        let mut rows: HashMap<String, usize> = HashMap::new();
        for e in exprs {
            let row = match e {
                Expr::Array(a) => w.add(a, &mut rows),
                Expr::Df(d) => w.add(d, &mut rows),
            };
            w.outputs.push(row);
        }
        w
    }

    /// The sources the dataframe nodes read.
    pub fn sources(&self) -> Vec<SourceRef> {
        let mut out: Vec<SourceRef> = vec![];
        for n in &self.nodes {
            if let WireNode::Dataframe(DfOp::ReadCsv { sources, .. }) = n {
                for s in sources {
                    if !out.iter().any(|o| o.id == s.id) {
                        out.push(s.clone());
                    }
                }
            }
        }
        out
    }

    /// Adds `root` and its inputs in post-order, iteratively (expressions can be deep);
    /// returns its row.
    fn add<T: Node>(&mut self, root: &T, rows: &mut HashMap<String, usize>) -> usize {
        let mut stack: Vec<(T, bool)> = vec![(root.clone(), false)];
        while let Some((n, expanded)) = stack.pop() {
            if rows.contains_key(n.node_name()) {
                continue;
            }
            if !expanded {
                stack.push((n.clone(), true));
                for input in n.node_inputs().into_iter().rev() {
                    if !rows.contains_key(input.node_name()) {
                        stack.push((input, false));
                    }
                }
                continue;
            }
            // Inputs are always rows by now; a node that is not is skipped (and decoding
            // then rejects the table).
            if let Some(node) = n.encode(rows) {
                rows.insert(n.node_name().to_string(), self.nodes.len());
                self.nodes.push(node);
            }
        }
        rows.get(root.node_name()).copied().unwrap_or(usize::MAX)
    }

    /// Decodes into lazy values, checking every node.
    pub fn decode(&self) -> Result<Vec<Expr>> {
        let mut built: Vec<Expr> = Vec::with_capacity(self.nodes.len());
        for (row, node) in self.nodes.iter().enumerate() {
            let e = match node {
                WireNode::Array(op) => {
                    let op = op.try_map(|&i| match built.get(i) {
                        Some(Expr::Array(a)) if i < row => Ok(a.clone()),
                        _ => Err(Error::invalid(format!(
                            "expression row {row} refers to row {i}, which is not an earlier array"
                        ))),
                    })?;
                    Expr::Array(Array::build(op)?)
                }
                WireNode::Dataframe(op) => {
                    let op = op.try_map(|&i| match built.get(i) {
                        Some(Expr::Df(d)) if i < row => Ok(d.clone()),
                        _ => Err(Error::invalid(format!(
                            "expression row {row} refers to row {i}, which is not an earlier dataframe"
                        ))),
                    })?;
                    Expr::Df(Df::build(op)?)
                }
            };
            built.push(e);
        }
        self.outputs
            .iter()
            .map(|&i| {
                built
                    .get(i)
                    .cloned()
                    .ok_or_else(|| Error::invalid(format!("output row {i} does not exist")))
            })
            .collect()
    }

    /// Data of `fromArray` nodes, which the JSON names by token only.
    pub fn data(&self, exprs: &[Expr]) -> Vec<super::array::Data> {
        let mut out: Vec<super::array::Data> = vec![];
        let mut seen = std::collections::HashSet::new();
        let mut stack: Vec<Array> = exprs
            .iter()
            .filter_map(|e| match e {
                Expr::Array(a) => Some(a.clone()),
                Expr::Df(_) => None,
            })
            .collect();
        while let Some(a) = stack.pop() {
            if !seen.insert(a.name().to_string()) {
                continue;
            }
            if let ArrayOp::FromData { data, .. } = a.op() {
                out.push(data.clone());
            }
            stack.extend(a.op().inputs().into_iter().cloned());
        }
        out
    }
}

/// An expression node of either kind, as the table sees it.
trait Node: Clone {
    fn node_name(&self) -> &str;
    fn node_inputs(&self) -> Vec<Self>;
    /// Its row, inputs given as row numbers (`None` when one is missing).
    fn encode(&self, rows: &HashMap<String, usize>) -> Option<WireNode>;
}

impl Node for Array {
    fn node_name(&self) -> &str {
        self.name()
    }
    fn node_inputs(&self) -> Vec<Array> {
        self.op().inputs().into_iter().cloned().collect()
    }
    fn encode(&self, rows: &HashMap<String, usize>) -> Option<WireNode> {
        let op = self.op().try_map(|i| rows.get(i.name()).copied().ok_or(()));
        op.ok().map(WireNode::Array)
    }
}

impl Node for Df {
    fn node_name(&self) -> &str {
        self.name()
    }
    fn node_inputs(&self) -> Vec<Df> {
        self.op().inputs().into_iter().cloned().collect()
    }
    fn encode(&self, rows: &HashMap<String, usize>) -> Option<WireNode> {
        let op = self.op().try_map(|i| rows.get(i.name()).copied().ok_or(()));
        op.ok().map(WireNode::Dataframe)
    }
}
