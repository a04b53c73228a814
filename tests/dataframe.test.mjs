// Dataframes through the JS Client in Chromium on a >= 2-thread pool: the workshop's
// exercise on generated files passed as File objects, equal to the native build
// (`daskling eval --root` on the same expressions and the same files written to disk);
// bad input rejects with file, line and column, and the next compute works.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { usingWorkshopPage } from './browser.mjs';

const root = join(import.meta.dirname, '..');
const NATIVE = join(root, 'target', 'release', 'daskling');
const DATA = join(root, 'target', `df-test-${process.pid}`);
const DAYS = 12;
const SEED = 3;

before(() => {
  assert.ok(existsSync(NATIVE), `${NATIVE} is missing: cargo build --release --bin daskling`);
  const r = spawnSync(NATIVE, ['generate', '--out', DATA, '--tickers', 'hp', '--days', String(DAYS), '--seed', String(SEED)]);
  assert.equal(r.status, 0, String(r.stderr));
});
const session = usingWorkshopPage({ mounts: [['/data/', DATA]] });
after(() => rmSync(DATA, { recursive: true, force: true }));

const inPage = (fn, arg) => session.inPage(fn, arg);

function native(json) {
  const r = spawnSync(NATIVE, ['eval', '--root', DATA], { input: json, maxBuffer: 1 << 28, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('dataframes in the browser', () => {
  test("the workshop's exercise on File objects equals the native answers", async () => {
    const out = await inPage(
      async (c, { days, seed }) => {
        const { generateSample } = await import('/dist/index.js');
        const files = (await generateSample({ tickers: ['hp'], days, seed })).map((f) => new File([f.data], f.name));
        const df = await c.dataframe.readCsv(files, { parseDates: ['timestamp'] });
        const rounded = df.col('timestamp').dt.round('1d');
        const g = df.groupby(rounded);
        const exprs = [
          df.len(),
          df.col('high').max(),
          df.col('high').min(),
          df.col('close').mean(),
          rounded,
          g.col('high').max(),
          g.col('high').max().sub(g.col('low').min()),
          g.agg({ high: 'max', close: ['mean', 'count'] }),
          df.describe(),
          df.col('volume').gt(10000).sum(),
        ];
        const progress = [];
        const results = await c.compute(...exprs, { onProgress: (p) => progress.push(p) });
        const head = await df.col('timestamp').head(3);
        // One partition per file instead of the files grouped: the same answers.
        const each = await c.dataframe.readCsv(files, { parseDates: ['timestamp'], blocksize: 0 });
        const eachResults = await c.compute(each.len(), each.col('high').max(), each.col('close').mean());
        const mod = await import('/dist/single/daskling.js');
        const b = new mod.ExprBuilder();
        for (const e of exprs) e._addTo(b);
        const { json } = b.finish();
        b.free();
        const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
        const norm = (r) => {
          if (typeof r === 'number') return r;
          if ('values' in r) return { name: r.name, dtype: r.dtype, index: plain(r.index), values: plain(r.values) };
          const data = Object.fromEntries(Object.entries(r.data).map(([k, v]) => [k, plain(v)]));
          return { columns: r.columns, dtypes: r.dtypes, index: plain(r.index), data, length: r.length };
        };
        return {
          meta: { columns: df.columns, dtypes: df.dtypes, npartitions: df.npartitions, each: each.npartitions },
          eachResults,
          results: results.map(norm),
          head: norm(head),
          json,
          lastProgress: progress.at(-1),
        };
      },
      { days: DAYS, seed: SEED },
    );
    assert.deepEqual(out.meta.columns, ['timestamp', 'open', 'high', 'low', 'close', 'volume']);
    assert.equal(out.meta.dtypes.timestamp, 'datetime');
    assert.equal(out.meta.dtypes.volume, 'int64');
    // DAYS files of ~25 kB, under the 16 MB blocksize in all: one partition; blocksize 0,
    // one per file.
    assert.equal(out.meta.npartitions, 1);
    assert.equal(out.meta.each, DAYS);
    assert.equal(out.lastProgress.done, out.lastProgress.total);
    const want = native(out.json);
    // Rows: 391 minutes a day.
    assert.equal(out.results[0], DAYS * 391);
    assert.deepEqual(out.results.slice(0, 3), want.slice(0, 3));
    assert.ok(Math.abs(out.results[3] - want[3]) <= 1e-9 * Math.abs(want[3]));
    assert.deepEqual(out.eachResults.slice(0, 2), want.slice(0, 2));
    assert.ok(Math.abs(out.eachResults[2] - want[3]) <= 1e-9 * Math.abs(want[3]));
    // Datetimes come as ms; NaT would be NaN (null in JSON).
    assert.deepEqual(out.results[4].values, want[4].values);
    for (const i of [5, 6]) {
      assert.deepEqual(out.results[i].index, want[i].index);
      out.results[i].values.forEach((v, j) => assert.ok(Math.abs(v - want[i].values[j]) <= 1e-9 * Math.abs(want[i].values[j])));
    }
    // Rounded to the day, afternoons go to the next day: more groups than weekdays.
    assert.ok(out.results[5].index.length > DAYS);
    assert.deepEqual(out.results[7].columns, ['high', 'close_mean', 'close_count']);
    assert.deepEqual(out.results[7].data.close_count, want[7].data.close_count);
    // describe: Table indexed by the statistics, numeric columns only; equal to native.
    assert.deepEqual(out.results[8].index, ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']);
    assert.deepEqual(out.results[8].columns, ['open', 'high', 'low', 'close', 'volume']);
    for (const col of out.results[8].columns) {
      out.results[8].data[col].forEach((v, j) => assert.ok(Math.abs(v - want[8].data[col][j]) <= 1e-9 * Math.abs(want[8].data[col][j]), `${col}[${j}]`));
    }
    // A comparison summed: the number of rows with volume > 10000.
    assert.equal(out.results[9], want[9]);
    // head reads the first file only; 2012-05-01 09:30 onwards.
    assert.deepEqual(out.head.values, [Date.UTC(2012, 4, 1, 9, 30), Date.UTC(2012, 4, 1, 9, 31), Date.UTC(2012, 4, 1, 9, 32)]);
  });

  test('URLs: sizes by HEAD, blocks by range requests, equal to the same files as Files', async () => {
    const out = await inPage(async (c) => {
      const urls = ['/data/minute/hp/2012-05-01.csv', '/data/minute/hp/2012-05-02.csv'];
      // A small blocksize splits each file into several partitions read by range.
      const byUrl = await c.dataframe.readCsv(urls, { parseDates: ['timestamp'], blocksize: 5000 });
      const files = await Promise.all(urls.map(async (u) => new File([await (await fetch(u)).blob()], u)));
      const byFile = await c.dataframe.readCsv(files, { parseDates: ['timestamp'] });
      const [n1, m1, n2, m2] = await c.compute(byUrl.len(), byUrl.col('close').mean(), byFile.len(), byFile.col('close').mean());
      return { parts: byUrl.npartitions, n1, m1, n2, m2 };
    });
    assert.ok(out.parts > 2, `partitions: ${out.parts}`);
    assert.equal(out.n1, 2 * 391);
    assert.equal(out.n1, out.n2);
    assert.ok(Math.abs(out.m1 - out.m2) <= 1e-12 * out.m2);
  });

  test('bad input rejects with file, line and column; the next compute works', async () => {
    const out = await inPage(async (c) => {
      const good = { name: 'good.csv', data: 'timestamp,x\n2020-01-01,1\n' };
      const cases = [
        [good, { name: 'ragged.csv', data: 'timestamp,x\n2020-01-01,1\n2020-01-02,1,7\n' }],
        [good, { name: 'number.csv', data: 'timestamp,x\n2020-01-01,1\n2020-01-02,1x\n' }],
        [good, { name: 'date.csv', data: 'timestamp,x\n2020-01-01,1\n2020-13-02,1\n' }],
        [good, { name: 'empty.csv', data: '' }],
      ];
      const errors = [];
      for (const files of cases) {
        try {
          const df = await c.dataframe.readCsv(files, { parseDates: ['timestamp'] });
          // Only the columns a computation uses are parsed: use both.
          await c.compute(df.col('x').sum(), df.col('timestamp').max());
          errors.push(null);
        } catch (e) {
          errors.push(e.message);
        }
      }
      try {
        await c.dataframe.readCsv([{ name: 'cols.csv', data: 'time,x\n2020-01-01,1\n' }], { parseDates: ['timestamp'] });
        errors.push(null);
      } catch (e) {
        errors.push(e.message);
      }
      const df = await c.dataframe.readCsv([good, good], { parseDates: ['timestamp'] });
      return { errors, after: await df.col('x').sum().compute() };
    });
    assert.equal(out.errors[0], 'ragged.csv, line 3: expected 2 fields, saw 3 (a row may have fewer fields than the header, not more)');
    assert.equal(out.errors[1], "number.csv, line 3, column x: cannot parse '1x' as int64; the column's first rows made it int64: pass dtype: {x: 'string'} to readCsv");
    assert.match(out.errors[2], /^date\.csv, line 3, column timestamp: cannot parse '2020-13-02' as a date/);
    assert.equal(out.errors[3], 'empty.csv, line 1: the file is empty (no header line)');
    assert.match(out.errors[4], /^cols\.csv, line 1, column timestamp: no such column/);
    assert.equal(out.after, 2);
  });

  test('picked files read on the reader workers; a file gone from disk fails naming it, and the next compute works', async () => {
    // Three files on disk, picked through an <input type=file> (disk-backed Files).
    const dir = join(root, 'target', `df-picked-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const names = ['a.csv', 'b.csv', 'c.csv'];
    names.forEach((n, i) => writeFileSync(join(dir, n), `x,y\n${i + 1},${10 * (i + 1)}\n${i + 2},0.5\n`));
    try {
      await session.page.evaluate(() => {
        const input = Object.assign(document.createElement('input'), { type: 'file', multiple: true, id: 'picked-test' });
        document.body.append(input);
      });
      await session.page.setInputFiles('#picked-test', names.map((n) => join(dir, n)));
      const sum = () =>
        inPage(async (c) => {
          const files = Array.from(document.getElementById('picked-test').files);
          try {
            const df = await c.dataframe.readCsv(files);
            return { mode: c.mode, sums: await c.compute(df.col('x').sum(), df.col('y').sum(), df.len()) };
          } catch (e) {
            return { error: e.message };
          }
        });
      const first = await sum();
      // By hand: x = 1+2 + 2+3 + 3+4, y = 10+0.5 + 20+0.5 + 30+0.5; 6 rows.
      assert.deepEqual(first, { mode: 'threads', sums: [15, 61.5, 6] });
      rmSync(join(dir, 'b.csv'));
      const gone = await sum();
      assert.ok(gone.error, 'reading a deleted file fails');
      assert.match(gone.error, /a\.csv … c\.csv/, gone.error);
      assert.match(gone.error, /NotFoundError|could not be found|NotReadable/i, gone.error);
      const after = await inPage(async (c) => (await c.dataframe.readCsv([{ name: 'ok.csv', data: 'x\n4\n5\n' }])).col('x').sum().compute());
      assert.equal(after, 9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
