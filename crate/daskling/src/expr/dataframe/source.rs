//! Sources named in expressions. An expression holds its sources; its serialized form
//! names them by id, name and size only, and the side that decodes it (the compute
//! worker, with the page's `File`s) resolves those ids in its
//! [`Context`](crate::Context), where the sources were added first.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::kernels::dataframe::source::ByteSource;

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

impl SourceRef {
    /// A reference to `source` under `id` (equal ids must be the same bytes).
    pub fn new(id: &str, source: Arc<dyn ByteSource>) -> SourceRef {
        SourceRef {
            id: id.to_string(),
            name: source.name().to_string(),
            size: source.len(),
            held: Some(source),
        }
    }
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
        // The bytes are resolved by a Context: decoding alone names them.
        let w = Wire::deserialize(d)?;
        Ok(SourceRef {
            id: w.id,
            name: w.name,
            size: w.size,
            held: None,
        })
    }
}
