// End to end: the workshop page served with and without cross-origin isolation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { serve } from '../www/serve.mjs';
import { launch, openPage } from './browser.mjs';

let chrome;
before(async () => {
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
});

async function pageResult(isolation) {
  const server = await serve({ port: 0, isolation });
  try {
    const { page, logs } = await openPage(chrome.browser, server.url);
    try {
      await page.waitForFunction(
        () => document.getElementById('result')?.dataset.total || document.getElementById('status')?.dataset.error,
        null,
        { timeout: 60_000 },
      );
    } catch (e) {
      throw new Error(`page did not finish: ${e.message}\n${logs.join("\n")}`, { cause: e });
    }
    const out = await page.evaluate(async () => {
      const c = window.client;
      const x = c.array.ones([15, 15], { chunks: [5, 5] });
      const progress = [];
      const total = await x.sum().compute({ onProgress: (p) => progress.push(p) });
      const cols = await x.sum({ axis: 0 }).compute();
      const g = await x.sum().graph();
      let error = null;
      try {
        await c.compute(c.array.ones([4], { chunks: [2] }).sum({ axis: 3 }));
      } catch (e) {
        error = e.message;
      }
      // An error raised inside the compute worker rejects that call only.
      let workerError = null;
      try {
        await c._rpc.call('compute', {
          json: '{"nodes":[{"kind":"array","type":"full","shape":[4],"chunks":[[3]],"value":1}],"outputs":[0]}',
          data: [],
          refs: [],
        });
      } catch (e) {
        workerError = e.message;
      }
      const again = await c.array.ones([15], { chunks: [5] }).sum().compute();
      return {
        threads: c.threads,
        mode: c.mode,
        isolated: globalThis.crossOriginIsolated,
        status: document.getElementById('status').textContent,
        pageTotal: Number(document.getElementById('result').dataset.total),
        total,
        cols: { shape: cols.shape, data: Array.from(cols.data) },
        lastProgress: progress.at(-1),
        nodes: g.nodes.length,
        edges: g.edges.length,
        error,
        workerError,
        again,
      };
    });
    await page.close();
    return { out, logs };
  } finally {
    await server.close();
  }
}

function checkSlice(out) {
  assert.equal(out.pageTotal, 225);
  assert.equal(out.total, 225);
  assert.deepEqual(out.cols.shape, [15]);
  assert.deepEqual(out.cols.data, new Array(15).fill(15));
  assert.equal(out.lastProgress.done, out.lastProgress.total);
  assert.ok(out.lastProgress.total > 0);
  // 9 fused ones+sum-chunk leaves, 3 combines (one fused), one aggregate.
  assert.equal(out.nodes, 13);
  assert.match(out.error, /axis 3 is out of bounds/);
  assert.match(out.workerError, /chunks \[3\] along axis 0 do not add up to its length 4/);
  assert.equal(out.again, 15);
}

describe('workshop page', () => {
  test('with isolation headers: threads mode on >= 2 threads computes 225', async () => {
    const { out, logs } = await pageResult(true);
    assert.equal(out.isolated, true, logs.join('\n'));
    assert.equal(out.mode, 'threads', logs.join('\n'));
    assert.ok(out.threads >= 2, `threads = ${out.threads}`);
    assert.match(out.status, /mode: threads/);
    checkSlice(out);
  });

  test('without isolation headers: falls back to single mode and computes 225', async () => {
    const { out } = await pageResult(false);
    assert.equal(out.isolated, false);
    assert.equal(out.mode, 'single');
    assert.equal(out.threads, 1);
    checkSlice(out);
  });
});
