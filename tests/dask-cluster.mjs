// What the toDask end-to-end tests share (tests/dask*.test.mjs): a real dask.distributed
// cluster (a scheduler and two worker processes on 127.0.0.1, from a venv made from PyPI
// with tests/dask/requirements.txt), the workshop page serving a data folder at /data/,
// a Node client, running an exported script on the cluster, and comparing answers.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

import { Client } from '../dist/node.js';
import { usingWorkshopPage } from './browser.mjs';
import { python } from './venv.mjs';

export const root = join(import.meta.dirname, '..');

function waitFor(check, what, ms = 60_000) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const v = check();
      if (v) resolve(v);
      else if (Date.now() - t0 > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 200);
    };
    poll();
  });
}

/**
 * A cluster, a page and a client for the test file. `DATA` (a fresh folder served at
 * /data/) is made at once, so the file can write its data before its tests; the venv's
 * `py`, the scheduler's `address` and the Node `client` are set by the before hook.
 */
export function usingCluster() {
  const work = mkdtempSync(join(tmpdir(), 'daskling-dask-'));
  const ctx = { work, DATA: join(work, 'data'), py: null, address: null, client: null, session: null };
  mkdirSync(ctx.DATA);
  // /plain/: the same files from a server without range requests.
  ctx.session = usingWorkshopPage({ mounts: [['/data/', ctx.DATA], ['/plain/', ctx.DATA]], plain: '/plain/' });
  const cluster = [];
  before(async () => {
    ctx.py = python('dask', join(import.meta.dirname, 'dask', 'requirements.txt'));
    const bin = join(ctx.py, '..');
    const file = join(work, 'scheduler.json');
    const opts = { stdio: 'ignore', env: { ...process.env, DASK_DISTRIBUTED__WORKER__DAEMON: 'False' } };
    cluster.push(spawn(join(bin, 'dask'), ['scheduler', '--host', '127.0.0.1', '--port', '0', '--no-dashboard', '--scheduler-file', file], opts));
    await waitFor(() => existsSync(file), 'the scheduler');
    ctx.address = JSON.parse(readFileSync(file, 'utf8')).address;
    cluster.push(spawn(join(bin, 'dask'), ['worker', ctx.address, '--nworkers', '2', '--nthreads', '1', '--no-dashboard', '--host', '127.0.0.1'], opts));
    ctx.client = await Client.start({ threads: 2 });
  });
  after(async () => {
    await ctx.client?.close();
    for (const p of cluster) p.kill('SIGTERM');
    // A worker process whose V8 (mini-racer) keeps a thread alive may not stop on SIGTERM.
    await new Promise((ok) => setTimeout(ok, 2000));
    for (const p of cluster) if (p.exitCode === null) p.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });
  return ctx;
}

/** Runs the exported script on the cluster; its `result`, as JSON. */
export function onCluster(ctx, script, name) {
  const path = join(ctx.work, `${name}.py`);
  writeFileSync(path, script);
  const r = spawnSync(ctx.py, [join(root, 'tests', 'dask', 'run_export.py'), path], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, `${name}.py failed:\n${r.stderr}\n--- script:\n${script}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Equal numbers within 1e-9 relative (missing equal missing), other values equal. */
export function close(got, want, what) {
  if (want === null || Number.isNaN(want)) return assert.ok(got === null || Number.isNaN(got), `${what}: ${got}`);
  if (typeof want !== 'number') return assert.equal(got, want, what);
  assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
}

/** daskling's result (typed arrays, Columns) equal to the cluster's JSON. */
export function same(mine, theirs, what) {
  if (typeof mine === 'number') return close(theirs, mine, what);
  if (mine.shape) {
    assert.deepEqual(theirs.shape, mine.shape, `${what}: shape`);
    return mine.data.forEach((v, i) => close(theirs.data[i], v, `${what}[${i}]`));
  }
  if (mine.values) {
    assert.deepEqual(theirs.index, mine.index, `${what}: index`);
    return mine.values.forEach((v, i) => close(theirs.values[i], v, `${what}[${i}]`));
  }
  throw new Error(`${what}: cannot compare ${JSON.stringify(mine).slice(0, 80)}`);
}
