//! `mapPartitions`: a JavaScript function run on every partition, as dask's
//! `map_partitions` — each partition handed to the function as a Table (a series' as a
//! Column) in a function worker (`expr::js`: one call task per partition, stoppable
//! alone), and what it returns made a partition of the declared columns and dtypes
//! (`meta`, as dask's) by a second task (`from_js`). The function travels as its source
//! text; extra arguments as encoded values, the partition standing for dependency 0.

use std::sync::Arc;

use super::from_js::to_frame;
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta, Series};
use crate::error::{Error, Result};
use crate::expr::dask::script::{string, Line, Script};
pub use crate::expr::js::PartitionFn;
use crate::expr::js::{answer, call_kernel, DepKind, JsCall, JsFunction};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::dataframe::Dtype;
use crate::kernels::{Func, Kernel, Value};

/// A `mapPartitions` node's input, function, kind, names and dtypes.
#[allow(clippy::type_complexity)]
fn fields(op: &DfOp) -> Result<(&Df, &PartitionFn, &Kind, &Vec<String>, &Vec<Dtype>)> {
    match op {
        DfOp::MapPartitions {
            input,
            func,
            out,
            names,
            dtypes,
        } => Ok((input, func, out, names, dtypes)),
        _ => Err(not_mine("partitions")),
    }
}

/// The declared result: a frame or a series of these columns.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let (input, func, kind, names, dtypes) = fields(op)?;
    let what = format!("mapPartitions({})", func.func.name);
    if input.0.kind == Kind::Scalar {
        return Err(Error::invalid(format!(
            "{what} runs on a DataFrame or a Series, not a scalar"
        )));
    }
    if names.len() != dtypes.len() {
        return Err(Error::invalid(format!(
            "{what}: meta has {} names and {} dtypes",
            names.len(),
            dtypes.len()
        )));
    }
    match kind {
        Kind::Scalar => {
            return Err(Error::invalid(format!(
                "{what}: meta must describe a DataFrame or a Series"
            )))
        }
        Kind::Series if names.len() != 1 => {
            return Err(Error::invalid(format!(
                "{what}: a Series' meta is one name and dtype"
            )))
        }
        _ => {}
    }
    for (k, n) in names.iter().enumerate() {
        if names[..k].contains(n) {
            return Err(Error::invalid(format!(
                "{what}: meta names the column {n} twice"
            )));
        }
    }
    Ok(Meta {
        prefix: "map_partitions",
        kind: *kind,
        names: names.clone(),
        dtypes: dtypes.clone(),
        npartitions: input.npartitions(),
        rows: None,
    })
}

/// Per partition, the function's call (in a function worker) and its answer made a
/// partition of the declared columns.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let (input, func, kind, names, dtypes) = fields(d.op())?;
    let call = JsCall {
        func: func.func.clone(),
        args: func.args.clone(),
        deps: vec![match input.kind() {
            Kind::Series => DepKind::Series,
            _ => DepKind::Frame,
        }]
        .into(),
    };
    let kernel = call_kernel(call, func.runner.clone());
    let layer = format!("{}-{}", func.func.name, tokenize(d.name()));
    let spec: Arc<(Kind, Vec<String>, Vec<Dtype>)> =
        Arc::new((*kind, names.clone(), dtypes.clone()));
    for p in 0..d.npartitions() {
        let ck = Key::new(layer.as_str(), &[p as u32]);
        g.insert(
            ck.clone(),
            Task::new(kernel.clone(), vec![input.part_key(p)]),
        );
        let (spec, name) = (spec.clone(), func.func.name.clone());
        let body = move |inputs: &[Value]| -> std::result::Result<Value, String> {
            let fail = |e: String| format!("mapPartitions: {name} on partition {p}: {e}");
            let v = answer(inputs).map_err(fail)?;
            let (kind, names, dtypes) = &*spec;
            let f = to_frame(&v, *kind, names, dtypes).map_err(fail)?;
            Ok(Value::Frame(Arc::new(f)))
        };
        let k = Kernel::Func(Func {
            name: "from-js".into(),
            body: Arc::new(body),
        });
        g.insert(d.part_key(p), Task::new(k, vec![ck]));
    }
    Ok(())
}

/// Runs daskling's partition functions on a dask worker: the partition converted as
/// the browser converts it (`js_call`'s `_to_js`), the answer made a pandas partition of
/// the declared columns.
const JS_PARTITION: &str = r#"
def _from_js(v, series, names, dtypes):
    """A function's answer as a pandas partition of the declared columns and dtypes."""
    def column(values, dtype):
        if not isinstance(values, list):
            values = [values]
        if dtype == "datetime":
            return pd.to_datetime(pd.Series(values, dtype=object), unit="ms")
        s = pd.Series(values, dtype=object)
        if dtype == "string":
            return s
        if dtype == "bool":
            return s.map(lambda x: None if x is None else bool(x))
        return s.astype("float64").astype(dtype)

    if series:
        values = v.get("values") if isinstance(v, dict) else v
        return column(values, dtypes[0]).rename(names[0])
    data = v["data"] if isinstance(v, dict) and isinstance(v.get("data"), dict) else v
    return pd.DataFrame({n: column(data[n], t).reset_index(drop=True) for n, t in zip(names, dtypes)})


def js_partition(part, source, name, args_json, kind, series, names, dtypes):
    """Calls the JavaScript function on one partition (as js_call does) and makes its
    answer a partition."""
    return _from_js(js_on(part, kind, source, name, args_json), series, names, dtypes)
"#;

/// dask's `map_partitions` of `js_partition`, with the declared `meta`.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let (input, func, kind, names, dtypes) = fields(d.op())?;
    let fname = func.func.name.to_string();
    let args = crate::expr::dask::delayed::js_args(s, "mapPartitions", func)?;
    let x = s.var(input.name())?.to_string();
    s.helper(JS_PARTITION);
    let pandas = |t: &Dtype| match t {
        Dtype::String => "object",
        Dtype::Datetime => "datetime64[ns]",
        other => other.name(),
    };
    let quoted = |v: Vec<&str>| v.into_iter().map(string).collect::<Vec<_>>().join(", ");
    let meta = if *kind == Kind::Series {
        format!("({}, {})", string(&names[0]), string(pandas(&dtypes[0])))
    } else {
        let cols: Vec<String> = names
            .iter()
            .zip(dtypes)
            .map(|(n, t)| format!("{}: pd.Series(dtype={})", string(n), string(pandas(t))))
            .collect();
        format!("pd.DataFrame({{{}}})", cols.join(", "))
    };
    let in_kind = if input.kind() == Kind::Series {
        "series"
    } else {
        "frame"
    };
    let code = format!(
        "{x}.map_partitions(js_partition, {}, {}, {}, {}, {}, [{}], [{}], meta={meta}, enforce_metadata=False)",
        string(&func.func.source),
        string(&fname),
        string(&args),
        string(in_kind),
        if *kind == Kind::Series { "True" } else { "False" },
        quoted(names.iter().map(String::as_str).collect()),
        quoted(dtypes.iter().map(|t| t.name()).collect()),
    );
    Ok(("mapped".into(), code))
}

/// What `mapPartitions` gives: a frame or a series of these columns and dtypes.
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionMeta {
    /// [`Kind::Frame`] or [`Kind::Series`].
    pub kind: Kind,
    /// The columns (one for a series).
    pub names: Vec<String>,
    /// Their dtypes.
    pub dtypes: Vec<Dtype>,
}

fn map_partitions(input: &Df, f: JsFunction, args: Vec<u8>, meta: PartitionMeta) -> Result<Df> {
    Df::build(DfOp::MapPartitions {
        input: input.clone(),
        func: PartitionFn {
            func: Arc::new(f),
            args: args.into(),
            runner: None,
        },
        out: meta.kind,
        names: meta.names,
        dtypes: meta.dtypes,
    })
}

impl DataFrame {
    /// JavaScript function `f` on every partition (as a Table), as dask's
    /// `map_partitions`: its answers become partitions of `meta`'s columns. `args` are its
    /// encoded arguments (the package's `clone.js`), the partition as dependency 0. It
    /// runs only in the wasm build (natively a task error says so).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, DataFrame, Kind, PartitionMeta, ReadOptions};
    /// use daskling::expr::js::JsFunction;
    /// use daskling::expr::{Expr, Wire};
    /// use daskling::kernels::dataframe::{source::MemorySource, Dtype};
    /// use daskling::Scheduler;
    /// let df = read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", &b"x\n1\n"[..]))], &ReadOptions::default()).unwrap();
    /// let f = JsFunction { source: "(t) => t".into(), name: "same".into() };
    /// let meta = PartitionMeta { kind: Kind::Frame, names: vec!["x".into()], dtypes: vec![Dtype::Int64] };
    /// // The partition as dependency 0: clone.js's array of one dependency tag.
    /// let args = vec![6, 1, 0, 0, 0, 14, 0, 0, 0, 0];
    /// let mapped = DataFrame(df.map_partitions(f, args, meta).unwrap());
    /// assert_eq!(mapped.columns(), ["x"]);
    /// // It travels to a kernel as JSON, as other expressions do ...
    /// let json = serde_json::to_string(&Wire::encode(&[Expr::Df(mapped.0.clone())])).unwrap();
    /// let wire: Wire = serde_json::from_str(&json).unwrap();
    /// assert_eq!(wire.nodes.len(), 2);
    /// // ... and natively, where no JavaScript runs, computing it says so.
    /// let e = mapped.compute(Scheduler::Sync).unwrap_err().to_string();
    /// assert!(e.contains("same is a JavaScript function: it runs only in the wasm build"), "{e}");
    /// ```
    pub fn map_partitions(&self, f: JsFunction, args: Vec<u8>, meta: PartitionMeta) -> Result<Df> {
        map_partitions(&self.0, f, args, meta)
    }
}

impl Series {
    /// JavaScript function `f` on every partition (as a Column); see
    /// [`DataFrame::map_partitions`].
    pub fn map_partitions(&self, f: JsFunction, args: Vec<u8>, meta: PartitionMeta) -> Result<Df> {
        map_partitions(&self.0, f, args, meta)
    }
}
