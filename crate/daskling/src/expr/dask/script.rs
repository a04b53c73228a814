//! The script `toDask` writes, and the Python spellings every operation's export uses:
//! a leaf module, so that each operation family writes its own line (its `dask`
//! function, beside its metadata and lowering) without a module circle.

use std::collections::BTreeMap;
use std::fmt::Write;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::kernels::array::BinaryOp;

/// One node's line: the stem of its variable (`ones`, `sum`, a column's name) and the
/// Python expression it is assigned.
pub(crate) type Line = (String, String);

/// daskling's random blocks in Python (`random.py`): the same generator, seeding and
/// conversion as `kernels::array::random`, so the numbers are the same.
pub(crate) const RANDOM: &str = include_str!("random.py");

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
    pub(super) fn new(options: &'o DaskOptions) -> Self {
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
    pub(super) fn has(&self, name: &str) -> bool {
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

    /// The Python string literals of the paths of files named `names` (a read's files).
    pub(crate) fn source_literals<'n>(
        &self,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Result<Vec<String>> {
        names
            .into_iter()
            .map(|n| self.source_path(n).map(|p| string(&p)))
            .collect()
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

/// Python `dask.array` chunks: `((5, 5, 5), (5, 5, 5))`.
pub(crate) fn chunks(c: &[Vec<usize>]) -> String {
    let axes: Vec<String> = c.iter().map(|a| tuple(a)).collect();
    if axes.len() == 1 {
        format!("({},)", axes[0])
    } else {
        format!("({})", axes.join(", "))
    }
}

/// `l op r` (`f(l, r)` for a function row); comparisons are 1.0/0.0 in daskling, so
/// cast to float.
pub(crate) fn binary(op: BinaryOp, l: &str, r: &str, cast: &str) -> String {
    if op.is_function() {
        return format!("{}({l}, {r})", op.symbol());
    }
    let e = format!("{l} {} {r}", op.symbol());
    if op.is_comparison() && !cast.is_empty() {
        format!("({e}).astype({cast})")
    } else {
        e
    }
}

/// A pandas frequency string for `ms` milliseconds (`1D`, `6h`, `15min`, `30s`).
pub(crate) fn freq(ms: i64) -> String {
    for (unit, size) in [
        ("D", 86_400_000),
        ("h", 3_600_000),
        ("min", 60_000),
        ("s", 1000),
    ] {
        if ms % size == 0 {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

/// A Python list of the given items.
pub(crate) fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// The script's text: imports, helpers, `build()` with every line, `finish()` and
/// `main()` computing `outputs` on the cluster.
pub(super) fn render(s: &Script, outputs: &[String], finish: &[Option<&'static str>]) -> String {
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
