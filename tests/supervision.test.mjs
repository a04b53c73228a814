// Never a dead client (Chromium, threaded build on a 2-thread pool, and single mode): an
// abort during a long compute rejects at once and stops it in place (the kernel and its
// persisted arrays stay); so does an infinite loop in a delayed function ended by an
// AbortSignal (its function worker is replaced). A wasm trap, or a compute worker that
// goes silent, rejects with what happened, the kernel restarts, and the next compute
// works. Persisted arrays of the old kernel are a clear error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { HOOKS_DIST, usingWorkshopPage } from './browser.mjs';

for (const isolation of [true, false]) {
  describe(`supervision (${isolation ? 'threads' : 'single'})`, () => {
    // The kernel with its test hooks (trap, panicInTask, trapOnPool, wedge).
    const session = usingWorkshopPage({ isolation, mounts: [['/dist/', HOOKS_DIST]] });
    const inPage = (fn, arg) => session.inPage(fn, arg);

    test('an infinite loop ended by AbortSignal.timeout; the next compute works', async () => {
      const r = await inPage(async (c) => {
        const spin = c.delayed(() => {
          for (;;);
        });
        const restarts = c.restarts;
        const t0 = performance.now();
        let err;
        try {
          await spin().compute({ signal: AbortSignal.timeout(300) });
        } catch (e) {
          err = e;
        }
        const waited = performance.now() - t0;
        const next = await c.array.ones([15], { chunks: [5] }).sum().compute();
        const inc = c.delayed((x) => x + 1);
        const call = await inc(41).compute();
        // An aborted compute that did not stop would restart the kernel a second later.
        await new Promise((ok) => setTimeout(ok, 1200));
        return { name: err?.name, isDom: err instanceof DOMException, waited, next, call, mode: c.mode, restarts: c.restarts - restarts };
      });
      assert.equal(r.restarts, 0, 'stopped in place: no restart');
      assert.equal(r.name, 'AbortError');
      assert.ok(r.isDom);
      assert.ok(r.waited < 1300, `rejected after ${r.waited} ms`);
      assert.equal(r.next, 15);
      assert.equal(r.call, 42);
      assert.equal(r.mode, isolation ? 'threads' : 'single');
    });

    test('aborting a running compute rejects with AbortError within a second', async () => {
      const r = await inPage(async (c) => {
        const x = c.array.random.random([3000, 3000], { chunks: [500, 500], seed: 1 });
        const slow = x.dot(x.T).dot(x).sum();
        const ac = new AbortController();
        const t0 = performance.now();
        setTimeout(() => ac.abort(), 200);
        let err;
        try {
          await slow.compute({ signal: ac.signal });
        } catch (e) {
          err = e;
        }
        const waited = performance.now() - t0;
        const pre = new AbortController();
        pre.abort();
        const already = await c.array.ones([3]).sum().compute({ signal: pre.signal }).catch((e) => e.name);
        return { name: err?.name, waited, already, next: await c.array.ones([4], { chunks: [2] }).sum().compute() };
      });
      assert.equal(r.name, 'AbortError');
      assert.ok(r.waited < 1200, `rejected after ${r.waited} ms`);
      assert.equal(r.already, 'AbortError');
      assert.equal(r.next, 4);
    });

    test('aborting a long product cancels it in place: the kernel and the persisted array stay', async () => {
      const r = await inPage(async (c) => {
        const spec = [[3000, 3000], { chunks: [500, 500], seed: 3 }];
        const x = await c.array.random.random(...spec).persist();
        const restarts = c.restarts;
        const ac = new AbortController();
        setTimeout(() => ac.abort(), 300);
        const t0 = performance.now();
        const err = await x.dot(x.T).dot(x).sum().compute({ signal: ac.signal }).catch((e) => e);
        const waited = performance.now() - t0;
        // The persisted blocks, summed, against the same numbers drawn afresh.
        const sum = await x.sum().compute();
        const fresh = await c.array.random.random(...spec).sum().compute();
        return { name: err?.name, waited, sum, fresh, restarts: c.restarts - restarts };
      });
      assert.equal(r.name, 'AbortError');
      assert.ok(r.waited < 1000, `rejected after ${r.waited} ms`);
      assert.equal(r.restarts, 0, 'no kernel restart');
      assert.equal(r.sum, r.fresh);
    });

    test('cancelling a running future ends it; the next compute works', async () => {
      const r = await inPage(async (c) => {
        const restarts = c.restarts;
        const f = c.submit(() => {
          for (;;);
        });
        await new Promise((ok) => setTimeout(ok, 200));
        const t0 = performance.now();
        const did = f.cancel();
        const err = await f.result().catch((e) => e.message);
        const waited = performance.now() - t0;
        const next = await c.submit((x) => x + 1, 1).result();
        await new Promise((ok) => setTimeout(ok, 1200));
        return { did, err, waited, cancelled: f.cancelled(), next, restarts: c.restarts - restarts };
      });
      assert.equal(r.restarts, 0);
      assert.equal(r.did, true);
      assert.match(r.err, /was cancelled/);
      assert.ok(r.waited < 1000);
      assert.equal(r.cancelled, true);
      assert.equal(r.next, 2);
    });

    test('a pool worker that traps restarts the kernel (threaded build)', { skip: !isolation }, async () => {
      const r = await inPage(async (c) => {
        const before = c._rpc.restarts;
        // The trap races with the call's reply: the call may resolve, or reject for the restart.
        await c._rpc.call('trapOnPool', {}).catch(() => null);
        for (let i = 0; i < 50 && c._rpc.restarts === before; i++) await new Promise((ok) => setTimeout(ok, 100));
        const next = await c.array.ones([15], { chunks: [5] }).sum().compute().catch((e) => e.message);
        return { restarted: c._rpc.restarts > before, next, mode: c.mode, reasons: c._rpc.restartReasons.slice(-3) };
      });
      assert.equal(r.next, 15, JSON.stringify(r.reasons));
      assert.ok(r.restarted);
      assert.equal(r.next, 15);
      assert.equal(r.mode, 'threads');
    });

    test('a wedged compute worker is restarted after workerTtl; a long function is not', async () => {
      const r = await inPage(async () => {
        const { Client } = await import('/dist/index.js');
        const c = await Client.start({ threads: 2, workerTtl: 1500 });
        try {
          const busy = c.delayed((ms) => {
            const t = Date.now();
            while (Date.now() - t < ms);
            return ms;
          });
          const out = { mode: c.mode };
          // The function runs in a function worker: the compute worker heartbeats.
          out.busy = await busy(3000).compute();
          out.restartsBefore = c.restarts;
          const t0 = performance.now();
          out.wedge = await c._rpc.call('wedge', {}).catch((e) => e.message);
          out.waited = performance.now() - t0;
          out.next = await c.array.ones([15], { chunks: [5] }).sum().compute();
          return out;
        } finally {
          await c.close();
        }
      });
      assert.equal(r.mode, isolation ? 'threads' : 'single');
      assert.equal(r.busy, 3000);
      assert.equal(r.restartsBefore, 0);
      assert.match(r.wedge, /sent nothing for \d+\.\d s while running wedge: it is wedged.*restarted/);
      assert.ok(r.waited < 4000, `restarted after ${r.waited} ms`);
      assert.equal(r.next, 15);
    });

    test('a panicking task: its error in threads mode (panics unwind), a restart in single mode', async () => {
      const r = await inPage(async (c) => {
        const before = c._rpc.restarts;
        const msg = await c._rpc.call('panicInTask', {}).catch((e) => `rejected: ${e.message}`);
        return { msg, restarted: c._rpc.restarts - before, next: await c.array.ones([15], { chunks: [5] }).sum().compute() };
      });
      if (isolation) {
        assert.match(r.msg, /^task boom failed: panicked: a test panic/);
        assert.equal(r.restarted, 0);
      } else {
        assert.match(r.msg, /^rejected: .*trapped.*restarted/);
        assert.equal(r.restarted, 1);
      }
      assert.equal(r.next, 15);
    });

    test('a wasm trap restarts the kernel: pending calls say so, persisted arrays are gone, the next compute works', async () => {
      const r = await inPage(async (c) => {
        const p = await c.array.ones([6], { chunks: [3] }).persist();
        const before = await p.sum().compute();
        const trapped = await c._rpc.call('trap', {}).catch((e) => e.message);
        const next = await c.array.ones([15], { chunks: [5] }).sum().compute();
        const persisted = await p.sum().compute().catch((e) => e.message);
        const data = await c.array.fromArray([1, 2, 3]).sum().compute();
        return { before, trapped, next, persisted, data, restarts: c._rpc.restarts };
      });
      assert.equal(r.before, 6);
      assert.match(r.trapped, /trapped.*restarted/);
      assert.equal(r.next, 15);
      assert.match(r.persisted, /persisted array .* not available .*restarted/);
      assert.equal(r.data, 6);
      assert.ok(r.restarts >= 1);
    });
  });
}

describe('the workshop page', () => {
  const session = usingWorkshopPage();
  test('two computes at once each get a progress row; the bar shows both, then done', async () => {
    const r = await session.page.evaluate(async () => {
      const c = window.client;
      const o = c.array.ones([2000, 2000], { chunks: [500, 500] });
      const both = Promise.all([o.dot(o.T).sum().compute(), o.dot(o.T).dot(o).sum().compute()]);
      await new Promise((ok) => setTimeout(ok, 150));
      const root = document.getElementById('progress');
      const during = { rows: document.querySelectorAll('.computes li').length, computes: root.dataset.computes, label: root.querySelector('.label').textContent };
      const values = await both;
      return { values, during, after: { rows: document.querySelectorAll('.computes li').length, state: root.dataset.state, percent: root.dataset.percent } };
    });
    assert.deepEqual(r.values, [2000 ** 3, 2000 ** 4]);
    assert.equal(r.during.rows, 2, JSON.stringify(r.during));
    assert.equal(r.during.computes, '2');
    assert.match(r.during.label, /^2 computes · \d+ \/ \d+ tasks/);
    assert.deepEqual(r.after, { rows: 0, state: 'done', percent: '100' });
  });

  test('Stop (and Escape) end a running cell in place: a product, an endless function (its worker replaced); the next cell runs', async () => {
    const { page } = session;
    const r = await page.evaluate(async () => {
      const nb = window.notebook;
      const c = window.client;
      const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
      const x = await c.array.ones([2500, 2500], { chunks: [500, 500] }).persist();
      const before = c.restarts;
      const product = x.dot(x.T).dot(x).sum().compute().catch((e) => `${e.name}: ${e.message}`);
      await sleep(300);
      document.getElementById('stop').click();
      const stoppedProduct = await product;
      const kept = await x.sum().compute();
      const restartsAfterProduct = c.restarts - before;
      const loop = c.delayed(() => {
        for (;;);
      });
      const running = loop().compute().catch((e) => `${e.name}: ${e.message}`);
      await sleep(200);
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      const escaped = await running;
      // An aborted compute that did not stop would restart the kernel a second later.
      await sleep(1200);
      for (const id of ['lazy-1d', 'sum-1d']) await nb.run(nb.cells.find((x) => x.id === id));
      const cell = nb.cells.find((x) => x.id === 'sum-1d');
      return { stoppedProduct, kept, restartsAfterProduct, escaped, restarts: c.restarts - before, status: cell.status, result: cell.result };
    });
    assert.match(r.stoppedProduct, /^AbortError: .*stopped from the page/);
    assert.equal(r.kept, 2500 * 2500);
    assert.equal(r.restartsAfterProduct, 0);
    assert.match(r.escaped, /^AbortError: .*stopped from the page/);
    assert.equal(r.restarts, 0);
    assert.equal(r.status, 'ok');
    assert.equal(r.result, 15);
  });
});
