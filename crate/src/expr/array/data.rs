//! In-memory data of `fromArray`, referred to by a content token.
//!
//! An expression made from data holds it directly; its serialized form names it by
//! token only, so expressions stay small on their way to the compute worker, which
//! receives the data separately (transferred, not encoded) and [`register`]s it before
//! decoding. The registry holds weak references: data lives as long as an expression
//! (or a caller) holds it.

use std::sync::{Arc, Mutex, Weak};

use ndarray::ArrayD;
use rustc_hash::FxHashMap;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::graph::tokenize;

static REGISTRY: Mutex<Option<FxHashMap<String, Weak<ArrayD<f64>>>>> = Mutex::new(None);

/// An array's data and its content token.
#[derive(Clone, Debug)]
pub struct Data {
    id: String,
    array: Arc<ArrayD<f64>>,
}

impl Data {
    /// The content token.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The data.
    pub fn array(&self) -> &Arc<ArrayD<f64>> {
        &self.array
    }
}

/// Registers `array` under its content token (so expressions naming it can be decoded)
/// and returns it with that token.
pub fn register(array: Arc<ArrayD<f64>>) -> Data {
    let bits: Vec<u64> = array.iter().map(|v| v.to_bits()).collect();
    let id = format!("data-{}", tokenize(&(array.shape(), bits)));
    let mut reg = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let map = reg.get_or_insert_with(FxHashMap::default);
    if let Some(existing) = map.get(&id).and_then(Weak::upgrade) {
        return Data {
            id,
            array: existing,
        };
    }
    if map.len() > 64 {
        map.retain(|_, w| w.strong_count() > 0);
    }
    map.insert(id.clone(), Arc::downgrade(&array));
    Data { id, array }
}

fn lookup(id: &str) -> Option<Data> {
    let reg = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let array = reg.as_ref()?.get(id)?.upgrade()?;
    Some(Data {
        id: id.to_string(),
        array,
    })
}

impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id)
    }
}

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Data, D::Error> {
        let id = String::deserialize(d)?;
        lookup(&id).ok_or_else(|| {
            de::Error::custom(format!(
                "array data {id} is not available here (register it before decoding)"
            ))
        })
    }
}
