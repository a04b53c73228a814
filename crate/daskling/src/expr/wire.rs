//! The serialized form of lazy values, shipped from the page's builder instance to the
//! compute worker: a table of distinct expression nodes in dependency order (inputs
//! refer to earlier rows), so an expression that reuses a value many times
//! (`y = y.add(y.T)` in a loop) stays as small as its graph, and decoding re-checks
//! every node through the same constructors as building it. Calls of JavaScript
//! functions name their function in a table of distinct functions and their encoded
//! arguments as a range of one byte buffer that travels beside the JSON. A dataframe
//! read (`readCsv`) the kernel already decoded is named by name only
//! ([`WireNode::Held`]): its sources — 9,500 for the workshop's daily files — are sent
//! once, not with every compute.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::array::{Array, ArrayOp};
use super::dataframe::{Df, DfOp, Kind, SourceRef};
use super::js::Call;
use super::js::JsFunction;
use super::walk::post_order;
use super::Lazy;
use crate::error::{Error, Result};
use crate::graph::{Graph, Key};
use crate::Context;

/// A lazy value of any kind.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A chunked array.
    Array(Array),
    /// A dataframe, series or scalar.
    Df(Df),
    /// A call of a JavaScript function.
    Call(Call),
}

impl Expr {
    /// Its unique name (a content token; a call's is unique unless pure).
    pub fn name(&self) -> &str {
        match self {
            Expr::Array(a) => a.name(),
            Expr::Df(d) => d.name(),
            Expr::Call(c) => c.name(),
        }
    }

    /// What its result is: a dataframe, series or scalar; arrays and calls are shown as
    /// [`Kind::Frame`] is (their values are not frames).
    pub fn kind(&self) -> Kind {
        match self {
            Expr::Df(d) => d.kind(),
            Expr::Array(_) | Expr::Call(_) => Kind::Frame,
        }
    }

    /// The lazy values it is computed from.
    pub(crate) fn inputs(&self) -> Vec<Expr> {
        match self {
            Expr::Array(a) => a
                .op()
                .inputs()
                .into_iter()
                .cloned()
                .map(Expr::Array)
                .collect(),
            Expr::Df(d) => d.op().inputs().into_iter().cloned().map(Expr::Df).collect(),
            Expr::Call(c) => c.node().deps.clone(),
        }
    }
}

impl Lazy for Expr {
    fn lower(&self, g: &mut Graph) -> Result<Key> {
        match self {
            Expr::Array(a) => a.lower(g),
            Expr::Df(d) => d.lower(g),
            Expr::Call(c) => c.lower(g),
        }
    }

    fn needs(&self) -> super::Needs {
        match self {
            Expr::Array(a) => a.needs(),
            Expr::Df(d) => d.needs(),
            Expr::Call(c) => c.needs(),
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
    /// A dataframe read the kernel holds from an earlier message (see
    /// [`Wire::encode_holding`]), by its name.
    Held {
        /// The read's name.
        name: String,
    },
    /// A call of a JavaScript function.
    #[serde(rename_all = "camelCase")]
    Call {
        /// The key's layer name.
        name: String,
        /// Row of the function in [`Wire::funcs`].
        func: usize,
        /// Byte range of its encoded arguments in the buffer beside the table.
        args: [usize; 2],
        /// Rows of its lazy arguments.
        deps: Vec<usize>,
    },
}

/// Lazy values as a table of nodes and the rows of the outputs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Wire {
    /// Distinct nodes, every input before its users.
    pub nodes: Vec<WireNode>,
    /// The row of each output value.
    pub outputs: Vec<usize>,
    /// The JavaScript functions calls name, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub funcs: Vec<JsFunction>,
    /// The calls' encoded arguments (sent beside the JSON, as bytes).
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// The names of the dataframe reads encoded in full: a kernel that decodes this
    /// holds them afterwards.
    #[serde(skip)]
    pub reads: Vec<String>,
}

/// Whether `d` is a dataframe read (the nodes a kernel holds by name).
fn is_read(d: &Df) -> bool {
    matches!(d.op(), DfOp::ReadCsv { .. } | DfOp::ReadParquet { .. })
}

impl Wire {
    /// Encodes `exprs` (shared nodes once).
    pub fn encode(exprs: &[Expr]) -> Wire {
        Wire::encode_holding(exprs, &|_| false)
    }

    /// Encodes `exprs`, naming only by name the dataframe reads for which `held(name)`
    /// is true: those the kernel decoded in an earlier message. The reads encoded in
    /// full are listed in [`Wire::reads`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::expr::{Expr, Wire};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::{Context, Scheduler};
    /// let page = Context::new();
    /// let src = page.add_source("s1", Arc::new(MemorySource::new("a.csv", &b"x\n1\n2\n"[..])));
    /// let df = read_csv_sources(vec![src.held.clone().unwrap()], &ReadOptions::default()).unwrap();
    /// let total = Expr::Df(df.col("x").unwrap().sum().unwrap().0);
    ///
    /// let worker = Context::new();
    /// worker.add_source("s1", src.held.clone().unwrap());
    /// let first = Wire::encode(&[total.clone()]);
    /// assert_eq!(first.reads.len(), 1); // the read, in full
    /// worker.decode(&first, &[]).unwrap();
    /// // Later messages name the read only; the worker fills it in.
    /// let later = Wire::encode_holding(&[total], &|name| first.reads.iter().any(|r| r == name));
    /// assert!(later.reads.is_empty());
    /// assert!(!serde_json::to_string(&later).unwrap().contains("a.csv"));
    /// let Expr::Df(d) = worker.decode(&later, &[]).unwrap().remove(0) else { panic!() };
    /// assert_eq!(daskling::expr::dataframe::Scalar(d).compute(Scheduler::Sync).unwrap(), 3.0);
    /// // A kernel that does not hold it says so.
    /// assert!(Context::new().decode(&later, &[]).unwrap_err().to_string().contains("not held"));
    /// ```
    pub fn encode_holding(exprs: &[Expr], held: &dyn Fn(&str) -> bool) -> Wire {
        let mut w = Wire::default();
        let mut rows: HashMap<String, usize> = HashMap::new();
        let mut funcs: HashMap<Arc<JsFunction>, usize> = HashMap::new();
        for e in exprs {
            let row = w.add(e, held, &mut rows, &mut funcs);
            w.outputs.push(row);
        }
        w
    }

    /// The sources the dataframe nodes read, each once, in the order they first appear
    /// (a set of the ids seen: `readCsv` of 9,500 files is 9,500 sources).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::expr::{Expr, Wire};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// let [a, b, c] = ["a.csv", "b.csv", "c.csv"]
    ///     .map(|n| Arc::new(MemorySource::new(n, &b"x\n1\n"[..])) as Arc<_>);
    /// let o = ReadOptions::default();
    /// let ab = read_csv_sources(vec![a, b.clone()], &o).unwrap();
    /// let bc = read_csv_sources(vec![b, c], &o).unwrap();
    /// let wire = Wire::encode(&[Expr::Df(ab.0), Expr::Df(bc.0)]);
    /// let names: Vec<_> = wire.sources().into_iter().map(|s| s.name).collect();
    /// assert_eq!(names, ["a.csv", "b.csv", "c.csv"]);
    /// ```
    pub fn sources(&self) -> Vec<SourceRef> {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<SourceRef> = vec![];
        for n in &self.nodes {
            if let WireNode::Dataframe(op) = n {
                for s in op.sources() {
                    if seen.insert(s.id.as_str()) {
                        out.push(s.clone());
                    }
                }
            }
        }
        out
    }

    /// Adds `root` and its inputs in post-order, iteratively (expressions can be deep);
    /// returns its row.
    fn add(
        &mut self,
        root: &Expr,
        held: &dyn Fn(&str) -> bool,
        rows: &mut HashMap<String, usize>,
        funcs: &mut HashMap<Arc<JsFunction>, usize>,
    ) -> usize {
        let mut state = (&mut *self, &mut *rows, &mut *funcs);
        let done = |(_, rows, _): &(&mut Self, &mut HashMap<String, usize>, _), n: &Expr| {
            rows.contains_key(n.name())
        };
        let _ = post_order(&mut state, [root.clone()], Expr::inputs, done, |st, n| {
            let (wire, rows, funcs) = st;
            // Inputs are always rows by now; a node that is not is skipped (and
            // decoding then rejects the table).
            let read = matches!(&n, Expr::Df(d) if is_read(d));
            let node = if read && held(n.name()) {
                Some(WireNode::Held {
                    name: n.name().to_string(),
                })
            } else {
                if read {
                    wire.reads.push(n.name().to_string());
                }
                wire.encode_node(&n, rows, funcs)
            };
            if let Some(node) = node {
                rows.insert(n.name().to_string(), wire.nodes.len());
                wire.nodes.push(node);
            }
            Ok::<_, std::convert::Infallible>(())
        });
        rows.get(root.name()).copied().unwrap_or(usize::MAX)
    }

    /// One node's row, its inputs given as row numbers (`None` when one is missing).
    fn encode_node(
        &mut self,
        e: &Expr,
        rows: &HashMap<String, usize>,
        funcs: &mut HashMap<Arc<JsFunction>, usize>,
    ) -> Option<WireNode> {
        let row = |name: &str| rows.get(name).copied().ok_or(());
        match e {
            Expr::Array(a) => a.op().try_map(|i| row(i.name())).ok().map(WireNode::Array),
            Expr::Df(d) => d
                .op()
                .try_map(|i| row(i.name()))
                .ok()
                .map(WireNode::Dataframe),
            Expr::Call(c) => {
                let node = c.node();
                let deps = node
                    .deps
                    .iter()
                    .map(|d| row(d.name()))
                    .collect::<std::result::Result<Vec<_>, ()>>()
                    .ok()?;
                let func = *funcs.entry(node.func.clone()).or_insert_with(|| {
                    self.funcs.push((*node.func).clone());
                    self.funcs.len() - 1
                });
                let start = self.bytes.len();
                self.bytes.extend_from_slice(&node.args);
                Some(WireNode::Call {
                    name: node.name.clone(),
                    func,
                    args: [start, self.bytes.len()],
                    deps,
                })
            }
        }
    }

    /// Decodes into lazy values, checking every node and resolving what they name in
    /// `ctx` (see [`Context::decode`]); `bytes` are the calls' arguments.
    pub(crate) fn decode_with(&self, bytes: &[u8], ctx: &Context) -> Result<Vec<Expr>> {
        let runner = ctx.js_runner();
        let funcs: Vec<Arc<JsFunction>> = self.funcs.iter().cloned().map(Arc::new).collect();
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
                    let mut op = op;
                    ctx.resolve_array(&mut op)?;
                    Expr::Array(Array::build(op)?)
                }
                WireNode::Dataframe(op) => {
                    let op = op.try_map(|&i| match built.get(i) {
                        Some(Expr::Df(d)) if i < row => Ok(d.clone()),
                        _ => Err(Error::invalid(format!(
                            "expression row {row} refers to row {i}, which is not an earlier dataframe"
                        ))),
                    })?;
                    let mut op = op;
                    ctx.resolve_df(&mut op)?;
                    let d = Df::build(op)?;
                    if is_read(&d) {
                        ctx.hold_read(&d);
                    }
                    Expr::Df(d)
                }
                WireNode::Held { name } => Expr::Df(ctx.held_read(name)?),
                WireNode::Call {
                    name,
                    func,
                    args,
                    deps,
                } => {
                    let func = funcs.get(*func).cloned().ok_or_else(|| {
                        Error::invalid(format!(
                            "call row {row} names function {func}, which is not sent"
                        ))
                    })?;
                    let args = bytes.get(args[0]..args[1]).ok_or_else(|| {
                        Error::invalid(format!(
                            "call row {row}: its arguments are not in the bytes sent"
                        ))
                    })?;
                    let deps = deps
                        .iter()
                        .map(|&i| match built.get(i) {
                            Some(e) if i < row => Ok(e.clone()),
                            _ => Err(Error::invalid(format!(
                                "expression row {row} refers to row {i}, which is not an earlier value"
                            ))),
                        })
                        .collect::<Result<Vec<_>>>()?;
                    Expr::Call(Call::with_name(
                        name.clone(),
                        func,
                        args.into(),
                        deps,
                        runner.clone(),
                    )?)
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
        each_node(exprs, |e| match e {
            Expr::Array(a) => match a.op() {
                ArrayOp::FromData { data, .. } => Some(data.clone()),
                _ => None,
            },
            _ => None,
        })
    }

    /// Data of `fromColumns` nodes, which the JSON names by token only (each once).
    pub fn frames(&self, exprs: &[Expr]) -> Vec<super::dataframe::FrameData> {
        let mut out: Vec<super::dataframe::FrameData> = each_node(exprs, |e| match e {
            Expr::Df(d) => match d.op() {
                DfOp::FromFrame { data, .. } => Some(data.clone()),
                _ => None,
            },
            _ => None,
        });
        let mut seen = std::collections::HashSet::new();
        out.retain(|f| seen.insert(f.id().to_string()));
        out
    }
}

/// What `pick` gives for each distinct node of `exprs` and their inputs.
fn each_node<T>(exprs: &[Expr], mut pick: impl FnMut(&Expr) -> Option<T>) -> Vec<T> {
    let mut out = vec![];
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<Expr> = exprs.to_vec();
    while let Some(e) = stack.pop() {
        if !seen.insert(e.name().to_string()) {
            continue;
        }
        out.extend(pick(&e));
        stack.extend(e.inputs());
    }
    out
}
