// The workshop page end to end, as a participant uses it: generate the sample data, show
// the solutions, press "Run all". Every cell finishes (the one failing on purpose shows
// its error and the next cell still runs); array cells show their closed forms; dataframe
// cells equal the native `daskling eval` over the same files generated natively; plots
// and graphs are drawn; the progress bar reaches 100%; the task stream shows the delayed
// loop's calls on the pool's threads. Screenshots: tests/artifacts/workshop.png (the whole
// page after Run all) and task-stream.png (its top, after the delayed loop).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { serve } from '../www/serve.mjs';
import { launch, openPage, runWorkshop } from './browser.mjs';

const root = join(import.meta.dirname, '..');
const NATIVE = join(root, 'target', 'release', 'daskling');
const ARTIFACTS = join(root, 'tests', 'artifacts');
const DAYS = 20;
const data = mkdtempSync(join(tmpdir(), 'daskling-workshop-'));

let chrome;
let server;
let page;
let logs;
const requests = [];
before(async () => {
  chrome = await launch();
  server = await serve({ port: 0, isolation: true });
  ({ page, logs } = await openPage(chrome.browser, server.url));
  page.on('request', (r) => requests.push(r.url()));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60_000 });
});
after(async () => {
  await page?.close();
  await server?.close();
  await chrome?.close();
  rmSync(data, { recursive: true, force: true });
});

function native(args, input) {
  assert.ok(existsSync(NATIVE), `${NATIVE} is missing: cargo build --release --bin daskling`);
  const r = spawnSync(NATIVE, args, { input, maxBuffer: 1 << 28, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function close(got, want, what) {
  assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
}

function sameColumn(got, want, what) {
  assert.deepEqual(Array.from(got.index), want.index, `${what}: index`);
  assert.equal(got.values.length, want.values.length, `${what}: length`);
  want.values.forEach((w, i) => close(got.values[i], w, `${what}[${i}]`));
}

describe('the workshop page', () => {
  test('generate data, show solutions, run all: every cell right', { timeout: 600_000 }, async () => {
    await runWorkshop(page, { days: DAYS, tickers: 'ge, hp' }, logs);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'workshop.png'), fullPage: true });

    const out = await page.evaluate(async () => {
      const nb = window.notebook;
      const s = window.scope;
      const byId = Object.fromEntries(nb.cells.map((c) => [c.id, c]));
      const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
      const arr = (r) => ({ shape: r.shape, data: Array.from(r.data) });
      // The dataframe cells' expressions, serialized for the native run.
      const { df, byDay } = s;
      const exprs = [
        df.len(),
        df.col('high').max(),
        df.col('high').min(),
        df.col('close').mean(),
        byDay.col('high').max(),
        byDay.col('high').max().sub(byDay.col('low').min()),
        df.describe(),
      ];
      const mod = await import('/dist/single/daskling.js');
      const b = new mod.ExprBuilder();
      for (const e of exprs) e._addTo(b);
      const { json } = b.finish();
      b.free();
      const col = (c) => ({ index: plain(c.index), values: plain(c.values) });
      const describe = byId['describe'].result;
      // 500,000 points plot without trouble.
      const { plot } = await import('/src/plot.js');
      const big = plot(Float64Array.from({ length: 500_000 }, (_, i) => Math.sin(i / 1000)));
      document.body.append(big);
      const tallSquares = await s.tall.mul(s.tall).sum().compute();
      // trace(x·xᵀ) = the sum of x's squares = the sum of x·xᵀ's singular values.
      const numpySquares = await s.xn.mul(s.xn).sum().compute();
      // The largest singular value of xs·xsᵀ by power iteration, in plain loops on xs.
      const xsv = await s.xs.compute();
      const [n, m] = xsv.shape;
      let vec = new Float64Array(n).fill(1);
      let lambda = 0;
      for (let it = 0; it < 60; it++) {
        const t = new Float64Array(m);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j] += xsv.data[i * m + j] * vec[i];
        const w = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let acc = 0;
          for (let j = 0; j < m; j++) acc += xsv.data[i * m + j] * t[j];
          w[i] = acc;
        }
        const norm = Math.hypot(...w);
        lambda = norm / Math.hypot(...vec);
        vec = w.map((v) => v / norm);
      }
      // The image cells: the blockwise Sobel equal to a plain loop over the whole image
      // (edges clamped, as the 'nearest' boundary pads them), and drawn.
      const im = await s.img.compute();
      const edgesV = await s.edges.compute();
      const [ir, ic] = im.shape;
      const px = (i, j) => im.data[Math.min(ir - 1, Math.max(0, i)) * ic + Math.min(ic - 1, Math.max(0, j))];
      let edgeDiff = 0;
      for (let i = 0; i < ir; i++) {
        for (let j = 0; j < ic; j++) {
          const gx = px(i - 1, j + 1) + 2 * px(i, j + 1) + px(i + 1, j + 1) - px(i - 1, j - 1) - 2 * px(i, j - 1) - px(i + 1, j - 1);
          const gy = px(i + 1, j - 1) + 2 * px(i + 1, j) + px(i + 1, j + 1) - px(i - 1, j - 1) - 2 * px(i - 1, j) - px(i - 1, j + 1);
          edgeDiff = Math.max(edgeDiff, Math.abs(Math.hypot(gx, gy) - edgesV.data[i * ic + j]));
        }
      }
      const imageCells = {
        edgeDiff,
        shape: edgesV.shape,
        canvases: ['image', 'image-edges'].map((id) => byId[id].out.querySelectorAll('figure.image canvas').length),
        graphNodes: byId['graph-image'].out.querySelectorAll('g.node').length,
      };
      // The task stream of the delayed loop, run again: its 10,000 calls on the pool.
      await nb.run(byId['delayed-loop']);
      await new Promise((r) => requestAnimationFrame(r));
      const events = window.taskStream.events;
      const streamBox = document.getElementById('task-stream');
      return {
        stream: {
          events: events.length,
          workers: [...new Set(events.map((e) => e.worker))],
          prefixes: [...new Set(events.map((e) => e.prefix))].sort(),
          ordered: events.every((e) => e.end >= e.start),
          drawn: Number(streamBox.dataset.tasks),
          canvasHeight: streamBox.querySelector('canvas').height,
        },
        cells: nb.cells.map((c) => ({ id: c.id, status: c.status, error: c.error, expectError: c.expectError, ms: c.ms })),
        times: [...document.querySelectorAll('.cell.code .time')].map((e) => e.textContent),
        eager: byId['eager-sum'].result,
        sum1d: byId['sum-1d'].result,
        axis0: arr(byId['sum-axis0'].result),
        axis1: arr(byId['sum-axis1'].result),
        transpose: arr(byId['transpose'].result),
        compound: arr(byId['compound'].result),
        sv: Array.from(s.sv.data),
        tallSquares,
        imageCells,
        svNumpy: Array.from(s.svNumpy.data),
        numpySquares,
        svTop: Array.from(s.svTop.data),
        powerTop: lambda,
        chunkedShape: s.xl.shape,
        chunkedSvdError: byId['chunked-svd'].error,
        pandasHour: col(byId['pandas-hour'].result),
        daskHour: col(s.byHour),
        loopEager: byId['loop-eager'].result,
        futures: byId['futures'].result,
        dot: arr(byId['dot'].result),
        std: byId['std'].result,
        hpRows: s.hp.length,
        geColumns: s.ge.columns,
        hpMax: byId['ex1-hp-max'].result,
        hpMean: byId['ex1-hp-mean'].result,
        firstFiles: byId['ex1-files'].result,
        nfiles: byId['ex1-nfiles'].result,
        concatRows: byId['ex1-concat'].result,
        firstTimes: plain(byId['ex-head'].result.values),
        rounded: plain(byId['ex-round'].result.values),
        together: byId['ex-together'].result,
        toDask: byId['to-dask'].result,
        loop: byId['delayed-loop'].result,
        loopSum: byId['delayed-sum'].result,
        json,
        exRows: byId['ex-rows'].result,
        maxmin: byId['ex-maxmin'].result,
        mean: byId['ex-mean'].result,
        dailyHigh: col(s.dailyHigh),
        dailyHighExpr: col(byId['daily-high-expr'].result),
        meanHigh: byId['timed-mean-high'].result.meanHigh,
        topVolume: plain(byId['top-volume'].result.data.volume),
        sortedVolume: plain(byId['sorted-volume'].result.data.volume),
        allVolume: plain((await s.df.col('volume').compute()).values),
        merged: await (async () => {
          // Independently: hp's close by timestamp, looked up for every ge minute.
          const [hp, ge] = await s.client.compute(s.df.select(['timestamp', 'close']), s.geMinutes.select(['timestamp', 'close']));
          const hpAt = new Map(Array.from(hp.data.timestamp, (t, i) => [t, hp.data.close[i]]));
          const want = [];
          ge.data.timestamp.forEach((t, i) => hpAt.has(t) && want.push([t, ge.data.close[i], hpAt.get(t)]));
          want.sort((a, b) => a[0] - b[0]);
          const got = Array.from(s.both.data.timestamp, (t, i) => [t, s.both.data.close_ge[i], s.both.data.close_hp[i]]);
          return { want, got, columns: s.both.columns, plotted: document.querySelectorAll('#cell-merge-tickers .plot canvas').length };
        })(),
        allHigh: plain((await s.df.col('high').compute()).values),
        spread: col(s.spread),
        dailyTypical: col(s.dailyTypical),
        typicalWant: await (async () => {
          // Independently: every minute's (high + low + close) / 3, averaged per UTC day.
          const t = await s.df.select(['timestamp', 'high', 'low', 'close']).compute();
          const days = new Map();
          t.data.timestamp.forEach((ms, r) => {
            const day = Math.floor(ms / 86_400_000) * 86_400_000;
            const [sum, n] = days.get(day) ?? [0, 0];
            days.set(day, [sum + (t.data.high[r] + t.data.low[r] + t.data.close[r]) / 3, n + 1]);
          });
          const keys = [...days.keys()].sort((a, b) => a - b);
          return { index: keys, values: keys.map((k) => days.get(k)[0] / days.get(k)[1]) };
        })(),
        describe: { columns: describe.columns, index: plain(describe.index), data: Object.fromEntries(describe.columns.map((c) => [c, plain(describe.data[c])])) },
        headRows: document.querySelectorAll('#cell-ex-head tbody tr').length,
        plotSeries: [...document.querySelectorAll('#cell-ex1-hp-plot .plot')].map((d) => d.chart.series.slice(1).map((x) => x.label)),
        concatPlotSize: [...document.querySelectorAll('#cell-ex1-concat-plot .plot')].map((d) => [d.chart.width, d.chart.height]),        plots: document.querySelectorAll('.cell .plot canvas').length,
        graphs: document.querySelectorAll('.cell .graph svg').length,
        graphText: document.querySelector('#cell-graph-1d .graph svg')?.textContent ?? '',
        errorText: document.querySelector('#cell-error .output')?.textContent ?? '',
        bigPoints: big.dataset.points,
        bigCanvas: !!big.querySelector('canvas'),
        progress: { ...document.getElementById('progress').dataset },
      };
    });

    // Export to dask on a lazy value's output: the script, with Copy and Download.
    await page.click('#cell-lazy-1d details.export summary');
    // The script is made on the `toggle` event, which the browser fires as a task after
    // the click: wait for it.
    await page.waitForSelector('#cell-lazy-1d pre.script');
    const exported = await page.evaluate(() => ({
      script: document.querySelector('#cell-lazy-1d pre.script')?.textContent ?? '',
      download: document.querySelector('#cell-lazy-1d .export a[download]')?.getAttribute('download'),
    }));
    assert.match(exported.script, /ones_0 = da\.ones\(\(15,\), chunks=\(\(5, 5, 5\),\)\)/);
    assert.match(exported.script, /result = values\[0\]/);
    assert.equal(exported.download, 'daskling_dask.py');
    assert.match(out.toDask, /dd\.read_csv\(\["s3:\/\/bucket\/minute\/hp\/2012-05-01\.csv"/);
    assert.match(out.toDask, /\.groupby\(round_\d+\)\.max\(\)/);

    // Download CSV / Parquet on a lazy frame's output: the files the frame's toCsv and
    // toParquet write (their contents are checked against pandas in pandas-write.test).
    const [csvFile] = await Promise.all([page.waitForEvent('download'), page.click('#cell-read-csv button.download')]);
    const [pqFile] = await Promise.all([page.waitForEvent('download'), page.click('#cell-read-csv button.download:nth-of-type(2)')]);
    assert.equal(csvFile.suggestedFilename(), 'daskling.csv');
    assert.equal(pqFile.suggestedFilename(), 'daskling.parquet');
    const csvText = readFileSync(await csvFile.path(), 'utf8');
    const pqBytes = readFileSync(await pqFile.path());
    const written = await page.evaluate(async () => ({
      rows: await window.scope.df.len().compute(),
      pq: (await (await window.scope.df.toParquet()).arrayBuffer()).byteLength,
    }));
    assert.equal(csvText.split('\n').length, written.rows + 2, 'a header, the rows, a last newline');
    assert.match(csvText, /^timestamp,open,high,low,close,volume\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,/);
    assert.equal(pqBytes.length, written.pq);
    assert.equal(pqBytes.subarray(0, 4).toString(), 'PAR1');

    // The top of the page after the delayed loop: status, progress bar, task stream.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'task-stream.png') });

    // Every cell ran; only the deliberate error failed, and the next cell still ran.
    for (const c of out.cells) {
      if (c.expectError) assert.equal(c.status, 'error', c.id);
      else assert.equal(c.status, 'ok', `${c.id}: ${c.error}`);
    }
    assert.match(out.errorText, /no_such_column/);
    assert.deepEqual(out.cells.filter((c) => c.expectError).map((c) => c.id), ['chunked-svd', 'error']);
    for (const [i, c] of out.cells.entries()) if (c.expectError) assert.equal(out.cells[i + 1].status, 'ok', `after ${c.id}`);
    assert.ok(out.times.every((t) => /^Wall time: \d/.test(t)), out.times.join(', '));

    // Arrays: closed forms.
    assert.equal(out.eager, 15);
    assert.equal(out.sum1d, 15);
    assert.deepEqual(out.axis0, { shape: [15], data: new Array(15).fill(15) });
    assert.deepEqual(out.axis1, { shape: [15], data: new Array(15).fill(15) });
    assert.deepEqual(out.transpose, { shape: [15, 15], data: new Array(225).fill(2) });
    assert.deepEqual(out.compound, { shape: [15, 15], data: new Array(225).fill(29) });
    // SVD: 20 singular values, descending, whose squares add up to the sum of squares.
    assert.equal(out.sv.length, 20);
    out.sv.forEach((v, i) => assert.ok(v > 0 && (i === 0 || v <= out.sv[i - 1]), `s[${i}] = ${v}`));
    close(out.sv.reduce((a, v) => a + v * v, 0), out.tallSquares, 'sum of squared singular values');
    assert.ok(out.imageCells.edgeDiff < 1e-12, `blockwise Sobel vs the whole image: ${out.imageCells.edgeDiff}`);
    assert.deepEqual(out.imageCells.shape, [480, 480]);
    assert.deepEqual(out.imageCells.canvases, [1, 1], 'both images drawn');
    assert.ok(out.imageCells.graphNodes > 60, `the mapOverlap graph drawn (${out.imageCells.graphNodes} nodes)`);
    // NumPy-style SVD of x·xᵀ (one chunk): 1000 values, descending, adding up to trace(x·xᵀ).
    assert.equal(out.svNumpy.length, 1000);
    out.svNumpy.forEach((v, i) => assert.ok(v >= -1e-6 && (i === 0 || v <= out.svNumpy[i - 1] * (1 + 1e-12)), `sn[${i}] = ${v}`));
    close(out.svNumpy.reduce((a, v) => a + v, 0), out.numpySquares, 'sum of singular values of x·xᵀ');
    // The chunked 10⁵ × 10⁵ array: its exact SVD is refused, pointing to svdCompressed.
    assert.deepEqual(out.chunkedShape, [100000, 100000]);
    assert.match(out.chunkedSvdError, /svdCompressed/);
    // svdCompressed: 5 values, the largest equal to power iteration's.
    assert.equal(out.svTop.length, 5);
    close(out.svTop[0], out.powerTop, 'largest singular value of xs·xsᵀ');
    // Arrays: closed forms.
    assert.deepEqual(out.dot, { shape: [15, 15], data: new Array(225).fill(30) });
    assert.equal(out.std, 0);
    // The loops: 100 × 100 calls eagerly, 10 × 10 futures.
    assert.equal(out.loopEager, 10_000);
    assert.equal(out.futures, 100);
    // delayed: 100 x 100 results; for a = 0: f(0, b) = 1 for the 99 b > 0, g(0, 0) = 0.
    assert.equal(out.loop, 10_000);
    assert.equal(out.loopSum, 99);

    // Dataframes: equal to the native run over the same files.
    native(['generate', '--out', data, '--tickers', 'hp', '--days', String(DAYS), '--seed', '0'], '');
    const want = JSON.parse(native(['eval', '--root', data], out.json));
    assert.equal(out.exRows, want[0]);
    assert.equal(out.exRows, DAYS * 391);
    // By hand from the natively generated files: the hourly means, one day and all days;
    // the day's close extremes; the file list.
    const hpFiles = readdirSync(join(data, 'minute', 'hp')).sort();
    const rowsOf = (f) =>
      readFileSync(join(data, 'minute', 'hp', f), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
    const hourly = (files) => {
      const acc = new Map();
      for (const f of files) {
        for (const r of rowsOf(f)) {
          const h = Number(r[0].slice(11, 13));
          const [s, k] = acc.get(h) ?? [0, 0];
          acc.set(h, [s + Number(r[4]), k + 1]);
        }
      }
      const hours = [...acc.keys()].sort((a, b) => a - b);
      return { index: hours, values: hours.map((h) => acc.get(h)[0] / acc.get(h)[1]) };
    };
    assert.equal(hpFiles[0], '2012-05-01.csv');
    sameColumn(out.pandasHour, hourly([hpFiles[0]]), 'mean close by hour, 2012-05-01');
    sameColumn(out.daskHour, hourly(hpFiles), 'mean close by hour, every day');
    const day1 = rowsOf(hpFiles[0]).map((r) => Number(r[4]));
    assert.equal(out.hpRows, 391);
    assert.deepEqual(out.geColumns, ['timestamp', 'open', 'high', 'low', 'close', 'volume']);
    assert.equal(out.hpMax, Math.max(...day1));
    close(out.hpMean, day1.reduce((a, b) => a + b) / day1.length, 'hp mean close, one day');
    assert.deepEqual(out.firstFiles, hpFiles.slice(0, 5).map((f) => `minute/hp/${f}`));
    assert.equal(out.nfiles, DAYS);
    assert.equal(out.concatRows, DAYS * 391);
    assert.deepEqual(out.firstTimes, [0, 1, 2, 3, 4].map((i) => Date.UTC(2012, 4, 1, 9, 30 + i)));
    assert.deepEqual(out.rounded, new Array(5).fill(Date.UTC(2012, 4, 1)));
    assert.deepEqual([out.together.rows, out.together.hi, out.together.lo], [want[0], want[1], want[2]]);
    close(out.together.meanClose, want[3], 'mean close, computed together');
    // The frame plots every numeric column against the timestamp; the concat plot its size.
    assert.deepEqual(out.plotSeries, [['open', 'high', 'low', 'close', 'volume']]);
    assert.deepEqual(out.concatPlotSize, [[900, 360]]);
    assert.deepEqual(out.maxmin, [want[1], want[2]]);
    close(out.mean, want[3], 'mean close');
    sameColumn(out.dailyHigh, want[4], 'daily high');
    sameColumn(out.dailyHighExpr, want[4], 'daily high as one expression');
    // The going-further cells: the ten largest volumes and the top five of the sort,
    // from a plain sort of every volume.
    const byVolume = [...out.allVolume].sort((a, b) => b - a);
    assert.deepEqual(out.topVolume, byVolume.slice(0, 10));
    assert.deepEqual(out.sortedVolume, byVolume.slice(0, 5));
    // mapPartitions: the daily mean of the typical price, against a plain loop.
    assert.deepEqual(out.dailyTypical.index, out.typicalWant.index);
    out.typicalWant.values.forEach((v, i) => close(out.dailyTypical.values[i], v, `typical price, day ${i}`));
    // The two-ticker merge: every common minute once, with each ticker's close.
    assert.deepEqual(out.merged.columns, ['timestamp', 'close_ge', 'close_hp']);
    assert.ok(out.merged.want.length > 1000, `${out.merged.want.length} common minutes`);
    assert.deepEqual(out.merged.got, out.merged.want);
    assert.equal(out.merged.plotted, 1);
    const highMean = out.allHigh.reduce((a, b) => a + b, 0) / out.allHigh.length;
    assert.ok(Math.abs(out.meanHigh - highMean) <= 1e-12 * Math.abs(highMean), `mean high ${out.meanHigh} vs ${highMean}`);
    sameColumn(out.spread, want[5], 'daily spread');
    assert.deepEqual(out.describe.columns, want[6].columns);
    assert.deepEqual(out.describe.index, want[6].index);
    for (const c of want[6].columns) want[6].data[c].forEach((w, i) => close(out.describe.data[c][i], w, `describe ${c}[${i}]`));
    assert.equal(out.headRows, 5);

    // Drawn: plots, task graphs, the progress bar at 100%.
    assert.ok(out.plots >= 7, `plots: ${out.plots}`);
    assert.ok(out.graphs >= 6, `graphs: ${out.graphs}`);
    assert.match(out.graphText, /sum/);
    assert.equal(out.bigPoints, '500000');
    assert.ok(out.bigCanvas);
    assert.equal(out.progress.percent, '100');
    // The task stream: every call once, on at least two pool threads, drawn.
    assert.equal(out.stream.events, 10_000);
    assert.deepEqual(out.stream.prefixes, ['f', 'g']);
    assert.ok(out.stream.ordered);
    assert.ok(out.stream.workers.filter((w) => w >= 0).length >= 2, `workers ${out.stream.workers}`);
    assert.equal(out.stream.drawn, 10_000);
    assert.ok(out.stream.canvasHeight > 0);
    assert.equal(out.progress.state, 'done');
    assert.ok(!logs.some((l) => l.startsWith('pageerror')), logs.join('\n'));
  });

  test('files from the picker and from a drop are what files() gives cells', async () => {
    const picked = join(data, 'picked');
    mkdirSync(picked, { recursive: true });
    writeFileSync(join(picked, 'a.csv'), 'x,y\n1,2.5\n2,3.5\n');
    writeFileSync(join(picked, 'b.csv'), 'x,y\n10,-1\n');
    await page.click('#clear');
    await page.setInputFiles('#pick', [join(picked, 'a.csv'), join(picked, 'b.csv')]);
    await page.waitForFunction(() => document.getElementById('file-summary').textContent.startsWith('2 files'));
    // A drop of one more file (a synthetic DataTransfer: no folder entries, its files).
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x,y\n100,0\n'], 'c.csv', { type: 'text/csv' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.getElementById('file-summary').textContent.startsWith('3 files'));
    // A folder from the folder picker: its files under their relative paths.
    const folder = join(data, 'folder', 'quotes');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'd.csv'), 'x,y\n1000,1\n');
    await page.setInputFiles('#pick-folder', join(data, 'folder'));
    await page.waitForFunction(() => document.getElementById('file-summary').textContent.startsWith('4 files'));
    const folderFiles = await page.evaluate(() => window.scope.files('quotes/').map((f) => f.webkitRelativePath));
    assert.deepEqual(folderFiles, ['folder/quotes/d.csv']);
    await page.click('#clear');
    await page.setInputFiles('#pick', [join(picked, 'a.csv'), join(picked, 'b.csv')]);
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x,y\n100,0\n'], 'c.csv', { type: 'text/csv' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.getElementById('file-summary').textContent.startsWith('3 files'));
    const out = await page.evaluate(async () => {
      const { client, files } = window.scope;
      const list = [...document.querySelectorAll('#file-list li')].map((li) => li.textContent);
      const df = await client.dataframe.readCsv(files('.csv'));
      const [x, y, n] = await client.compute(df.col('x').sum(), df.col('y').sum(), df.len());
      let missing = null;
      try {
        files('minute/hp/*.csv');
      } catch (e) {
        missing = e.message;
      }
      return { list, names: files('*.csv').map((f) => f.name), x, y, n, npartitions: df.npartitions, missing };
    });
    assert.deepEqual(out.list, ['a.csv — 16 B', 'b.csv — 10 B', 'c.csv — 10 B']);
    assert.deepEqual(out.names, ['a.csv', 'b.csv', 'c.csv']);
    // By hand: x = 1 + 2 + 10 + 100, y = 2.5 + 3.5 - 1 + 0; three small files, one
    // partition.
    assert.deepEqual([out.x, out.y, out.n, out.npartitions], [113, 5, 4, 1]);
    assert.match(out.missing, /no loaded file matches "minute\/hp\/\*\.csv"/);
  });

  test("the workshop's daily files gzip-compressed, picked, read as the plain files do", { timeout: 120_000 }, async () => {
    const hp = join(data, 'gz', 'hp');
    mkdirSync(hp, { recursive: true });
    native(['generate', '--out', join(data, 'gz-src'), '--tickers', 'hp', '--days', '5', '--seed', '3'], '');
    const src = join(data, 'gz-src', 'minute', 'hp');
    const names = readdirSync(src).sort();
    for (const n of names) {
      writeFileSync(join(hp, n), readFileSync(join(src, n)));
      writeFileSync(join(hp, `${n}.gz`), gzipSync(readFileSync(join(src, n))));
    }
    await page.click('#clear');
    await page.setInputFiles('#pick', names.flatMap((n) => [join(hp, n), join(hp, `${n}.gz`)]));
    await page.waitForFunction((k) => document.getElementById('file-summary').textContent.startsWith(`${k} files`), 2 * names.length);
    const out = await page.evaluate(async () => {
      const { client, files } = window.scope;
      const opts = { parseDates: ['timestamp'] };
      const run = async (pattern) => {
        const df = await client.dataframe.readCsv(files(pattern), opts);
        const byDay = df.groupby(df.col('timestamp').dt.round('1d')).col('high').max();
        const [n, day, close] = await client.compute(df.len(), byDay, df.col('close').sum());
        return { n, days: Array.from(day.index), highs: Array.from(day.values), close, dtypes: df.dtypes, files: files(pattern).length };
      };
      return { plain: await run('*.csv'), gz: await run('*.csv.gz') };
    });
    assert.equal(out.gz.files, names.length);
    assert.equal(out.plain.n, 5 * 391);
    assert.deepEqual(out.gz, out.plain);
  });

  test('Shift+Enter in a cell runs it', async () => {
    await page.evaluate(() => {
      const c = window.notebook.cells.find((x) => x.id === 'sum-1d');
      c.result = undefined;
      c.status = 'idle';
    });
    await page.click('#cell-sum-1d .cm-content');
    await page.keyboard.press('Shift+Enter');
    await page.waitForFunction(() => window.notebook.cells.find((x) => x.id === 'sum-1d').status === 'ok');
    assert.equal(await page.evaluate(() => window.notebook.cells.find((x) => x.id === 'sum-1d').result), 15);
  });

  test("completions offer a value's methods, with the operation tables' documentation", async () => {
    const original = await page.evaluate(() => {
      window.scope.xs = window.client.array.ones([4], { chunks: [2] });
      window.scope.frame = window.client.dataframe.fromColumns({ a: [1, 2] });
      return window.notebook.cells.find((x) => x.id === 'sum-1d').editor.state.doc.toString();
    });
    const complete = async (text) => {
      await page.click('#cell-sum-1d .cm-content');
      await page.keyboard.press('Control+a');
      await page.keyboard.type(text);
      await page.keyboard.press('Control+Space');
      await page.waitForSelector('.cm-tooltip-autocomplete li');
      const labels = await page.$$eval('.cm-tooltip-autocomplete li', (lis) => lis.map((li) => li.querySelector('.cm-completionLabel').textContent));
      const detail = await page.$$eval('.cm-tooltip-autocomplete li', (lis) => lis.map((li) => li.querySelector('.cm-completionDetail')?.textContent ?? ''));
      await page.keyboard.press('Escape');
      return { labels, detail };
    };
    try {
      const arr = await complete('xs.su');
      assert.ok(arr.labels.includes('sum'), arr.labels.join(' '));
      // The generated method's parameters and result from the operation table.
      assert.match(arr.detail[arr.labels.indexOf('sum')], /→ DArray/);
      const df = await complete('frame.');
      for (const m of ['merge', 'setIndex', 'loc', 'persist', 'sortValues', 'groupby', 'isna', 'fillna', 'compute']) assert.ok(df.labels.includes(m), `frame.${m}: ${df.labels.join(' ')}`);
      const mod = await complete('client.dataframe.');
      for (const m of ['readCsv', 'fromColumns', 'fromRecords', 'concat']) assert.ok(mod.labels.includes(m), `client.dataframe.${m}`);
      assert.ok(!mod.labels.some((l) => l.startsWith('_')), 'no private names');
    } finally {
      // The cell's own code back, for the tests after this one.
      await page.evaluate((text) => {
        const c = window.notebook.cells.find((x) => x.id === 'sum-1d');
        c.editor.dispatch({ changes: { from: 0, to: c.editor.state.doc.length, insert: text } });
      }, original);
    }
  });

  test('the page loads nothing from outside its server (works offline)', () => {
    const outside = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.ok(requests.length > 10);
    assert.deepEqual(outside, []);
  });
});
