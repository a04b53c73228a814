// End to end: the workshop page served with and without cross-origin isolation starts
// the Client in the right mode, and its first cells compute their closed forms.
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
      await page.waitForFunction(() => document.body.dataset.ready || document.getElementById('status')?.dataset.error, null, {
        timeout: 60_000,
      });
    } catch (e) {
      throw new Error(`page did not start: ${e.message}\n${logs.join('\n')}`, { cause: e });
    }
    const out = await page.evaluate(async () => {
      const nb = window.notebook;
      const cell = (id) => nb.cells.find((c) => c.id === id);
      for (const id of ['eager-sum', 'lazy-1d', 'sum-1d', 'sum-axis0']) await nb.run(cell(id));
      const c = window.client;
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
      const axis0 = cell('sum-axis0').result;
      return {
        threads: c.threads,
        mode: c.mode,
        isolated: globalThis.crossOriginIsolated,
        status: document.getElementById('status').textContent,
        statuses: ['eager-sum', 'lazy-1d', 'sum-1d', 'sum-axis0'].map((id) => cell(id).status),
        eager: cell('eager-sum').result,
        lazyText: document.querySelector('#cell-lazy-1d .output').textContent,
        sum1d: cell('sum-1d').result,
        axis0: { shape: axis0.shape, data: Array.from(axis0.data) },
        progress: document.getElementById('progress').dataset.percent,
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

function check(out) {
  assert.deepEqual(out.statuses, ['ok', 'ok', 'ok', 'ok']);
  assert.equal(out.eager, 15);
  assert.match(out.lazyText, /daskling\.array<ones-\w+, shape=\(15\), dtype=float64, chunksize=\(5\), npartitions=3>/);
  assert.equal(out.sum1d, 15);
  assert.deepEqual(out.axis0, { shape: [15], data: new Array(15).fill(15) });
  assert.equal(out.progress, '100');
  assert.match(out.workerError, /chunks \[3\] along axis 0 do not add up to its length 4/);
  assert.equal(out.again, 15);
}

describe('workshop page', () => {
  test('with isolation headers: threads mode on >= 2 threads', async () => {
    const { out, logs } = await pageResult(true);
    assert.equal(out.isolated, true, logs.join('\n'));
    assert.equal(out.mode, 'threads', logs.join('\n'));
    assert.ok(out.threads >= 2, `threads = ${out.threads}`);
    assert.match(out.status, /mode: threads/);
    check(out);
  });

  test('without isolation headers: falls back to single mode', async () => {
    const { out } = await pageResult(false);
    assert.equal(out.isolated, false);
    assert.equal(out.mode, 'single');
    assert.equal(out.threads, 1);
    assert.match(out.status, /mode: single/);
    check(out);
  });
});
