//! Delayed JavaScript calls as `dask.delayed` calls of `js_call`, which runs the
//! function's source in an embedded JavaScript engine (`mini-racer`, V8) on the dask
//! worker. Arguments travel as JSON; lazy ones are converted as the browser converts
//! them for a function: arrays `{shape, data}` (a number when 0-d), series Columns
//! `{name, values, index}`, frames Tables `{columns, data, index, length}`, scalars numbers.

use super::script::{string, Script};
use crate::error::{Error, Result};
use crate::expr::dataframe::Kind;
use crate::expr::js::{Call, PartitionFn};
use crate::expr::Expr;

/// Runs daskling's delayed JavaScript functions on a dask worker.
pub(crate) const JS_CALL: &str = r#"
_JS = {}


def _js_values(s):
    """A column's values as the browser hands them out: numbers (NaN missing; bools 1/0;
    datetimes milliseconds since the epoch), text (None missing)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return [float("nan") if pd.isna(x) else x.value // 1_000_000 for x in s]
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s.astype("float64").tolist()
    return [None if pd.isna(x) else x for x in s]


def _to_js(v, kind):
    """A lazy argument's value as the browser hands it to a function."""
    if kind == "array":
        a = np.asarray(v, dtype=float)
        return float(a) if a.ndim == 0 else {"shape": list(a.shape), "data": a.ravel().tolist()}
    if kind == "scalar":
        return float(v)
    if kind == "series":
        return {"name": v.name, "values": _js_values(v), "index": [x.value // 1_000_000 if isinstance(x, pd.Timestamp) else x for x in v.index]}
    if kind == "frame":
        return {"columns": list(v.columns), "data": {c: _js_values(v[c]) for c in v.columns}, "index": list(range(len(v))), "length": len(v)}
    return v


def _js_fn(source, name):
    """This worker's V8 (mini-racer) and the variable holding the function `source`
    (named `name`), compiled once."""
    import json

    import threading

    from py_mini_racer import MiniRacer

    # A worker's threads share one V8: it and each function are made once, under a lock
    # made in the worker (dict.setdefault is atomic; a lock cannot travel in the pickle).
    with _JS.setdefault("lock", threading.Lock()):
        ctx = _JS.get("ctx")
        if ctx is None:
            ctx = MiniRacer()
            # Calls on a partition or block answer JSON, typed arrays as plain arrays.
            ctx.eval(
                "var __daskling_wrap = function (f, args) { var r = f.apply(null, args); "
                "return JSON.stringify(r, function (k, v) { return ArrayBuffer.isView(v) ? Array.from(v) : v; }); };"
            )
            _JS["ctx"] = ctx
        fn = _JS.get(source)
        if fn is None:
            fn = "__daskling_fn_%d" % len(_JS)
            try:
                ctx.eval("var %s = (%s);" % (fn, source))
            except Exception:
                # A method's shorthand source (`f(x) { ... }`) is not an expression by itself.
                ctx.eval("var %s = ({ %s })[%s];" % (fn, source, json.dumps(name)))
            _JS[source] = fn
    return ctx, fn


def js_call(source, name, args_json, kinds, *deps):
    """Calls the JavaScript function `source` (named `name`) on the arguments, in this
    worker's V8, as daskling's workers do; its error is this task's error."""
    import json

    ctx, fn = _js_fn(source, name)

    def dep(o):
        if set(o) == {"$dep"}:
            return _to_js(deps[o["$dep"]], kinds[o["$dep"]])
        return o

    return ctx.call(fn, *json.loads(args_json, object_hook=dep))


def js_on(value, kind, source, name, args_json):
    """Calls the JavaScript function on one partition or block (`value`, passed as the
    browser passes a `kind`), its typed arrays answered as plain arrays; the JSON of
    the answer, parsed."""
    import json

    ctx, fn = _js_fn(source, name)
    args = json.loads(args_json, object_hook=lambda o: _to_js(value, kind) if set(o) == {"$dep"} else o)
    return json.loads(ctx.eval("__daskling_wrap(%s, %s)" % (fn, json.dumps(args))))
"#;

/// The JSON of a partition or block function's arguments (the partition or block as
/// `{"$dep": 0}`) for `what` (`"mapBlocks"`), with the helpers that call it added; an
/// error where the arguments cannot be read (outside the JavaScript package).
pub(crate) fn js_args(s: &mut Script, what: &str, func: &PartitionFn) -> Result<String> {
    let fname = &func.func.name;
    let Some(decode_args) = s.options().args_json else {
        return Err(Error::invalid(format!(
            "toDask: {what}({fname}) holds a JavaScript function, whose arguments only the JavaScript package can read; export it from the browser or Node package"
        )));
    };
    let args = decode_args(&func.args, fname).map_err(Error::Invalid)?;
    s.helper(JS_CALL);
    Ok(args)
}

fn kind(e: &Expr) -> &'static str {
    match e {
        Expr::Call(_) => "call",
        Expr::Array(_) => "array",
        Expr::Df(d) => match d.kind() {
            Kind::Frame => "frame",
            Kind::Series => "series",
            Kind::Scalar => "scalar",
        },
    }
}

/// Writes the line of call `c` (its lazy arguments are written).
pub(super) fn export(c: &Call, s: &mut Script) -> Result<()> {
    let node = c.node();
    let Some(decode) = s.options().args_json else {
        return Err(Error::invalid(format!(
            "toDask: {} is a JavaScript call, whose arguments only the JavaScript package can read; \
             export it from the browser or Node package",
            c.name()
        )));
    };
    let fname = node.func.name.to_string();
    let args = decode(&node.args, &fname).map_err(Error::Invalid)?;
    let deps = node
        .deps
        .iter()
        .map(|d| s.var(d.name()).map(str::to_string))
        .collect::<Result<Vec<_>>>()?;
    let kinds: Vec<String> = node.deps.iter().map(|d| string(kind(d))).collect();
    s.helper(JS_CALL);
    let mut call = vec![
        string(&node.func.source),
        string(&fname),
        string(&args),
        format!("[{}]", kinds.join(", ")),
    ];
    call.extend(deps);
    let code = format!(
        "dask.delayed(js_call, pure=True)({}, dask_key_name={})",
        call.join(", "),
        string(c.name())
    );
    s.assign(c.name(), &fname, code);
    Ok(())
}
