//! The one result type: what the bindings and the `daskling` command both give, checked
//! against hand-written expectations.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::sync::Arc;

use daskling::expr::dataframe::{read_csv_sources, Kind, ReadOptions};
use daskling::kernels::dataframe::dt::RoundMode;
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::source::MemorySource;
use daskling::kernels::Value;
use daskling::{Output, Scheduler};
use serde_json::json;

fn frame(csv: &str, dates: &[&str]) -> daskling::expr::dataframe::DataFrame {
    let mut opts = ReadOptions::default();
    opts.csv.parse_dates = dates.iter().map(|s| s.to_string()).collect();
    let src = Arc::new(MemorySource::new("t.csv", csv.as_bytes().to_vec()));
    read_csv_sources(vec![src], &opts).unwrap()
}

#[test]
fn a_missing_bool_stays_missing() {
    let df = frame("b,x\ntrue,1\n,2\nfalse,3\n", &[]);
    let f = df.compute(Scheduler::Sync).unwrap();
    let v = Value::Frame(Arc::new(f));
    let j = serde_json::to_value(Output::of(&v, Kind::Frame)).unwrap();
    assert_eq!(j["dtypes"]["b"], "bool");
    assert_eq!(j["data"]["b"], json!([1.0, null, 0.0]));
    assert_eq!(j["data"]["x"], json!([1.0, 2.0, 3.0]));
    assert_eq!(j["index"], json!(null));
    assert_eq!(j["indexDtype"], json!(null));
    assert_eq!(j["length"], 3);
}

#[test]
fn groups_by_a_rounded_timestamp_carry_a_datetime_index() {
    let df = frame(
        "t,v\n2012-05-01 09:30:00,1\n2012-05-01 15:00:00,5\n2012-05-02 10:00:00,2\n",
        &["t"],
    );
    let day = df
        .col("t")
        .unwrap()
        .dt_round("1d", RoundMode::Floor)
        .unwrap();
    let s = df.groupby(&day).unwrap().col("v").unwrap();
    let f = s
        .agg(GroupAgg::Max)
        .unwrap()
        .compute_frame(Scheduler::Sync)
        .unwrap();
    let v = Value::Frame(Arc::new(f));
    let j = serde_json::to_value(Output::of(&v, Kind::Series)).unwrap();
    let day_ms = 86_400_000.0;
    // 2012-05-01 is day 15461 since the epoch.
    assert_eq!(j["indexDtype"], "datetime");
    assert_eq!(j["index"], json!([15461.0 * day_ms, 15462.0 * day_ms]));
    assert_eq!(j["values"], json!([5.0, 2.0]));
    assert_eq!(j["name"], "v");
}

#[test]
fn arrays_and_numbers() {
    let b = Value::Block(Arc::new(
        ndarray::arr2(&[[1.0, 2.0], [3.0, 4.0]]).into_dyn(),
    ));
    let j = serde_json::to_value(Output::of(&b, Kind::Frame)).unwrap();
    assert_eq!(j, json!({"shape": [2, 2], "data": [1.0, 2.0, 3.0, 4.0]}));
    assert_eq!(
        serde_json::to_value(Output::of(&Value::F64(7.5), Kind::Scalar)).unwrap(),
        json!(7.5)
    );
}
