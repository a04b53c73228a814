// daskling's elementwise functions and NaN-skipping reductions against numpy on the same
// data: every unary function on values with NaN, ±inf, ±0, halves (rounding ties) and
// values outside some functions' domains, in ragged blocks; the nan… reductions over
// every axis (negative ones too), a column of NaN only and an empty array.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { close, fromJson, pyJson, PY_OUT, toJson, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 0.5, 1.5, 2.5, -0.5, -2.5, 1, -1, 0.999, 1e-10, 3, 40, -7.25];
/** 7×9 values: the special ones, then a spread of others; column 4 all NaN. */
function values() {
  const out = new Float64Array(63);
  for (let i = 0; i < 63; i++) out[i] = i < SPECIAL.length ? SPECIAL[i] : Math.sin(i * 1.7) * (i % 5) * 3;
  for (let r = 0; r < 7; r++) out[r * 9 + 4] = NaN;
  return out;
}

const UNARY = ['neg', 'abs', 'sqrt', 'exp', 'log', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh',
  'log10', 'log2', 'log1p', 'expm1', 'floor', 'ceil', 'round', 'trunc', 'sign', 'square'];
const NUMPY_NAME = { neg: 'negative', abs: 'abs' };

test('every unary function equals numpy on special values in ragged blocks', async () => {
  const da = env.client.array;
  const data = values();
  const x = da.fromArray(data, { shape: [7, 9], chunks: [[3, 4], [2, 5, 2]] });
  const mine = await env.client.compute(...UNARY.map((f) => x[f]()));
  const want = pyJson(
    `${PY_OUT}
x = np.array(inp['x'], dtype=float).reshape(7, 9)
with np.errstate(all='ignore'):
    print(json.dumps({f: out(getattr(np, inp['names'].get(f, f))(x)) for f in inp['fs']}))`,
    { x: toJson(data), fs: UNARY, names: NUMPY_NAME },
  );
  UNARY.forEach((f, i) => {
    assert.deepEqual(mine[i].shape, [7, 9], f);
    close(Array.from(mine[i].data), fromJson(want[f]), f, 1e-15);
  });
});

const NAN_REDUCE = ['nansum', 'nanmin', 'nanmax', 'nanmean', 'nanvar', 'nanstd'];

test('nan reductions equal numpy over every axis, with a NaN-only column', async () => {
  const da = env.client.array;
  const data = values();
  const x = da.fromArray(data, { shape: [7, 9], chunks: [[3, 4], [2, 5, 2]] });
  const axes = [undefined, 0, 1, -1, [0, 1]];
  const cases = [];
  for (const f of NAN_REDUCE) {
    for (const axis of axes) {
      const ddof = f === 'nanvar' || f === 'nanstd' ? 1 : undefined;
      cases.push({ f, axis, ddof, lazy: x[f]({ axis, ...(ddof ? { ddof } : {}), splitEvery: 2 }) });
    }
  }
  const mine = await env.client.compute(...cases.map((c) => c.lazy));
  const want = pyJson(
    `${PY_OUT}
x = np.array(inp['x'], dtype=float).reshape(7, 9)
res = []
with np.errstate(all='ignore'):
    import warnings
    warnings.simplefilter('ignore')
    for c in inp['cases']:
        kw = {}
        if c.get('axis') is not None:
            kw['axis'] = tuple(c['axis']) if isinstance(c['axis'], list) else c['axis']
        if c.get('ddof'):
            kw['ddof'] = c['ddof']
        res.append(out(getattr(np, c['f'])(x, **kw)))
print(json.dumps(res))`,
    { x: toJson(data), cases: cases.map(({ f, axis, ddof }) => ({ f, axis: axis ?? null, ddof: ddof ?? null })) },
  );
  cases.forEach((c, i) => {
    const got = typeof mine[i] === 'number' ? [mine[i]] : Array.from(mine[i].data);
    close(got, fromJson(want[i]), `${c.f} axis ${JSON.stringify(c.axis)}`, 1e-12);
  });
  // numpy has no identity for the min of nothing: neither has daskling.
  assert.throws(() => da.zeros([0, 3]).nanmin({ axis: 0 }), /zero-size array to reduction operation nanmin/);
  assert.equal(await da.zeros([0]).nansum().compute(), 0);
});

test('maximum, minimum, arctan2, hypot, where and clip equal numpy, broadcasting', async () => {
  const da = env.client.array;
  const data = values();
  const x = da.fromArray(data, { shape: [7, 9], chunks: [[3, 4], [2, 5, 2]] });
  const rowData = Float64Array.from({ length: 9 }, (_, i) => [NaN, 0, -1, 2.5, Infinity, -0, 1, 3, -7.25][i]);
  const row = da.fromArray(rowData, { chunks: [4] });
  const lazies = {
    maximum: x.maximum(row),
    minimum: x.minimum(row),
    arctan2: x.arctan2(row),
    hypot: x.hypot(row),
    maximum_s: x.maximum(0.5),
    arctan2_r: x.arctan2(-2),
    where: da.where(x.gt(1), x, row),
    where_s: da.where(row, 7, x),
    clip: x.clip(-1, 2.5),
    clip_lo: x.clip(0),
    clip_hi: x.clip(null, 0),
  };
  const names = Object.keys(lazies);
  const mine = await env.client.compute(...Object.values(lazies));
  const want = pyJson(
    `${PY_OUT}
x = np.array(inp['x'], dtype=float).reshape(7, 9)
r = np.array(inp['r'], dtype=float)
with np.errstate(all='ignore'):
    print(json.dumps({
        'maximum': out(np.maximum(x, r)), 'minimum': out(np.minimum(x, r)),
        'arctan2': out(np.arctan2(x, r)), 'hypot': out(np.hypot(x, r)),
        'maximum_s': out(np.maximum(x, 0.5)), 'arctan2_r': out(np.arctan2(x, -2)),
        'where': out(np.where(x > 1, x, r)), 'where_s': out(np.where(r, 7, x)),
        'clip': out(np.clip(x, -1, 2.5)), 'clip_lo': out(np.clip(x, 0, None)), 'clip_hi': out(np.clip(x, None, 0)),
    }))`,
    { x: toJson(data), r: toJson(rowData) },
  );
  names.forEach((n, i) => {
    assert.deepEqual(mine[i].shape, [7, 9], n);
    close(Array.from(mine[i].data), fromJson(want[n]), n, 1e-15);
  });
  assert.throws(() => da.where(x, row, da.ones([4])), /broadcast/);
  assert.throws(() => da.where(x, 'a', 1), /where: a must be a number or a daskling array/);
});

test('cumsum, cumprod and their nan forms equal numpy along each axis, across blocks', async () => {
  const da = env.client.array;
  const data = values().map((v) => (Number.isFinite(v) || Number.isNaN(v) ? v / 4 : v));
  const x = da.fromArray(data, { shape: [7, 9], chunks: [[3, 1, 3], [2, 5, 2]] });
  const cases = [];
  for (const f of ['cumsum', 'cumprod', 'nancumsum', 'nancumprod']) {
    for (const axis of [0, 1, -1]) cases.push({ f, axis, lazy: x[f]({ axis }) });
  }
  const line = da.fromArray(Float64Array.from({ length: 23 }, (_, i) => ((i * 7) % 5) - 1.5), { chunks: [4] });
  cases.push({ f: 'cumsum', axis: null, lazy: line.cumsum(), line: true });
  const mine = await env.client.compute(...cases.map((c) => c.lazy));
  const want = pyJson(
    `${PY_OUT}
x = np.array(inp['x'], dtype=float).reshape(7, 9)
line = np.array([((i * 7) % 5) - 1.5 for i in range(23)])
with np.errstate(all='ignore'):
    print(json.dumps([out(getattr(np, c['f'])(line) if c['line'] else getattr(np, c['f'])(x, axis=c['axis'])) for c in inp['cases']]))`,
    { x: toJson(data), cases: cases.map(({ f, axis, line }) => ({ f, axis, line: Boolean(line) })) },
  );
  cases.forEach((c, i) => close(Array.from(mine[i].data), fromJson(want[i]), `${c.f} axis ${c.axis}`, 1e-12));
  assert.throws(() => x.cumsum(), /cumsum: give an axis for a 2-d array/);
  assert.throws(() => x.cumprod({ axis: 2 }), /axis 2 is out of bounds/);
});

test('argmin, argmax, any and all equal numpy: ties, NaN, every axis, flattened', async () => {
  const da = env.client.array;
  // Ties (repeated 5s), a NaN in row 2, zeros for any/all.
  const data = Float64Array.from({ length: 6 * 7 }, (_, i) => (i === 17 ? NaN : i % 9 === 0 ? 0 : ((i * 5) % 11) % 6));
  const x = da.fromArray(data, { shape: [6, 7], chunks: [[2, 1, 3], [3, 4]] });
  const clean = da.fromArray(data.map((v) => (Number.isNaN(v) ? 1 : v)), { shape: [6, 7], chunks: [4, 2] });
  const cases = [];
  for (const [name, arr] of [['x', x], ['clean', clean]]) {
    for (const f of ['argmin', 'argmax', 'any', 'all']) {
      for (const axis of [undefined, 0, 1, -2]) cases.push({ name, f, axis, lazy: arr[f]({ axis }) });
    }
  }
  const mine = await env.client.compute(...cases.map((c) => c.lazy));
  const want = pyJson(
    `${PY_OUT}
x = np.array(inp['x'], dtype=float).reshape(6, 7)
arrs = {'x': x, 'clean': np.where(np.isnan(x), 1.0, x)}
print(json.dumps([out(getattr(np, c['f'])(arrs[c['name']], axis=c['axis'])) for c in inp['cases']]))`,
    { x: toJson(data), cases: cases.map(({ name, f, axis }) => ({ name, f, axis: axis ?? null })) },
  );
  cases.forEach((c, i) => {
    const got = typeof mine[i] === 'number' ? [mine[i]] : Array.from(mine[i].data);
    assert.deepEqual(got, fromJson(want[i]), `${c.f} of ${c.name}, axis ${c.axis}`);
  });
  assert.throws(() => da.zeros([0, 3]).argmax({ axis: 0 }), /argmax: attempt to get argmax of an empty sequence/);
  assert.equal(await da.zeros([0]).all().compute(), 1);
});
