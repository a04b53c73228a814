// Never a dead client, in Node (the threaded build on worker threads): an infinite loop
// in a delayed function ended by a signal stops in place (its function worker replaced),
// and a wasm trap restarts the kernel; the next compute works either way. An aborted
// product stops in place, a quick compute is answered during a long one, an endless
// function holds one function worker, and a compute over the memory limit fails alone;
// the process still exits when nothing is pending.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

// The package built with its test hooks (trap, trapOnPool, panicInTask, wedge).
import { Client } from '../target/hooks/dist/node.js';
import * as scenarios from './scenarios.mjs';

let client;
before(async () => {
  client = await Client.start({ threads: 2 });
});
after(async () => {
  await client?.close();
});

test('an infinite loop ended by a signal; the next compute works', async () => {
  const spin = client.delayed(() => {
    for (;;);
  });
  const t0 = performance.now();
  const restarts = client.restarts;
  await assert.rejects(spin().compute({ signal: AbortSignal.timeout(300) }), (e) => e.name === 'AbortError');
  assert.ok(performance.now() - t0 < 1500);
  await new Promise((ok) => setTimeout(ok, 1200));
  assert.equal(client.restarts, restarts, 'stopped in place: no restart');
  assert.equal(await client.array.ones([15], { chunks: [5] }).sum().compute(), 15);
  assert.equal(await client.delayed((x) => x * 2)(21).compute(), 42);
});

test('aborting a long product cancels it in place: no restart, the persisted array stays', async () => {
  const spec = [[3000, 3000], { chunks: [500, 500], seed: 3 }];
  const x = await client.array.random.random(...spec).persist();
  const restarts = client._rpc.restarts;
  const t0 = performance.now();
  await assert.rejects(x.dot(x.T).dot(x).sum().compute({ signal: AbortSignal.timeout(300) }), (e) => e.name === 'AbortError');
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(await x.sum().compute(), await client.array.random.random(...spec).sum().compute());
  assert.equal(client._rpc.restarts, restarts, 'no kernel restart');
});

test('a quick sum issued while a long product runs is answered first, without a restart', async () => {
  // 3000×3000: seconds on two threads.
  scenarios.checkQuickDuringLong(await scenarios.quickDuringLong(client, 3000), 3000);
});

test('an endless function without a signal runs in a function worker: the next compute is answered; cancelling its future replaces that worker, no restart', async () => {
  const c = await Client.start({ threads: 2, functionWorkers: 1 });
  try {
    scenarios.checkEndlessFunctionBeside(await scenarios.endlessFunctionBeside(c));
  } finally {
    await c.close();
  }
});

test('a wasm trap restarts the kernel and the next compute works', async () => {
  await assert.rejects(client._rpc.call('trap', {}), /trapped.*restarted/);
  assert.equal(await client.array.arange(0, 10, 1, { chunks: [3] }).sum().compute(), 45);
  assert.equal(client.mode, 'threads');
});

test('a dataframe read before a restart is read again after it (its sources are sent again)', async () => {
  const rows = Array.from({ length: 50 }, (_, i) => `${i},${i % 7}`);
  const files = [0, 1, 2].map((k) => ({ name: `p${k}.csv`, data: `a,b\n${rows.slice(k * 20, k * 20 + 20).join('\n')}\n` }));
  const df = await client.dataframe.readCsv(files);
  // By hand: a = 0..49, b = a mod 7.
  const sumA = (49 * 50) / 2;
  const sumB = rows.reduce((s, _, i) => s + (i % 7), 0);
  assert.equal(await df.col('a').sum().compute(), sumA);
  assert.equal(await df.col('b').sum().compute(), sumB); // the sources are in the worker now
  await assert.rejects(client._rpc.call('trap', {}), /trapped.*restarted/);
  assert.equal(await df.col('a').sum().compute(), sumA);
  assert.equal(await df.len().compute(), 50);
});

test('a pool thread that traps restarts the kernel', async () => {
  const before = client._rpc.restarts;
  // The trap races with the call's reply: the call may resolve, or reject for the restart.
  await client._rpc.call('trapOnPool', {}).catch(() => null);
  for (let i = 0; i < 50 && client._rpc.restarts === before; i++) await new Promise((ok) => setTimeout(ok, 100));
  assert.ok(client._rpc.restarts > before, 'restarted');
  assert.equal(await client.array.ones([15], { chunks: [5] }).sum().compute(), 15);
});

test('memoryLimit: a compute over it rejects naming the result; the default is 3.5 GiB', async () => {
  const { DEFAULT_MEMORY_LIMIT } = await import('../dist/node.js');
  assert.equal(client.memoryLimit, DEFAULT_MEMORY_LIMIT);
  assert.equal(DEFAULT_MEMORY_LIMIT, 3.5 * 2 ** 30);
  const small = await Client.start({ threads: 2, memoryLimit: 32e6 });
  try {
    const x = small.array.ones([4000, 4000], { chunks: [1000, 1000] });
    await assert.rejects(x.compute(), /the computed result \(128 MB\).*memory limit of 32\.0 MB/);
    assert.equal(await x.sum().compute(), 16e6);
  } finally {
    await small.close();
  }
});

test('a compute over memoryLimit beside others running: it fails naming what, the others complete', async () => {
  const c = await Client.start({ threads: 2, memoryLimit: 2e6 });
  try {
    scenarios.checkOverMemoryBesideOthers(await scenarios.overMemoryBesideOthers(c));
  } finally {
    await c.close();
  }
});

test('a wedged compute worker is restarted after workerTtl; a long task is not wedged', async () => {
  const c = await Client.start({ threads: 2, workerTtl: 1500 });
  try {
    // A task that runs 3 s on the pool: the compute worker's heartbeat keeps it alive.
    const busy = c.delayed((ms) => {
      const t = Date.now();
      while (Date.now() - t < ms);
      return ms;
    });
    assert.equal(await busy(3000).compute(), 3000);
    assert.equal(c._rpc.restarts, 0);
    // A compute worker stuck in its own thread sends nothing: restarted.
    const t0 = performance.now();
    await assert.rejects(c._rpc.call('wedge', {}), /sent nothing for \d+\.\d s while running wedge: it is wedged.*restarted/);
    assert.ok(performance.now() - t0 < 4000);
    assert.equal(await c.array.ones([15], { chunks: [5] }).sum().compute(), 15);
  } finally {
    await c.close();
  }
});

test('a panicking task is that task’s error (the threaded build unwinds); no restart', async () => {
  const before = client._rpc.restarts;
  assert.match(await client._rpc.call('panicInTask', {}), /task boom failed: panicked: a test panic/);
  assert.equal(client._rpc.restarts, before);
  assert.equal(await client.array.ones([15], { chunks: [5] }).sum().compute(), 15);
});

test('the package built for users has no test hooks: calling one says so, the client keeps working', async () => {
  const { Client: Published } = await import('../dist/node.js');
  const c = await Published.start({ threads: 1 });
  try {
    for (const hook of ['trap', 'trapOnPool', 'panicInTask', 'wedge', 'benchScheduler']) {
      await assert.rejects(c._rpc.call(hook, {}), /is a test hook: this kernel was built without the test-hooks feature/);
    }
    assert.equal(c._rpc.restarts, 0);
    assert.equal(await c.array.ones([6], { chunks: [4] }).sum().compute(), 6);
  } finally {
    await c.close();
  }
});
