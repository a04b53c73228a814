//! The registry of method families: which name table gives which methods of which JS
//! class, with what parameters and result. It is the one source of the generated
//! JavaScript methods (`crate/wasm/js/ops.js`), their declarations in `index.d.ts` and
//! the operation reference of `docs/API.md` (`node crate/wasm/js/gen.mjs` writes them;
//! `tests/api.test.mjs` fails when the committed files differ from what this gives).
//!
//! A row added to a table (a ufunc in `kernels::array::elementwise`, an aggregation in
//! `kernels::dataframe::groupby`, …) is a new method everywhere; a new family of
//! methods is one more [`Family`] here.
//!
//! ```
//! let t = daskling::operations::table();
//! let darray = &t["families"].as_array().unwrap()[0];
//! assert_eq!(darray["class"], "DArray");
//! assert!(t["tables"]["UnaryFn"].as_array().unwrap().iter().any(|r| r["name"] == "sqrt"));
//! ```

use serde::Serialize;
use serde_json::{json, Value};

use crate::expr::dataframe::{How, Kind, LogicalOp};
use crate::kernels::array::{ArgOp, BinaryOp, ReduceOp, ScanOp, UnaryFn};
use crate::kernels::dataframe::dt::{DtField, RoundMode};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::map::MapFn;
use crate::kernels::dataframe::ops::SeriesReduce;
use crate::kernels::dataframe::scan::{CumAgg, LagFn, RollAgg};
use crate::kernels::dataframe::strings::StrFn;
use crate::kernels::dataframe::Dtype;
use crate::kernels::names::{rows, NameTable, Row};

/// How a family's rows appear in JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Shape {
    /// A method `name(params)` calling `this.<call>('name', …params)`.
    Method,
    /// A getter `get name()` calling `this.<call>('name')`.
    Getter,
}

/// One generated method: a row of a name table on one class.
#[derive(Clone, Debug, Serialize)]
pub struct Method {
    /// The method's name (the row's API name).
    pub name: &'static str,
    /// Its documentation (the row's).
    pub doc: &'static str,
    /// Its parameters, as TypeScript (`"other: number | DArray"`); their names are
    /// passed on to the family's `call`.
    pub params: &'static str,
}

/// One family of generated methods: the rows of one name table on one JS class.
#[derive(Clone, Debug, Serialize)]
pub struct Family {
    /// The JS class whose generated base (`<class>Ops` in `ops.js`) holds the methods.
    pub class: &'static str,
    /// The name table the rows come from ([`NameTable::TABLE`]).
    pub table: &'static str,
    /// How each row appears.
    pub shape: Shape,
    /// The internal method each generated one calls with its name and arguments.
    pub call: &'static str,
    /// The TypeScript type each returns.
    pub returns: &'static str,
    /// What the family's methods share, appended to each one's documentation.
    pub note: &'static str,
    /// The methods, one per row.
    pub methods: Vec<Method>,
}

/// The family of table `T` on `class`: `params` gives each row's parameters.
fn family<T: NameTable>(
    class: &'static str,
    shape: Shape,
    call: &'static str,
    params: impl Fn(T) -> &'static str,
) -> Family {
    family_of(class, shape, call, T::ALL, params)
}

/// The family of some `rows` of table `T` on `class`.
fn family_of<T: NameTable>(
    class: &'static str,
    shape: Shape,
    call: &'static str,
    rows: &[T],
    params: impl Fn(T) -> &'static str,
) -> Family {
    Family {
        class,
        table: T::TABLE,
        shape,
        call,
        returns: class,
        note: "",
        methods: rows
            .iter()
            .map(|&row| Method {
                name: row.name(),
                doc: row.doc(),
                params: params(row),
            })
            .collect(),
    }
}

impl Family {
    fn returns(mut self, returns: &'static str) -> Family {
        self.returns = returns;
        self
    }

    fn note(mut self, note: &'static str) -> Family {
        self.note = note;
        self
    }
}

/// Every family of generated methods, in the order the reference lists them.
///
/// ```
/// let f = daskling::operations::families();
/// assert!(f.iter().any(|f| f.class == "SeriesGroupBy" && f.table == "GroupAgg"));
/// ```
pub fn families() -> Vec<Family> {
    use Shape::{Getter, Method};
    vec![
        family("DArray", Method, "_binary", |_: BinaryOp| {
            "other: number | DArray"
        })
        .note("Elementwise, with numpy's broadcasting."),
        family("DArray", Method, "_unary", |_: UnaryFn| ""),
        family("DArray", Method, "_reduce", |_: ReduceOp| {
            "options?: ReduceOptions"
        })
        .note(
            "Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in.",
        ),
        family("DArray", Method, "_arg", |_: ArgOp| "options?: { axis?: number }")
            .note("Indices as float64 (exact to 2^53)."),
        family("DArray", Method, "_scan", |_: ScanOp| "options?: { axis?: number }").note(
            "Along `options.axis` (needed for more than one dimension): each block accumulated, \
             then the totals of the blocks before it carried in, as dask's.",
        ),
        family_of("Series", Method, "_binary", BinaryOp::OPERATORS, |_| {
            "other: number | Series"
        })
        .note("Row by row."),
        family_of("Series", Method, "_unary", UnaryFn::SERIES, |_| "")
            .note("Of each value; `neg` and `abs` keep int64, the others give float64."),
        family("Series", Method, "_lag", |_: LagFn| "n?: number")
            .note("Across partitions, exact (each partition gets the rows its neighbour ends with)."),
        family("Series", Method, "_cum", |_: CumAgg| "")
            .note("Across partitions (a running value carried from one to the next); missing values skipped and kept missing."),
        family("Series", Method, "_logical", |op: LogicalOp| {
            if op == LogicalOp::Not {
                ""
            } else {
                "other: Series"
            }
        }),
        family("Series", Method, "_reduce", |r: SeriesReduce| {
            if r.takes_ddof() {
                "options?: { ddof?: number }"
            } else {
                ""
            }
        })
        .returns("Scalar")
        .note("Missing values skipped."),
        family("Series", Method, "_map", |f: MapFn| map_params(f, false)).note(
            "Of each value; missing values are NaN (floats), NaT (datetimes) or null.",
        ),
        family("DataFrame", Method, "_reduce", |r: SeriesReduce| {
            if r.takes_ddof() {
                "options?: { ddof?: number }"
            } else {
                ""
            }
        })
        .returns("Series")
        .note("Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped."),
        family("DataFrame", Method, "_lag", |_: LagFn| "n?: number")
            .returns("DataFrame")
            .note("Of every column, across partitions, exact (as the Series method)."),
        family("DataFrame", Method, "_cum", |_: CumAgg| "")
            .returns("DataFrame")
            .note("Of every column, across partitions (as the Series method); a column it does not apply to is an error naming it."),
        family("DataFrame", Method, "_map", |f: MapFn| map_params(f, true))
            .returns("DataFrame")
            .note("Of every column (`round`: of the numeric ones); a `{column: …}` object for some columns."),
        family_of("Scalar", Method, "_binary", BinaryOp::OPERATORS, |_| {
            "other: number | Scalar"
        }),
        family("DatetimeAccessor", Getter, "_field", |_: DtField| "").returns("Series"),
        family("DatetimeAccessor", Method, "_round", |_: RoundMode| {
            "freq: string"
        })
        .returns("Series")
        .note("`freq` as pandas: `'1d'`, `'h'`, `'15min'`, `'30s'`."),
        family("StringAccessor", Method, "_str", |f: StrFn| match f {
            StrFn::Contains => "pat: string, options?: { regex?: boolean; case?: boolean }",
            StrFn::Startswith | StrFn::Endswith => "pat: string",
            StrFn::Replace => {
                "pat: string, repl: string, options?: { regex?: boolean; case?: boolean }"
            }
            StrFn::Slice => "start?: number | null, stop?: number | null",
            StrFn::SplitGet => "sep: string | null, i: number",
            _ => "",
        })
        .returns("Series")
        .note("Of each value of a string series; missing stays missing."),
        family("Rolling", Method, "_agg", |_: RollAgg| "")
            .returns("Series")
            .note("Over windows of `window` rows ending at each row, across partition edges; missing where a window has fewer than `minPeriods` values (default `window`)."),
        family("SeriesGroupBy", Method, "_agg", |_: GroupAgg| "")
            .returns("Series")
            .note("A Series indexed by the sorted group keys."),
    ]
}

/// The parameters of a [`MapFn`] method; a frame's `fillna` and `astype` also take
/// `{column: …}`.
fn map_params(f: MapFn, frame: bool) -> &'static str {
    match (f, frame) {
        (MapFn::IsNa | MapFn::NotNa, _) => "",
        (MapFn::FillNa, false) => "value: Literal",
        (MapFn::FillNa, true) => "value: Literal | Record<string, Literal>",
        (MapFn::Round, _) => "decimals?: number",
        (MapFn::Clip, _) => "lower?: number | null, upper?: number | null",
        (MapFn::IsIn, _) => "values: Literal[]",
        (MapFn::Astype, false) => "dtype: Dtype",
        (MapFn::Astype, true) => "dtype: Dtype | Record<string, Dtype>",
    }
}

fn named_rows<T: NameTable>() -> (&'static str, Vec<Row>) {
    (T::TABLE, rows::<T>())
}

/// Every name table (with the aliases `parse` also accepts left out) and every family,
/// as `{tables: {UnaryFn: [{name, doc}], …}, families: [...]}`: what wasm's
/// `operations()` returns and the generator reads.
pub fn table() -> Value {
    let tables: serde_json::Map<String, Value> = [
        named_rows::<UnaryFn>(),
        named_rows::<BinaryOp>(),
        named_rows::<ReduceOp>(),
        named_rows::<ScanOp>(),
        named_rows::<ArgOp>(),
        named_rows::<SeriesReduce>(),
        named_rows::<LogicalOp>(),
        named_rows::<MapFn>(),
        named_rows::<StrFn>(),
        named_rows::<LagFn>(),
        named_rows::<CumAgg>(),
        named_rows::<RollAgg>(),
        named_rows::<GroupAgg>(),
        named_rows::<DtField>(),
        named_rows::<RoundMode>(),
        named_rows::<Dtype>(),
        named_rows::<Kind>(),
        named_rows::<How>(),
    ]
    .into_iter()
    .map(|(name, rows)| (name.to_string(), json!(rows)))
    .collect();
    json!({ "tables": tables, "families": families() })
}
