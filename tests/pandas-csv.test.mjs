// daskling's readCsv against pandas' read_csv on files as they come (issue "CSV files as
// they come"): header names as pandas makes them (`Unnamed: N`, `a.1` past names the
// header has, spaces kept), short rows padded with missing values, a header without rows,
// bools as pandas infers them — each file read whole and split into blocks, values and
// dtypes compared.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { csvSameAsPandas as sameAsPandas, write, pandasRead, plain, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

test('header names as pandas makes them: Unnamed: N, duplicates mangled past names the header has, spaces kept', async () => {
  const rows = (n) => Array.from({ length: n }, (_, i) => [i, i * 2, i % 3, i + 0.5, -i, i * 7].join(',')).join('\n');
  await sameAsPandas('names.csv', ` a,,a,a.1,a,\n${rows(12)}\n`);
  await sameAsPandas('twice.csv', `a,a,a.1\n${rows(8).split('\n').map((r) => r.split(',').slice(0, 3).join(',')).join('\n')}\n`);
  await sameAsPandas('spaces.csv', `x , y,\tz\n1,2,3\n4,5,6\n`);
});

test('short rows are padded with missing values (int columns become float64), as pandas', async () => {
  const lines = ['k,v,s,b'];
  for (let i = 0; i < 20; i++) {
    const full = `${i},${i * 1.5},w${i % 4},${i % 2 ? 'True' : 'False'}`;
    lines.push(i % 5 === 3 ? full.split(',').slice(0, 1 + (i % 3)).join(',') : full);
  }
  await sameAsPandas('short.csv', lines.join('\n') + '\n');
  // A longer row is an error naming the file and line (in the sample: at once; past it:
  // when computing); the client goes on.
  const [long] = write({ 'long.csv': 'a,b\n1,2\n3,4,5\n' });
  await assert.rejects(env.client.dataframe.readCsv([long]), /long\.csv, line 3: expected 2 fields, saw 3/);
  const [later] = write({ 'later.csv': 'a,b\n' + '1,2\n'.repeat(70_000) + '3,4,5\n' });
  const df = await env.client.dataframe.readCsv([later]);
  await assert.rejects(df.compute(), /later\.csv, line 70002: expected 2 fields, saw 3/);
  assert.equal(await env.client.dataframe.fromColumns({ x: [1, 2] }).col('x').sum().compute(), 3);
});

test('a header without rows gives text columns as pandas; a first such file does not decide the dtypes of the others', async () => {
  await sameAsPandas('empty.csv', 'a,b,c\n');
  const paths = write({ 'a.csv': 'x,y\n', 'b.csv': 'x,y\n7,8.5\n', 'c.csv': 'x,y\n1,2\n' });
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  assert.deepEqual(df.dtypes, { x: 'int64', y: 'float64' });
  assert.deepEqual(plain(await df.compute()).data, { x: [7, 1], y: [8.5, 2] });
});

test("bools as pandas infers them: True/False/TRUE/true, with missing values an object column's values", async () => {
  await sameAsPandas('bools.csv', 'a,b,c\nTrue,TRUE,true\nFalse,FALSE,false\nTrue,FALSE,true\n');
});

test('a column whose type changes past the sample: the error names the dtype to pass, and passing it reads as pandas', async () => {
  const n = 40_000; // ~300 kB: past the 256 kB sample
  const text = 'i,x\n' + Array.from({ length: n }, (_, i) => `${i},${i % 97}`).join('\n') + '\nlast,word\n';
  const [path] = write({ 'mixed.csv': text });
  const df = await env.client.dataframe.readCsv([path]);
  assert.equal(df.dtypes.x, 'int64');
  await assert.rejects(df.compute(), /mixed\.csv, line 40002, column i: cannot parse 'last' as int64; the column's first rows made it int64: pass dtype: \{i: 'string'\} to readCsv/);
  const typed = await env.client.dataframe.readCsv([path], { dtype: { i: 'string', x: 'string' } });
  const got = plain(await typed.compute());
  const want = pandasRead([path], { dtype: { i: 'str', x: 'str' } });
  assert.deepEqual(got.data, want.data);
});

test('usecols: names or positions, the file order kept, only they parsed; an unknown one a clear error', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${i * 0.5},w${i % 3},${i % 2 ? 'x' : 'not a number'}`).join('\n');
  const text = `a,b,c,d\n${rows}\n`;
  await sameAsPandas('names.csv', text, { options: { usecols: ['c', 'a'] }, kwargs: { usecols: ['c', 'a'] } });
  await sameAsPandas('positions.csv', text, { options: { usecols: [2, 1] }, kwargs: { usecols: [2, 1] } });
  // Column d (text) is never parsed as a number: reading it as int64 would fail if it were.
  const [path] = write({ 'typed.csv': text });
  const df = await env.client.dataframe.readCsv([path], { usecols: ['a'], dtype: { d: 'int64' } });
  assert.deepEqual(df.columns, ['a']);
  assert.equal(await df.col('a').sum().compute(), (39 * 40) / 2);
  await assert.rejects(env.client.dataframe.readCsv([path], { usecols: ['a', 'z'] }), /usecols: no column z \(the columns are a, b, c, d\)/);
  await assert.rejects(env.client.dataframe.readCsv([path], { usecols: [9] }), /usecols: position 9 is past the 4 columns/);
});
