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

use crate::expr::dataframe::{Kind, LogicalOp};
use crate::kernels::array::{BinaryOp, ReduceOp, UnaryFn};
use crate::kernels::dataframe::dt::{DtField, RoundMode};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::ops::SeriesReduce;
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

/// One family of generated methods: the rows of one name table on one JS class.
#[derive(Clone, Debug, Serialize)]
pub struct Family {
    /// The JS class whose generated base (`<class>Ops` in `ops.js`) holds the methods.
    pub class: &'static str,
    /// The name table the rows come from ([`NameTable::TABLE`]).
    pub table: &'static str,
    /// The rows: each one's name and documentation.
    pub rows: Vec<Row>,
    /// How each row appears.
    pub shape: Shape,
    /// The internal method each generated one calls with its name and arguments.
    pub call: &'static str,
    /// The parameters, as TypeScript (`"other: number | DArray"`); their names are
    /// passed on to `call`.
    pub params: &'static str,
    /// Parameters of single rows that differ from `params` (`not()` of the logical ops).
    pub overrides: Vec<(&'static str, &'static str)>,
    /// The TypeScript type each returns.
    pub returns: &'static str,
}

fn family<T: NameTable>(class: &'static str, shape: Shape, call: &'static str) -> Family {
    Family {
        class,
        table: T::TABLE,
        rows: rows::<T>(),
        shape,
        call,
        params: "",
        overrides: vec![],
        returns: class,
    }
}

impl Family {
    fn params(mut self, params: &'static str) -> Family {
        self.params = params;
        self
    }

    fn returns(mut self, returns: &'static str) -> Family {
        self.returns = returns;
        self
    }

    fn overriding(mut self, name: &'static str, params: &'static str) -> Family {
        self.overrides.push((name, params));
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
        family::<BinaryOp>("DArray", Method, "_binary").params("other: number | DArray"),
        family::<UnaryFn>("DArray", Method, "_unary"),
        family::<ReduceOp>("DArray", Method, "_reduce").params("options?: ReduceOptions"),
        family::<BinaryOp>("Series", Method, "_binary").params("other: number | Series"),
        family::<LogicalOp>("Series", Method, "_logical")
            .params("other: Series")
            .overriding("not", ""),
        family::<SeriesReduce>("Series", Method, "_reduce")
            .params("options?: { ddof?: number }")
            .returns("Scalar"),
        family::<DtField>("DatetimeAccessor", Getter, "_field").returns("Series"),
        family::<RoundMode>("DatetimeAccessor", Method, "_round")
            .params("freq: string")
            .returns("Series"),
        family::<GroupAgg>("SeriesGroupBy", Method, "_agg").returns("Series"),
    ]
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
        named_rows::<SeriesReduce>(),
        named_rows::<LogicalOp>(),
        named_rows::<GroupAgg>(),
        named_rows::<DtField>(),
        named_rows::<RoundMode>(),
        named_rows::<Dtype>(),
        named_rows::<Kind>(),
    ]
    .into_iter()
    .map(|(name, rows)| (name.to_string(), json!(rows)))
    .collect();
    json!({ "tables": tables, "families": families() })
}
