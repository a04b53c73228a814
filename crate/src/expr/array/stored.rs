//! Persisted arrays: computed blocks kept in memory under the expression's name, as
//! dask's `persist()`. Later expressions built on a persisted array read its blocks
//! instead of recomputing them.
//!
//! On the compute worker the blocks live in the bindings' table until the page drops
//! every expression that uses them: the page's builder instance holds a [`Remote`]
//! guard per persisted array, and when the last one is dropped the name is queued in
//! [`take_released`] for the worker to free.

use std::sync::{Arc, Mutex, Weak};

use ndarray::ArrayD;
use rustc_hash::FxHashMap;

/// The blocks of a persisted array, row-major.
#[derive(Debug)]
pub struct Stored {
    id: String,
    blocks: Vec<Arc<ArrayD<f64>>>,
}

impl Stored {
    /// The persisted array's name.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Block `i` in row-major order.
    pub fn block(&self, i: usize) -> Option<&Arc<ArrayD<f64>>> {
        self.blocks.get(i)
    }
}

static STORE: Mutex<Option<FxHashMap<String, Weak<Stored>>>> = Mutex::new(None);

/// Registers computed blocks under `id`; they stay findable while an `Arc` lives.
pub fn store(id: String, blocks: Vec<Arc<ArrayD<f64>>>) -> Arc<Stored> {
    let s = Arc::new(Stored {
        id: id.clone(),
        blocks,
    });
    let mut reg = STORE.lock().unwrap_or_else(|e| e.into_inner());
    let map = reg.get_or_insert_with(FxHashMap::default);
    map.retain(|_, w| w.strong_count() > 0);
    map.insert(id, Arc::downgrade(&s));
    s
}

/// The blocks persisted under `id`, if they are still held.
pub fn lookup(id: &str) -> Option<Arc<Stored>> {
    let reg = STORE.lock().unwrap_or_else(|e| e.into_inner());
    reg.as_ref()?.get(id)?.upgrade()
}

/// Live guards per name, and the names whose last guard went.
type Live = (FxHashMap<String, usize>, Vec<String>);

/// Guards held by expressions on the page's builder instance.
static LIVE: Mutex<Option<Live>> = Mutex::new(None);

/// Marks a persisted array that lives elsewhere (on the compute worker): while any
/// expression holds it the worker keeps the blocks.
#[derive(Debug)]
pub struct Remote {
    id: String,
}

impl Remote {
    /// A guard for `id`.
    pub fn new(id: &str) -> Remote {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        let (counts, _) = live.get_or_insert_with(Default::default);
        *counts.entry(id.to_string()).or_insert(0) += 1;
        Remote { id: id.to_string() }
    }
}

impl Drop for Remote {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        let (counts, released) = live.get_or_insert_with(Default::default);
        if let Some(c) = counts.get_mut(&self.id) {
            *c -= 1;
            if *c == 0 {
                counts.remove(&self.id);
                released.push(self.id.clone());
            }
        }
    }
}

/// Names whose last guard was dropped since the previous call.
pub fn take_released() -> Vec<String> {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    match live.as_mut() {
        Some((_, released)) => std::mem::take(released),
        None => vec![],
    }
}

/// What a persisted-array expression holds: the blocks, or a guard for remote ones.
#[derive(Clone, Debug)]
pub enum Held {
    /// The blocks, here.
    Local(Arc<Stored>),
    /// Blocks on the compute worker.
    Remote(Arc<Remote>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_guard_releases_the_name() {
        let a = Remote::new("persist-test-x");
        let b = Remote::new("persist-test-x");
        drop(a);
        assert!(!take_released().contains(&"persist-test-x".to_string()));
        drop(b);
        assert!(take_released().contains(&"persist-test-x".to_string()));
    }
}
