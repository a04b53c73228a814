//! The workshop's exercises (rows, max/min, means, daily groups, describe, the `.dt`
//! fields) on generated minute files, against loops over the rows parsed by hand.

use super::*;

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
