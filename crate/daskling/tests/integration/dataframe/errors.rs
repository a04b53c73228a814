//! Bad input names file, line and column; any split of a file with quoted newlines and
//! separators gives the same answers and the same error lines.

use super::*;

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
            ("b.csv", "timestamp,x\n2020-01-01,1\n2020-01-02,1,7\n")
        ]),
        "b.csv, line 3: expected 2 fields, saw 3 (a row may have fewer fields than the header, not more)"
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
    assert_eq!(e, "c.csv, line 2, column x: cannot parse 'zz' as int64; the column's first rows made it int64: pass dtype: {x: 'string'} to readCsv");
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
        ..ReadOptions::default()
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
            // The dtype was given: no hint to pass one.
            "big.csv, line {}, column v: cannot parse 'notanumber' as float64",
            lines + 1
        )
    );
}
