// The function workers' pool on its own (crate/wasm/js/functions.js, Node worker threads):
// calls run at most `size` workers at a time and their answers come back by id; typed
// arrays of the dependencies are transferred, not copied; small calls go in batches; a
// dropped call that is running has its worker terminated and replaced, while the other
// calls go on; a queued one is forgotten; a worker that dies answers the call that killed
// it with an error, and the rest of its batch with their values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

import { decodeValue, encodeArgs } from '../crate/wasm/js/clone.js';
import { FUNCTION_LANES, FunctionPool } from '../crate/wasm/js/functions.js';

const WORKER = new URL('../crate/wasm/js/node-function-worker.js', import.meta.url);

/** A pool of `size` Node function workers, the workers it started, and its answers. */
function pool(size) {
  const started = [];
  const answers = new Map();
  const p = new FunctionPool((n, onAnswer, onFail) => {
    const w = new Worker(WORKER, { name: `fn-${n}` });
    w.on('message', onAnswer);
    w.on('error', (e) => onFail(e.message));
    w.on('exit', (code) => code !== 0 && onFail(`it exited with code ${code}`));
    started.push(n);
    return { post: (m, t) => w.postMessage(m, t), terminate: () => w.terminate() };
  }, size);
  p.onAnswer = (id, a) => answers.set(id, a);
  // Takes call `id`'s answer, once it is in.
  p.result = (id) => {
    const a = answers.get(id);
    answers.delete(id);
    return a;
  };
  return { p, started };
}

/** Resolves to call `id`'s answer. */
async function answer(p, id, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const a = p.result(id);
    if (a) return a;
    if (Date.now() > until) throw new Error(`no answer to call ${id} in ${ms} ms`);
    await new Promise((ok) => setTimeout(ok, 5));
  }
}

const start = (p, fn, args, deps = []) => p.start(fn.toString(), fn.name || 'f', encodeArgs(args, fn.name || 'f'), deps);

test('calls answer by id, at most size at once; typed arrays of dependencies are transferred', async () => {
  const { p, started } = pool(2);
  try {
    function where(i, block) {
      const t = Date.now();
      while (Date.now() - t < 50);
      return { i, sum: block.data.reduce((a, b) => a + b, 0) };
    }
    const blocks = [0, 1, 2, 3].map((i) => ({ shape: [3], data: new Float64Array([i, i, i]) }));
    // Argument 2 is dependency i (clone.js tag 14): a placeholder in the encoded arguments.
    const ids = blocks.map((b, i) => p.start(where.toString(), 'where', encodeArgsWithDep(i), [b]));
    await Promise.resolve();
    // Transferred: the sender's copies of the two posted at once are detached.
    assert.deepEqual(
      blocks.map((b) => b.data.byteLength),
      [0, 0, 24, 24],
    );
    const answers = await Promise.all(ids.map((id) => answer(p, id)));
    answers.forEach((a, i) => {
      assert.deepEqual(decodeValue(a.bytes), { i, sum: 3 * i });
      assert.ok(a.lane >= FUNCTION_LANES && a.lane < FUNCTION_LANES + 2);
    });
    assert.deepEqual(started, [0, 1], 'two workers for four calls');
    assert.equal(p.result(ids[0]), undefined, 'an answer is taken once');
  } finally {
    p.close();
  }
});

/** Encoded arguments `(i, <dependency 0>)`, as the page encodes a lazy argument. */
function encodeArgsWithDep(i) {
  // An array of two: the number i, then tag 14 (a dependency) with index 0.
  const out = new Uint8Array(1 + 4 + 9 + 5);
  const v = new DataView(out.buffer);
  out[0] = 6;
  v.setUint32(1, 2, true);
  out[5] = 4;
  v.setFloat64(6, i, true);
  out[14] = 14;
  v.setUint32(15, 0, true);
  return out;
}

test('a dropped running call replaces its worker; the others go on; a queued one is forgotten', async () => {
  const { p, started } = pool(2);
  try {
    const spin = p.start('function spin() { for (;;); }', 'spin', encodeArgs([], 'spin'), []);
    const slow = start(p, function slow(ms) {
      const t = Date.now();
      while (Date.now() - t < ms);
      return ms;
    }, [300]);
    const queued = start(p, (x) => x, [1]);
    p.drop(queued);
    await new Promise((ok) => setTimeout(ok, 100));
    p.drop(spin);
    assert.equal(p.replaced, 1);
    assert.equal(decodeValue((await answer(p, slow)).bytes), 300);
    const after = start(p, (x) => x + 1, [41]);
    assert.equal(decodeValue((await answer(p, after)).bytes), 42);
    assert.equal(p.result(queued), undefined);
    assert.equal(p.result(spin), undefined);
    assert.deepEqual(started, [0, 1, 2], 'one new worker, for the terminated one');
  } finally {
    p.close();
  }
});

test('forty small calls go in batches to two workers, every answer right', async () => {
  const { p, started } = pool(2);
  try {
    const ids = Array.from({ length: 40 }, (_, i) => start(p, (x) => x * x, [i]));
    const got = await Promise.all(ids.map((id) => answer(p, id)));
    assert.deepEqual(
      got.map((a) => decodeValue(a.bytes)),
      Array.from({ length: 40 }, (_, i) => i * i),
    );
    assert.deepEqual(started, [0, 1]);
  } finally {
    p.close();
  }
});

test('a worker killed inside a batch: the killer gets the failure, the rest their values', async () => {
  const { p } = pool(1);
  try {
    const sq = (x) => x * x;
    const before = start(p, sq, [3]);
    const dies = start(p, function dies() {
      globalThis.process.exit(3);
    }, []);
    const after = start(p, sq, [4]);
    assert.equal(decodeValue((await answer(p, before)).bytes), 9);
    assert.match((await answer(p, dies)).error ?? '', /the function worker running it failed/);
    assert.equal(decodeValue((await answer(p, after)).bytes), 16);
  } finally {
    p.close();
  }
});

test('a throwing function answers its error; a worker that dies answers its call with an error', async () => {
  const { p } = pool(1);
  try {
    const bad = start(p, function bad() {
      throw new RangeError('no');
    }, []);
    assert.match((await answer(p, bad)).error, /bad threw: no/);
    // process.exit in a worker thread ends that thread.
    const dies = start(p, function dies() {
      globalThis.process.exit(3);
    }, []);
    const a = await answer(p, dies);
    assert.match(a.error ?? '', /the function worker running it failed/);
    const next = start(p, (x) => x * 2, [21]);
    assert.equal(decodeValue((await answer(p, next)).bytes), 42);
  } finally {
    p.close();
  }
});
