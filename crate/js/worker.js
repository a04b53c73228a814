// The compute worker: hosts the wasm module (threaded or single) and its rayon pool.
// Messages in:  {id, method, args}; out: {id, result} | {id, error} | {id, progress}.
// A compute blocks this worker (never the page) until it finishes; the next message
// is handled after it.

let kernel = null;

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
  compute({ json, data }, id) {
    const results = kernel.compute(json, data, (progress) => self.postMessage({ id, progress }));
    return Array.from(results);
  },
  persist({ json, data }) {
    return kernel.persist(json, data);
  },
  release({ names }) {
    kernel.release(names);
    return null;
  },
  graph({ json, data }) {
    return kernel.graph(json, data);
  },
  toDot({ json, data }) {
    return kernel.toDot(json, data);
  },
  // For `npm run bench`: scheduler overhead measured inside this worker.
  benchScheduler({ name, scheduler, reps }) {
    const [tasks, usPerTask] = kernel.benchScheduler(name, scheduler, reps, () => performance.now());
    return { tasks, usPerTask };
  },
};

function transferables(value) {
  const out = [];
  for (const v of Array.isArray(value) ? value : [value]) {
    if (v && ArrayBuffer.isView(v.data)) out.push(v.data.buffer);
  }
  return out;
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
