// The client's channel to its compute worker: lazy values are encoded by the page's
// builder instance of the kernel (the single build, loaded once) and sent with the data
// and sources the worker does not hold yet; answers and progress come back by id.

import { Lazy } from './lazy.js';
import initBuilder, * as builder from './single/daskling.js';

export { builder };

let builderReady = null;

/** Loads the builder instance once (every client shares it). */
export function loadBuilder(host) {
  builderReady ??= Promise.resolve(host.wasm()).then((wasm) => initBuilder({ module_or_path: wasm }));
  return builderReady;
}

/** Sends calls to the compute worker and routes its answers and progress. */
export class Rpc {
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
