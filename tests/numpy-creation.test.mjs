// daskling's creation functions against numpy: linspace (with and without the end point,
// one element, none, ragged blocks), onesLike / zerosLike / fullLike, and the seeded
// random.normal / random.uniform (their moments, bounds and reproducibility block by
// block — numpy's generator draws other numbers, so values are compared with dask's own
// export on the cluster in tests/dask.test.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { close, fromJson, pyJson, PY_OUT, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

test('linspace equals numpy', async () => {
  const da = env.client.array;
  const cases = [
    [0, 1, 5, true, 2],
    [0, 1, 5, false, 3],
    [-3.5, 12.25, 97, true, 10],
    [2, 2, 4, true, 4],
    [1, 0, 11, false, 4],
    [5, 9, 1, true, 1],
    [5, 9, 0, true, 1],
    [0.1, 0.7, 50, true, undefined],
  ];
  const mine = await env.client.compute(
    ...cases.map(([a, b, n, endpoint, chunks]) => da.linspace(a, b, n, { endpoint, chunks })),
  );
  const want = pyJson(
    `${PY_OUT}
print(json.dumps([out(np.linspace(a, b, n, endpoint=e)) for a, b, n, e, _ in inp]))`,
    cases.map((c) => c.map((v) => v ?? null)),
  );
  cases.forEach((c, i) => {
    assert.deepEqual(mine[i].shape, [c[2]], `linspace ${c}`);
    close(Array.from(mine[i].data), fromJson(want[i]), `linspace ${c}`, 1e-15);
  });
  // A keyword call: num left at numpy's 50.
  assert.deepEqual(da.linspace(0, 1, { chunks: 20 }).chunks, [[20, 20, 10]]);
  assert.throws(() => da.linspace(0, 1, -1), /num must be >= 0/);
});

test('onesLike, zerosLike and fullLike keep the shape and chunks', async () => {
  const da = env.client.array;
  const x = da.random.random([5, 7], { chunks: [2, 3], seed: 1 });
  for (const [y, v] of [[da.onesLike(x), 1], [da.zerosLike(x), 0], [da.fullLike(x, -2.5), -2.5]]) {
    assert.deepEqual(y.chunks, x.chunks);
    const r = await y.compute();
    assert.deepEqual(r.shape, [5, 7]);
    assert.ok(r.data.every((e) => e === v), `all ${v}`);
  }
});

test('random.normal and random.uniform: moments, bounds, reproducible for a seed', async () => {
  const da = env.client.array;
  const n = 200_000;
  const z = da.random.normal([n], { loc: 3, scale: 2, chunks: 30_000, seed: 4 });
  const u = da.random.uniform(-1, 5, [n], { chunks: 30_000, seed: 4 });
  const [zv, uv, again] = await env.client.compute(z, u, da.random.normal([n], { loc: 3, scale: 2, chunks: 30_000, seed: 4 }));
  const stats = (xs) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    return { mean, sd };
  };
  const zs = stats(zv.data);
  // 200,000 draws: standard errors 0.0045 (mean) and 0.0032 (sd) for scale 2.
  assert.ok(Math.abs(zs.mean - 3) < 0.03 && Math.abs(zs.sd - 2) < 0.03, JSON.stringify(zs));
  const within = zv.data.filter((v) => Math.abs(v - 3) < 2).length / n;
  assert.ok(Math.abs(within - 0.6827) < 0.006, `within one sd: ${within}`);
  assert.deepEqual(Array.from(again.data.subarray(0, 100)), Array.from(zv.data.subarray(0, 100)));
  const us = stats(uv.data);
  assert.ok(uv.data.every((v) => v >= -1 && v < 5));
  // Uniform on [-1, 5): mean 2, sd 6 / √12.
  assert.ok(Math.abs(us.mean - 2) < 0.03 && Math.abs(us.sd - 6 / Math.sqrt(12)) < 0.02, JSON.stringify(us));
  assert.throws(() => da.random.normal([3], { scale: -1 }), /scale >= 0/);
  assert.throws(() => da.random.uniform(2, 1, [3]), /low <= high/);
});

test('concatenate and stack equal numpy, chunks unified, errors named', async () => {
  const da = env.client.array;
  const a = da.random.random([4, 5], { chunks: [3, 2], seed: 1 });
  const b = da.random.random([2, 5], { chunks: [2, 5], seed: 2 });
  const c = da.random.random([4, 3], { chunks: [1, 3], seed: 3 });
  const [av, bv, cv, cat0, cat1, st0, st2, st1d] = await env.client.compute(
    a, b, c,
    da.concatenate([a, b, a], { axis: 0 }), da.concatenate([a, c], { axis: -1 }),
    da.stack([a, a.mul(2)]), da.stack([a, a.add(1), a], { axis: 2 }),
    da.stack([da.arange(3), da.arange(3, 6)], { axis: 1 }),
  );
  const want = pyJson(
    `${PY_OUT}
a = np.array(inp['a']).reshape(4, 5); b = np.array(inp['b']).reshape(2, 5); c = np.array(inp['c']).reshape(4, 3)
print(json.dumps([out(np.concatenate([a, b, a], axis=0)), out(np.concatenate([a, c], axis=-1)),
    out(np.stack([a, a * 2])), out(np.stack([a, a + 1, a], axis=2)), out(np.stack([np.arange(3), np.arange(3, 6)], axis=1))]))`,
    { a: Array.from(av.data), b: Array.from(bv.data), c: Array.from(cv.data) },
  );
  const shapes = [[10, 5], [4, 8], [2, 4, 5], [4, 5, 3], [3, 2]];
  [cat0, cat1, st0, st2, st1d].forEach((r, i) => {
    assert.deepEqual(r.shape, shapes[i], `case ${i}`);
    assert.deepEqual(Array.from(r.data), want[i], `case ${i}`);
  });
  assert.deepEqual(da.concatenate([a, b]).chunks, [[3, 1, 2], [2, 2, 1]]);
  assert.throws(() => da.concatenate([a, c]), /concatenate: the arrays' shapes must agree except along the axis/);
  assert.throws(() => da.stack([a, b]), /stack: all input arrays must have the same shape/);
  assert.throws(() => da.concatenate([]), /non-empty array/);
});
