// `npm run bench`: one run, every figure measured in it — native (cargo bench) beside wasm in
// headless Chromium (threaded build on 2 and 1 workers, and the single build) on files
// picked through an `<input type=file>` from disk, as a participant picks them; the peers in
// the same run: DuckDB-WASM in the same Chromium on the same picked files, and — when
// python3 is here — native DuckDB, polars, pandas, dask and numpy from a venv made from PyPI.
//   DASKLING_BENCH_PEERS=0  skips the Python peers; DASKLING_BENCH_BIG=0 the 5 GB stream;
//   DASKLING_BENCH_ONLY=ops runs only the everyday dataframe operations (and their peers);
//   DASKLING_BENCH_ONLY=parquet only the Parquet read (and its peers);
//   DASKLING_BENCH_ONLY=linalg only the linear algebra (and numpy's and dask's).
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';

import { PATH } from '../../crate/wasm/js/toolchain.mjs';
import { serve } from '../../www/serve.mjs';
import { HOOKS_DIST, launch } from '../browser.mjs';
import { python } from '../venv.mjs';
import { linalgTable, opsTable, parquetTable, report } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const env = { ...process.env, PATH };

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}
const lastJson = (out) => JSON.parse(out.trim().split('\n').pop());
const cargoBench = (name) => lastJson(sh('cargo', ['bench', '-q', '--bench', name, '--', '--json']));

const onlyOps = process.env.DASKLING_BENCH_ONLY === 'ops';
const onlyParquet = process.env.DASKLING_BENCH_ONLY === 'parquet';
const onlyLinalg = process.env.DASKLING_BENCH_ONLY === 'linalg';
const only = onlyOps || onlyParquet || onlyLinalg;
console.log('building (release)…');
sh('node', ['crate/wasm/js/build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
// The scheduler benchmark runs inside the kernel: the build with its hooks.
if (!only) sh('node', ['crate/wasm/js/build.mjs', '--hooks'], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`native: cargo bench (scheduler)${only ? ' skipped' : '…'}`);
const native = only ? null : cargoBench('scheduler');
console.log('native: cargo bench (dataframe; writes ~450 MB under crate/target/bench-data once)…');
const nativeDf = cargoBench('dataframe');
console.log(`native: cargo bench (arrays)${only ? ' skipped' : '…'}`);
const nativeArrays = only ? null : cargoBench('arrays');

const data = nativeDf.dir;
const dailyDir = join(data, 'daily', 'minute', 'hp');
const dailyFiles = readdirSync(dailyDir).filter((f) => f.endsWith('.csv')).sort().map((f) => join(dailyDir, f));
const oneFile = join(data, 'one', 'hp.csv');
/** The one file's rows as Parquet (pyarrow, snappy, 1 M-row groups), written by the peers' venv once. */
const parquetFile = join(data, 'parquet', 'hp.parquet');

/** ~5 GB on disk: the one file's rows 23 times over, under one header (made once). */
async function bigFile(copies = 23) {
  const path = join(data, 'big', 'big.csv');
  if (existsSync(path)) return path;
  console.log(`writing ${path} (~${((copies * statSync(oneFile).size) / 1e9).toFixed(1)} GB, once)…`);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(oneFile);
  const head = Buffer.alloc(4096);
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const header = head.indexOf(10) + 1;
  const out = createWriteStream(`${path}.part`);
  for (let i = 0; i < copies; i++) {
    // Every copy after the first without its header line.
    for await (const chunk of createReadStream(oneFile, { start: i === 0 ? 0 : header })) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  await new Promise((res) => out.end(res));
  renameSync(`${path}.part`, path);
  return path;
}
const big = process.env.DASKLING_BENCH_BIG === '0' || only ? null : await bigFile();

let peers = null;
if (process.env.DASKLING_BENCH_PEERS !== '0' && spawnSync('python3', ['--version']).status === 0) {
  console.log('native peers: DuckDB, polars, pandas, dask, numpy (venv target/venv-bench from PyPI)…');
  const py = python('bench', join(here, 'peers', 'requirements.txt'));
  const mode = onlyOps
    ? ['--only-ops']
    : onlyLinalg
      ? ['--only-linalg']
      : ['--parquet', parquetFile, ...(onlyParquet ? ['--only-parquet'] : [])];
  peers = lastJson(sh(py, [join(here, 'peers', 'peers.py'), '--daily', dailyDir, '--one', oneFile, ...mode]));
} else {
  console.log('native peers skipped (no python3, or DASKLING_BENCH_PEERS=0)');
}

console.log('bundling DuckDB-WASM for the page…');
const bundle = join(root, 'target', 'bench-build');
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: bundle,
    emptyOutDir: true,
    lib: { entry: { duckdb: join(here, 'duckdb-entry.js') }, formats: ['es'], fileName: (_f, name) => `${name}.js` },
  },
});

const chrome = await launch();
const mounts = [
  ['/bench/', here],
  ['/bench-build/', bundle],
  ['/duckdb/', join(root, 'node_modules', '@duckdb', 'duckdb-wasm', 'dist')],
];
/** A bench page (isolated or not) with a `threads`-worker client; `fn(page, info)`. */
async function inBrowser(isolation, threads, fn, options = {}, extraMounts = []) {
  const server = await serve({ port: 0, isolation, mounts: [...extraMounts, ...mounts] });
  const page = await chrome.browser.newPage();
  page.setDefaultTimeout(0);
  try {
    await page.goto(`${server.url}bench/`);
    await page.waitForFunction(() => window.ready);
    await page.setInputFiles('#daily', dailyFiles);
    await page.setInputFiles('#one', oneFile);
    if (big) await page.setInputFiles('#big', big);
    if (existsSync(parquetFile)) await page.setInputFiles('#parquet', parquetFile);
    const info = await page.evaluate(([t, o]) => window.startClient(t, o), [threads, options]);
    if (isolation && info.mode !== 'threads') throw new Error(`expected threads mode, got ${info.mode}`);
    return await fn(page, info);
  } finally {
    await page.close();
    await server.close();
  }
}

const SCHEDULER_CASES = [
  ['wide', '100k tasks (wide map-reduce)', 5],
  ['tree', '1,000-wide tree reduction', 50],
];
const DELAYED_CALLS = 10_000;
const scheduler = async (page) => {
  const out = {};
  for (const [name, , reps] of SCHEDULER_CASES) {
    out[name] = await page.evaluate(([n, r]) => window.benchScheduler(n, 'threads', r), [name, reps]);
  }
  return out;
};
const picked = async (page) => ({
  daily: await page.evaluate(() => window.benchPicked('daily', 2)),
  one: await page.evaluate(() => window.benchPicked('one', 2)),
});
const common = async (page) => ({
  delayed: await page.evaluate((n) => window.benchDelayed(n, 5), DELAYED_CALLS),
  arrays: await page.evaluate(() => window.benchArrays(5)),
  latency: await page.evaluate(() => window.benchLatency(9)),
  picked: await picked(page),
});

/** daskling and DuckDB-WASM on the picked Parquet file (when the peers' venv wrote it). */
async function parquetRead() {
  if (!existsSync(parquetFile)) return null;
  console.log('the Parquet file: wasm threads (2 workers), then DuckDB-WASM…');
  const daskling = await inBrowser(true, 2, (page) => page.evaluate(() => window.benchPicked('parquet', 2, 'parquet')));
  // DuckDB-WASM reads Parquet with an extension it fetches from extensions.duckdb.org:
  // without that network it fails, which the report says.
  const duck = await inBrowser(true, 2, (page) => page.evaluate(() => window.benchDuckdb('parquet', 2))).catch((e) => ({
    error: String(e.message ?? e).split('\n')[0],
  }));
  return { daskling, duckdbWasm: duck };
}

if (onlyParquet) {
  const parquet = await parquetRead();
  await chrome.close();
  parquetTable({ parquet, peers, nativeDf });
  process.exit(0);
}
if (onlyLinalg) {
  console.log('wasm threads (2 workers): linear algebra…');
  const linalg = await inBrowser(true, 2, (page) => page.evaluate(() => window.benchLinalg(2)));
  await chrome.close();
  linalgTable({ linalg, peers });
  process.exit(0);
}
if (onlyOps) {
  console.log('wasm threads (2 workers): the everyday operations…');
  const ops = await inBrowser(true, 2, (page) => page.evaluate(() => window.benchOps('one', 2)));
  await chrome.close();
  opsTable({ ops, peers });
  process.exit(0);
}
console.log('wasm threads (2 workers)…');
// The scheduler cases run inside the kernel: on the build with its test hooks.
const hooks = [['/dist/', HOOKS_DIST]];
const wasmScheduler = await inBrowser(true, 2, scheduler, {}, hooks);
const wasmThreads = await inBrowser(true, 2, async (page, info) => ({
  simd: info.simd,
  scheduler: wasmScheduler,
  ...(await common(page)),
  memoryFiles: await page.evaluate(() => window.benchDataframe(9500, 2)),
  ops: await page.evaluate(() => window.benchOps('one', 2)),
  linalg: await page.evaluate(() => window.benchLinalg(2)),
}));
console.log('wasm threads (1 worker)…');
const wasmThreads1 = await inBrowser(true, 1, common);
console.log('wasm single…');
const wasmSingleScheduler = await inBrowser(false, 1, scheduler, {}, hooks);
const wasmSingle = await inBrowser(false, 1, async (page) => ({ scheduler: wasmSingleScheduler, ...(await common(page)) }));
console.log('wasm threads (2 workers), relaxedSimd: false (arrays)…');
const wasmPlainSimd = await inBrowser(
  true,
  2,
  async (page, info) => {
    if (info.simd !== 'simd128') throw new Error(`relaxedSimd: false loaded ${info.simd}`);
    return { arrays: await page.evaluate(() => window.benchArrays(5)) };
  },
  { relaxedSimd: false },
);
console.log('DuckDB-WASM (eh build, 1 thread) on the same picked files…');
const duckdbWasm = await inBrowser(true, 2, async (page) => ({
  daily: await page.evaluate(() => window.benchDuckdb('daily', 1, 500)),
  one: await page.evaluate(() => window.benchDuckdb('one', 2)),
}));
const parquet = await parquetRead();
let memory = null;
if (big) {
  console.log('wasm threads (2 workers), the exercise streaming the 5 GB picked file…');
  memory = await inBrowser(true, 2, (page) => page.evaluate(() => window.benchMemory()));
}
await chrome.close();

report({
  native,
  nativeDf,
  nativeArrays,
  peers,
  wasm: { 'threads (2)': wasmThreads, 'threads (1)': wasmThreads1, single: wasmSingle },
  wasmPlainSimd,
  duckdbWasm,
  parquet,
  memory,
  SCHEDULER_CASES,
  DELAYED_CALLS,
});
