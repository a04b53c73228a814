//! `readCsv` on the builder (a lazy frame of sources the page registered, its schema
//! inferred from the first bytes of the first one with rows) and the glob matching Node's file walk
//! asks of each path.

use wasm_bindgen::prelude::*;

use super::dataframe::LazyDf;
use super::{from_js, js_err};
use daskling::expr::dataframe::{read_csv_refs, ReadOptions, SourceRef, UseCol};
use daskling::kernels::dataframe::csv::{has_rows, infer_schema, CsvOptions, NaValues};
use daskling::kernels::dataframe::Dtype;

/// `readCsv` on the builder: `sources` `[[id, name, size], …]`, the first bytes of
/// source `sampled` (the first with rows: see `csvHasRows`; `complete` when that is the
/// whole file), and the options.
#[wasm_bindgen(js_name = readCsv)]
pub fn read_csv(
    sources: &js_sys::Array,
    sample: &[u8],
    complete: bool,
    options: JsValue,
    sampled: usize,
) -> Result<LazyDf, JsError> {
    let opts = read_options(options)?;
    let mut refs = vec![];
    for entry in sources.iter() {
        let (id, name, size): (String, String, f64) = from_js(entry, "source [id, name, size]")?;
        refs.push(SourceRef {
            id,
            name,
            size: size.max(0.0) as u64,
            held: None,
        });
    }
    let from = refs
        .get(sampled)
        .ok_or_else(|| JsError::new("readCsv: no files given"))?;
    let schema = infer_schema(&from.name, sample, complete, &opts.csv).map_err(js_err)?;
    read_csv_refs(refs, schema, &opts)
        .map(|d| LazyDf(d.0))
        .map_err(js_err)
}

/// Whether the first bytes of a file hold a data row under readCsv's `options` (a
/// header-only file tells no dtypes: readCsv samples the next one).
#[wasm_bindgen(js_name = csvHasRows)]
pub fn csv_has_rows(sample: &[u8], options: JsValue) -> Result<bool, JsError> {
    Ok(has_rows(sample, &read_options(options)?.csv))
}

/// readCsv's JS options as read options: parsing, blocksize, `usecols`.
fn read_options(options: JsValue) -> Result<ReadOptions, JsError> {
    #[derive(serde::Deserialize, Default)]
    #[serde(rename_all = "camelCase", default)]
    struct Opts {
        sep: Option<String>,
        header: Option<bool>,
        parse_dates: Vec<String>,
        dtype: std::collections::BTreeMap<String, String>,
        blocksize: Option<f64>,
        na_values: Option<NaArg>,
        keep_default_na: Option<bool>,
        usecols: Option<Vec<UseCol>>,
    }
    /// `naValues`: one value, a list, or `{column: list}`.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum NaArg {
        One(Text),
        List(Vec<Text>),
        Columns(std::collections::BTreeMap<String, NaList>),
    }
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum NaList {
        One(Text),
        List(Vec<Text>),
    }
    /// A missing-value marker, given as text or as a number.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Text {
        S(String),
        N(f64),
    }
    impl Text {
        fn text(self) -> String {
            match self {
                Text::S(s) => s,
                Text::N(x) => x.to_string(),
            }
        }
    }
    impl NaList {
        fn texts(self) -> Vec<String> {
            match self {
                NaList::One(t) => vec![t.text()],
                NaList::List(v) => v.into_iter().map(Text::text).collect(),
            }
        }
    }
    let o: Opts = if options.is_undefined() || options.is_null() {
        Opts::default()
    } else {
        from_js(options, "readCsv options")?
    };
    let sep = match o.sep.as_deref() {
        None => b',',
        Some(s) if s.len() == 1 && s.is_ascii() => s.as_bytes()[0],
        Some("\\t") => b'\t',
        Some(s) => {
            return Err(JsError::new(&format!(
                "sep must be one ASCII character, got {s:?}"
            )))
        }
    };
    let mut dtype = vec![];
    for (c, d) in o.dtype {
        let t = daskling::kernels::names::lookup::<Dtype>(&d)
            .map_err(|e| JsError::new(&format!("dtype of {c}: {e}")))?;
        dtype.push((c, t));
    }
    let mut na_values = NaValues {
        keep_default: o.keep_default_na.unwrap_or(true),
        ..NaValues::default()
    };
    match o.na_values {
        None => {}
        Some(NaArg::One(t)) => na_values.all.push(t.text()),
        Some(NaArg::List(v)) => na_values.all = v.into_iter().map(Text::text).collect(),
        Some(NaArg::Columns(m)) => {
            na_values.columns = m.into_iter().map(|(c, l)| (c, l.texts())).collect()
        }
    }
    let csv = CsvOptions {
        sep,
        header: o.header.unwrap_or(true),
        parse_dates: o.parse_dates,
        dtype,
        na_values,
    };
    Ok(ReadOptions {
        csv,
        blocksize: o.blocksize.map(|b| b.max(0.0) as u64),
        usecols: o.usecols,
    })
}

/// Whether `path` matches the glob `pattern` as `read_csv`'s globs do (`*`, `?`, `[…]`
/// within one path component, `**` across them) — for readCsv of patterns in Node,
/// whose file walk asks this of each candidate path.
#[wasm_bindgen(js_name = globMatch)]
pub fn glob_match(pattern: &str, path: &str) -> Result<bool, JsError> {
    let p = glob::Pattern::new(pattern).map_err(|e| JsError::new(&format!("{pattern}: {e}")))?;
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    Ok(p.matches_with(path, options))
}

/// A frame of in-memory columns: `columns` the `{name: values}` object as `clone.js`
/// encodes it, `dtypes` `{name: dtype}` for the columns whose dtype is given (the others
/// inferred as pandas infers a list's), in `npartitions` even partitions; `ctx` (the
/// client's) tracks the data, which the worker is sent once.
#[wasm_bindgen(js_name = fromColumns)]
pub fn from_columns(
    ctx: &super::context::Context,
    columns: &[u8],
    dtypes: JsValue,
    npartitions: f64,
) -> Result<LazyDf, JsError> {
    let value = daskling::expr::js_value::decode(columns)
        .map_err(|e| JsError::new(&format!("fromColumns: {e}")))?;
    let given: Vec<(String, String)> = if dtypes.is_object() {
        js_sys::Object::entries(dtypes.unchecked_ref())
            .iter()
            .map(|e| from_js(e, "fromColumns dtypes {column: dtype}"))
            .collect::<Result<_, _>>()?
    } else {
        vec![]
    };
    let dtypes = given
        .into_iter()
        .map(|(c, t)| {
            daskling::kernels::names::lookup::<Dtype>(&t)
                .map(|d| (c, d))
                .map_err(js_err)
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !(npartitions >= 1.0 && npartitions.fract() == 0.0 && npartitions <= 1e6) {
        return Err(JsError::new(&format!(
            "fromColumns: npartitions must be a whole number from 1, got {npartitions}"
        )));
    }
    let frame = daskling::expr::dataframe::frame_of_js(&value, &dtypes).map_err(js_err)?;
    ctx.0
        .from_frame(std::sync::Arc::new(frame), npartitions as usize)
        .map(|d| LazyDf(d.0))
        .map_err(js_err)
}
