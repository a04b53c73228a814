//! Lowering dataframe expressions: one task per partition for frames and series, a
//! tree of partial → combine → aggregate tasks for scalars.

use std::sync::Arc;

use super::{Df, DfOp, Kind, SPLIT_EVERY};
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::dataframe::column::concat;
use crate::kernels::dataframe::kernel::{FrameKernel, GroupSpec};
use crate::kernels::dataframe::ops::SeriesReduce;
use crate::kernels::dataframe::Frame;
use crate::kernels::{Kernel, Read, Value};
use crate::scheduler::{self, Scheduler};

fn ftask(k: FrameKernel, deps: Vec<Key>) -> Task {
    Task::new(Kernel::Frame(k), deps)
}

/// Adds `d`'s tasks and returns the key of its whole value: the concatenated frame or
/// series, or the number.
pub(super) fn lower(d: &Df, g: &mut Graph) -> Result<Key> {
    lower_inputs(d, g)?;
    match d.kind() {
        Kind::Scalar => lower_scalar(d, g),
        Kind::Frame | Kind::Series => {
            lower_parts(d, g)?;
            let key = Key::named(format!("concat-{}", tokenize(d.name())));
            let deps = (0..d.npartitions()).map(|p| d.part_key(p)).collect();
            g.insert(key.clone(), ftask(FrameKernel::Concat, deps));
            Ok(key)
        }
    }
}

/// Whether `d`'s tasks are in `g`.
fn lowered(d: &Df, g: &Graph) -> bool {
    match d.kind() {
        Kind::Scalar => g.contains(&Key::named(d.name())),
        Kind::Frame | Kind::Series => d.npartitions() > 0 && g.contains(&d.part_key(0)),
    }
}

/// Lowers every input of `d` (not `d`), iteratively in post-order, so that lowering
/// each node finds its inputs' tasks there: an expression of 100,000 operations lowers
/// without deep recursion.
fn lower_inputs(root: &Df, g: &mut Graph) -> Result<()> {
    let mut stack: Vec<(Df, bool)> = root
        .op()
        .inputs()
        .into_iter()
        .map(|i| (i.clone(), false))
        .collect();
    while let Some((d, expanded)) = stack.pop() {
        if lowered(&d, g) {
            continue;
        }
        if !expanded {
            stack.push((d.clone(), true));
            for i in d.op().inputs() {
                if !lowered(i, g) {
                    stack.push((i.clone(), false));
                }
            }
            continue;
        }
        match d.kind() {
            Kind::Scalar => {
                lower_scalar(&d, g)?;
            }
            Kind::Frame | Kind::Series => lower_parts(&d, g)?,
        }
    }
    Ok(())
}

/// Adds the partition tasks of a frame or series (its inputs' first, which
/// [`lower_inputs`] has already added when lowering a whole expression).
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
    if g.contains(&d.part_key(0)) {
        return Ok(());
    }
    for input in d.op().inputs() {
        if input.kind() != Kind::Scalar {
            lower_parts(input, g)?;
        }
    }
    let n = d.npartitions();
    let each = |g: &mut Graph, k: FrameKernel, inputs: &[&Df]| {
        for p in 0..n {
            let deps = inputs.iter().map(|i| i.part_key(p)).collect();
            g.insert(d.part_key(p), ftask(k.clone(), deps));
        }
    };
    match d.op() {
        DfOp::ReadCsv {
            sources,
            options,
            schema,
            blocksize,
        } => {
            let schema = Arc::new(schema.clone());
            let options = Arc::new(options.clone());
            let mut p = 0;
            for s in sources {
                let held = s.held.clone().ok_or_else(|| {
                    Error::invalid(format!("the file {} is not available here", s.name))
                })?;
                let file: Arc<str> = s.name.as_str().into();
                let read_layer = format!("read-{}", tokenize(&s.id));
                let read = |g: &mut Graph, b: u32, start: u64, end: u64| {
                    let k = Key::new(read_layer.as_str(), &[b]);
                    g.insert(
                        k.clone(),
                        Task::new(
                            Kernel::Read(Read {
                                source: held.clone(),
                                start,
                                end,
                            }),
                            vec![],
                        ),
                    );
                    k
                };
                if *blocksize == 0 || s.size <= *blocksize {
                    let r = read(g, 0, 0, s.size);
                    g.insert(
                        d.part_key(p),
                        ftask(
                            FrameKernel::ParseFile {
                                file: file.clone(),
                                schema: schema.clone(),
                                options: options.clone(),
                                keep: None,
                            },
                            vec![r],
                        ),
                    );
                    p += 1;
                    continue;
                }
                let nb = s.size.div_ceil(*blocksize) as u32;
                let scan_layer = format!("scan-{}", tokenize(&s.id));
                let mut reads = vec![];
                let mut scans = vec![];
                for b in 0..nb {
                    let start = b as u64 * blocksize;
                    let r = read(g, b, start, (start + blocksize).min(s.size));
                    let sk = Key::new(scan_layer.as_str(), &[b]);
                    g.insert(sk.clone(), ftask(FrameKernel::Scan, vec![r.clone()]));
                    reads.push(r);
                    scans.push(sk);
                }
                for b in 0..nb as usize {
                    let last = b + 1 == nb as usize;
                    let mut deps = vec![reads[b].clone()];
                    if !last {
                        deps.push(reads[b + 1].clone());
                    }
                    deps.extend(scans[..=b].iter().cloned());
                    g.insert(
                        d.part_key(p),
                        ftask(
                            FrameKernel::ParseBlock {
                                file: file.clone(),
                                index: b,
                                last,
                                schema: schema.clone(),
                                options: options.clone(),
                                keep: None,
                            },
                            deps,
                        ),
                    );
                    p += 1;
                }
            }
        }
        DfOp::Select { input, columns } => each(g, FrameKernel::Select(columns.clone()), &[input]),
        DfOp::Filter { input, mask } => each(g, FrameKernel::Filter, &[input, mask]),
        DfOp::Assign {
            input,
            names,
            values,
        } => {
            let mut ins = vec![input];
            ins.extend(values.iter());
            each(g, FrameKernel::Assign(names.clone()), &ins)
        }
        DfOp::Col { input, name } => each(g, FrameKernel::Col(name.clone()), &[input]),
        DfOp::Binary { op, left, right } => each(g, FrameKernel::Binary(*op), &[left, right]),
        DfOp::Scalar {
            op,
            input,
            value,
            reflected,
        } => each(
            g,
            FrameKernel::Scalar {
                op: *op,
                value: *value,
                reflected: *reflected,
            },
            &[input],
        ),
        DfOp::Logical { op, left, right } => {
            let mut ins = vec![left];
            ins.extend(right.iter());
            each(g, FrameKernel::Logical(op.name()), &ins)
        }
        DfOp::DtField { input, field } => each(g, FrameKernel::DtField(*field), &[input]),
        DfOp::DtRound { input, freq, mode } => each(
            g,
            FrameKernel::DtRound {
                freq: *freq,
                mode: *mode,
            },
            &[input],
        ),
        DfOp::GroupAgg {
            by,
            values,
            names,
            aggs,
            ddof,
            by_count_desc,
            ..
        } => {
            let token = tokenize(d.name());
            let layer = format!("groupby-chunk-{token}");
            let parts: Vec<Key> = (0..by.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    let mut deps = vec![by.part_key(p)];
                    deps.extend(values.iter().map(|v| v.part_key(p)));
                    g.insert(
                        k.clone(),
                        ftask(FrameKernel::GroupPartial(aggs.clone()), deps),
                    );
                    k
                })
                .collect();
            let parts = merge_levels(
                g,
                d,
                "groupby-combine",
                FrameKernel::GroupMerge(aggs.clone()),
                parts,
            );
            let key = d
                .index()
                .cloned()
                .ok_or_else(|| Error::invalid("groupby without a key"))?;
            let spec = GroupSpec {
                key,
                values: names
                    .iter()
                    .zip(aggs)
                    .zip(d.dtypes())
                    .map(|((n, a), t)| (n.clone(), *a, *t))
                    .collect(),
                ddof: *ddof,
                by_count_desc: *by_count_desc,
            };
            g.insert(
                d.part_key(0),
                ftask(FrameKernel::GroupFinish(Arc::new(spec)), parts),
            );
        }
        DfOp::Describe { input } => {
            let cols = d.names().to_vec();
            let token = tokenize(d.name());
            let layer = format!("describe-chunk-{token}");
            let parts: Vec<Key> = (0..input.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    g.insert(
                        k.clone(),
                        ftask(
                            FrameKernel::DescribePartial(cols.clone()),
                            vec![input.part_key(p)],
                        ),
                    );
                    k
                })
                .collect();
            let parts = merge_levels(g, d, "describe-combine", FrameKernel::DescribeMerge, parts);
            g.insert(
                d.part_key(0),
                ftask(FrameKernel::DescribeFinish(cols), parts),
            );
        }
        DfOp::Reduce { .. }
        | DfOp::Len { .. }
        | DfOp::ScalarBinary { .. }
        | DfOp::ScalarConst { .. } => {
            return Err(Error::invalid("a scalar has no partitions"));
        }
    }
    Ok(())
}

/// Merge levels of a tree reduction over `layer` (partials, one key per partition):
/// tasks of `merge` over groups of [`SPLIT_EVERY`] until at most that many are left.
fn merge_levels(
    g: &mut Graph,
    out: &Df,
    prefix: &str,
    merge: FrameKernel,
    mut layer: Vec<Key>,
) -> Vec<Key> {
    let token = tokenize(out.name());
    let mut level = 0u32;
    while layer.len() > SPLIT_EVERY {
        level += 1;
        let name = format!("{prefix}-{}", tokenize(&(&token, level)));
        layer = layer
            .chunks(SPLIT_EVERY)
            .enumerate()
            .map(|(j, group)| {
                let k = Key::new(name.as_str(), &[j as u32]);
                g.insert(k.clone(), ftask(merge.clone(), group.to_vec()));
                k
            })
            .collect();
    }
    layer
}

/// A tree reduction of `partials` (one key per partition) into `out`.
fn tree(g: &mut Graph, out: &Df, op: SeriesReduce, ddof: f64, layer: Vec<Key>) -> Key {
    let layer = merge_levels(g, out, "combine", FrameKernel::Merge(op), layer);
    let key = Key::named(out.name());
    g.insert(key.clone(), ftask(FrameKernel::Finish { op, ddof }, layer));
    key
}

fn lower_scalar(d: &Df, g: &mut Graph) -> Result<Key> {
    let key = Key::named(d.name());
    if g.contains(&key) {
        return Ok(key);
    }
    match d.op() {
        DfOp::Reduce {
            input,
            reduce,
            ddof,
        } => {
            lower_parts(input, g)?;
            let layer = format!(
                "{}-{}",
                FrameKernel::Partial(*reduce).kind(),
                tokenize(d.name())
            );
            let parts = (0..input.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    g.insert(
                        k.clone(),
                        ftask(FrameKernel::Partial(*reduce), vec![input.part_key(p)]),
                    );
                    k
                })
                .collect();
            Ok(tree(g, d, *reduce, *ddof, parts))
        }
        DfOp::Len { input } => {
            lower_parts(input, g)?;
            let layer = format!("len-chunk-{}", tokenize(d.name()));
            let parts = (0..input.npartitions())
                .map(|p| {
                    let k = Key::new(layer.as_str(), &[p as u32]);
                    g.insert(
                        k.clone(),
                        ftask(FrameKernel::RowCount, vec![input.part_key(p)]),
                    );
                    k
                })
                .collect();
            Ok(tree(g, d, SeriesReduce::Count, 0.0, parts))
        }
        DfOp::ScalarBinary { op, left, right } => {
            let (l, r) = (lower_scalar(left, g)?, lower_scalar(right, g)?);
            g.insert(
                key.clone(),
                ftask(FrameKernel::ScalarArith(*op), vec![l, r]),
            );
            Ok(key)
        }
        DfOp::ScalarConst {
            op,
            input,
            value,
            reflected,
        } => {
            let i = lower_scalar(input, g)?;
            g.insert(
                key.clone(),
                ftask(
                    FrameKernel::ScalarConst {
                        op: *op,
                        value: *value,
                        reflected: *reflected,
                    },
                    vec![i],
                ),
            );
            Ok(key)
        }
        _ => Err(Error::invalid("not a scalar expression")),
    }
}

/// The first `n` rows: partitions are computed one at a time, in order, until there
/// are enough rows (only their files are read).
pub(super) fn head(d: &Df, n: usize, s: Scheduler) -> Result<Frame> {
    if d.kind() == Kind::Scalar {
        return Err(Error::invalid("head of a scalar"));
    }
    let mut g = Graph::new();
    lower_inputs(d, &mut g)?;
    lower_parts(d, &mut g)?;
    let mut parts: Vec<Frame> = vec![];
    let mut rows = 0;
    for p in 0..d.npartitions() {
        if rows >= n && !parts.is_empty() {
            break;
        }
        let key = d.part_key(p);
        let sub = g.optimize(std::slice::from_ref(&key))?;
        let v = scheduler::compute(&sub, &[key], s)?;
        let Some(Value::Frame(f)) = v.into_iter().next() else {
            return Err(Error::invalid("a partition gave no frame"));
        };
        rows += f.len();
        parts.push(Arc::unwrap_or_clone(f));
    }
    let refs: Vec<&Frame> = parts.iter().collect();
    let all = concat("head", &refs)?;
    Ok(Frame {
        names: all.names.clone(),
        columns: all.columns.iter().map(|c| c.head(n)).collect(),
        index: all
            .index
            .as_ref()
            .map(|i| Arc::new((i.0.clone(), i.1.head(n)))),
    })
}
