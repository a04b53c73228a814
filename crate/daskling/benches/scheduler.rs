//! Scheduler overhead: µs per trivial task, native sync and threads.
//! `cargo bench --bench scheduler [-- --json]`; `npm run bench` puts it beside wasm.

use std::time::Instant;

use daskling::graph::{Graph, Key};
use daskling::scheduler::{bench, compute, Scheduler};

fn best_us_per_task(g: &Graph, out: &Key, s: Scheduler, reps: usize) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        let v = compute(g, std::slice::from_ref(out), s);
        let secs = t.elapsed().as_secs_f64();
        assert!(v.is_ok());
        best = best.min(secs);
    }
    best * 1e6 / g.len() as f64
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let cases = [
        ("100k tasks (wide map-reduce)", bench::wide(100_000)),
        ("1,000-wide tree reduction", bench::tree(1_000, 2, "tree")),
    ];
    let threads = rayon::current_num_threads();
    let mut rows = Vec::new();
    for (name, (g, out)) in &cases {
        let reps = if g.len() > 10_000 { 5 } else { 50 };
        let sync = best_us_per_task(g, out, Scheduler::Sync, reps);
        let thr = best_us_per_task(g, out, Scheduler::Threads, reps);
        rows.push((name, g.len(), sync, thr));
    }
    if json {
        let items: Vec<String> = rows
            .iter()
            .map(|(n, tasks, s, t)| {
                format!(
                    "{{\"case\":\"{n}\",\"tasks\":{tasks},\"native_sync\":{s:.4},\"native_threads\":{t:.4},\"threads\":{threads}}}"
                )
            })
            .collect();
        println!("[{}]", items.join(","));
    } else {
        println!("scheduler overhead, µs per task (best of runs; {threads} rayon threads)");
        for (n, tasks, s, t) in rows {
            println!("{n:32} {tasks:>7} tasks  sync {s:7.3}  threads {t:7.3}");
        }
    }
}
