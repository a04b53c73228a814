//! Dataframe benchmark: the workshop's exercise (rows, max/min high, mean close, head,
//! daily high max, daily spread — computed together) on generated hp minute data in two
//! layouts: (a) one file per day, (b) the same rows in one file. MB/s on the native
//! thread pool. `cargo bench --bench dataframe [-- --json] [--days N]`; `npm run bench`
//! puts it beside wasm.

use std::path::{Path, PathBuf};
use std::time::Instant;

use daskling::expr::dataframe::{read_csv, DataFrame, ReadOptions};
use daskling::expr::{compute_values, Expr, Lazy};
use daskling::kernels::array::BinaryOp;
use daskling::kernels::dataframe::csv::CsvOptions;
use daskling::kernels::dataframe::dt::RoundMode;
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::ops::SeriesReduce;
use daskling::kernels::dataframe::sample::{minute_files, SampleSpec};
use daskling::Scheduler;

/// Writes both layouts under `dir` (once) and returns their total size.
fn data(dir: &Path, days: usize) -> u64 {
    let one = dir.join("one/hp.csv");
    if one.exists() {
        return std::fs::metadata(&one).map(|m| m.len()).unwrap_or(0);
    }
    std::fs::create_dir_all(dir.join("one")).expect("mkdir");
    let spec = SampleSpec {
        tickers: vec!["hp".into()],
        days,
        seed: 1,
        ..SampleSpec::default()
    };
    let mut all: Vec<u8> = Vec::new();
    for (i, f) in minute_files(&spec).enumerate() {
        let p = dir.join("daily").join(&f.name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, &f.data).expect("write");
        let body = if i == 0 {
            &f.data[..]
        } else {
            &f.data[f.data.iter().position(|&c| c == b'\n').map_or(0, |n| n + 1)..]
        };
        all.extend_from_slice(body);
    }
    std::fs::write(&one, &all).expect("write");
    all.len() as u64
}

/// The exercise's values, computed together.
pub fn exercise(df: &DataFrame) -> Vec<Expr> {
    let e = |r: daskling::Result<daskling::expr::dataframe::Df>| Expr::Df(r.expect("expression"));
    let high = df.col("high").expect("high");
    let day = df
        .col("timestamp")
        .and_then(|t| t.dt_round("1d", RoundMode::Round))
        .expect("day");
    let g = df.groupby(&day).expect("groupby");
    let hmax = g
        .col("high")
        .and_then(|c| c.agg(GroupAgg::Max))
        .expect("max");
    let lmin = g
        .col("low")
        .and_then(|c| c.agg(GroupAgg::Min))
        .expect("min");
    vec![
        e(df.len().map(|s| s.0)),
        e(high.reduce(SeriesReduce::Max, 1.0).map(|s| s.0)),
        e(high.reduce(SeriesReduce::Min, 1.0).map(|s| s.0)),
        e(df.col("close")
            .and_then(|c| c.reduce(SeriesReduce::Mean, 1.0))
            .map(|s| s.0)),
        Expr::Df(hmax.0.clone()),
        e(hmax.binary(BinaryOp::Sub, &lmin).map(|s| s.0)),
    ]
}

fn run(pattern: &str) -> f64 {
    let opts = ReadOptions {
        csv: CsvOptions {
            parse_dates: vec!["timestamp".into()],
            ..CsvOptions::default()
        },
        ..ReadOptions::default()
    };
    let t = Instant::now();
    let df = read_csv(&[pattern], &opts).expect("read_csv");
    let exprs = exercise(&df);
    let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
    compute_values(&lazies, Scheduler::Threads, &mut |_| {}).expect("compute");
    df.head(5, Scheduler::Threads).expect("head");
    t.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let json = args.iter().any(|a| a == "--json");
    let days = args
        .iter()
        .position(|a| a == "--days")
        .and_then(|i| args.get(i + 1))
        .and_then(|d| d.parse().ok())
        .unwrap_or(9500);
    let dir: PathBuf = std::env::var("DASKLING_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/bench-data")
                .join(days.to_string())
        });
    let bytes = data(&dir, days) as f64;
    let daily = format!("{}/daily/minute/hp/*.csv", dir.display());
    let one = format!("{}/one/hp.csv", dir.display());
    let best = |p: &str| (0..3).map(|_| run(p)).fold(f64::INFINITY, f64::min);
    let only = args
        .iter()
        .position(|a| a == "--layout")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let a = if only.as_deref() == Some("b") {
        f64::NAN
    } else {
        best(&daily)
    };
    let b = if only.as_deref() == Some("a") {
        f64::NAN
    } else {
        best(&one)
    };
    let threads = rayon::current_num_threads();
    if json {
        println!(
            "{{\"bytes\":{bytes},\"daily_seconds\":{a:.4},\"one_seconds\":{b:.4},\"threads\":{threads},\"dir\":{:?}}}",
            dir.display().to_string()
        );
    } else {
        println!("{:.0} MB, {threads} threads", bytes / 1e6);
        println!("(a) daily files: {a:.3} s, {:.1} MB/s", bytes / 1e6 / a);
        println!("(b) one file:    {b:.3} s, {:.1} MB/s", bytes / 1e6 / b);
    }
}
