// A worker of the threaded build's rayon pool (a module Web Worker started by worker.js):
// instantiates the module on the compute worker's WebAssembly.Module and shared memory,
// says it is ready, then runs one of rayon's threads for as long as the pool lives.
// Delayed JavaScript functions run here, in this worker's realm.
import init, { runPoolWorker } from './threads/daskling.js';

self.onmessage = async ({ data }) => {
  await init({ module_or_path: data.module, memory: data.memory });
  self.postMessage('ready');
  try {
    runPoolWorker();
  } catch (e) {
    // A trap in this worker's rayon thread: tell the page, which restarts the kernel.
    data.port?.postMessage({ poolError: e?.message ?? String(e) });
    throw e;
  }
};
