//! readCsv's options natively, on small hand-written files with answers checked by hand
//! (each read whole and cut into 16-byte blocks): skiprows, nrows, names, thousands and
//! decimal, sep sniffing, bad lines skipped, and an implicit index. (The same options
//! are compared with pandas in `tests/pandas-csv-options.test.mjs`.)

use super::*;
use daskling::kernels::dataframe::csv::{BadLines, Numbers, SkipRows};

/// Column `c` of the read of `text` with `o`, whole and in 16-byte blocks (the same).
fn column(text: &str, o: &ReadOptions, c: &str) -> Column {
    let whole = read(&[("t.csv", text)], o).unwrap();
    let cut = ReadOptions {
        blocksize: Some(16),
        ..o.clone()
    };
    let split = read(&[("t.csv", text)], &cut).unwrap();
    let (_, a) = whole.col(c).unwrap().compute(Scheduler::Threads).unwrap();
    let (_, b) = split.col(c).unwrap().compute(Scheduler::Threads).unwrap();
    assert_eq!(a, b, "{c}: whole and split");
    a
}

fn with(csv: CsvOptions) -> ReadOptions {
    ReadOptions {
        csv,
        ..ReadOptions::default()
    }
}

#[test]
fn rows_skipped_counted_and_named() {
    let text = "made by hand\n\nx,y\n1,a\n2,b\n3,c\n4,d\n";
    let count = with(CsvOptions {
        skiprows: SkipRows::Count(2),
        ..CsvOptions::default()
    });
    assert_eq!(column(text, &count, "x"), Column::Int64(vec![1, 2, 3, 4]));
    // Lines 0 and 4 (from 0): the preamble and the row `2,b`.
    let lines = with(CsvOptions {
        skiprows: SkipRows::Lines(vec![0, 4]),
        ..CsvOptions::default()
    });
    assert_eq!(column(text, &lines, "x"), Column::Int64(vec![1, 3, 4]));
    let first = ReadOptions {
        nrows: Some(3),
        ..count.clone()
    };
    assert_eq!(column(text, &first, "y").len(), 3);
    // header as a row number: record 2 after the blank line (not counted) is the header.
    let row = with(CsvOptions {
        header_row: 1,
        ..CsvOptions::default()
    });
    assert_eq!(column(text, &row, "x"), Column::Int64(vec![1, 2, 3, 4]));
    let named = with(CsvOptions {
        header: false,
        names: Some(vec!["n".into(), "w".into()]),
        ..CsvOptions::default()
    });
    assert_eq!(column("5,e\n6,f\n", &named, "n"), Column::Int64(vec![5, 6]));
}

#[test]
fn numbers_with_thousands_and_a_decimal_comma() {
    let o = with(CsvOptions {
        dialect: daskling::kernels::dataframe::csv::Dialect {
            sep: b';',
            ..Default::default()
        },
        numbers: Numbers {
            thousands: Some(b'.'),
            decimal: b',',
        },
        ..CsvOptions::default()
    });
    let text = "a;b;c\n1.234;2,5;x\n-10.000;0,25;1.5\n";
    assert_eq!(column(text, &o, "a"), Column::Int64(vec![1234, -10000]));
    assert_eq!(column(text, &o, "b"), Column::Float64(vec![2.5, 0.25]));
    // `1.5` with a decimal comma is no number: the column is text, as it is written.
    assert_eq!(
        column(text, &o, "c"),
        Column::String(vec![Some("x".into()), Some("1.5".into())])
    );
}

#[test]
fn a_sniffed_separator_bad_lines_skipped_and_an_implicit_index() {
    let sniff = ReadOptions {
        sniff_sep: true,
        ..ReadOptions::default()
    };
    assert_eq!(
        column("a|b\n1|2\n3|4\n", &sniff, "b"),
        Column::Int64(vec![2, 4])
    );
    let skip = with(CsvOptions {
        on_bad_lines: BadLines::Skip,
        ..CsvOptions::default()
    });
    assert_eq!(
        column("a,b\n1,2\n3,4,5\n6,7\n", &skip, "a"),
        Column::Int64(vec![1, 6])
    );
    let df = read(&[("i.csv", "a,b\nx,1,2\ny,3,4\n")], &ReadOptions::default()).unwrap();
    let f = df.compute(Scheduler::Threads).unwrap();
    assert_eq!(
        f.columns,
        [Column::Int64(vec![1, 3]), Column::Int64(vec![2, 4])]
    );
    let index = f.index.as_ref().unwrap();
    assert_eq!(
        index.1,
        Column::String(vec![Some("x".into()), Some("y".into())])
    );
}
