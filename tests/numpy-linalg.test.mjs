// daskling's blocked linear algebra against numpy.linalg on the same data: cholesky,
// solve (vector and matrix right-hand sides), inv, eye and svd of one block, each on
// one block, regular blocks and ragged blocks; the errors, after which the client goes on.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { close, pyJson, PY_OUT, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

/** A seeded n×m matrix of values in [-1, 1) (a linear congruential sequence). */
function matrix(n, m, seed) {
  let s = seed >>> 0;
  return Float64Array.from({ length: n * m }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** numpy's answers for the cases: `inp.a` (n×n), `inp.b` (n×k), `inp.v` (n). */
function numpy(n, k, a, b, v) {
  return pyJson(
    `${PY_OUT}
n, k = inp['n'], inp['k']
a = np.array(inp['a']).reshape(n, n)
b = np.array(inp['b']).reshape(n, k)
v = np.array(inp['v'])
spd = a @ a.T + n * np.eye(n)
print(json.dumps({
  'chol': out(np.linalg.cholesky(spd)),
  'solve': out(np.linalg.solve(a, b)),
  'solvev': out(np.linalg.solve(a, v)),
  'inv': out(np.linalg.inv(a)),
  'eye': out(np.eye(n, n + 2, k=1)),
  'sv': out(np.linalg.svd(spd, compute_uv=False)),
}))`,
    { n, k, a: Array.from(a), b: Array.from(b), v: Array.from(v) },
  );
}

test('cholesky, solve, inv and eye equal numpy on one, regular and ragged blocks', async () => {
  const da = env.client.array;
  const n = 37;
  const a = matrix(n, n, 7);
  const b = matrix(n, 3, 11);
  const v = matrix(n, 1, 13);
  const want = numpy(n, 3, a, b, v);
  for (const chunks of [[n, n], [10, 10], [[5, 20, 12], [5, 20, 12]]]) {
    const A = da.fromArray(a, { shape: [n, n], chunks });
    const spd = A.dot(A.T).add(da.eye(n, { chunks: Array.isArray(chunks[0]) ? chunks : chunks[0] }).mul(n));
    const B = da.fromArray(b, { shape: [n, 3], chunks: [8, 2] });
    const V = da.fromArray(v, { chunks: [n] });
    const [chol, x, xv, inv, eye] = await env.client.compute(
      da.linalg.cholesky(spd), da.linalg.solve(A, B), da.linalg.solve(A, V), da.linalg.inv(A), da.eye(n, { M: n + 2, k: 1, chunks: 9 }),
    );
    const what = `chunks ${JSON.stringify(chunks)}`;
    close(chol.data, want.chol, `cholesky, ${what}`, 1e-10);
    assert.deepEqual(x.shape, [n, 3]);
    close(x.data, want.solve, `solve, ${what}`, 1e-8);
    assert.deepEqual(xv.shape, [n]);
    close(xv.data, want.solvev, `solve of a vector, ${what}`, 1e-8);
    close(inv.data, want.inv, `inv, ${what}`, 1e-8);
    assert.deepEqual(Array.from(eye.data), want.eye, 'eye');
  }
  // A one-block SVD goes straight to the factorization.
  const A = da.fromArray(a, { shape: [n, n] });
  const s = await da.linalg.svd(A.dot(A.T).add(da.eye(n).mul(n)))[1].compute();
  close(s.data, want.sv, 'singular values of one block', 1e-10);
});

test('linalg errors name the problem, and the client goes on', async () => {
  const da = env.client.array;
  const rect = da.ones([4, 3], { chunks: 2 });
  assert.throws(() => da.linalg.cholesky(rect), /cholesky needs a square 2-d array, got shape \[4, 3\]/);
  assert.throws(() => da.linalg.inv(da.ones([4, 4], { chunks: [2, 4] })), /square blocks.*rechunk/);
  assert.throws(() => da.linalg.solve(da.ones([4, 4], { chunks: 2 }), da.ones([3])), /b must be 1-d or 2-d with 4 rows/);
  await assert.rejects(da.linalg.cholesky(da.full([3, 3], -1)).compute(), /not positive definite/);
  await assert.rejects(da.linalg.inv(da.ones([3, 3])).compute(), /singular/);
  assert.equal(await da.ones([3]).sum().compute(), 3);
});

test('norm equals numpy: vector and matrix orders, axes, a batch of matrices', async () => {
  const da = env.client.array;
  const m = matrix(6, 5, 21);
  const A = da.fromArray(m, { shape: [6, 5], chunks: [4, 5] });
  const v = da.fromArray(m.subarray(0, 11), { chunks: [4] });
  const cube = da.fromArray(matrix(3, 8, 5), { shape: [3, 4, 2], chunks: [2, 3, 2] });
  const cases = [
    ['v', null, null], ['v', 1, null], ['v', 3, null], ['v', 0, null], ['v', Infinity, null], ['v', -Infinity, null], ['v', 0.5, null],
    ['a', null, null], ['a', 'fro', null], ['a', 'nuc', null], ['a', 1, null], ['a', -1, null], ['a', 2, null], ['a', -2, null],
    ['a', Infinity, null], ['a', -Infinity, null], ['a', null, 1], ['a', 1, 0], ['a', 1, [1, 0]],
    ['c', null, null], ['c', 'fro', [0, 2]], ['c', 1, [2, 0]], ['c', Infinity, [0, 1]], ['c', 2, 1],
  ];
  const arrays = { v, a: A, c: cube };
  const mine = await env.client.compute(...cases.map(([x, ord, axis]) => da.linalg.norm(arrays[x], { ord: ord ?? undefined, axis: axis ?? undefined })));
  const want = pyJson(
    `${PY_OUT}
m = np.array(inp['m']).reshape(6, 5)
arrs = {'v': m.ravel()[:11], 'a': m, 'c': np.array(inp['c']).reshape(3, 4, 2)}
def o(x):
    return {'inf': np.inf, '-inf': -np.inf}.get(x, x) if isinstance(x, str) else x
res = []
for x, ord, axis in inp['cases']:
    res.append(out(np.linalg.norm(arrs[x], ord=o(ord), axis=tuple(axis) if isinstance(axis, list) else axis)))
print(json.dumps(res))`,
    {
      m: Array.from(m),
      c: Array.from(matrix(3, 8, 5)),
      cases: cases.map(([x, ord, axis]) => [x, ord === Infinity ? 'inf' : ord === -Infinity ? '-inf' : ord, axis]),
    },
  );
  cases.forEach((c, i) => {
    const got = typeof mine[i] === 'number' ? [mine[i]] : Array.from(mine[i].data);
    close(got, want[i], `norm ${JSON.stringify(c)}`, 1e-12);
  });
  assert.throws(() => da.linalg.norm(A, { ord: 3 }), /invalid norm order 3 for matrices/);
  assert.throws(() => da.linalg.norm(v, { ord: 'fro' }), /matrix norms/);
  assert.throws(() => da.linalg.norm(A, { ord: 'max' }), /ord must be a number, 'fro' or 'nuc'/);
});
