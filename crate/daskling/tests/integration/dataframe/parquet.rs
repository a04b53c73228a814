//! readParquet natively, on small files pyarrow wrote (`tests/parquet/fixtures.py`):
//! every column a closed form of the row number, checked here by formula — each codec,
//! several row groups, nulls, a zero-row group, projection, filters, and corrupt files.
//! (The same reads are compared with pandas in `tests/pandas-parquet.test.mjs`.)

use super::*;
use daskling::expr::dataframe::{read_parquet, read_parquet_sources, ParquetOptions};
use daskling::kernels::dataframe::parquet::stats::{Cmp, Predicate, Scalar};
use daskling::kernels::Kernel;

fn data(name: &str) -> String {
    format!("{}/tests/data/parquet/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Milliseconds of 2020-01-01.
fn jan1() -> i64 {
    days_from_civil(2020, 1, 1) * DAY_MS
}

/// The columns of rows `r` by formula (see the fixtures' script).
fn expected(rows: &[i64]) -> Vec<(&'static str, Column)> {
    vec![
        ("i", Column::Int64(rows.to_vec())),
        (
            "f",
            Column::Float64(rows.iter().map(|&r| r as f64 / 2.0).collect()),
        ),
        (
            "s",
            Column::String(
                rows.iter()
                    .map(|&r| (r % 3 != 0).then(|| format!("r{r}").into()))
                    .collect(),
            ),
        ),
        (
            "b",
            Column::Bool(rows.iter().map(|&r| Some(r % 2 == 0)).collect()),
        ),
        (
            "ts",
            Column::Datetime(rows.iter().map(|&r| jan1() + r * 3_600_000).collect()),
        ),
        (
            "d",
            Column::Datetime(rows.iter().map(|&r| jan1() + r * DAY_MS).collect()),
        ),
        (
            "ni",
            Column::Float64(
                rows.iter()
                    .map(|&r| if r % 4 == 0 { f64::NAN } else { r as f64 })
                    .collect(),
            ),
        ),
    ]
}

fn check(df: &DataFrame, rows: &[i64]) {
    let f = df.compute(Scheduler::Threads).unwrap();
    let names: Vec<&str> = f.names.iter().map(String::as_str).collect();
    for (name, want) in expected(rows) {
        let Some(at) = names.iter().position(|n| *n == name) else {
            continue;
        };
        match (&f.columns[at], &want) {
            (Column::Float64(a), Column::Float64(b)) => {
                assert_eq!(a.len(), b.len(), "{name}");
                for (x, y) in a.iter().zip(b) {
                    assert!(x == y || (x.is_nan() && y.is_nan()), "{name}: {x} vs {y}");
                }
            }
            (a, b) => assert_eq!(a, b, "{name}"),
        }
    }
}

#[test]
fn every_codec_and_type_by_formula() {
    let all: Vec<i64> = (0..10).collect();
    for (file, groups) in [("rows.parquet", 3), ("rows-snappy.parquet", 4)] {
        let each = ParquetOptions {
            blocksize: Some(0),
            ..ParquetOptions::default()
        };
        let df = read_parquet(&[&data(file)], &each).unwrap();
        assert_eq!(
            df.npartitions(),
            groups,
            "{file}: a partition per row group"
        );
        check(&df, &all);
        let one = read_parquet(&[&data(file)], &ParquetOptions::default()).unwrap();
        assert_eq!(one.npartitions(), 1, "{file}: small groups grouped");
        check(&one, &all);
    }
    let seven: Vec<i64> = (0..7).collect();
    for codec in ["gzip", "lz4", "none"] {
        check(
            &read_parquet(
                &[&data(&format!("{codec}.parquet"))],
                &ParquetOptions::default(),
            )
            .unwrap(),
            &seven,
        );
    }
    // A zero-row group is no partition; the rows after it are read.
    let df = read_parquet(
        &[&data("empty-group.parquet")],
        &ParquetOptions {
            blocksize: Some(0),
            ..ParquetOptions::default()
        },
    )
    .unwrap();
    assert_eq!(df.npartitions(), 1);
    check(&df, &(0..5).collect::<Vec<_>>());
}

#[test]
fn several_files_one_frame() {
    let df = read_parquet(
        &[&data("rows.parquet"), &data("gzip.parquet")],
        &ParquetOptions::default(),
    )
    .unwrap();
    let (_, i) = df.col("i").unwrap().compute(Scheduler::Threads).unwrap();
    let want: Vec<i64> = (0..10).chain(0..7).collect();
    assert_eq!(i, Column::Int64(want));
    let total = df
        .col("f")
        .unwrap()
        .sum()
        .unwrap()
        .compute(Scheduler::Threads)
        .unwrap();
    assert_eq!(
        total,
        (0..10).chain(0..7).map(|r| r as f64 / 2.0).sum::<f64>()
    );
}

#[test]
fn columns_in_the_order_asked() {
    let o = ParquetOptions {
        columns: Some(vec!["s".into(), "i".into()]),
        ..ParquetOptions::default()
    };
    let df = read_parquet(&[&data("rows.parquet")], &o).unwrap();
    assert_eq!(df.0.names(), ["s", "i"]);
    check(&df, &(0..10).collect::<Vec<_>>());
    let e = read_parquet(
        &[&data("rows.parquet")],
        &ParquetOptions {
            columns: Some(vec!["nope".into()]),
            ..ParquetOptions::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
}

fn pred(column: &str, op: Cmp, values: Vec<Scalar>) -> Predicate {
    Predicate {
        column: column.into(),
        op,
        values,
    }
}

#[test]
fn filters_skip_row_groups_and_rows() {
    // Groups of 4: rows 0-3, 4-7, 8-9. i >= 5 rules out the first group by its max (3).
    let o = ParquetOptions {
        filters: vec![vec![pred("i", Cmp::Ge, vec![Scalar::Number(5.0)])]],
        blocksize: Some(0),
        ..ParquetOptions::default()
    };
    let df = read_parquet(&[&data("rows.parquet")], &o).unwrap();
    assert_eq!(df.npartitions(), 2, "the first row group is not read");
    check(&df, &[5, 6, 7, 8, 9]);
    // An OR of ANDs: (s in [r1, r8]) or (i < 1 and b == true); a null s passes no test.
    let o = ParquetOptions {
        filters: vec![
            vec![pred(
                "s",
                Cmp::In,
                vec![Scalar::Text("r1".into()), Scalar::Text("r8".into())],
            )],
            vec![
                pred("i", Cmp::Lt, vec![Scalar::Number(1.0)]),
                pred("b", Cmp::Eq, vec![Scalar::Bool(true)]),
            ],
        ],
        ..ParquetOptions::default()
    };
    check(
        &read_parquet(&[&data("rows.parquet")], &o).unwrap(),
        &[0, 1, 8],
    );
    // != drops nulls (as pyarrow); datetimes compare with a date.
    let o = ParquetOptions {
        filters: vec![vec![
            pred("s", Cmp::Ne, vec![Scalar::Text("r2".into())]),
            pred("ts", Cmp::Lt, vec![Scalar::Text("2020-01-01 06:00".into())]),
        ]],
        ..ParquetOptions::default()
    };
    check(
        &read_parquet(&[&data("rows.parquet")], &o).unwrap(),
        &[1, 4, 5],
    );
    let bad = ParquetOptions {
        filters: vec![vec![pred("zz", Cmp::Eq, vec![Scalar::Number(1.0)])]],
        ..ParquetOptions::default()
    };
    let e = read_parquet(&[&data("rows.parquet")], &bad).unwrap_err();
    assert!(e.to_string().contains("zz"), "{e}");
}

#[test]
fn a_column_read_reads_only_its_chunks() {
    let df = read_parquet(
        &[&data("rows.parquet")],
        &ParquetOptions {
            blocksize: Some(0),
            ..ParquetOptions::default()
        },
    )
    .unwrap();
    let s = df.col("i").unwrap().sum().unwrap();
    let (g, _) = daskling::expr::optimized_graph(&[&s.0]).unwrap();
    fn bytes_read(k: &Kernel) -> u64 {
        match k {
            Kernel::Read(r) => r.parts.iter().map(|p| p.end - p.start).sum(),
            Kernel::Chain(ks) => ks.iter().map(bytes_read).sum(),
            _ => 0,
        }
    }
    let read: u64 = g.iter().map(|(_, t)| bytes_read(&t.kernel)).sum();
    let size = std::fs::metadata(data("rows.parquet")).unwrap().len();
    assert!(read > 0 && read * 4 < size, "read {read} of {size} bytes");
    assert_eq!(s.compute(Scheduler::Threads).unwrap(), 45.0);
}

#[test]
fn corrupt_and_foreign_files_are_clear_errors() {
    let whole = std::fs::read(data("rows.parquet")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("a.parquet", b"i,f\n1,2\n".to_vec(), "not a Parquet file"),
        (
            "cut.parquet",
            whole[..whole.len() / 2].to_vec(),
            "not a Parquet file",
        ),
        (
            "tiny.parquet",
            b"PAR1".to_vec(),
            "shorter than a Parquet footer",
        ),
    ];
    for (name, bytes, says) in cases {
        let src: Arc<dyn ByteSource> = Arc::new(MemorySource::new(name, bytes));
        let e = read_parquet_sources(vec![src], &ParquetOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains(name) && e.contains(says), "{name}: {e}");
    }
    // A data page overwritten: the footer reads, the decode fails naming file and column.
    let mut broken = whole.clone();
    for b in &mut broken[4..200] {
        *b = 0xAB;
    }
    let src: Arc<dyn ByteSource> = Arc::new(MemorySource::new("broken.parquet", broken));
    let df = read_parquet_sources(vec![src], &ParquetOptions::default()).unwrap();
    let e = df.compute(Scheduler::Threads).unwrap_err().to_string();
    assert!(e.contains("broken.parquet") && e.contains("column"), "{e}");
}

#[test]
fn a_filter_on_a_read_column_skips_row_groups() {
    let each = ParquetOptions {
        blocksize: Some(0),
        ..ParquetOptions::default()
    };
    let df = read_parquet(&[&data("rows.parquet")], &each).unwrap();
    assert_eq!(df.npartitions(), 3);
    let i = df.col("i").unwrap();
    // Groups of rows 0-3, 4-7, 8-9: i > 5 cannot hold in the first.
    let big = df
        .filter(&i.scalar_op(BinaryOp::Gt, 5.0, false).unwrap())
        .unwrap();
    assert_eq!(big.npartitions(), 2);
    check(&big, &[6, 7, 8, 9]);
    // 8 <= i, written with the constant first: only the last group.
    let late = df
        .filter(&i.scalar_op(BinaryOp::Le, 8.0, true).unwrap())
        .unwrap();
    assert_eq!(late.npartitions(), 1);
    check(&late, &[8, 9]);
    // Another comparison (!=) filters rows but skips nothing.
    let ne = df
        .filter(&i.scalar_op(BinaryOp::Ne, 0.0, false).unwrap())
        .unwrap();
    assert_eq!(ne.npartitions(), 3);
    check(&ne, &(1..10).collect::<Vec<_>>());
}
