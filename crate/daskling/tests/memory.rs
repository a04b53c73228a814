//! The memory limit: computes that cannot fit fail with an error naming what is too
//! large (before they allocate it, where the size is known), and the scheduler's count
//! of held bytes is checked against what the allocator really held.
//!
//! A test binary of its own: its global allocator counts every allocation of the
//! process, so no other test may run beside these (and these run one at a time).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
use daskling::expr::{compute_values_with, Lazy, RunOptions};
use daskling::kernels::dataframe::groupby::GroupAgg;
use daskling::kernels::dataframe::source::MemorySource;
use daskling::{Array, ChunkSpec, Context, Error, Scheduler};

/// The system allocator, counting bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        IN_USE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The tests measure the process-wide allocator: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `f`, returning its value and the most bytes allocated above the start meanwhile.
fn measured<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let v = f();
    (v, (PEAK.load(Ordering::Relaxed) - base) as u64)
}

fn limited(bytes: u64) -> RunOptions {
    RunOptions {
        scheduler: Scheduler::Sync,
        trace: None,
        memory_limit: Some(bytes),
        ..RunOptions::default()
    }
}

fn limit_error(e: Error) -> (String, u64, u64) {
    match e {
        Error::MemoryLimit {
            what,
            needed,
            limit,
            ..
        } => (what, needed, limit),
        other => panic!("expected a memory limit error, got {other}"),
    }
}

#[test]
fn a_result_too_large_fails_before_anything_is_allocated() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 20000 x 20000 float64: 3.2 GB, over a 1 GB limit.
    let x = Array::ones(&[20_000, 20_000], ChunkSpec::Block(vec![2_000, 2_000])).unwrap();
    let (r, allocated) =
        measured(|| compute_values_with(&[&x as &dyn Lazy], &limited(1_000_000_000), &mut |_| {}));
    let (what, needed, limit) = limit_error(r.unwrap_err());
    assert_eq!(needed, 20_000 * 20_000 * 8);
    assert_eq!(limit, 1_000_000_000);
    assert!(what.contains("the computed result (3.20 GB)"), "{what}");
    assert!(
        allocated < 10_000_000,
        "allocated {allocated} bytes before failing"
    );
    // A block larger than the limit: also before anything runs.
    let s = x.sum(None).unwrap();
    let e = compute_values_with(&[&s as &dyn Lazy], &limited(16_000_000), &mut |_| {});
    let (what, needed, _) = limit_error(e.unwrap_err());
    assert_eq!(needed, 2_000 * 2_000 * 8);
    assert!(what.contains("one block (32.0 MB)"), "{what}");
}

#[test]
fn held_results_over_the_limit_fail_naming_the_task() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // x + x.T keeps x's blocks until both uses have run: 100 blocks of 80 kB = 8 MB of
    // x alone, the whole result 8 MB more (kept as outputs), over a 10 MB limit.
    let x = Array::random(&[1_000, 1_000], ChunkSpec::Block(vec![100, 100]), Some(1)).unwrap();
    let y = x.add(&x.transpose(None).unwrap()).unwrap();
    let blocks: Vec<Array> = vec![y.clone()];
    let lazies: Vec<&dyn Lazy> = blocks.iter().map(|a| a as &dyn Lazy).collect();
    let e = compute_values_with(&lazies, &limited(10_000_000), &mut |_| {}).unwrap_err();
    let (what, needed, limit) = limit_error(e);
    assert!(needed > limit && limit == 10_000_000);
    assert!(
        what.starts_with("the result of ") || what.starts_with("running "),
        "{what}"
    );
    // The same within 40 MB computes, and right (checked by a plain loop).
    let (v, _) = compute_values_with(&lazies, &limited(40_000_000), &mut |_| {}).unwrap();
    let got = v[0].as_block("y").unwrap();
    let xv = x.compute(Scheduler::Sync).unwrap();
    for (i, j) in [(0, 0), (3, 997), (500, 20), (999, 999)] {
        assert_eq!(got[[i, j]], xv[[i, j]] + xv[[j, i]]);
    }
}

#[test]
fn a_groupby_table_over_the_limit_fails_and_its_count_is_close_to_the_allocator() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 200,000 distinct keys: the groupby tables are what holds memory.
    let mut csv = String::from("k,v\n");
    for i in 0..200_000u64 {
        csv.push_str(&format!("{},{}\n", i * 7919 % 1_000_003, i % 10));
    }
    let src = Arc::new(MemorySource::new("keys.csv", csv.into_bytes()));
    let df = read_csv_sources(
        vec![src],
        &ReadOptions {
            blocksize: Some(256 * 1024),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let g = df
        .groupby(&df.col("k").unwrap())
        .unwrap()
        .col("v")
        .unwrap()
        .agg(GroupAgg::Sum)
        .unwrap();
    let e = compute_values_with(&[&g.0 as &dyn Lazy], &limited(4_000_000), &mut |_| {});
    let (what, _, _) = limit_error(e.unwrap_err());
    assert!(what.contains("groupby"), "{what}");
    // Within a generous limit: the count against the allocator's own peak.
    let ((v, stats), real) = measured(|| {
        compute_values_with(&[&g.0 as &dyn Lazy], &limited(1 << 32), &mut |_| {}).unwrap()
    });
    let frame = match &v[0] {
        daskling::kernels::Value::Frame(f) => f.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(frame.len(), 200_000);
    close_to_allocator("groupby 200k keys", stats.peak_bytes, real, 0);
}

/// The counted peak is at most what the allocator held (give or take `slack`: a reserved
/// block not yet allocated), and within a factor of 3 of it (the rest is transient).
fn close_to_allocator(what: &str, counted: u64, real: u64, slack: u64) {
    println!("{what}: counted peak {counted} B, allocator peak {real} B");
    assert!(
        counted <= real + slack,
        "{what}: counted {counted} > allocated {real}"
    );
    assert!(
        real <= 3 * counted,
        "{what}: counted {counted} is far below allocated {real}"
    );
}

#[test]
fn an_array_reduction_count_is_close_to_the_allocator() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let x = Array::random(&[2_000, 2_000], ChunkSpec::Block(vec![250, 250]), Some(2)).unwrap();
    let s = x.add_scalar(1.0).unwrap().sum(Some(&[0])).unwrap();
    let ((_, stats), real) = measured(|| {
        compute_values_with(&[&s as &dyn Lazy], &limited(1 << 32), &mut |_| {}).unwrap()
    });
    close_to_allocator("sum(axis=0) of 2000x2000", stats.peak_bytes, real, 600_000);
}

#[test]
fn persisted_arrays_count_against_the_context_limit() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let ctx = Context::new();
    ctx.set_memory_limit(Some(10_000_000));
    let x = Array::ones(&[1_000, 1_000], ChunkSpec::Block(vec![250, 250])).unwrap();
    let p = ctx.persist(&x, Scheduler::Threads).unwrap(); // 8 MB held
    assert_eq!(ctx.held_bytes(), 8_000_000);
    let y = Array::ones(&[600, 600], ChunkSpec::Block(vec![300, 300])).unwrap(); // 2.88 MB
    let e = ctx.persist(&y, Scheduler::Threads).unwrap_err().to_string();
    assert!(e.contains("the computed result (2.88 MB) would bring the memory held to 10.9 MB (8.00 MB of it persisted arrays and data), over the memory limit of 10.0 MB"), "{e}");
    ctx.release(&[p.name().to_string()]);
    assert_eq!(ctx.held_bytes(), 0);
    ctx.persist(&y, Scheduler::Threads).unwrap();
}

#[test]
fn persisted_blocks_read_by_a_compute_are_not_counted_again() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let ctx = Context::new();
    let x = Array::ones(&[1_000, 1_000], ChunkSpec::Block(vec![250, 250])).unwrap();
    let p = ctx.persist(&x, Scheduler::Threads).unwrap(); // 8 MB held, blocks of 0.5 MB
    let s = p.sum(None).unwrap();
    for threads in [false, true] {
        let opts = RunOptions {
            scheduler: if threads {
                Scheduler::Threads
            } else {
                Scheduler::Sync
            },
            ..limited(1 << 32)
        };
        let (v, stats) = compute_values_with(&[&s as &dyn Lazy], &opts, &mut |_| {}).unwrap();
        assert_eq!(v[0].as_block("sum").unwrap().sum(), 1e6);
        // The running tasks' reservations (a block each) and the partial sums are the
        // compute's own; the blocks it reads were held before (`held`), not again.
        let running = stats.threads_used as u64;
        assert!(
            stats.peak_bytes < running * 500_000 + 10_000,
            "threads {threads}: peak {}",
            stats.peak_bytes
        );
    }
}
