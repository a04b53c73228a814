// Many computes at once on the one kernel (Chromium, threaded build on a 2-thread pool,
// and single mode): a quick compute issued while a long one runs is answered before it
// ends, twenty mixed computes each get their own (independently computed) answer, and
// an endless JavaScript function holds one pool thread, not the client.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { usingWorkshopPage } from './browser.mjs';

for (const isolation of [true, false]) {
  describe(`concurrent computes (${isolation ? 'threads' : 'single'})`, () => {
    const session = usingWorkshopPage({ isolation });
    const inPage = (fn, arg) => session.inPage(fn, arg);
    // A product chain of n×n ones: seconds of work (a 2-thread pool, or one thread in
    // single mode) with a closed form, J·Jᵀ·J·Jᵀ summed = n⁵.
    const n = isolation ? 3000 : 2000;

    test('a quick sum issued while a long product runs is answered first, in well under a second', async () => {
      const r = await inPage(
        async (c, { n }) => {
          const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
          const o = c.array.ones([n, n], { chunks: [500, 500] });
          const t0 = performance.now();
          let longAt;
          const long = o
            .dot(o.T)
            .dot(o)
            .dot(o.T)
            .sum()
            .compute()
            .then((v) => ((longAt = performance.now() - t0), v));
          await sleep(300);
          const tq = performance.now();
          const quick = await c.array.ones([4]).sum().compute();
          const quickTook = performance.now() - tq;
          const quickAt = performance.now() - t0;
          return { quick, quickTook, quickAt, long: await long, longAt, restarts: c.restarts };
        },
        { n },
      );
      assert.equal(r.quick, 4);
      assert.equal(r.long, n ** 5);
      assert.ok(r.quickTook < 1000, `the quick sum took ${r.quickTook} ms`);
      assert.ok(r.quickAt < r.longAt, `quick at ${r.quickAt} ms, long at ${r.longAt} ms`);
      assert.equal(r.restarts, 0);
    });

    test('twenty concurrent computes of mixed size each get their own answer; the quick ones before the long one', async () => {
      const r = await inPage(
        async (c, { n }) => {
          const { generateSample } = await import('/dist/index.js');
          const files = (await generateSample({ tickers: ['hp'], days: 20, seed: 5 })).map((f) => new File([f.data], f.name));
          // The reference: the files' rows read by a plain loop.
          let rows = 0;
          let high = -Infinity;
          for (const f of files) {
            const [header, ...lines] = (await f.text()).trim().split('\n');
            const col = header.split(',').indexOf('high');
            for (const line of lines) {
              rows++;
              high = Math.max(high, Number(line.split(',')[col]));
            }
          }
          const df = await c.dataframe.readCsv(files, { parseDates: ['timestamp'], blocksize: 0 });
          const o = c.array.ones([n, n], { chunks: [500, 500] });
          const t0 = performance.now();
          const at = (p) => p.then((v) => ({ v, at: performance.now() - t0 }));
          const long = at(o.dot(o.T).dot(o).dot(o.T).sum().compute());
          const inc = c.delayed((x) => x + 1);
          const quick = [];
          for (let k = 0; k < 19; k++) {
            const m = 10 + k * 7;
            const pick = k % 4;
            if (pick === 0) quick.push([at(c.array.ones([m], { chunks: [5] }).sum().compute()), m]);
            if (pick === 1) quick.push([at(c.array.arange(0, m, 1, { chunks: 4 }).sum().compute()), (m * (m - 1)) / 2]);
            if (pick === 2) quick.push([at(inc(m).compute()), m + 1]);
            if (pick === 3) quick.push([at(c.compute(df.len(), df.col('high').max())), [rows, high]]);
          }
          const out = await Promise.all(quick.map(async ([p, want]) => ({ ...(await p), want })));
          return { long: await long, quick: out };
        },
        { n },
      );
      assert.equal(r.long.v, n ** 5);
      assert.equal(r.quick.length, 19);
      for (const q of r.quick) {
        assert.deepEqual(q.v, q.want);
        assert.ok(q.at < r.long.at, `a quick compute answered at ${q.at} ms, the long one at ${r.long.at} ms`);
      }
    });

    test('an endless delayed function without a signal holds one pool thread: the next compute is answered (threaded build)', { skip: !isolation }, async () => {
      const r = await inPage(async () => {
        const { Client } = await import('/dist/index.js');
        const c = await Client.start({ threads: 2 });
        try {
          const spin = c.delayed(() => {
            for (;;);
          });
          const stuck = spin().compute().catch((e) => e.message);
          await new Promise((ok) => setTimeout(ok, 300));
          const t0 = performance.now();
          const next = await c.array.ones([4]).sum().compute();
          const took = performance.now() - t0;
          const restarts = c.restarts;
          // The loop ends only with its kernel (function workers are a later step).
          c.restart('the test is over');
          return { next, took, restarts, stuck: await stuck };
        } finally {
          await c.close();
        }
      });
      assert.equal(r.next, 4);
      assert.ok(r.took < 2000, `answered after ${r.took} ms`);
      assert.equal(r.restarts, 0);
      assert.match(r.stuck, /the test is over/);
    });
  });
}
