// A worker thread of the threaded build's rayon pool in Node (started by node-worker.js):
// instantiates the module on the compute thread's WebAssembly.Module and shared memory,
// says it is ready, then runs one of rayon's threads for as long as the pool lives.
import { parentPort } from 'node:worker_threads';

import { initSync, runPoolWorker } from './threads/daskling.js';

parentPort.once('message', ({ module, memory, port }) => {
  initSync({ module, memory });
  parentPort.postMessage('ready');
  try {
    runPoolWorker();
  } catch (e) {
    // A trap in this thread's rayon thread: tell the client, which restarts the kernel.
    port?.postMessage({ poolError: e?.message ?? String(e) });
    throw e;
  }
});
