//! Names are one table per enum: each is declared with `name_table!`, which makes the
//! variants, `ALL`, `name()`, `parse` and the wire spelling (serde) from one list of
//! rows, and `daskling::operations::table()` exposes every table, so the names the JS
//! package calls, the wire carries and the kernels run cannot drift apart (the JS side
//! and the generated files are checked against that table by tests/api.test.mjs).
// Native only: reads the sources of the kernels crate; the browser tests are crate/wasm/tests.

use std::collections::HashSet;
use std::path::Path;

use daskling::expr::dataframe::{Kind, LogicalOp};
use daskling::kernels::array::{BinaryOp, ReduceOp, UnaryFn};
use daskling::kernels::dataframe::dt::{DtField, RoundMode};
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::ops::SeriesReduce;
use daskling::kernels::dataframe::Dtype;
use daskling::kernels::names::NameTable;

/// Every variant has one distinct name, `parse` finds it, serde spells it so both ways,
/// and `operations()` lists exactly these names in this order.
fn one_table<T: NameTable + serde::Serialize + serde::de::DeserializeOwned>() {
    let mut seen = HashSet::new();
    assert!(!T::ALL.is_empty(), "{} is empty", T::TABLE);
    for &v in T::ALL {
        assert!(
            seen.insert(v.name()),
            "{}: {} named twice",
            T::TABLE,
            v.name()
        );
        assert_eq!(T::parse(v.name()), Some(v));
        assert!(!v.doc().is_empty(), "{}::{v:?} has no doc", T::TABLE);
        assert_eq!(
            serde_json::to_value(v).unwrap(),
            v.name(),
            "wire name of {v:?}"
        );
        let back: T = serde_json::from_value(v.name().into()).unwrap();
        assert_eq!(back, v);
    }
    assert_eq!(T::parse("no-such-operation"), None);
    let listed: Vec<String> = daskling::operations::table()["tables"][T::TABLE]
        .as_array()
        .unwrap_or_else(|| panic!("operations() lacks the table {}", T::TABLE))
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    let names: Vec<&str> = T::ALL.iter().map(|v| v.name()).collect();
    assert_eq!(listed, names, "operations() of {}", T::TABLE);
}

#[test]
fn every_table_is_one_list_of_names() {
    one_table::<UnaryFn>();
    one_table::<BinaryOp>();
    one_table::<ReduceOp>();
    one_table::<SeriesReduce>();
    one_table::<LogicalOp>();
    one_table::<GroupAgg>();
    one_table::<DtField>();
    one_table::<RoundMode>();
    one_table::<Dtype>();
    one_table::<Kind>();
}

#[test]
fn aliases_parse_to_their_variant() {
    assert_eq!(DtField::parse("day_of_week"), Some(DtField::Dayofweek));
    assert_eq!(DtField::parse("weekday"), Some(DtField::Weekday));
    assert_eq!(Dtype::parse("object"), Some(Dtype::String));
    assert_eq!(Dtype::parse("datetime64[ns]"), Some(Dtype::Datetime));
    let d: Dtype = serde_json::from_value("float".into()).unwrap();
    assert_eq!(d, Dtype::Float64);
}

/// The `enum` names declared through `name_table!` (or the table macros built on it)
/// in the Rust files under `dir`.
fn declared_tables(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            declared_tables(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        for (i, _) in src.match_indices("name_table! {") {
            let rest = &src[i..];
            let at = rest
                .find("pub enum ")
                .expect("a name table declares a pub enum")
                + 9;
            let name: String = rest[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            if name != "Colour" && name != "E" {
                out.push(name);
            }
        }
    }
}

/// A name table declared anywhere in the kernels or the expressions but missing from
/// `operations()` would have no generated methods, types or reference: fail.
#[test]
fn operations_lists_every_declared_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut declared = vec![];
    declared_tables(&root.join("kernels/src"), &mut declared);
    declared_tables(&root.join("daskling/src"), &mut declared);
    assert!(declared.len() >= 10, "found {declared:?}");
    let table = daskling::operations::table();
    for name in &declared {
        assert!(
            table["tables"].get(name).is_some(),
            "the name table {name} is not in operations()"
        );
    }
}
