// The package as users get it: `npm pack`, then in a temporary directory
//   1. a fresh Vite app installing the tarball (no configuration), built for production,
//      served with the isolation headers (threads) and 2. without them (single); the same
//      app built by webpack 5 (no configuration beyond its entry);
//   3. a static page importing the package's module file, no bundler;
//   4. a Node script importing the tarball, reading CSV files from disk by a glob (the
//      threaded build on worker threads);
//   5. `tsc --noEmit --strict` on the API consumer file against the tarball's types.
// Each app runs tests/package/app.js; results are checked against values computed here
// from the rows written (not by daskling).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { serve } from '../www/serve.mjs';
import { hasRelaxedSimd } from '../dist/worker-core.js';
import { launch } from './browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'daskling-package-'));
const versionOf = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const VITE = versionOf('vite');
const WEBPACK = versionOf('webpack');
const WEBPACK_CLI = versionOf('webpack-cli');

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** An npm project in `dir` with the tarball (and more) installed from the local cache. */
function npmApp(dir, devDependencies = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { daskling: `file:${tarball}` }, devDependencies }),
  );
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
}

// Three days of minute rows in three files (and a 13:00 row, which rounds to the next day).
const DAY_MS = 86_400_000;
const files = [];
const expected = { rows: 0, sumHigh: 0, days: new Map() };
for (const [f, day] of ['2000-01-03', '2000-01-04', '2000-01-05'].entries()) {
  const lines = ['timestamp,open,high,low,close,volume'];
  const times = ['09:30:00', '09:31:00', '10:00:00', '11:59:00', ...(f === 2 ? ['13:00:00'] : [])];
  times.forEach((time, i) => {
    const high = 20 + ((f * 7 + i * 13) % 17) / 4;
    lines.push(`${day} ${time},${high - 1},${high},${high - 2},${high - 0.5},${100 + i}`);
    const t = Date.parse(`${day}T${time}Z`);
    const rounded = Math.floor((t + DAY_MS / 2) / DAY_MS) * DAY_MS; // no ties among these
    expected.days.set(rounded, Math.max(expected.days.get(rounded) ?? -Infinity, high));
    expected.rows += 1;
    expected.sumHigh += high;
  });
  files.push({ name: `${day}.csv`, text: `${lines.join('\n')}\n` });
}
const csvUrls = files.map((f) => `data/${f.name}`);

function writeData(dir) {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name), f.text);
}

/** `simd`: the module the engine should load (Chromium has relaxed SIMD). */
function check(out, mode, simd = mode === 'threads' ? 'relaxed' : 'simd128') {
  assert.ok(!out.error, out.error);
  assert.equal(out.mode, mode);
  if (mode === 'threads') assert.ok(out.threads >= 2, `threads = ${out.threads}`);
  else assert.equal(out.threads, 1);
  // Where the engine has relaxed SIMD, the package (or bundle) shipped its module too.
  assert.equal(out.simd, simd);
  assert.deepEqual(out.colSums, new Array(15).fill(15));
  // ones · (onesᵀ + 1) = 2·15 everywhere, minus the mean 1.
  assert.deepEqual(out.y, { shape: [15, 15], min: 29, max: 29 });
  // Three small files, grouped into one partition (under the 16 MB blocksize).
  assert.equal(out.npartitions, 1);
  const days = [...expected.days.entries()].sort((a, b) => a[0] - b[0]);
  assert.deepEqual(out.days.index, days.map(([d]) => d));
  assert.deepEqual(out.days.values, days.map(([, v]) => v));
  assert.equal(out.rows, expected.rows);
  assert.ok(Math.abs(out.meanHigh - expected.sumHigh / expected.rows) < 1e-12, `${out.meanHigh}`);
}

let tarball;
let chrome;
before(async () => {
  const name = sh('npm', ['pack', '--pack-destination', tmp, '--silent'], root).trim().split('\n').at(-1);
  tarball = join(tmp, name);
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Opens `dir` served (with or without isolation) and waits for `window.result`. */
async function pageResult(dir, isolation) {
  const server = await serve({ port: 0, isolation, mounts: [['/', dir]] });
  const page = await chrome.browser.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
    return await page.evaluate(() => window.result);
  } catch (e) {
    throw new Error(`${e.message}\n${logs.join('\n')}`, { cause: e });
  } finally {
    await page.close();
    await server.close();
  }
}

const PAGE_MAIN = (specifier) => `import { Client } from '${specifier}';
import { run } from './app.js';
try {
  window.result = await run(Client, ${JSON.stringify(csvUrls)});
} catch (e) {
  window.result = { error: e.stack ?? String(e) };
}
`;
const INDEX_HTML = '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="./main.js"></script>\n';

describe('the packed package', () => {
  test('has no test hooks: its kernels are built without the test-hooks feature', () => {
    const hooks = ['trap', 'panicInTask', 'trapOnPool', 'benchScheduler'];
    for (const build of ['single', 'threads']) {
      const glue = sh('tar', ['-xzOf', tarball, `package/dist/${build}/daskling.js`], tmp);
      assert.match(glue, /export function sampleBytes\(/, `${build}: not the kernel's glue`);
      for (const h of hooks) assert.doesNotMatch(glue, new RegExp(`export function ${h}\\(`), `${build} exports ${h}`);
    }
    // The hooks build (the supervision tests') has them: this test can see them.
    const withHooks = readFileSync(join(root, 'target', 'hooks', 'dist', 'single', 'daskling.js'), 'utf8');
    for (const h of hooks) assert.match(withHooks, new RegExp(`export function ${h}\\(`));
  });

  test('a Vite app built for production: threads with isolation headers, single without', async () => {
    const dir = join(tmp, 'vite-app');
    npmApp(dir, { vite: VITE });
    writeFileSync(join(dir, 'index.html'), INDEX_HTML);
    writeFileSync(join(dir, 'main.js'), PAGE_MAIN('daskling'));
    cpSync(join(root, 'tests', 'package', 'app.js'), join(dir, 'app.js'));
    writeData(join(dir, 'public', 'data'));
    sh(join(dir, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], dir);
    check(await pageResult(join(dir, 'dist'), true), 'threads');
    check(await pageResult(join(dir, 'dist'), false), 'single');
  });

  test('a webpack 5 app: threads with isolation headers', async () => {
    const dir = join(tmp, 'webpack-app');
    npmApp(dir, { webpack: WEBPACK, 'webpack-cli': WEBPACK_CLI });
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'index.js'), PAGE_MAIN('daskling'));
    cpSync(join(root, 'tests', 'package', 'app.js'), join(dir, 'src', 'app.js'));
    writeFileSync(
      join(dir, 'webpack.config.js'),
      "export default { mode: 'production', entry: './src/index.js', experiments: { topLevelAwait: true } };\n",
    );
    sh(join(dir, 'node_modules', '.bin', 'webpack'), ['--no-stats'], dir);
    writeFileSync(join(dir, 'dist', 'index.html'), INDEX_HTML);
    writeData(join(dir, 'dist', 'data'));
    check(await pageResult(join(dir, 'dist'), true), 'threads');
  });

  test('a page without a bundler importing dist/index.js', async () => {
    const dir = join(tmp, 'static');
    npmApp(dir);
    writeFileSync(join(dir, 'index.html'), INDEX_HTML);
    writeFileSync(join(dir, 'main.js'), PAGE_MAIN('./node_modules/daskling/dist/index.js'));
    cpSync(join(root, 'tests', 'package', 'app.js'), join(dir, 'app.js'));
    writeData(join(dir, 'data'));
    check(await pageResult(dir, true), 'threads');
  });

  test('a Node script: CSV files from disk by a glob, threaded build on worker threads', () => {
    const dir = join(tmp, 'node-app');
    npmApp(dir);
    cpSync(join(root, 'tests', 'package', 'app.js'), join(dir, 'app.js'));
    writeData(join(dir, 'data'));
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'number.csv'), 'a,x\n1,2\n2,1x\n');
    // Bad paths and a bad file on disk: errors naming them, and the client keeps working.
    writeFileSync(
      join(dir, 'main.js'),
      `import { Client } from 'daskling';
import { run } from './app.js';
const out = await run(Client, 'data/*.csv');
const client = await Client.start();
const errors = [];
for (const source of ['data/nope-*.csv', 'data/missing.csv', 'bad/number.csv']) {
  try {
    const df = await client.dataframe.readCsv(source, { dtype: { x: 'int64' } });
    await df.col('x').sum().compute();
  } catch (e) {
    errors.push(e.message);
  }
}
const df = await client.dataframe.readCsv(['data/2000-01-03.csv', 'data/2000-01-04.csv']);
out.errors = errors;
out.after = await df.len().compute();
console.log(JSON.stringify(out));
`,
    );
    const out = JSON.parse(sh('node', ['main.js'], dir));
    check(out, 'threads', hasRelaxedSimd() ? 'relaxed' : 'simd128');
    assert.deepEqual(out.errors, [
      'readCsv: no files match data/nope-*.csv',
      'readCsv: data/missing.csv: no such file',
      // Its dtype was given: no hint to pass one.
      "bad/number.csv, line 3, column x: cannot parse '1x' as int64",
    ]);
    assert.equal(out.after, 8);
  });

  test('tsc --noEmit --strict on a consumer of every API call, against the tarball', () => {
    const dir = join(tmp, 'ts-app');
    npmApp(dir);
    const consumer = readFileSync(join(root, 'tests', 'types', 'consumer.ts'), 'utf8').replaceAll(
      '../../crate/wasm/js/index.js',
      'daskling',
    );
    assert.match(consumer, /from 'daskling'/);
    writeFileSync(join(dir, 'consumer.ts'), consumer);
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    for (const moduleResolution of ['bundler', 'nodenext']) {
      const options = { strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false };
      const module = moduleResolution === 'bundler' ? 'esnext' : 'nodenext';
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { ...options, module, moduleResolution }, files: ['consumer.ts'] }),
      );
      sh(tsc, ['-p', 'tsconfig.json'], dir);
    }
  });
});
