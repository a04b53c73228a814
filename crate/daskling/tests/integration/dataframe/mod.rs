//! Dataframes over CSV files, against straightforward computations written here (plain
//! loops over rows split by hand), and hand-written CSVs with known answers: the
//! workshop's exercises on generated minute files (`workshop`), small hand-checked files
//! (`small`), and bad input and splits of quoted files (`errors`).

mod csv_options;
mod errors;
mod merge;
mod parquet;
mod small;
mod workshop;
mod write;

use std::path::PathBuf;
use std::sync::Arc;

use daskling::expr::dataframe::{read_csv, read_csv_sources, DataFrame, ReadOptions};
use daskling::kernels::array::BinaryOp;
use daskling::kernels::dataframe::csv::CsvOptions;
use daskling::kernels::dataframe::datetime::{days_from_civil, DAY_MS};
use daskling::kernels::dataframe::dt::{DtField, RoundMode};
use daskling::kernels::dataframe::ops::SeriesReduce;
use daskling::kernels::dataframe::sample::{minute_files, SampleSpec};
use daskling::kernels::dataframe::source::{ByteSource, MemorySource};
use daskling::kernels::dataframe::Column;
use daskling::Scheduler;
use proptest::prelude::*;

/// The workshop's files for `days` weekdays of hp, written to a fresh directory.
fn sample_dir(days: usize, tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("daskling-df-{tag}-{}", std::process::id()));
    let spec = SampleSpec {
        tickers: vec!["hp".into()],
        days,
        seed: 11,
        ..SampleSpec::default()
    };
    for f in minute_files(&spec) {
        let p = dir.join(&f.name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, f.data).unwrap();
    }
    dir
}

/// One parsed row of a minute file, by hand.
struct Row {
    ts: i64,
    high: f64,
    low: f64,
    close: f64,
}

fn rows_by_hand(dir: &std::path::Path) -> Vec<Row> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("minute/hp"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = vec![];
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        for line in text.lines().skip(1) {
            let v: Vec<&str> = line.split(',').collect();
            // "YYYY-MM-DD HH:MM:SS" by slicing.
            let (y, mo, d) = (
                v[0][0..4].parse().unwrap(),
                v[0][5..7].parse().unwrap(),
                v[0][8..10].parse().unwrap(),
            );
            let (h, mi, s): (i64, i64, i64) = (
                v[0][11..13].parse().unwrap(),
                v[0][14..16].parse().unwrap(),
                v[0][17..19].parse().unwrap(),
            );
            out.push(Row {
                ts: days_from_civil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000,
                high: v[2].parse().unwrap(),
                low: v[3].parse().unwrap(),
                close: v[4].parse().unwrap(),
            });
        }
    }
    out
}

fn opts() -> ReadOptions {
    ReadOptions {
        csv: CsvOptions {
            parse_dates: vec!["timestamp".into()],
            ..CsvOptions::default()
        },
        ..ReadOptions::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

fn mem(name: &str, text: &str) -> Arc<dyn ByteSource> {
    Arc::new(MemorySource::new(name, text.as_bytes().to_vec()))
}

fn read(files: &[(&str, &str)], o: &ReadOptions) -> daskling::Result<DataFrame> {
    read_csv_sources(files.iter().map(|(n, t)| mem(n, t)).collect(), o)
}
