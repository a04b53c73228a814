// The API shared by the browser entry (index.js) and the Node entry (node.js).
//
// Lazy values are built synchronously on the calling thread by a small single-threaded
// instance of the kernel (shapes and chunks known at once); computing ships the
// expression to a dedicated worker that runs the task graph.
//
// What differs between the platforms is a `host`, which each entry module gives as the
// static `host` of its `Client` subclass (a class field, not a module side effect, so
// bundlers may drop nothing of it under `sideEffects: false`):
//   wasm()             the single build's wasm, as initBuilder accepts it (bytes or URL)
//   startWorker()      the compute worker, with Web Worker's interface
//   isolated()         whether the threaded build can run
//   defaultThreads()   threads when `Client.start()` is not told
//   source(string)     readCsv of a string: resolves to `[{id, name, size, src}]`
//   range(src, s, e)   bytes `s..e` of a source of `source()`

import { withArrow } from './arrow.js';
import { encodeArgs } from './clone.js';
import { ArrayModule, DArray } from './array.js';
import { DataFrame, GroupBy, Scalar, Series, SeriesGroupBy } from './dataframe.js';
import { DataFrameModule } from './dataframe-module.js';
import { Delayed, Future, sourceOf } from './delayed.js';
import { Lazy } from './lazy.js';
import { builder, DEFAULT_WORKER_TTL, loadBuilder, Rpc, toDask } from './rpc.js';

export { DArray, DataFrame, DEFAULT_WORKER_TTL, Delayed, Future, GroupBy, Scalar, Series, SeriesGroupBy };
export { urlRange, urlSource } from './sources.js';
export { FUNCTION_LANES } from './functions.js';
export { useArrow } from './arrow.js';

/**
 * Whether `path` matches the glob `pattern` as readCsv's patterns do everywhere (`*`,
 * `?`, `[…]` within a path component, `**` across them: the Rust glob crate's rules,
 * through the kernel). Needs a started client (the kernel's builder loaded).
 */
export function globMatch(pattern, path) {
  return builder.globMatch(pattern, path);
}

/**
 * The operation tables (`daskling::operations::table()`): `{tables, families}`, each
 * family a class's generated methods with their parameters, result and documentation —
 * what an editor's completions show. Needs a started client (the kernel's builder loaded).
 */
export function operations() {
  return builder.operations();
}

/**
 * The workshop's sample data: minute bars, one CSV per weekday per ticker, as
 * `[{name: 'minute/hp/2012-05-01.csv', data: Uint8Array}, …]` (seeded random walk;
 * columns timestamp,open,high,low,close,volume; 09:30–16:00).
 */
export async function generateSampleWith(host, { tickers = ['ge', 'hp'], days = 20, seed = 0, start } = {}) {
  await loadBuilder(host);
  return Array.from(builder.generateSample(tickers, days, seed, start));
}

/**
 * The lazy values and the options of a call taking `(...lazies, options?)`: only a plain
 * object at the end is options.
 */
function splitOptions(args) {
  const last = args[args.length - 1];
  const isOptions = args.length && !(last instanceof Lazy) && last !== null && typeof last === 'object' && !Array.isArray(last);
  return isOptions ? [args.slice(0, -1), last] : [args, {}];
}

/**
 * The default memory limit: 3.5 GiB, what a 4 GiB wasm32 heap can hold once the
 * module, the allocator's slack and a compute's transient buffers are counted.
 */
export const DEFAULT_MEMORY_LIMIT = 3.5 * 2 ** 30;

/** Runs task graphs off the main thread. Create with `await Client.start()`. */
export class Client {
  #threads;
  #mode;
  #simd;
  #memoryLimit = DEFAULT_MEMORY_LIMIT;
  constructor(rpc, mode, threads, simd = 'simd128') {
    this._rpc = rpc;
    this.#mode = mode;
    this.#simd = simd;
    this.#threads = threads;
    this.array = new ArrayModule(this);
    this.dataframe = new DataFrameModule(this);
  }

  /**
   * Starts a client. The threaded build is used when the page is cross-origin isolated
   * (SharedArrayBuffer available), else the single-threaded one. `memoryLimit` (bytes,
   * default {@link DEFAULT_MEMORY_LIMIT}; `Infinity` for none) bounds what persisted
   * arrays, `fromArray` data and one compute hold at once: a compute that would go over
   * rejects with an error naming what is too large. `workerTtl` (ms, default
   * {@link DEFAULT_WORKER_TTL}): a compute worker silent that long while it runs a call
   * is wedged, and the kernel is restarted (computes report progress at least once a
   * second; in single mode one task running longer than this counts as wedged).
   * `relaxedSimd` (default true): where the engine has relaxed SIMD, the threaded build
   * multiplies matrices with fused multiply-adds (faster; the last bits of a product may
   * differ from machine to machine, as with BLAS); false keeps them bit-identical
   * everywhere. `client.simd` says which runs. `functionWorkers` (default: `threads`, at
   * least 2): how many function workers run JavaScript functions (`delayed`, `submit`,
   * `map`) beside the kernel's pool; one stuck in a loop is terminated and replaced alone
   * when its compute is aborted or its future cancelled.
   */
  static async start({
    threads = this.host.defaultThreads(),
    memoryLimit = DEFAULT_MEMORY_LIMIT,
    workerTtl = DEFAULT_WORKER_TTL,
    relaxedSimd = true,
    functionWorkers = Math.max(2, threads),
  } = {}) {
    for (const [name, v] of [
      ['memoryLimit', memoryLimit],
      ['workerTtl', workerTtl],
    ]) {
      if (!(typeof v === 'number' && v > 0)) {
        throw new TypeError(`Client.start: ${name} must be a positive number (or Infinity), not ${String(v)}`);
      }
    }
    if (!(Number.isInteger(functionWorkers) && functionWorkers >= 1)) {
      throw new TypeError(`Client.start: functionWorkers must be a whole number of at least 1, not ${String(functionWorkers)}`);
    }
    const host = this.host;
    await loadBuilder(host);
    const rpc = new Rpc(() => host.startWorker(), { workerTtl });
    try {
      const limit = Number.isFinite(memoryLimit) ? memoryLimit : null;
      const mode = host.isolated() ? 'threads' : 'single';
      const info = await rpc.init({ mode, threads, memoryLimit: limit, relaxedSimd: Boolean(relaxedSimd), functionWorkers });
      const client = new this(rpc, info.mode, info.threads, info.simd);
      client.#memoryLimit = memoryLimit;
      return client;
    } catch (e) {
      rpc.close();
      throw e;
    }
  }

  /** Threads actually in use (1 in single mode). */
  get threads() {
    return this.#threads;
  }

  /** The memory limit in bytes (`Infinity`: none). */
  get memoryLimit() {
    return this.#memoryLimit;
  }

  /** `'threads'` or `'single'`. */
  get mode() {
    return this.#mode;
  }

  /** The SIMD the kernel runs: `'relaxed'` (fused multiply-adds) or `'simd128'`. */
  get simd() {
    return this.#simd;
  }

  /**
   * How often the kernel was restarted (a trap, a dead or wedged worker, an abort that
   * could not stop in place, `restart()`); the last reasons in `restartReasons`.
   */
  get restarts() {
    return this._rpc.restarts;
  }

  /** Why the kernel was restarted, the last 20 times, oldest first. */
  get restartReasons() {
    return [...this._rpc.restartReasons];
  }

  /**
   * Computes several lazy values in one graph, sharing common work. Computes run at the
   * same time on the one pool, taking turns task by task: a quick one issued while a
   * long one runs is answered first.
   * The last argument may be `{onProgress, onWarning, taskStream, signal}` (`onWarning(message)`
   * gets what the tasks report, such as readCsv's skipped bad lines; by default they go to
   * `console.warn`): aborting `signal` (an
   * AbortSignal; `AbortSignal.timeout(ms)` is a timeout) rejects with a DOMException named
   * `AbortError` at once; the compute stops dispatching tasks, its running kernels stop
   * at their next block, and the kernel keeps its data (persisted arrays) and the other
   * computes. Only a task that never returns (a JavaScript function in an endless loop)
   * gets the kernel restarted, a second later. Resolves to an array of results.
   */
  compute(...args) {
    // Any value that is not lazy is an error naming its position (not taken as options).
    const [values, opts] = splitOptions(args);
    args = values;
    const bad = args.findIndex((a) => !(a instanceof Lazy));
    if (bad >= 0) {
      return Promise.reject(new TypeError(`compute: argument ${bad + 1} is not a lazy daskling value: ${String(args[bad])}`));
    }
    try {
      const extra = opts.taskStream ? { trace: true } : {};
      return this._rpc.callWith('compute', args, { onProgress: opts.onProgress, onWarning: opts.onWarning }, extra, opts.signal).then(withArrow);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * The Python source of a script that builds the same computation with dask.array and
   * dask.dataframe and computes every value in one `dask.compute` on a distributed
   * cluster (`options.address`, else `distributed.Client()`), leaving the values in
   * `result`. `options.sources`: a prefix joined to each source's name, or
   * `{name: pathOrUrl}`. The last argument may be the options (a plain object).
   */
  toDask(...args) {
    return toDask(...splitOptions(args));
  }

  /**
   * `fn` as a delayed function (as `dask.delayed`): calling it builds a lazy call, whose
   * arguments may be lazy values (Delayed, DArray, Series, Scalar, DataFrame) or
   * structured-cloneable ones, nested in arrays and plain objects too. The function runs
   * on the pool's workers from its source text: it must not use variables of its
   * surrounding scope. `pure`: equal calls are computed once (dask's `pure=True`).
   */
  delayed(fn, { name, pure = false } = {}) {
    const fname = name ?? (fn?.name || 'lambda');
    const source = sourceOf(fn, fname);
    const client = this;
    const call = (...args) => {
      const deps = [];
      const bytes = encodeArgs(args, fname, { isLazy: (v) => v instanceof Lazy, deps });
      const c = new builder.CallBuilder(source, fname, bytes, pure);
      try {
        for (const d of deps) {
          if (d.client !== client) throw new Error(`${fname}: an argument belongs to another client`);
          d._depTo(c);
        }
      } catch (e) {
        c.free();
        throw e;
      }
      return new Delayed(client, c.finish());
    };
    Object.defineProperty(call, 'name', { value: fname });
    return call;
  }

  /** Calls `fn(...args)` on the pool now (as `Executor.submit`); returns a Future. */
  submit(fn, ...args) {
    const future = new Future(this.delayed(fn)(...args));
    this.#queue.push(future);
    if (this.#queue.length === 1) queueMicrotask(() => this.#flush());
    return future;
  }

  /** `fn` over the items of one or more iterables (zipped, as `Executor.map`): Future[]. */
  map(fn, ...iterables) {
    if (!iterables.length) throw new TypeError('map: give at least one iterable');
    const lists = iterables.map((it) => Array.from(it));
    const n = Math.min(...lists.map((l) => l.length));
    const d = this.delayed(fn);
    const futures = [];
    for (let i = 0; i < n; i++) futures.push(new Future(d(...lists.map((l) => l[i]))));
    this.#queue.push(...futures);
    if (this.#queue.length === futures.length && n) queueMicrotask(() => this.#flush());
    return futures;
  }

  /** Resolves to the results of the futures, in order (rejects with the first error). */
  gather(futures) {
    return Promise.all(Array.from(futures, (f) => f.result()));
  }

  // Futures submitted in one turn of the event loop run as one graph, so they run in
  // parallel; the graph is settled per output (a failed call fails only the futures
  // that depend on it, and every call runs once). Each batch has an AbortController,
  // which cancelling all its futures aborts.
  #queue = [];
  async #flush() {
    const batch = this.#queue.splice(0).filter((f) => f._start());
    if (!batch.length) return;
    const group = { controller: new AbortController(), futures: batch };
    for (const f of batch) f._batch = group;
    try {
      const settled = await this._rpc.callWith('compute', batch.map((f) => f._value), {}, { settle: true }, group.controller.signal);
      batch.forEach((f, i) => {
        const s = settled[i];
        if ('error' in s) f._finish(false, new Error(s.error));
        else f._finish(true, s.value);
      });
    } catch (e) {
      for (const f of batch) f._finish(false, e);
    }
  }

  /**
   * Restarts the kernel, as dask's `Client.restart()`: whatever runs is ended, pending
   * computes reject saying so, persisted arrays are gone; the next compute works (the
   * workshop page's Stop button).
   */
  restart(reason = 'restarted by the user') {
    this._rpc.restart(reason);
  }

  /**
   * Stops every running compute in place, as Jupyter's interrupt (the workshop page's
   * Stop button): each rejects with a DOMException named `AbortError` saying `reason`,
   * and the kernel keeps its persisted arrays and data. Only a compute that has not
   * stopped a second later (a JavaScript function in an endless loop) gets the kernel
   * restarted.
   */
  interrupt(reason = 'interrupted by the user') {
    this._rpc.interrupt(reason);
  }

  /** Stops the worker and its pool. */
  async close() {
    this._rpc.close();
  }
}
