//! The index bindings: the divisions `setIndex` computes first, the indexed frame,
//! `loc`, and a frame's known divisions.

use wasm_bindgen::prelude::*;

use super::dataframe::LazyDf;
use super::{from_js, js_err, to_js};
use daskling::expr::dataframe::{DataFrame, Kind, Series};
use daskling::kernels::dataframe::index::division_values;
use daskling::kernels::dataframe::map::Literal;

#[wasm_bindgen]
impl LazyDf {
    /// The divisions `setIndex(column)` would give (a lazy series): `sorted` keeps the
    /// partitions, else `npartitions` ranges (default: as many as now).
    #[wasm_bindgen(js_name = indexDivisions)]
    pub fn index_divisions(
        &self,
        column: &str,
        sorted: bool,
        npartitions: Option<usize>,
    ) -> Result<LazyDf, JsError> {
        DataFrame(self.0.clone())
            .index_divisions(column, sorted, npartitions)
            .map(|s| LazyDf(s.0))
            .map_err(js_err)
    }

    /// This frame indexed by `column`, partitioned by `divisions` (an array of numbers,
    /// datetimes as ms, or text).
    #[wasm_bindgen(js_name = setIndex)]
    pub fn set_index(
        &self,
        column: &str,
        divisions: JsValue,
        sorted: bool,
    ) -> Result<LazyDf, JsError> {
        let d: Vec<Literal> = from_js(divisions, "setIndex: divisions")?;
        DataFrame(self.0.clone())
            .set_index(column, d, sorted)
            .map(|f| LazyDf(f.0))
            .map_err(js_err)
    }

    /// The rows whose index is in `[start, stop]` (null: open).
    pub fn loc(&self, start: JsValue, stop: JsValue) -> Result<LazyDf, JsError> {
        let start: Literal = from_js(start, "loc: start")?;
        let stop: Literal = from_js(stop, "loc: stop")?;
        let r = match self.0.kind() {
            Kind::Frame => DataFrame(self.0.clone()).loc(start, stop).map(|f| f.0),
            _ => Series(self.0.clone()).loc(start, stop).map(|s| s.0),
        };
        r.map(LazyDf).map_err(js_err)
    }

    /// The index's divisions (numbers, datetimes as ms, text), or null when unknown.
    #[wasm_bindgen(getter)]
    pub fn divisions(&self) -> JsValue {
        match DataFrame(self.0.clone()).divisions() {
            Some(d) => to_js(&division_values(d)),
            None => JsValue::NULL,
        }
    }

    /// The index's name, or null without one.
    #[wasm_bindgen(getter, js_name = indexName)]
    pub fn index_name(&self) -> Option<String> {
        self.0.index().map(|ix| ix.0.clone())
    }
}
