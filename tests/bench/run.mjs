// `npm run bench`: one table, measured in one run — native (cargo bench) beside wasm in
// headless Chromium (threaded build on a 2-worker pool, and the single build).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PATH } from '../../crate/wasm/js/toolchain.mjs';
import { serve } from '../../www/serve.mjs';
import { launch } from '../browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, PATH };

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

console.log('building (release)…');
sh('node', ['crate/wasm/js/build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log('native: cargo bench…');
const native = JSON.parse(sh('cargo', ['bench', '-q', '--bench', 'scheduler', '--', '--json']).trim().split('\n').pop());
console.log('native: cargo bench (dataframe; writes ~430 MB under target/bench-data once)…');
const nativeDf = JSON.parse(sh('cargo', ['bench', '-q', '--bench', 'dataframe', '--', '--json']).trim().split('\n').pop());
console.log('native: cargo bench (arrays)…');
const nativeArrays = JSON.parse(sh('cargo', ['bench', '-q', '--bench', 'arrays', '--', '--json']).trim().split('\n').pop());

const chrome = await launch();
async function inBrowser(isolation, threads, fn) {
  const server = await serve({ port: 0, isolation, mounts: [['/bench/', join(root, 'tests', 'bench')]] });
  const page = await chrome.browser.newPage();
  try {
    await page.goto(`${server.url}bench/`);
    await page.waitForFunction(() => window.ready);
    const info = await page.evaluate((t) => window.startClient(t), threads);
    return await fn(page, info);
  } finally {
    await page.close();
    await server.close();
  }
}

const CASES = [
  ['wide', '100k tasks (wide map-reduce)', 5],
  ['tree', '1,000-wide tree reduction', 50],
];
async function wasmRuns(page) {
  const out = {};
  for (const [name, , reps] of CASES) {
    out[name] = await page.evaluate(([n, r]) => window.benchScheduler(n, 'threads', r), [name, reps]);
  }
  return out;
}
const DELAYED_CALLS = 10_000;
const delayed = (page) => page.evaluate((n) => window.benchDelayed(n, 5), DELAYED_CALLS);
const arrays = async (page) => ({
  delayed: await delayed(page),
  ...(await page.evaluate(() => window.benchArrays(5))),
  df: await page.evaluate(() => window.benchDataframe(9500, 2)),
});
function threadsMode(info) {
  if (info.mode !== 'threads') throw new Error(`expected threads mode, got ${info.mode}`);
}
console.log('wasm threads (2 workers)…');
const wasmThreads = await inBrowser(true, 2, async (page, info) => {
  threadsMode(info);
  return { ...(await wasmRuns(page)), arrays: await arrays(page) };
});
console.log('wasm threads (1 worker), arrays…');
const wasmThreads1 = await inBrowser(true, 1, async (page, info) => {
  threadsMode(info);
  return { arrays: await arrays(page) };
});
console.log('wasm single…');
const wasmSingle = await inBrowser(false, 1, async (page) => ({ ...(await wasmRuns(page)), arrays: await arrays(page) }));
console.log('wasm threads (2 workers), streaming memory over ~1 GB…');
const memory = await inBrowser(true, 2, (page) => page.evaluate(() => window.benchMemory(2000, 23)));
await chrome.close();

const rows = CASES.map(([name, label]) => {
  const n = native.find((r) => r.case === label);
  return {
    case: label,
    tasks: n.tasks,
    'native sync': n.native_sync,
    'native threads': n.native_threads,
    'wasm single': wasmSingle[name].usPerTask,
    'wasm threads': wasmThreads[name].usPerTask,
  };
});
const cols = ['native sync', 'native threads', 'wasm single', 'wasm threads'];
console.log(`\nScheduler overhead, µs per task (best of runs; ${native[0].threads} native threads, 2 wasm workers)\n`);
console.log(`| case | tasks | ${cols.join(' | ')} | wasm threads / native threads |`);
console.log(`|---|---:|${cols.map(() => '---:').join('|')}|---:|`);
for (const r of rows) {
  const ratio = r['wasm threads'] / r['native threads'];
  console.log(`| ${r.case} | ${r.tasks} | ${cols.map((c) => r[c].toFixed(3)).join(' | ')} | ${ratio.toFixed(2)}x |`);
}
console.log('\nFor reference (same machines): dask spends 43–55 µs per task; target ≤ 2 µs on wasm threads.');

// ---- delayed ----
console.log(`\nDelayed: ${DELAYED_CALLS.toLocaleString('en')} tiny calls (x => x + 1) built and computed at once; µs per call (best of 5)\n`);
console.log('| mode | total | building the calls | compute (ship, schedule, call, return) |');
console.log('|---|---:|---:|---:|');
for (const [label, d] of [
  ['wasm threads (2)', wasmThreads.arrays.delayed],
  ['wasm threads (1)', wasmThreads1.arrays.delayed],
  ['wasm single', wasmSingle.arrays.delayed],
]) {
  console.log(`| ${label} | ${d.usPerCall.toFixed(1)} | ${d.buildUs.toFixed(1)} | ${d.computeUs.toFixed(1)} |`);
}
const dd = wasmThreads.arrays.delayed.usPerCall / wasmSingle.arrays.delayed.usPerCall;
console.log(`\nwasm threads (2) / single: ${dd.toFixed(2)}x. For reference: dask.delayed ~600–700 µs per call here; target ≤ 20 µs.`);

// ---- arrays ----
const FLOP = 2 * 4000 ** 3;
const arrayCols = [
  ['native threads', (c) => nativeArrays.find((r) => r.case === c).seconds],
  ['wasm threads (2)', (c) => wasmThreads.arrays[c]],
  ['wasm threads (1)', (c) => wasmThreads1.arrays[c]],
  ['wasm single', (c) => wasmSingle.arrays[c]],
];
const DASK = { dot: 1.4, mean: 0.022, std: 0.047, 'transpose sum': 0.058 };
console.log(`\nArrays: x = random((4000, 4000), chunks=(1000, 1000)), persisted; best seconds (${nativeArrays[0].threads} native threads)\n`);
console.log(`| case | ${arrayCols.map(([n]) => n).join(' | ')} | wasm threads (2) / native | dask (2 threads) |`);
console.log(`|---|${arrayCols.map(() => '---:').join('|')}|---:|---:|`);
for (const c of ['random (persist)', 'dot', 'mean', 'std', 'transpose sum']) {
  const v = arrayCols.map(([, f]) => f(c));
  console.log(`| ${c} | ${v.map((x) => x.toFixed(4)).join(' | ')} | ${(v[1] / v[0]).toFixed(2)}x | ${DASK[c] ?? '–'} |`);
}
const gf = arrayCols.map(([n, f]) => [n, FLOP / f('dot') / 1e9]);
console.log(`\nx.dot(x.T).sum(): ${gf.map(([n, g]) => `${n} ${g.toFixed(1)} GFLOP/s`).join(' · ')}`);
console.log(`per wasm thread: ${(gf[1][1] / 2).toFixed(1)} GFLOP/s (2 threads), ${gf[2][1].toFixed(1)} (1 thread); target ≥ 8.`);

// ---- dataframes ----
const mb = (bytes, s) => bytes / 1e6 / s;
const dfCols = [
  ['native threads', nativeDf.daily_seconds, nativeDf.one_seconds, nativeDf.bytes],
  ['wasm threads (2)', wasmThreads.arrays.df.daily, wasmThreads.arrays.df.one, wasmThreads.arrays.df.bytes],
  ['wasm threads (1)', wasmThreads1.arrays.df.daily, wasmThreads1.arrays.df.one, wasmThreads1.arrays.df.bytes],
  ['wasm single', wasmSingle.arrays.df.daily, wasmSingle.arrays.df.one, wasmSingle.arrays.df.bytes],
];
console.log(`\nDataframes: the exercise (rows, max/min high, mean close, daily high max, daily spread together, then head) on ${(nativeDf.bytes / 1e6).toFixed(0)} MB of hp minute data; MB/s (best of runs)\n`);
console.log(`| layout | ${dfCols.map(([n]) => n).join(' | ')} | wasm threads (2) / native |`);
console.log(`|---|${dfCols.map(() => '---:').join('|')}|---:|`);
for (const [label, i] of [['(a) 9,500 daily files', 1], ['(b) one file', 2]]) {
  const v = dfCols.map((c) => mb(c[3], c[i]));
  console.log(`| ${label} | ${v.map((x) => x.toFixed(1)).join(' | ')} | ${(v[1] / v[0]).toFixed(2)} |`);
}
console.log('\nFor reference (same machines): (a) DuckDB 44, polars 37, pandas 23, dask 0.9, DuckDB-WASM 4.5 MB/s;');
console.log('(b) DuckDB 263, pandas 170, dask 107, DuckDB-WASM 66 MB/s. Targets (wasm, 2 threads): (a) ≥ 60, (b) ≥ 200.');
console.log(`\nStreaming memory: ${(memory.bytes / 1e9).toFixed(2)} GB in ${memory.npartitions} partitions (${memory.rows} rows) in ${memory.seconds.toFixed(1)} s; ` +
  `wasm memory ${(memory.before / 2 ** 20).toFixed(0)} MiB before, peak ${(memory.after / 2 ** 20).toFixed(0)} MiB (target < 300 MB).`);
