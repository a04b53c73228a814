//! Per-row group bindings: `transform(agg)` and the cumulative aggregations per group
//! of a column of a lazy frame, grouped by a key series or a frame of keys.

use wasm_bindgen::prelude::*;

use super::dataframe::{Grouped, LazyDf};
use super::{js_err, named};
use daskling::expr::dataframe::DataFrame;
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::scan::CumAgg;

#[wasm_bindgen]
impl LazyDf {
    /// Each row's group aggregate `agg` of column `column`, grouped by `by`.
    #[wasm_bindgen(js_name = groupTransform)]
    pub fn group_transform(&self, by: &LazyDf, column: &str, agg: &str) -> Result<LazyDf, JsError> {
        let a: GroupAgg = named(agg)?;
        DataFrame(self.0.clone())
            .grouped(by)
            .and_then(|g| g.col(column))
            .and_then(|g| g.transform(a))
            .map(|s| LazyDf(s.0))
            .map_err(js_err)
    }

    /// The running `agg` (`cumsum`, `cummax`, `cummin`, `cumprod`) of column `column`
    /// within each group of `by`.
    #[wasm_bindgen(js_name = groupCum)]
    pub fn group_cum(&self, by: &LazyDf, column: &str, agg: &str) -> Result<LazyDf, JsError> {
        let a: CumAgg = named(agg)?;
        DataFrame(self.0.clone())
            .grouped(by)
            .and_then(|g| g.col(column))
            .and_then(|g| g.cumulative(a))
            .map(|s| LazyDf(s.0))
            .map_err(js_err)
    }
}
