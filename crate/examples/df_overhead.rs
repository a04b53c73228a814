// Throwaway timing of graph overheads for many small files (not part of the package).
use daskling::expr::dataframe::{read_csv, ReadOptions};
use daskling::kernels::dataframe::csv::CsvOptions;
use daskling::{Lazy, Scheduler};
use std::time::Instant;
fn main() {
    let pattern = std::env::args().nth(1).expect("pattern");
    let opts = ReadOptions {
        csv: CsvOptions {
            parse_dates: vec!["timestamp".into()],
            ..CsvOptions::default()
        },
        blocksize: None,
    };
    let t = Instant::now();
    let df = read_csv(&[&pattern], &opts).unwrap();
    println!("read_csv {:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let len = df.len().unwrap();
    let (g, _) = len.0.graph().unwrap();
    println!("graph {:.3} ({} tasks)", t.elapsed().as_secs_f64(), g.len());
    let t = Instant::now();
    let n = len.compute(Scheduler::Threads).unwrap();
    println!("len {:.3} = {n}", t.elapsed().as_secs_f64());
}
