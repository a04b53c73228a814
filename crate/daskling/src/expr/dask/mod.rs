//! `toDask`: the Python source of a script that builds the same computation with
//! `dask.array` and `dask.dataframe` and runs it on a `distributed` cluster.
//!
//! The expression DAG is walked once, inputs first (iteratively); every node becomes one
//! line assigning a Python variable, named after its operation (`ones_0`, `sum_3`), so
//! the script reads as a person would write it and shared parts are computed once. What
//! has no dask counterpart is an [`Error`] naming it.
//!
//! ```
//! use daskling::expr::dask::{to_dask, DaskOptions};
//! use daskling::expr::Expr;
//! use daskling::{Array, ChunkSpec};
//! let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
//! let py = to_dask(&[Expr::Array(x.sum(None).unwrap())], &DaskOptions::default()).unwrap();
//! assert!(py.contains("ones_0 = da.ones((15, 15), chunks=((5, 5, 5), (5, 5, 5)))"));
//! assert!(py.contains("sum_1 = ones_0.sum()"));            // split_every 4 is dask's default too
//! assert!(py.contains("result = values[0]"));
//! ```

mod array;
mod dataframe;
mod delayed;

use std::collections::BTreeMap;
use std::fmt::Write;

use rustc_hash::FxHashMap;

use super::walk::post_order;
use super::Expr;
use crate::error::{Error, Result};

/// Where the script connects, and where it finds the files the expressions read.
#[derive(Clone, Debug, Default)]
pub struct DaskOptions {
    /// `distributed.Client(address)`; `None`: `distributed.Client()` (which honours
    /// `DASK_SCHEDULER_ADDRESS`, else starts a local cluster).
    pub address: Option<String>,
    /// How source names become paths or URLs.
    pub sources: Sources,
    /// Decodes a delayed call's encoded arguments to JSON (dependency `i` as
    /// `{"$dep": i}`): the JavaScript decoder the calls run with (the wasm bindings give
    /// it); without it delayed calls cannot be exported.
    pub args_json: Option<ArgsJson>,
}

/// Decodes a call's encoded arguments (and names the function in errors) to JSON.
pub type ArgsJson = fn(&[u8], &str) -> std::result::Result<String, String>;

/// How a source's name (a browser `File`'s path, a Node path) becomes what dask reads.
#[derive(Clone, Debug, Default)]
pub enum Sources {
    /// Names are paths as they are (Node, native).
    #[default]
    AsNamed,
    /// A prefix joined to each name (`'s3://bucket/minute/hp/'`).
    Prefix(String),
    /// Each name's path or URL; a name missing is an error.
    Map(BTreeMap<String, String>),
}

impl Sources {
    fn path(&self, name: &str) -> Result<String> {
        match self {
            Sources::AsNamed => Ok(name.to_string()),
            Sources::Prefix(p) if p.is_empty() || p.ends_with('/') => Ok(format!("{p}{name}")),
            Sources::Prefix(p) => Ok(format!("{p}/{name}")),
            Sources::Map(m) => m.get(name).cloned().ok_or_else(|| {
                Error::invalid(format!(
                    "toDask: the source {name} has no mapping in options.sources (give its path or URL, \
                     or a prefix string)"
                ))
            }),
        }
    }
}

/// The most elements of `fromArray` data the script embeds.
pub const MAX_EMBEDDED: usize = 100_000;

/// The script being written: its lines, the variable of every node written so far,
/// and the helpers it needs.
pub(crate) struct Script<'o> {
    lines: Vec<String>,
    vars: FxHashMap<String, String>,
    count: usize,
    helpers: Vec<&'static str>,
    options: &'o DaskOptions,
}

impl<'o> Script<'o> {
    fn new(options: &'o DaskOptions) -> Self {
        Script {
            lines: Vec::new(),
            vars: FxHashMap::default(),
            count: 0,
            helpers: Vec::new(),
            options,
        }
    }

    /// The variable of the node called `name`, if written.
    pub(crate) fn var(&self, name: &str) -> Result<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| Error::invalid(format!("internal: {name} was not exported first")))
    }

    /// Whether the node `name` has a variable (it is exported).
    fn has(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    /// Writes `<stem>_<n> = <code>` for the node `name`; returns the variable.
    pub(crate) fn assign(&mut self, name: &str, stem: &str, code: String) -> String {
        let var = format!("{}_{}", stem.replace(['-', ' '], "_"), self.count);
        self.count += 1;
        self.lines.push(format!("    {var} = {code}"));
        self.vars.insert(name.to_string(), var.clone());
        var
    }

    /// Makes `helper` (Python source) part of the script, once.
    pub(crate) fn helper(&mut self, helper: &'static str) {
        if !self.helpers.contains(&helper) {
            self.helpers.push(helper);
        }
    }

    pub(crate) fn options(&self) -> &DaskOptions {
        self.options
    }

    pub(crate) fn source_path(&self, name: &str) -> Result<String> {
        self.options.sources.path(name)
    }
}

/// A Python literal of a float (`1.0`, `float('nan')`, `float('inf')`).
pub(crate) fn float(x: f64) -> String {
    if x.is_nan() {
        "float('nan')".into()
    } else if x.is_infinite() {
        if x > 0.0 {
            "float('inf')"
        } else {
            "-float('inf')"
        }
        .into()
    } else if x == x.trunc() && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        format!("{x:?}")
    }
}

/// A Python string literal.
pub(crate) fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A Python tuple of integers: `(5, 5, 5)`, `(3,)`, `()`.
pub(crate) fn tuple(xs: &[usize]) -> String {
    match xs {
        [x] => format!("({x},)"),
        _ => format!(
            "({})",
            xs.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The Python source of a script computing `exprs` on a dask cluster (see the module
/// docs): `result` holds the values, a tuple in order (the value itself for one).
pub fn to_dask(exprs: &[Expr], options: &DaskOptions) -> Result<String> {
    if exprs.is_empty() {
        return Err(Error::invalid("toDask: give at least one lazy value"));
    }
    let mut s = Script::new(options);
    // Every node once, inputs first (a node is done once it has a variable).
    let done = |s: &Script, e: &Expr| s.has(e.name());
    post_order(
        &mut s,
        exprs.iter().cloned(),
        Expr::inputs,
        done,
        |s, e| match &e {
            Expr::Array(a) => array::export(a, s),
            Expr::Df(d) => dataframe::export(d, s),
            Expr::Call(c) => delayed::export(c, s),
        },
    )?;
    let mut outputs = Vec::new();
    let mut finish = Vec::new();
    for e in exprs {
        outputs.push(s.var(e.name())?.to_string());
        finish.push(match e {
            Expr::Df(d) => dataframe::finish(d),
            _ => None,
        });
    }
    Ok(render(&s, &outputs, &finish))
}

fn render(s: &Script, outputs: &[String], finish: &[Option<&'static str>]) -> String {
    let mut py = String::new();
    let _ = writeln!(
        py,
        "\"\"\"A daskling computation for dask, exported by daskling's toDask.\n\n\
         Run it next to a cluster: `dask scheduler` on one machine, `dask worker <address>` on\n\
         others, then `python this_file.py` (or set DASK_SCHEDULER_ADDRESS). The computed\n\
         values are left in `result`.\n\"\"\"\n"
    );
    py.push_str("import dask\nimport dask.array as da\nimport dask.dataframe as dd\nimport numpy as np\nimport pandas as pd\nfrom distributed import Client\n\n\n");
    for h in &s.helpers {
        py.push_str(h.trim());
        py.push_str("\n\n\n");
    }
    py.push_str("def build():\n    \"\"\"The lazy values, as daskling built them.\"\"\"\n");
    for l in &s.lines {
        py.push_str(l);
        py.push('\n');
    }
    let _ = writeln!(py, "    return ({},)\n\n", outputs.join(", "));
    py.push_str("def finish(values):\n    \"\"\"Each computed value as daskling gives it (groups sorted by key).\"\"\"\n");
    let steps: Vec<String> = finish
        .iter()
        .enumerate()
        .map(|(i, f)| match f {
            Some(method) => format!("values[{i}].{method}()"),
            None => format!("values[{i}]"),
        })
        .collect();
    let _ = writeln!(py, "    return ({},)\n\n", steps.join(", "));
    let client = match &s.options.address {
        Some(a) => format!("Client({})", string(a)),
        None => "Client()".to_string(),
    };
    py.push_str("result = None\n\n\ndef main():\n    global result\n");
    let _ = writeln!(py, "    with {client}:");
    py.push_str("        values = finish(dask.compute(*build()))\n");
    if outputs.len() == 1 {
        py.push_str("    result = values[0]\n");
    } else {
        py.push_str("    result = values\n");
    }
    py.push_str("    print(result)\n\n\nif __name__ == \"__main__\":\n    main()\n");
    py
}
