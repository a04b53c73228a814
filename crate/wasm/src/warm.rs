//! A warm-up for the JIT: a small block product and a small CSV read, run on the pool
//! once when the kernel starts.
//!
//! Browsers compile wasm with a baseline compiler first and recompile a function with
//! the optimizing one (V8's TurboFan) when it is hot, in a background thread. On a
//! machine whose cores the pool keeps busy that background compile can wait until the
//! compute ends, so a long first compute runs entirely on baseline code (measured: the
//! first `x.dot(x.T)` of 4000² on 2 workers of a 2-core machine sometimes 7.7 s instead of
//! 2.3 s). Running the hot kernels briefly while the pool is idle gets them recompiled
//! before real work needs them.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::js_err;
use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
use daskling::expr::{compute_values, Expr, Lazy};
use daskling::kernels::dataframe::dt::RoundMode;
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::ops::SeriesReduce;
use daskling::kernels::dataframe::sample::{minute_files, SampleSpec};
use daskling::kernels::dataframe::source::{ByteSource, MemorySource};
use daskling::{Array, ChunkSpec, Scheduler};

/// Runs a 512² symmetric block product and a read of 8 days of minute data (parse,
/// dates, groupby, reductions) on the pool; a few tens of milliseconds.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() -> Result<(), JsError> {
    let s = Scheduler::Threads;
    let x =
        Array::random(&[512, 512], ChunkSpec::Block(vec![256, 256]), Some(0)).map_err(js_err)?;
    for _ in 0..3 {
        x.dot(&x.t())
            .and_then(|p| p.sum(None))
            .and_then(|t| t.compute(s))
            .map_err(js_err)?;
    }
    let spec = SampleSpec {
        tickers: vec!["warm".into()],
        days: 8,
        ..SampleSpec::default()
    };
    let sources: Vec<Arc<dyn ByteSource>> = minute_files(&spec)
        .map(|f| Arc::new(MemorySource::new(f.name, f.data)) as Arc<dyn ByteSource>)
        .collect();
    let mut opts = ReadOptions::default();
    opts.csv.parse_dates = vec!["timestamp".into()];
    let e = |r: daskling::Result<daskling::expr::dataframe::Df>| r.map(Expr::Df).map_err(js_err);
    for _ in 0..3 {
        let df = read_csv_sources(sources.clone(), &opts).map_err(js_err)?;
        let day = df
            .col("timestamp")
            .and_then(|t| t.dt_round("1d", RoundMode::Round))
            .map_err(js_err)?;
        let g = df.groupby(&day).map_err(js_err)?;
        let exprs = [
            e(df.len().map(|v| v.0))?,
            e(df.col("high")
                .and_then(|c| c.reduce(SeriesReduce::Max, 1.0))
                .map(|v| v.0))?,
            e(df.col("close")
                .and_then(|c| c.reduce(SeriesReduce::Mean, 1.0))
                .map(|v| v.0))?,
            e(g.col("high")
                .and_then(|c| c.agg(GroupAgg::Max))
                .map(|v| v.0))?,
        ];
        let items: Vec<&dyn Lazy> = exprs.iter().map(|x| x as &dyn Lazy).collect();
        compute_values(&items, s, &mut |_| {}).map_err(js_err)?;
    }
    Ok(())
}
