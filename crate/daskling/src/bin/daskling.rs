//! The native command.
//!
//! - `daskling eval [--root DIR] < expr.json` computes expressions serialized by the JS
//!   client (the `json` of `ExprBuilder.finish()`) on the native thread pool and prints
//!   the results as JSON — the reference the browser tests compare against. CSV sources
//!   are read from `DIR/<source name>`.
//! - `daskling generate [--out DIR] [--tickers hp,ibm] [--days N] [--seed S]` writes the
//!   workshop's sample data: `DIR/minute/<ticker>/<YYYY-MM-DD>.csv`.
//! - `daskling operations` prints the operation tables (`daskling::operations::table`)
//!   as JSON, which `crate/wasm/js/gen.mjs` turns into JS methods, types and docs.

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

    use daskling::expr::{compute_values, Expr, Lazy, Wire};

    use daskling::kernels::dataframe::source::FileSource;

    use daskling::kernels::Value;
    use daskling::Scheduler;
    use daskling::{Context, Output};
    use serde_json::Value as Json;

    const USAGE: &str = "usage: daskling eval [--root DIR] < expression.json\n       \
                         daskling generate [--out DIR] [--tickers hp,ibm] [--days N] [--seed S]\n       \
                         daskling operations";

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

    fn result_json(v: &Value, e: &Expr) -> Json {
        serde_json::to_value(Output::of(v, e.kind())).unwrap_or(Json::Null)
    }

    /// Registers, for every source the expression names, the file `root/<its name>` under
    /// its id (the browser's `File` names are paths like `minute/hp/2012-05-01.csv`).
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
            Some("operations") => serde_json::to_string_pretty(&daskling::operations::table())
                .map_err(|e| e.to_string()),
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
