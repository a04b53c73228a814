// mapBlocks: a JavaScript function on every block in the function workers, against
// numpy computing the same on the same data: the shape kept (answers as {shape, data}
// or the values alone, extra arguments), other chunks declared (a reduction per block),
// and the errors — a wrong shape, a throwing function — after which the client goes on.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { close, pyJson, PY_OUT, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

test('mapBlocks equals numpy: same shape, values alone with args, declared chunks', async () => {
  const da = env.client.array;
  const x = da.random.random([7, 9], { chunks: [[3, 4], [2, 5, 2]], seed: 3 });
  const square = (b) => ({ shape: b.shape, data: b.data.map((v) => v * v + 1) });
  const scaled = (b, k, shift) => Array.from(b.data, (v) => v * k + shift);
  // Column sums of each block: one row per block.
  const colSums = (b) => {
    const [r, c] = b.shape;
    const out = new Float64Array(c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j] += b.data[i * c + j];
    return { shape: [1, c], data: out };
  };
  const [xv, sq, sc, sums] = await env.client.compute(
    x, x.mapBlocks(square), x.mapBlocks(scaled, { args: [3, -1] }), x.mapBlocks(colSums, { chunks: [[1, 1], [2, 5, 2]] }),
  );
  assert.deepEqual(sums.shape, [2, 9]);
  const want = pyJson(
    `${PY_OUT}
x = np.array(inp['x']).reshape(7, 9)
sums = np.vstack([x[:3].sum(axis=0), x[3:].sum(axis=0)])
print(json.dumps([out(x * x + 1), out(x * 3 - 1), out(sums)]))`,
    { x: Array.from(xv.data) },
  );
  close(Array.from(sq.data), want[0], 'square', 1e-15);
  close(Array.from(sc.data), want[1], 'scaled', 1e-15);
  close(Array.from(sums.data), want[2], 'block column sums', 1e-14);
});

test('mapBlocks errors name the function and the block, and the client goes on', async () => {
  const da = env.client.array;
  const x = da.ones([4, 4], { chunks: 2 });
  const wrong = (b) => ({ shape: [1], data: [b.data[0]] });
  await assert.rejects(x.mapBlocks(wrong).compute(), /mapBlocks: wrong on block \[\d, \d\]: returned shape \[1\] with 1 values, where the block is \[2, 2\]/);
  const boom = () => {
    throw new Error('no block for you');
  };
  await assert.rejects(x.mapBlocks(boom).compute(), /boom.*no block for you/s);
  assert.throws(() => x.mapBlocks((b) => b, { chunks: [[4], [2, 2]] }), /one block per input block/);
  assert.equal(await x.sum().compute(), 16);
});

/** A 3×3 mean over the neighbours a block has (fewer at its own border). */
function mean3(b) {
  const [r, c] = b.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let s = 0;
      let n = 0;
      for (let di = -1; di <= 1; di++) {
        for (let dj = -1; dj <= 1; dj++) {
          const [y, x] = [i + di, j + dj];
          if (y >= 0 && y < r && x >= 0 && x < c) {
            s += b.data[y * c + x];
            n += 1;
          }
        }
      }
      out[i * c + j] = s / n;
    }
  }
  return { shape: b.shape, data: out };
}

test('mapOverlap of a 3×3 mean equals numpy on the padded array, for every boundary', async () => {
  const da = env.client.array;
  const x = da.random.random([9, 11], { chunks: [[2, 4, 3], [5, 3, 3]], seed: 7 });
  const bounds = ['reflect', 'nearest', 'periodic', -2, 'none'];
  const mine = await env.client.compute(x, ...bounds.map((boundary) => x.mapOverlap(mean3, { depth: 1, boundary })));
  const want = pyJson(
    `${PY_OUT}
x = np.array(inp['x']).reshape(9, 11)
def mean3(p):
    return sum(p[1 + di:p.shape[0] - 1 + di, 1 + dj:p.shape[1] - 1 + dj] for di in (-1, 0, 1) for dj in (-1, 0, 1)) / 9
modes = {'reflect': dict(mode='symmetric'), 'nearest': dict(mode='edge'), 'periodic': dict(mode='wrap'), '-2': dict(mode='constant', constant_values=-2)}
res = [out(mean3(np.pad(x, 1, **modes[str(b)]))) for b in inp['bounds'][:4]]
# none: nothing beyond the edge, so the edge cells average the neighbours they have.
counts = mean3(np.pad(np.ones_like(x), 1, mode='constant')) * 9
res.append(out(mean3(np.pad(x, 1, mode='constant')) * 9 / counts))
print(json.dumps(res))`,
    { x: Array.from(mine[0].data), bounds },
  );
  bounds.forEach((b, i) => {
    assert.deepEqual(mine[i + 1].shape, [9, 11]);
    close(Array.from(mine[i + 1].data), want[i], `mapOverlap boundary ${b}`, 1e-14);
  });
  // Per-axis depth: only along the rows.
  const rows = await x.mapOverlap(mean3, { depth: [1, 0], boundary: 'nearest' }).compute();
  assert.deepEqual(rows.shape, [9, 11]);
  assert.throws(() => x.mapOverlap(mean3, { depth: 3 }), /depth 3 along axis 0 is larger than a block there \(2\)/);
  assert.throws(() => x.mapOverlap(mean3, { boundary: 'mirror' }), /boundary must be/);
});
