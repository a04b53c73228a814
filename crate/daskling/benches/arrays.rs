//! Array benchmark: `x = random((4000, 4000), chunks=(1000, 1000))`, persisted, then
//! `x.dot(x.T).sum()`, `x.mean()`, `x.std()`, `x.add(x.T).sum(axis=0)` on the native
//! thread pool. Best seconds of a few runs. `cargo bench --bench arrays [-- --json]`;
//! `npm run bench` puts it beside wasm.

use std::time::Instant;

use daskling::expr::array::{Array, ChunkSpec};
use daskling::Scheduler;

fn best<F: FnMut() -> f64>(reps: usize, mut f: F) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        let v = f();
        let secs = t.elapsed().as_secs_f64();
        assert!(v.is_finite());
        best = best.min(secs);
    }
    best
}

fn scalar(a: &Array) -> f64 {
    let v = a.compute(Scheduler::Threads).expect("compute");
    v.iter().copied().next().unwrap_or(f64::NAN)
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let n = 4000;
    let x = Array::random(&[n, n], ChunkSpec::Block(vec![1000, 1000]), Some(0)).expect("random");
    let gen = best(3, || {
        let p = x.persist(Scheduler::Threads).expect("persist");
        p.size() as f64
    });
    let x = x.persist(Scheduler::Threads).expect("persist");
    let xt = x.t();
    let dot = x.dot(&xt).and_then(|d| d.sum(None)).expect("dot");
    let mean = x.mean(None).expect("mean");
    let std = x.std(None, 0.0).expect("std");
    let tsum = x.add(&xt).and_then(|s| s.sum(Some(&[0]))).expect("add");
    let rows = [
        ("random (persist)", gen),
        ("dot", best(2, || scalar(&dot))),
        ("mean", best(5, || scalar(&mean))),
        ("std", best(5, || scalar(&std))),
        (
            "transpose sum",
            best(5, || {
                let v = tsum.compute(Scheduler::Threads).expect("compute");
                v.sum()
            }),
        ),
    ];
    let threads = rayon::current_num_threads();
    if json {
        let items: Vec<String> = rows
            .iter()
            .map(|(c, s)| format!("{{\"case\":\"{c}\",\"seconds\":{s:.6},\"threads\":{threads}}}"))
            .collect();
        println!("[{}]", items.join(","));
    } else {
        println!("arrays, 4000x4000 in 1000x1000 blocks, best seconds ({threads} threads)");
        for (c, s) in rows {
            println!("{c:20} {s:9.4} s");
        }
        println!(
            "dot: {:.1} GFLOP/s",
            2.0 * (n as f64).powi(3) / rows[1].1 / 1e9
        );
    }
}
