//! `merge`: two frames joined on key columns, as pandas' and dask's `merge`
//! (`kernels::dataframe::merge` defines the columns, rows and order). The join is
//! planned from the partition counts, as dask plans it: a side of one partition (or, with
//! `broadcast`, the side with fewer, gathered into one) is joined whole with every
//! partition of the other — no data moves — when the join keeps no unmatched rows of it;
//! otherwise both sides' rows are routed to buckets by a hash of the key and each
//! bucket is joined on its own (a hash shuffle).

use std::sync::Arc;

use super::tasks::ftask;
use super::{not_mine, DataFrame, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{Line, Script};
use crate::graph::{tokenize, Graph, Key};
use crate::kernels::dataframe::kernel::FrameKernel;
pub use crate::kernels::dataframe::merge::How;
use crate::kernels::dataframe::merge::{MergeSpec, MergeStep};

/// How a join's partitions are made.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Plan {
    /// Every left partition with the whole right frame.
    BroadcastRight,
    /// Every right partition with the whole left frame.
    BroadcastLeft,
    /// Both sides routed to this many buckets by a hash of the key.
    Hash(usize),
}

/// A `merge` node's frames, spec and broadcast flag.
fn fields(op: &DfOp) -> Result<(&Df, &Df, &MergeSpec, &bool)> {
    match op {
        DfOp::Merge {
            left,
            right,
            spec,
            broadcast,
        } => Ok((left, right, spec, broadcast)),
        _ => Err(not_mine("merge")),
    }
}

fn plan(left: &Df, right: &Df, how: How, broadcast: bool) -> Plan {
    let (l, r) = (left.npartitions(), right.npartitions());
    let right_ok = matches!(how, How::Inner | How::Left);
    let left_ok = matches!(how, How::Inner | How::Right);
    if right_ok && (r == 1 || (broadcast && r <= l)) {
        Plan::BroadcastRight
    } else if left_ok && (l == 1 || broadcast) {
        Plan::BroadcastLeft
    } else {
        Plan::Hash(l.max(r))
    }
}

fn parts(left: &Df, right: &Df, p: Plan) -> usize {
    match p {
        Plan::BroadcastRight => left.npartitions(),
        Plan::BroadcastLeft => right.npartitions(),
        Plan::Hash(n) => n,
    }
}

/// The joined columns (the kernel's layout); partitions by the plan.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    let (left, right, spec, broadcast) = fields(op)?;
    if left.0.kind != Kind::Frame || right.0.kind != Kind::Frame {
        return Err(Error::invalid(
            "merge joins two dataframes (select a series' frame with df.select([...]))",
        ));
    }
    let layout = spec.layout(
        (&left.0.names, &left.0.dtypes),
        (&right.0.names, &right.0.dtypes),
    )?;
    Ok(Meta {
        prefix: "merge",
        kind: Kind::Frame,
        names: layout.names,
        dtypes: layout.dtypes,
        npartitions: parts(left, right, plan(left, right, spec.how, *broadcast)),
        rows: None,
    })
}

/// The plan's tasks: joins of partitions with a gathered side, or routes and buckets.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    let (left, right, spec, broadcast) = fields(d.op())?;
    let spec = Arc::new(spec.clone());
    let token = tokenize(d.name());
    let layer = |stem: &str, j: usize| Key::new(format!("{stem}-{token}").as_str(), &[j as u32]);
    let join = |step: MergeStep, deps: Vec<Key>| ftask(FrameKernel::Join(spec.clone(), step), deps);
    // A side as one partition (its only one, or its partitions concatenated).
    let mut whole = |side: &Df, stem: &str| {
        if side.npartitions() == 1 {
            return side.part_key(0);
        }
        let k = layer(stem, 0);
        let deps = (0..side.npartitions()).map(|p| side.part_key(p)).collect();
        g.insert(k.clone(), ftask(FrameKernel::Concat, deps));
        k
    };
    match plan(left, right, spec.how, *broadcast) {
        Plan::BroadcastRight => {
            let r = whole(right, "merge-gather-right");
            for p in 0..left.npartitions() {
                let deps = vec![left.part_key(p), r.clone()];
                g.insert(d.part_key(p), join(MergeStep::Join, deps));
            }
        }
        Plan::BroadcastLeft => {
            let l = whole(left, "merge-gather-left");
            for p in 0..right.npartitions() {
                let deps = vec![l.clone(), right.part_key(p)];
                g.insert(d.part_key(p), join(MergeStep::Join, deps));
            }
        }
        Plan::Hash(parts) => {
            let mut routed = vec![];
            for (side, is_left) in [(left, true), (right, false)] {
                let stem = if is_left {
                    "merge-shuffle-left"
                } else {
                    "merge-shuffle-right"
                };
                for p in 0..side.npartitions() {
                    let k = layer(stem, p);
                    let step = MergeStep::Route {
                        left: is_left,
                        parts,
                    };
                    g.insert(k.clone(), join(step, vec![side.part_key(p)]));
                    routed.push(k);
                }
            }
            let left_parts = left.npartitions();
            for b in 0..parts {
                let step = MergeStep::Bucket {
                    bucket: b,
                    left_parts,
                };
                g.insert(d.part_key(b), join(step, routed.clone()));
            }
        }
    }
    Ok(())
}

/// dask's `merge` with the same keys, how and suffixes.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let (left, right, spec, broadcast) = fields(d.op())?;
    let l = s.var(left.name())?.to_string();
    let r = s.var(right.name())?.to_string();
    Ok(("merged".into(), spec.pandas(&l, &r, *broadcast)))
}

/// What [`DataFrame::merge`] takes besides the other frame: pandas' keyword arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeOptions {
    /// Which rows are kept (pandas' default: `inner`).
    pub how: How,
    /// Key columns of one name in both frames (empty, with no `left_on`: the columns
    /// both frames have, as pandas).
    pub on: Vec<String>,
    /// The left frame's key columns (with `right_on`, instead of `on`).
    pub left_on: Vec<String>,
    /// The right frame's key columns.
    pub right_on: Vec<String>,
    /// Added to names both frames have (default `_x`, `_y`).
    pub suffixes: [String; 2],
    /// Join every partition of one side with the whole other even when both have
    /// several (the smaller side gathered into one partition first), as dask's
    /// `broadcast=True`.
    pub broadcast: bool,
}

impl Default for MergeOptions {
    fn default() -> MergeOptions {
        MergeOptions {
            how: How::Inner,
            on: vec![],
            left_on: vec![],
            right_on: vec![],
            suffixes: ["_x".into(), "_y".into()],
            broadcast: false,
        }
    }
}

impl DataFrame {
    /// This frame joined with `other` on key columns, as pandas' `merge`: rows of equal
    /// keys paired (missing keys match each other, as in pandas), unmatched rows kept
    /// as `how` says with missing values (int64 columns that can miss become float64),
    /// a key of one name in both frames once, other names both have suffixed. One
    /// partition of a side joins every partition of the other without moving data;
    /// otherwise both are shuffled by a hash of the key.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::dataframe::{read_csv_sources, How, MergeOptions, ReadOptions};
    /// use daskling::kernels::dataframe::source::MemorySource;
    /// use daskling::kernels::dataframe::Column;
    /// use daskling::Scheduler;
    /// let read = |t: &'static str| read_csv_sources(vec![Arc::new(MemorySource::new("a.csv", t.as_bytes()))], &ReadOptions::default()).unwrap();
    /// let prices = read("ticker,price\nge,10\nhp,20\nge,11\n");
    /// let names = read("ticker,name\nge,General Electric\n");
    /// let opts = MergeOptions { how: How::Left, ..MergeOptions::default() };
    /// let out = prices.merge(&names, &opts).unwrap().compute(Scheduler::Sync).unwrap();
    /// assert_eq!(&out.names[..], ["ticker", "price", "name"]);
    /// assert_eq!(out.columns[1], Column::Int64(vec![10, 20, 11]));
    /// assert_eq!(out.columns[2], Column::String(vec![Some("General Electric".into()), None, Some("General Electric".into())]));
    /// ```
    pub fn merge(&self, other: &DataFrame, options: &MergeOptions) -> Result<DataFrame> {
        let (left_on, right_on) = match (
            options.on.is_empty(),
            options.left_on.is_empty(),
            options.right_on.is_empty(),
        ) {
            (false, true, true) => (options.on.clone(), options.on.clone()),
            (true, false, false) => (options.left_on.clone(), options.right_on.clone()),
            (true, true, true) => {
                let common: Vec<String> = self
                    .columns()
                    .iter()
                    .filter(|c| other.columns().contains(c))
                    .cloned()
                    .collect();
                if common.is_empty() {
                    return Err(Error::invalid(
                        "merge: the frames have no column in common: pass on, or leftOn and rightOn",
                    ));
                }
                (common.clone(), common)
            }
            _ => {
                return Err(Error::invalid(
                    "merge: pass on, or both leftOn and rightOn (not both kinds)",
                ))
            }
        };
        Df::build(DfOp::Merge {
            left: self.0.clone(),
            right: other.0.clone(),
            spec: MergeSpec {
                how: options.how,
                left_on,
                right_on,
                suffixes: options.suffixes.clone(),
            },
            broadcast: options.broadcast,
        })
        .map(DataFrame)
    }
}
