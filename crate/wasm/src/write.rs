//! `toCsv` / `toParquet` on the builder: a frame's write, a value whose result is the
//! files' bytes (the package's JS makes `Blob`s of them).

use wasm_bindgen::prelude::*;

use super::dataframe::LazyDf;
use super::{from_js, js_err};
use daskling::expr::dataframe::{DataFrame, WriteFormat, WriteOptions};

#[wasm_bindgen]
impl LazyDf {
    /// This frame written: `{format: 'csv' | 'parquet', sep, partitioned}`.
    pub fn write(&self, options: JsValue) -> Result<LazyDf, JsError> {
        #[derive(serde::Deserialize)]
        struct Opts {
            format: String,
            #[serde(default)]
            sep: Option<String>,
            #[serde(default)]
            partitioned: bool,
        }
        let o: Opts = from_js(options, "write options")?;
        let format = match (o.format.as_str(), o.sep.as_deref()) {
            ("csv", None) => WriteFormat::Csv { sep: b',' },
            ("csv", Some("\\t" | "\t")) => WriteFormat::Csv { sep: b'\t' },
            ("csv", Some(s)) if s.len() == 1 && s.is_ascii() && !matches!(s, "\"" | "\n" | "\r") => {
                WriteFormat::Csv { sep: s.as_bytes()[0] }
            }
            ("csv", Some(s)) => {
                return Err(JsError::new(&format!(
                    "toCsv: sep must be one ASCII character other than a quote or a line break, got {s:?}"
                )))
            }
            ("parquet", _) => WriteFormat::Parquet,
            (f, _) => return Err(JsError::new(&format!("write: unknown format {f}"))),
        };
        let options = WriteOptions {
            format,
            partitioned: o.partitioned,
        };
        DataFrame(self.0.clone())
            .write(&options)
            .map(|f| LazyDf(f.0))
            .map_err(js_err)
    }
}
