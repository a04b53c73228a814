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

  test('a 20,000-step array chain and series chain compute', async () => {
    const r = await inPage(async (c) => {
      let y = c.array.ones([10], { chunks: [5] });
      for (let i = 0; i < 20000; i++) y = y.add(1);
      const df = await c.dataframe.readCsv([{ name: 'a.csv', data: 'v\n1\n2\n' }]);
      let s = df.col('v');
      for (let i = 0; i < 20000; i++) s = s.add(1);
      return { array: await y.sum().compute(), series: await s.sum().compute() };
    });
    assert.equal(r.array, 10 * 20001);
    assert.equal(r.series, 3 + 2 * 20000);
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
