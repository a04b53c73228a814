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

import { transferables } from './bytes.js';

/** Lanes of the task stream: function worker `n` is lane `FUNCTION_LANES + n` (the
 * pool's threads are 0, 1, …; the compute worker's reads -1). */
export const FUNCTION_LANES = 1000;

/** The most calls one worker is sent at once: a batch travels as one message each way. */
const MAX_BATCH = 16;

/**
 * A pool of at most `size` function workers; `spawn(n, onAnswers, onFail)` starts worker
 * number `n` (a Worker or worker thread wrapped as `{post(message, transfer), terminate()}`),
 * calling `onAnswers(message)` with each of its answers and `onFail(message)` if it dies.
 *
 * Calls go to a free worker in batches (as many as the queue shares out among the free
 * workers, at most {@link MAX_BATCH}): one message there, one back with every answer. A
 * call whose dependencies hold typed arrays (blocks, columns) travels alone, its arrays
 * transferred; batched calls are copied (small), so that they can be sent again: dropping
 * a call of a running batch terminates that worker and queues the rest of the batch
 * again, and a worker that dies with a batch fails nobody at once — the batch is queued
 * again with each call on its own, so a call that kills a worker on its own is the one
 * answered with the failure.
 */
export class FunctionPool {
  #spawn;
  #size;
  /** Slots: `{worker, n, batch}` (`batch`: the queue entries it runs; empty when free). */
  #slots = [];
  /** Calls waiting for a worker: `{id, message, transfer, alone}` (`transfer`: its
   * dependencies' buffers, sent alone; `alone`: a batched call suspected of killing a
   * worker, sent alone, copied). */
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
    this.#queue.push({ id, message: { id, source, name, args, deps }, transfer: transferables(deps), alone: false });
    // Once the kernel's current turn has queued what it starts: batches fill up.
    if (this.#queue.length === 1) queueMicrotask(() => this.#dispatch());
    return id;
  }

  /** Forgets call `id`: dropped from the queue, or its worker terminated and replaced
   * (the rest of its batch queued again). */
  drop(id) {
    const q = this.#queue.findIndex((c) => c.id === id);
    if (q >= 0) {
      this.#queue.splice(q, 1);
      return;
    }
    const slot = this.#slots.find((s) => s.batch.some((c) => c.id === id));
    if (slot) {
      this.replaced++;
      this.#queue.unshift(...slot.batch.filter((c) => c.id !== id));
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
      let free = this.#slots.filter((s) => !s.batch.length);
      if (!free.length && this.#slots.length < this.#size) {
        const slot = { worker: null, n: 0, batch: [] };
        this.#slots.push(slot);
        this.#replace(slot);
        free = [slot];
      }
      if (!free.length) return;
      const q = this.#queue;
      const single = (c) => c.alone || c.transfer.length > 0;
      const idle = free.length + this.#size - this.#slots.length;
      const most = single(q[0]) ? 1 : Math.min(MAX_BATCH, Math.ceil(q.length / idle));
      let k = 1;
      while (k < most && k < q.length && !single(q[k])) k++;
      const slot = free[0];
      slot.batch = q.splice(0, k);
      slot.worker.post({ calls: slot.batch.map((c) => c.message) }, slot.batch[0].transfer);
    }
  }

  /** Gives `slot` a new worker (terminating its old one). */
  #replace(slot) {
    slot.worker?.terminate();
    slot.batch = [];
    const n = (slot.n = this.#spawned++);
    const lane = FUNCTION_LANES + n;
    // A terminated worker's late events are not the new one's.
    const answer = ({ answers }) => {
      if (slot.n !== n || !slot.batch.length) return;
      slot.batch = [];
      this.#dispatch();
      for (const a of answers) this.onAnswer?.(a.id, { bytes: a.bytes, error: a.error, lane });
    };
    const fail = (message) => {
      const batch = slot.batch;
      if (slot.n !== n || !batch.length) return;
      this.#replace(slot);
      if (batch.length === 1) {
        // On its own, it killed the worker: its answer is the failure.
        this.onAnswer?.(batch[0].id, { error: `the function worker running it failed: ${message}`, lane });
      } else {
        // Which one did is not known: each again on its own.
        this.#queue.unshift(...batch.map((c) => ({ ...c, alone: true })));
      }
      this.#dispatch();
    };
    slot.worker = this.#spawn(n, answer, fail);
  }
}

/** Answers the batches of calls a function worker is sent, in one message each;
 * `post(message, transfer)` replies. */
export function serveFunctions(callFunction, post) {
  return ({ calls }) => {
    const answers = [];
    const transfer = [];
    for (const { id, source, name, args, deps } of calls) {
      try {
        const bytes = callFunction(source, name, args, deps);
        answers.push({ id, bytes });
        transfer.push(bytes.buffer);
      } catch (e) {
        answers.push({ id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    post({ answers }, transfer);
  };
}
