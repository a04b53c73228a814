//! `readParquet` on the builder: a lazy frame of sources the page registered, from the
//! footers the package's JS read from their ends (`parquetFooterLen` says how many
//! bytes that is), and pyarrow's `filters` in either of their forms.

use wasm_bindgen::prelude::*;

use super::dataframe::LazyDf;
use super::{from_js, js_err, known_options};
use daskling::expr::dataframe::{read_parquet_refs, ParquetOptions, SourceRef};
use daskling::kernels::dataframe::parquet::stats::{Cmp, Predicate, Scalar};
use daskling::kernels::dataframe::parquet::{footer_len, ParquetFile};

/// How many bytes from the end of file `name` of `size` bytes hold its footer, from
/// its last 8 bytes.
#[wasm_bindgen(js_name = parquetFooterLen)]
pub fn parquet_footer_len(name: &str, size: f64, last8: &[u8]) -> Result<f64, JsError> {
    footer_len(name, size.max(0.0) as u64, last8)
        .map(|n| n as f64)
        .map_err(js_err)
}

/// `readParquet` on the builder: `sources` `[[id, name, size], …]`, `ends` the last
/// bytes of each (at least its footer), and the options.
#[wasm_bindgen(js_name = readParquet)]
pub fn read_parquet(
    sources: &js_sys::Array,
    ends: &js_sys::Array,
    options: JsValue,
) -> Result<LazyDf, JsError> {
    let opts = parquet_options(options)?;
    let mut refs = vec![];
    let mut files = vec![];
    for (entry, end) in sources.iter().zip(ends.iter()) {
        let (id, name, size): (String, String, f64) = from_js(entry, "source [id, name, size]")?;
        let size = size.max(0.0) as u64;
        let end = js_sys::Uint8Array::new(&end).to_vec();
        files.push(std::sync::Arc::new(
            ParquetFile::from_end(&name, size, &end).map_err(js_err)?,
        ));
        refs.push(SourceRef {
            id,
            name,
            size,
            held: None,
        });
    }
    read_parquet_refs(refs, files, &opts)
        .map(|d| LazyDf(d.0))
        .map_err(js_err)
}

/// A predicate's value as JS gives it: one, or a list (`in`, `not in`).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Values {
    List(Vec<Scalar>),
    One(Scalar),
}

/// readParquet's JS options.
fn parquet_options(options: JsValue) -> Result<ParquetOptions, JsError> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Opts {
        columns: Option<Vec<String>>,
        blocksize: Option<f64>,
    }
    if options.is_undefined() || options.is_null() {
        return Ok(ParquetOptions::default());
    }
    known_options(
        "readParquet",
        &options,
        &["columns", "filters", "blocksize"],
        &[],
    )?;
    let filters = js_sys::Reflect::get(&options, &"filters".into()).unwrap_or(JsValue::UNDEFINED);
    let o: Opts = from_js(options, "readParquet options")?;
    let blocksize = match o.blocksize {
        Some(b) if b >= 0.0 && b.fract() == 0.0 => Some(b as u64),
        Some(b) => {
            return Err(JsError::new(&format!(
                "readParquet: blocksize must be a whole number of bytes from 0, got {b}"
            )))
        }
        None => None,
    };
    Ok(ParquetOptions {
        columns: o.columns,
        filters: filters_of(filters)?,
        blocksize,
    })
}

/// pyarrow's `filters`: a list of `[column, op, value]` (all must hold), or a list of
/// such lists (any may hold).
fn filters_of(v: JsValue) -> Result<Vec<Vec<Predicate>>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(vec![]);
    }
    let form = "readParquet: filters must be a list of [column, op, value] (all hold), or a \
                list of such lists (any holds)";
    let list = v
        .dyn_into::<js_sys::Array>()
        .map_err(|_| JsError::new(form))?;
    let nested = list.iter().next().is_some_and(|first| {
        js_sys::Array::is_array(&first)
            && js_sys::Array::from(&first)
                .iter()
                .next()
                .is_some_and(|x| js_sys::Array::is_array(&x))
    });
    let conjunction = |v: JsValue| -> Result<Vec<Predicate>, JsError> {
        let items = v
            .dyn_into::<js_sys::Array>()
            .map_err(|_| JsError::new(form))?;
        items.iter().map(predicate).collect()
    };
    match nested {
        true => list.iter().map(conjunction).collect(),
        false => Ok(vec![conjunction(list.into())?]),
    }
}

fn predicate(v: JsValue) -> Result<Predicate, JsError> {
    let (column, op, value): (String, String, Values) =
        from_js(v, "readParquet: a filter [column, op, value]")?;
    let op = Cmp::parse(&op).ok_or_else(|| {
        JsError::new(&format!(
            "readParquet: filters: unknown operator {op:?} (use ==, !=, <, <=, >, >=, in, not in)"
        ))
    })?;
    let values = match (op, value) {
        (Cmp::In | Cmp::NotIn, Values::List(v)) => v,
        (Cmp::In | Cmp::NotIn, Values::One(_)) => {
            return Err(JsError::new(&format!(
                "readParquet: filters: {} on {column} takes a list of values",
                op.symbol()
            )))
        }
        (_, Values::One(v)) => vec![v],
        (_, Values::List(_)) => {
            return Err(JsError::new(&format!(
                "readParquet: filters: {} on {column} takes one value, not a list",
                op.symbol()
            )))
        }
    };
    Ok(Predicate { column, op, values })
}
