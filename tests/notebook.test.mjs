// The workshop page keeps its work (issue "Data in and out of the tab"), in Chromium: two
// cells edited by typing and files kept ("keep these files") are still there after a
// reload; Reset brings a cell back to the workshop's text; the notebook downloads as an
// .ipynb that nbformat's validator (JupyterLab's) accepts, and opening it restores the
// edits; forgetting the kept files empties the storage line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

import { usingWorkshopPage } from './browser.mjs';
import { python } from './venv.mjs';

const session = usingWorkshopPage();

const ready = (page) => page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
const code = (page, id) => page.evaluate((id) => window.notebook.cells.find((c) => c.id === id).editor.state.doc.toString(), id);

/** Types `text` at the end of cell `id` (as a participant: click, End of document, type). */
async function typeInto(page, id, text) {
  await page.click(`#cell-${id} .cm-content`);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

test('edits and kept files survive a reload; reset, download and open the notebook; forget the files', { timeout: 300_000 }, async () => {
  const { page } = session;
  await page.fill('#days', '3');
  await page.fill('#tickers', 'hp');
  await page.click('#generate button[type=submit]');
  await page.waitForFunction(() => /files generated/.test(document.getElementById('generate-status').textContent));
  await page.check('#keep');
  await page.waitForFunction(() => Number(document.getElementById('storage-text').dataset.kept) === 3, null, { timeout: 60_000 });

  const before = { one: await code(page, 'lazy-1d'), two: await code(page, 'read-csv') };
  await typeInto(page, 'lazy-1d', '\n// first edit');
  await typeInto(page, 'read-csv', '\n// second edit');
  // Saved after a pause in typing.
  await page.waitForTimeout(600);

  await page.reload();
  await ready(page);
  assert.equal(await code(page, 'lazy-1d'), `${before.one}\n// first edit`);
  assert.equal(await code(page, 'read-csv'), `${before.two}\n// second edit`);
  assert.equal(await page.getAttribute('#cell-lazy-1d', 'data-edited'), 'true');
  assert.match(await page.textContent('#file-summary'), /^3 files/);
  assert.match(await page.textContent('#storage-text'), /3 files kept/);
  assert.ok(await page.isChecked('#keep'));
  // The kept files are read as picked ones: the read cell runs on them.
  await page.evaluate(() => window.notebook.run(window.notebook.cells.find((c) => c.id === 'read-csv')));
  assert.equal(await page.evaluate(() => window.notebook.cells.find((c) => c.id === 'read-csv').status), 'ok');

  // Download: a valid nbformat 4 notebook with both edits and the read cell's output.
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-notebook')]);
  assert.equal(file.suggestedFilename(), 'daskling-workshop.ipynb');
  const path = await file.path();
  const py = python('dask', join(import.meta.dirname, 'dask', 'requirements.txt'));
  const check = spawnSync(py, ['-c', `
import json, sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
code = [c for c in nb.cells if c.cell_type == 'code']
print(json.dumps({'lang': nb.metadata.kernelspec.language, 'cells': len(nb.cells),
  'edited': [c.source for c in code if 'edit' in c.source],
  'outputs': sum(len(c.outputs) for c in code)}))`, path], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  const nb = JSON.parse(check.stdout);
  assert.equal(nb.lang, 'javascript');
  assert.equal(nb.edited.length, 2);
  assert.ok(nb.outputs >= 1, 'the read cell\'s output');

  // Reset one cell; Reset all; then Open notebook brings the edits back.
  await page.click('#cell-lazy-1d button.reset');
  assert.equal(await code(page, 'lazy-1d'), before.one);
  await page.click('#reset-all');
  assert.equal(await code(page, 'read-csv'), before.two);
  await page.waitForTimeout(600);
  await page.reload();
  await ready(page);
  assert.equal(await code(page, 'read-csv'), before.two, 'a reset is saved too');
  await page.setInputFiles('#open-notebook', path);
  await page.waitForFunction(() => window.notebook.cells.find((c) => c.id === 'read-csv').editor.state.doc.toString().includes('second edit'));
  assert.equal(await code(page, 'lazy-1d'), `${before.one}\n// first edit`);

  // Forget the kept files: a reload loads none.
  await page.click('#forget');
  await page.waitForFunction(() => document.getElementById('storage-text').dataset.kept === '0');
  await page.reload();
  await ready(page);
  assert.match(await page.textContent('#file-summary'), /no files loaded yet/);
  assert.ok(!(await page.isChecked('#keep')));
});
