// Many computes at once on the one kernel (Chromium, threaded build on a 2-thread pool,
// and single mode): a quick compute issued while a long one runs is answered before it
// ends, twenty mixed computes each get their own (independently computed) answer, a
// compute over the memory limit fails alone, and an endless JavaScript function holds
// one function worker, not the client: cancelling its future replaces that worker alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { usingWorkshopPage } from './browser.mjs';
import * as scenarios from './scenarios.mjs';

for (const isolation of [true, false]) {
  describe(`concurrent computes (${isolation ? 'threads' : 'single'})`, () => {
    const session = usingWorkshopPage({ isolation });
    const inPage = (fn, arg) => session.inPage(fn, arg);
    // A product chain of n×n ones: seconds of work (a 2-thread pool, or one thread in
    // single mode) with a closed form, J·Jᵀ·J·Jᵀ summed = n⁵.
    const n = isolation ? 3000 : 2000;

    test('a quick sum issued while a long product runs is answered first, in well under a second', async () => {
      scenarios.checkQuickDuringLong(await inPage(scenarios.quickDuringLong, n), n);
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

    test('a compute over memoryLimit beside others running: it fails naming what, the others complete', async () => {
      const r = await session.page.evaluate(`(async () => {
        const { Client } = await import('/dist/index.js');
        const c = await Client.start({ threads: 2, memoryLimit: 2e6 });
        try {
          return await (${scenarios.overMemoryBesideOthers})(c);
        } finally {
          await c.close();
        }
      })()`);
      scenarios.checkOverMemoryBesideOthers(r);
    });

    test('an endless function without a signal runs in a function worker: the next compute is answered; cancelling its future replaces that worker, no restart', async () => {
      const r = await session.page.evaluate(`(async () => {
        const { Client } = await import('/dist/index.js');
        const c = await Client.start({ threads: 2, functionWorkers: 1 });
        try {
          return await (${scenarios.endlessFunctionBeside})(c);
        } finally {
          await c.close();
        }
      })()`);
      scenarios.checkEndlessFunctionBeside(r);
    });
  });
}
