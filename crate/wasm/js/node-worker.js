// Node's compute worker (a worker_threads Worker): the threaded build with its rayon pool
// on more worker threads (the single build if that fails), reading dataframe files from
// disk synchronously, in the blocks the kernel asks for.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import v8 from 'node:v8';
import { parentPort, Worker } from 'node:worker_threads';

import { initThreaded, serveCompute, startPool } from './worker-core.js';

function startPoolThread(i, module, memory, port) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./node-pool-worker.js', import.meta.url), { name: `daskling-pool-${i}` });
    w.once('message', (m) => (m === 'ready' ? resolve(w) : reject(new Error(`pool thread ${i}: ${m}`))));
    w.once('error', (e) => reject(new Error(`pool thread ${i} failed to load: ${e.message}`)));
    w.postMessage({ module, memory, port }, [port]);
  });
}

/** Starts function worker `n` (see functions.js). */
function spawnFunction(n, onAnswer, onFail) {
  const w = new Worker(new URL('./node-function-worker.js', import.meta.url), { name: `daskling-fn-${n}` });
  w.on('message', onAnswer);
  w.on('error', (e) => onFail(e.message));
  w.on('exit', (code) => code !== 0 && onFail(`it exited with code ${code}`));
  // The compute thread's liveness is the client's to decide (it unrefs it when idle).
  w.unref();
  return { post: (m, transfer) => w.postMessage(m, transfer), terminate: () => w.terminate() };
}

const handle = serveCompute({
  async load(mode, threads, supervisor, relaxed) {
    if (mode === 'threads') {
      try {
        // Node 20's V8 (11.3) runs the pool start wrong in its baseline wasm compiler
        // (Liftoff): rayon's first wait spins forever, while TurboFan code and Chromium's
        // V8 run it. So the threaded module is compiled with TurboFan only. The flag is
        // process-wide: wasm compiled after this skips the baseline tier.
        v8.setFlagsFromString('--no-liftoff');
        const k = await import('./threads/daskling.js');
        const simd = await initThreaded(relaxed, (m) => k.initSync({ module: readFileSync(new URL(m.file, import.meta.url)) }));
        await startPool(k, Math.max(1, threads), startPoolThread, supervisor);
        return { kernel: k, mode: 'threads', threads: k.threadCount(), simd };
      } catch (e) {
        console.warn(`daskling: threaded build failed to start (${e?.message ?? e}); using one thread`);
      }
    }
    const k = await import('./single/daskling.js');
    k.initSync({ module: readFileSync(new URL('./single/daskling_bg.wasm', import.meta.url)) });
    return { kernel: k, mode: 'single', threads: 1, simd: 'simd128' };
  },
  read(s, start, end) {
    const fd = openSync(s.path, 'r');
    try {
      const buf = new Uint8Array(end - start);
      let n = 0;
      while (n < buf.length) {
        const got = readSync(fd, buf, n, buf.length - n, start + n);
        if (!got) break;
        n += got;
      }
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  },
  spawnFunction,
  post: (message, transfer = []) => parentPort.postMessage(message, transfer),
});

parentPort.on('message', handle);
