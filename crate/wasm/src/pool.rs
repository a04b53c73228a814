//! rayon's global pool on Web Workers (Node: worker threads), for the threaded build.
//!
//! The compute worker calls [`prepare_pool`], starts `n` pool workers that load this
//! module on the same `WebAssembly.Module` and shared memory and call
//! [`run_pool_worker`] (which waits for a rayon thread), then calls [`build_pool`],
//! which hands each waiting worker one of rayon's threads to run. The workers are
//! created by `crate/wasm/js/worker.js` as `new Worker(new URL('./pool-worker.js',
//! import.meta.url))`, a form bundlers follow, where wasm-bindgen-rayon's no-bundler
//! helper restarts its own module from a blob, which they cannot.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Mutex, OnceLock};

use rayon::ThreadBuilder;
use wasm_bindgen::prelude::*;

struct Channel {
    threads: usize,
    sender: Mutex<Option<SyncSender<ThreadBuilder>>>,
    receiver: Mutex<Receiver<ThreadBuilder>>,
}

static CHANNEL: OnceLock<Channel> = OnceLock::new();

/// Makes the channel that hands rayon's `threads` threads to the pool workers.
#[wasm_bindgen(js_name = preparePool)]
pub fn prepare_pool(threads: usize) -> Result<(), JsError> {
    if threads == 0 {
        return Err(JsError::new("the pool needs at least one thread"));
    }
    let (sender, receiver) = sync_channel(threads);
    CHANNEL
        .set(Channel {
            threads,
            sender: Mutex::new(Some(sender)),
            receiver: Mutex::new(receiver),
        })
        .map_err(|_| JsError::new("the pool is already started"))
}

/// This module's `WebAssembly.Module`, for the pool workers.
#[wasm_bindgen(js_name = poolModule)]
pub fn wasm_module() -> JsValue {
    wasm_bindgen::module()
}

/// The shared memory, for the pool workers.
#[wasm_bindgen(js_name = poolMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Builds rayon's global pool, once the pool workers wait in [`run_pool_worker`].
#[wasm_bindgen(js_name = buildPool)]
pub fn build_pool() -> Result<(), JsError> {
    let channel = CHANNEL
        .get()
        .ok_or_else(|| JsError::new("preparePool first"))?;
    let sender = channel
        .sender
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .ok_or_else(|| JsError::new("the pool is already built"))?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(channel.threads)
        .thread_name(|i| format!("daskling-pool-{}", i + 1))
        .spawn_handler(move |thread| {
            sender
                .send(thread)
                .map_err(|e| std::io::Error::other(e.to_string()))
        })
        .build_global()
        .map_err(|e| JsError::new(&format!("the pool did not start: {e}")))
}

/// In a pool worker: waits for one of rayon's threads and runs it, for as long as the
/// pool lives (it does not return).
#[wasm_bindgen(js_name = runPoolWorker)]
pub fn run_pool_worker() -> Result<(), JsError> {
    let channel = CHANNEL
        .get()
        .ok_or_else(|| JsError::new("preparePool first"))?;
    let thread = channel
        .receiver
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .recv()
        .map_err(|_| JsError::new("the pool was not built"))?;
    thread.run();
    Ok(())
}
