//! Reading CSV files: the `ReadCsv` operation's metadata (columns and dtypes from the
//! schema, one partition per file or per `blocksize` of a large one) and its read and
//! parse tasks.

use std::sync::Arc;

use super::lower::ftask;
use super::SourceRef;
use super::{not_mine, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::{Kernel, Read};

fn partitions_of(sources: &[SourceRef], blocksize: u64) -> usize {
    sources
        .iter()
        .map(|s| {
            if blocksize == 0 || s.size <= blocksize {
                1
            } else {
                s.size.div_ceil(blocksize) as usize
            }
        })
        .sum()
}

/// Names, dtypes, partitions and rows of a io operation.
pub(super) fn meta(op: &DfOp) -> Result<Meta> {
    Ok(match op {
        DfOp::ReadCsv {
            sources,
            schema,
            blocksize,
            ..
        } => {
            if sources.is_empty() {
                return Err(Error::invalid("readCsv: no files given"));
            }
            (
                "read-csv",
                Kind::Frame,
                schema.names.clone(),
                schema.dtypes.clone(),
                partitions_of(sources, *blocksize),
                None,
            )
        }
        _ => return Err(not_mine("io")),
    })
}

/// Adds the partition tasks of `d`, a io operation whose inputs are lowered.
pub(super) fn lower_parts(d: &Df, g: &mut Graph) -> Result<()> {
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
        _ => return Err(not_mine("io")),
    }
    Ok(())
}
