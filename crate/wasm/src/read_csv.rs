//! `readCsv` on the builder (a lazy frame of sources the page registered, its schema
//! inferred from the first bytes of the first one with rows) and the glob matching Node's file walk
//! asks of each path.

use wasm_bindgen::prelude::*;

use super::dataframe::LazyDf;
use super::{from_js, js_err, known_options};
use daskling::expr::dataframe::{read_csv_refs, schema_of, ReadOptions, SourceRef, UseCol};
use daskling::kernels::dataframe::csv::{
    has_rows, BadLines, Compression, CsvOptions, Dialect, Encoding, NaValues, Numbers, SkipRows,
    TextFormat,
};
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
    let mut opts = read_options(options)?;
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
    let schema = schema_of(&from.name, sample, complete, &mut opts).map_err(js_err)?;
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

/// One ASCII character of option `name` (`"\\t"` is a tab).
fn one_char(name: &str, s: &str) -> Result<u8, JsError> {
    match s {
        "\\t" | "\t" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        s => Err(JsError::new(&format!(
            "readCsv: {name} must be one ASCII character, got {s:?}"
        ))),
    }
}

/// readCsv's JS options as read options (`dataframe.js` has already turned `sep: null`
/// into `sniffSep`, `header: null` into false and `compression: null` into `'none'`).
fn read_options(options: JsValue) -> Result<ReadOptions, JsError> {
    #[derive(serde::Deserialize, Default)]
    #[serde(rename_all = "camelCase", default)]
    struct Opts {
        sep: Option<String>,
        sniff_sep: bool,
        header: Option<bool>,
        header_row: Option<f64>,
        names: Option<Vec<String>>,
        skiprows: Option<Skip>,
        nrows: Option<f64>,
        parse_dates: Vec<String>,
        dtype: std::collections::BTreeMap<String, String>,
        blocksize: Option<f64>,
        na_values: Option<NaArg>,
        keep_default_na: Option<bool>,
        usecols: Option<Vec<UseCol>>,
        quotechar: Option<String>,
        escapechar: Option<String>,
        doublequote: Option<bool>,
        skipinitialspace: Option<bool>,
        comment: Option<String>,
        skip_blank_lines: Option<bool>,
        thousands: Option<String>,
        decimal: Option<String>,
        encoding: Option<String>,
        compression: Option<String>,
        on_bad_lines: Option<String>,
    }
    /// `skiprows`: a count or line numbers.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Skip {
        Count(f64),
        Lines(Vec<f64>),
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
    /// `Opts`' fields as JS spells them: serde-wasm-bindgen looks up only these, so a
    /// misspelt option (`skipRows`) would pass unseen.
    const KNOWN: &[&str] = &[
        "sep",
        "sniffSep",
        "header",
        "headerRow",
        "names",
        "skiprows",
        "nrows",
        "parseDates",
        "dtype",
        "blocksize",
        "naValues",
        "keepDefaultNa",
        "usecols",
        "quotechar",
        "escapechar",
        "doublequote",
        "skipinitialspace",
        "comment",
        "skipBlankLines",
        "thousands",
        "decimal",
        "encoding",
        "compression",
        "onBadLines",
    ];
    let o: Opts = match options.is_undefined() || options.is_null() {
        true => Opts::default(),
        false => {
            known_options("readCsv", &options, KNOWN, &["sniffSep", "headerRow"])?;
            from_js(options, "readCsv options")?
        }
    };
    let count = |name: &str, x: f64| {
        if x >= 0.0 && x.fract() == 0.0 && x <= 9e15 {
            Ok(x as u64)
        } else {
            Err(JsError::new(&format!(
                "readCsv: {name} must be a whole number from 0, got {x}"
            )))
        }
    };
    let char_of =
        |name: &str, s: &Option<String>| s.as_deref().map(|c| one_char(name, c)).transpose();
    let defaults = Dialect::default();
    let dialect = Dialect {
        sep: char_of("sep", &o.sep)?.unwrap_or(b','),
        quotechar: char_of("quotechar", &o.quotechar)?.unwrap_or(defaults.quotechar),
        escapechar: char_of("escapechar", &o.escapechar)?,
        doublequote: o.doublequote.unwrap_or(true),
        skipinitialspace: o.skipinitialspace.unwrap_or(false),
        comment: char_of("comment", &o.comment)?,
        skip_blank_lines: o.skip_blank_lines.unwrap_or(true),
    };
    let numbers = Numbers {
        thousands: char_of("thousands", &o.thousands)?,
        decimal: char_of("decimal", &o.decimal)?.unwrap_or(b'.'),
    };
    let skiprows = match o.skiprows {
        None => SkipRows::None,
        Some(Skip::Count(n)) => SkipRows::Count(count("skiprows", n)?),
        Some(Skip::Lines(v)) => {
            let mut lines = v
                .into_iter()
                .map(|x| count("skiprows", x))
                .collect::<Result<Vec<_>, _>>()?;
            lines.sort_unstable();
            lines.dedup();
            SkipRows::Lines(lines)
        }
    };
    let encoding = match o.encoding.as_deref() {
        None => Encoding::Utf8,
        Some(e) => Encoding::from_name(e).ok_or_else(|| {
            JsError::new(&format!(
                "readCsv: encoding {e:?} is not one readCsv reads (utf-8, utf-8-sig, latin-1, cp1252, utf-16, utf-16-le, utf-16-be)"
            ))
        })?,
    };
    let compression = match o.compression.as_deref() {
        None | Some("infer") => Compression::Infer,
        Some("none") => Compression::None,
        Some("gzip") => Compression::Gzip,
        Some("zstd") => Compression::Zstd,
        Some("bz2") => Compression::Bz2,
        Some(c) => {
            return Err(JsError::new(&format!(
                "readCsv: compression {c:?} is not one readCsv reads ('infer', 'gzip', 'zstd', 'bz2' or null)"
            )))
        }
    };
    let on_bad_lines = match o.on_bad_lines.as_deref() {
        None | Some("error") => BadLines::Error,
        Some("skip") => BadLines::Skip,
        Some("warn") => BadLines::Warn,
        Some(b) => {
            return Err(JsError::new(&format!(
                "readCsv: onBadLines {b:?} is not 'error', 'skip' or 'warn'"
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
    // pandas: names given and no header asked for means the file has none.
    let header = o.header.unwrap_or(o.names.is_none());
    let csv = CsvOptions {
        dialect,
        header,
        header_row: o
            .header_row
            .map(|n| count("header", n))
            .transpose()?
            .unwrap_or(0),
        names: o.names,
        skiprows,
        on_bad_lines,
        parse_dates: o.parse_dates,
        dtype,
        na_values,
        numbers,
        text: TextFormat {
            encoding,
            compression,
        },
    };
    Ok(ReadOptions {
        csv,
        blocksize: o.blocksize.map(|b| b.max(0.0) as u64),
        usecols: o.usecols,
        nrows: o
            .nrows
            .map(|n| count("nrows", n))
            .transpose()?
            .map(|n| n as usize),
        sniff_sep: o.sniff_sep,
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
