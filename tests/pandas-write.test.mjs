// toCsv and toParquet against pandas (issue "Data in and out of the tab"): files with
// missing values in every dtype, quotes, separators and line breaks in text, datetimes
// with milliseconds and dates; read by daskling in several partitions (one empty after a
// filter), written, and compared with pandas' own `to_csv(index=False)` text of the same
// data and with what pyarrow / pandas read back from the Parquet files.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { columnValues, pyJson, usingPandas, write } from './pandas-helpers.mjs';

const env = usingPandas();

// Times all with milliseconds (pandas infers one format from the first value), read by
// pandas at daskling's millisecond resolution.
const FILES = {
  'a.csv': 'i,f,s,b,t,d\n1,1.5,"a,b",True,2020-01-01 10:00:00.250,2020-01-01\n2,,"say ""hi""",,2020-01-02 00:00:00.000,\n3,-0.1,,False,,2020-03-04\n',
  'b.csv': 'i,f,s,b,t,d\n-4,1e16,"l\nm",True,2021-06-30 23:59:59.999,2021-06-30\n',
  'c.csv': 'i,f,s,b,t,d\n5,0.30000000000000004,plain,False,2019-12-31 01:02:03.004,1999-01-01\n6,2.5,x,True,2019-12-31 01:02:03.100,\n',
};
const READ = { parseDates: ['t', 'd'], blocksize: 0 };
const PANDAS_READ = `
paths = inp['paths']
def read(p):
    f = pd.read_csv(p, parse_dates=['t', 'd'])
    return f.astype({'t': 'datetime64[ms]', 'd': 'datetime64[ms]'})
df = pd.concat([read(p) for p in paths], ignore_index=True)
`;

test('toCsv: the text pandas writes, whole and per partition', async () => {
  const paths = write(FILES);
  const df = await env.client.dataframe.readCsv(paths, READ);
  assert.equal(df.npartitions, 3);
  const want = pyJson(`${PANDAS_READ}
kept = df[df.i != -4]
print(json.dumps({'all': df.to_csv(index=False), 'kept': kept.to_csv(index=False),
                  'parts': [read(p).to_csv(index=False, sep=';') for p in paths]}))`, { paths });
  assert.equal(await (await df.toCsv()).text(), want.all);
  // A filter that empties the middle partition.
  const kept = df.filter(df.col('i').ne(-4));
  assert.equal(await (await kept.toCsv()).text(), want.kept);
  const parts = await df.toCsv({ partitioned: true, sep: ';' });
  assert.deepEqual(await Promise.all(parts.map((b) => b.text())), want.parts);
  assert.equal(parts[0].type, 'text/csv');
  await assert.rejects(df.toCsv({ sep: '"' }), /toCsv: sep must be one ASCII character other than a quote/);
  // The client goes on.
  assert.equal(await df.len().compute(), 6);
});

test('toParquet: one file of a row group per partition, and a file per partition, as pyarrow reads them', async () => {
  const paths = write(FILES);
  const df = await env.client.dataframe.readCsv(paths, READ);
  const one = Buffer.from(await (await df.toParquet()).arrayBuffer());
  const each = await df.toParquet({ partitioned: true });
  const out = join(env.dir, 'written');
  (await import('node:fs')).mkdirSync(out);
  writeFileSync(join(out, 'one.parquet'), one);
  const parts = [];
  for (const [i, b] of each.entries()) {
    parts.push(join(out, `part-${i}.parquet`));
    writeFileSync(parts.at(-1), Buffer.from(await b.arrayBuffer()));
  }
  const got = pyJson(`${PANDAS_READ}
import pyarrow.parquet as pq
def table(t):
    def one(v):
        if isinstance(v, pd.Timestamp):
            return (v - pd.Timestamp(0)).total_seconds() * 1000
        return v.item() if hasattr(v, 'item') else v
    return {'columns': list(t.columns), 'dtypes': [str(x) for x in t.dtypes],
            'data': {c: [None if pd.isna(v) else one(v) for v in t[c]] for c in t.columns}}
back = pd.read_parquet(inp['one'])
meta = pq.ParquetFile(inp['one']).metadata
each = pd.concat([pd.read_parquet(p) for p in inp['parts']], ignore_index=True)
print(json.dumps({'want': table(df), 'back': table(back), 'each': table(each), 'groups': meta.num_row_groups,
                  'arrow': [str(f.type) for f in pq.read_schema(inp['one'])]}))`, { paths, one: join(out, 'one.parquet'), parts });
  assert.equal(got.groups, 3);
  assert.deepEqual(got.arrow, ['int64', 'double', 'string', 'bool', 'timestamp[ms]', 'timestamp[ms]']);
  // Values equal to pandas' read of the CSVs; pandas' bool-with-missing is object, as here.
  assert.deepEqual(got.back.data, got.want.data);
  assert.deepEqual(got.each.data, got.want.data);
  // And daskling reads its own file back.
  const again = await (await env.client.dataframe.readParquet(join(out, 'one.parquet'))).compute();
  for (const c of again.columns) assert.deepEqual(columnValues(again.dtypes[c], again.data[c]), got.want.data[c], c);
});

test("the workshop's daily results: a groupby's keys written as the first column, as pandas' reset_index()", async () => {
  const paths = write(FILES);
  const df = await env.client.dataframe.readCsv(paths, READ);
  const day = df.col('t').dt.floor('1d');
  const daily = df.groupby(day).col('f').max();
  const text = await (await daily.toCsv()).text();
  const pq = join(env.dir, 'daily.parquet');
  writeFileSync(pq, Buffer.from(await (await daily.toParquet()).arrayBuffer()));
  const want = pyJson(`${PANDAS_READ}
s = df.groupby(df.t.dt.floor('1D')).f.max()
back = pd.read_parquet(inp['pq'])
print(json.dumps({'csv': s.reset_index().to_csv(index=False), 'cols': list(back.columns),
                  'f': [None if pd.isna(v) else v for v in back.f], 'same': bool((back.t.values.astype('datetime64[ms]') == s.index.values.astype('datetime64[ms]')).all())}))`, { paths, pq });
  assert.equal(text, want.csv);
  assert.deepEqual(want.cols, ['t', 'f']);
  assert.ok(want.same, 'the days read back as the index');
});
