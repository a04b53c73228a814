//! Sources named in expressions. An expression holds its sources; its serialized form
//! names them by id, name and size only, and the side that decodes it (the compute
//! worker, with the page's `File`s) registers the sources under those ids first. The
//! registry holds weak references, as the array data registry does.

use std::sync::{Arc, Mutex, Weak};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::kernels::dataframe::source::ByteSource;

type Registry = FxHashMap<String, Weak<dyn ByteSource>>;

static SOURCES: Mutex<Option<Registry>> = Mutex::new(None);

/// A source in an expression.
#[derive(Clone)]
pub struct SourceRef {
    /// Identity: equal ids are the same bytes (and share their read tasks).
    pub id: String,
    /// The name in messages.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// The bytes, where this side can read them.
    pub held: Option<Arc<dyn ByteSource>>,
}

impl std::fmt::Debug for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({} bytes, {})", self.name, self.size, self.id)
    }
}

impl PartialEq for SourceRef {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// Registers `source` under `id` (so expressions naming it can be decoded here).
pub fn register(id: &str, source: Arc<dyn ByteSource>) -> SourceRef {
    let mut reg = SOURCES.lock().unwrap_or_else(|e| e.into_inner());
    let map = reg.get_or_insert_with(Default::default);
    // Drop dead entries now and then (when the table doubles), not on every insert.
    if map.len() >= 256 && map.len().is_power_of_two() {
        map.retain(|_, w| w.strong_count() > 0);
    }
    map.insert(id.to_string(), Arc::downgrade(&source));
    SourceRef {
        id: id.to_string(),
        name: source.name().to_string(),
        size: source.len(),
        held: Some(source),
    }
}

fn lookup(id: &str) -> Option<Arc<dyn ByteSource>> {
    let reg = SOURCES.lock().unwrap_or_else(|e| e.into_inner());
    reg.as_ref()?.get(id)?.upgrade()
}

#[derive(Serialize, Deserialize)]
struct Wire {
    id: String,
    name: String,
    size: u64,
}

impl Serialize for SourceRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire {
            id: self.id.clone(),
            name: self.name.clone(),
            size: self.size,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for SourceRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SourceRef, D::Error> {
        let w = Wire::deserialize(d)?;
        let held = lookup(&w.id);
        Ok(SourceRef {
            id: w.id,
            name: w.name,
            size: w.size,
            held,
        })
    }
}
