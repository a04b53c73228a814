// Values of delayed JavaScript functions, as bytes: arguments travel from the page to the
// compute worker and results between the pool's workers through the kernel's memory, so
// they are encoded here — the structured-cloneable kinds, with the same rules as
// postMessage (no functions, symbols, DOM nodes or class instances) — and decoded in
// whichever worker runs the next function. This file is also the wasm module's snippet
// that runs those functions in each worker (`callFunction`).
//
// Format: one tag byte per value, then its payload, little-endian:
//   0 undefined  1 null  2 false  3 true  4 f64  5 string (u32 bytes, utf-8)
//   6 array (u32 n, n values)  7 object (u32 n, n × (string, value))
//   8 typed array (u8 kind, u32 length, elements)  9 ArrayBuffer (u32 bytes, bytes)
//   10 Date (f64 ms)  11 Map (u32 n, n × (key, value))  12 Set (u32 n, n values)
//   13 bigint (string of its digits)  14 a dependency (u32 index; arguments only)
//   15 i32

const TYPED = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function describe(v) {
  if (typeof v === 'function') return `a function (${v.name || 'anonymous'})`;
  if (typeof v === 'symbol') return 'a symbol';
  const name = v?.constructor?.name;
  if (typeof Node !== 'undefined' && v instanceof Node) return `a DOM node (${name})`;
  if (v instanceof Promise) return 'a Promise (delayed functions must be synchronous)';
  return name ? `an instance of ${name}` : 'an object with a custom prototype';
}

class Writer {
  constructor() {
    this.buf = new Uint8Array(64);
    this.view = new DataView(this.buf.buffer);
    this.n = 0;
  }
  room(k) {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(x) {
    this.room(1);
    this.buf[this.n++] = x;
  }
  u32(x) {
    this.room(4);
    this.view.setUint32(this.n, x, true);
    this.n += 4;
  }
  f64(x) {
    this.room(8);
    this.view.setFloat64(this.n, x, true);
    this.n += 8;
  }
  bytes(b) {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  string(s) {
    // At most 3 bytes per UTF-16 unit.
    this.room(4 + s.length * 3);
    const { written } = utf8.encodeInto(s, this.buf.subarray(this.n + 4));
    this.view.setUint32(this.n, written, true);
    this.n += 4 + written;
  }
}

/**
 * Writes `value` to `w`; `where` names it in errors ("argument 1 of f"). `deps`, when
 * given, collects values `isLazy` accepts (each becomes a dependency on its index).
 */
function write(w, value, where, { isLazy, deps } = {}) {
  const seen = new Set();
  const put = (v, path) => {
    switch (typeof v) {
      case 'undefined':
        return w.u8(0);
      case 'boolean':
        return w.u8(v ? 3 : 2);
      case 'number':
        if ((v | 0) === v && !Object.is(v, -0)) {
          w.u8(15);
          w.room(4);
          w.view.setInt32(w.n, v, true);
          w.n += 4;
          return;
        }
        w.u8(4);
        return w.f64(v);
      case 'string':
        w.u8(5);
        return w.string(v);
      case 'bigint':
        w.u8(13);
        return w.string(v.toString());
      case 'object':
        break;
      default:
        throw new TypeError(`${where}${path} is not cloneable: ${describe(v)}`);
    }
    if (v === null) return w.u8(1);
    if (isLazy?.(v)) {
      w.u8(14);
      deps.push(v);
      return w.u32(deps.length - 1);
    }
    if (seen.has(v)) throw new TypeError(`${where}${path} refers to itself (cycles are not supported)`);
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        w.u8(6);
        w.u32(v.length);
        v.forEach((x, i) => put(x, `${path}[${i}]`));
      } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        const kind = TYPED.findIndex((T) => v instanceof T);
        if (kind < 0) throw new TypeError(`${where}${path} is not cloneable: ${describe(v)}`);
        w.u8(8);
        w.u8(kind);
        const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
        w.bytes(bytes);
      } else if (v instanceof ArrayBuffer) {
        w.u8(9);
        w.bytes(new Uint8Array(v));
      } else if (v instanceof Date) {
        w.u8(10);
        w.f64(v.getTime());
      } else if (v instanceof Map) {
        w.u8(11);
        w.u32(v.size);
        for (const [k, x] of v) {
          put(k, `${path} (a Map key)`);
          put(x, `${path}.get(${typeof k === 'string' ? JSON.stringify(k) : '…'})`);
        }
      } else if (v instanceof Set) {
        w.u8(12);
        w.u32(v.size);
        for (const x of v) put(x, `${path} (a Set item)`);
      } else {
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) {
          throw new TypeError(`${where}${path} is not cloneable: ${describe(v)}`);
        }
        const keys = Object.keys(v);
        w.u8(7);
        w.u32(keys.length);
        for (const k of keys) {
          w.string(k);
          put(v[k], `${path}.${k}`);
        }
      }
    } finally {
      seen.delete(v);
    }
  };
  put(value, '');
}

/** Encodes `value` (see `write`). */
export function encode(value, where, options) {
  const w = new Writer();
  write(w, value, where, options);
  return w.buf.slice(0, w.n);
}

/** Encodes a call's arguments as one array, each named in errors ("argument 2 of f"). */
export function encodeArgs(args, name, options) {
  const w = new Writer();
  w.u8(6);
  w.u32(args.length);
  args.forEach((a, i) => write(w, a, `argument ${i + 1} of ${name}`, options));
  return w.buf.slice(0, w.n);
}

/** Decodes bytes of `encode`; a dependency tag becomes `deps[index]`. */
export function decode(bytes, deps = []) {
  // TextDecoder refuses views of shared memory (the threaded build's).
  if (typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer) bytes = bytes.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  const u32 = () => {
    const x = view.getUint32(n, true);
    n += 4;
    return x;
  };
  const f64 = () => {
    const x = view.getFloat64(n, true);
    n += 8;
    return x;
  };
  const string = () => {
    const len = u32();
    const s = fromUtf8.decode(bytes.subarray(n, n + len));
    n += len;
    return s;
  };
  const take = () => {
    const len = u32();
    const copy = bytes.slice(n, n + len);
    n += len;
    return copy;
  };
  const get = () => {
    const tag = bytes[n++];
    switch (tag) {
      case 0:
        return undefined;
      case 1:
        return null;
      case 2:
        return false;
      case 3:
        return true;
      case 4:
        return f64();
      case 5:
        return string();
      case 6: {
        const len = u32();
        const out = new Array(len);
        for (let i = 0; i < len; i++) out[i] = get();
        return out;
      }
      case 7: {
        const len = u32();
        const out = {};
        for (let i = 0; i < len; i++) {
          const k = string();
          out[k] = get();
        }
        return out;
      }
      case 8: {
        const T = TYPED[bytes[n++]];
        return new T(take().buffer);
      }
      case 9:
        return take().buffer;
      case 10:
        return new Date(f64());
      case 11: {
        const len = u32();
        const out = new Map();
        for (let i = 0; i < len; i++) {
          const k = get();
          out.set(k, get());
        }
        return out;
      }
      case 12: {
        const len = u32();
        const out = new Set();
        for (let i = 0; i < len; i++) out.add(get());
        return out;
      }
      case 13:
        return BigInt(string());
      case 14:
        return deps[u32()];
      case 15: {
        const x = view.getInt32(n, true);
        n += 4;
        return x;
      }
      default:
        throw new Error(`corrupt delayed value (tag ${tag} at byte ${n - 1})`);
    }
  };
  return get();
}

// Compiled functions of this worker, by source text.
const compiled = new Map();

function compile(source, name) {
  let fn = compiled.get(source);
  if (fn) return fn;
  try {
    fn = new Function(`"use strict"; return (${source});`)();
  } catch {
    // A method's shorthand source (`f(x) { … }`) is not an expression by itself.
    try {
      fn = new Function(`"use strict"; return ({ ${source} })[${JSON.stringify(name)}];`)();
    } catch (e) {
      throw new Error(`${name}: its source cannot be compiled in a worker (${e.message})`, { cause: e });
    }
  }
  if (typeof fn !== 'function') throw new Error(`${name}: its source is not a function`);
  compiled.set(source, fn);
  return fn;
}

/**
 * Runs a delayed function in this worker: `args` are its encoded arguments, `deps` the
 * values of the lazy ones (already JS values, or encoded bytes of other calls).
 * Returns the encoded result; throws an Error saying what went wrong.
 */
export function callFunction(source, name, args, deps) {
  const fn = compile(source, name);
  const depValues = deps.map((d) => (d instanceof Uint8Array ? decode(d) : d));
  const argv = decode(args, depValues);
  let result;
  try {
    result = fn(...argv);
  } catch (e) {
    if (e instanceof ReferenceError) {
      const missing = /^(\S+) is not defined/.exec(e.message)?.[1];
      if (missing) {
        throw new Error(
          `${name} uses ${missing}, which is not defined where it runs: delayed functions travel as ` +
            `source text and run in a worker, so pass ${missing} as an argument`,
          { cause: e },
        );
      }
    }
    const message = e instanceof Error ? e.message : String(e);
    const err = new Error(`${name} threw: ${message}${e?.stack ? `\n${e.stack}` : ''}`, { cause: e });
    throw err;
  }
  if (result instanceof Promise || typeof result?.then === 'function') {
    throw new Error(`${name} returned a Promise: delayed functions must be synchronous`);
  }
  return encode(result, `the result of ${name}`);
}

/**
 * A call's encoded arguments as JSON, for toDask: dependency `i` becomes `{"$dep": i}`,
 * typed arrays arrays; what JSON cannot carry (undefined, Map, Set, Date, bigint, binary)
 * is an Error naming it.
 */
export function argsJson(bytes, name) {
  const deps = [];
  const argv = decode(bytes, new Proxy(deps, { get: (t, k) => (/^\d+$/.test(k) ? { $dep: Number(k) } : t[k]) }));
  const check = (v, where) => {
    if (v === undefined || v instanceof Map || v instanceof Set || v instanceof Date || typeof v === 'bigint' || v instanceof ArrayBuffer) {
      const what = v === undefined ? 'undefined' : typeof v === 'bigint' ? 'a bigint' : `a ${v.constructor.name}`;
      throw new Error(`toDask: ${where} of ${name} is ${what}, which a dask script cannot pass to JavaScript (use numbers, strings, arrays and plain objects)`);
    }
    if (ArrayBuffer.isView(v)) return Array.from(v, Number);
    if (Array.isArray(v)) return v.map((x, i) => check(x, `${where}[${i}]`));
    if (v && typeof v === 'object' && !('$dep' in v && Object.keys(v).length === 1)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, check(x, `${where}.${k}`)]));
    }
    return v;
  };
  return JSON.stringify(argv.map((a, i) => check(a, `argument ${i + 1}`)));
}

/** Decodes a call's result for the page (in the compute worker). */
export function decodeValue(bytes) {
  return decode(bytes);
}
