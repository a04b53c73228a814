//! `toDask`: the Python source of a script that builds the same computation with
//! `dask.array` and `dask.dataframe` and runs it on a `distributed` cluster.
//!
//! The expression DAG is walked once, inputs first (iteratively); every node becomes one
//! line assigning a Python variable, named after its operation (`ones_0`, `sum_3`), so
//! the script reads as a person would write it and shared parts are computed once. What
//! has no dask counterpart is an [`Error`] naming it. Each operation family writes its
//! own line (its `dask` function, beside its metadata and lowering, through the one
//! family dispatch); this module walks, and `script` holds the text and the Python
//! spellings they share.
//!
//! ```
//! use daskling::expr::dask::{to_dask, DaskOptions};
//! use daskling::expr::Expr;
//! use daskling::{Array, ChunkSpec};
//! let x = Array::ones(&[15, 15], ChunkSpec::Block(vec![5, 5])).unwrap();
//! let py = to_dask(&[Expr::Array(x.sum(None).unwrap())], &DaskOptions::default()).unwrap();
//! assert!(py.contains("ones_0 = da.ones((15, 15), chunks=((5, 5, 5), (5, 5, 5)))"));
//! assert!(py.contains("sum_1 = ones_0.sum()"));            // split_every 4 is dask's default too
//! assert!(py.contains("result = values[0]"));
//! ```

pub(crate) mod delayed;
pub(crate) mod script;

use script::Script;
pub use script::{ArgsJson, DaskOptions, Sources, MAX_EMBEDDED};

use super::walk::post_order;
use super::Expr;
use crate::error::{Error, Result};

/// The Python source of a script computing `exprs` on a dask cluster (see the module
/// docs): `result` holds the values, a tuple in order (the value itself for one).
pub fn to_dask(exprs: &[Expr], options: &DaskOptions) -> Result<String> {
    if exprs.is_empty() {
        return Err(Error::invalid("toDask: give at least one lazy value"));
    }
    let mut s = Script::new(options);
    // Every node once, inputs first (a node is done once it has a variable).
    let done = |s: &Script, e: &Expr| s.has(e.name());
    post_order(
        &mut s,
        exprs.iter().cloned(),
        Expr::inputs,
        done,
        |s, e| match &e {
            Expr::Array(a) => crate::expr::array::export_dask(a, s),
            Expr::Df(d) => crate::expr::dataframe::export_dask(d, s),
            Expr::Call(c) => delayed::export(c, s),
        },
    )?;
    let mut outputs = Vec::new();
    let mut finish = Vec::new();
    for e in exprs {
        outputs.push(s.var(e.name())?.to_string());
        finish.push(match e {
            Expr::Df(d) => crate::expr::dataframe::dask_finish(d),
            _ => None,
        });
    }
    Ok(script::render(&s, &outputs, &finish))
}
