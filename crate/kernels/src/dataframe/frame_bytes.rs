//! A frame as bytes, to travel from the page's builder instance to the compute worker
//! (`fromColumns` data, sent once and transferred, not copied into JSON): per column its
//! name, dtype and values, little-endian.
//!
//! ```
//! use daskling_kernels::dataframe::frame_bytes::{decode, encode};
//! use daskling_kernels::dataframe::{Column, Frame};
//! let f = Frame {
//!     names: vec!["x".to_string(), "s".to_string()].into(),
//!     columns: vec![Column::Int64(vec![1, -2]), Column::String(vec![Some("é".into()), None])],
//!     index: None,
//! };
//! assert_eq!(decode(&encode(&f)).unwrap(), f);
//! ```

use std::sync::Arc;

use super::column::{Column, Dtype, Frame};
use daskling_core::{Error, Result};

const NONE: u32 = u32::MAX;

/// `f`'s columns as bytes (the index is not kept).
pub fn encode(f: &Frame) -> Vec<u8> {
    let mut out = Vec::with_capacity(f.nbytes() as usize + 64);
    let put32 = |out: &mut Vec<u8>, n: usize| out.extend((n as u32).to_le_bytes());
    put32(&mut out, f.columns.len());
    put32(&mut out, f.len());
    for (name, c) in f.names.iter().zip(&f.columns) {
        put32(&mut out, name.len());
        out.extend(name.as_bytes());
        out.push(Dtype::ALL.iter().position(|&d| d == c.dtype()).unwrap_or(0) as u8);
        match c {
            Column::Int64(v) | Column::Datetime(v) => {
                v.iter().for_each(|x| out.extend(x.to_le_bytes()))
            }
            Column::Float64(v) => v.iter().for_each(|x| out.extend(x.to_le_bytes())),
            Column::Bool(v) => out.extend(v.iter().map(|b| b.map_or(2, u8::from))),
            Column::String(v) => {
                for s in v {
                    match s {
                        Some(s) => {
                            put32(&mut out, s.len());
                            out.extend(s.as_bytes());
                        }
                        None => out.extend(NONE.to_le_bytes()),
                    }
                }
            }
        }
    }
    out
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let end = end.ok_or_else(|| Error::invalid("frame data: the bytes end early"))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn text(&mut self, n: usize) -> Result<Arc<str>> {
        std::str::from_utf8(self.take(n)?)
            .map(Arc::from)
            .map_err(|_| Error::invalid("frame data: text is not UTF-8"))
    }
}

/// The frame `bytes` hold (an error when they are not one).
pub fn decode(bytes: &[u8]) -> Result<Frame> {
    let mut r = Reader { b: bytes, at: 0 };
    let ncols = r.u32()? as usize;
    let nrows = r.u32()? as usize;
    let (mut names, mut columns) = (vec![], vec![]);
    for _ in 0..ncols {
        let len = r.u32()? as usize;
        names.push(r.text(len)?.to_string());
        let dtype = *Dtype::ALL
            .get(r.take(1)?[0] as usize)
            .ok_or_else(|| Error::invalid("frame data: unknown dtype"))?;
        let words = |r: &mut Reader| -> Result<Vec<[u8; 8]>> {
            let b = r.take(
                nrows
                    .checked_mul(8)
                    .ok_or_else(|| Error::invalid("frame data: too long"))?,
            )?;
            Ok(b.chunks_exact(8)
                .map(|c| c.try_into().expect("8 bytes"))
                .collect())
        };
        columns.push(match dtype {
            Dtype::Int64 => {
                Column::Int64(words(&mut r)?.into_iter().map(i64::from_le_bytes).collect())
            }
            Dtype::Datetime => {
                Column::Datetime(words(&mut r)?.into_iter().map(i64::from_le_bytes).collect())
            }
            Dtype::Float64 => {
                Column::Float64(words(&mut r)?.into_iter().map(f64::from_le_bytes).collect())
            }
            Dtype::Bool => Column::Bool(
                r.take(nrows)?
                    .iter()
                    .map(|&b| (b != 2).then_some(b == 1))
                    .collect(),
            ),
            Dtype::String => {
                let mut v = Vec::with_capacity(nrows);
                for _ in 0..nrows {
                    let n = r.u32()?;
                    v.push(if n == NONE {
                        None
                    } else {
                        Some(r.text(n as usize)?)
                    });
                }
                Column::String(v)
            }
        });
    }
    if r.at != bytes.len() {
        return Err(Error::invalid("frame data: bytes after the last column"));
    }
    Ok(Frame {
        names: names.into(),
        columns,
        index: None,
    })
}
