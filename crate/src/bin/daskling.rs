//! The native command.
//!
//! - `daskling eval < expr.json` computes expressions serialized by the JS client (the
//!   `json` of `ExprBuilder.finish()`) on the native thread pool and prints the results
//!   as JSON — the reference the browser tests compare against.
//! - `daskling generate [--out DIR] [--tickers hp,ibm] [--days N] [--seed S]` writes the
//!   workshop's sample data: `DIR/minute/<ticker>/<YYYY-MM-DD>.csv`.

use std::io::Read;
use std::process::ExitCode;

use daskling::expr::{compute_values, Lazy, Wire};
use daskling::kernels::Value;
use daskling::Scheduler;
use serde_json::{json, Value as Json};

const USAGE: &str = "usage: daskling eval < expression.json\n       \
                     daskling generate [--out DIR] [--tickers hp,ibm] [--days N] [--seed S]";

fn generate(args: &[String]) -> Result<String, String> {
    use daskling::kernels::dataframe::sample::{minute_files, SampleSpec};
    let mut spec = SampleSpec::default();
    let mut out = std::path::PathBuf::from("data");
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--out" => out = value.into(),
            "--tickers" => spec.tickers = value.split(',').map(str::to_string).collect(),
            "--days" => spec.days = value.parse().map_err(|e| format!("--days {value}: {e}"))?,
            "--seed" => spec.seed = value.parse().map_err(|e| format!("--seed {value}: {e}"))?,
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let (mut files, mut bytes) = (0usize, 0usize);
    for f in minute_files(&spec) {
        let path = out.join(&f.name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, &f.data).map_err(|e| format!("{}: {e}", path.display()))?;
        files += 1;
        bytes += f.data.len();
    }
    Ok(format!(
        "wrote {files} files, {:.1} MB, under {}",
        bytes as f64 / 1e6,
        out.display()
    ))
}

fn result_json(v: &Value) -> Json {
    match v {
        Value::F64(x) => json!(x),
        Value::Block(b) if b.ndim() == 0 => json!(b.iter().next()),
        Value::Block(b) => json!({
            "shape": b.shape(),
            "data": b.as_standard_layout().iter().copied().collect::<Vec<f64>>(),
        }),
        Value::Tuple(_) | Value::Any(_) | Value::Bytes(_) | Value::Frame(_) => Json::Null,
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
        Some("generate") => generate(&args[1..]),
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
