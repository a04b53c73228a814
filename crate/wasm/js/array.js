// Chunked arrays, as dask.array: DArray (each method builds an expression at once on the
// builder instance) and `client.array`, its creation functions and linear algebra.

import { encodeArgs } from './clone.js';
import { sourceOf } from './delayed.js';
import { DArrayOps } from './ops.js';
import { builder } from './rpc.js';

/**
 * A lazy chunked float64 array, as `dask.array.Array`. Methods return new lazy arrays
 * (the elementwise operations and reductions, one per table row, are in ops.js);
 * `compute()` resolves to a number (0-d) or `{shape, data: Float64Array}` (row-major).
 */
export class DArray extends DArrayOps {
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
  /**
   * `fn` on every block (dask's `map_blocks`), in the function workers: it gets
   * `{shape, data: Float64Array}` (and `args` after it) and returns `{shape, data}`, or
   * just the values (row-major) when the shape stays; `chunks` declares other blocks.
   */
  mapBlocks(fn, { chunks, args = [], name } = {}) {
    const [source, fname, bytes] = blockFunction(fn, args, name, 'mapBlocks');
    return this.#wrap(this.#h.mapBlocks(source, fname, bytes, chunks));
  }
  /**
   * `fn` on every block with `depth` elements of its neighbours on each side (a number
   * for every axis, or one per axis), `boundary` beyond the array's edge (`'none'`, as
   * dask's default, `'reflect'`, `'nearest'`, `'periodic'` or a number); the extra
   * elements are cut off what `fn` returns (dask's `map_overlap`).
   */
  mapOverlap(fn, { depth = 1, boundary = 'none', args = [], name } = {}) {
    const [source, fname, bytes] = blockFunction(fn, args, name, 'mapOverlap');
    const d = typeof depth === 'number' ? this.shape.map(() => depth) : depth;
    if (!Array.isArray(d) || d.length !== this.ndim) {
      throw new TypeError(`mapOverlap(${fname}): depth must be a number or one number per axis (${this.ndim})`);
    }
    return this.#wrap(this.#h.mapOverlap(source, fname, bytes, Float64Array.from(d), boundary));
  }
  /** Values limited to `[min, max]` (numpy's `clip`; `null` leaves a side open; NaN stays NaN). */
  clip(min = null, max = null) {
    const low = min === null ? this : this._binary('maximum', min);
    return max === null ? low : low._binary('minimum', max);
  }
  _binary(op, other) {
    if (typeof other === 'number') return this.#wrap(this.#h.scalarOp(op, other, false));
    return this.#wrap(this.#h.binary(op, this.#other(other, op)));
  }
  _unary(name) {
    return this.#wrap(this.#h.map(name));
  }
  _reduce(op, { axis, ddof, splitEvery } = {}) {
    return this.#wrap(this.#h.reduce(op, axis, ddof, splitEvery));
  }
  _arg(op, { axis } = {}) {
    return this.#wrap(this.#h.arg(op, axis));
  }
  _scan(op, { axis } = {}) {
    return this.#wrap(this.#h.scan(op, axis));
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

function wrapAll(client, handles) {
  return Array.from(handles, (h) => new DArray(client, h));
}

/** A block function as the kernel takes it: its source, name and encoded arguments (the block first). */
function blockFunction(fn, args, name, what) {
  const fname = name ?? (fn?.name || 'lambda');
  const source = sourceOf(fn, fname);
  if (!Array.isArray(args)) throw new TypeError(`${what}(${fname}): args must be an array`);
  const block = {};
  return [source, fname, encodeArgs([block, ...args], fname, { isLazy: (v) => v === block, deps: [] })];
}

/** `f` of the kernel's list of the arrays' handles (freed after), for a function of several arrays. */
function withList(arrays, what, f) {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new TypeError(`${what}: expected a non-empty array of daskling arrays`);
  const list = new builder.ArrayList();
  try {
    for (const a of arrays) {
      if (!(a instanceof DArray)) throw new TypeError(`${what}: expected daskling arrays, got ${typeof a}`);
      list.push(a._handle());
    }
    return f(list);
  } finally {
    list.free();
  }
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
export class ArrayModule {
  #client;
  constructor(client) {
    this.#client = client;
    const wrap = (h) => new DArray(client, h);
    this.random = {
      /** Uniform `[0, 1)` values, reproducible for `seed` and the chunking. */
      random(shape, { chunks, seed } = {}) {
        return wrap(builder.random(shape, chunks, seed));
      },
      /** Normal values, mean `loc` (0) and standard deviation `scale` (1); reproducible for `seed` and the chunking. */
      normal(shape, { loc = 0, scale = 1, chunks, seed } = {}) {
        return wrap(builder.normal(shape, loc, scale, chunks, seed));
      },
      /** Uniform values in `[low, high)`, reproducible for `seed` and the chunking. */
      uniform(low, high, shape, { chunks, seed } = {}) {
        return wrap(builder.uniform(low, high, shape, chunks, seed));
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
      /** The lower Cholesky factor `l` of a symmetric positive definite array (`a = l lᵀ`); square blocks. */
      cholesky(a) {
        return new DArray(client, a._handle().cholesky());
      },
      /** `x` with `a · x = b` (`b` 1-d or 2-d), by a blocked LU of `a` (square blocks). */
      solve(a, b) {
        return new DArray(client, a._handle().solve(b._handle()));
      },
      /** numpy's `linalg.norm`: `ord` a number, `Infinity`, `'fro'` or `'nuc'`; `axis` one axis (a vector norm) or two (a matrix norm). */
      norm(x, { ord, axis } = {}) {
        return new DArray(client, x._handle().norm(ord, axis));
      },
      /** The inverse of a square array: `solve(a, eye)`. */
      inv(a) {
        return new DArray(client, a._handle().inv());
      },
      /** Randomized SVD with `k` components, for any chunking: `[u, s, v]`. */
      svdCompressed(x, k, { seed, nPowerIter = 2 } = {}) {
        return wrapAll(client, x._handle().svdCompressed(k, nPowerIter, seed));
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
  /** The arrays joined along an existing `axis` (default 0), numpy's `concatenate`. */
  concatenate(arrays, { axis = 0 } = {}) {
    return new DArray(this.#client, withList(arrays, 'concatenate', (l) => builder.concatenate(l, axis)));
  }
  /** The arrays (all of one shape) joined along a new `axis` (default 0), numpy's `stack`. */
  stack(arrays, { axis = 0 } = {}) {
    return new DArray(this.#client, withList(arrays, 'stack', (l) => builder.stack(l, axis)));
  }
  /** numpy's `where(cond, a, b)`: `a` where `cond` is not 0, else `b` (arrays or numbers, broadcast together). */
  where(cond, a, b) {
    const arr = (x, what) => {
      if (typeof x === 'number') return this.full([], x)._handle();
      if (x instanceof DArray) return x._handle();
      throw new TypeError(`where: ${what} must be a number or a daskling array, got ${typeof x}`);
    };
    return new DArray(this.#client, arr(cond, 'cond').where(arr(a, 'a'), arr(b, 'b')));
  }
  /** `num` (50) evenly spaced values from `start` to `stop` (left out when `endpoint` is false), numpy's `linspace`. */
  linspace(start, stop, num = 50, options = {}) {
    // linspace(start, stop, {chunks}) leaves num at its default, as numpy's keyword call.
    if (typeof num === 'object' && num !== null) [num, options] = [50, num];
    const { chunks, endpoint = true } = options;
    const chunk = Array.isArray(chunks) ? chunks[0] : chunks;
    return new DArray(this.#client, builder.linspace(start, stop, num, endpoint, chunk));
  }
  /** Ones of `x`'s shape and chunks. */
  onesLike(x) {
    return this.fullLike(x, 1);
  }
  /** Zeros of `x`'s shape and chunks. */
  zerosLike(x) {
    return this.fullLike(x, 0);
  }
  /** `value` in `x`'s shape and chunks. */
  fullLike(x, value) {
    return this.full(x.shape, value, { chunks: x.chunks });
  }
  /** `n`×`M` (default `n`) with ones on diagonal `k` (0 the main one), zeros elsewhere. */
  eye(n, { chunks, M, k } = {}) {
    return new DArray(this.#client, builder.eye(n, M, k, chunks));
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
