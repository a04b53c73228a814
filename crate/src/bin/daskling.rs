//! The native command: `daskling eval` computes expressions serialized by the JS client
//! (the `json` of `ExprBuilder.finish()`, read from stdin) on the native thread pool and
//! prints the results as JSON — the reference the browser tests compare against.

use std::io::Read;
use std::process::ExitCode;

use daskling::expr::{compute_values, Lazy, Wire};
use daskling::kernels::Value;
use daskling::Scheduler;
use serde_json::{json, Value as Json};

const USAGE: &str = "usage: daskling eval < expression.json";

fn result_json(v: &Value) -> Json {
    match v {
        Value::F64(x) => json!(x),
        Value::Block(b) if b.ndim() == 0 => json!(b.iter().next()),
        Value::Block(b) => json!({
            "shape": b.shape(),
            "data": b.as_standard_layout().iter().copied().collect::<Vec<f64>>(),
        }),
        Value::Tuple(_) | Value::Any(_) => Json::Null,
    }
}

fn eval() -> Result<String, String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("reading stdin: {e}"))?;
    let wire: Wire =
        serde_json::from_str(&input).map_err(|e| format!("invalid expression: {e}"))?;
    let exprs = wire.decode().map_err(|e| e.to_string())?;
    let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
    let (values, _) =
        compute_values(&lazies, Scheduler::Threads, &mut |_| {}).map_err(|e| e.to_string())?;
    let out: Vec<Json> = values.iter().map(result_json).collect();
    serde_json::to_string(&out).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("eval") => eval(),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("daskling: {e}");
            ExitCode::FAILURE
        }
    }
}
