//! Joins over many partitions against a nested loop over every pair of rows written
//! here: each plan (a broadcast side, a hash shuffle) must give the reference's rows.

use std::sync::Arc;

use daskling::expr::dataframe::{read_csv_sources, DataFrame, How, MergeOptions, ReadOptions};
use daskling::kernels::dataframe::source::MemorySource;
use daskling::kernels::dataframe::Frame;
use daskling::Scheduler;

/// Files of `rows` (key, value) lines, one partition per file.
fn frame(name: &str, value: &str, rows: &[(Option<i64>, i64)], files: usize) -> DataFrame {
    let per = rows.len().div_ceil(files);
    let sources = rows
        .chunks(per.max(1))
        .enumerate()
        .map(|(i, chunk)| {
            let mut text = format!("k,{value}\n");
            for (k, v) in chunk {
                let k = k.map_or(String::new(), |k| k.to_string());
                text.push_str(&format!("{k},{v}\n"));
            }
            Arc::new(MemorySource::new(
                format!("{name}{i}.csv"),
                text.into_bytes(),
            )) as Arc<_>
        })
        .collect();
    let opts = ReadOptions {
        blocksize: Some(0),
        ..ReadOptions::default()
    };
    read_csv_sources(sources, &opts).unwrap()
}

/// The rows as sorted text lines (`k|a|b`, missing as `-`).
fn lines(f: &Frame) -> Vec<String> {
    let mut out: Vec<String> = (0..f.len())
        .map(|i| {
            let cell = |c: usize| {
                f.columns[c]
                    .f64_at(i)
                    .map_or("-".to_string(), |x| x.to_string())
            };
            (0..f.columns.len()).map(cell).collect::<Vec<_>>().join("|")
        })
        .collect();
    out.sort();
    out
}

/// Every pair of rows with equal keys (missing equals missing, as pandas), and the
/// unmatched rows `how` keeps.
fn reference(l: &[(Option<i64>, i64)], r: &[(Option<i64>, i64)], how: How) -> Vec<String> {
    let show = |x: Option<i64>| x.map_or("-".to_string(), |x| x.to_string());
    let mut out = vec![];
    for &(k, a) in l {
        let mut hit = false;
        for &(k2, b) in r {
            if k == k2 {
                out.push(format!("{}|{a}|{b}", show(k)));
                hit = true;
            }
        }
        if !hit && matches!(how, How::Left | How::Outer) {
            out.push(format!("{}|{a}|-", show(k)));
        }
    }
    if matches!(how, How::Right | How::Outer) {
        for &(k2, b) in r {
            if !l.iter().any(|&(k, _)| k == k2) {
                out.push(format!("{}|-|{b}", show(k2)));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_plan_gives_the_nested_loops_rows() {
    // Keys with duplicates on both sides, some only on one side, some missing.
    let key = |i: i64, m: i64| if i % 11 == 0 { None } else { Some(i * 7 % m) };
    let l: Vec<(Option<i64>, i64)> = (0..90).map(|i| (key(i, 23), i)).collect();
    let r: Vec<(Option<i64>, i64)> = (0..40).map(|i| (key(i + 5, 31), 1000 + i)).collect();
    for (lf, rf) in [(6, 1), (1, 4), (6, 4), (1, 1), (3, 8)] {
        let (left, right) = (frame("l", "a", &l, lf), frame("r", "b", &r, rf));
        assert_eq!((left.npartitions(), right.npartitions()), (lf, rf));
        for how in How::ALL.iter().copied() {
            for broadcast in [false, true] {
                let opts = MergeOptions {
                    how,
                    broadcast,
                    ..MergeOptions::default()
                };
                let m = left.merge(&right, &opts).unwrap();
                let out = m.compute(Scheduler::Threads).unwrap();
                assert_eq!(
                    lines(&out),
                    reference(&l, &r, how),
                    "{how:?} with {lf} and {rf} partitions, broadcast {broadcast}"
                );
            }
        }
    }
}

#[test]
fn a_one_partition_right_side_keeps_the_left_order() {
    let l: Vec<(Option<i64>, i64)> = (0..50).map(|i| (Some(i % 7), i)).collect();
    let r: Vec<(Option<i64>, i64)> = (0..7).map(|i| (Some(6 - i), i)).collect();
    let out = frame("l", "a", &l, 5)
        .merge(&frame("r", "b", &r, 1), &MergeOptions::default())
        .unwrap();
    assert_eq!(out.npartitions(), 5);
    let f = out.compute(Scheduler::Threads).unwrap();
    let a: Vec<f64> = (0..f.len())
        .map(|i| f.columns[1].f64_at(i).unwrap())
        .collect();
    assert_eq!(a, (0..50).map(|i| i as f64).collect::<Vec<_>>());
}

#[test]
fn one_file_read_whole_and_in_blocks_in_one_graph() {
    // The whole file's read and its first block's read were one task (one name).
    let text: String = std::iter::once("k,v\n".to_string())
        .chain((0..60).map(|i| format!("{},{}\n", i % 9, i)))
        .collect();
    let src: Arc<dyn daskling::kernels::dataframe::source::ByteSource> =
        Arc::new(MemorySource::new("r.csv", text.into_bytes()));
    let whole = read_csv_sources(vec![src.clone()], &ReadOptions::default()).unwrap();
    let opts = ReadOptions {
        blocksize: Some(100),
        ..ReadOptions::default()
    };
    let blocks = read_csv_sources(vec![src], &opts).unwrap();
    assert!(blocks.npartitions() > 2);
    let m = whole.merge(&blocks, &MergeOptions::default()).unwrap();
    let out = m.compute(Scheduler::Threads).unwrap();
    assert_eq!(out.len(), 60);
}
