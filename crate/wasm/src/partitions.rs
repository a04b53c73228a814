//! The `mapPartitions` binding: a JavaScript function (its source text and encoded
//! arguments, as `delayed` builds them) on every partition of a lazy frame or series.

use wasm_bindgen::prelude::*;

use super::dataframe::LazyDf;
use super::{js_err, named};
use daskling::expr::dataframe::{DataFrame, Kind, PartitionMeta, Series};
use daskling::expr::js::JsFunction;

#[wasm_bindgen]
impl LazyDf {
    /// The function with this `source` and `name` on every partition; `args` its encoded
    /// arguments (the partition is dependency 0); the result a Series (`series`) or a
    /// DataFrame of columns `names` of `dtypes`.
    #[wasm_bindgen(js_name = mapPartitions)]
    pub fn map_partitions(
        &self,
        source: String,
        name: String,
        args: Vec<u8>,
        series: bool,
        names: Vec<String>,
        dtypes: Vec<String>,
    ) -> Result<LazyDf, JsError> {
        let dtypes = dtypes
            .iter()
            .map(|t| named(t))
            .collect::<Result<Vec<_>, _>>()?;
        let func = JsFunction {
            source: source.into(),
            name: name.into(),
        };
        let meta = PartitionMeta {
            kind: if series { Kind::Series } else { Kind::Frame },
            names,
            dtypes,
        };
        let out = match self.0.kind() {
            Kind::Series => Series(self.0.clone()).map_partitions(func, args, meta),
            _ => DataFrame(self.0.clone()).map_partitions(func, args, meta),
        };
        out.map(LazyDf).map_err(js_err)
    }
}
