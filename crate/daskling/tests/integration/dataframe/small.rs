//! Small hand-written files with known answers: missing values, empty files, group
//! keys, each file read once, and numbers past float64's exact integers.

use super::*;

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
