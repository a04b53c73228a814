// Node's compute worker (a worker_threads Worker): the single build, reading dataframe
// files from disk synchronously, in the blocks the kernel asks for. (A rayon pool on
// more worker threads, started as in worker.js, ran in debug builds but spun forever in
// rayon's pool start in release builds under Node; see the README.)
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

import { serveCompute } from './worker-core.js';

const handle = serveCompute({
  async load() {
    const k = await import('./single/daskling.js');
    k.initSync({ module: readFileSync(new URL('./single/daskling_bg.wasm', import.meta.url)) });
    return { kernel: k, mode: 'single', threads: 1 };
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
  post: (message, transfer = []) => parentPort.postMessage(message, transfer),
});

parentPort.on('message', handle);
