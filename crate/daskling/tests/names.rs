//! Operation names are one table: each enum's `ALL` lists its variants, `name()` names
//! them, `parse` finds them by that name, and the wire format (serde) spells them the
//! same way — so the names the JS package calls, the wire carries and the kernels run
//! cannot drift apart (the JS side is checked against `ALL` by tests/api.test.mjs).
// Native only: these tests use threads, files, processes or proptest, which wasm32 lacks;
// the browser tests are crate/wasm/tests (wasm-pack test).
#![cfg(not(target_arch = "wasm32"))]

use daskling::kernels::array::{BinaryOp, ReduceOp, UnaryFn};
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::ops::SeriesReduce;

macro_rules! one_table {
    ($test:ident, $ty:ty) => {
        #[test]
        fn $test() {
            let mut seen = std::collections::HashSet::new();
            for op in <$ty>::ALL {
                assert!(seen.insert(op.name()), "{} named twice", op.name());
                assert_eq!(<$ty>::parse(op.name()), Some(op));
                assert_eq!(
                    serde_json::to_value(op).unwrap(),
                    op.name(),
                    "wire name of {op:?}"
                );
                let back: $ty = serde_json::from_value(op.name().into()).unwrap();
                assert_eq!(back, op);
            }
            assert_eq!(<$ty>::parse("no-such-operation"), None);
        }
    };
}

one_table!(unary_functions, UnaryFn);
one_table!(binary_operations, BinaryOp);
one_table!(array_reductions, ReduceOp);
one_table!(series_reductions, SeriesReduce);
one_table!(group_aggregations, GroupAgg);
