// The compute worker: hosts the wasm module (threaded or single) and its rayon pool.
// Messages in:  {id, method, args}; out: {id, result} | {id, error} | {id, progress}.
// A compute blocks this worker (never the page) until it finishes; the next message
// is handled after it.

let kernel = null;

// Sources of dataframes, by id: {blob} (File or Blob), {url} or {bytes}. The kernel
// reads them through `dasklingRead` on this thread only (its scheduler runs reads here),
// synchronously: FileReaderSync for blobs, a synchronous range request for URLs.
const sources = new Map();

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

globalThis.dasklingRead = (id, start, end) => {
  const s = sources.get(id);
  if (!s) throw new Error(`source ${id} was not sent to the worker`);
  if (s.bytes) return s.bytes.subarray(start, end);
  if (s.files) return readGrouped(s, start, end);
  if (s.blob) return new Uint8Array(new FileReaderSync().readAsArrayBuffer(s.blob.slice(start, end)));
  return readUrl(s.url, start, end);
};

function addSources(list) {
  const blobs = [];
  for (const [id, src] of list ?? []) {
    sources.set(id, src);
    if (src.blob) blobs.push(src);
  }
  if (blobs.length > 1) {
    const gid = ++groups;
    const files = blobs.map((s) => s.blob);
    blobs.forEach((s, index) => Object.assign(s, { gid, files, index }));
  }
}

const handlers = {
  async init({ mode, threads }) {
    if (mode === 'threads') {
      try {
        const k = await import('./threads/daskling.js');
        await k.default();
        await k.initThreadPool(Math.max(1, threads));
        kernel = k;
        return { mode: 'threads', threads: k.threadCount() };
      } catch (e) {
        console.warn(`daskling: threaded build failed to start (${e?.message ?? e}); using one thread`);
      }
    }
    const k = await import('./single/daskling.js');
    await k.default();
    kernel = k;
    return { mode: 'single', threads: 1 };
  },
  compute({ json, data, refs, add }, id) {
    addSources(add);
    const results = kernel.compute(json, data, refs, (progress) => self.postMessage({ id, progress }));
    return Array.from(results);
  },
  head({ json, data, refs, add, n }) {
    addSources(add);
    return kernel.head(json, data, refs, n);
  },
  persist({ json, data, refs, add }) {
    addSources(add);
    return kernel.persist(json, data, refs);
  },
  release({ names }) {
    kernel.release(names);
    return null;
  },
  graph({ json, data, refs, add }) {
    addSources(add);
    return kernel.graph(json, data, refs);
  },
  toDot({ json, data, refs, add }) {
    addSources(add);
    return kernel.toDot(json, data, refs);
  },
  // For `npm run bench`: the peak size of the kernel's wasm memory.
  memoryBytes() {
    return kernel.memoryBytes();
  },
  // For `npm run bench`: scheduler overhead measured inside this worker.
  benchScheduler({ name, scheduler, reps }) {
    const [tasks, usPerTask] = kernel.benchScheduler(name, scheduler, reps, () => performance.now());
    return { tasks, usPerTask };
  },
};

/** The buffers of typed arrays inside results (arrays, Tables, Columns), to transfer. */
function transferables(value) {
  const out = new Set();
  const add = (x) => {
    if (ArrayBuffer.isView(x)) out.add(x.buffer);
  };
  for (const v of Array.isArray(value) ? value : [value]) {
    if (!v || typeof v !== 'object') continue;
    add(v.data);
    add(v.values);
    add(v.index);
    if (v.data && !ArrayBuffer.isView(v.data)) Object.values(v.data).forEach(add);
  }
  return [...out];
}

self.onmessage = async (event) => {
  const { id, method, args } = event.data;
  try {
    const handler = handlers[method];
    if (!handler) throw new Error(`unknown method ${method}`);
    if (method !== 'init' && !kernel) throw new Error('the client is not started');
    const result = await handler(args, id);
    self.postMessage({ id, result }, transferables(result));
  } catch (e) {
    self.postMessage({ id, error: e?.message ?? String(e) });
  }
};
