//! Several executions at once on the one pool: each gets its own answer, a quick one
//! started while a long one keeps the pool busy is not queued behind it, and
//! cancelling one leaves the others running.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;
use std::time::{Duration, Instant};

use daskling_core::cancel::CancelToken;
use daskling_core::Error;
use daskling_graph::{Graph, Key, Task};
use daskling_kernels::{Func, Kernel, Value};
use daskling_scheduler::{wait, Execution, Plan, Run, Scheduler, Ticket};

/// `n` leaves that each sleep `ms` and give their number, summed by one task.
fn naps(name: &str, n: u32, ms: u64) -> Arc<Plan> {
    let leaf = |i: u32| {
        Kernel::Func(Func {
            name: "nap".into(),
            body: Arc::new(move |_: &[Value]| {
                std::thread::sleep(Duration::from_millis(ms));
                Ok(Value::F64(i as f64))
            }),
        })
    };
    let sum = Kernel::Func(Func {
        name: "sum".into(),
        body: Arc::new(|v: &[Value]| {
            Ok(Value::F64(
                v.iter()
                    .map(|x| if let Value::F64(x) = x { *x } else { f64::NAN })
                    .sum(),
            ))
        }),
    });
    let mut g = Graph::new();
    let leaves: Vec<Key> = (0..n)
        .map(|i| {
            let k = Key::new(format!("{name}-leaf"), &[i]);
            g.insert(k.clone(), Task::new(leaf(i), vec![]));
            k
        })
        .collect();
    let out = Key::named(name);
    g.insert(out.clone(), Task::new(sum, leaves));
    Arc::new(Plan::new(&g, &[out]).unwrap())
}

fn threads(cancel: Option<CancelToken>) -> Run {
    Run {
        scheduler: Scheduler::Threads,
        cancel,
        ..Run::default()
    }
}

fn value(out: daskling_core::Result<(Vec<Value>, daskling_scheduler::Stats)>) -> f64 {
    match out.unwrap().0[0] {
        Value::F64(x) => x,
        ref v => panic!("{v:?}"),
    }
}

/// Polls `runs` in turn until each is over; the outcome and time of each.
fn poll_all(runs: Vec<Execution>, start: Instant) -> Vec<(daskling_core::Result<f64>, Duration)> {
    let mut runs: Vec<Option<Execution>> = runs.into_iter().map(Some).collect();
    let mut out: Vec<Option<(daskling_core::Result<f64>, Duration)>> = vec![None; runs.len()];
    while out.iter().any(Option::is_none) {
        let ticket = Ticket::now();
        for (k, slot) in runs.iter_mut().enumerate() {
            if let Some(r) = slot {
                if let Some(o) = r.poll(None, &mut |_| {}) {
                    let v = o.map(|(v, _)| match v[0] {
                        Value::F64(x) => x,
                        _ => f64::NAN,
                    });
                    out[k] = Some((v, start.elapsed()));
                    *slot = None;
                }
            }
        }
        wait(ticket, Duration::from_millis(5));
    }
    out.into_iter().map(Option::unwrap).collect()
}

#[test]
fn a_quick_run_is_not_queued_behind_a_long_one() {
    if rayon::current_num_threads() < 2 {
        eprintln!("skipped: one thread");
        return;
    }
    // 600 leaves of 5 ms: 1.5 s on two threads, every task readied at the start.
    let long = naps("long", 600, 5);
    let quick = naps("quick", 8, 1);
    let start = Instant::now();
    let mut first = Execution::start(long, threads(None));
    assert!(first.poll(None, &mut |_| {}).is_none());
    std::thread::sleep(Duration::from_millis(100));
    let second = Execution::start(quick, threads(None));
    let out = poll_all(vec![first, second], start);
    let expect = |n: u32| (0..n).sum::<u32>() as f64;
    assert_eq!(out[0].0.as_ref().unwrap(), &expect(600));
    assert_eq!(out[1].0.as_ref().unwrap(), &expect(8));
    // The quick one takes turns with the long one: a few of its 5 ms tasks, not 1.4 s.
    assert!(
        out[1].1 < Duration::from_millis(400),
        "quick answered after {:?}",
        out[1].1
    );
    assert!(out[1].1 < out[0].1, "{out:?}");
}

#[test]
fn twenty_runs_at_once_each_get_their_own_answer() {
    let plans: Vec<(Arc<Plan>, u32)> = (0..20u32)
        .map(|k| (naps(&format!("run{k}"), 3 + k % 7 * 10, 1), 3 + k % 7 * 10))
        .collect();
    let runs = plans
        .iter()
        .map(|(p, _)| Execution::start(p.clone(), threads(None)))
        .collect();
    let out = poll_all(runs, Instant::now());
    for ((_, n), (v, _)) in plans.iter().zip(&out) {
        assert_eq!(*v.as_ref().unwrap(), (0..*n).sum::<u32>() as f64);
    }
}

#[test]
fn cancelling_one_run_leaves_the_others_running() {
    let token = CancelToken::new();
    let doomed = Execution::start(naps("doomed", 400, 5), threads(Some(token.clone())));
    let kept = Execution::start(naps("kept", 40, 5), threads(None));
    token.cancel();
    let out = poll_all(vec![doomed, kept], Instant::now());
    assert!(matches!(out[0].0, Err(Error::Cancelled)), "{:?}", out[0].0);
    assert_eq!(*out[1].0.as_ref().unwrap(), (0..40u32).sum::<u32>() as f64);
    // And the pool is free for the next compute.
    let again = Execution::start(naps("again", 4, 1), threads(None));
    assert_eq!(value(again.finish(&mut |_| {})), 6.0);
}

#[test]
fn the_synchronous_scheduler_runs_a_slice_per_poll() {
    let clock: daskling_scheduler::Clock = || {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
    };
    let run = Run {
        scheduler: Scheduler::Sync,
        clock: Some(clock),
        ..Run::default()
    };
    // 50 tasks of 2 ms: a 10 ms slice runs a handful, never all.
    let mut e = Execution::start(naps("slices", 50, 2), run);
    let mut polls = 0;
    let mut done = vec![];
    let out = loop {
        polls += 1;
        let until = clock() + 10.0;
        if let Some(o) = e.poll(Some(until), &mut |p| done.push(p.done)) {
            break o;
        }
    };
    assert_eq!(value(out), (0..50u32).sum::<u32>() as f64);
    assert!(polls >= 5, "{polls} polls");
    assert!(done.windows(2).all(|w| w[0] <= w[1]), "{done:?}");
}

#[test]
fn a_cancelled_run_ends_once_its_running_tasks_have_returned() {
    // One task that sleeps 300 ms without looking at the cancel flag (as a JavaScript
    // function does): the run's outcome waits for it, so a caller told "stopped" knows
    // the pool thread is free again.
    let token = CancelToken::new();
    let mut e = Execution::start(naps("deaf", 1, 300), threads(Some(token.clone())));
    assert!(e.poll(None, &mut |_| {}).is_none());
    std::thread::sleep(Duration::from_millis(50));
    let start = Instant::now();
    token.cancel();
    let out = e.finish(&mut |_| {});
    assert!(matches!(out, Err(Error::Cancelled)), "{out:?}");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(200),
        "ended after {waited:?}, before its task returned"
    );
}

/// `n` leaves of 100 kB each, all held until one task sums their lengths; the `k`-th
/// leaf to run first sleeps `nap(k)` ms.
fn blobs(name: &str, n: u32, nap: fn(usize) -> u64) -> Arc<Plan> {
    let started = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let leaf = Kernel::Func(Func {
        name: "blob".into(),
        body: Arc::new(move |_: &[Value]| {
            let k = started.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(nap(k)));
            Ok(Value::Bytes(Arc::from(vec![0u8; 100_000])))
        }),
    });
    let total = Kernel::Func(Func {
        name: "total".into(),
        body: Arc::new(|v: &[Value]| {
            let n: usize = v
                .iter()
                .map(|x| if let Value::Bytes(b) = x { b.len() } else { 0 })
                .sum();
            Ok(Value::F64(n as f64))
        }),
    });
    let mut g = Graph::new();
    let leaves: Vec<Key> = (0..n)
        .map(|i| {
            let k = Key::new(format!("{name}-blob"), &[i]);
            g.insert(k.clone(), Task::new(leaf.clone(), vec![]));
            k
        })
        .collect();
    let out = Key::named(name);
    g.insert(out.clone(), Task::new(total, leaves));
    Arc::new(Plan::new(&g, &[out]).unwrap())
}

#[test]
fn the_compute_holding_the_most_fails_when_the_shared_budget_is_full() {
    // Limit 1 MB for all computes together. A hog of 8 blobs (0.8 MB) holds 0.7 MB and
    // then runs a slow one (one pool thread); a modest compute of 5 blobs (0.5 MB)
    // started then takes the total over the limit with its 4th blob. Each would fit
    // alone; together they do not, and the one holding more — the hog — fails, the
    // modest one completes.
    let schedulers = if rayon::current_num_threads() >= 2 {
        vec![Scheduler::Threads, Scheduler::Sync]
    } else {
        vec![Scheduler::Sync]
    };
    for scheduler in schedulers {
        let clock: daskling_scheduler::Clock = || {
            static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
            START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
        };
        let budget = Arc::new(daskling_scheduler::Budget::default());
        let run = || Run {
            scheduler,
            clock: Some(clock),
            limit: daskling_scheduler::MemoryLimit::new(1_000_000),
            budget: Some(budget.clone()),
            ..Run::default()
        };
        let mut hog = Execution::start(blobs("hog", 8, |k| if k < 7 { 1 } else { 300 }), run());
        let start = Instant::now();
        while budget.held() < 700_000 {
            assert!(
                hog.poll(Some(clock() + 5.0), &mut |_| {}).is_none(),
                "{scheduler:?}"
            );
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{scheduler:?}: {}",
                budget.held()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let modest = Execution::start(blobs("modest", 5, |_| 1), run());
        let out = poll_all(vec![modest, hog], Instant::now());
        assert_eq!(*out[0].0.as_ref().unwrap(), 500_000.0, "{scheduler:?}");
        match &out[1].0 {
            // Told to stop by the modest one, or over at its own next result: named.
            Err(Error::MemoryLimit { what, .. }) => assert!(what.contains("hog-blob"), "{what}"),
            other => panic!("{scheduler:?}: the hog gave {other:?}"),
        }
        // Nothing is counted once both are over.
        assert_eq!(budget.held(), 0, "{scheduler:?}");
    }
}
