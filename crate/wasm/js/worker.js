// The browser's compute worker (a module Web Worker): loads the threaded build when the
// page is cross-origin isolated, else the single one, and reads dataframe sources —
// synchronously here (read-browser.js), or, in the threaded build, in reader workers.
import { readParts, readSource } from './read-browser.js';
import { initThreaded, serveCompute, startPool } from './worker-core.js';

// The threaded build's reader workers: reads run there in the background, several at
// once, while the pool parses (Chromium serves FileReaderSync calls of several workers
// in parallel). Each gets the kernel's shared memory and every {blob}/{url} source.
const READERS = 3;
const readers = [];
let nextReader = 0;

/** Starts the readers; without them (one failed to load) reads run here. */
async function startReaders(memory) {
  const start = (i) =>
    new Promise((resolve, reject) => {
      const w = new Worker(new URL('./reader.js', import.meta.url), { type: 'module', name: `daskling-reader-${i}` });
      w.onmessage = (e) => e.data === 'ready' && resolve(w);
      w.onerror = (e) => reject(new Error(`reader ${i} failed to load: ${e.message || 'error'}`));
      w.postMessage({ memory });
    });
  try {
    readers.push(...(await Promise.all(Array.from({ length: READERS }, (_, i) => start(i)))));
  } catch (e) {
    console.warn(`daskling: ${e.message}; reading on the compute worker`);
  }
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

/** Starts function worker `n` (see functions.js). */
function spawnFunction(n, onAnswer, onFail) {
  const w = new Worker(new URL('./function-worker.js', import.meta.url), { type: 'module', name: `daskling-fn-${n}` });
  w.onmessage = (e) => onAnswer(e.data);
  w.onerror = (e) => {
    e.preventDefault();
    onFail(e.message || 'error');
  };
  return { post: (m, transfer) => w.postMessage(m, transfer), terminate: () => w.terminate() };
}

const handle = serveCompute({
  async load(mode, threads, supervisor, relaxed) {
    if (mode === 'threads') {
      try {
        const k = await import('./threads/daskling.js');
        // Each module named literally, so bundlers see both.
        const urls = {
          relaxed: new URL('./threads/daskling_relaxed_bg.wasm', import.meta.url),
          simd128: new URL('./threads/daskling_bg.wasm', import.meta.url),
        };
        const simd = await initThreaded(relaxed, (m) => k.default({ module_or_path: urls[m.simd] }));
        await startPool(k, Math.max(1, threads), startPoolWorker, supervisor);
        await startReaders(k.poolMemory());
        return { kernel: k, mode: 'threads', threads: k.threadCount(), simd };
      } catch (e) {
        console.warn(`daskling: threaded build failed to start (${e?.message ?? e}); using one thread`);
      }
    }
    const k = await import('./single/daskling.js');
    await k.default();
    return { kernel: k, mode: 'single', threads: 1, simd: 'simd128' };
  },
  read: readSource,
  readParts,
  beginRead(ids, starts, ends, ptr, len, cap, status) {
    if (!readers.length) return false;
    const r = readers[nextReader++ % readers.length];
    r.postMessage({ read: { ids, starts: Array.from(starts), ends: Array.from(ends), ptr, len, cap, status } });
    return true;
  },
  // Readers read {blob} and {url} sources; reads of {bytes} run here.
  addSources(list) {
    const shared = list.filter(([, src]) => src.blob || src.url);
    if (shared.length) for (const r of readers) r.postMessage({ sources: shared });
  },
  warmUp: true,
  spawnFunction,
  post: (message, transfer = []) => self.postMessage(message, transfer),
});

self.onmessage = (event) => handle(event.data);
