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

/** How long a worker may stay silent while running a call (ms): dask's worker TTL is 5 minutes. */
export const DEFAULT_WORKER_TTL = 60_000;

/** The calls the kernel runs as cancellable computes (src/runs.rs). */
const CANCELLABLE = new Set(['compute', 'persist']);

/** Stores `value` in the cancel flag of `call`'s slot, in its kernel's shared memory. */
function setFlag(call, value) {
  Atomics.store(new Int32Array(call.cancel.memory.buffer), call.cancel.flags[call.slot] >> 2, value);
}

/** The error a call gets when it is aborted (what `fetch` gives: a DOMException). */
function abortError(signal) {
  const reason = signal?.reason;
  if (reason instanceof DOMException && reason.name === 'AbortError') return reason;
  return new DOMException(`the compute was aborted${reason ? ` (${reason.message ?? reason})` : ''}`, 'AbortError');
}

/**
 * Sends calls to the compute worker and routes its answers and progress; supervises the
 * worker. Calls run at the same time in the worker (computes take turns on its pool).
 * A compute or persist aborted while it runs is cancelled in place: its flag is set
 * (where the kernel's memory is shared, the threaded build) and a cancel message sent
 * (read between the worker's slices, in either build); the promise rejects with
 * `AbortError` at once, the kernel stops it within its next blocks or slice and keeps
 * its data, and later calls wait for that (at most a second: a kernel task that never
 * checks — one long task in single mode — gets the kernel restarted; a JavaScript
 * function runs in a function worker, which is terminated and replaced alone). When the worker dies or traps (a wasm trap, a stack overflow, out
 * of memory), or another aborted call cannot be cancelled in place, the kernel is
 * restarted: the worker is terminated and a new one started with the same mode, the
 * pending calls reject with an error that says what happened, and the next call works.
 * What the old kernel held (persisted arrays) is gone: using it is a clear error; data
 * and sources are sent again.
 */
export class Rpc {
  #startWorker;
  #worker;
  #init = null;
  #ready = Promise.resolve();
  /** Resolves once every aborted compute has stopped (or the kernel restarted). */
  #stopping = Promise.resolve();
  /** The kernel's shared memory and cancel flags (threaded build), and the free slots. */
  #cancel = null;
  #next = 1;
  #pending = new Map();
  /** Kernel restarts so far, and why (the last 20). */
  restarts = 0;
  restartReasons = [];

  /** The page's side of this client's kernel state: which data and persisted arrays
   * its expressions still hold. */
  ctx = new builder.Context();
  /** Ids of `fromArray` data the worker holds (sent once). */
  #sentData = new Set();

  /** Milliseconds the worker may stay silent while a call runs before it counts as wedged. */
  #ttl;
  /** When the worker was last heard from (or a call last posted), `performance.now()`. */
  #heard = 0;
  #watch = null;

  constructor(startWorker, { workerTtl = DEFAULT_WORKER_TTL } = {}) {
    this.#startWorker = startWorker;
    this.#ttl = workerTtl;
    this.#attach(startWorker());
  }

  /**
   * While calls are posted, checks every second that the worker was heard from within
   * the TTL: a compute reports progress at least once a second (a heartbeat, even while
   * one task runs for long on the pool), so a silent worker is stuck in its own thread —
   * a task that never returns in single mode, or a deadlock — and the kernel is restarted.
   */
  #supervise() {
    if (this.#watch || !Number.isFinite(this.#ttl)) return;
    this.#watch = setInterval(() => {
      const running = [...this.#pending.values()].filter((c) => c.posted && c.method !== 'init');
      if (!running.length) {
        clearInterval(this.#watch);
        this.#watch = null;
        return;
      }
      const silent = performance.now() - this.#heard;
      if (silent > this.#ttl) {
        const methods = [...new Set(running.map((c) => c.method))].join(', ');
        this.restart(
          `the compute worker sent nothing for ${(silent / 1000).toFixed(1)} s while running ${methods}: it is wedged ` +
            `(a task that never returns on the worker's own thread; Client.start({ workerTtl }) sets how long to wait)`,
        );
      }
    }, Math.min(1000, this.#ttl / 2));
    this.#watch.unref?.();
  }

  #attach(worker) {
    this.#worker = worker;
    worker.onmessage = (event) => {
      if (worker !== this.#worker) return;
      this.#heard = performance.now();
      const { id, result, error, fatal, progress, warnings } = event.data;
      const call = this.#pending.get(id);
      if (!call) return;
      if (warnings) {
        // What the compute's tasks reported (readCsv's skipped bad lines): the caller's
        // onWarning, else the console, as pandas' warnings go to stderr.
        for (const w of warnings) {
          try {
            if (call.onWarning) call.onWarning(w);
            else console.warn(`daskling: ${w}`);
          } catch (e) {
            console.error('daskling: onWarning threw', e);
          }
        }
        return;
      }
      if (progress) {
        if (call.aborted) return;
        try {
          call.onProgress?.(progress);
        } catch (e) {
          console.error('daskling: onProgress threw', e);
        }
        return;
      }
      this.#settle(id);
      if (fatal) {
        call.reject(new Error(`${error} (the kernel trapped while running this call and was restarted)`));
        this.restart(`the kernel trapped (${error})`);
      } else if (error !== undefined) call.reject(new Error(error));
      else call.resolve(result);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (worker !== this.#worker) return;
      this.restart(`the compute worker failed: ${event.message ?? 'unknown error'}`);
    };
  }

  /** Starts the kernel (`{mode, threads}`); resolves to what it runs. */
  init(args) {
    this.#init = args;
    // Pool workers report traps on ports that come through this channel (see startPool).
    const { port1, port2 } = new MessageChannel();
    const worker = this.#worker;
    port1.onmessage = ({ data }) => {
      if (!data?.poolPort) return;
      data.poolPort.onmessage = ({ data: m }) => {
        if (m?.poolError && worker === this.#worker) this.restart(`a pool worker trapped (${m.poolError})`);
      };
      data.poolPort.unref?.();
    };
    port1.unref?.();
    this.#cancel = null;
    const started = this.call('init', { ...args, supervisor: port2 }, undefined, [port2]).then((info) => {
      if (info?.memory && info.cancelFlags?.length) {
        this.#cancel = { memory: info.memory, flags: info.cancelFlags, free: info.cancelFlags.map((_, i) => i) };
      }
      return info;
    });
    this.#ready = started.then(
      () => undefined,
      () => undefined,
    );
    return started;
  }

  /**
   * Terminates the worker and starts a new kernel like the old; every pending call
   * rejects saying `reason` — with `keepWaiting`, only those the old kernel had (calls
   * not posted yet go to the new one).
   */
  restart(reason, { keepWaiting = false } = {}) {
    this.#worker.onmessage = this.#worker.onerror = null;
    this.#worker.terminate();
    this.restarts++;
    this.restartReasons = [...this.restartReasons.slice(-19), reason];
    // The calls fail (a user's restart ends them all, as dask's Client.restart); with
    // `keepWaiting`, calls not posted yet go to the new kernel instead.
    const error = new Error(`daskling: ${reason}; the kernel was restarted, so persisted arrays of the old one are gone`);
    this.#failAll(error, (c) => c.posted || !keepWaiting);
    this.#sent.clear();
    this.#sentData.clear();
    this.#heldReads.clear();
    this.#attach(this.#startWorker());
    if (this.#init) this.init(this.#init).catch((e) => console.error('daskling: the restarted kernel failed to start', e));
  }

  #settle(id) {
    const call = this.#pending.get(id);
    this.#pending.delete(id);
    call?.cleanup?.();
    this.#freeSlot(call);
    call?.stopped?.();
    if (!this.#pending.size) this.#worker.idle?.(true);
  }

  /** Resolves once the kernel is started and no aborted compute is still stopping
   * (waiting again if a restart replaced either meanwhile). */
  async #whenReady() {
    for (;;) {
      const [stopping, ready] = [this.#stopping, this.#ready];
      await stopping;
      await ready;
      if (stopping === this.#stopping && ready === this.#ready) return;
    }
  }

  /** Gives `call` a cancel flag, cleared, when the kernel has one free. */
  #takeSlot(call) {
    const c = this.#cancel;
    if (!c || !c.free.length) return;
    call.slot = c.free.pop();
    call.cancel = c;
    setFlag(call, 0);
  }

  #freeSlot(call) {
    // A slot of an older kernel's memory is not this one's to give.
    if (call?.slot !== undefined && call.cancel === this.#cancel) this.#cancel.free.push(call.slot);
    if (call) call.slot = undefined;
  }

  /**
   * Cancels running call `id` in place: sets its flag, and holds later calls until the
   * kernel answers it — or restarts the kernel if it has not within a second.
   */
  #cancelInPlace(id, call) {
    // The flag in shared memory is seen at once, even while the worker's thread is busy
    // (a read); the message where the memory is not shared, between the worker's slices.
    if (call.slot !== undefined && call.cancel === this.#cancel) setFlag(call, 1);
    this.#worker.postMessage({ id: 0, method: 'cancel', args: { id } });
    call.aborted = true;
    const stopped = new Promise((ok) => (call.stopped = ok));
    const timer = setTimeout(() => {
      if (this.#pending.get(id) === call) {
        this.restart('an aborted compute did not stop within a second (a task that never checks its cancel flag)', {
          keepWaiting: true,
        });
      }
    }, 1000);
    timer.unref?.();
    const before = this.#stopping;
    this.#stopping = Promise.all([before, stopped]).then(() => clearTimeout(timer));
  }

  /**
   * Posts `method(args)` to the worker once it is ready; resolves to its answer.
   * `listen`: `{onProgress, onWarning}`, called as the worker reports. `rebuild()` gives `{args, transfer}` anew when the kernel restarted before the call
   * was posted (what the new kernel holds differs).
   */
  call(method, args, listen = {}, transfer = [], signal, rebuild) {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const post = () => {
      const call = this.#pending.get(id);
      if (rebuild && call && call.restarts !== this.restarts) {
        try {
          ({ args, transfer } = rebuild());
        } catch (e) {
          this.#settle(id);
          call.reject(e);
          return;
        }
      }
      // Free the worker's copies of data and persisted arrays nothing here uses any more.
      const released = this.ctx.takeReleased();
      if (released.length) {
        for (const name of released) this.#sentData.delete(name);
        this.#worker.postMessage({ id: 0, method: 'release', args: { names: released } });
      }
      this.#worker.idle?.(false);
      if (call && signal && CANCELLABLE.has(method)) this.#takeSlot(call);
      const message = call?.slot === undefined ? args : { ...args, cancelSlot: call.slot };
      this.#worker.postMessage({ id, method, args: message }, transfer);
      if (call) call.posted = true;
      this.#heard = performance.now();
      this.#supervise();
    };
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const { onProgress, onWarning } = listen;
      const call = { resolve, reject, onProgress, onWarning, method, restarts: this.restarts };
      if (signal) {
        const onAbort = () => this.#abort(id, call, abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        call.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pending.set(id, call);
      // After a restart, calls wait for the new kernel to start ('init' goes at once).
      if (method === 'init') post();
      else {
        this.#whenReady().then(() => this.#pending.has(id) && post());
      }
    });
  }

  /**
   * Ends call `id` with `error` (an `AbortError`): one not posted yet is dropped, a
   * compute or persist is cancelled in place (the answer that follows is dropped);
   * another call cannot be interrupted inside the worker: the kernel is restarted.
   */
  #abort(id, call, error) {
    if (this.#pending.get(id) !== call || call.aborted) return;
    call.reject(error);
    if (!call.posted) {
      this.#settle(id);
      return;
    }
    if (CANCELLABLE.has(call.method)) {
      call.cleanup?.();
      this.#cancelInPlace(id, call);
      return;
    }
    this.#settle(id);
    this.restart('a compute was aborted');
  }

  /**
   * Aborts every compute and persist pending or running, as Jupyter's interrupt: each
   * rejects with an `AbortError` saying `reason` and stops in place; the kernel keeps
   * its data (a restart only for one that does not stop within a second).
   */
  interrupt(reason) {
    const error = new DOMException(`the compute was aborted (${reason})`, 'AbortError');
    for (const [id, call] of [...this.#pending]) {
      if (CANCELLABLE.has(call.method)) this.#abort(id, call, error);
    }
  }

  /** Dataframe sources by id ({blob}, {url} or {bytes}); `#sent` are in the worker. */
  sources = new Map();
  #sent = new Set();
  /** Names of the dataframe reads the worker's kernel decoded (later calls name them). */
  #heldReads = new Set();

  /**
   * A call carrying lazy values: their expression, with its array data transferred and
   * the sources it reads (those the worker does not have yet).
   */
  callWith(method, values, listen = {}, extra = {}, signal) {
    let reads;
    let restarts;
    // Encoded for the kernel as it is when posted: again after a restart.
    const build = () => {
      const { json, data, sources: refs, bytes, reads: r } = encode(values, this.#sentData, this.#heldReads);
      for (const [dataId] of data) this.#sentData.add(dataId);
      // Only sources new to the worker: its kernel keeps the ones it was given (until a
      // restart, which clears `#sent`), and registering 9,500 again cost every call ~40 ms.
      const fresh = refs.filter(([id]) => !this.#sent.has(id));
      const add = fresh.map(([id]) => {
        const src = this.sources.get(id);
        if (!src) throw new Error(`unknown source ${id}`);
        return [id, src];
      });
      for (const [id] of fresh) this.#sent.add(id);
      reads = r;
      restarts = this.restarts;
      const transfer = [...data.map(([, v]) => v.buffer), bytes.buffer];
      return { args: { json, data, refs: fresh, add, bytes, ...extra }, transfer };
    };
    const { args, transfer } = build();
    const done = this.call(method, args, listen, transfer, signal, build);
    // A call that was answered was decoded: that kernel holds its reads (a restart since
    // means a new kernel, which holds none).
    return done.then((result) => {
      if (this.restarts === restarts) for (const name of reads) this.#heldReads.add(name);
      return result;
    });
  }

  /** Rejects the pending calls (those `which` picks) with `error`. */
  #failAll(error, which = () => true) {
    const calls = [...this.#pending.entries()].filter(([, c]) => which(c));
    for (const [id] of calls) this.#pending.delete(id);
    for (const [, call] of calls) {
      call.cleanup?.();
      call.stopped?.();
      if (!call.aborted) call.reject(error);
    }
  }

  close() {
    this.#init = null;
    clearInterval(this.#watch);
    this.#watch = null;
    this.#worker.terminate();
    this.#failAll(new Error('the client is closed'));
  }
}

/**
 * The Python source of a dask script computing `values` (see `toDask` in docs/API.md):
 * `{address, sources}` with `sources` a prefix string or `{name: pathOrUrl}`.
 */
export function toDask(values, { address, sources } = {}) {
  if (sources !== undefined && typeof sources !== 'string' && (typeof sources !== 'object' || sources === null)) {
    throw new TypeError('toDask: sources is a prefix string or an object {name: pathOrUrl}');
  }
  const b = new builder.ExprBuilder();
  try {
    for (const v of values) {
      if (!(v instanceof Lazy)) throw new TypeError(`toDask: not a lazy daskling value: ${v}`);
      v._addTo(b);
    }
    return b.toDask(address, typeof sources === 'string' ? sources : undefined, typeof sources === 'object' ? sources : undefined);
  } finally {
    b.free();
  }
}

/**
 * One serialized expression for several lazy values (shared parts once), with the array
 * data the worker does not hold yet (`sent` it does); the reads in `held` by name only.
 */
function encode(values, sent, held) {
  const b = new builder.ExprBuilder();
  try {
    for (const v of values) {
      if (!(v instanceof Lazy)) throw new TypeError(`not a lazy daskling value: ${v}`);
      v._addTo(b);
    }
    return b.finish([...sent], [...held]);
  } finally {
    b.free();
  }
}
