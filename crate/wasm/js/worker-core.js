// The compute worker's logic, shared by the browser worker (worker.js) and the Node
// worker thread (node-worker.js): it hosts the wasm module (threaded or single) and its
// rayon pool. Messages in: {id, method, args}; out: {id, result} | {id, error} |
// {id, progress}. Computes and persists run together: each is started in the kernel,
// and one pump advances them all a slice at a time (src/runs.rs), returning to this
// worker's event loop in between, so that the next message — another compute, a
// cancel — is read while they run.
//
// Sources of dataframes, by id: {bytes} here, or what the platform reads ({blob}, {url}
// in the browser; {path} in Node). The kernel reads them on this thread (its scheduler
// runs reads here) through `dasklingReadParts` — the parts of one read task, joined —
// or, where the platform has reader workers, starts them in the background through
// `dasklingBeginRead` (see src/sources.rs for the protocol).
//
// User functions run in function workers (functions.js), started by the kernel while it
// pumps (`globalThis.dasklingFunctions`); when every compute waits for their answers the
// worker sleeps until one comes (or a message, or a heartbeat's time).
import { joinBytes, transferables } from './bytes.js';
import { FunctionPool } from './functions.js';

/**
 * Serves the compute protocol. `platform`:
 *   load(mode, threads, supervisor, relaxed)
 *                         resolves to {kernel, mode, threads, simd}; `relaxed`: load the
 *                         threaded build with relaxed SIMD where the engine has it
 *   read(src, start, end) bytes of a platform source
 *   readParts(parts)      optional: the bytes of [[src, start, end], …] joined, in one go
 *   beginRead(ids, starts, ends, ptr, len, cap, status)
 *                         optional: starts a background read (see src/sources.rs); false
 *                         when it cannot take these parts
 *   addSources(list)      optional: sees each batch of new sources ([id, src] pairs)
 *   warmUp                true where wasm is compiled in tiers (browsers): see src/warm.rs
 *   spawnFunction(n, onAnswer, onFail)
 *                         starts function worker `n` (function-worker.js): `{post(message,
 *                         transfer), terminate()}`; see FunctionPool
 *   post(message, transfer)
 * Returns the message handler.
 */
// The pool's workers, kept referenced for the life of the pool.
const poolWorkers = [];

// A module of one function, `f64x2.relaxed_madd` of three zero vectors: valid exactly
// where the engine has relaxed SIMD. (Header; type () -> v128; one function; its body.)
const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
export const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00,
  0x0a, 0x3d, 0x01, 0x3b, 0x00, ...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x87, 0x02, 0x0b,
]);

/** Whether this engine runs relaxed SIMD (the threaded build's relaxed module). */
export function hasRelaxedSimd() {
  try {
    return WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

/**
 * Initializes the threaded glue with its module: the relaxed SIMD one when `relaxed` and
 * the engine runs it, else (or if that fails to load) the plain one. `init({file, simd})`
 * loads one (`file` relative to this directory); resolves to the `simd` loaded.
 */
export async function initThreaded(relaxed, init) {
  const plain = { file: './threads/daskling_bg.wasm', simd: 'simd128' };
  if (relaxed && hasRelaxedSimd()) {
    try {
      await init({ file: './threads/daskling_relaxed_bg.wasm', simd: 'relaxed' });
      return 'relaxed';
    } catch (e) {
      console.warn(`daskling: the relaxed SIMD module failed to load (${e?.message ?? e}); using the plain one`);
    }
  }
  await init(plain);
  return plain.simd;
}

/**
 * rayon's global pool of `n` threads for the threaded kernel `k`: prepares the channel,
 * starts `n` pool workers with `spawn(i, module, memory, port)` (resolves once worker `i`
 * is ready), then builds the pool, which hands each worker a thread. Each pool worker
 * gets a port whose other end goes to the page through `supervisor`: a pool worker that
 * traps says so there directly (this worker may be blocked in a compute and could not).
 */
export async function startPool(k, n, spawn, supervisor) {
  k.preparePool(n);
  const module = k.poolModule();
  const memory = k.poolMemory();
  const start = (i) => {
    const ch = new MessageChannel();
    supervisor?.postMessage({ poolPort: ch.port1 }, [ch.port1]);
    return spawn(i + 1, module, memory, ch.port2);
  };
  poolWorkers.push(...(await Promise.all(Array.from({ length: n }, (_, i) => start(i)))));
  k.buildPool();
}

/** Resolves after the events queued now (messages) have been handled: a macrotask. */
const yieldToEvents =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : (() => {
        // setTimeout(0) is clamped to 4 ms once nested; a message is not.
        const channel = new MessageChannel();
        const waiting = [];
        channel.port1.onmessage = () => waiting.shift()?.();
        return () =>
          new Promise((resolve) => {
            waiting.push(resolve);
            channel.port2.postMessage(0);
          });
      })();

/** How long one pump of the running computes lasts before the worker reads its messages (ms). */
const PUMP_MS = 16;

/** The longest the worker sleeps while every compute waits for a function worker (ms):
 * then it pumps again, which notices a cancel flag and sends the heartbeat. */
const WAIT_MS = 50;

export function serveCompute(platform) {
  let kernel = null;
  // The kernel's state between calls: data, sources and persisted arrays.
  let ctx = null;
  const sources = new Map();

  const source = (id) => {
    const s = sources.get(id);
    if (!s) throw new Error(`source ${id} was not sent to the worker`);
    return s;
  };
  const readOne = (s, start, end) => (s.bytes ? s.bytes.subarray(start, end) : platform.read(s, start, end));
  globalThis.dasklingReadParts = (ids, starts, ends) => {
    const parts = ids.map((id, k) => [source(id), starts[k], ends[k]]);
    if (parts.length === 1) return readOne(...parts[0]);
    if (platform.readParts && !parts.some(([s]) => s.bytes)) return platform.readParts(parts);
    return joinBytes(parts.map((p) => readOne(...p)));
  };
  // Bytes held here are read here; the platform's readers read the rest.
  globalThis.dasklingBeginRead = (ids, starts, ends, ptr, len, cap, status) =>
    Boolean(platform.beginRead && !ids.some((id) => source(id).bytes) && platform.beginRead(ids, starts, ends, ptr, len, cap, status));

  function addSources(list) {
    for (const [id, src] of list ?? []) sources.set(id, src);
    platform.addSources?.(list ?? []);
  }

  // The computes started in the kernel, by id: how to answer each when it ends.
  const running = new Map();
  let pumping = false;
  // Inside ctx.pump: calls start in function workers only then (a synchronous `head`
  // runs its calls in place, as it cannot wait for messages).
  let inPump = false;
  let functions = null;
  globalThis.dasklingFunctions = {
    start: (...call) => (inPump && functions ? functions.start(...call) : undefined),
    drop: (id) => functions?.drop(id),
  };
  // Wakes a pump asleep while every compute waits for a function worker.
  let wake = () => {};
  const sleep = () =>
    new Promise((resolve) => {
      const timer = setTimeout(() => wake(), WAIT_MS);
      wake = () => {
        clearTimeout(timer);
        wake = () => {};
        resolve();
      };
    });

  /** Advances the running computes until none is left, between the worker's messages. */
  async function pump() {
    if (pumping) {
      wake();
      return;
    }
    pumping = true;
    try {
      while (running.size) {
        inPump = true;
        let ended;
        try {
          ended = ctx.pump(PUMP_MS);
        } finally {
          inPump = false;
        }
        for (const { id, result, error, warnings } of ended) {
          // Warnings go ahead of the answer, which ends the call on the client's side.
          if (warnings) platform.post({ id, warnings });
          const call = running.get(id);
          running.delete(id);
          if (error !== undefined) call?.reject(new Error(error));
          else call?.resolve(result);
        }
        if (running.size) await (ctx.waitingOutside() ? sleep() : yieldToEvents());
      }
    } catch (e) {
      // A trap ends the instance, and with it every compute it ran.
      for (const call of running.values()) call.reject(e);
      running.clear();
    } finally {
      pumping = false;
    }
  }

  /** Starts `message` as compute `id` and resolves to its result when it ends. */
  function run(id, message, { trace = false, settle = false, persist = false } = {}) {
    addSources(message.add);
    const onProgress = (progress) => platform.post({ id, progress });
    ctx.start(id, message, onProgress, trace, settle, persist);
    const done = new Promise((resolve, reject) => running.set(id, { resolve, reject }));
    pump();
    return done;
  }

  const handlers = {
    async init({ mode, threads, memoryLimit, supervisor, relaxedSimd = true, functionWorkers = 2 }) {
      const loaded = await platform.load(mode, threads, supervisor, relaxedSimd);
      kernel = loaded.kernel;
      if (platform.spawnFunction) {
        functions = new FunctionPool(platform.spawnFunction, functionWorkers);
        functions.onAnswer = (id, { bytes, error, lane }) => {
          kernel.functionAnswer(id, bytes, error, lane);
          wake();
        };
      }
      ctx = new kernel.Context();
      ctx.setMemoryLimit(memoryLimit ?? undefined);
      // Once the page has its answer: the JIT warm-up (src/warm.rs) where the pool can
      // keep every core busy and the platform compiles wasm in tiers.
      if (loaded.mode === 'threads' && platform.warmUp) {
        setTimeout(() => {
          try {
            kernel.warmUp();
          } catch (e) {
            console.warn(`daskling: warm-up failed: ${e?.message ?? e}`);
          }
        }, 0);
      }
      const info = { mode: loaded.mode, threads: loaded.threads, simd: loaded.simd };
      // Shared memory (the threaded build): the page cancels a running compute by
      // setting its flag there (Context.cancelFlags), without a restart.
      if (typeof kernel.poolMemory === 'function') {
        return { ...info, memory: kernel.poolMemory(), cancelFlags: Array.from(ctx.cancelFlags()) };
      }
      return info;
    },
    // `message`: {json, data, refs, bytes} of an expression, `add` its new sources.
    compute(message, id) {
      return run(id, message, { trace: message.trace ?? false, settle: message.settle ?? false });
    },
    head(message) {
      addSources(message.add);
      return ctx.head(message, message.n);
    },
    persist(message, id) {
      return run(id, message, { persist: true });
    },
    // Stops running compute `id` (it answers "the compute was cancelled"); the kernel
    // and its data stay. Where the memory is shared the page sets its flag instead.
    cancel({ id }) {
      ctx.cancel(id);
      wake();
      return null;
    },
    // How the function workers fare: workers replaced because a call was dropped
    // while it ran (an abort, a future's cancel).
    functionWorkers() {
      return { replaced: functions?.replaced ?? 0 };
    },
    release({ names }) {
      ctx.release(names);
      return null;
    },
    graph(message) {
      addSources(message.add);
      return ctx.graph(message);
    },
    toDot(message) {
      addSources(message.add);
      return ctx.toDot(message);
    },
    // For `npm run bench`: the peak size of the kernel's wasm memory.
    memoryBytes() {
      return kernel.memoryBytes();
    },
  };

  // Test and benchmark hooks: only where the kernel was built with the `test-hooks`
  // feature (build.mjs --hooks, for the tests and `npm run bench`), never in the package.
  const hooks = {
    // A compute worker that stops answering (the supervision tests).
    wedge() {
      for (;;);
    },
    // A wasm trap, as a Rust abort gives; a panic in a task; a trap on a pool thread.
    trap() {
      kernel.trap();
    },
    panicInTask() {
      return kernel.panicInTask();
    },
    trapOnPool() {
      kernel.trapOnPool();
      return null;
    },
    // Scheduler overhead measured inside this worker.
    benchScheduler({ name, scheduler, reps }) {
      const [tasks, usPerTask] = kernel.benchScheduler(name, scheduler, reps, () => performance.now());
      return { tasks, usPerTask };
    },
  };
  const hook = (method) => {
    if (!Object.hasOwn(hooks, method)) return null;
    if (typeof kernel?.trap !== 'function') {
      throw new Error(`${method} is a test hook: this kernel was built without the test-hooks feature (node crate/wasm/js/build.mjs --hooks)`);
    }
    return hooks[method];
  };

  return async ({ id, method, args }) => {
    try {
      if (method !== 'init' && !kernel) throw new Error('the client is not started');
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : hook(method);
      if (!handler) throw new Error(`unknown method ${method}`);
      const result = await handler(args, id);
      platform.post({ id, result }, transferables(result));
    } catch (e) {
      // A wasm trap (a Rust abort, out of bounds, out of memory) or a stack overflow
      // leaves the instance unusable: the client restarts the kernel.
      const fatal = e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
      platform.post({ id, error: e?.message ?? String(e), fatal });
    }
  };
}
