//! Reading many files: runs of small files grouped into partitions of up to `blocksize`
//! bytes (answers, partition counts and error positions checked against plain loops and
//! hand-made files), and background reads — a source whose reads finish on another
//! thread, as the browser's reader workers do — kept in flight beside the pool, within
//! the streaming bound, with failures reported and in-flight reads dropped safely.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
use daskling::kernels::dataframe::ops::SeriesReduce;
use daskling::kernels::dataframe::source::{ByteSource, MemorySource};
use daskling::Scheduler;

/// `n` files `f000.csv`…: header `i,x`, then rows `k, k * 0.5` for this file's `k`s.
fn files(n: usize, rows: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|f| {
            let mut t = String::from("i,x\n");
            for r in 0..rows {
                let k = f * rows + r;
                t.push_str(&format!("{k},{}\n", k as f64 * 0.5));
            }
            (format!("f{f:03}.csv"), t)
        })
        .collect()
}

fn sources(files: &[(String, String)]) -> Vec<Arc<dyn ByteSource>> {
    files
        .iter()
        .map(|(n, t)| {
            Arc::new(MemorySource::new(n.as_str(), t.as_bytes().to_vec())) as Arc<dyn ByteSource>
        })
        .collect()
}

fn with_blocksize(b: u64) -> ReadOptions {
    ReadOptions {
        blocksize: Some(b),
        ..ReadOptions::default()
    }
}

/// Partitions by hand: runs of consecutive files while the run fits in the blocksize; a
/// file over it ends the run and is cut into blocks.
fn by_hand(sizes: &[u64], blocksize: u64) -> usize {
    let (mut parts, mut run) = (0, 0);
    for &s in sizes {
        if s > blocksize {
            parts += usize::from(run > 0) + s.div_ceil(blocksize) as usize;
            run = 0;
            continue;
        }
        if run > 0 && run + s > blocksize {
            parts += 1;
            run = 0;
        }
        run += s;
    }
    parts + usize::from(run > 0)
}

#[test]
fn small_files_are_grouped_into_partitions_of_up_to_blocksize() {
    let fs = files(40, 10);
    let size = fs[0].1.len() as u64;
    let sizes: Vec<u64> = fs.iter().map(|(_, t)| t.len() as u64).collect();
    let total: u64 = sizes.iter().sum();
    let blocksize = 4 * size;
    let want = by_hand(&sizes, blocksize);
    let grouped = read_csv_sources(sources(&fs), &with_blocksize(blocksize)).unwrap();
    assert_eq!(grouped.npartitions(), want);
    assert!(want < 40 && want >= (total / blocksize) as usize);
    // blocksize 0: one partition per file; a blocksize above everything: one partition.
    let each = read_csv_sources(sources(&fs), &with_blocksize(0)).unwrap();
    assert_eq!(each.npartitions(), 40);
    let one = read_csv_sources(sources(&fs), &with_blocksize(total + 1)).unwrap();
    assert_eq!(one.npartitions(), 1);
    // Every layout gives the answers of a plain loop over the rows.
    let n = 40 * 10;
    let want_sum: f64 = (0..n).map(|k| k as f64 * 0.5).sum();
    for df in [&grouped, &each, &one] {
        for s in [Scheduler::Sync, Scheduler::Threads] {
            assert_eq!(df.len().unwrap().compute(s).unwrap(), n as f64);
            let x = df.col("x").unwrap();
            assert_eq!(
                x.reduce(SeriesReduce::Sum, 1.0)
                    .unwrap()
                    .compute(s)
                    .unwrap(),
                want_sum
            );
            assert_eq!(
                x.reduce(SeriesReduce::Max, 1.0)
                    .unwrap()
                    .compute(s)
                    .unwrap(),
                (n - 1) as f64 * 0.5
            );
        }
    }
    // The first rows are the first file's, in order.
    let head = grouped.head(3, Scheduler::Threads).unwrap();
    assert_eq!(head.len(), 3);
    let i = head.names.iter().position(|c| c == "i").unwrap();
    assert_eq!(
        head.columns[i],
        daskling::kernels::dataframe::Column::Int64(vec![0, 1, 2])
    );
}

#[test]
fn a_large_file_among_small_ones_is_split_and_ends_the_run() {
    let mut fs = files(6, 5);
    let big = files(1, 400).remove(0).1;
    fs.insert(3, ("big.csv".into(), big.clone()));
    let sizes: Vec<u64> = fs.iter().map(|(_, t)| t.len() as u64).collect();
    let blocksize = sizes[..3].iter().sum::<u64>();
    let df = read_csv_sources(sources(&fs), &with_blocksize(blocksize)).unwrap();
    // Files 0-2 (one run), big.csv in ceil(size / blocksize) blocks, then files 3-5.
    assert_eq!(df.npartitions(), by_hand(&sizes, blocksize));
    let blocks = (big.len() as u64).div_ceil(blocksize) as usize;
    assert!(df.npartitions() > blocks + 1);
    let rows = 6 * 5 + 400;
    assert_eq!(
        df.len().unwrap().compute(Scheduler::Threads).unwrap(),
        rows as f64
    );
}

#[test]
fn errors_in_a_grouped_partition_name_the_file_and_its_own_line() {
    let mut fs = files(5, 4);
    // The fourth file's third row (line 4 of that file) has a bad value.
    fs[3].1 = fs[3].1.replacen("13,6.5", "13,six", 1);
    assert!(fs[3].1.contains("six"), "the edit applies");
    let df = read_csv_sources(sources(&fs), &with_blocksize(1 << 20)).unwrap();
    assert_eq!(df.npartitions(), 1);
    let e = df
        .col("x")
        .unwrap()
        .reduce(SeriesReduce::Sum, 1.0)
        .unwrap()
        .compute(Scheduler::Threads)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("f003.csv, line 3, column x: cannot parse 'six' as float64"),
        "{e}"
    );
    // A later file with other columns names that file's header line.
    let mut fs = files(3, 2);
    fs[2].1 = fs[2].1.replacen("i,x", "i,y", 1);
    let df = read_csv_sources(sources(&fs), &with_blocksize(1 << 20)).unwrap();
    let e = df
        .len()
        .unwrap()
        .compute(Scheduler::Sync)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("f002.csv, line 1: the header names the columns i, y"),
        "{e}"
    );
}

/// Reads that finish on other threads (a browser's reader workers, simulated with OS
/// threads): native only.
#[cfg(not(target_arch = "wasm32"))]
mod background {
    use super::*;
    use daskling::kernels::dataframe::source::{Part, PendingRead};
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    /// A source whose reads finish on another thread after `delay`, counting reads in
    /// flight; `fail` makes them fail.
    struct Background {
        inner: MemorySource,
        delay: Duration,
        fail: bool,
        in_flight: Arc<AtomicUsize>,
        peak: Arc<AtomicUsize>,
        begun: Arc<AtomicUsize>,
        dropped: Arc<AtomicUsize>,
    }

    /// Where a background read leaves its result.
    type Slot = Arc<std::sync::Mutex<Option<Result<Vec<u8>, String>>>>;

    struct Pending {
        done: Arc<AtomicBool>,
        bytes: Slot,
        dropped: Arc<AtomicUsize>,
    }

    impl PendingRead for Pending {
        fn is_done(&self) -> bool {
            self.done.load(Ordering::Acquire)
        }
        fn finish(self: Box<Self>) -> Result<Vec<u8>, String> {
            self.bytes.lock().unwrap().take().expect("finished once")
        }
    }

    impl Drop for Pending {
        fn drop(&mut self) {
            self.dropped.fetch_add(1, Ordering::SeqCst);
        }
    }

    impl ByteSource for Background {
        fn name(&self) -> &str {
            self.inner.name()
        }
        fn len(&self) -> u64 {
            self.inner.len()
        }
        /// Sampling the first file for its schema reads synchronously.
        fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
            self.inner.read(start, end)
        }
        fn begin_read(&self, parts: &[Part]) -> Option<Box<dyn PendingRead>> {
            self.begun.fetch_add(1, Ordering::SeqCst);
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.peak.fetch_max(now, Ordering::SeqCst);
            let result = if self.fail {
                Err("the disk is gone".to_string())
            } else {
                let mut out = Vec::new();
                for p in parts {
                    out.extend(self.inner.read(p.start, p.end).unwrap());
                }
                Ok(out)
            };
            let done = Arc::new(AtomicBool::new(false));
            let bytes: Slot = Arc::new(std::sync::Mutex::new(None));
            let (d, b, f, delay) = (
                done.clone(),
                bytes.clone(),
                self.in_flight.clone(),
                self.delay,
            );
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                *b.lock().unwrap() = Some(result);
                f.fetch_sub(1, Ordering::SeqCst);
                d.store(true, Ordering::Release);
            });
            Some(Box::new(Pending {
                done,
                bytes,
                dropped: self.dropped.clone(),
            }))
        }
    }

    struct Counters {
        peak: Arc<AtomicUsize>,
        begun: Arc<AtomicUsize>,
        dropped: Arc<AtomicUsize>,
    }

    fn background(
        fs: &[(String, String)],
        delay: Duration,
        fail: bool,
    ) -> (Vec<Arc<dyn ByteSource>>, Counters) {
        let c = Counters {
            peak: Arc::new(AtomicUsize::new(0)),
            begun: Arc::new(AtomicUsize::new(0)),
            dropped: Arc::new(AtomicUsize::new(0)),
        };
        let in_flight = Arc::new(AtomicUsize::new(0));
        let srcs = fs
            .iter()
            .map(|(n, t)| {
                Arc::new(Background {
                    inner: MemorySource::new(n.as_str(), t.as_bytes().to_vec()),
                    delay,
                    fail,
                    in_flight: in_flight.clone(),
                    peak: c.peak.clone(),
                    begun: c.begun.clone(),
                    dropped: c.dropped.clone(),
                }) as Arc<dyn ByteSource>
            })
            .collect();
        (srcs, c)
    }

    #[test]
    fn background_reads_run_several_at_once_within_the_streaming_bound() {
        let fs = files(60, 20);
        let n = 60 * 20;
        let (srcs, c) = background(&fs, Duration::from_millis(3), false);
        // blocksize 0: 60 partitions, 60 reads.
        let df = read_csv_sources(srcs, &with_blocksize(0)).unwrap();
        let sum = df
            .col("x")
            .unwrap()
            .reduce(SeriesReduce::Sum, 1.0)
            .unwrap()
            .compute(Scheduler::Threads)
            .unwrap();
        assert_eq!(sum, (0..n).map(|k| k as f64 * 0.5).sum::<f64>());
        assert_eq!(c.begun.load(Ordering::SeqCst), 60);
        assert_eq!(c.dropped.load(Ordering::SeqCst), 60);
        let peak = c.peak.load(Ordering::SeqCst);
        let bound = (2 * rayon::current_num_threads()).max(4);
        assert!(peak >= 2, "reads ran one at a time (peak {peak} in flight)");
        assert!(
            peak <= bound,
            "{peak} reads in flight, over the bound {bound}"
        );
    }

    #[test]
    fn a_failed_background_read_fails_the_compute_and_no_read_is_left_behind() {
        let fs = files(30, 5);
        let (srcs, c) = background(&fs, Duration::from_millis(2), true);
        let df = read_csv_sources(srcs, &with_blocksize(0)).unwrap();
        let e = df
            .len()
            .unwrap()
            .compute(Scheduler::Threads)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the disk is gone"), "{e}");
        // Every read started was finished or dropped (none leaked with the compute).
        assert_eq!(
            c.begun.load(Ordering::SeqCst),
            c.dropped.load(Ordering::SeqCst)
        );
        assert!(
            c.begun.load(Ordering::SeqCst) < 30,
            "the failure stopped further reads"
        );
    }
}

/// A source counting the bytes read from it.
struct Counted {
    inner: MemorySource,
    read: Arc<AtomicUsize>,
}

impl ByteSource for Counted {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn len(&self) -> u64 {
        self.inner.len()
    }
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        let b = self.inner.read(start, end)?;
        self.read.fetch_add(b.len(), Ordering::SeqCst);
        Ok(b)
    }
}

#[test]
fn head_of_a_grouped_partition_reads_only_its_first_files() {
    let fs = files(40, 5000);
    let total: usize = fs.iter().map(|(_, t)| t.len()).sum();
    let read = Arc::new(AtomicUsize::new(0));
    let srcs: Vec<Arc<dyn ByteSource>> = fs
        .iter()
        .map(|(n, t)| {
            Arc::new(Counted {
                inner: MemorySource::new(n.as_str(), t.as_bytes().to_vec()),
                read: read.clone(),
            }) as Arc<dyn ByteSource>
        })
        .collect();
    let df = read_csv_sources(srcs, &ReadOptions::default()).unwrap();
    assert_eq!(df.npartitions(), 1, "{total} bytes: one 16 MB partition");
    let sampled = read.swap(0, Ordering::SeqCst);
    // Through row-wise operations: x > 10 keeps rows from i = 21 on.
    let x = df.col("x").unwrap();
    let mask = x
        .scalar_op(daskling::kernels::array::BinaryOp::Gt, 10.0, false)
        .unwrap();
    let head = df
        .filter(&mask)
        .unwrap()
        .head(4, Scheduler::Threads)
        .unwrap();
    let i = head.names.iter().position(|c| c == "i").unwrap();
    assert_eq!(
        head.columns[i],
        daskling::kernels::dataframe::Column::Int64(vec![21, 22, 23, 24])
    );
    let used = read.load(Ordering::SeqCst);
    assert!(
        used <= (1 << 20) + fs[0].1.len(),
        "head read {used} of {total} bytes (sampling read {sampled})"
    );
    // An aggregate is not re-laid-out: its head is its value.
    let n = df.len().unwrap().compute(Scheduler::Threads).unwrap();
    assert_eq!(n, 40.0 * 5000.0);
}

#[test]
fn head_of_a_large_file_reads_its_first_megabytes_and_blocks_chain_their_counts() {
    // One 5.5 MB file in 4 MB blocks: head reads the first 1 MB block (and the start of the
    // next, for the line across), not the first 4 MB.
    let (name, text) = files(1, 300_000).remove(0);
    let total = text.len();
    let read = Arc::new(AtomicUsize::new(0));
    let src: Arc<dyn ByteSource> = Arc::new(Counted {
        inner: MemorySource::new(name.as_str(), text.into_bytes()),
        read: read.clone(),
    });
    let df = read_csv_sources(vec![src], &with_blocksize(4 << 20)).unwrap();
    assert_eq!(df.npartitions(), total.div_ceil(4 << 20));
    read.store(0, Ordering::SeqCst);
    let head = df.head(3, Scheduler::Threads).unwrap();
    let i = head.names.iter().position(|c| c == "i").unwrap();
    assert_eq!(
        head.columns[i],
        daskling::kernels::dataframe::Column::Int64(vec![0, 1, 2])
    );
    let used = read.load(Ordering::SeqCst);
    assert!(used <= 2 << 20, "head read {used} of {total} bytes");
    // The whole file in 64 KiB blocks (85 of them): the counts of earlier blocks are a
    // chain of sums; the answer is the hand sum.
    let df = read_csv_sources(
        vec![Arc::new(MemorySource::new(
            "f.csv",
            files(1, 300_000).remove(0).1.into_bytes(),
        )) as Arc<dyn ByteSource>],
        &with_blocksize(64 << 10),
    )
    .unwrap();
    let nb = total.div_ceil(64 << 10);
    assert_eq!(df.npartitions(), nb);
    let x = df.col("i").unwrap().reduce(SeriesReduce::Sum, 1.0).unwrap();
    // Linear: every parse's 4 inputs at most, a 2-input sum per block, the reduction; a
    // parse depending on every earlier scan would make ~nb²/2 = 3,600 edges.
    let (g, _) = daskling::Lazy::graph(&x.0).unwrap();
    let edges: usize = g.iter().map(|(_, t)| t.deps.len()).sum();
    assert!(edges < 10 * nb, "{edges} edges for {nb} blocks");
    let want = (0..300_000u64).sum::<u64>() as f64;
    assert_eq!(x.compute(Scheduler::Threads).unwrap(), want);
}
