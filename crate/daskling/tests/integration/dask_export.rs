//! toDask: the exported scripts' text for the workshop's expressions, and the errors of
//! what cannot be exported. (Running them on a dask cluster is tests/dask.test.mjs.)

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use daskling::expr::dask::{to_dask, DaskOptions};
use daskling::expr::Expr;
use daskling::{Array, ChunkSpec};

#[test]
fn array_expressions_become_one_line_each() {
    let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
    let y = x
        .dot(&x.t().add_scalar(1.0).unwrap())
        .unwrap()
        .sub(&x.mean(None).unwrap())
        .unwrap();
    let py = to_dask(
        &[Expr::Array(x.sum(None).unwrap()), Expr::Array(y)],
        &DaskOptions::default(),
    )
    .unwrap();
    println!("{py}");
    assert!(
        py.contains("ones_0 = da.ones((15, 15), chunks=((5, 5, 5), (5, 5, 5)))"),
        "{py}"
    );
}
