//! Reading CSV files: the `ReadCsv` operation's metadata (columns and dtypes from the
//! schema; partitions of up to `blocksize` bytes: a run of small files read and parsed
//! together, or a block of a large one) and its read and parse tasks.

use std::ops::Range;
use std::sync::Arc;

use super::tasks::ftask;
use super::SourceRef;
use super::{not_mine, Df, DfOp, Kind, Meta};
use crate::error::{Error, Result};
use crate::expr::dask::script::{list, string, Line, Script};
use crate::expr::walk::post_order;
use crate::graph::{tokenize, Graph, Key, Task};
use crate::kernels::dataframe::csv::{BadLines, Compression, CsvOptions, Encoding, SkipRows};
use crate::kernels::dataframe::kernel::FrameKernel;
use crate::kernels::dataframe::source::Part;
use crate::kernels::dataframe::Dtype;
use crate::kernels::{Kernel, Read};

/// A run of partitions of a `ReadCsv`.
enum Piece {
    /// Consecutive files (indices into the sources), one partition.
    Files(Range<usize>),
    /// A file larger than the blocksize, one partition per block.
    Blocks(usize),
}

/// How `sources` become partitions: consecutive files of at most `blocksize` bytes in all
/// are one partition (9,500 daily files of 24 kB are 15 partitions of 16 MB, not 9,500
/// tiny ones), a larger file is split into `blocksize` blocks — unless it cannot be
/// (compressed, UTF-16, comments or escapes: see [`CsvOptions::splittable`]), when it
/// is one partition, as dask reads a compressed file; `blocksize` 0: one partition per
/// file.
fn layout(sources: &[SourceRef], blocksize: u64, options: &CsvOptions) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut run = 0..0;
    let mut run_bytes = 0u64;
    for (i, s) in sources.iter().enumerate() {
        let large = blocksize > 0 && s.size > blocksize;
        if !run.is_empty() && (blocksize == 0 || large || run_bytes + s.size > blocksize) {
            out.push(Piece::Files(run.clone()));
            run = i..i;
            run_bytes = 0;
        }
        if large {
            out.push(match options.splittable(&s.name) {
                true => Piece::Blocks(i),
                false => Piece::Files(i..i + 1),
            });
            run = i + 1..i + 1;
        } else {
            if run.is_empty() {
                run = i..i;
            }
            run.end = i + 1;
            run_bytes += s.size;
        }
    }
    if !run.is_empty() {
        out.push(Piece::Files(run));
    }
    out
}

/// Blocksize of the reads `head` makes: its first rows need the first file or block, not
/// a whole 16 MB partition.
const HEAD_BLOCKSIZE: u64 = 1 << 20;

/// `d` with the reads under its row-wise operations in [`HEAD_BLOCKSIZE`] partitions (runs
/// of small files, blocks of large ones), for `head`: the rows, in order, are the same. Anything that aggregates
/// (a reduction, a groupby, describe) is kept as it is. Walks iteratively.
pub(super) fn for_head(d: &Df) -> Result<Df> {
    type Done = rustc_hash::FxHashMap<*const super::Node, Df>;
    let id = |x: &Df| Arc::as_ptr(&x.0);
    let row_wise = |x: &Df| {
        matches!(
            x.op(),
            DfOp::Select { .. }
                | DfOp::Col { .. }
                | DfOp::Filter { .. }
                | DfOp::Assign { .. }
                | DfOp::Binary { .. }
                | DfOp::Scalar { .. }
                | DfOp::Logical { .. }
                | DfOp::Unary { .. }
                | DfOp::Map { .. }
                | DfOp::Str { .. }
                | DfOp::DtField { .. }
                | DfOp::DtRound { .. }
                | DfOp::DtFormat { .. }
        )
    };
    // Row-wise operations are rebuilt on their rewritten inputs; anything else is a leaf.
    let inputs = |x: &Df| match row_wise(x) {
        true => x.op().inputs().into_iter().cloned().collect(),
        false => vec![],
    };
    let mut done = Done::default();
    post_order(
        &mut done,
        [d.clone()],
        inputs,
        |done, x| done.contains_key(&id(x)),
        |done, x| {
            let new = match x.op() {
                DfOp::ReadCsv {
                    sources,
                    options,
                    schema,
                    blocksize,
                } => Df::build(DfOp::ReadCsv {
                    sources: sources.clone(),
                    options: options.clone(),
                    schema: schema.clone(),
                    // A large file's head needs its first block, not 16 MB of it (the
                    // blocks' counts are a chain: 5,000 blocks of a 5 GB file are fine);
                    // 0 (one partition per file) stays 0.
                    blocksize: (*blocksize).min(HEAD_BLOCKSIZE),
                })?,
                _ if row_wise(&x) => {
                    Df::build(x.op().try_map(|i| Ok::<_, Error>(done[&id(i)].clone()))?)?
                }
                _ => x.clone(),
            };
            done.insert(id(&x), new);
            Ok(())
        },
    )?;
    Ok(done[&id(d)].clone())
}

fn partitions_of(sources: &[SourceRef], blocksize: u64, options: &CsvOptions) -> usize {
    layout(sources, blocksize, options)
        .iter()
        .map(|p| match p {
            Piece::Files(_) => 1,
            Piece::Blocks(i) => sources[*i].size.div_ceil(blocksize) as usize,
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
            options,
        } => {
            if sources.is_empty() {
                return Err(Error::invalid("readCsv: no files given"));
            }
            Meta {
                prefix: "read-csv",
                kind: Kind::Frame,
                names: schema.names.clone(),
                dtypes: schema.dtypes.clone(),
                npartitions: partitions_of(sources, *blocksize, options),
                rows: None,
            }
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
            let held = |s: &SourceRef| {
                s.held.clone().ok_or_else(|| {
                    Error::invalid(format!("the file {} is not available here", s.name))
                })
            };
            let read = |g: &mut Graph, layer: &str, b: u32, parts: Vec<Part>| {
                let k = Key::new(layer, &[b]);
                let kernel = Kernel::Read(Read {
                    parts: parts.into(),
                });
                g.insert(k.clone(), Task::new(kernel, vec![]));
                k
            };
            let mut p = 0;
            for piece in layout(sources, *blocksize, &options) {
                let i = match piece {
                    Piece::Files(run) => {
                        let run = &sources[run];
                        let ids: Vec<&str> = run.iter().map(|s| s.id.as_str()).collect();
                        let layer = format!("read-{}", tokenize(&ids.join("\0")));
                        let parts = run
                            .iter()
                            .map(|s| held(s).map(|h| Part::whole(&h)))
                            .collect::<Result<Vec<_>>>()?;
                        let r = read(g, &layer, 0, parts);
                        let files = run
                            .iter()
                            .map(|s| (Arc::<str>::from(s.name.as_str()), s.size))
                            .collect::<Vec<_>>();
                        g.insert(
                            d.part_key(p),
                            ftask(
                                FrameKernel::ParseFiles {
                                    files: files.into(),
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
                    Piece::Blocks(i) => i,
                };
                let s = &sources[i];
                let source = held(s)?;
                let file: Arc<str> = s.name.as_str().into();
                // Blocks of another size (another read of the file in the same graph, or
                // its whole-file read) are other tasks: the size is in the names.
                let blocks = tokenize(&(s.id.as_str(), *blocksize));
                let read_layer = format!("read-{blocks}");
                let nb = s.size.div_ceil(*blocksize) as u32;
                let scan_layer = format!("scan-{blocks}");
                let mut reads = vec![];
                let mut scans = vec![];
                for b in 0..nb {
                    let start = b as u64 * blocksize;
                    let part = Part {
                        source: source.clone(),
                        start,
                        end: (start + blocksize).min(s.size),
                    };
                    let r = read(g, &read_layer, b, vec![part]);
                    let sk = Key::new(scan_layer.as_str(), &[b]);
                    g.insert(
                        sk.clone(),
                        ftask(
                            FrameKernel::Scan(options.dialect.quotechar),
                            vec![r.clone()],
                        ),
                    );
                    reads.push(r);
                    scans.push(sk);
                }
                // Counts of blocks 0..b: a chain of sums, so each parse has 4 inputs
                // however long the file is (linear edges: 1 MB blocks of a 5 GB file too).
                let sum_layer = format!("scan-sum-{blocks}");
                let mut before: Option<Key> = None;
                for b in 0..nb as usize {
                    let last = b + 1 == nb as usize;
                    let mut deps = vec![reads[b].clone()];
                    if !last {
                        deps.push(reads[b + 1].clone());
                    }
                    deps.extend(before.clone());
                    deps.push(scans[b].clone());
                    if !last {
                        before = Some(match before.take() {
                            None => scans[b].clone(),
                            Some(prev) => {
                                let k = Key::new(sum_layer.as_str(), &[b as u32]);
                                let t = ftask(FrameKernel::ScanSum, vec![prev, scans[b].clone()]);
                                g.insert(k.clone(), t);
                                k
                            }
                        });
                    }
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

/// The `dask.dataframe` line of a read: `dd.read_csv([paths], sep=…, dtype={…},
/// blocksize=…)`, paths as the export's `sources` option makes them.
pub(super) fn dask(d: &Df, s: &mut Script) -> Result<Line> {
    let DfOp::ReadCsv {
        sources,
        options,
        blocksize,
        ..
    } = d.op()
    else {
        return Err(not_mine("io"));
    };
    let paths = s.source_literals(sources.iter().map(|src| src.name.as_str()))?;
    if options.dialect.comment.is_some() && options.text.encoding != Encoding::Utf8 {
        return Err(Error::invalid(format!(
            "toDask: dask's read_csv reads comments as UTF-8: comment with encoding {} has no dask export",
            options.text.encoding.python_name()
        )));
    }
    let mut args = vec![];
    let ch = |c: u8| string(&(c as char).to_string());
    let strings = |v: &[String]| list(&v.iter().map(|x| string(x)).collect::<Vec<_>>());
    let dialect = &options.dialect;
    if dialect.sep != b',' {
        args.push(format!("sep={}", ch(dialect.sep)));
    }
    let row = options.header_row;
    match (&options.names, options.header) {
        (Some(n), true) => args.push(format!("header={row}, names={}", strings(n))),
        (None, true) if row > 0 => args.push(format!("header={row}")),
        (given, false) => {
            let names = given.clone().unwrap_or_else(|| d.names().to_vec());
            args.push(format!("header=None, names={}", strings(&names)));
        }
        (None, true) => {}
    }
    match &options.skiprows {
        SkipRows::None => {}
        SkipRows::Count(n) => args.push(format!("skiprows={n}")),
        SkipRows::Lines(v) => args.push(format!(
            "skiprows={}",
            list(&v.iter().map(u64::to_string).collect::<Vec<_>>())
        )),
    }
    if options.on_bad_lines != BadLines::Error {
        args.push(format!(
            "on_bad_lines={}",
            string(options.on_bad_lines.python_name())
        ));
    }
    if dialect.quotechar != b'"' {
        args.push(format!("quotechar={}", ch(dialect.quotechar)));
    }
    if let Some(e) = dialect.escapechar {
        args.push(format!("escapechar={}", ch(e)));
    }
    if !dialect.doublequote {
        args.push("doublequote=False".into());
    }
    if dialect.skipinitialspace {
        args.push("skipinitialspace=True".into());
    }
    if let Some(c) = dialect.comment {
        args.push(format!("comment={}", ch(c)));
    }
    if !dialect.skip_blank_lines {
        args.push("skip_blank_lines=False".into());
    }
    if let Some(t) = options.numbers.thousands {
        args.push(format!("thousands={}", ch(t)));
    }
    if options.numbers.decimal != b'.' {
        args.push(format!("decimal={}", ch(options.numbers.decimal)));
    }
    if options.text.encoding != Encoding::Utf8 {
        args.push(format!(
            "encoding={}",
            string(options.text.encoding.python_name())
        ));
    }
    if !options.parse_dates.is_empty() {
        let p: Vec<String> = options.parse_dates.iter().map(|n| string(n)).collect();
        args.push(format!("parse_dates={}", list(&p)));
    }
    let dtypes: Vec<String> = options
        .dtype
        .iter()
        .filter(|(_, t)| *t != Dtype::Datetime)
        .map(|(n, t)| {
            let t = match t {
                Dtype::Int64 => "int64",
                Dtype::Float64 => "float64",
                Dtype::Bool => "boolean",
                Dtype::String | Dtype::Datetime => "string",
            };
            format!("{}: {}", string(n), string(t))
        })
        .collect();
    if !dtypes.is_empty() {
        args.push(format!("dtype={{{}}}", dtypes.join(", ")));
    }
    let na = &options.na_values;
    if !na.columns.is_empty() || !na.all.is_empty() {
        // pandas takes one list, or one per column; daskling's list for every column
        // joins each column's own.
        let code = if na.columns.is_empty() {
            strings(&na.all)
        } else {
            let kv: Vec<String> = d
                .names()
                .iter()
                .map(|c| {
                    let mut v = na.all.clone();
                    for (_, own) in na.columns.iter().filter(|(n, _)| n == c) {
                        v.extend(own.iter().cloned());
                    }
                    format!("{}: {}", string(c), strings(&v))
                })
                .collect();
            format!("{{{}}}", kv.join(", "))
        };
        args.push(format!("na_values={code}"));
    }
    if !na.keep_default {
        args.push("keep_default_na=False".to_string());
    }
    // dask takes one compression for all the files, from the first name: runs of files
    // of one compression are read apart and concatenated when they differ. A compressed
    // file is one partition (dask's blocksize=None), as daskling's 0 is.
    let mut runs: Vec<(Compression, Vec<String>)> = vec![];
    for (src, p) in sources.iter().zip(paths) {
        let c = options.text.compression.of(&src.name);
        match runs.last_mut() {
            Some((last, v)) if *last == c => v.push(p),
            _ => runs.push((c, vec![p])),
        }
    }
    let given = options.text.compression != Compression::Infer || runs.len() > 1;
    let reads: Vec<String> = runs
        .iter()
        .map(|(c, paths)| {
            let mut a = vec![list(paths)];
            a.extend(args.iter().cloned());
            if given {
                a.push(match c.python_name() {
                    Some(n) => format!("compression={}", string(n)),
                    None => "compression=None".into(),
                });
            }
            a.push(match blocksize {
                0 => "blocksize=None".to_string(),
                _ if *c != Compression::None => "blocksize=None".to_string(),
                b => format!("blocksize={b}"),
            });
            format!("dd.read_csv({})", a.join(", "))
        })
        .collect();
    let code = match &reads[..] {
        [one] => one.clone(),
        _ => format!("dd.concat([{}])", reads.join(", ")),
    };
    Ok(("df".into(), code))
}
