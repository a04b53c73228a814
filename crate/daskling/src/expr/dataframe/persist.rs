//! `persist()` of a dataframe or series, as dask's: its partitions computed once and
//! kept by the kernel's [`Context`](crate::Context) under the expression's name (beside
//! persisted arrays: `expr::stored`); later expressions built on the persisted one start
//! from those partitions, and the index and divisions stay.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::lower::lower_partitions;
use super::{not_mine, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::expr::stored::{Held, Stored};
use crate::expr::{limit_for, start_graph, Lazy, RunOptions};
use crate::graph::{Graph, Task};
use crate::kernels::dataframe::index::{division_column, division_values};
use crate::kernels::dataframe::map::Literal;
use crate::kernels::dataframe::{Column, Dtype};
use crate::kernels::{Kernel, Value};
use crate::scheduler::Execution;

/// What a persisted frame or series was: enough to rebuild its metadata on the other
/// side of the wire (the partitions themselves stay where they were computed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMeta {
    /// Frame or series.
    pub out: Kind,
    /// Column names.
    pub names: Vec<String>,
    /// Their dtypes.
    pub dtypes: Vec<Dtype>,
    /// Partitions.
    pub npartitions: usize,
    /// The index (name and dtype), if any.
    pub index: Option<(String, Dtype)>,
    /// The index's divisions, where known.
    pub divisions: Option<Vec<Literal>>,
}

/// The divisions a persisted frame kept, as the index compares them.
pub(super) fn divisions_of(meta: &StoredMeta) -> Result<Option<Arc<Column>>> {
    let (Some(d), Some((_, dtype))) = (&meta.divisions, &meta.index) else {
        return Ok(None);
    };
    Ok(Some(Arc::new(division_column(*dtype, d)?)))
}

pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let DfOp::Stored { meta, .. } = op else {
        return Err(not_mine("persist"));
    };
    Ok(Meta {
        prefix: "persisted",
        kind: meta.out,
        names: meta.names.clone(),
        dtypes: meta.dtypes.clone(),
        npartitions: meta.npartitions,
        rows: None,
    })
}

/// One literal task per partition: the kept values.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let DfOp::Stored { id, held, .. } = d.op() else {
        return Err(not_mine("persist"));
    };
    let Some(Held::Local(stored)) = held else {
        return Err(Error::invalid(format!(
            "the persisted dataframe {id} is not available here (it was released)"
        )));
    };
    for p in 0..d.npartitions() {
        let part = stored.part(p).ok_or_else(|| {
            Error::invalid(format!("the persisted dataframe {id} lacks partition {p}"))
        })?;
        g.insert(d.part_key(p), Task::new(Kernel::Literal(part), vec![]));
    }
    Ok(())
}

pub(super) fn dask(d: &Df, _s: &mut Script) -> Result<Line> {
    let DfOp::Stored { id, .. } = d.op() else {
        return Err(not_mine("persist"));
    };
    Err(Error::invalid(format!(
        "toDask: {id} is a persisted dataframe, whose partitions live in the browser's \
         kernel; export the expression it was computed from (before persist())"
    )))
}

impl Df {
    /// Starts computing every partition of this frame or series (poll the execution,
    /// then give its values to [`Df::persisted`]).
    pub fn start_persist(&self, options: &RunOptions) -> Result<Execution> {
        if self.kind() == Kind::Scalar {
            return Err(Error::invalid("persist needs a dataframe or a series"));
        }
        let limit = limit_for(&[self as &dyn Lazy], options)?;
        let mut g = Graph::new();
        let keys = lower_partitions(self, &mut g)?;
        start_graph(g, keys, limit, options)
    }

    /// The persisted form of this frame or series, from its computed partitions (in
    /// order): same name and metadata, partitions kept here.
    pub fn persisted(&self, values: Vec<Value>) -> Result<Df> {
        let n = values.len();
        match Stored::of(values) {
            Some(s @ Stored::Frames(_)) if n == self.npartitions() => {
                self.stored(Held::Local(Arc::new(s)))
            }
            _ => Err(Error::invalid("persist: a partition task gave no frame")),
        }
    }

    /// The persisted form of this frame, its partitions held as `held`.
    pub(crate) fn stored(&self, held: Held) -> Result<Df> {
        Df::build(DfOp::Stored {
            id: self.name().to_string(),
            meta: StoredMeta {
                out: self.kind(),
                names: self.names().to_vec(),
                dtypes: self.dtypes().to_vec(),
                npartitions: self.npartitions(),
                index: self.index().cloned(),
                divisions: self.0.divisions.as_deref().map(division_values),
            },
            held: Some(held),
        })
    }
}
