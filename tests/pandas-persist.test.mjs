// df.persist() and s.persist(): partitions computed once and kept by the kernel, as
// dask's persist — later computes start from them (the files are not read again), the
// index and its divisions stay, and the answers equal pandas'.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';

import { write, usingPandas, pyJson } from './pandas-helpers.mjs';

const env = usingPandas();

test('a persisted frame is computed once: later computes do not read its files', async () => {
  const files = {
    'a.csv': 'k,v,s\n1,2.5,x\n2,,y\n3,-1,\n',
    'b.csv': 'k,v,s\n4,8,z\n',
    'c.csv': 'k,v,s\n5,0.5,x\n6,3,y\n',
  };
  const paths = write(files);
  const want = pyJson(
    `df = pd.concat([pd.read_csv(p) for p in inp], ignore_index=True)\nf = df[df.k > 1]\n` +
      `print(json.dumps({'sum': float(f.v.sum()), 'count': int(f.s.count()), 'ks': f.k.tolist(), 'max': float(f.v.max())}))`,
    paths,
  );
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  const kept = df.filter(df.col('k').gt(1));
  const p = await kept.persist();
  assert.deepEqual([p.npartitions, p.columns, p.dtypes], [kept.npartitions, kept.columns, kept.dtypes]);
  const v = await p.col('v').persist();
  // The files go: the persisted values are all later computes need.
  for (const path of paths) rmSync(path);
  const [sum, count, all, max] = await env.client.compute(p.col('v').sum(), p.col('s').count(), p, v.max());
  assert.equal(sum, want.sum);
  assert.equal(count, want.count);
  assert.deepEqual(Array.from(all.data.k), want.ks);
  assert.equal(max, want.max);
  await assert.rejects(df.col('v').sum().compute(), /a\.csv/);
  // persist twice is the same data.
  const again = await p.persist();
  assert.equal(await again.len().compute(), want.ks.length);
});

test('a persisted indexed frame keeps its index and divisions; loc reads only its partitions', async () => {
  const day = (d) => `2024-01-0${d}`;
  const files = Object.fromEntries([1, 2, 3].map((d) => [`${day(d)}.csv`, `t,v\n${day(d)} 09:00,${d}\n${day(d)} 17:30,${d * 10}\n`]));
  const paths = write(files);
  const df = await env.client.dataframe.readCsv(paths, { parseDates: ['t'], blocksize: 0 });
  const ix = await df.setIndex('t', { sorted: true });
  const p = await ix.persist();
  assert.deepEqual(p.divisions, ix.divisions);
  for (const path of paths) rmSync(path);
  const [r] = await env.client.compute(p.loc(day(2), day(3)));
  assert.deepEqual(Array.from(r.index), [Date.parse(`${day(2)}T09:00Z`), Date.parse(`${day(2)}T17:30Z`), Date.parse(`${day(3)}T09:00Z`), Date.parse(`${day(3)}T17:30Z`)]);
  assert.deepEqual(Array.from(r.data.v), [2, 20, 3, 30]);
  // A partition holds its division up to the next one: day 2 from 09:00 is partition 1 alone.
  assert.equal(p.loc(`${day(2)} 09:00`, day(2)).npartitions, 1);
  assert.equal(p.loc(day(2), day(2)).npartitions, 2);
});

test('persist within the memory limit: too large is a clear error, and the client goes on', async () => {
  const { Client } = await import('../dist/node.js');
  const small = await Client.start({ threads: 2, memoryLimit: 150_000 });
  try {
    const n = 5_000; // 80 kB held, 120 kB more when persisted
    const frame = small.dataframe.fromColumns({ x: Float64Array.from({ length: n }, (_, i) => i), y: Float64Array.from({ length: n }, (_, i) => -i) }, { npartitions: 4 });
    await assert.rejects(frame.assign({ z: frame.col('x').add(1) }).persist(), /over the memory limit of 150/);
    assert.equal(await small.array.ones([15], { chunks: [5] }).sum().compute(), 15);
  } finally {
    await small.close();
  }
});
