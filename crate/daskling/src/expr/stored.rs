//! Persisted arrays and dataframes: computed blocks or partitions kept in memory under
//! the expression's name, as dask's `persist()`. Later expressions built on a persisted
//! value read its parts instead of recomputing them.
//!
//! On the compute worker the parts live in its [`Context`](crate::Context) until the
//! page drops every expression that uses them: the page's context gives each persisted
//! value (and each `fromArray` / `fromColumns` data) a [`Guard`], and when the last one
//! is dropped the name is queued for the worker to free ([`Context::take_released`](crate::Context::take_released)).

use std::sync::{Arc, Mutex};

use ndarray::ArrayD;
use rustc_hash::FxHashMap;

use crate::kernels::dataframe::Frame;
use crate::kernels::Value;

/// The parts of a persisted value, in order. (Typed rather than [`Value`]s: the page's
/// expressions hold them, and wasm-bindgen needs what they hold to be unwind-safe.)
#[derive(Debug)]
pub enum Stored {
    /// An array's blocks, row-major.
    Blocks(Vec<Arc<ArrayD<f64>>>),
    /// A dataframe's or series' partitions.
    Frames(Vec<Arc<Frame>>),
}

impl Stored {
    /// The parts of computed `values`: blocks, or frames (`None` when they are neither,
    /// or mixed).
    pub fn of(values: Vec<Value>) -> Option<Stored> {
        let blocks: Option<Vec<_>> = values
            .iter()
            .map(|v| match v {
                Value::Block(b) => Some(b.clone()),
                _ => None,
            })
            .collect();
        if let Some(b) = blocks {
            return Some(Stored::Blocks(b));
        }
        let frames: Option<Vec<_>> = values
            .iter()
            .map(|v| match v {
                Value::Frame(f) => Some(f.clone()),
                _ => None,
            })
            .collect();
        frames.map(Stored::Frames)
    }

    /// Part `i` as a task's value.
    pub fn part(&self, i: usize) -> Option<Value> {
        match self {
            Stored::Blocks(b) => b.get(i).cloned().map(Value::Block),
            Stored::Frames(f) => f.get(i).cloned().map(Value::Frame),
        }
    }

    /// Block `i` in row-major order (`None` past the end, or for a frame's part).
    pub fn block(&self, i: usize) -> Option<&Arc<ArrayD<f64>>> {
        match self {
            Stored::Blocks(b) => b.get(i),
            Stored::Frames(_) => None,
        }
    }

    /// Bytes of the parts.
    pub fn nbytes(&self) -> u64 {
        match self {
            Stored::Blocks(b) => b.iter().map(|b| 8 * b.len() as u64).sum(),
            Stored::Frames(f) => f.iter().map(|f| f.nbytes()).sum(),
        }
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

/// What a persisted expression holds: the parts, or a guard for remote ones.
#[derive(Clone, Debug)]
pub enum Held {
    /// The parts, here.
    Local(Arc<Stored>),
    /// Parts on the compute worker.
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
