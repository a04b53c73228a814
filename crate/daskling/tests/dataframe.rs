//! Dataframes over CSV files, against straightforward computations written here (plain
//! loops over rows split by hand), and hand-written CSVs with known answers.
// Native only: these tests use threads, files, processes or proptest, which wasm32 lacks;
// the browser tests are crate/wasm/tests (wasm-pack test).
#![cfg(not(target_arch = "wasm32"))]

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
        blocksize: None,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

#[test]
fn the_workshop_exercise_on_generated_files() {
    let dir = sample_dir(7, "ex");
    let pattern = format!("{}/minute/hp/*.csv", dir.display());
    let df = read_csv(&[&pattern], &opts()).unwrap();
    // Seven small files, grouped into one partition (under 16 MB in all).
    assert_eq!(df.npartitions(), 1);
    assert_eq!(
        df.columns(),
        ["timestamp", "open", "high", "low", "close", "volume"]
    );
    let rows = rows_by_hand(&dir);
    let s = Scheduler::Threads;
    // Number of rows.
    assert_eq!(df.len().unwrap().compute(s).unwrap(), rows.len() as f64);
    // Max and min of high, mean of close.
    let high = df.col("high").unwrap();
    let want_max = rows.iter().map(|r| r.high).fold(f64::MIN, f64::max);
    let want_min = rows.iter().map(|r| r.high).fold(f64::MAX, f64::min);
    assert_eq!(
        high.reduce(SeriesReduce::Max, 1.0)
            .unwrap()
            .compute(s)
            .unwrap(),
        want_max
    );
    assert_eq!(
        high.reduce(SeriesReduce::Min, 1.0)
            .unwrap()
            .compute(Scheduler::Sync)
            .unwrap(),
        want_min
    );
    let mean_close = df
        .col("close")
        .unwrap()
        .reduce(SeriesReduce::Mean, 1.0)
        .unwrap();
    let want_mean = rows.iter().map(|r| r.close).sum::<f64>() / rows.len() as f64;
    assert!(close(mean_close.compute(s).unwrap(), want_mean));
    // std of close (ddof 1), by the definition.
    let var = rows
        .iter()
        .map(|r| (r.close - want_mean).powi(2))
        .sum::<f64>()
        / (rows.len() - 1) as f64;
    let std = df
        .col("close")
        .unwrap()
        .reduce(SeriesReduce::Std, 1.0)
        .unwrap();
    assert!(close(std.compute(s).unwrap(), var.sqrt()));
    // First rows of timestamp.
    let head = df.select(&["timestamp"]).unwrap().head(5, s).unwrap();
    let want: Vec<i64> = rows.iter().take(5).map(|r| r.ts).collect();
    assert_eq!(head.columns[0], Column::Datetime(want));
    // timestamp.dt.round('1d'): 09:30–16:00 rounds to the same day (before noon… no:
    // after 12:00 it rounds up), by hand.
    let ts = df.col("timestamp").unwrap();
    let rounded = ts
        .dt_round("1d", RoundMode::Round)
        .unwrap()
        .compute(s)
        .unwrap()
        .1;
    let want: Vec<i64> = rows
        .iter()
        .map(|r| {
            let day = r.ts.div_euclid(DAY_MS);
            let rem = r.ts - day * DAY_MS;
            let up = rem > DAY_MS / 2 || (rem == DAY_MS / 2 && day % 2 != 0);
            (day + up as i64) * DAY_MS
        })
        .collect();
    assert_eq!(rounded, Column::Datetime(want));
    // The daily spread's pieces: high − low, filtered, and dt fields.
    let spread = high.binary(BinaryOp::Sub, &df.col("low").unwrap()).unwrap();
    let max_spread = spread
        .reduce(SeriesReduce::Max, 1.0)
        .unwrap()
        .compute(s)
        .unwrap();
    let want_spread = rows.iter().map(|r| r.high - r.low).fold(f64::MIN, f64::max);
    assert!(close(max_spread, want_spread));
    let hours = ts.dt_field(DtField::Hour).unwrap().compute(s).unwrap().1;
    let Column::Int64(h) = hours else {
        panic!("hours are int64")
    };
    assert_eq!(h[0], 9);
    assert_eq!(*h.last().unwrap(), 16);
    let late = df
        .filter(
            &ts.dt_field(DtField::Hour)
                .unwrap()
                .scalar_op(BinaryOp::Ge, 15.0, false)
                .unwrap(),
        )
        .unwrap();
    let want_late = rows
        .iter()
        .filter(|r| (r.ts.rem_euclid(DAY_MS)) / 3_600_000 >= 15)
        .count();
    assert_eq!(late.len().unwrap().compute(s).unwrap(), want_late as f64);
    std::fs::remove_dir_all(dir).unwrap();
}

fn mem(name: &str, text: &str) -> Arc<dyn ByteSource> {
    Arc::new(MemorySource::new(name, text.as_bytes().to_vec()))
}

fn read(files: &[(&str, &str)], o: &ReadOptions) -> daskling::Result<DataFrame> {
    read_csv_sources(files.iter().map(|(n, t)| mem(n, t)).collect(), o)
}

#[test]
fn small_files_with_known_answers() {
    let plain = ReadOptions::default();
    let s = Scheduler::Threads;
    // Quoted fields (a separator and a newline inside quotes), CRLF, a BOM.
    let df = read(
        &[(
            "a.csv",
            "\u{feff}name,x\r\n\"Smith, J\",1.5\r\n\"two\nlines\",2.5\r\n",
        )],
        &plain,
    )
    .unwrap();
    assert_eq!(df.columns(), ["name", "x"]);
    let (_, names) = df.col("name").unwrap().compute(s).unwrap();
    assert_eq!(
        names,
        Column::String(vec![Some("Smith, J".into()), Some("two\nlines".into())])
    );
    assert_eq!(df.col("x").unwrap().sum().unwrap().compute(s).unwrap(), 4.0);
    // Empty fields are missing: skipped by reductions, counted by len.
    let df = read(&[("b.csv", "x,y\n1,\n,2\n3,4\n")], &plain).unwrap();
    let x = df.col("x").unwrap();
    assert_eq!(
        x.reduce(SeriesReduce::Count, 1.0)
            .unwrap()
            .compute(s)
            .unwrap(),
        2.0
    );
    assert_eq!(
        x.reduce(SeriesReduce::Mean, 1.0)
            .unwrap()
            .compute(s)
            .unwrap(),
        2.0
    );
    assert_eq!(df.len().unwrap().compute(s).unwrap(), 3.0);
    // A header only; one row.
    let df = read(&[("c.csv", "x,y\n"), ("d.csv", "x,y\n7,8\n")], &plain).unwrap();
    assert_eq!(df.len().unwrap().compute(s).unwrap(), 1.0);
    assert_eq!(df.col("y").unwrap().sum().unwrap().compute(s).unwrap(), 8.0);
    // nunique, var with ddof, scalar arithmetic.
    let df = read(&[("e.csv", "k,v\na,1\nb,2\na,3\nc,4\n")], &plain).unwrap();
    assert_eq!(
        df.col("k")
            .unwrap()
            .reduce(SeriesReduce::Nunique, 1.0)
            .unwrap()
            .compute(s)
            .unwrap(),
        3.0
    );
    let var0 = df.col("v").unwrap().reduce(SeriesReduce::Var, 0.0).unwrap();
    assert_eq!(var0.compute(s).unwrap(), 1.25);
    let mx = df.col("v").unwrap().reduce(SeriesReduce::Max, 1.0).unwrap();
    let mn = df.col("v").unwrap().reduce(SeriesReduce::Min, 1.0).unwrap();
    assert_eq!(
        mx.binary(BinaryOp::Sub, &mn)
            .unwrap()
            .scalar_op(BinaryOp::Mul, 2.0, false)
            .unwrap()
            .compute(s)
            .unwrap(),
        6.0
    );
    // assign and a bool filter.
    let v = df.col("v").unwrap();
    let df2 = df
        .assign(&[("w", &v.scalar_op(BinaryOp::Mul, 10.0, false).unwrap())])
        .unwrap();
    assert_eq!(df2.columns(), ["k", "v", "w"]);
    let big = df2
        .filter(
            &df2.col("w")
                .unwrap()
                .scalar_op(BinaryOp::Gt, 15.0, false)
                .unwrap(),
        )
        .unwrap();
    assert_eq!(
        big.col("w").unwrap().sum().unwrap().compute(s).unwrap(),
        90.0
    );
}

#[test]
fn bad_input_names_file_line_and_column() {
    let o = opts();
    let err = |files: &[(&str, &str)]| -> String {
        match read(files, &o) {
            Err(e) => e.to_string(),
            Ok(df) => df
                .len()
                .unwrap()
                .compute(Scheduler::Threads)
                .unwrap_err()
                .to_string(),
        }
    };
    let good = "timestamp,x\n2020-01-01,1\n";
    assert_eq!(
        err(&[
            ("a.csv", good),
            ("b.csv", "timestamp,x\n2020-01-01,1\n2020-01-02\n")
        ]),
        "b.csv, line 3: expected 2 fields, found 1"
    );
    let e = match read(
        &[("a.csv", good), ("c.csv", "timestamp,x\n2020-01-01,zz\n")],
        &o,
    ) {
        Ok(df) => df
            .col("x")
            .unwrap()
            .sum()
            .unwrap()
            .compute(Scheduler::Threads)
            .unwrap_err()
            .to_string(),
        Err(e) => e.to_string(),
    };
    assert_eq!(e, "c.csv, line 2, column x: cannot parse 'zz' as int64");
    assert!(
        err(&[("a.csv", good), ("d.csv", "timestamp,x\n2020-02-31,1\n")])
            .starts_with("d.csv, line 2, column timestamp: cannot parse '2020-02-31' as a date")
    );
    assert!(err(&[("e.csv", "time,x\n2020-01-01,1\n")])
        .starts_with("e.csv, line 1, column timestamp: no such column"));
    assert_eq!(
        err(&[("a.csv", good), ("f.csv", "")]),
        "f.csv, line 1: the file is empty (no header line)"
    );
    assert_eq!(
        err(&[("g.csv", "")]),
        "g.csv, line 1: the file is empty (no header line)"
    );
    // Unknown columns and frequencies are errors at once, not at compute.
    let df = read(&[("a.csv", good)], &o).unwrap();
    assert!(df
        .col("nope")
        .unwrap_err()
        .to_string()
        .contains("no column nope"));
    let ts = df.col("timestamp").unwrap();
    assert!(ts
        .dt_round("fortnight", RoundMode::Round)
        .unwrap_err()
        .to_string()
        .contains("unknown frequency"));
    assert!(df
        .col("x")
        .unwrap()
        .dt_field(DtField::Year)
        .unwrap_err()
        .to_string()
        .contains("datetime"));
}

/// A CSV with quoted newlines and separators in some rows.
fn tricky_csv(rows: usize, seed: u64) -> String {
    let mut s = String::from("id,text,v\n");
    let mut x = seed | 1;
    for i in 0..rows {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let text = match x % 4 {
            0 => "\"line one\nline two\"".to_string(),
            1 => "\"a, b and \"\"quotes\"\"\"".to_string(),
            _ => format!("plain{}", x % 1000),
        };
        s.push_str(&format!("{i},{text},{}\n", (x % 10_000) as f64 / 100.0));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Any blocksize (any split of the file into partitions) gives the same answers,
    /// with quoted newlines and separators anywhere.
    #[test]
    fn any_blocksize_gives_the_same_answers(rows in 1usize..300, seed in any::<u64>(), bs in 16u64..4000) {
        let text = tricky_csv(rows, seed);
        let whole = ReadOptions { blocksize: Some(0), ..ReadOptions::default() };
        let split = ReadOptions { blocksize: Some(bs), ..ReadOptions::default() };
        let a = read(&[("t.csv", &text)], &whole).unwrap();
        let b = match read(&[("t.csv", &text)], &split) {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        };
        let s = Scheduler::Threads;
        let nb = b.len().unwrap().compute(s);
        // A block smaller than one line is a clear error, never a wrong answer.
        match nb {
            Err(e) => prop_assert!(e.to_string().contains("longer than the blocksize"), "{}", e),
            Ok(n) => {
                prop_assert_eq!(n, rows as f64);
                let (sa, sb) = (a.col("v").unwrap().sum().unwrap().compute(s).unwrap(), b.col("v").unwrap().sum().unwrap().compute(s).unwrap());
                // Partial sums add in another order: equal up to rounding.
                prop_assert!(close(sa, sb), "{} vs {}", sa, sb);
                prop_assert_eq!(a.col("text").unwrap().compute(s).unwrap(), b.col("text").unwrap().compute(s).unwrap());
                prop_assert_eq!(a.col("id").unwrap().compute(s).unwrap(), b.col("id").unwrap().compute(s).unwrap());
            }
        }
    }
}

#[test]
fn errors_in_split_files_report_the_line_in_the_whole_file() {
    let mut text = tricky_csv(200, 5);
    let lines = text.matches('\n').count();
    text.push_str("201,oops,notanumber\n");
    // The sample (the whole file here) would make v a string column: force float64, so
    // the bad value is found while parsing the partition that holds it.
    let split = ReadOptions {
        blocksize: Some(512),
        csv: CsvOptions {
            dtype: vec![("v".into(), daskling::kernels::dataframe::Dtype::Float64)],
            ..CsvOptions::default()
        },
    };
    let df = read(&[("big.csv", &text)], &split).unwrap();
    assert!(df.npartitions() > 3);
    let e = df
        .col("v")
        .unwrap()
        .sum()
        .unwrap()
        .compute(Scheduler::Threads)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "big.csv, line {}, column v: cannot parse 'notanumber' as float64",
            lines + 1
        )
    );
}

#[test]
fn groupby_daily_high_and_spread_against_a_hand_loop() {
    use daskling::kernels::dataframe::groupby::GroupAgg;
    use std::collections::BTreeMap;
    let dir = sample_dir(6, "gb");
    let pattern = format!("{}/minute/hp/*.csv", dir.display());
    let df = read_csv(&[&pattern], &opts()).unwrap();
    let rows = rows_by_hand(&dir);
    let s = Scheduler::Threads;
    let day = df
        .col("timestamp")
        .unwrap()
        .dt_round("1d", RoundMode::Round)
        .unwrap();
    let g = df.groupby(&day).unwrap();
    let high = g.col("high").unwrap().agg(GroupAgg::Max).unwrap();
    let low = g.col("low").unwrap().agg(GroupAgg::Min).unwrap();
    let spread = high.binary(BinaryOp::Sub, &low).unwrap();
    // By hand: the rounded day of every row (half to even), then max/min per day.
    let mut want: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    for r in &rows {
        let d = r.ts.div_euclid(DAY_MS);
        let rem = r.ts - d * DAY_MS;
        let k = (d + (rem > DAY_MS / 2 || (rem == DAY_MS / 2 && d % 2 != 0)) as i64) * DAY_MS;
        let e = want.entry(k).or_insert((f64::MIN, f64::MAX));
        e.0 = e.0.max(r.high);
        e.1 = e.1.min(r.low);
    }
    let f = high.compute_frame(s).unwrap();
    let ix = f.index.as_ref().unwrap();
    assert_eq!(ix.0, "timestamp");
    assert_eq!(ix.1, Column::Datetime(want.keys().copied().collect()));
    assert_eq!(
        f.columns[0],
        Column::Float64(want.values().map(|v| v.0).collect())
    );
    let sp = spread.compute_frame(s).unwrap();
    let Column::Float64(got) = &sp.columns[0] else {
        panic!("float spread")
    };
    for (g, (_, (h, l))) in got.iter().zip(&want) {
        assert!(close(*g, h - l));
    }
    // agg with a dict: one pass, two columns.
    let both = g
        .agg(&[
            ("high", vec![GroupAgg::Max]),
            ("close", vec![GroupAgg::Mean, GroupAgg::Count]),
        ])
        .unwrap();
    assert_eq!(both.columns(), ["high", "close_mean", "close_count"]);
    let bf = both.compute(s).unwrap();
    assert_eq!(bf.columns[0], f.columns[0]);
    let Column::Int64(counts) = &bf.columns[2] else {
        panic!("int counts")
    };
    assert_eq!(counts.iter().sum::<i64>(), rows.len() as i64);
    // value_counts of the hour: 60 per hour per day, 09 has 30, 16 has 1.
    let hours = df
        .col("timestamp")
        .unwrap()
        .dt_field(DtField::Hour)
        .unwrap();
    let vc = hours.value_counts().unwrap().compute_frame(s).unwrap();
    assert_eq!(
        vc.index.as_ref().unwrap().1,
        Column::Int64(vec![10, 11, 12, 13, 14, 15, 9, 16])
    );
    assert_eq!(
        vc.columns[0],
        Column::Int64(vec![360, 360, 360, 360, 360, 360, 180, 6])
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn describe_against_definitions() {
    let plain = ReadOptions::default();
    let s = Scheduler::Threads;
    // pandas: DataFrame({"a": [1, 2, 3, 4], "b": [10.0, nan, 30.0, 20.0]}).describe()
    let df = read(
        &[
            ("d.csv", "a,b,name\n1,10,x\n2,,y\n"),
            ("e.csv", "a,b,name\n3,30,z\n4,20,w\n"),
        ],
        &plain,
    )
    .unwrap();
    let d = df.describe().unwrap();
    assert_eq!(d.columns(), ["a", "b"]);
    let f = d.compute(s).unwrap();
    let ix = f.index.as_ref().unwrap();
    assert_eq!(
        ix.1,
        Column::String(
            ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
                .iter()
                .map(|s| Some((*s).into()))
                .collect()
        )
    );
    assert_eq!(
        f.columns[0],
        Column::Float64(vec![
            4.0,
            2.5,
            (5.0f64 / 3.0).sqrt(),
            1.0,
            1.75,
            2.5,
            3.25,
            4.0
        ])
    );
    assert_eq!(
        f.columns[1],
        Column::Float64(vec![3.0, 20.0, 10.0, 10.0, 15.0, 20.0, 25.0, 30.0])
    );
    // Many partitions: count/mean/std/min/max exact, quartiles close to the sorted data's.
    let dir = sample_dir(8, "desc");
    let pattern = format!("{}/minute/hp/*.csv", dir.display());
    let df = read_csv(&[&pattern], &opts()).unwrap();
    let f = df.describe().unwrap().compute(s).unwrap();
    let rows = rows_by_hand(&dir);
    let mut highs: Vec<f64> = rows.iter().map(|r| r.high).collect();
    highs.sort_by(f64::total_cmp);
    let Column::Float64(h) = &f.columns[df
        .describe()
        .unwrap()
        .columns()
        .iter()
        .position(|c| c == "high")
        .unwrap()]
    else {
        panic!()
    };
    assert_eq!(h[0], highs.len() as f64);
    assert_eq!((h[3], h[7]), (highs[0], *highs.last().unwrap()));
    let range = highs.last().unwrap() - highs[0];
    for (j, q) in [(4, 0.25), (5, 0.5), (6, 0.75)] {
        let pos = q * (highs.len() - 1) as f64;
        let exact = highs[pos.floor() as usize]
            + (highs[pos.ceil() as usize] - highs[pos.floor() as usize]) * pos.fract();
        assert!(
            (h[j] - exact).abs() <= 0.01 * range,
            "q{q}: {} vs {exact}",
            h[j]
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn logic_dt_fields_and_other_aggregations_against_hand_loops() {
    use daskling::expr::dataframe::LogicalOp;
    use daskling::kernels::dataframe::datetime::civil_from_days;
    use daskling::kernels::dataframe::groupby::GroupAgg;
    use std::collections::BTreeMap;
    let dir = sample_dir(5, "more");
    let pattern = format!("{}/minute/hp/*.csv", dir.display());
    let df = read_csv(&[&pattern], &opts()).unwrap();
    let rows = rows_by_hand(&dir);
    let s = Scheduler::Threads;
    let ts = df.col("timestamp").unwrap();
    // dt fields of every row, by civil_from_days.
    for (field, f) in [
        (DtField::Year, 0),
        (DtField::Month, 1),
        (DtField::Day, 2),
        (DtField::Minute, 3),
        (DtField::Dayofweek, 4),
    ] {
        let (_, got) = ts.dt_field(field).unwrap().compute(s).unwrap();
        let want: Vec<i64> = rows
            .iter()
            .map(|r| {
                let days = r.ts.div_euclid(DAY_MS);
                let (y, m, d) = civil_from_days(days);
                [
                    y,
                    m as i64,
                    d as i64,
                    r.ts.rem_euclid(DAY_MS) / 60_000 % 60,
                    (days + 3).rem_euclid(7),
                ][f]
            })
            .collect();
        assert_eq!(got, Column::Int64(want), "{field:?}");
    }
    // floor and ceil to the hour.
    let (_, fl) = ts
        .dt_round("h", RoundMode::Floor)
        .unwrap()
        .compute(s)
        .unwrap();
    let (_, ce) = ts
        .dt_round("1h", RoundMode::Ceil)
        .unwrap()
        .compute(s)
        .unwrap();
    let h = 3_600_000;
    assert_eq!(
        fl,
        Column::Datetime(rows.iter().map(|r| r.ts.div_euclid(h) * h).collect())
    );
    assert_eq!(
        ce,
        Column::Datetime(
            rows.iter()
                .map(|r| (r.ts + h - 1).div_euclid(h) * h)
                .collect()
        )
    );
    // and / or / not of comparisons, counted.
    let high = df.col("high").unwrap();
    let closes = df.col("close").unwrap();
    let a = high.scalar_op(BinaryOp::Gt, rows[0].high, false).unwrap();
    let b = closes
        .scalar_op(BinaryOp::Le, rows[0].close, false)
        .unwrap();
    let count = |x: &daskling::expr::dataframe::Series| {
        df.filter(x).unwrap().len().unwrap().compute(s).unwrap()
    };
    let wa: Vec<bool> = rows.iter().map(|r| r.high > rows[0].high).collect();
    let wb: Vec<bool> = rows.iter().map(|r| r.close <= rows[0].close).collect();
    let n = |f: &dyn Fn(usize) -> bool| (0..rows.len()).filter(|&i| f(i)).count() as f64;
    assert_eq!(
        count(&a.logical(LogicalOp::And, Some(&b)).unwrap()),
        n(&|i| wa[i] && wb[i])
    );
    assert_eq!(
        count(&a.logical(LogicalOp::Or, Some(&b)).unwrap()),
        n(&|i| wa[i] || wb[i])
    );
    assert_eq!(
        count(&a.logical(LogicalOp::Not, None).unwrap()),
        n(&|i| !wa[i])
    );
    // groupby by the hour: sum, std, first, last, size.
    let hour = ts.dt_field(DtField::Hour).unwrap();
    let g = df.groupby(&hour).unwrap();
    let mut by: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for r in &rows {
        by.entry(r.ts.rem_euclid(DAY_MS) / h)
            .or_default()
            .push(r.close);
    }
    let col = |agg| {
        g.col("close")
            .unwrap()
            .agg(agg)
            .unwrap()
            .compute_frame(s)
            .unwrap()
            .columns[0]
            .clone()
    };
    let Column::Float64(sum) = col(GroupAgg::Sum) else {
        panic!()
    };
    let Column::Float64(std) = col(GroupAgg::Std) else {
        panic!()
    };
    assert_eq!(
        col(GroupAgg::First),
        Column::Float64(by.values().map(|v| v[0]).collect())
    );
    assert_eq!(
        col(GroupAgg::Last),
        Column::Float64(by.values().map(|v| *v.last().unwrap()).collect())
    );
    assert_eq!(
        col(GroupAgg::Size),
        Column::Int64(by.values().map(|v| v.len() as i64).collect())
    );
    for (j, v) in by.values().enumerate() {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
        assert!(close(sum[j], v.iter().sum()));
        assert!(close(std[j], sd), "{} vs {sd}", std[j]);
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Counts reads of the bytes it holds.
struct Counting {
    inner: MemorySource,
    reads: Arc<std::sync::atomic::AtomicUsize>,
}

impl ByteSource for Counting {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn len(&self) -> u64 {
        self.inner.len()
    }
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.read(start, end)
    }
}

#[test]
fn values_computed_together_read_each_file_once() {
    use daskling::expr::{compute_values, Expr, Lazy};
    let reads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let src = |name: &str, text: &str| -> Arc<dyn ByteSource> {
        Arc::new(Counting {
            inner: MemorySource::new(name, text.as_bytes().to_vec()),
            reads: reads.clone(),
        })
    };
    let df = read_csv_sources(
        vec![src("a.csv", "x,y\n1,2\n3,4\n"), src("b.csv", "x,y\n5,6\n")],
        &ReadOptions::default(),
    )
    .unwrap();
    // The sample of the first file was read once to learn the columns.
    let after_sample = reads.load(std::sync::atomic::Ordering::SeqCst);
    let x = df.col("x").unwrap();
    let exprs = [
        Expr::Df(df.len().unwrap().0),
        Expr::Df(x.sum().unwrap().0),
        Expr::Df(x.reduce(SeriesReduce::Max, 1.0).unwrap().0),
        Expr::Df(
            df.col("y")
                .unwrap()
                .reduce(SeriesReduce::Mean, 1.0)
                .unwrap()
                .0,
        ),
    ];
    let lazies: Vec<&dyn Lazy> = exprs.iter().map(|e| e as &dyn Lazy).collect();
    let (values, _) = compute_values(&lazies, Scheduler::Threads, &mut |_| {}).unwrap();
    let nums: Vec<f64> = values
        .iter()
        .map(|v| match v {
            daskling::kernels::Value::F64(x) => *x,
            _ => f64::NAN,
        })
        .collect();
    assert_eq!(nums, vec![3.0, 9.0, 5.0, 4.0]);
    // Two files, one read each, for all four values.
    assert_eq!(
        reads.load(std::sync::atomic::Ordering::SeqCst) - after_sample,
        2
    );
}

#[test]
fn adding_a_large_constant_gives_float64_and_exact_group_sums() {
    // Reported: `v.add(1e20)` was labelled int64 and its groupby sum saturated at
    // i64::MAX. The constant's dtype is one rule for metadata and kernels alike.
    use daskling::kernels::dataframe::groupby::GroupAgg;
    let df = read(
        &[("a.csv", "k,v\na,1\nb,2\na,3\n")],
        &ReadOptions::default(),
    )
    .unwrap();
    let w = df
        .col("v")
        .unwrap()
        .scalar_op(BinaryOp::Add, 1e20, false)
        .unwrap();
    assert_eq!(w.dtype().name(), "float64");
    let g = df
        .assign(&[("w", &w)])
        .unwrap()
        .groupby(&df.col("k").unwrap())
        .unwrap();
    let (_, sums) = g
        .col("w")
        .unwrap()
        .agg(GroupAgg::Sum)
        .unwrap()
        .compute(Scheduler::Sync)
        .unwrap();
    // Group a: (1 + 1e20) + (3 + 1e20) in float64; b: 2 + 1e20.
    assert_eq!(
        sums,
        Column::Float64(vec![(1.0 + 1e20) + (3.0 + 1e20), 2.0 + 1e20])
    );
    // A small integer constant keeps int64, as pandas.
    let i = df
        .col("v")
        .unwrap()
        .scalar_op(BinaryOp::Add, 1.0, false)
        .unwrap();
    assert_eq!(i.dtype().name(), "int64");
}

#[test]
fn int64_group_sums_past_2_53_are_a_clear_error_not_a_saturated_number() {
    // Reported: int64 sums saturated at i64::MAX. Float64 accumulation is exact up to
    // 2^53; past it the result is an error naming the aggregation, never a wrong number.
    use daskling::kernels::dataframe::groupby::GroupAgg;
    let big = 9_000_000_000_000_000i64; // < 2^63, > 2^53 / 2
    let text = format!("k,v\na,{big}\na,{big}\nb,1\n");
    let df = read(&[("a.csv", &text)], &ReadOptions::default()).unwrap();
    let g = df.groupby(&df.col("k").unwrap()).unwrap();
    let e = g
        .col("v")
        .unwrap()
        .agg(GroupAgg::Sum)
        .unwrap()
        .compute(Scheduler::Sync)
        .unwrap_err()
        .to_string();
    assert!(e.contains("past 2^53") && e.contains("sum"), "{e}");
    // Below 2^53 the int64 sums are exact.
    let df = read(
        &[("b.csv", "k,v\na,4503599627370496\na,3\nb,1\n")],
        &ReadOptions::default(),
    )
    .unwrap();
    let (_, sums) = df
        .groupby(&df.col("k").unwrap())
        .unwrap()
        .col("v")
        .unwrap()
        .agg(GroupAgg::Sum)
        .unwrap()
        .compute(Scheduler::Sync)
        .unwrap();
    assert_eq!(sums, Column::Int64(vec![4503599627370499, 1]));
}
