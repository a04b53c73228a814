// daskling against pandas: user functions on partitions (mapPartitions, apply) run in
// the function workers — row-wise functions give what pandas gives on the whole frame;
// bad answers are errors naming the function, the partition and the column, and the
// client goes on.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { write, pandasCases, ours, usingPandas, close, fromJson } from './pandas-helpers.mjs';

const env = usingPandas();

test('mapPartitions and apply equal the pandas computation they stand for', async () => {
  const rows = Array.from({ length: 150 }, (_, j) => {
    const f = j % 11 === 4 ? '' : String(((j * 37) % 23) / 4 - 2);
    const s = j % 7 === 3 ? '' : ['ab', 'b', 'cde'][j % 3];
    return `${(j * 13) % 17},${f},${s},2024-01-${String(1 + (j % 28)).padStart(2, '0')} 10:00:00`;
  });
  const [path] = write({ 'a.csv': `i,f,s,t\n${rows.join('\n')}\n` });
  const df = await env.client.dataframe.readCsv(path, { blocksize: 400, parseDates: ['t'] });
  assert.ok(df.npartitions > 5, `${df.npartitions} partitions`);
  // A Table in, an object of columns out (new and kept columns; rows filtered).
  const grow = df.mapPartitions(
    (t, k) => {
      const keep = [];
      for (let r = 0; r < t.length; r++) if (t.data.i[r] % 2 === 0) keep.push(r);
      return {
        i: keep.map((r) => t.data.i[r]),
        z: keep.map((r) => t.data.f[r] * k + t.data.i[r]),
        s: keep.map((r) => t.data.s[r]),
        t: keep.map((r) => t.data.t[r]),
      };
    },
    { meta: { i: 'int64', z: 'float64', s: 'string', t: 'datetime' }, args: [3] },
  );
  // The Table back as it came: every dtype round-trips.
  const same = df.mapPartitions((t) => t);
  // A Column in, a Column out; and one number per partition.
  const lens = df.col('s').mapPartitions((c) => ({ values: c.values.map((v) => (v === null ? null : v.length)) }), { meta: ['s', 'float64'] });
  const counts = df.mapPartitions((t) => t.length, { meta: ['n', 'int64'] });
  const squared = df.col('f').apply((x) => x * x);
  const long = df.col('s').apply((x) => x !== null && x.length > 1, { meta: 'bool' });
  const got = await env.client.compute(grow, same, lens, counts, squared, long, df.len());
  const codes = [
    "df[df.i % 2 == 0].assign(z=lambda d: d.f * 3 + d.i)[['i', 'z', 's', 't']]",
    'df',
    'df.s.str.len()',
    'df.f ** 2',
  ];
  const want = pandasCases(path, codes, { parse_dates: ['t'] });
  for (const [k, g] of [[codes[0], got[0]], [codes[1], got[1]]]) {
    const o = ours(g);
    assert.deepEqual(o.columns, want[k].columns, k);
    assert.deepEqual(o.dtypes, want[k].dtypes.map((t) => (t.startsWith('datetime64') ? 'datetime' : t)), k);
    assert.deepEqual(o.data, want[k].data, k);
  }
  for (const [k, g] of [[codes[2], got[2]], [codes[3], got[4]]]) {
    const o = ours(g);
    close(o.values.map((x) => x ?? NaN), fromJson(want[k].values.map((x) => x ?? 'nan')), k);
  }
  // One number per partition: the partitions' lengths add up to the rows.
  assert.equal(got[3].values.length, df.npartitions);
  assert.equal(got[3].values.reduce((a, b) => a + b, 0), got[6]);
  const longWant = want[codes[2]].values.map((n) => n !== null && n > 1);
  assert.deepEqual(Array.from(got[5].values, (v) => v === 1), longWant);
});

test('mapPartitions errors name the function, the partition and the column; the client goes on', async () => {
  const [path] = write({ 'a.csv': 'i,f\n1,2.5\n2,\n3,4.5\n' });
  const df = await env.client.dataframe.readCsv(path);
  const fails = async (lazy, re) => assert.rejects(lazy.compute(), re);
  await fails(df.mapPartitions(function toNumber() { return 5; }), /mapPartitions: toNumber on partition 0: returned a number, where a DataFrame/);
  await fails(df.mapPartitions((t) => ({ i: t.data.i }), { meta: { i: 'int64', g: 'float64' } }), /returned no column g/);
  await fails(df.mapPartitions((t) => ({ i: t.data.i, x: [1, 2, 3] })), /returned a column x that meta does not declare/);
  await fails(df.mapPartitions((t) => ({ i: [1, NaN, 3], f: t.data.f })), /value 1 is missing, which an int64 column cannot hold \(declare float64\) \(column i\)/);
  await fails(df.mapPartitions(() => ({ i: [1], f: [1, 2] })), /its columns differ in length/);
  await fails(df.mapPartitions(function boom() { throw new Error('no good'); }), /boom threw: no good/);
  assert.throws(() => df.mapPartitions((t) => t, { meta: 5 }), /meta must be \{column: dtype\}/);
  assert.throws(() => df.mapPartitions((t) => t, { meta: { i: 'int32' } }), /unknown Dtype 'int32'/);
  assert.throws(() => df.mapPartitions(Math.max), /built-in or bound function/);
  assert.equal(await df.col('i').sum().compute(), 6);
});
