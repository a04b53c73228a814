// Delayed JavaScript functions and futures in Chromium on a >= 2-thread pool: the seed's
// loop against a plain loop, calls spread over the function workers, the three kinds of
// user error each followed by a compute that works, and calls mixed with an array
// reduction and a dataframe aggregate (checked against values computed here).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { usingWorkshopPage } from './browser.mjs';

const session = usingWorkshopPage();

/** Runs `fn` in the page with the client as `c`. */
const inPage = (fn, arg) => session.inPage(fn, arg);

describe('delayed and futures in the browser', () => {
  test('the seed loop: 100 x 100 calls of f or g in one compute equal a plain loop', async () => {
    const A = Array.from({ length: 100 }, (_, i) => i * 3 - 50);
    const B = Array.from({ length: 100 }, (_, i) => 100 - i * 2);
    const out = await inPage(
      async (c, { A, B }) => {
        const f = c.delayed(function f(a, b) {
          return a * b + Math.sqrt(Math.abs(a - b));
        });
        const g = c.delayed(function g(a, b) {
          return { diff: a - b, text: `${a}:${b}` };
        });
        const keys = [];
        const values = [];
        for (const a of A) {
          for (const b of B) {
            keys.push([a, b]);
            values.push(a < b ? f(a, b) : g(a, b));
          }
        }
        const progress = [];
        const results = await c.compute(...values, { onProgress: (p) => progress.push(p) });
        const { nodes } = await values[0].graph();
        return { keys, results, last: progress.at(-1), label: nodes[0].label };
      },
      { A, B },
    );
    assert.equal(out.results.length, 10_000);
    out.keys.forEach(([a, b], i) => {
      const want = a < b ? a * b + Math.sqrt(Math.abs(a - b)) : { diff: a - b, text: `${a}:${b}` };
      assert.deepEqual(out.results[i], want, `results[${a}, ${b}]`);
    });
    assert.equal(out.last.done, 10_000);
    assert.equal(out.last.total, 10_000);
    assert.match(out.label, /^[fg]$/);
  });

  test('calls run on more than one function worker, none on the pool', async () => {
    const out = await inPage(async (c) => {
      const where = c.delayed(function where(i) {
        // Long enough (~5 ms) that both threads take calls.
        const until = performance.now() + 5;
        while (performance.now() < until);
        return { i, worker: self.name };
      });
      const rs = await c.compute(...Array.from({ length: 64 }, (_, i) => where(i)));
      return { threads: c.threads, mode: c.mode, rs };
    });
    assert.equal(out.mode, 'threads');
    assert.ok(out.threads >= 2);
    assert.deepEqual(
      out.rs.map((r) => r.i),
      Array.from({ length: 64 }, (_, i) => i),
    );
    const workers = new Set(out.rs.map((r) => r.worker));
    for (const w of workers) assert.match(w, /^daskling-fn-\d+$/);
    assert.ok(workers.size >= 2, `calls ran on ${[...workers].join(', ')}`);
  });

  test('a throwing function, a closure and a non-cloneable result each fail clearly; the next compute works', async () => {
    const out = await inPage(async (c) => {
      const errors = [];
      const tryIt = async (make) => {
        try {
          await make().compute();
          errors.push(null);
        } catch (e) {
          errors.push(e.message);
        }
      };
      await tryIt(() =>
        c.delayed(function parse(s) {
          if (s !== 'ok') throw new RangeError(`bad input ${s}`);
          return 1;
        })('nope'),
      );
      const scale = 3;
      await tryIt(() => c.delayed((x) => x * scale)(2));
      await tryIt(() => c.delayed(function makesNode() {
        return () => 1;
      })());
      let syncError = null;
      try {
        c.delayed((x) => x)(document.body);
      } catch (e) {
        syncError = e.message;
      }
      const inc = c.delayed((x) => x + 1);
      const after = await inc(inc(40)).compute();
      const sum = await c.array.ones([15, 15], { chunks: [5, 5] }).sum().compute();
      return { errors, syncError, after, sum };
    });
    assert.match(out.errors[0], /parse threw: bad input nope/);
    assert.match(out.errors[0], /RangeError/); // the stack is included
    assert.match(out.errors[1], /uses scale, which is not defined where it runs/);
    assert.match(out.errors[2], /the result of makesNode is not cloneable: a function/);
    assert.match(out.syncError, /argument 1 of lambda is not cloneable: a DOM node \(HTMLBodyElement\)/);
    assert.equal(out.after, 42);
    assert.equal(out.sum, 225);
  });

  test('delayed mixed with an array reduction and a dataframe aggregate', async () => {
    const out = await inPage(async (c) => {
      const { generateSample } = await import('/dist/index.js');
      const files = await generateSample({ days: 3 });
      const texts = files.map((f) => new TextDecoder().decode(f.data));
      const df = await c.dataframe.readCsv(
        files.map((f) => new File([f.data], f.name)),
        { parseDates: ['timestamp'] },
      );
      const x = c.array.arange(10, { chunks: 3 });
      const report = c.delayed(function report(total, maxHigh, col, rows) {
        return { total, maxHigh, n: col.values.length, rows, name: col.name };
      });
      const r = report(x.sum(), df.col('high').max(), df.col('close'), df.len());
      const twice = c.delayed((o) => o.total * 2)(r);
      const [value, doubled] = await c.compute(r, twice);
      const g = await twice.graph();
      return { value, doubled, texts, labels: g.nodes.map((n) => n.label) };
    });
    // Independently: arange(10) sums to 45; the files' rows parsed here.
    const rows = out.texts.flatMap((t) => t.trim().split('\n').slice(1));
    const high = Math.max(...rows.map((line) => Number(line.split(',')[2])));
    assert.deepEqual(out.value, { total: 45, maxHigh: high, n: rows.length, rows: rows.length, name: 'close' });
    assert.equal(out.doubled, 90);
    // Each call is its own task, sent to a function worker (calls are not fused with each
    // other or with kernel tasks: a function worker runs one function at a time).
    assert.ok(out.labels.includes('report') && out.labels.includes('lambda'), out.labels.join(', '));
  });

  test('a failed future fails alone: the batch is not re-run', async () => {
    const out = await inPage(async (c) => {
      // One impure call shared by two futures of the batch: computed once, both see the
      // same number; re-running the batch call by call would give each its own.
      const r = c.delayed(() => Math.random(), { name: 'rand' })();
      const a = c.submit((x) => x, r);
      const b = c.submit((x) => x, r);
      const bad = c.submit(function fails() {
        throw new Error('no');
      });
      const after = c.submit((x) => x + 1, c.delayed(function alsoFails() {
        throw new Error('nope');
      })());
      const msg = (f) => f.result().then(() => null, (e) => e.message);
      return { a: await a.result(), b: await b.result(), bad: await msg(bad), after: await msg(after) };
    });
    assert.equal(typeof out.a, 'number');
    assert.equal(out.a, out.b);
    assert.match(out.bad, /fails threw: no/);
    assert.match(out.after, /alsoFails threw: nope/);
  });

  test('submit, map, gather and cancel', async () => {
    const out = await inPage(async (c) => {
      const f = c.submit((a, b) => a * b, 6, 7);
      const squares = c.map((x) => x * x, [1, 2, 3, 4]);
      const pairs = c.map((a, b) => `${a}${b}`, ['a', 'b', 'c'], [1, 2]);
      const cancelled = c.submit((x) => x, 1);
      const didCancel = cancelled.cancel();
      const bad = c.submit(function fails() {
        throw new Error('no');
      });
      const good = c.submit((x) => x + 1, 1);
      const results = {
        product: await f.result(),
        done: f.done(),
        squares: await c.gather(squares),
        pairs: await c.gather(pairs),
        didCancel,
        cancelledState: cancelled.cancelled(),
        lateCancel: f.cancel(),
        good: await good.result(),
      };
      try {
        await bad.result();
      } catch (e) {
        results.bad = e.message;
      }
      try {
        await cancelled.result();
      } catch (e) {
        results.cancelledError = e.message;
      }
      return results;
    });
    assert.equal(out.product, 42);
    assert.equal(out.done, true);
    assert.deepEqual(out.squares, [1, 4, 9, 16]);
    assert.deepEqual(out.pairs, ['a1', 'b2']);
    assert.equal(out.didCancel, true);
    assert.equal(out.cancelledState, true);
    assert.equal(out.lateCancel, false);
    assert.equal(out.good, 2);
    assert.match(out.bad, /fails threw: no/);
    assert.match(out.cancelledError, /was cancelled/);
    assert.ok(!session.logs.some((l) => l.startsWith('pageerror')), session.logs.join('\n'));
  });
});
