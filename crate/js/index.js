// daskling: dask's task graphs in the browser, computed on a pool of Web Workers.
//
//   import { Client } from 'daskling';
//   const client = await Client.start({ threads: 4 });
//   const x = client.array.ones([15, 15], { chunks: [5, 5] });
//   await x.sum().compute();            // 225
//
// Lazy values are built synchronously on the calling thread by a small single-threaded
// instance of the kernel (shapes and chunks known at once); computing ships the
// expression to a dedicated worker that runs the task graph.

import initBuilder, * as builder from './single/daskling.js';

let builderReady = null;
function loadBuilder() {
  builderReady ??= initBuilder();
  return builderReady;
}

/** Sends calls to the compute worker and routes its answers and progress. */
class Rpc {
  #worker;
  #next = 1;
  #pending = new Map();

  constructor(worker) {
    this.#worker = worker;
    worker.onmessage = (event) => {
      const { id, result, error, progress } = event.data;
      const call = this.#pending.get(id);
      if (!call) return;
      if (progress) {
        try {
          call.onProgress?.(progress);
        } catch (e) {
          console.error('daskling: onProgress threw', e);
        }
        return;
      }
      this.#pending.delete(id);
      if (error !== undefined) call.reject(new Error(error));
      else call.resolve(result);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.#failAll(new Error(`daskling worker failed: ${event.message ?? 'unknown error'}`));
    };
  }

  call(method, args, onProgress) {
    return new Promise((resolve, reject) => {
      const id = this.#next++;
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ id, method, args });
    });
  }

  #failAll(error) {
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
  }

  close() {
    this.#worker.terminate();
    this.#failAll(new Error('the client is closed'));
  }
}

function exprsOf(values) {
  for (const v of values) {
    if (!(v instanceof Lazy)) throw new TypeError(`not a lazy daskling value: ${v}`);
  }
  return `[${values.map((v) => v._expr()).join(',')}]`;
}

/** What every lazy value can do: compute, and show its task graph. */
class Lazy {
  #client;
  constructor(client) {
    this.#client = client;
  }
  get client() {
    return this.#client;
  }
  /** Computes this value. `onProgress({done, total, running})` is called while it runs. */
  async compute({ onProgress } = {}) {
    const [result] = await this.#client.compute(this, { onProgress });
    return result;
  }
  /** The optimized task graph: `{nodes: [{id, label, kind}], edges: [[from, to]]}`. */
  graph() {
    return this.#client._rpc.call('graph', { exprs: exprsOf([this]) });
  }
  /** The optimized task graph in Graphviz DOT. */
  toDot() {
    return this.#client._rpc.call('toDot', { exprs: exprsOf([this]) });
  }
}

/** A lazy chunked float64 array, as `dask.array.Array`. */
export class DArray extends Lazy {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  get shape() {
    return this.#h.shape;
  }
  get chunks() {
    return this.#h.chunks;
  }
  get ndim() {
    return this.#h.ndim;
  }
  get dtype() {
    return 'float64';
  }
  get npartitions() {
    return this.#h.npartitions;
  }
  get name() {
    return this.#h.name;
  }
  /** Sum over `axis` (a number or an array of numbers; all axes when omitted). */
  sum({ axis } = {}) {
    return new DArray(this.client, this.#h.sum(axis));
  }
  _expr() {
    return this.#h.toExpr();
  }
}

/** `client.array`: creation functions, as `dask.array`. */
class ArrayModule {
  #client;
  constructor(client) {
    this.#client = client;
  }
  /** An array of `shape` filled with `value`; `chunks` a block shape or sizes per axis. */
  full(shape, value, { chunks } = {}) {
    return new DArray(this.#client, builder.full(shape, value, chunks));
  }
  ones(shape, { chunks } = {}) {
    return this.full(shape, 1, { chunks });
  }
  zeros(shape, { chunks } = {}) {
    return this.full(shape, 0, { chunks });
  }
}

function defaultThreads() {
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

/** Runs task graphs off the main thread. Create with `await Client.start()`. */
export class Client {
  #threads;
  #mode;
  constructor(rpc, mode, threads) {
    this._rpc = rpc;
    this.#mode = mode;
    this.#threads = threads;
    this.array = new ArrayModule(this);
  }

  /**
   * Starts a client. The threaded build is used when the page is cross-origin isolated
   * (SharedArrayBuffer available), else the single-threaded one.
   */
  static async start({ threads = defaultThreads() } = {}) {
    await loadBuilder();
    const isolated = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      type: 'module',
      name: 'daskling-compute',
    });
    const rpc = new Rpc(worker);
    const info = await rpc.call('init', { mode: isolated ? 'threads' : 'single', threads });
    return new Client(rpc, info.mode, info.threads);
  }

  /** Threads actually in use (1 in single mode). */
  get threads() {
    return this.#threads;
  }

  /** `'threads'` or `'single'`. */
  get mode() {
    return this.#mode;
  }

  /**
   * Computes several lazy values in one graph, sharing common work.
   * The last argument may be `{onProgress}`. Resolves to an array of results.
   */
  compute(...args) {
    let opts = {};
    if (args.length && !(args[args.length - 1] instanceof Lazy)) opts = args.pop() ?? {};
    let exprs;
    try {
      exprs = exprsOf(args);
    } catch (e) {
      return Promise.reject(e);
    }
    return this._rpc.call('compute', { exprs }, opts.onProgress);
  }

  /** Stops the worker and its pool. */
  async close() {
    this._rpc.close();
  }
}
