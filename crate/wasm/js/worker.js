// The browser's compute worker (a module Web Worker): loads the threaded build when the
// page is cross-origin isolated, else the single one, and reads dataframe sources
// synchronously — FileReaderSync for files and blobs, synchronous range requests for URLs.
import { serveCompute, startPool } from './worker-core.js';

function readUrl(url, start, end) {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, false);
  xhr.responseType = 'arraybuffer';
  xhr.setRequestHeader('Range', `bytes=${start}-${end - 1}`);
  xhr.send();
  if (xhr.status === 206) return new Uint8Array(xhr.response);
  if (xhr.status === 200) return new Uint8Array(xhr.response).subarray(start, end);
  throw new Error(`HTTP ${xhr.status} for ${url}`);
}

// Many small files are read in groups: the worker joins runs of CHUNK_FILES of them
// into one Blob (references, nothing copied) when reads first reach them, and one
// FileReaderSync call (a round trip to the browser's blob store, ~1 ms) then reads
// READ_AHEAD bytes of it, serving the following files, which the kernel reads in order.
const CHUNK_FILES = 256;
const READ_AHEAD = 4 << 20;
const chunks = new Map(); // `${gid}:${k}` -> {blob, offsets}
let groups = 0;
let ahead = null; // {key, start, bytes}

function chunkOf(s) {
  const k = Math.floor(s.index / CHUNK_FILES);
  const key = `${s.gid}:${k}`;
  let c = chunks.get(key);
  if (!c) {
    const part = s.files.slice(k * CHUNK_FILES, (k + 1) * CHUNK_FILES);
    const offsets = [0];
    for (const f of part) offsets.push(offsets.at(-1) + f.size);
    c = { key, blob: new Blob(part), offsets };
    chunks.set(key, c);
  }
  return { c, offset: c.offsets[s.index - k * CHUNK_FILES] };
}

function readGrouped(s, start, end) {
  const { c, offset } = chunkOf(s);
  const a = offset + start;
  const b = offset + end;
  const hit = ahead && ahead.key === c.key && a >= ahead.start && b <= ahead.start + ahead.bytes.length;
  if (!hit) {
    const until = Math.min(c.blob.size, Math.max(b, a + READ_AHEAD));
    ahead = { key: c.key, start: a, bytes: new Uint8Array(new FileReaderSync().readAsArrayBuffer(c.blob.slice(a, until))) };
  }
  return ahead.bytes.subarray(a - ahead.start, b - ahead.start);
}

/** Starts pool worker `i` on the module and memory; resolves when it is ready. */
function startPoolWorker(i, module, memory, port) {
  return new Promise((resolve, reject) => {
    // Named, for devtools and for code that runs there (`self.name`).
    const w = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module', name: `daskling-pool-${i}` });
    w.onmessage = (e) => {
      if (e.data === 'ready') resolve(w);
    };
    // A worker that fails to load (its script or the module) rejects at once, where
    // the pool would otherwise wait for it forever.
    w.onerror = (e) => reject(new Error(`pool worker ${i} failed to load: ${e.message || 'error'}`));
    w.postMessage({ module, memory, port }, [port]);
  });
}

const handle = serveCompute({
  async load(mode, threads, supervisor) {
    if (mode === 'threads') {
      try {
        const k = await import('./threads/daskling.js');
        await k.default();
        await startPool(k, Math.max(1, threads), startPoolWorker, supervisor);
        return { kernel: k, mode: 'threads', threads: k.threadCount() };
      } catch (e) {
        console.warn(`daskling: threaded build failed to start (${e?.message ?? e}); using one thread`);
      }
    }
    const k = await import('./single/daskling.js');
    await k.default();
    return { kernel: k, mode: 'single', threads: 1 };
  },
  read(s, start, end) {
    if (s.files) return readGrouped(s, start, end);
    if (s.blob) return new Uint8Array(new FileReaderSync().readAsArrayBuffer(s.blob.slice(start, end)));
    return readUrl(s.url, start, end);
  },
  // Files sent together are read as groups (above).
  addSources(list) {
    const blobs = list.map(([, src]) => src).filter((src) => src.blob);
    if (blobs.length > 1) {
      const gid = ++groups;
      const files = blobs.map((s) => s.blob);
      blobs.forEach((s, index) => Object.assign(s, { gid, files, index }));
    }
  },
  post: (message, transfer = []) => self.postMessage(message, transfer),
});

self.onmessage = (event) => handle(event.data);
