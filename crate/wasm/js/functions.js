// The compute worker's function workers: user JavaScript functions (delayed, submit,
// map) run here, beside the kernel's pool rather than on its threads, so that one stuck
// in an endless loop is terminated and replaced alone — on an abort, or a future's
// cancel — while the kernel, its data and the other computes go on.
//
// The kernel reaches the pool through `globalThis.dasklingFunctions` (src/js.rs): it
// starts a call (`start` → an id) and drops one it no longer wants (`drop`: a queued call
// is forgotten, a running one's worker terminated); answers go to `onAnswer` as they
// come in (the compute worker hands them to the kernel: `functionAnswer`).
// Arguments and results travel as clone.js bytes, the dependencies' arrays and columns
// as transferred typed arrays (no copy into JSON). Workers start on the first call.

/** Lanes of the task stream: function worker `n` is lane `FUNCTION_LANES + n` (the
 * pool's threads are 0, 1, …; the compute worker's reads -1). */
export const FUNCTION_LANES = 1000;

/** The buffers of the typed arrays in `deps` (arrays, Tables, Columns, call results). */
function transferables(deps) {
  const out = new Set();
  const shared = (b) => typeof SharedArrayBuffer !== 'undefined' && b instanceof SharedArrayBuffer;
  const add = (x) => {
    if (ArrayBuffer.isView(x) && !shared(x.buffer)) out.add(x.buffer);
  };
  for (const d of deps) {
    if (ArrayBuffer.isView(d)) add(d);
    else if (d && typeof d === 'object') {
      for (const v of [d.data, d.values, d.index]) add(v);
      if (d.data && !ArrayBuffer.isView(d.data) && typeof d.data === 'object') Object.values(d.data).forEach(add);
    }
  }
  return [...out];
}

/**
 * A pool of at most `size` function workers; `spawn(n, onAnswer, onFail)` starts worker
 * number `n` (a Worker or worker thread wrapped as `{post(message, transfer), terminate()}`),
 * calling `onAnswer(message)` with each of its answers and `onFail(message)` if it dies.
 */
export class FunctionPool {
  #spawn;
  #size;
  /** Slots: `{worker, n, call}` (`call`: the id it runs). */
  #slots = [];
  /** Calls waiting for a worker: `{id, message}`. */
  #queue = [];
  #next = 1;
  #spawned = 0;
  /** Workers terminated with a call still running (replaced). */
  replaced = 0;
  /** `onAnswer(id, {bytes, lane} | {error, lane})`: each answer as it comes in. */
  onAnswer = null;

  constructor(spawn, size) {
    this.#spawn = spawn;
    this.#size = Math.max(1, Math.floor(size) || 1);
  }

  /** Queues a call of the function with `source` and `name`; its id. */
  start(source, name, args, deps) {
    const id = this.#next++;
    this.#queue.push({ id, message: { id, source, name, args, deps } });
    this.#dispatch();
    return id;
  }

  /** Forgets call `id`: dropped from the queue, or its worker terminated and replaced. */
  drop(id) {
    const q = this.#queue.findIndex((c) => c.id === id);
    if (q >= 0) {
      this.#queue.splice(q, 1);
      return;
    }
    const slot = this.#slots.find((s) => s.call === id);
    if (slot) {
      this.replaced++;
      this.#replace(slot);
      this.#dispatch();
    }
  }

  /** Terminates every worker. */
  close() {
    for (const s of this.#slots) s.worker.terminate();
    this.#slots = [];
    this.#queue = [];
  }

  #dispatch() {
    while (this.#queue.length) {
      let slot = this.#slots.find((s) => s.call === undefined);
      if (!slot && this.#slots.length < this.#size) {
        slot = { worker: null, n: 0, call: undefined };
        this.#slots.push(slot);
        this.#replace(slot);
      }
      if (!slot) return;
      const { id, message } = this.#queue.shift();
      slot.call = id;
      const transfer = transferables(message.deps);
      transfer.push(message.args.buffer);
      slot.worker.post(message, transfer);
    }
  }

  /** Gives `slot` a new worker (terminating its old one). */
  #replace(slot) {
    slot.worker?.terminate();
    slot.call = undefined;
    const n = (slot.n = this.#spawned++);
    const lane = FUNCTION_LANES + n;
    // A terminated worker's late events are not the new one's.
    const answer = (m) => {
      if (slot.n !== n || slot.call !== m.id) return;
      slot.call = undefined;
      this.#dispatch();
      this.onAnswer?.(m.id, { bytes: m.bytes, error: m.error, lane });
    };
    const fail = (message) => {
      const id = slot.call;
      if (slot.n !== n || id === undefined) return;
      this.#replace(slot);
      this.#dispatch();
      this.onAnswer?.(id, { error: `the function worker running it failed: ${message}`, lane });
    };
    slot.worker = this.#spawn(n, answer, fail);
  }
}

/** Answers the calls a function worker is sent; `post(message, transfer)` replies. */
export function serveFunctions(callFunction, post) {
  return ({ id, source, name, args, deps }) => {
    try {
      const bytes = callFunction(source, name, args, deps);
      post({ id, bytes }, [bytes.buffer]);
    } catch (e) {
      post({ id, error: e instanceof Error ? e.message : String(e) });
    }
  };
}
