//! Reading JavaScript values that calls return, from their bytes (the format of the
//! package's `clone.js`, which writes them in the function workers): what a
//! `mapPartitions` function gives back becomes a partition here. Only reading — values
//! are written in JavaScript.
//!
//! ```
//! use daskling::expr::js_value::{decode, JsVal};
//! // [1.5, "a", null] as clone.js writes it: array tag, length, then each value.
//! let mut b = vec![6, 3, 0, 0, 0, 4];
//! b.extend(1.5f64.to_le_bytes());
//! b.extend([5, 1, 0, 0, 0, b'a', 1]);
//! let v = decode(&b).unwrap();
//! assert_eq!(v, JsVal::Array(vec![JsVal::Number(1.5), JsVal::Str("a".into()), JsVal::Null]));
//! ```

/// A decoded JavaScript value.
#[derive(Clone, Debug, PartialEq)]
pub enum JsVal {
    /// `undefined`.
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<JsVal>),
    /// A plain object: its keys in order.
    Object(Vec<(String, JsVal)>),
    /// A `Float32Array` or `Float64Array`.
    Typed(Vec<f64>),
    /// A typed array of integers (`Int8Array` … `Uint32Array`, `BigInt64Array`,
    /// `BigUint64Array`), exactly.
    Ints(Vec<i64>),
    /// A `Date` (milliseconds since the epoch).
    Date(f64),
    /// What a partition cannot hold (a Map, a Set, an ArrayBuffer, a bigint), by name.
    Other(&'static str),
}

impl JsVal {
    /// What it is, for messages (`"a string"`, `"an array"`).
    pub fn describe(&self) -> &'static str {
        match self {
            JsVal::Undefined => "undefined",
            JsVal::Null => "null",
            JsVal::Bool(_) => "a boolean",
            JsVal::Number(_) => "a number",
            JsVal::Str(_) => "a string",
            JsVal::Array(_) => "an array",
            JsVal::Object(_) => "an object",
            JsVal::Typed(_) | JsVal::Ints(_) => "a typed array",
            JsVal::Date(_) => "a Date",
            JsVal::Other(what) => what,
        }
    }

    /// Property `key` of an object.
    pub fn get(&self, key: &str) -> Option<&JsVal> {
        match self {
            JsVal::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let end = end.ok_or_else(|| format!("a value ends early (byte {})", self.at))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<usize, String> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
    }
    fn f64(&mut self) -> Result<f64, String> {
        let s = self.take(8)?;
        Ok(f64::from_le_bytes(s.try_into().expect("8 bytes")))
    }
    fn string(&mut self) -> Result<String, String> {
        let n = self.u32()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| "a string is not UTF-8".into())
    }

    /// Elements of a typed array of `kind` (clone.js's order of constructors).
    fn typed(&mut self) -> Result<JsVal, String> {
        let kind = self.u8()?;
        let n = self.u32()?;
        let b = self.take(n)?;
        macro_rules! each {
            ($w:expr, $f:expr) => {
                b.chunks_exact($w)
                    .map(|c| $f(c.try_into().expect("width")))
                    .collect()
            };
        }
        Ok(match kind {
            0 => JsVal::Ints(b.iter().map(|&x| x as i8 as i64).collect()),
            1 | 2 => JsVal::Ints(b.iter().map(|&x| x as i64).collect()),
            3 => JsVal::Ints(each!(2, |c| i16::from_le_bytes(c) as i64)),
            4 => JsVal::Ints(each!(2, |c| u16::from_le_bytes(c) as i64)),
            5 => JsVal::Ints(each!(4, |c| i32::from_le_bytes(c) as i64)),
            6 => JsVal::Ints(each!(4, |c| u32::from_le_bytes(c) as i64)),
            7 => JsVal::Typed(each!(4, |c| f32::from_le_bytes(c) as f64)),
            8 => JsVal::Typed(each!(8, f64::from_le_bytes)),
            9 => JsVal::Ints(each!(8, i64::from_le_bytes)),
            10 => JsVal::Ints(each!(8, |c| u64::from_le_bytes(c) as i64)),
            k => return Err(format!("unknown typed array kind {k}")),
        })
    }

    fn value(&mut self, depth: usize) -> Result<JsVal, String> {
        if depth > 64 {
            return Err("a value nested more than 64 deep".into());
        }
        Ok(match self.u8()? {
            0 => JsVal::Undefined,
            1 => JsVal::Null,
            2 => JsVal::Bool(false),
            3 => JsVal::Bool(true),
            4 => JsVal::Number(self.f64()?),
            5 => JsVal::Str(self.string()?),
            6 => {
                let n = self.u32()?;
                let mut out = Vec::with_capacity(n.min(1 << 20));
                for _ in 0..n {
                    out.push(self.value(depth + 1)?);
                }
                JsVal::Array(out)
            }
            7 => {
                let n = self.u32()?;
                let mut out = Vec::with_capacity(n.min(1 << 16));
                for _ in 0..n {
                    let k = self.string()?;
                    out.push((k, self.value(depth + 1)?));
                }
                JsVal::Object(out)
            }
            8 => self.typed()?,
            9 => {
                let n = self.u32()?;
                self.take(n)?;
                JsVal::Other("an ArrayBuffer")
            }
            10 => JsVal::Date(self.f64()?),
            11 | 12 => {
                let map = self.b[self.at - 1] == 11;
                let n = self.u32()?;
                for _ in 0..n * if map { 2 } else { 1 } {
                    self.value(depth + 1)?;
                }
                JsVal::Other(if map { "a Map" } else { "a Set" })
            }
            13 => {
                self.string()?;
                JsVal::Other("a bigint")
            }
            15 => {
                let s = self.take(4)?;
                JsVal::Number(i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as f64)
            }
            tag => return Err(format!("unknown tag {tag} at byte {}", self.at - 1)),
        })
    }
}

/// The value `bytes` hold (an error names what is wrong with them).
pub fn decode(bytes: &[u8]) -> Result<JsVal, String> {
    let mut r = Reader { b: bytes, at: 0 };
    let v = r.value(0)?;
    if r.at != bytes.len() {
        return Err(format!("{} bytes after the value", bytes.len() - r.at));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_typed_arrays_and_errors() {
        // {a: Int32Array [1, -2], b: Date(5)}
        let mut b = vec![7, 2, 0, 0, 0, 1, 0, 0, 0, b'a', 8, 5, 8, 0, 0, 0];
        b.extend(1i32.to_le_bytes());
        b.extend((-2i32).to_le_bytes());
        b.extend([1, 0, 0, 0, b'b', 10]);
        b.extend(5f64.to_le_bytes());
        let v = decode(&b).unwrap();
        assert_eq!(v.get("a"), Some(&JsVal::Ints(vec![1, -2])));
        assert_eq!(v.get("b"), Some(&JsVal::Date(5.0)));
        assert!(decode(&b[..b.len() - 1])
            .unwrap_err()
            .contains("ends early"));
        assert!(decode(&[99]).unwrap_err().contains("unknown tag 99"));
        assert!(decode(&[1, 1]).unwrap_err().contains("1 bytes after"));
    }
}
