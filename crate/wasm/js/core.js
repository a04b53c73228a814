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
//   sample(src, end)   the first `end` bytes of a source of `source()`

import { encodeArgs } from './clone.js';
import initBuilder, * as builder from './single/daskling.js';

let builderReady = null;
function loadBuilder(host) {
  builderReady ??= Promise.resolve(host.wasm()).then((wasm) => initBuilder({ module_or_path: wasm }));
  return builderReady;
}

/** Sends calls to the compute worker and routes its answers and progress. */
class Rpc {
  #worker;
  #next = 1;
  #pending = new Map();

  /** The page's side of this client's kernel state: which data and persisted arrays
   * its expressions still hold. */
  ctx = new builder.Context();
  /** Ids of `fromArray` data the worker holds (sent once). */
  #sentData = new Set();

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
      if (!this.#pending.size) this.#worker.idle?.(true);
      if (error !== undefined) call.reject(new Error(error));
      else call.resolve(result);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.#failAll(new Error(`daskling worker failed: ${event.message ?? 'unknown error'}`));
    };
  }

  call(method, args, onProgress, transfer = []) {
    // Free the worker's copies of data and persisted arrays nothing here uses any more.
    const released = this.ctx.takeReleased();
    if (released.length) {
      for (const name of released) this.#sentData.delete(name);
      this.#worker.postMessage({ id: 0, method: 'release', args: { names: released } });
    }
    return new Promise((resolve, reject) => {
      const id = this.#next++;
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.idle?.(false);
      this.#worker.postMessage({ id, method, args }, transfer);
    });
  }

  /** Dataframe sources by id ({blob}, {url} or {bytes}); `#sent` are in the worker. */
  sources = new Map();
  #sent = new Set();

  /**
   * A call carrying lazy values: their expression, with its array data transferred and
   * the sources it reads (those the worker does not have yet).
   */
  callWith(method, values, onProgress, extra = {}) {
    const { json, data, sources: refs, bytes } = encode(values, this.#sentData);
    for (const [dataId] of data) this.#sentData.add(dataId);
    const add = [];
    for (const [id] of refs) {
      if (this.#sent.has(id)) continue;
      const src = this.sources.get(id);
      if (!src) throw new Error(`unknown source ${id}`);
      add.push([id, src]);
      this.#sent.add(id);
    }
    const transfer = [...data.map(([, values]) => values.buffer), bytes.buffer];
    return this.call(method, { json, data, refs, add, bytes, ...extra }, onProgress, transfer);
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

/**
 * One serialized expression for several lazy values (shared parts once), with the array
 * data the worker does not hold yet (`sent` it does).
 */
function encode(values, sent) {
  const b = new builder.ExprBuilder();
  try {
    for (const v of values) {
      if (!(v instanceof Lazy)) throw new TypeError(`not a lazy daskling value: ${v}`);
      v._addTo(b);
    }
    return b.finish([...sent]);
  } finally {
    b.free();
  }
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
  async compute(options = {}) {
    const [result] = await this.#client.compute(this, options);
    return result;
  }
  /** The optimized task graph: `{nodes: [{id, label, kind}], edges: [[from, to]]}`. */
  async graph() {
    return this.#client._rpc.callWith('graph', [this]);
  }
  /** The optimized task graph in Graphviz DOT. */
  async toDot() {
    return this.#client._rpc.callWith('toDot', [this]);
  }
  /**
   * The optimized task graph drawn by Graphviz (the `@viz-js/viz` package, Graphviz
   * compiled to wasm, loaded on first use) as an SVG string, as dask's `visualize()`.
   */
  async visualize() {
    const dot = await this.toDot();
    let viz;
    try {
      viz = await import('@viz-js/viz');
    } catch (e) {
      throw new Error(
        `visualize() draws with the @viz-js/viz package, which could not be loaded (${e.message}); ` +
          'without a bundler, map it in an import map',
        { cause: e },
      );
    }
    return (await viz.instance()).renderString(dot, { format: 'svg' });
  }
}

const UNARY = ['neg', 'abs', 'sqrt', 'exp', 'log', 'sin', 'cos'];
const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'gt', 'ge', 'lt', 'le', 'eq', 'ne'];
const REDUCTIONS = ['sum', 'mean', 'std', 'var', 'min', 'max', 'prod'];

/**
 * A lazy chunked float64 array, as `dask.array.Array`. Methods return new lazy arrays;
 * `compute()` resolves to a number (0-d) or `{shape, data: Float64Array}` (row-major).
 */
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
  get size() {
    return this.#h.size;
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
  #wrap(handle) {
    return new DArray(this.client, handle);
  }
  #other(x, op) {
    if (x instanceof DArray) return x.#h;
    throw new TypeError(`${op}: expected a number or a daskling array, got ${typeof x}`);
  }
  /**
   * Computes the array and keeps its blocks in the worker: resolves to an array with the
   * same name whose later expressions start from those blocks (dask's `persist`). They
   * are freed once no expression uses them.
   */
  async persist() {
    await this.client._rpc.callWith('persist', [this]);
    return this.#wrap(this.#h.persisted(this.client._rpc.ctx));
  }
  /** The transpose (axes reversed). */
  get T() {
    return this.transpose();
  }
  /** Axes permuted: `axes` lists the input axis of each output axis (reversed when omitted). */
  transpose(axes) {
    return this.#wrap(this.#h.transpose(axes));
  }
  /** Matrix product (numpy's `dot`: a 0-d operand multiplies). */
  dot(other) {
    return this.#wrap(this.#h.dot(this.#other(other, 'dot')));
  }
  /** Matrix product (numpy's `matmul`). */
  matmul(other) {
    return this.#wrap(this.#h.matmul(this.#other(other, 'matmul')));
  }
  /** A selection: per axis an index, `[start, stop, step]` (nulls for defaults) or `null`. */
  slice(spec) {
    return this.#wrap(this.#h.slice(spec));
  }
  /** The same values in other blocks: a block shape or sizes per axis. */
  rechunk(chunks) {
    return this.#wrap(this.#h.rechunk(chunks));
  }
  _binary(op, other) {
    if (typeof other === 'number') return this.#wrap(this.#h.scalarOp(op, other, false));
    return this.#wrap(this.#h.binary(op, this.#other(other, op)));
  }
  _reflected(op, value) {
    return this.#wrap(this.#h.scalarOp(op, value, true));
  }
  _unary(name) {
    return this.#wrap(this.#h.map(name));
  }
  _reduce(op, { axis, ddof, splitEvery } = {}) {
    return this.#wrap(this.#h.reduce(op, axis, ddof, splitEvery));
  }
  _handle() {
    return this.#h;
  }
  _addTo(b) {
    b.addArray(this.#h);
  }
  _depTo(c) {
    c.depArray(this.#h);
  }
}
for (const op of BINARY) {
  DArray.prototype[op] = function (other) {
    return this._binary(op, other);
  };
}
for (const op of UNARY) {
  DArray.prototype[op] = function () {
    return this._unary(op);
  };
}
for (const op of REDUCTIONS) {
  DArray.prototype[op] = function (opts) {
    return this._reduce(op, opts);
  };
}

function wrapAll(client, handles) {
  return Array.from(handles, (h) => new DArray(client, h));
}

/** Flattens nested arrays of numbers, checking that they are rectangular. */
function flatten(data) {
  const shape = [];
  for (let d = data; Array.isArray(d); d = d[0]) shape.push(d.length);
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let i = 0;
  const walk = (d, depth) => {
    if (depth === shape.length) {
      if (typeof d !== 'number') throw new TypeError(`fromArray: expected a number, got ${typeof d}`);
      out[i++] = d;
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[depth]) {
      throw new TypeError(`fromArray: nested arrays are not rectangular (axis ${depth} should have length ${shape[depth]})`);
    }
    for (const x of d) walk(x, depth + 1);
  };
  walk(data, 0);
  return { values: out, shape };
}

/** `client.array`: creation functions and linear algebra, as `dask.array`. */
class ArrayModule {
  #client;
  constructor(client) {
    this.#client = client;
    const wrap = (h) => new DArray(client, h);
    this.random = {
      /** Uniform `[0, 1)` values, reproducible for `seed` and the chunking. */
      random(shape, { chunks, seed } = {}) {
        const s = seed ?? Math.floor(Math.random() * 2 ** 52);
        return wrap(builder.random(shape, chunks, s));
      },
    };
    this.linalg = {
      /** TSQR of a tall-and-skinny array: `[q, r]`. */
      qr(x) {
        return wrapAll(client, x._handle().qr());
      },
      /** SVD of a tall-and-skinny or short-and-fat array: `[u, s, v]`. */
      svd(x) {
        return wrapAll(client, x._handle().svd());
      },
      /** Randomized SVD with `k` components, for any chunking: `[u, s, v]`. */
      svdCompressed(x, k, { seed, nPowerIter = 2 } = {}) {
        const s = seed ?? Math.floor(Math.random() * 2 ** 52);
        return wrapAll(client, x._handle().svdCompressed(k, nPowerIter, s));
      },
    };
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
  /** `start, start + step, …` below `stop` (1-d); `arange(stop)` counts from 0. */
  arange(start, stop, step = 1, { chunks } = {}) {
    if (stop === undefined || (typeof stop === 'object' && stop !== null)) {
      if (typeof stop === 'object') chunks = stop.chunks;
      [start, stop] = [0, start];
    }
    if (typeof step === 'object') {
      chunks = step.chunks;
      step = 1;
    }
    return new DArray(this.#client, builder.arange(start, stop, step, chunks));
  }
  /** An array of `data`: a Float64Array (with `shape`; 1-d without) or nested arrays. */
  fromArray(data, { shape, chunks } = {}) {
    let values;
    if (ArrayBuffer.isView(data)) {
      values = data instanceof Float64Array ? data : Float64Array.from(data);
      shape ??= [values.length];
    } else if (Array.isArray(data)) {
      const flat = flatten(data);
      values = flat.values;
      shape ??= flat.shape;
    } else {
      throw new TypeError('fromArray: data must be a Float64Array or nested arrays of numbers');
    }
    return new DArray(this.#client, builder.fromArray(this.#client._rpc.ctx, values, shape, chunks));
  }
}

// ---------------------------------------------------------------- dataframes

/** Applies `build` to a fresh GroupAggBuilder on `by` and frees it. */
function groupAgg(byHandle, build, frame) {
  const b = new builder.GroupAggBuilder(byHandle);
  try {
    build(b);
    return b.finish(frame);
  } finally {
    b.free();
  }
}

/** A lazy number (a reduction, a row count, or arithmetic of those). */
export class Scalar extends Lazy {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  _arith(op, other) {
    if (typeof other === 'number') return new Scalar(this.client, this.#h.scalarOp(op, other, false));
    if (other instanceof Scalar) return new Scalar(this.client, this.#h.binary(op, other.#h));
    throw new TypeError(`${op}: expected a number or a Scalar`);
  }
  add(other) {
    return this._arith('add', other);
  }
  sub(other) {
    return this._arith('sub', other);
  }
  mul(other) {
    return this._arith('mul', other);
  }
  div(other) {
    return this._arith('div', other);
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}

/** A lazy series: one column, partitioned like its dataframe. */
export class Series extends Lazy {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  get name() {
    return this.#h.columns[0];
  }
  get dtype() {
    return this.#h.dtypeList[0];
  }
  get npartitions() {
    return this.#h.npartitions;
  }
  _handle() {
    return this.#h;
  }
  #wrap(h) {
    return new Series(this.client, h);
  }
  _binary(op, other) {
    if (typeof other === 'number') return this.#wrap(this.#h.scalarOp(op, other, false));
    if (other instanceof Series) return this.#wrap(this.#h.binary(op, other.#h));
    throw new TypeError(`${op}: expected a number or a Series`);
  }
  and(other) {
    return this.#wrap(this.#h.logical('and', other._handle()));
  }
  or(other) {
    return this.#wrap(this.#h.logical('or', other._handle()));
  }
  not() {
    return this.#wrap(this.#h.logical('not', undefined));
  }
  _reduce(op, { ddof } = {}) {
    return new Scalar(this.client, this.#h.reduce(op, ddof));
  }
  /** How often each value occurs, most frequent first: a Series indexed by value. */
  valueCounts() {
    return this.#wrap(this.#h.valueCounts());
  }
  /** The first `n` values (reads only the partitions they are in). */
  head(n = 5) {
    return this.client._rpc.callWith('head', [this], undefined, { n });
  }
  /** Datetime accessors: `dt.round/floor/ceil(freq)`, `dt.year`, `dt.hour`, …. */
  get dt() {
    const s = this;
    const h = this.#h;
    const field = (f) => s.#wrap(h.dtField(f));
    return {
      round: (freq) => s.#wrap(h.dtRound('round', freq)),
      floor: (freq) => s.#wrap(h.dtRound('floor', freq)),
      ceil: (freq) => s.#wrap(h.dtRound('ceil', freq)),
      get year() {
        return field('year');
      },
      get month() {
        return field('month');
      },
      get day() {
        return field('day');
      },
      get hour() {
        return field('hour');
      },
      get minute() {
        return field('minute');
      },
      get dayofweek() {
        return field('dayofweek');
      },
    };
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}
for (const op of ['add', 'sub', 'mul', 'div', 'gt', 'ge', 'lt', 'le', 'eq', 'ne']) {
  Series.prototype[op] = function (other) {
    return this._binary(op, other);
  };
}
for (const op of ['sum', 'mean', 'min', 'max', 'count', 'std', 'var', 'nunique']) {
  Series.prototype[op] = function (opts) {
    return this._reduce(op, opts);
  };
}

/** One column's groups: each aggregation gives a Series indexed by the sorted keys. */
export class SeriesGroupBy {
  #client;
  #by;
  #values;
  constructor(client, by, values) {
    this.#client = client;
    this.#by = by;
    this.#values = values;
  }
  _agg(agg) {
    const h = groupAgg(this.#by._handle(), (b) => b.add(this.#values._handle(), this.#values.name, agg), false);
    return new Series(this.#client, h);
  }
}
for (const agg of ['sum', 'mean', 'min', 'max', 'count', 'std', 'var', 'first', 'last', 'size']) {
  SeriesGroupBy.prototype[agg] = function () {
    return this._agg(agg);
  };
}

/** Rows grouped by a key series, as `DataFrameGroupBy`. */
export class GroupBy {
  #frame;
  #by;
  constructor(frame, by) {
    this.#frame = frame;
    this.#by = by;
  }
  /** One column's groups. */
  col(name) {
    return new SeriesGroupBy(this.#frame.client, this.#by, this.#frame.col(name));
  }
  /**
   * Several aggregations in one pass: `{high: 'max', close: ['min', 'mean']}`. A column
   * with one aggregation keeps its name; with a list, columns are `close_min`, ….
   */
  agg(spec) {
    const h = groupAgg(
      this.#by._handle(),
      (b) => {
        for (const [col, aggs] of Object.entries(spec)) {
          const list = Array.isArray(aggs) ? aggs : [aggs];
          const values = this.#frame.col(col)._handle();
          for (const a of list) b.add(values, list.length === 1 ? col : `${col}_${a}`, a);
        }
      },
      true,
    );
    return new DataFrame(this.#frame.client, h);
  }
}

/** A lazy dataframe read from CSV files, as `dask.dataframe.DataFrame`. */
export class DataFrame extends Lazy {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  get columns() {
    return this.#h.columns;
  }
  /** `{column: dtype}`. */
  get dtypes() {
    const d = this.#h.dtypeList;
    return Object.fromEntries(this.#h.columns.map((c, i) => [c, d[i]]));
  }
  get npartitions() {
    return this.#h.npartitions;
  }
  col(name) {
    return new Series(this.client, this.#h.col(name));
  }
  select(names) {
    return new DataFrame(this.client, this.#h.select(names));
  }
  /** Rows where the bool Series `mask` is true. */
  filter(mask) {
    if (!(mask instanceof Series)) throw new TypeError('filter: expected a bool Series');
    return new DataFrame(this.client, this.#h.filter(mask._handle()));
  }
  /** Columns added or replaced: `{name: Series}`. */
  assign(columns) {
    let h = this.#h;
    for (const [name, s] of Object.entries(columns)) {
      if (!(s instanceof Series)) throw new TypeError(`assign: ${name} is not a Series`);
      h = h.assign(name, s._handle());
    }
    return new DataFrame(this.client, h);
  }
  /** Groups rows by a Series of this frame or a column name. */
  groupby(by) {
    const key = typeof by === 'string' ? this.col(by) : by;
    if (!(key instanceof Series)) throw new TypeError('groupby: expected a Series or a column name');
    return new GroupBy(this, key);
  }
  /** Number of rows. */
  len() {
    return new Scalar(this.client, this.#h.len());
  }
  /**
   * count, mean, std, min, 25%, 50%, 75%, max of the numeric columns: a lazy frame
   * indexed by those names (quartiles approximate over many partitions, as dask's).
   */
  describe() {
    return new DataFrame(this.client, this.#h.describe());
  }
  /** The first `n` rows as a Table (reads only the partitions they are in). */
  head(n = 5) {
    return this.client._rpc.callWith('head', [this], undefined, { n });
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}

/**
 * A call of a JavaScript function, lazy (as `dask.delayed`): compute it, or pass it to
 * other delayed calls. Made by the functions `client.delayed(fn)` returns.
 */
export class Delayed extends Lazy {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  /** Its task's key (`<function name>-<token>`). */
  get key() {
    return this.#h.name;
  }
  _addTo(b) {
    b.addCall(this.#h);
  }
  _depTo(c) {
    c.depCall(this.#h);
  }
}

/** The source text of `fn` to send to the workers, or a TypeError saying why it cannot travel. */
function sourceOf(fn, name) {
  if (typeof fn !== 'function') throw new TypeError(`delayed: expected a function, got ${typeof fn}`);
  const source = fn.toString();
  if (/\{\s*\[native code\]\s*\}$/.test(source)) {
    throw new TypeError(`delayed: ${name} is a built-in or bound function; wrap it: (x) => ${name}(x)`);
  }
  if (/^class\b/.test(source)) throw new TypeError(`delayed: ${name} is a class, not a function`);
  if (/^async\b/.test(source)) throw new TypeError(`delayed: ${name} is async; delayed functions must be synchronous`);
  return source;
}

/**
 * A task submitted with `client.submit` (as `concurrent.futures.Future`): it starts at
 * once; `result()` resolves to its value.
 */
export class Future {
  #promise;
  #state = 'pending';
  #settle;
  constructor(value) {
    this._value = value;
    this.#promise = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // A future nobody awaits must not report an unhandled rejection.
    this.#promise.catch(() => {});
  }
  /** Its task's key. */
  get key() {
    return this._value.key;
  }
  /** Resolves to the function's result, or rejects with its error. */
  result() {
    return this.#promise;
  }
  /** Whether it finished (with a result or an error) or was cancelled. */
  done() {
    return this.#state !== 'pending' && this.#state !== 'running';
  }
  /** Whether it was cancelled. */
  cancelled() {
    return this.#state === 'cancelled';
  }
  /**
   * Cancels it if it has not started (true); a running or finished future cannot be
   * (false), as in concurrent.futures.
   */
  cancel() {
    if (this.#state === 'cancelled') return true;
    if (this.#state !== 'pending') return false;
    this.#state = 'cancelled';
    this.#settle.reject(new Error(`${this.key} was cancelled`));
    return true;
  }
  _start() {
    if (this.#state !== 'pending') return false;
    this.#state = 'running';
    return true;
  }
  _finish(ok, value) {
    if (this.#state !== 'running') return;
    this.#state = ok ? 'finished' : 'failed';
    if (ok) this.#settle.resolve(value);
    else this.#settle.reject(value);
  }
}

let sourceCount = 0;
const blobIds = new WeakMap();

/** `[{id, name, size, src}]` of the sources `readCsv` accepts. */
async function normalizeSources(host, source) {
  const items =
    Array.isArray(source) || (typeof FileList !== 'undefined' && source instanceof FileList)
      ? Array.from(source)
      : [source];
  if (!items.length) throw new Error('readCsv: no files given');
  const list = await Promise.all(
    items.map(async (item) => {
      if (typeof Blob !== 'undefined' && item instanceof Blob) {
        if (!blobIds.has(item)) blobIds.set(item, `blob-${++sourceCount}`);
        return { id: blobIds.get(item), name: item.name ?? blobIds.get(item), size: item.size, src: { blob: item } };
      }
      if (typeof item === 'string' || item instanceof URL) return host.source(item);
      if (item && typeof item === 'object' && 'data' in item) {
        const bytes = typeof item.data === 'string' ? new TextEncoder().encode(item.data) : item.data;
        if (!(bytes instanceof Uint8Array)) throw new TypeError('readCsv: data must be a string or a Uint8Array');
        const id = `mem-${++sourceCount}`;
        return { id, name: item.name ?? id, size: bytes.length, src: { bytes } };
      }
      throw new TypeError(`readCsv: unsupported source ${item}`);
    }),
  );
  return list.flat();
}

async function sampleOf(host, { size, src }, n) {
  const end = Math.min(size, n);
  if (src.bytes) return src.bytes.subarray(0, end);
  if (src.blob) return new Uint8Array(await src.blob.slice(0, end).arrayBuffer());
  return host.sample(src, end);
}

/** An HTTP(S) URL as a readCsv source (its size from a HEAD request). */
export async function urlSource(item, base) {
  const url = new URL(item, base).href;
  const head = await fetch(url, { method: 'HEAD' });
  if (!head.ok) throw new Error(`readCsv: ${url}: HTTP ${head.status}`);
  let size = Number(head.headers.get('content-length'));
  if (!Number.isFinite(size) || head.headers.get('content-length') === null) {
    size = (await (await fetch(url)).arrayBuffer()).byteLength;
  }
  return [{ id: `url:${url}`, name: url, size, src: { url } }];
}

/** The first `end` bytes of a URL source (a range request). */
export async function urlSample(src, end) {
  const r = await fetch(src.url, { headers: { Range: `bytes=0-${Math.max(0, end - 1)}` } });
  return new Uint8Array(await r.arrayBuffer()).subarray(0, end);
}

const SAMPLE_BYTES = 256000;

/** `client.dataframe`, as `dask.dataframe`. */
class DataFrameModule {
  #client;
  constructor(client) {
    this.#client = client;
  }
  /**
   * A dataframe of CSV files: a File, Blob, File[], FileList, URL(s), or
   * `[{name, data}]`. Options: `parseDates`, `dtype` ({col: dtype}), `sep`, `header`,
   * `blocksize` (bytes: larger files are split). Reads only the first bytes of the first
   * file now, to learn columns and dtypes.
   */
  async readCsv(source, { parseDates = [], dtype = {}, sep, header, blocksize } = {}) {
    const host = this.#client.constructor.host;
    const list = await normalizeSources(host, source);
    for (const s of list) this.#client._rpc.sources.set(s.id, s.src);
    const sample = await sampleOf(host, list[0], SAMPLE_BYTES);
    const h = builder.readCsv(
      list.map((s) => [s.id, s.name, s.size]),
      sample,
      list[0].size <= SAMPLE_BYTES,
      { parseDates, dtype, sep, header, blocksize },
    );
    return new DataFrame(this.#client, h);
  }
}

/**
 * The workshop's sample data: minute bars, one CSV per weekday per ticker, as
 * `[{name: 'minute/hp/2000-01-03.csv', data: Uint8Array}, …]` (seeded random walk;
 * columns timestamp,open,high,low,close,volume; 09:30–16:00).
 */
export async function generateSampleWith(host, { tickers = ['hp'], days = 20, seed = 0, start } = {}) {
  await loadBuilder(host);
  return Array.from(builder.generateSample(tickers, days, seed, start));
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
    this.dataframe = new DataFrameModule(this);
  }

  /**
   * Starts a client. The threaded build is used when the page is cross-origin isolated
   * (SharedArrayBuffer available), else the single-threaded one.
   */
  static async start({ threads = this.host.defaultThreads() } = {}) {
    const host = this.host;
    await loadBuilder(host);
    const rpc = new Rpc(host.startWorker());
    try {
      const info = await rpc.call('init', { mode: host.isolated() ? 'threads' : 'single', threads });
      return new this(rpc, info.mode, info.threads);
    } catch (e) {
      rpc.close();
      throw e;
    }
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
   * The last argument may be `{onProgress, taskStream}`. Resolves to an array of results.
   */
  compute(...args) {
    let opts = {};
    if (args.length && !(args[args.length - 1] instanceof Lazy)) opts = args.pop() ?? {};
    try {
      return this._rpc.callWith('compute', args, opts.onProgress, opts.taskStream ? { trace: true } : {});
    } catch (e) {
      return Promise.reject(e);
    }
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
  // parallel; a failed batch is retried one by one, so each gets its own result or error.
  #queue = [];
  async #flush() {
    const batch = this.#queue.splice(0).filter((f) => f._start());
    if (!batch.length) return;
    try {
      const values = await this.compute(...batch.map((f) => f._value));
      batch.forEach((f, i) => f._finish(true, values[i]));
    } catch (e) {
      if (batch.length === 1) {
        batch[0]._finish(false, e);
        return;
      }
      for (const f of batch) {
        try {
          f._finish(true, await f._value.compute());
        } catch (err) {
          f._finish(false, err);
        }
      }
    }
  }

  /** Stops the worker and its pool. */
  async close() {
    this._rpc.close();
  }
}
