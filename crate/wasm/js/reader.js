// A reader worker of the threaded build (a module Web Worker started by worker.js): it
// holds the dataframe sources and the kernel's shared wasm memory, and serves the reads
// the scheduler starts in the background (src/sources.rs): it reads the parts with
// FileReaderSync, writes the bytes into the buffer the kernel gave, then stores the
// status word (2 done, 3 failed: the message in the buffer, at most `cap` bytes, its
// length in word 2) and
// notifies. Several readers keep several reads in flight while the pool parses.
import { readParts } from './read-browser.js';

let memory = null;
const sources = new Map();
const DONE = 2;
const FAILED = 3;

function serve({ ids, starts, ends, ptr, len, cap, status }) {
  const words = new Int32Array(memory.buffer, status, 2);
  const out = new Uint8Array(memory.buffer, ptr, cap);
  try {
    const parts = ids.map((id, k) => {
      const s = sources.get(id);
      if (!s) throw new Error(`source ${id} was not sent to the reader`);
      return [s, starts[k], ends[k]];
    });
    const bytes = readParts(parts);
    if (bytes.length !== len) throw new Error(`read ${bytes.length} bytes where ${len} were expected (did the file change?)`);
    out.set(bytes);
    Atomics.store(words, 0, DONE);
  } catch (e) {
    const msg = new TextEncoder().encode(`${e?.name ?? 'Error'}: ${e?.message ?? e}`).subarray(0, cap);
    out.set(msg);
    Atomics.store(words, 1, msg.length);
    Atomics.store(words, 0, FAILED);
  }
  Atomics.notify(words, 0);
}

self.onmessage = ({ data }) => {
  if (data.memory) {
    memory = data.memory;
    self.postMessage('ready');
  }
  for (const [id, src] of data.sources ?? []) sources.set(id, src);
  if (data.read) serve(data.read);
};
