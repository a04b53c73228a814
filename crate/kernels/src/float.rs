//! serde for `f64` fields that may be NaN or infinite, which JSON numbers cannot hold:
//! those are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; and the
//! bound of exact integers in an `f64`.

use serde::{de, Deserialize, Deserializer, Serializer};

/// 2⁵³: every integer of magnitude up to this is exact in an `f64` (and in a JS number);
/// past it, float64 arithmetic on integers stops being exact.
pub const MAX_EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// Serializes a float, non-finite ones as strings.
pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else if v.is_nan() {
        s.serialize_str("NaN")
    } else if *v > 0.0 {
        s.serialize_str("Infinity")
    } else {
        s.serialize_str("-Infinity")
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Repr {
    Num(f64),
    Str(String),
}

/// Reads a float written by [`serialize`].
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    match Repr::deserialize(d)? {
        Repr::Num(x) => Ok(x),
        Repr::Str(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(de::Error::custom(format!("not a number: {other:?}"))),
        },
    }
}
