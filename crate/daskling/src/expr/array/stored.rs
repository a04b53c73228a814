//! Persisted arrays: computed blocks kept in memory under the expression's name, as
//! dask's `persist()`. Later expressions built on a persisted array read its blocks
//! instead of recomputing them.
//!
//! On the compute worker the blocks live in its [`Context`](crate::Context) until the
//! page drops every expression that uses them: the page's context gives each persisted
//! array (and each `fromArray` data) a [`Guard`], and when the last one is dropped the
//! name is queued for the worker to free ([`Context::take_released`](crate::Context::take_released)).

use std::sync::{Arc, Mutex};

use ndarray::ArrayD;
use rustc_hash::FxHashMap;

/// The blocks of a persisted array, row-major.
#[derive(Debug)]
pub struct Stored {
    blocks: Vec<Arc<ArrayD<f64>>>,
}

impl Stored {
    /// Blocks in row-major order.
    pub fn new(blocks: Vec<Arc<ArrayD<f64>>>) -> Stored {
        Stored { blocks }
    }

    /// Block `i` in row-major order.
    pub fn block(&self, i: usize) -> Option<&Arc<ArrayD<f64>>> {
        self.blocks.get(i)
    }

    /// Bytes of the blocks.
    pub fn nbytes(&self) -> u64 {
        self.blocks.iter().map(|b| 8 * b.len() as u64).sum()
    }
}

/// Live guards per name, and the names whose last guard went.
#[derive(Debug, Default)]
pub(crate) struct Live {
    counts: FxHashMap<String, usize>,
    released: Vec<String>,
}

impl Live {
    /// Names whose last guard was dropped since the previous call.
    pub(crate) fn take_released(&mut self) -> Vec<String> {
        std::mem::take(&mut self.released)
    }
}

/// Marks something that lives elsewhere (on the compute worker) under a name: while any
/// guard for the name lives, the worker keeps it.
#[derive(Debug)]
pub struct Guard {
    id: String,
    live: Arc<Mutex<Live>>,
}

impl Guard {
    /// A guard for `id`, counted in `live`.
    pub(crate) fn new(id: &str, live: Arc<Mutex<Live>>) -> Guard {
        let mut l = live.lock().unwrap_or_else(|e| e.into_inner());
        *l.counts.entry(id.to_string()).or_insert(0) += 1;
        drop(l);
        Guard {
            id: id.to_string(),
            live,
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let mut l = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = l.counts.get_mut(&self.id) {
            *c -= 1;
            if *c == 0 {
                l.counts.remove(&self.id);
                l.released.push(self.id.clone());
            }
        }
    }
}

/// What a persisted-array expression holds: the blocks, or a guard for remote ones.
#[derive(Clone, Debug)]
pub enum Held {
    /// The blocks, here.
    Local(Arc<Stored>),
    /// Blocks on the compute worker.
    Remote(Arc<Guard>),
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_last_guard_releases_the_name() {
        let live = Arc::new(Mutex::new(Live::default()));
        let a = Guard::new("x", live.clone());
        let b = Guard::new("x", live.clone());
        drop(a);
        assert!(live.lock().unwrap().take_released().is_empty());
        drop(b);
        assert_eq!(live.lock().unwrap().take_released(), vec!["x".to_string()]);
    }
}
