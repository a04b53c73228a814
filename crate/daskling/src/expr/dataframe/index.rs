//! `setIndex` and `loc`: a frame indexed by one of its columns with known divisions, as
//! dask's `set_index`, and the rows of an index range reading only the partitions whose
//! divisions meet it (`kernels::dataframe::index` defines the steps).
//!
//! As in dask, the divisions are computed before the indexed frame is built: the
//! [`IndexOp::Divisions`] of a column (a small series, one task per partition and one
//! to merge) is computed first, and [`IndexOp::Set`] carries its values, so that a
//! `loc` knows at once which partitions it needs.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::tasks::ftask;
use super::{need, not_mine, DataFrame, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::string as python_str;
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::dataframe::index::{
    division_column, loc_python, partitions_meeting, Bound, IndexStep, SetRange,
};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::map::Literal;
use crate::kernels::dataframe::sort::{SortBy, SortStep};
use crate::kernels::dataframe::{Column, Dtype, Frame};
use crate::kernels::{Kernel, Value};

/// Which index operation a [`DfOp::Index`] is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "is", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum IndexOp {
    /// The divisions `setIndex(column)` would give: a series of `npartitions + 1`
    /// values (`sorted`: one per input partition and the last value).
    Divisions {
        /// The column.
        column: String,
        /// Whether the column is in order already.
        sorted: bool,
        /// Output partitions (unsorted only; default the input's).
        npartitions: Option<usize>,
    },
    /// The frame indexed by `column`, partitioned by `divisions`.
    Set {
        /// The column.
        column: String,
        /// The divisions, from [`IndexOp::Divisions`] or given.
        divisions: Vec<Literal>,
        /// Whether the column is in order already (the partitions stay).
        sorted: bool,
    },
    /// The rows whose index is in `[start, stop]`.
    Loc {
        /// The least index kept (missing: open).
        start: Literal,
        /// The greatest index kept (missing: open).
        stop: Literal,
    },
}

fn parts(op: &DfOp) -> Result<(&Df, &IndexOp)> {
    match op {
        DfOp::Index { input, op } => Ok((input, op)),
        _ => Err(not_mine("index")),
    }
}

/// The divisions of a built node: for [`IndexOp::Set`] its values, for
/// [`IndexOp::Loc`] the input's that the range keeps.
pub(super) fn divisions_of(
    op: &DfOp,
    index: Option<&(String, Dtype)>,
) -> Result<Option<Arc<Column>>> {
    let (input, op) = parts(op)?;
    Ok(match op {
        IndexOp::Divisions { .. } => None,
        IndexOp::Set { divisions, .. } => {
            let dtype = index.map_or(Dtype::Float64, |ix| ix.1);
            Some(Arc::new(division_column(dtype, divisions)?))
        }
        IndexOp::Loc { start, stop } => {
            let d = known(input)?;
            let kept = meeting(input, start, stop)?;
            let mut rows: Vec<usize> = kept.clone();
            if let Some(&last) = kept.last() {
                rows.push(last + 1);
            } else {
                rows = vec![0, 1];
            }
            Some(Arc::new(d.take(&rows)))
        }
    })
}

/// `input`'s divisions, or an error saying `loc` needs them.
fn known(input: &Df) -> Result<&Column> {
    input.0.divisions.as_deref().ok_or_else(|| {
        Error::invalid(
            "loc needs an index with known divisions: setIndex(column) first \
             (after it, operations that keep rows in their partitions keep them)",
        )
    })
}

/// The partitions of `input` a `loc(start, stop)` reads; an error when a bound cannot
/// be compared with the index.
fn meeting(input: &Df, start: &Literal, stop: &Literal) -> Result<Vec<usize>> {
    let d = known(input)?;
    let (start, stop) = (Bound::start(start), Bound::stop(stop));
    if let Some((_, dtype)) = input.index() {
        start.check(*dtype)?;
        stop.check(*dtype)?;
    }
    partitions_meeting(d, &start, &stop)
}

pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let (input, op) = parts(op)?;
    let i = &input.0;
    Ok(match op {
        IndexOp::Divisions {
            column,
            npartitions,
            ..
        } => {
            need(input, Kind::Frame, "setIndex")?;
            if *npartitions == Some(0) {
                return Err(Error::invalid("setIndex: npartitions must be at least 1"));
            }
            Meta {
                prefix: "divisions",
                kind: Kind::Series,
                names: vec![column.clone()],
                dtypes: vec![input.dtype_of(column)?],
                npartitions: 1,
                rows: None,
            }
        }
        IndexOp::Set {
            column,
            divisions,
            sorted,
        } => {
            need(input, Kind::Frame, "setIndex")?;
            input.dtype_of(column)?;
            let n = divisions.len().saturating_sub(1);
            if n == 0 || (*sorted && n != i.npartitions) {
                return Err(Error::invalid(format!(
                    "setIndex: {} divisions for {} partitions (one more than the \
                     partitions, which a sorted index keeps)",
                    divisions.len(),
                    if *sorted { i.npartitions } else { n.max(1) }
                )));
            }
            let keep: Vec<usize> = (0..i.names.len())
                .filter(|&k| i.names[k] != *column)
                .collect();
            Meta {
                prefix: "set_index",
                kind: Kind::Frame,
                names: keep.iter().map(|&k| i.names[k].clone()).collect(),
                dtypes: keep.iter().map(|&k| i.dtypes[k]).collect(),
                npartitions: n,
                rows: None,
            }
        }
        IndexOp::Loc { start, stop } => {
            if i.kind == Kind::Scalar {
                return Err(Error::invalid("loc needs a series or a dataframe"));
            }
            Meta {
                prefix: "loc",
                kind: i.kind,
                names: i.names.clone(),
                dtypes: i.dtypes.clone(),
                npartitions: meeting(input, start, stop)?.len().max(1),
                rows: None,
            }
        }
    })
}

pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let (input, op) = parts(d.op())?;
    let step = |s: IndexStep| FrameKernel::Index(Arc::new(s));
    let token = tokenize(d.name());
    let layer = |name: &str, j: usize| Key::new(format!("{name}-{token}").as_str(), &[j as u32]);
    match op {
        IndexOp::Divisions {
            column,
            sorted,
            npartitions,
        } => {
            let summaries: Vec<Key> = (0..input.npartitions())
                .map(|p| {
                    let k = layer("divisions-chunk", p);
                    let s = IndexStep::Summary {
                        column: column.clone(),
                        sorted: *sorted,
                    };
                    g.insert(k.clone(), ftask(step(s), vec![input.part_key(p)]));
                    k
                })
                .collect();
            let parts = match sorted {
                true => input.npartitions(),
                false => npartitions.unwrap_or(input.npartitions()),
            };
            let s = IndexStep::Divisions {
                sorted: *sorted,
                parts,
            };
            g.insert(d.part_key(0), ftask(step(s), summaries));
        }
        IndexOp::Set { column, sorted, .. } => {
            let d_col =
                d.0.divisions
                    .as_deref()
                    .ok_or_else(|| Error::invalid("setIndex: no divisions"))?;
            if *sorted {
                // Each partition keeps its rows, checked to lie in its range.
                for p in 0..d.npartitions() {
                    let set = step(IndexStep::Set {
                        column: column.clone(),
                        range: Some(SetRange::of(d_col, p)),
                    });
                    g.insert(d.part_key(p), ftask(set, vec![input.part_key(p)]));
                }
                return Ok(());
            }
            let set = step(IndexStep::Set {
                column: column.clone(),
                range: None,
            });
            // Route every partition to the ranges between the divisions, sort each.
            let n = d.npartitions();
            let inner: Vec<usize> = (1..n).collect();
            let split = layer("set_index-splitters", 0);
            let splitters = Frame::of(vec![(column.as_str(), d_col.take(&inner))]);
            g.insert(
                split.clone(),
                Task::new(Kernel::Literal(Value::Frame(Arc::new(splitters))), vec![]),
            );
            let by = Arc::new(SortBy {
                columns: vec![column.clone()],
                ascending: vec![true],
            });
            let routed: Vec<Key> = (0..input.npartitions())
                .map(|p| {
                    let k = layer("set_index-route", p);
                    let route = FrameKernel::Sort(by.clone(), SortStep::Route { parts: n });
                    g.insert(
                        k.clone(),
                        ftask(route, vec![input.part_key(p), split.clone()]),
                    );
                    k
                })
                .collect();
            for r in 0..n {
                let k = layer("set_index-sort", r);
                let range = FrameKernel::Sort(by.clone(), SortStep::Range { range: r });
                g.insert(k.clone(), ftask(range, routed.clone()));
                g.insert(d.part_key(r), ftask(set.clone(), vec![k]));
            }
        }
        IndexOp::Loc { start, stop } => {
            let keep = meeting(input, start, stop)?;
            let loc = step(IndexStep::Loc {
                start: start.clone(),
                stop: stop.clone(),
            });
            // No partition meets the range: the first, emptied (a frame of no rows).
            let from = if keep.is_empty() { vec![0] } else { keep };
            for (j, p) in from.into_iter().enumerate() {
                g.insert(d.part_key(j), ftask(loc.clone(), vec![input.part_key(p)]));
            }
        }
    }
    Ok(())
}

/// dask's `set_index(column, sorted=…)` (dask chooses its own divisions: the rows are
/// the same) and `loc[start:stop]`.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let (input, op) = parts(d.op())?;
    let x = s.var(input.name())?.to_string();
    Ok(match op {
        IndexOp::Divisions { .. } => {
            return Err(Error::invalid(
                "toDask: divisions are computed by setIndex; export the indexed frame",
            ))
        }
        IndexOp::Set { column, sorted, .. } => {
            let py = if *sorted { ", sorted=True" } else { "" };
            (
                "indexed".into(),
                format!("{x}.set_index({}{py})", python_str(column)),
            )
        }
        IndexOp::Loc { start, stop } => {
            let dtype = input.index().map_or(Dtype::Float64, |ix| ix.1);
            ("rows".into(), loc_python(&x, dtype, start, stop))
        }
    })
}

impl DataFrame {
    /// The divisions `set_index(column)` would give this frame, as a lazy series of
    /// `n + 1` values: with `sorted` (the column already in order across partitions,
    /// as the workshop's daily files by time) one per partition, else ranges of about
    /// equal size for `npartitions` partitions (default: as many as now). Compute it
    /// and hand its values to [`DataFrame::set_index`].
    pub fn index_divisions(
        &self,
        column: &str,
        sorted: bool,
        npartitions: Option<usize>,
    ) -> Result<super::Series> {
        Df::build(DfOp::Index {
            input: self.0.clone(),
            op: IndexOp::Divisions {
                column: column.to_string(),
                sorted,
                npartitions,
            },
        })
        .map(super::Series)
    }

    /// This frame indexed by `column` (no longer a column), partitioned by `divisions`
    /// (from [`DataFrame::index_divisions`]): with `sorted` each partition keeps its
    /// rows; otherwise rows are routed to the ranges between the divisions and sorted
    /// (stably: ties in the order they occur).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::{map::Literal, Column};
    /// use daskling::Scheduler;
    /// let a = Arc::new(MemorySource::new("a.csv", &b"t,v\n3,a\n1,b\n"[..]));
    /// let b = Arc::new(MemorySource::new("b.csv", &b"t,v\n2,c\n5,d\n"[..]));
    /// let opts = ReadOptions { blocksize: Some(0), ..ReadOptions::default() };
    /// let df = read_csv_sources(vec![a, b], &opts).unwrap();
    /// let (_, d) = df.index_divisions("t", false, None).unwrap().compute(Scheduler::Sync).unwrap();
    /// let d: Vec<Literal> = (0..d.len()).map(|i| Literal::Number(d.f64_at(i).unwrap())).collect();
    /// let ix = df.set_index("t", d, false).unwrap();
    /// let rows = ix.loc(Literal::Number(2.0), Literal::Number(3.0)).unwrap();
    /// let out = rows.compute(Scheduler::Sync).unwrap();
    /// assert_eq!(out.index.unwrap().1, Column::Int64(vec![2, 3]));
    /// ```
    pub fn set_index(
        &self,
        column: &str,
        divisions: Vec<Literal>,
        sorted: bool,
    ) -> Result<DataFrame> {
        Df::build(DfOp::Index {
            input: self.0.clone(),
            op: IndexOp::Set {
                column: column.to_string(),
                divisions,
                sorted,
            },
        })
        .map(DataFrame)
    }

    /// The rows whose index is in `[start, stop]` (both kept; a missing bound is open;
    /// on a datetime index text is a span, as pandas' partial strings: `'2024-01-03'`
    /// is that whole day), reading only the partitions whose divisions meet the range.
    pub fn loc(&self, start: Literal, stop: Literal) -> Result<DataFrame> {
        loc(&self.0, start, stop).map(DataFrame)
    }

    /// The divisions of an indexed frame (`None` until [`DataFrame::set_index`]).
    pub fn divisions(&self) -> Option<&Column> {
        self.0 .0.divisions.as_deref()
    }
}

impl super::Series {
    /// The values whose index is in `[start, stop]`, as [`DataFrame::loc`].
    pub fn loc(&self, start: Literal, stop: Literal) -> Result<super::Series> {
        loc(&self.0, start, stop).map(super::Series)
    }
}

fn loc(input: &Df, start: Literal, stop: Literal) -> Result<Df> {
    Df::build(DfOp::Index {
        input: input.clone(),
        op: IndexOp::Loc { start, stop },
    })
}
