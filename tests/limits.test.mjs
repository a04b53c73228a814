// Rows of the reliability issue through the package in Chromium (wasm32, whose usize is
// 32 bits; a 2-thread pool): sizes never wrap, too-large graphs are clear errors, deep
// chains compute, big constants give float64, missing bools stay missing — and after
// each, the next compute works. Expected values are closed forms.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { usingWorkshopPage } from './browser.mjs';

const session = usingWorkshopPage();
const inPage = (fn, arg) => session.inPage(fn, arg);

describe('limits in the browser', () => {
  test('sizes are exact 64-bit counts, too many blocks a clear error', async () => {
    const r = await inPage(async (c) => {
      const err = (f) => {
        try {
          f();
          return null;
        } catch (e) {
          return e.message;
        }
      };
      const big = c.array.ones([100000, 100000], { chunks: [1000, 1000] });
      return {
        size: big.size,
        npartitions: big.npartitions,
        arange: err(() => c.array.arange(0, 1e18, 1, { chunks: [1e6] }).npartitions),
        blocks: err(() => c.array.ones([2 ** 31], { chunks: [1] })),
        next: await c.array.ones([15], { chunks: [5] }).sum().compute(),
      };
    });
    assert.equal(r.size, 1e10);
    assert.equal(r.npartitions, 1e4);
    assert.match(r.arange, /blocks.*100000000/);
    assert.match(r.blocks, /2147483648 blocks/);
    assert.equal(r.next, 15);
  });

  test('a 20,000-step array chain, series chain and delayed chain compute', async () => {
    const r = await inPage(async (c) => {
      let y = c.array.ones([10], { chunks: [5] });
      for (let i = 0; i < 20000; i++) y = y.add(1);
      const df = await c.dataframe.readCsv([{ name: 'a.csv', data: 'v\n1\n2\n' }]);
      let s = df.col('v');
      for (let i = 0; i < 20000; i++) s = s.add(1);
      const inc = c.delayed((v) => v + 1);
      let d = inc(0);
      for (let i = 1; i < 20000; i++) d = inc(d);
      return { array: await y.sum().compute(), series: await s.sum().compute(), delayed: await d.compute() };
    });
    assert.equal(r.array, 10 * 20001);
    assert.equal(r.series, 3 + 2 * 20000);
    assert.equal(r.delayed, 20000);
  });

  test('a large constant gives float64 group sums; missing bools stay missing', async () => {
    const r = await inPage(async (c) => {
      const df = await c.dataframe.readCsv([{ name: 'g.csv', data: 'k,v,b\na,1,true\nb,2,\na,3,false\n' }]);
      const w = df.col('v').add(1e20);
      const sums = await df.assign({ w }).groupby('k').col('w').sum().compute();
      const t = await df.compute();
      return { dtype: w.dtype, sums: Array.from(sums.values), b: Array.from(t.data.b), bDtype: t.dtypes.b };
    });
    assert.equal(r.dtype, 'float64');
    assert.deepEqual(r.sums, [1 + 1e20 + (3 + 1e20), 2 + 1e20]);
    assert.equal(r.bDtype, 'bool');
    assert.equal(r.b[0], 1);
    assert.ok(Number.isNaN(r.b[1]), `missing bool: ${r.b[1]}`);
    assert.equal(r.b[2], 0);
  });
});

describe('the memory limit', () => {
  test('computes over memoryLimit reject naming what is too large; the client keeps working', async () => {
    const r = await inPage(async () => {
      const { Client } = await import('/dist/index.js');
      const msg = (p) => p.then(() => null, (e) => e.message);
      const bad = await msg(Client.start({ memoryLimit: -1 }));
      const c = await Client.start({ threads: 2, memoryLimit: 64e6 });
      try {
        const x = c.array.ones([4000, 4000], { chunks: [1000, 1000] }); // 128 MB, blocks 8 MB
        const csv = 'k,v\n' + Array.from({ length: 100000 }, (_, i) => `${i},1`).join('\n');
        const df = await c.dataframe.readCsv([{ name: 'keys.csv', data: csv }], { blocksize: 100000 });
        const out = {
          limit: c.memoryLimit,
          result: await msg(x.compute()),
          block: await msg(c.array.ones([4000, 4000], { chunks: [4000, 4000] }).sum().compute()),
          sum: await x.sum().compute(),
        };
        const p = await c.array.ones([2500, 2500], { chunks: [500, 500] }).persist(); // 50 MB held
        Object.assign(out, {
          persisted: await msg(c.array.ones([2000, 2000], { chunks: [500, 500] }).persist()), // 32 MB more
          withPersisted: await p.sum().compute(),
        });
        const small = await Client.start({ threads: 2, memoryLimit: 2e6 });
        try {
          out.groupby = await msg(df.groupby('k').col('v').sum().compute().then(() => null));
          out.groupbyElsewhere = await msg(small.dataframe.readCsv([{ name: 'keys.csv', data: csv }], { blocksize: 100000 }).then((d) => d.groupby('k').col('v').sum().compute()));
          out.afterGroupby = await small.array.ones([15], { chunks: [5] }).sum().compute();
        } finally {
          await small.close();
        }
        return { bad, ...out };
      } finally {
        await c.close();
      }
    });
    assert.match(r.bad, /memoryLimit must be a positive number/);
    assert.equal(r.limit, 64e6);
    assert.match(r.result, /the computed result \(128 MB\).*memory limit of 64\.0 MB/);
    assert.match(r.block, /one block \(128 MB\)/);
    assert.equal(r.sum, 16e6);
    assert.match(r.persisted, /the computed result \(32\.0 MB\) would bring the memory held to 82\.0 MB \(50\.0 MB of it persisted arrays and data\), over the memory limit of 64\.0 MB/);
    assert.equal(r.withPersisted, 2500 * 2500);
    assert.equal(r.groupby, null);
    // The groupby table is named: as the result that went over, or as the largest so far.
    assert.match(r.groupbyElsewhere, /\('groupby-.*over the memory limit of 2\.00 MB/);
    assert.equal(r.afterGroupby, 15);
  });
});

describe('compute arguments', () => {
  test('a trailing value that is not lazy is an error naming it, not options', async () => {
    const r = await inPage(async (c) => {
      const x = c.array.ones([4], { chunks: [2] }).sum();
      const msg = (p) => p.then(() => null, (e) => `${e.name}: ${e.message}`);
      return {
        number: await msg(c.compute(x, 5)),
        nul: await msg(c.compute(x, null)),
        options: await c.compute(x, { onProgress: () => {} }),
      };
    });
    assert.match(r.number, /TypeError: compute: argument 2 is not a lazy daskling value: 5/);
    assert.match(r.nul, /argument 2/);
    assert.deepEqual(r.options, [4]);
  });
});
