// The static site (`npm run build:site` → site/) served by a plain static server with no
// special headers, in Chromium: the service worker makes the page cross-origin isolated
// after one reload, the threaded build runs, and Show all solutions + Run all finish every
// cell (the deliberate error excepted). Screenshot: tests/artifacts/site.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { serve } from '../www/serve.mjs';
import { launch, runWorkshop } from './browser.mjs';

const root = join(import.meta.dirname, '..');
const SITE = join(root, 'site');

let chrome;
let server;
let page;
const logs = [];
before(async () => {
  assert.ok(existsSync(join(SITE, 'index.html')), 'site/ is missing: npm run build:site');
  chrome = await launch();
  // Only site/, and no isolation headers: what GitHub Pages or `python3 -m http.server` give.
  server = await serve({ port: 0, isolation: false, mounts: [['/', SITE]] });
  page = await chrome.browser.newPage();
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
});
after(async () => {
  await page?.close();
  await server?.close();
  await chrome?.close();
});

describe('the static site', () => {
  test('is isolated by its service worker and runs every cell with threads', { timeout: 600_000 }, async () => {
    const responses = [];
    page.on('response', (r) => responses.push(r));
    await page.goto(server.url);
    // The first visit installs the worker and reloads once; then the client starts.
    await page.waitForFunction(() => globalThis.crossOriginIsolated && window.client?.mode, null, { timeout: 60_000 });
    const first = responses.find((r) => r.url() === server.url && r.request().isNavigationRequest());
    assert.equal(first?.headers()['cross-origin-embedder-policy'], undefined, 'the server itself sends no isolation headers');
    const state = await page.evaluate(() => ({
      mode: window.client.mode,
      threads: window.client.threads,
      via: globalThis.dasklingIsolation?.via,
      status: document.getElementById('status').textContent,
    }));
    assert.equal(state.mode, 'threads');
    assert.ok(state.threads >= 2, `threads: ${state.threads}`);
    assert.equal(state.via, 'service worker');
    assert.match(state.status, /mode: threads · crossOriginIsolated: true \(via service worker\)/);
    await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60_000 });
    await runWorkshop(page, { days: 5 }, logs);
    const cells = await page.evaluate(() =>
      window.notebook.cells.filter((c) => c.id).map((c) => ({ id: c.id, status: c.status, expectError: !!c.expectError, error: c.error })),
    );
    for (const c of cells) assert.equal(c.status, c.expectError ? 'error' : 'ok', `${c.id}: ${c.error ?? ''}`);
    assert.deepEqual(cells.filter((c) => c.expectError).map((c) => c.id), ['chunked-svd', 'error']);
    // The seed's cells, in the seed's order (ids of the page's counterparts).
    const ids = cells.map((c) => c.id);
    const seed = ['numpy-svd', 'chunked-random', 'chunked-svd', 'svd-compressed', 'pandas-hour', 'dask-hour', 'loop-eager', 'delayed-loop', 'futures',
      'sum-1d', 'graph-1d', 'sum-axis0', 'graph-axis0', 'transpose', 'graph-transpose', 'dot', 'graph-dot', 'compound', 'graph-compound', 'std', 'graph-std',
      'ex1-read-day', 'ex1-ge-plot', 'ex1-hp-plot', 'ex1-hp-max', 'ex1-hp-mean', 'ex1-files', 'ex1-nfiles', 'ex1-concat', 'ex1-concat-plot', 'read-csv',
      'ex-rows', 'ex-maxmin', 'ex-mean', 'ex-head', 'ex-round', 'ex-daily-high', 'ex-spread', 'ex-spread-plot', 'daily-high-expr', 'timed-mean-high'];
    const at = seed.map((id) => ids.indexOf(id));
    assert.ok(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1])), `seed cells in order: ${seed.filter((_, k) => at[k] < 0)}`);
    // Their outputs: closed forms for the arrays, the file layout for the data (5 days of
    // 391 minutes; the workshop test checks every value against hand loops over the files).
    const r = await page.evaluate(() => {
      const res = (id) => window.notebook.cells.find((c) => c.id === id).result;
      const all = (id) => [...new Set(Array.from(res(id).data))];
      return {
        sum1d: res('sum-1d'), axis0: all('sum-axis0'), transpose: all('transpose'), dot: all('dot'), compound: all('compound'), std: res('std'),
        loop: res('loop-eager'), futures: res('futures'), nfiles: res('ex1-nfiles'), rows: res('ex-rows'), concat: res('ex1-concat'),
        svTop: res('svd-compressed').data.length, hours: Array.from(res('pandas-hour').index),
      };
    });
    assert.deepEqual(r, {
      sum1d: 15, axis0: [15], transpose: [2], dot: [30], compound: [29], std: 0, loop: 10_000, futures: 100, nfiles: 5,
      rows: 5 * 391, concat: 5 * 391, svTop: 5, hours: [9, 10, 11, 12, 13, 14, 15, 16],
    });
    mkdirSync(join(root, 'tests', 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(root, 'tests', 'artifacts', 'site.png'), fullPage: true });
  });

  test('without service workers it runs single-threaded and says why', async () => {
    const context = await chrome.browser.newContext({ serviceWorkers: 'block' });
    try {
      const p = await context.newPage();
      await p.goto(server.url);
      await p.waitForFunction(() => window.client?.mode, null, { timeout: 60_000 });
      // No reload comes; the status line says why.
      await p.waitForFunction(() => /did not start/.test(document.getElementById('status').textContent), null, { timeout: 10_000 });
      const r = await p.evaluate(async () => ({
        mode: window.client.mode,
        status: document.getElementById('status').textContent,
        sum: await window.client.array.ones([15, 15], { chunks: [5, 5] }).sum().compute(),
      }));
      assert.equal(r.mode, 'single');
      assert.match(r.status, /mode: single · crossOriginIsolated: false · single-threaded: the isolation service worker did not start/);
      assert.equal(r.sum, 225);
    } finally {
      await context.close();
    }
  });
});
