//! Time bindings: `resample` (a frame's rows in time bins by a datetime column,
//! aggregated per bin with every bin present, pandas' `df.resample(freq, on=…)`) and
//! rolling windows by time (`rolling('30min', on=…)`).

use wasm_bindgen::prelude::*;

use super::dataframe::{agg_spec, LazyDf};
use super::{js_err, named};
use daskling::expr::dataframe::{DataFrame, Series};
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::scan::RollAgg;

#[wasm_bindgen]
impl LazyDf {
    /// Several aggregations per bin of `freq` by column `on` (`spec` as `groupAgg`'s).
    #[wasm_bindgen(js_name = resampleAgg)]
    pub fn resample_agg(&self, on: &str, freq: &str, spec: JsValue) -> Result<LazyDf, JsError> {
        let spec = agg_spec(spec)?;
        let typed: Vec<(&str, Vec<GroupAgg>)> =
            spec.iter().map(|(c, a)| (c.as_str(), a.clone())).collect();
        DataFrame(self.0.clone())
            .resample(freq, on)
            .and_then(|r| r.agg(&typed))
            .map(|d| LazyDf(d.0))
            .map_err(js_err)
    }

    /// `agg` of column `column` per bin.
    #[wasm_bindgen(js_name = resampleColumn)]
    pub fn resample_column(
        &self,
        on: &str,
        freq: &str,
        column: &str,
        agg: &str,
    ) -> Result<LazyDf, JsError> {
        let a: GroupAgg = named(agg)?;
        DataFrame(self.0.clone())
            .resample(freq, on)
            .and_then(|r| r.col(column))
            .and_then(|c| c.agg(a))
            .map(|s| LazyDf(s.0))
            .map_err(js_err)
    }

    /// Rows per bin.
    #[wasm_bindgen(js_name = resampleSize)]
    pub fn resample_size(&self, on: &str, freq: &str) -> Result<LazyDf, JsError> {
        DataFrame(self.0.clone())
            .resample(freq, on)
            .and_then(|r| r.size())
            .map(|s| LazyDf(s.0))
            .map_err(js_err)
    }

    /// `agg` over windows of `freq` (`'30min'`) by the datetime series `on`, at least
    /// `min_periods` values each (default 1).
    #[wasm_bindgen(js_name = rollingTime)]
    pub fn rolling_time(
        &self,
        freq: &str,
        on: &LazyDf,
        min_periods: Option<f64>,
        agg: &str,
    ) -> Result<LazyDf, JsError> {
        let agg: RollAgg = named(agg)?;
        let min_periods = match min_periods {
            None => 1,
            Some(m) if m >= 0.0 && m.fract() == 0.0 => m as usize,
            Some(m) => {
                return Err(JsError::new(&format!(
                    "rolling: minPeriods must be a whole number, got {m}"
                )))
            }
        };
        Series(self.0.clone())
            .rolling_time(freq, &Series(on.0.clone()), min_periods, agg)
            .map(|s| LazyDf(s.0))
            .map_err(js_err)
    }
}
