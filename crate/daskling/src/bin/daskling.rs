//! The native command.
//!
//! - `daskling eval [--root DIR] < expr.json` computes expressions serialized by the JS
//!   client (the `json` of `ExprBuilder.finish()`) on the native thread pool and prints
//!   the results as JSON — the reference the browser tests compare against. CSV sources
//!   are read from `DIR/<source name>`.
//! - `daskling generate [--out DIR] [--tickers hp,ibm] [--days N] [--seed S]` writes the
//!   workshop's sample data: `DIR/minute/<ticker>/<YYYY-MM-DD>.csv`.

// The command reads and writes files: it exists natively only (wasm builds of the crate's
// targets, as `wasm-bindgen-test` makes them, get an empty program).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::Read;
    use std::process::ExitCode;

    use std::sync::Arc;

    use daskling::expr::dataframe::Kind;
    use daskling::expr::{compute_values, Expr, Lazy, Wire};
    use daskling::kernels::dataframe::column::NAT;
    use daskling::kernels::dataframe::source::FileSource;
    use daskling::kernels::dataframe::{Column, Frame};
    use daskling::kernels::Value;
    use daskling::Context;
    use daskling::Scheduler;
    use serde_json::{json, Value as Json};

    const USAGE: &str = "usage: daskling eval [--root DIR] < expression.json\n       \
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
                "--days" => {
                    spec.days = value.parse().map_err(|e| format!("--days {value}: {e}"))?
                }
                "--seed" => {
                    spec.seed = value.parse().map_err(|e| format!("--seed {value}: {e}"))?
                }
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

    fn values_json(c: &Column) -> Json {
        match c {
            Column::Int64(v) => json!(v),
            Column::Float64(v) => json!(v),
            Column::Datetime(v) => json!(v
                .iter()
                .map(|&x| if x == NAT { None } else { Some(x) })
                .collect::<Vec<_>>()),
            Column::Bool(v) => json!(v
                .iter()
                .map(|x| x.unwrap_or(false) as u8)
                .collect::<Vec<_>>()),
            Column::String(v) => json!(v.iter().map(|x| x.as_deref()).collect::<Vec<_>>()),
        }
    }

    /// A frame as the API's Table (or Column for a series).
    fn frame_json(f: &Frame, series: bool) -> Json {
        let index = f.index.as_ref().map(|i| values_json(&i.1));
        if series {
            return json!({
                "name": f.names.first(),
                "dtype": f.columns.first().map(|c| c.dtype().name()),
                "index": index,
                "values": f.columns.first().map(values_json),
            });
        }
        let data: serde_json::Map<String, Json> = f
            .names
            .iter()
            .zip(&f.columns)
            .map(|(n, c)| (n.clone(), values_json(c)))
            .collect();
        let dtypes: serde_json::Map<String, Json> = f
            .names
            .iter()
            .zip(&f.columns)
            .map(|(n, c)| (n.clone(), json!(c.dtype().name())))
            .collect();
        json!({"columns": f.names.to_vec(), "dtypes": dtypes, "index": index, "data": data, "length": f.len()})
    }

    fn result_json(v: &Value, e: &Expr) -> Json {
        match v {
            Value::Frame(f) => {
                let series = matches!(e, Expr::Df(d) if d.kind() == Kind::Series);
                frame_json(f, series)
            }
            Value::F64(x) => json!(x),
            Value::Block(b) if b.ndim() == 0 => json!(b.iter().next()),
            Value::Block(b) => json!({
                "shape": b.shape(),
                "data": b.as_standard_layout().iter().copied().collect::<Vec<f64>>(),
            }),
            Value::Tuple(_) | Value::Any(_) | Value::Bytes(_) => Json::Null,
        }
    }

    /// Registers, for every source the expression names, the file `root/<its name>` under
    /// its id (the browser's `File` names are paths like `minute/hp/2000-01-03.csv`).
    fn register_files(input: &str, root: &std::path::Path, ctx: &Context) -> Result<(), String> {
        let probe: serde_json::Value =
            serde_json::from_str(input).map_err(|e| format!("invalid expression: {e}"))?;
        for node in probe["nodes"].as_array().into_iter().flatten() {
            for s in node["sources"].as_array().into_iter().flatten() {
                let (Some(id), Some(name)) = (s["id"].as_str(), s["name"].as_str()) else {
                    continue;
                };
                let src = FileSource::open(&root.join(name))?;
                ctx.add_source(id, Arc::new(src));
            }
        }
        Ok(())
    }

    fn eval(args: &[String]) -> Result<String, String> {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|e| format!("reading stdin: {e}"))?;
        let ctx = Context::new();
        match args {
            [flag, root] if flag == "--root" => {
                register_files(&input, std::path::Path::new(root), &ctx)?
            }
            [] => {}
            _ => return Err(USAGE.to_string()),
        }
        let wire: Wire =
            serde_json::from_str(&input).map_err(|e| format!("invalid expression: {e}"))?;
        let exprs = ctx.decode(&wire, &[]).map_err(|e| e.to_string())?;
        let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
        let (values, _) =
            compute_values(&lazies, Scheduler::Threads, &mut |_| {}).map_err(|e| e.to_string())?;
        let out: Vec<Json> = values
            .iter()
            .zip(&exprs)
            .map(|(v, e)| result_json(v, e))
            .collect();
        serde_json::to_string(&out).map_err(|e| e.to_string())
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let result = match args.first().map(String::as_str) {
            Some("eval") => eval(&args[1..]),
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
}
