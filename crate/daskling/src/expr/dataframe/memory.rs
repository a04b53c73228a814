//! Frames from in-memory columns (`fromColumns`, `fromRecords`), as `dd.from_pandas`: the
//! data held by the expression under a content token, cut into `npartitions` even
//! pieces. Its serialized form names the token only; the data travels to the compute
//! worker once, as bytes (`kernels::dataframe::frame_bytes`), and the page's
//! [`Context`](crate::Context) says when no expression holds it any more (as for
//! `fromArray` data).

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::from_js::{column, infer};
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::array::stored::Guard;
use crate::expr::dask::script::{Line, Script};
use crate::expr::js_value::JsVal;
use crate::graph::{tokenize, Graph, Task};
use crate::kernels::dataframe::frame_bytes;
use crate::kernels::dataframe::{Column, Dtype, Frame};
use crate::kernels::{Kernel, Value};

/// Most values `toDask` writes into a script (a `from_pandas` of literal columns).
pub const EXPORT_LIMIT: usize = 100_000;

/// A frame's data and its content token.
#[derive(Clone, Debug)]
pub struct FrameData {
    id: String,
    frame: Option<Arc<Frame>>,
    _guard: Option<Arc<Guard>>,
}

impl FrameData {
    /// `frame` with its content token.
    pub fn new(frame: Arc<Frame>) -> FrameData {
        let bytes = frame_bytes::encode(&frame);
        FrameData {
            id: format!("frame-{}", tokenize(&bytes)),
            frame: Some(frame),
            _guard: None,
        }
    }

    /// `frame` known by its token `id` (as the compute worker receives it).
    pub fn with_id(id: String, frame: Arc<Frame>) -> FrameData {
        FrameData {
            id,
            frame: Some(frame),
            _guard: None,
        }
    }

    pub(crate) fn guarded(mut self, guard: Arc<Guard>) -> FrameData {
        self._guard = Some(guard);
        self
    }

    /// The content token.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The frame, or an error when this is a decoded token not yet resolved.
    pub fn frame(&self) -> Result<&Arc<Frame>> {
        self.frame.as_ref().ok_or_else(|| {
            Error::invalid(format!(
                "frame data {} is not available here (it was not sent to this kernel)",
                self.id
            ))
        })
    }

    /// Whether the frame is here.
    pub fn is_resolved(&self) -> bool {
        self.frame.is_some()
    }
}

impl Serialize for FrameData {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.id)
    }
}

impl<'de> Deserialize<'de> for FrameData {
    /// The token only; a [`Context`](crate::Context) resolves it.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<FrameData, D::Error> {
        Ok(FrameData {
            id: String::deserialize(d)?,
            frame: None,
            _guard: None,
        })
    }
}

/// The rows of partition `p` of `n` rows in `parts` pieces (`dd.from_pandas`' sizes:
/// pieces of `ceil(n / parts)` rows).
fn piece(n: usize, parts: usize, p: usize) -> std::ops::Range<usize> {
    let size = n.div_ceil(parts.max(1)).max(1);
    (p * size).min(n)..((p + 1) * size).min(n)
}

/// The frame's columns, in `npartitions` partitions.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::FromFrame { data, npartitions } = op else {
        return Err(not_mine("memory"));
    };
    let f = data.frame()?;
    if *npartitions == 0 {
        return Err(Error::invalid(
            "fromColumns: npartitions must be at least 1",
        ));
    }
    Ok(Meta {
        prefix: "from_columns",
        kind: Kind::Frame,
        names: f.names.to_vec(),
        dtypes: f.dtypes(),
        npartitions: *npartitions,
        rows: None,
    })
}

/// One literal partition each.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::FromFrame { data, npartitions } = d.op() else {
        return Err(not_mine("memory"));
    };
    let f = data.frame()?;
    for p in 0..*npartitions {
        let rows: Vec<usize> = piece(f.len(), *npartitions, p).collect();
        let part = Value::Frame(Arc::new(f.take(&rows)));
        g.insert(d.part_key(p), Task::new(Kernel::Literal(part), vec![]));
    }
    Ok(())
}

/// `dd.from_pandas` of the columns written out (up to [`EXPORT_LIMIT`] values).
pub(super) fn dask(d: &Df, _s: &mut Script) -> Result<Line> {
    let DfOp::FromFrame { data, npartitions } = d.op() else {
        return Err(not_mine("memory"));
    };
    let f = data.frame()?;
    let values = f.len() * f.columns.len();
    if values > EXPORT_LIMIT {
        return Err(Error::invalid(format!(
            "toDask: fromColumns data of {values} values is too large to embed in a script (at most {EXPORT_LIMIT}): write it to a file the cluster reads"
        )));
    }
    let py = |x: f64| {
        if x.is_nan() {
            "float(\"nan\")".to_string()
        } else if x.is_infinite() {
            format!("float(\"{}inf\")", if x < 0.0 { "-" } else { "" })
        } else {
            format!("{x:?}")
        }
    };
    let cols: Vec<String> = f
        .names
        .iter()
        .zip(&f.columns)
        .map(|(n, c)| {
            let list = |items: Vec<String>| format!("[{}]", items.join(", "));
            let v = match c {
                Column::Int64(v) => format!(
                    "pd.Series({}, dtype=\"int64\")",
                    list(v.iter().map(i64::to_string).collect())
                ),
                Column::Float64(v) => format!(
                    "pd.Series({}, dtype=\"float64\")",
                    list(v.iter().map(|&x| py(x)).collect())
                ),
                // Nullable "boolean": dask makes object columns text.
                Column::Bool(v) => format!(
                    "pd.Series({}, dtype=\"boolean\")",
                    list(
                        v.iter()
                            .map(|b| b.map_or("None".into(), |b| if b {
                                "True".into()
                            } else {
                                "False".into()
                            }))
                            .collect()
                    )
                ),
                Column::String(v) => format!(
                    "pd.Series({}, dtype=object)",
                    list(
                        v.iter()
                            .map(|s| s
                                .as_ref()
                                .map_or("None".into(), |s| crate::expr::dask::script::string(s)))
                            .collect()
                    )
                ),
                Column::Datetime(v) => format!(
                    "pd.to_datetime(pd.Series({}, dtype=\"float64\"), unit=\"ms\")",
                    list(
                        v.iter()
                            .map(|&x| if x == crate::kernels::dataframe::column::NAT {
                                py(f64::NAN)
                            } else {
                                x.to_string()
                            })
                            .collect()
                    )
                ),
            };
            format!("{}: {v}", crate::expr::dask::script::string(n))
        })
        .collect();
    Ok((
        "from_columns".into(),
        format!(
            "dd.from_pandas(pd.DataFrame({{{}}}), npartitions={npartitions}, sort=False)",
            cols.join(", ")
        ),
    ))
}

/// Columns decoded from JavaScript (`{name: values}`, the package's `clone.js` bytes)
/// as a frame: each column's dtype from `dtypes` or inferred as pandas infers a list's.
pub fn frame_of_js(columns: &JsVal, dtypes: &[(String, Dtype)]) -> Result<Frame> {
    let JsVal::Object(fields) = columns else {
        return Err(Error::invalid(format!(
            "fromColumns: expected {{name: values}}, got {}",
            columns.describe()
        )));
    };
    if let Some((n, _)) = dtypes
        .iter()
        .find(|(n, _)| !fields.iter().any(|(k, _)| k == n))
    {
        return Err(Error::invalid(format!(
            "fromColumns: dtypes names {n}, which is not a column"
        )));
    }
    let mut names = vec![];
    let mut out = vec![];
    for (name, v) in fields {
        let t = match dtypes.iter().find(|(n, _)| n == name) {
            Some((_, t)) => *t,
            None => {
                infer(v).map_err(|e| Error::invalid(format!("fromColumns: column {name} {e}")))?
            }
        };
        let c = column(v, t)
            .map_err(|e| Error::invalid(format!("fromColumns: {e} (column {name})")))?;
        if let Some(first) = out.first().map(Column::len) {
            if c.len() != first {
                return Err(Error::invalid(format!(
                    "fromColumns: column {name} has {} values, {} has {first}",
                    c.len(),
                    names[0]
                )));
            }
        }
        names.push(name.clone());
        out.push(c);
    }
    Ok(Frame {
        names: names.into(),
        columns: out,
        index: None,
    })
}

impl DataFrame {
    /// A frame of in-memory columns in `npartitions` even partitions (as
    /// `dd.from_pandas(df, npartitions, sort=False)`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::DataFrame;
    /// use daskling::kernels::dataframe::{Column, Frame};
    /// use daskling::Scheduler;
    /// let f = Frame { names: vec!["x".to_string()].into(), columns: vec![Column::Int64(vec![1, 2, 3])], index: None };
    /// let df = DataFrame::from_frame(Arc::new(f), 2).unwrap();
    /// assert_eq!(df.npartitions(), 2);
    /// let total = df.col("x").unwrap().sum().unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(total, 6.0);
    /// ```
    pub fn from_frame(frame: Arc<Frame>, npartitions: usize) -> Result<DataFrame> {
        from_frame_in(frame, npartitions, None)
    }
}

/// [`DataFrame::from_frame`], its data tracked in `live` when given.
pub(crate) fn from_frame_in(
    frame: Arc<Frame>,
    npartitions: usize,
    live: Option<&Arc<std::sync::Mutex<crate::expr::array::stored::Live>>>,
) -> Result<DataFrame> {
    let mut data = FrameData::new(frame);
    if let Some(live) = live {
        let guard = Arc::new(Guard::new(data.id(), live.clone()));
        data = data.guarded(guard);
    }
    Df::build(DfOp::FromFrame { data, npartitions }).map(DataFrame)
}
