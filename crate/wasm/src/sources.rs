//! Dataframe sources the compute worker's JS holds (`File`s, `Blob`s, URLs, bytes), as
//! [`ByteSource`]s: read synchronously on the compute worker (`dasklingReadParts`: the
//! parts of a read task joined into one `Blob` and read in one `FileReaderSync` call), or,
//! in the threaded build, in the background by the worker's reader workers
//! (`dasklingBeginRead`): a reader writes the bytes straight into a buffer in the shared
//! wasm memory and flips a status word the scheduler polls.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::{from_js, JsError};
use daskling::kernels::dataframe::source::{read_each, ByteSource, Part};

#[wasm_bindgen]
extern "C" {
    /// Defined by the compute worker: the bytes of parts `ids[k]`, `starts[k]..ends[k]`,
    /// joined.
    #[wasm_bindgen(catch, js_namespace = globalThis, js_name = dasklingReadParts)]
    fn daskling_read_parts(
        ids: js_sys::Array,
        starts: &[f64],
        ends: &[f64],
    ) -> Result<js_sys::Uint8Array, JsValue>;

    /// Defined by the compute worker: hands the parts to a reader worker, which writes
    /// their bytes at `ptr` (`len` bytes) in this module's memory and then stores 2 (or,
    /// on an error, 3, with the message's UTF-8 at `ptr`, at most `cap` bytes, and its
    /// length in the second word) in the status word at `status`. False when no reader
    /// can read these parts.
    #[wasm_bindgen(js_namespace = globalThis, js_name = dasklingBeginRead)]
    fn daskling_begin_read(
        ids: js_sys::Array,
        starts: &[f64],
        ends: &[f64],
        ptr: u32,
        len: u32,
        cap: u32,
        status: u32,
    ) -> bool;
}

fn message_of(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "read failed".into())
}

/// A source the compute worker's JS reads, by id.
pub struct JsSource {
    id: String,
    name: String,
    size: u64,
}

/// The parts' JS ids and ranges, when every part is a [`JsSource`].
fn js_parts(parts: &[Part]) -> Option<(js_sys::Array, Vec<f64>, Vec<f64>)> {
    let ids = js_sys::Array::new();
    let mut starts = Vec::with_capacity(parts.len());
    let mut ends = Vec::with_capacity(parts.len());
    for p in parts {
        ids.push(&JsValue::from_str(p.source.batch_id()?));
        let end = p.end.min(p.source.len());
        starts.push(p.start.min(end) as f64);
        ends.push(end as f64);
    }
    Some((ids, starts, ends))
}

/// The parts' files for messages: `a.csv`, or `a.csv … z.csv`.
fn names_of(parts: &[Part]) -> String {
    match parts {
        [one] => one.source.name().to_string(),
        [first, .., last] => format!("{} … {}", first.source.name(), last.source.name()),
        [] => String::new(),
    }
}

fn read_js(ids: js_sys::Array, starts: &[f64], ends: &[f64]) -> Result<Vec<u8>, String> {
    daskling_read_parts(ids, starts, ends)
        .map(|a| a.to_vec())
        .map_err(|e| message_of(&e))
}

impl ByteSource for JsSource {
    fn name(&self) -> &str {
        &self.name
    }
    fn len(&self) -> u64 {
        self.size
    }
    fn batch_id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        let end = end.min(self.size);
        let ids = js_sys::Array::of1(&JsValue::from_str(&self.id));
        read_js(ids, &[start.min(end) as f64], &[end as f64])
            .map_err(|m| format!("{}: {m}", self.name))
    }
    fn read_parts(&self, parts: &[Part]) -> Result<Vec<u8>, String> {
        let Some((ids, starts, ends)) = js_parts(parts) else {
            return read_each(parts);
        };
        read_js(ids, &starts, &ends).map_err(|m| format!("{}: {m}", names_of(parts)))
    }
    #[cfg(target_feature = "atomics")]
    fn begin_read(
        &self,
        parts: &[Part],
    ) -> Option<Box<dyn daskling::kernels::dataframe::source::PendingRead>> {
        background::begin(parts)
    }
}

#[cfg(target_feature = "atomics")]
mod background {
    use std::sync::atomic::{AtomicI32, Ordering};

    use super::{daskling_begin_read, js_parts, names_of, Part};
    use daskling::kernels::dataframe::source::PendingRead;

    /// Status word values (the JS reader stores them).
    const WAITING: i32 = 0;
    const DONE: i32 = 2;

    /// `[state, error message length]`, written by the reader.
    type Status = [AtomicI32; 2];

    /// The room a reader has for an error message.
    const MESSAGE_BYTES: u32 = 1024;

    /// A read a reader worker is writing into `buf` (`len` bytes of it).
    pub(super) struct Background {
        buf: Vec<u8>,
        len: usize,
        status: Box<Status>,
        names: String,
    }

    pub(super) fn begin(parts: &[Part]) -> Option<Box<dyn PendingRead>> {
        let (ids, starts, ends) = js_parts(parts)?;
        let len: f64 = starts.iter().zip(&ends).map(|(s, e)| e - s).sum();
        let len = u32::try_from(len as u64).ok()?;
        // Room for an error message however small the read.
        let cap = len.max(MESSAGE_BYTES);
        let mut buf = vec![0u8; cap as usize];
        let status: Box<Status> = Box::new([AtomicI32::new(WAITING), AtomicI32::new(0)]);
        let names = names_of(parts);
        let started = daskling_begin_read(
            ids,
            &starts,
            &ends,
            buf.as_mut_ptr() as u32,
            len,
            cap,
            status.as_ptr() as u32,
        );
        let len = len as usize;
        started.then(|| {
            Box::new(Background {
                buf,
                len,
                status,
                names,
            }) as Box<dyn PendingRead>
        })
    }

    impl PendingRead for Background {
        fn is_done(&self) -> bool {
            self.status[0].load(Ordering::Acquire) != WAITING
        }
        fn finish(mut self: Box<Self>) -> Result<Vec<u8>, String> {
            let mut buf = std::mem::take(&mut self.buf);
            if self.status[0].load(Ordering::Acquire) == DONE {
                buf.truncate(self.len);
                return Ok(buf);
            }
            let n = (self.status[1].load(Ordering::Acquire).max(0) as usize).min(buf.len());
            Err(format!(
                "{}: {}",
                self.names,
                String::from_utf8_lossy(&buf[..n])
            ))
        }
    }

    impl Drop for Background {
        /// A reader may still be writing into the buffer (the compute failed or was
        /// cancelled meanwhile): wait for it, up to 30 s, then leak the buffer rather than
        /// free memory a reader may write to.
        fn drop(&mut self) {
            for _ in 0..3000 {
                if self.status[0].load(Ordering::Acquire) != WAITING {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            std::mem::forget(std::mem::take(&mut self.buf));
            let status = std::mem::replace(
                &mut self.status,
                Box::new([AtomicI32::new(DONE), AtomicI32::new(0)]),
            );
            Box::leak(status);
        }
    }
}

/// Adds the worker's sources `[[id, name, size], …]` to `ctx`.
pub(super) fn add_sources(ctx: &daskling::Context, list: &js_sys::Array) -> Result<(), JsError> {
    for entry in list.iter() {
        let (id, name, size): (String, String, f64) = from_js(entry, "source [id, name, size]")?;
        let src: Arc<dyn ByteSource> = Arc::new(JsSource {
            id: id.clone(),
            name,
            size: size.max(0.0) as u64,
        });
        ctx.add_source(&id, src);
    }
    Ok(())
}
