//! Keys name task outputs, like dask's `('sum-8a3f0c', 0, 1)`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::FxHasher;

/// A task's name: a layer name (`"ones-1f2e…"`) and a block index within the layer.
///
/// The key's hash is computed once, when it is made: graphs of 100,000 tasks look keys
/// up many times, and hashing the name each time would dominate scheduling.
#[derive(Clone)]
pub struct Key {
    hash: u64,
    name: Arc<str>,
    index: Arc<[u32]>,
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
            && (Arc::ptr_eq(&self.name, &other.name) || self.name == other.name)
            && self.index == other.index
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    /// By name, then block index.
    fn cmp(&self, other: &Self) -> Ordering {
        (&*self.name, &*self.index).cmp(&(&*other.name, &*other.index))
    }
}

impl Key {
    /// A key for block `index` of layer `name`.
    ///
    /// ```
    /// use daskling_graph::Key;
    /// let k = Key::new("sum-ab12", &[0, 1]);
    /// assert_eq!(k.to_string(), "('sum-ab12', 0, 1)");
    /// assert_eq!(k.prefix(), "sum");
    /// ```
    pub fn new(name: impl Into<Arc<str>>, index: &[u32]) -> Self {
        let name: Arc<str> = name.into();
        let mut h = FxHasher::default();
        name.hash(&mut h);
        index.hash(&mut h);
        Key {
            hash: h.finish(),
            name,
            index: index.into(),
        }
    }

    /// A key without block index, printed as its bare name.
    ///
    /// ```
    /// use daskling_graph::Key;
    /// let k = Key::named("total");
    /// assert_eq!((k.to_string(), k.index().len()), ("total".to_string(), 0));
    /// ```
    pub fn named(name: impl Into<Arc<str>>) -> Self {
        Key::new(name, &[])
    }

    /// The layer name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The block index.
    pub fn index(&self) -> &[u32] {
        &self.index
    }

    /// The layer name without its token: `"sum-chunk"` for `"sum-chunk-8a3f"`.
    ///
    /// ```
    /// use daskling_graph::Key;
    /// assert_eq!(Key::named("sum-chunk-8a3f").prefix(), "sum-chunk");
    /// assert_eq!(Key::named("plain").prefix(), "plain");
    /// ```
    pub fn prefix(&self) -> &str {
        match self.name.rsplit_once('-') {
            Some((p, tok)) if !p.is_empty() && tok.chars().all(|c| c.is_ascii_hexdigit()) => p,
            _ => &self.name,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.index.is_empty() {
            return write!(f, "{}", self.name);
        }
        write!(f, "('{}'", self.name)?;
        for i in self.index.iter() {
            write!(f, ", {i}")?;
        }
        write!(f, ")")
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// A function's name as a key prefix: letters, digits and `_` (others become `_`);
/// `lambda` for an empty name, as dask names anonymous functions.
///
/// ```
/// use daskling_graph::prefix_name;
/// assert_eq!(prefix_name("my fn"), "my_fn");
/// assert_eq!(prefix_name(""), "lambda");
/// ```
pub fn prefix_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "lambda".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn keys_print_as_dask_tuples_and_compare_by_value() {
        let k = Key::new("ones-ab12", &[1, 0]);
        assert_eq!(k.to_string(), "('ones-ab12', 1, 0)");
        assert_eq!(format!("{k:?}"), "('ones-ab12', 1, 0)");
        assert_eq!(Key::named("sum-cd").to_string(), "sum-cd");
        // Equal names from different allocations are the same key.
        assert_eq!(k, Key::new(String::from("ones-ab12"), &[1, 0]));
        assert_ne!(k, Key::new("ones-ab12", &[0, 1]));
    }

    #[test]
    fn prefixes_drop_a_trailing_hex_token_only() {
        assert_eq!(Key::new("mean-chunk-0f9e", &[3]).prefix(), "mean-chunk");
        assert_eq!(Key::named("read-csv").prefix(), "read-csv");
        assert_eq!(Key::named("-abc").prefix(), "-abc");
        assert_eq!(prefix_name("f(x)!"), "f_x__");
    }
}
