// Delayed JavaScript functions and futures, as dask.delayed and concurrent.futures:
// a Delayed is a lazy call; a Future a call submitted at once.

import { Lazy } from './lazy.js';

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
export function sourceOf(fn, name) {
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
   * Cancels it (true): a pending future does not start; a running one rejects at once,
   * and when every future of the graph it runs in is cancelled that compute is cancelled
   * in place (a function still running is stopped: its function worker is terminated and
   * replaced; the kernel and its data stay). A finished future cannot be (false).
   */
  cancel() {
    if (this.#state === 'cancelled') return true;
    if (this.#state !== 'pending' && this.#state !== 'running') return false;
    this.#state = 'cancelled';
    this.#settle.reject(new Error(`${this.key} was cancelled`));
    const batch = this._batch;
    if (batch && batch.futures.every((f) => f.cancelled())) batch.controller.abort(new Error('every future of it was cancelled'));
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
