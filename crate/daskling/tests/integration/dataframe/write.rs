//! Writing frames natively: CSV text checked by hand (pandas' spelling of every dtype,
//! quoting, a groupby's index as the first column), Parquet read back by daskling's
//! reader equal to the frame. (pandas and pyarrow read the files in
//! `tests/pandas-write.test.mjs`.)

use super::*;
use daskling::expr::dataframe::{read_parquet_sources, ParquetOptions, WriteFormat, WriteOptions};

const A: &str = "i,f,s,b\n1,1.5,\"a,b\",True\n2,,\"say \"\"hi\"\"\",\n";
const B: &str = "i,f,s,b\n3,1e16,\"l\nm\",False\n";

fn frame() -> DataFrame {
    let each = ReadOptions {
        blocksize: Some(0),
        ..ReadOptions::default()
    };
    read(&[("a.csv", A), ("b.csv", B)], &each).unwrap()
}

fn csv(partitioned: bool) -> WriteOptions {
    WriteOptions {
        format: WriteFormat::Csv { sep: b',' },
        partitioned,
    }
}

#[test]
fn csv_as_pandas_spells_it() {
    let df = frame();
    let one = df
        .write(&csv(false))
        .unwrap()
        .compute(Scheduler::Threads)
        .unwrap();
    let text = String::from_utf8(one.concat()).unwrap();
    assert_eq!(
        text,
        "i,f,s,b\n1,1.5,\"a,b\",True\n2,,\"say \"\"hi\"\"\",\n3,1e+16,\"l\nm\",False\n"
    );
    let each = df
        .write(&csv(true))
        .unwrap()
        .compute(Scheduler::Threads)
        .unwrap();
    assert_eq!(each.len(), 2);
    assert!(
        each.iter().all(|p| p.starts_with(b"i,f,s,b\n")),
        "a header in each file"
    );
    // A groupby's result: its keys (the index) first.
    let by = df.col("b").unwrap();
    let sums = df.groupby(&by).unwrap().col("i").unwrap();
    let sums = sums
        .agg(daskling::kernels::dataframe::groupby::GroupAgg::Sum)
        .unwrap();
    let t = DataFrame(sums.0)
        .write(&csv(false))
        .unwrap()
        .compute(Scheduler::Threads)
        .unwrap();
    assert_eq!(
        String::from_utf8(t.concat()).unwrap(),
        "b,i\nFalse,3\nTrue,1\n"
    );
}

#[test]
fn parquet_reads_back_equal() {
    let df = frame();
    let want = df.compute(Scheduler::Threads).unwrap();
    let o = WriteOptions {
        format: WriteFormat::Parquet,
        partitioned: false,
    };
    let files = df.write(&o).unwrap().compute(Scheduler::Threads).unwrap();
    assert_eq!(files.len(), 1);
    let src: Arc<dyn ByteSource> = Arc::new(MemorySource::new("w.parquet", files[0].clone()));
    let each = ParquetOptions {
        blocksize: Some(0),
        ..ParquetOptions::default()
    };
    let back = read_parquet_sources(vec![src], &each).unwrap();
    assert_eq!(back.npartitions(), 2, "a row group per partition");
    let got = back.compute(Scheduler::Threads).unwrap();
    assert_eq!(got.names, want.names);
    for (a, b) in got.columns.iter().zip(&want.columns) {
        match (a, b) {
            (Column::Float64(x), Column::Float64(y)) => {
                assert!(x
                    .iter()
                    .zip(y)
                    .all(|(p, q)| p == q || (p.is_nan() && q.is_nan())))
            }
            _ => assert_eq!(a, b),
        }
    }
}
