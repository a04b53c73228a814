// Arrays through the JS Client in Chromium on a >= 2-thread pool: the workshop's
// expressions against their closed forms, and random 2000 x 2000 cases against the
// native build (`daskling eval` on the same serialized expressions).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { usingWorkshopPage } from './browser.mjs';

const root = join(import.meta.dirname, '..');
const NATIVE = join(root, 'target', 'release', 'daskling');

const session = usingWorkshopPage();

/** Runs `fn` in the page with the client as `c`. */
const inPage = (fn, arg) => session.inPage(fn, arg);

function native(json) {
  assert.ok(existsSync(NATIVE), `${NATIVE} is missing: cargo build --release --bin daskling`);
  const r = spawnSync(NATIVE, ['eval'], { input: json, maxBuffer: 1 << 28, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function assertClose(got, want, rel, what) {
  if (typeof want === 'number') {
    assert.equal(typeof got, 'number', `${what}: ${got}`);
    assert.ok(Math.abs(got - want) <= rel * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
    return;
  }
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const scale = want.data.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  want.data.forEach((w, i) => {
    assert.ok(Math.abs(got.data[i] - w) <= rel * scale, `${what}[${i}]: ${got.data[i]} vs ${w}`);
  });
}

describe('arrays in the browser', () => {
  test('the pool has at least two threads', async () => {
    const { mode, threads } = await inPage((c) => ({ mode: c.mode, threads: c.threads }));
    assert.equal(mode, 'threads');
    assert.ok(threads >= 2, `threads = ${threads}`);
  });

  test("the workshop's array expressions give their closed forms", async () => {
    const out = await inPage(async (c) => {
      const a = c.array;
      const x = a.ones([15, 15], { chunks: [5, 5] });
      const y = x.dot(x.T.add(1));
      const z = y.sub(x.mean());
      const progress = [];
      const [s1, cols, xxt, yv, zv, zstd] = await c.compute(
        a.ones([15], { chunks: [5] }).sum(),
        x.sum({ axis: 0 }),
        x.add(x.T),
        y,
        z,
        z.std(),
        { onProgress: (p) => progress.push(p) },
      );
      const fused = await x.add(1).mul(2).sqrt().graph();
      const m = a.fromArray([[1, 2], [3, 4]], { chunks: [1, 2] });
      const mm = await m.matmul(m.T).compute();
      const ar = await a.arange(0, 100, 1, { chunks: 7 }).var({ ddof: 1 }).compute();
      const sl = await a.arange(10, { chunks: 3 }).slice([[null, null, -3]]).compute();
      const uniq = (arr) => [...new Set(Array.from(arr))];
      return {
        s1,
        chunks: x.chunks,
        cols: uniq(cols.data),
        xxt: uniq(xxt.data),
        y: { shape: yv.shape, values: uniq(yv.data) },
        z: uniq(zv.data),
        zstd,
        lastProgress: progress.at(-1),
        fusedNodes: fused.nodes.length,
        fusedLabels: fused.nodes.map((n) => n.label),
        mm: Array.from(mm.data),
        ar,
        sl: Array.from(sl.data),
      };
    });
    assert.equal(out.s1, 15);
    assert.deepEqual(out.chunks, [[5, 5, 5], [5, 5, 5]]);
    assert.deepEqual(out.cols, [15]);
    assert.deepEqual(out.xxt, [2]);
    assert.deepEqual(out.y, { shape: [15, 15], values: [30] });
    assert.deepEqual(out.z, [29]);
    assert.equal(out.zstd, 0);
    assert.equal(out.lastProgress.done, out.lastProgress.total);
    // x.add(1).mul(2).sqrt(): one fused task per block (9) and the assembly.
    assert.equal(out.fusedNodes, 10, out.fusedLabels.join(', '));
    assert.deepEqual(out.mm, [5, 11, 11, 25]);
    assert.equal(out.ar, (100 * 101) / 12);
    assert.deepEqual(out.sl, [9, 6, 3, 0]);
  });

  test('persist keeps blocks in the worker: same name, no recomputation', async () => {
    const out = await inPage(async (c) => {
      const x = c.array.random.random([300, 200], { chunks: [100, 100], seed: 5 });
      const before = await x.mean().compute();
      const p = await x.persist();
      const g = await p.mean().graph();
      return {
        sameName: p.name === x.name,
        chunks: p.chunks,
        before,
        after: await p.mean().compute(),
        kinds: [...new Set(g.nodes.map((n) => n.kind))],
      };
    });
    assert.ok(out.sameName);
    assert.deepEqual(out.chunks, [[100, 100, 100], [100, 100]]);
    assert.equal(out.after, out.before);
    assert.ok(!out.kinds.includes('random_sample'), out.kinds.join(', '));
  });

  test('bad calls are clear errors and the client keeps working', async () => {
    const out = await inPage(async (c) => {
      const a = c.array;
      const errs = [];
      const x = a.ones([20, 20], { chunks: [10, 10] });
      for (const f of [
        () => x.add(a.ones([3])),
        () => x.dot(a.ones([7])),
        () => a.linalg.svd(x),
        () => x.slice([25]),
        () => x.sum({ axis: 2 }),
        () => a.fromArray([[1, 2], [3]]),
      ]) {
        try {
          f();
          errs.push(null);
        } catch (e) {
          errs.push(e.message);
        }
      }
      const after = await x.sum().compute();
      return { errs, after };
    });
    assert.match(out.errs[0], /could not be broadcast/);
    assert.match(out.errs[1], /not aligned/);
    assert.match(out.errs[2], /svdCompressed/);
    assert.match(out.errs[3], /out of bounds/);
    assert.match(out.errs[4], /out of bounds/);
    assert.match(out.errs[5], /not rectangular/);
    assert.equal(out.after, 400);
  });

  test('both threaded modules (relaxed SIMD and not) give the textbook products', async () => {
    // x (90 x 70, integers -5..5) in blocks of 20 x 15: the shared axis has 5 blocks, so
    // each product is partial products summed; x.dot(x.T) is symmetric (SYRK blocks).
    // Small integers: every product and sum is exact, fused or not, so the results must
    // equal plain loops exactly; y adds fractions, within rounding.
    const [m, k] = [90, 70];
    const x = Array.from({ length: m * k }, (_, i) => ((i * 7919) % 11) - 5);
    const y = x.map((v, i) => v / 3 + i / 1000);
    const textbook = (a, b, n) => {
      // a: m x k, b: n x k (rows); returns a · bᵀ (m x n).
      const out = new Float64Array(m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let l = 0; l < k; l++) s += a[i * k + l] * b[j * k + l];
          out[i * n + j] = s;
        }
      }
      return out;
    };
    const run = (relaxedSimd) =>
      inPage(
        async (c, { x, y, m, k, relaxedSimd }) => {
          const client = await c.constructor.start({ threads: 2, relaxedSimd });
          try {
            const xa = client.array.fromArray(new Float64Array(x), { shape: [m, k], chunks: [20, 15] });
            const ya = client.array.fromArray(new Float64Array(y), { shape: [m, k], chunks: [20, 15] });
            const [xx, xy, yy] = await client.compute(xa.dot(xa.T), xa.dot(ya.T), ya.dot(ya.T));
            return { simd: client.simd, mode: client.mode, out: [xx, xy, yy].map((r) => Array.from(r.data)) };
          } finally {
            await client.close();
          }
        },
        { x, y, m, k, relaxedSimd },
      );
    const want = [textbook(x, x, m), textbook(x, y, m), textbook(y, y, m)];
    for (const [relaxedSimd, simd] of [
      [true, 'relaxed'],
      [false, 'simd128'],
    ]) {
      const got = await run(relaxedSimd);
      assert.equal(got.mode, 'threads');
      assert.equal(got.simd, simd, `relaxedSimd: ${relaxedSimd}`);
      assert.deepEqual(got.out[0], Array.from(want[0]), `${simd}: x.dot(x.T) exactly`);
      for (const [r, w, what] of [
        [got.out[1], want[1], 'x.dot(y.T)'],
        [got.out[2], want[2], 'y.dot(y.T)'],
      ]) {
        w.forEach((v, i) => assert.ok(Math.abs(r[i] - v) <= 1e-12 * Math.max(1, Math.abs(v)), `${simd} ${what}[${i}]: ${r[i]} vs ${v}`));
      }
    }
  });

  test('random 2000 x 2000 expressions and an SVD equal the native results', async () => {
    const out = await inPage(async (c) => {
      const a = c.array;
      const x = a.random.random([2000, 2000], { chunks: [500, 500], seed: 42 });
      const tall = a.random.random([3000, 20], { chunks: [500, 20], seed: 7 });
      const exprs = [
        x.add(x.T).sum({ axis: 0 }),
        x.dot(x.T).mean(),
        x.std(),
        x.slice([[10, 1990, 3], 7]).max(),
        x.sub(x.mean({ axis: 0 })).var({ axis: 1, ddof: 1 }),
        a.linalg.svd(tall)[1],
        x.sum(),
      ];
      const results = await c.compute(...exprs);
      // The whole array comes back as one Float64Array.
      const whole = await x.compute();
      let sum = 0;
      for (const v of whole.data) sum += v;
      const mod = await import('/dist/single/daskling.js');
      const b = new mod.ExprBuilder();
      for (const e of exprs) b.addArray(e._handle());
      const { json } = b.finish();
      b.free();
      const plain = (r) => (typeof r === 'number' ? r : { shape: r.shape, data: Array.from(r.data) });
      return {
        results: results.map(plain),
        json,
        whole: { shape: whole.shape, length: whole.data.length, isF64: whole.data instanceof Float64Array, sum },
      };
    });
    const want = native(out.json);
    const names = ['x + x.T sum axis 0', 'x.dot(x.T).mean()', 'x.std()', 'slice max', 'centered var', 'svd s', 'x.sum()'];
    want.forEach((w, i) => assertClose(out.results[i], w, 1e-10, names[i]));
    assert.deepEqual(out.whole.shape, [2000, 2000]);
    assert.equal(out.whole.length, 4_000_000);
    assert.ok(out.whole.isF64);
    assertClose(out.whole.sum, want[6], 1e-10, 'sum of the whole array');
    // Sanity against closed forms of U(0, 1): mean 1/2, std 1/sqrt(12).
    assert.ok(Math.abs(want[2] - 1 / Math.sqrt(12)) < 1e-3);
  });
});

describe('sample data in the browser', () => {
  test('generateSample gives the workshop layout, equal to the native generator', async () => {
    const files = await session.page.evaluate(async () => {
      const { generateSample } = await import('/dist/index.js');
      const fs = await generateSample({ tickers: ['hp'], days: 2, seed: 5 });
      return fs.map((f) => ({ name: f.name, text: new TextDecoder().decode(f.data) }));
    });
    assert.deepEqual(
      files.map((f) => f.name),
      ['minute/hp/2012-05-01.csv', 'minute/hp/2012-05-02.csv'],
    );
    const dir = join(root, 'target', `sample-${process.pid}`);
    const r = spawnSync(NATIVE, ['generate', '--out', dir, '--tickers', 'hp', '--days', '2', '--seed', '5'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    for (const f of files) assert.equal(f.text, readFileSync(join(dir, f.name), 'utf8'));
    rmSync(dir, { recursive: true, force: true });
  });
});
