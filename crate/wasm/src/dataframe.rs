//! Dataframe bindings: lazy frames/series/scalars for the page's builder instance, and
//! results as Tables and Columns (the sources they read: `sources`; `readCsv`:
//! `read_csv`).

use wasm_bindgen::prelude::*;

use super::{from_js, js_err, named};
use daskling::expr::dataframe::{
    DataFrame, Df, DropHow, GroupBy, Kind, LogicalOp, Replacement, Scalar, Series,
};
use daskling::kernels::array::{BinaryOp, UnaryFn};
use daskling::kernels::dataframe::dt::{DtField, RoundMode};
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::map::{Arg, ColumnMap, Literal, MapFn};
use daskling::kernels::dataframe::ops::SeriesReduce;
use daskling::kernels::dataframe::rows::Keep;
use daskling::kernels::dataframe::scan::{CumAgg, LagFn, RollAgg, ScanOp};
use daskling::kernels::dataframe::strings::{StrArg, StrFn, StrMap};

/// A lazy dataframe, series or scalar.
#[wasm_bindgen]
pub struct LazyDf(pub(super) Df);

fn wrap(r: daskling::Result<Df>) -> Result<LazyDf, JsError> {
    r.map(LazyDf).map_err(js_err)
}

#[wasm_bindgen]
impl LazyDf {
    /// `"frame"`, `"series"` or `"scalar"`.
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.0.kind().name().into()
    }

    /// Column names (one for a series).
    #[wasm_bindgen(getter)]
    pub fn columns(&self) -> Vec<String> {
        self.0.names().to_vec()
    }

    /// Column dtypes, in `columns` order.
    #[wasm_bindgen(getter, js_name = dtypeList)]
    pub fn dtype_list(&self) -> Vec<String> {
        self.0
            .dtypes()
            .iter()
            .map(|d| d.name().to_string())
            .collect()
    }

    /// Number of partitions.
    #[wasm_bindgen(getter)]
    pub fn npartitions(&self) -> usize {
        self.0.npartitions()
    }

    /// The expression's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.name().to_string()
    }

    /// One column.
    pub fn col(&self, name: &str) -> Result<LazyDf, JsError> {
        wrap(DataFrame(self.0.clone()).col(name).map(|s| s.0))
    }

    /// Some columns.
    pub fn select(&self, names: Vec<String>) -> Result<LazyDf, JsError> {
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        wrap(DataFrame(self.0.clone()).select(&refs).map(|d| d.0))
    }

    /// Rows where `mask` is true.
    pub fn filter(&self, mask: &LazyDf) -> Result<LazyDf, JsError> {
        wrap(
            DataFrame(self.0.clone())
                .filter(&Series(mask.0.clone()))
                .map(|d| d.0),
        )
    }

    /// One column added or replaced.
    pub fn assign(&self, name: &str, value: &LazyDf) -> Result<LazyDf, JsError> {
        wrap(
            DataFrame(self.0.clone())
                .assign(&[(name, &Series(value.0.clone()))])
                .map(|d| d.0),
        )
    }

    /// `this op other` for two series or two scalars.
    pub fn binary(&self, name: &str, other: &LazyDf) -> Result<LazyDf, JsError> {
        let o: BinaryOp = named(name)?;
        if self.0.kind() == Kind::Scalar {
            return wrap(
                Scalar(self.0.clone())
                    .binary(o, &Scalar(other.0.clone()))
                    .map(|s| s.0),
            );
        }
        wrap(
            Series(self.0.clone())
                .binary(o, &Series(other.0.clone()))
                .map(|s| s.0),
        )
    }

    /// `this op value` (or `value op this`).
    #[wasm_bindgen(js_name = scalarOp)]
    pub fn scalar_op(&self, name: &str, value: f64, reflected: bool) -> Result<LazyDf, JsError> {
        let o: BinaryOp = named(name)?;
        if self.0.kind() == Kind::Scalar {
            return wrap(
                Scalar(self.0.clone())
                    .scalar_op(o, value, reflected)
                    .map(|s| s.0),
            );
        }
        wrap(
            Series(self.0.clone())
                .scalar_op(o, value, reflected)
                .map(|s| s.0),
        )
    }

    /// A function of each value (`abs`, `sqrt`, …).
    pub fn map(&self, name: &str) -> Result<LazyDf, JsError> {
        let f: UnaryFn = named(name)?;
        wrap(Series(self.0.clone()).map(f).map(|s| s.0))
    }

    /// A function of each value with parameters (`fillna`, `round`, `astype`, …) of a
    /// series or of every column of a frame; `args` its positional arguments.
    #[wasm_bindgen(js_name = mapEach)]
    pub fn map_each(&self, name: &str, args: JsValue) -> Result<LazyDf, JsError> {
        let f: MapFn = named(name)?;
        let args: Vec<Arg> = from_js(args, "arguments")?;
        let f = ColumnMap::from_args(f, &args).map_err(js_err)?;
        match self.0.kind() {
            Kind::Frame => wrap(DataFrame(self.0.clone()).map_each(f).map(|d| d.0)),
            _ => wrap(Series(self.0.clone()).map_each(f).map(|d| d.0)),
        }
    }

    /// `where(cond, value)` (`keepWhen` true) or `mask(cond, value)` of a series, `value`
    /// a number, text, a bool or null (missing).
    #[wasm_bindgen(js_name = whereValue)]
    pub fn where_value(
        &self,
        cond: &LazyDf,
        value: JsValue,
        keep_when: bool,
    ) -> Result<LazyDf, JsError> {
        let what = if keep_when { "where" } else { "mask" };
        let l: Literal = from_js(value, &format!("{what}: other"))?;
        self.where_(cond, Replacement::Value(l), keep_when)
    }

    /// `where(cond, other)` or `mask(cond, other)` with a replacement series.
    #[wasm_bindgen(js_name = whereSeries)]
    pub fn where_series(
        &self,
        cond: &LazyDf,
        other: &LazyDf,
        keep_when: bool,
    ) -> Result<LazyDf, JsError> {
        let other = Replacement::Series(Series(other.0.clone()));
        self.where_(cond, other, keep_when)
    }

    fn where_(&self, cond: &LazyDf, other: Replacement, keep: bool) -> Result<LazyDf, JsError> {
        let s = Series(self.0.clone()).where_(&Series(cond.0.clone()), other, keep);
        wrap(s.map(|s| s.0))
    }

    /// The rows (of a frame) or values (of a series) without missing values:
    /// `subset` the columns looked at (all when null), `how` `'any'` or `'all'`.
    pub fn dropna(
        &self,
        subset: Option<Vec<String>>,
        how: Option<String>,
    ) -> Result<LazyDf, JsError> {
        let how = match how.as_deref() {
            None | Some("any") => DropHow::Any,
            Some("all") => DropHow::All,
            Some(h) => {
                return Err(JsError::new(&format!(
                    "dropna: how must be 'any' or 'all', got {h:?}"
                )))
            }
        };
        if self.0.kind() == Kind::Series {
            return wrap(Series(self.0.clone()).dropna().map(|d| d.0));
        }
        let refs: Option<Vec<&str>> = subset
            .as_ref()
            .map(|v| v.iter().map(String::as_str).collect());
        wrap(
            DataFrame(self.0.clone())
                .dropna(refs.as_deref(), how)
                .map(|d| d.0),
        )
    }

    /// The `n` rows with the largest (`largest`) or smallest values: of a series, or of
    /// a frame by `columns` (compared in order).
    pub fn top(
        &self,
        n: f64,
        columns: Option<Vec<String>>,
        largest: bool,
    ) -> Result<LazyDf, JsError> {
        let n = count(n, if largest { "nlargest" } else { "nsmallest" })?;
        if self.0.kind() == Kind::Frame {
            let cols = columns.unwrap_or_default();
            let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
            return wrap(
                DataFrame(self.0.clone())
                    .top(n, &refs, largest)
                    .map(|d| d.0),
            );
        }
        wrap(Series(self.0.clone()).top(n, largest).map(|d| d.0))
    }

    /// Sorted globally: a series by its values, a frame by `columns`, each `ascending`
    /// (one value: every column).
    #[wasm_bindgen(js_name = sortValues)]
    pub fn sort_values(
        &self,
        columns: Option<Vec<String>>,
        ascending: Vec<u8>,
    ) -> Result<LazyDf, JsError> {
        let asc: Vec<bool> = ascending.iter().map(|&a| a != 0).collect();
        if self.0.kind() == Kind::Frame {
            let cols = columns.unwrap_or_default();
            let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
            return wrap(
                DataFrame(self.0.clone())
                    .sort_values(&refs, &asc)
                    .map(|d| d.0),
            );
        }
        let asc = asc.first().copied().unwrap_or(true);
        wrap(Series(self.0.clone()).sort_values(asc).map(|d| d.0))
    }

    /// The last `n` rows (values).
    pub fn tail(&self, n: f64) -> Result<LazyDf, JsError> {
        let n = count(n, "tail")?;
        if self.0.kind() == Kind::Frame {
            return wrap(DataFrame(self.0.clone()).tail(n).map(|d| d.0));
        }
        wrap(Series(self.0.clone()).tail(n).map(|d| d.0))
    }

    /// The same rows in `npartitions` partitions, in order.
    pub fn repartition(&self, npartitions: f64) -> Result<LazyDf, JsError> {
        let n = count(npartitions, "repartition: npartitions")?;
        match self.0.kind() {
            Kind::Frame => wrap(DataFrame(self.0.clone()).repartition(n).map(|d| d.0)),
            _ => wrap(Series(self.0.clone()).repartition(n).map(|d| d.0)),
        }
    }

    /// How many rows each group of this frame grouped by `by` has.
    #[wasm_bindgen(js_name = groupSize)]
    pub fn group_size(&self, by: &LazyDf) -> Result<LazyDf, JsError> {
        wrap(
            DataFrame(self.0.clone())
                .grouped(by)
                .and_then(|g| g.sizes()),
        )
    }

    /// This frame (or series) with `other`'s partitions after its own (`concat`; nested
    /// concats flatten).
    #[wasm_bindgen(js_name = concatWith)]
    pub fn concat_with(&self, other: &LazyDf) -> Result<LazyDf, JsError> {
        let parts = [DataFrame(self.0.clone()), DataFrame(other.0.clone())];
        wrap(DataFrame::concat(&parts).map(|d| d.0))
    }

    /// The distinct values of a series, in order of first occurrence.
    pub fn unique(&self) -> Result<LazyDf, JsError> {
        if self.0.kind() != Kind::Series {
            return Err(JsError::new(
                "unique is a Series method (a DataFrame's distinct rows: dropDuplicates)",
            ));
        }
        wrap(Series(self.0.clone()).unique().map(|d| d.0))
    }

    /// The rows (values) without duplicates: `subset` the columns compared (all when
    /// null), `keep` `'first'` (default), `'last'` or `false`.
    #[wasm_bindgen(js_name = dropDuplicates)]
    pub fn drop_duplicates(
        &self,
        subset: Option<Vec<String>>,
        keep: JsValue,
    ) -> Result<LazyDf, JsError> {
        let keep = if keep.is_undefined() || keep.is_null() {
            Keep::First
        } else if keep == JsValue::FALSE {
            Keep::None
        } else {
            match keep.as_string().as_deref() {
                Some("first") => Keep::First,
                Some("last") => Keep::Last,
                _ => {
                    return Err(JsError::new(
                        "dropDuplicates: keep must be 'first', 'last' or false",
                    ))
                }
            }
        };
        if self.0.kind() == Kind::Series {
            return wrap(Series(self.0.clone()).drop_duplicates(keep).map(|d| d.0));
        }
        let refs: Option<Vec<&str>> = subset
            .as_ref()
            .map(|v| v.iter().map(String::as_str).collect());
        wrap(
            DataFrame(self.0.clone())
                .drop_duplicates(refs.as_deref(), keep)
                .map(|d| d.0),
        )
    }

    /// `and`, `or` (with `other`), `not`.
    pub fn logical(&self, name: &str, other: Option<LazyDf>) -> Result<LazyDf, JsError> {
        let o: LogicalOp = named(name)?;
        let other = other.map(|d| Series(d.0));
        wrap(
            Series(self.0.clone())
                .logical(o, other.as_ref())
                .map(|s| s.0),
        )
    }

    /// A datetime field (`year`, `month`, `day`, `hour`, `minute`, `dayofweek`).
    #[wasm_bindgen(js_name = dtField)]
    pub fn dt_field(&self, field: &str) -> Result<LazyDf, JsError> {
        let f: DtField = named(field)?;
        wrap(Series(self.0.clone()).dt_field(f).map(|s| s.0))
    }

    /// `dt.round/floor/ceil(freq)`.
    #[wasm_bindgen(js_name = dtRound)]
    pub fn dt_round(&self, mode: &str, freq: &str) -> Result<LazyDf, JsError> {
        let m: RoundMode = named(mode)?;
        wrap(Series(self.0.clone()).dt_round(freq, m).map(|s| s.0))
    }

    /// A `.str` function (`contains`, `replace`, …); `args` its positional arguments.
    #[wasm_bindgen(js_name = strMap)]
    pub fn str_map(&self, name: &str, args: JsValue) -> Result<LazyDf, JsError> {
        let f: StrFn = named(name)?;
        let args: Vec<StrArg> = from_js(args, "arguments")?;
        let f = StrMap::from_args(f, &args).map_err(js_err)?;
        wrap(Series(self.0.clone()).str_map(f).map(|s| s.0))
    }

    /// A lag (`shift`, `diff`, `pctChange`) of `n` rows (default 1).
    pub fn lag(&self, name: &str, n: Option<f64>) -> Result<LazyDf, JsError> {
        let f: LagFn = named(name)?;
        let n = n.unwrap_or(1.0);
        if n.fract() != 0.0 || n.abs() > 1e15 {
            return Err(JsError::new(&format!(
                "{name}: n must be a whole number of rows, got {n}"
            )));
        }
        self.scan(ScanOp::Lag { f, n: n as i64 })
    }

    /// `op` along the rows: of a series, or of every column of a frame.
    fn scan(&self, op: ScanOp) -> Result<LazyDf, JsError> {
        match self.0.kind() {
            Kind::Frame => wrap(DataFrame(self.0.clone()).scan(op).map(|d| d.0)),
            _ => wrap(Series(self.0.clone()).scan(op).map(|s| s.0)),
        }
    }

    /// A running aggregation (`cumsum`, …).
    pub fn cum(&self, name: &str) -> Result<LazyDf, JsError> {
        let agg: CumAgg = named(name)?;
        self.scan(ScanOp::Cum { agg })
    }

    /// `agg` over rolling windows of `window` rows, at least `min_periods` values each
    /// (default `window`).
    pub fn rolling(
        &self,
        window: f64,
        min_periods: Option<f64>,
        agg: &str,
    ) -> Result<LazyDf, JsError> {
        let agg: RollAgg = named(agg)?;
        let window = count(window, "rolling")?;
        let min_periods = match min_periods {
            None => window,
            Some(m) => count(m, "rolling: minPeriods")?,
        };
        let op = ScanOp::Rolling {
            window,
            min_periods,
            agg,
        };
        wrap(Series(self.0.clone()).scan(op).map(|s| s.0))
    }

    /// `dt.strftime(format)`.
    #[wasm_bindgen(js_name = dtFormat)]
    pub fn dt_format(&self, format: &str) -> Result<LazyDf, JsError> {
        wrap(Series(self.0.clone()).dt_format(format).map(|s| s.0))
    }

    /// A series reduction (`ddof` for std and var; pandas' default 1); of a frame, a
    /// series indexed by column name.
    pub fn reduce(&self, name: &str, ddof: Option<f64>) -> Result<LazyDf, JsError> {
        let r: SeriesReduce = named(name)?;
        if self.0.kind() == Kind::Frame {
            return wrap(
                DataFrame(self.0.clone())
                    .reduce(r, ddof.unwrap_or(1.0))
                    .map(|s| s.0),
            );
        }
        wrap(
            Series(self.0.clone())
                .reduce(r, ddof.unwrap_or(1.0))
                .map(|s| s.0),
        )
    }

    /// Number of rows.
    pub fn len(&self) -> Result<LazyDf, JsError> {
        wrap(DataFrame(self.0.clone()).len().map(|s| s.0))
    }

    /// `agg` of column `column` of this frame, grouped by the series `by`.
    #[wasm_bindgen(js_name = groupAggColumn)]
    pub fn group_agg_column(
        &self,
        by: &LazyDf,
        column: &str,
        agg: &str,
    ) -> Result<LazyDf, JsError> {
        let a: GroupAgg = named(agg)?;
        wrap(
            DataFrame(self.0.clone())
                .grouped(by)
                .and_then(|g| g.col(column))
                .and_then(|g| g.aggregate(a)),
        )
    }

    /// Several aggregations of this frame grouped by the series `by`: `spec` is
    /// `{column: agg | [agg, …]}` (see `GroupBy::agg` for the result's column names).
    #[wasm_bindgen(js_name = groupAgg)]
    pub fn group_agg(&self, by: &LazyDf, spec: JsValue) -> Result<LazyDf, JsError> {
        let spec = agg_spec(spec)?;
        let typed: Vec<(&str, Vec<GroupAgg>)> =
            spec.iter().map(|(c, a)| (c.as_str(), a.clone())).collect();
        wrap(
            DataFrame(self.0.clone())
                .grouped(by)
                .and_then(|g| g.agg(&typed))
                .map(|d| d.0),
        )
    }

    /// count, mean, std, min, quartiles and max of the numeric columns.
    pub fn describe(&self) -> Result<LazyDf, JsError> {
        wrap(DataFrame(self.0.clone()).describe().map(|d| d.0))
    }

    /// How often each value occurs.
    #[wasm_bindgen(js_name = valueCounts)]
    pub fn value_counts(&self) -> Result<LazyDf, JsError> {
        wrap(Series(self.0.clone()).value_counts().map(|s| s.0))
    }
}

/// An `agg` spec, `{column: agg | [agg, …]}`, as columns and their aggregations.
pub(super) fn agg_spec(spec: JsValue) -> Result<Vec<(String, Vec<GroupAgg>)>, JsError> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Aggs {
        One(String),
        Many(Vec<String>),
    }
    if !spec.is_object() {
        return Err(JsError::new(
            "agg: expected {column: aggregation | [aggregations]}",
        ));
    }
    let spec: Vec<(String, Aggs)> = js_sys::Object::entries(spec.unchecked_ref())
        .iter()
        .map(|e| from_js(e, "agg spec {column: aggregation | [aggregations]}"))
        .collect::<Result<_, _>>()?;
    spec.into_iter()
        .map(|(col, aggs)| {
            let names = match aggs {
                Aggs::One(a) => vec![a],
                Aggs::Many(v) => v,
            };
            let list = names
                .iter()
                .map(|a| named::<GroupAgg>(a))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((col, list))
        })
        .collect()
}

/// A frame's groups by `by`: a key series, or a frame of several key columns.
pub(super) trait Grouped {
    fn grouped(&self, by: &LazyDf) -> daskling::Result<GroupBy>;
}

impl Grouped for DataFrame {
    fn grouped(&self, by: &LazyDf) -> daskling::Result<GroupBy> {
        match by.0.kind() {
            Kind::Frame => self.groupby_frame(&DataFrame(by.0.clone())),
            _ => self.groupby(&Series(by.0.clone())),
        }
    }
}

/// `n` as a row count, or an error naming `what`.
fn count(n: f64, what: &str) -> Result<usize, JsError> {
    if n >= 0.0 && n.fract() == 0.0 && n <= 1e15 {
        Ok(n as usize)
    } else {
        Err(JsError::new(&format!(
            "{what}: n must be a whole number of rows, got {n}"
        )))
    }
}
