//! In-memory data of `fromArray`, named by a content token.
//!
//! An expression made from data holds it directly; its serialized form names it by
//! token only, so expressions stay small on their way to the compute worker, which
//! receives the data separately (transferred, not encoded) once, keeps it in its
//! [`Context`](crate::Context), and resolves the token there when it decodes. Decoding
//! alone gives an unresolved `Data` (the token, no values).

use std::sync::Arc;

use ndarray::ArrayD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::stored::Guard;
use crate::error::{Error, Result};
use crate::graph::tokenize;

/// An array's data and its content token.
#[derive(Clone, Debug)]
pub struct Data {
    id: String,
    array: Option<Arc<ArrayD<f64>>>,
    /// Held on the page while expressions use the data (its last drop frees the
    /// compute worker's copy).
    _guard: Option<Arc<Guard>>,
}

impl Data {
    /// `array` with its content token.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use daskling::expr::array::Data;
    /// let a = Data::new(Arc::new(ndarray::arr1(&[1.0, 2.0]).into_dyn()));
    /// let b = Data::new(Arc::new(ndarray::arr1(&[1.0, 2.0]).into_dyn()));
    /// assert_eq!(a.id(), b.id());
    /// assert!(a.id().starts_with("data-"));
    /// ```
    pub fn new(array: Arc<ArrayD<f64>>) -> Data {
        let bits: Vec<u64> = array.iter().map(|v| v.to_bits()).collect();
        Data {
            // The shape as u64s: a token of a usize slice differs in wasm32 (see token).
            id: format!("data-{}", tokenize(&(shape_u64(array.shape()), bits))),
            array: Some(array),
            _guard: None,
        }
    }

    /// `array` already known by its token `id` (as the compute worker receives it).
    pub fn with_id(id: String, array: Arc<ArrayD<f64>>) -> Data {
        Data {
            id,
            array: Some(array),
            _guard: None,
        }
    }

    /// This data, its lifetime tracked by `guard`.
    pub(crate) fn guarded(mut self, guard: Arc<Guard>) -> Data {
        self._guard = Some(guard);
        self
    }

    /// The content token.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The values, or an error when this is a decoded token not yet resolved.
    pub fn array(&self) -> Result<&Arc<ArrayD<f64>>> {
        self.array.as_ref().ok_or_else(|| {
            Error::invalid(format!(
                "array data {} is not available here (it was not sent to this kernel)",
                self.id
            ))
        })
    }

    /// Whether the values are here.
    pub fn is_resolved(&self) -> bool {
        self.array.is_some()
    }
}

impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.id)
    }
}

impl<'de> Deserialize<'de> for Data {
    /// The token only; a [`Context`](crate::Context) resolves it.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Data, D::Error> {
        Ok(Data {
            id: String::deserialize(d)?,
            array: None,
            _guard: None,
        })
    }
}

fn shape_u64(shape: &[usize]) -> Vec<u64> {
    shape.iter().map(|&n| n as u64).collect()
}
