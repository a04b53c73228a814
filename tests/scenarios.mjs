// What a user does with several computes at once, written once for the Chromium tests
// (which run a scenario in the page from its source text: `inPage(scenario, arg)`) and
// the Node tests (which call it with their client). Each takes a client and returns
// what it saw, for the test to check; so each is self-contained: no imports, no
// variables from outside. The checks that follow each run in Node.
import assert from 'node:assert/strict';

/**
 * A quick `ones([4]).sum()` issued 300 ms into a long product chain of `n`×`n` ones
 * (J·Jᵀ·J·Jᵀ summed: n⁵): both values, how long the quick one took, and when each
 * was answered (ms from the start).
 */
export async function quickDuringLong(c, n) {
  const o = c.array.ones([n, n], { chunks: [500, 500] });
  const t0 = performance.now();
  const timed = async (p) => [await p, performance.now() - t0];
  const long = timed(o.dot(o.T).dot(o).dot(o.T).sum().compute());
  await new Promise((ok) => setTimeout(ok, 300));
  const issued = performance.now() - t0;
  const [quick, quickAt] = await timed(c.array.ones([4]).sum().compute());
  const [value, longAt] = await long;
  return { quick, quickTook: quickAt - issued, quickAt, long: value, longAt, restarts: c.restarts };
}

/**
 * On a client with a 2 MB memory limit: a groupby of 100,000 distinct keys (its tables
 * go over the limit as it runs) beside a delayed call busy for 800 ms and a small sum;
 * each outcome (a value, or `rejected: message`), and a compute after them.
 */
export async function overMemoryBesideOthers(c) {
  const csv = 'k,v\n' + Array.from({ length: 100000 }, (_, i) => `${i},1`).join('\n');
  const df = await c.dataframe.readCsv([{ name: 'keys.csv', data: csv }], { blocksize: 100000 });
  const busy = c.delayed((ms) => {
    const t = Date.now();
    while (Date.now() - t < ms);
    return ms;
  });
  const settled = await Promise.allSettled([
    df.groupby('k').col('v').sum().compute(),
    busy(800).compute(),
    c.array.arange(0, 1000, 1, { chunks: 10 }).sum().compute(),
  ]);
  const [hog, ...others] = settled.map((s) => (s.status === 'fulfilled' ? s.value : `rejected: ${s.reason.message}`));
  return { hog, others, after: await c.array.ones([15], { chunks: [5] }).sum().compute(), restarts: c.restarts };
}

/**
 * An endless function submitted without a signal (it runs in a function worker), then a
 * quick sum; then the loop's future cancelled, and another call. What each gave, how
 * long the sum took, how many function workers were replaced, and the kernel restarts
 * (read 1.2 s after the cancel: an aborted compute that does not stop within a second
 * would have restarted it).
 */
export async function endlessFunctionBeside(c) {
  const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
  const restarts = c.restarts;
  const spin = c.submit(function spin() {
    for (;;);
  });
  await sleep(300);
  const t0 = performance.now();
  const quick = await c.array.ones([4]).sum().compute();
  const quickTook = performance.now() - t0;
  const cancelled = spin.cancel();
  const error = await spin.result().catch((e) => e.message);
  let replaced = 0;
  for (let i = 0; i < 40 && !replaced; i++) {
    ({ replaced } = await c._rpc.call('functionWorkers', {}));
    if (!replaced) await sleep(50);
  }
  const next = await c.submit((x) => x + 1, 41).result();
  await sleep(1200);
  return { quick, quickTook, cancelled, error, replaced, next, restarts: c.restarts - restarts };
}

/** What `endlessFunctionBeside(c)` must give: the sum at once, the loop's worker replaced, no restart. */
export function checkEndlessFunctionBeside(r) {
  assert.equal(r.quick, 4);
  assert.ok(r.quickTook < 2000, `the sum took ${r.quickTook} ms beside the loop`);
  assert.equal(r.cancelled, true);
  assert.match(r.error, /spin-.* was cancelled/);
  assert.equal(r.replaced, 1, 'the loop\'s function worker was terminated and replaced');
  assert.equal(r.next, 42);
  assert.equal(r.restarts, 0, 'the kernel never restarted');
}

/** What `quickDuringLong(c, n)` must give: both right, the quick one first, no restart. */
export function checkQuickDuringLong(r, n) {
  assert.equal(r.quick, 4);
  assert.equal(r.long, n ** 5);
  assert.ok(r.quickTook < 1000, `the quick sum took ${r.quickTook} ms`);
  assert.ok(r.quickAt < r.longAt, `quick at ${r.quickAt} ms, long at ${r.longAt} ms`);
  assert.equal(r.restarts, 0);
}

/** What `overMemoryBesideOthers(c)` must give: the groupby fails naming itself, the rest complete. */
export function checkOverMemoryBesideOthers(r) {
  assert.match(r.hog, /^rejected: out of memory budget: .*groupby.*over the memory limit of 2\.00 MB/);
  assert.deepEqual(r.others, [800, (999 * 1000) / 2]);
  assert.equal(r.after, 15);
  assert.equal(r.restarts, 0);
}
