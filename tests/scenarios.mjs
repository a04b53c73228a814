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
