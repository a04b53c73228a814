//! The persist binding of dataframes: the page's handle of a frame or series whose
//! partitions the compute worker keeps (arrays have theirs in `array`).

use wasm_bindgen::prelude::*;

use super::context::Context;
use super::dataframe::LazyDf;
use super::js_err;

#[wasm_bindgen]
impl LazyDf {
    /// The persisted form of this frame or series, once the worker holds its
    /// partitions; `ctx` (the client's) tells when no expression uses it any more.
    pub fn persisted(&self, ctx: &Context) -> Result<LazyDf, JsError> {
        ctx.0
            .persisted_remote_frame(&self.0)
            .map(LazyDf)
            .map_err(js_err)
    }
}
