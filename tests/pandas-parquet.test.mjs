// readParquet against pandas' read_parquet on files pyarrow writes here (issue "Data in and
// out of the tab"): every type daskling reads (int32, int64, float, double, bool, string,
// timestamps in ms / us / ns and int96, dates), nulls in each, every codec (snappy, gzip,
// zstd, lz4, none), dictionary and plain encodings, data pages v1 and v2, several row
// groups and one of zero rows; `columns` and `filters` as pandas takes them; truncated and
// foreign files are clear errors and the client goes on.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { columnValues, pyJson, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

/** pyarrow writes the corpus under `dir`; the names of its files. */
const WRITE = `
import datetime as dt, os
import pyarrow as pa, pyarrow.parquet as pq
d = inp['dir']
rng = np.random.default_rng(7)
def table(n):
    r = np.arange(n)
    def nulls(xs, every):
        return [None if i % every == 0 else x for i, x in enumerate(xs)]
    ms = 1_577_836_800_000 + r * 3_723_001
    return pa.table({
        'i32': pa.array(nulls((r * 7 - 50).tolist(), 5), pa.int32()),
        'i64': pa.array((r * 2**40 - 3).tolist(), pa.int64()),
        'f32': pa.array(nulls(rng.normal(size=n).astype(np.float32).tolist(), 6), pa.float32()),
        'f64': pa.array(nulls(rng.normal(size=n).tolist(), 7), pa.float64()),
        'flag': pa.array(nulls([x % 3 == 0 for x in r.tolist()], 4), pa.bool_()),
        'word': pa.array(nulls([f"w{x % 11}é" for x in r.tolist()], 9), pa.string()),
        'ts_ms': pa.array(nulls(ms.tolist(), 8), pa.timestamp('ms')),
        'ts_us': pa.array((ms * 1000).tolist(), pa.timestamp('us')),
        'ts_ns': pa.array(nulls((ms * 1_000_000).tolist(), 10), pa.timestamp('ns')),
        'day': pa.array(nulls([dt.date(2019, 12, 30) + dt.timedelta(days=int(x)) for x in r], 12), pa.date32()),
    })
files = []
for codec in ['snappy', 'gzip', 'zstd', 'lz4', 'none']:
    name = f'{codec}.parquet'
    pq.write_table(table(1000), os.path.join(d, name), row_group_size=300, compression=codec)
    files.append(name)
pq.write_table(table(500), os.path.join(d, 'plain-v2.parquet'), row_group_size=200, use_dictionary=False, data_page_version='2.0', data_page_size=512)
files.append('plain-v2.parquet')
pq.write_table(table(300).drop_columns(['ts_ms', 'ts_us', 'ts_ns']).append_column('old', pa.array(pd.date_range('2021-03-04', periods=300, freq='17min'))), os.path.join(d, 'int96.parquet'), use_deprecated_int96_timestamps=True)
files.append('int96.parquet')
with pq.ParquetWriter(os.path.join(d, 'empty-group.parquet'), table(0).schema) as w:
    w.write_table(table(0))
    w.write_table(table(40))
files.append('empty-group.parquet')
pq.write_table(table(1), os.path.join(d, 'one-row.parquet'))
files.append('one-row.parquet')
print(json.dumps(files))
`;

/** What pandas reads: `{columns, dtypes, data}` with times as epoch milliseconds. */
const READ = `
def one(v):
    if isinstance(v, pd.Timestamp):
        return (v - pd.Timestamp(0)).total_seconds() * 1000
    if isinstance(v, __import__('datetime').date):
        return (pd.Timestamp(v) - pd.Timestamp(0)).total_seconds() * 1000
    return v.item() if hasattr(v, 'item') else v
out = {}
for key, (paths, kw) in inp['reads'].items():
    try:
        df = pd.concat([pd.read_parquet(p, **kw) for p in paths], ignore_index=True)
    except Exception as e:
        out[key] = {'error': str(e)}
        continue
    arrow = {f.name: str(f.type) for f in __import__('pyarrow.parquet').parquet.read_schema(paths[0])}
    out[key] = {'columns': list(df.columns), 'arrow': [arrow[c] for c in df.columns], 'dtypes': [str(t) for t in df.dtypes],
                'data': {c: [None if pd.isna(v) else one(v) for v in df[c]] for c in df.columns}}
print(json.dumps(out))
`;

/**
 * pandas' dtype as daskling reads it: ints and floats widened; pandas' object columns by
 * their Arrow type (bools with nulls stay bool, dates are datetimes).
 */
function ourDtype(t, arrow) {
  if (/^int/.test(t)) return 'int64';
  if (/^float/.test(t)) return 'float64';
  if (t.startsWith('datetime64') || arrow.startsWith('date')) return 'datetime';
  if (t === 'bool' || arrow === 'bool') return 'bool';
  return 'string';
}

function sameAs(table, want, what) {
  assert.deepEqual(table.columns, want.columns, what);
  assert.deepEqual(
    table.columns.map((c) => table.dtypes[c]),
    want.columns.map((c, i) => ourDtype(want.dtypes[i], want.arrow[i])),
    `${what}: dtypes`,
  );
  for (const c of table.columns) {
    const got = columnValues(table.dtypes[c], table.data[c]);
    assert.deepEqual(got, want.data[c], `${what}: ${c}`);
  }
}

let corpus;
const path = (name) => join(env.dir, name);

test('every type, codec, encoding and row-group shape reads as pandas reads it', async () => {
  corpus = pyJson(WRITE, { dir: env.dir });
  const reads = Object.fromEntries(corpus.map((f) => [f, [[path(f)], {}]]));
  reads.all = [corpus.filter((f) => f !== 'int96.parquet').map(path), {}];
  const want = pyJson(READ, { reads });
  for (const f of corpus) {
    for (const blocksize of [undefined, 0]) {
      const df = await env.client.dataframe.readParquet(path(f), { blocksize });
      sameAs(await df.compute(), want[f], `${f}, blocksize ${blocksize}`);
    }
  }
  // Several files, one frame; the zero-row group is no partition.
  const all = await env.client.dataframe.readParquet(reads.all[0], { blocksize: 0 });
  sameAs(await all.compute(), want.all, 'all files');
  const empty = await env.client.dataframe.readParquet(path('empty-group.parquet'), { blocksize: 0 });
  assert.equal(empty.npartitions, 1);
  const snappy = await env.client.dataframe.readParquet(path('snappy.parquet'), { blocksize: 0 });
  assert.equal(snappy.npartitions, 4, 'row groups of 300 of 1000 rows');
});

test('columns and filters as pandas takes them', async () => {
  const f = path('zstd.parquet');
  const ts = 1577836800000 + 3723001 * 50;
  const cases = {
    columns: { columns: ['word', 'i64'] },
    ge: { filters: [['i64', '>=', 2 ** 40 * 700]] },
    and: { filters: [['word', 'in', ['w1é', 'w5é']], ['f64', '<', 0]] },
    or: { filters: [[['flag', '==', true]], [['i32', '!=', 13], ['ts_ms', '<', ts]]] },
    notin: { filters: [['word', 'not in', ['w2é']]], columns: ['word'] },
  };
  const reads = Object.fromEntries(Object.entries(cases).map(([k, kw]) => [k, [[f], kw]]));
  // pyarrow's tuples; a datetime column compares with a Timestamp (daskling: milliseconds).
  const want = pyJson(
    `def pred(c, o, v):
    return (c, o, pd.Timestamp(v, unit='ms') if c.startswith('ts_') else v)
` +
      `for k, (p, kw) in inp['reads'].items():
    f = kw.get('filters')
    if f:
` +
      `        kw['filters'] = [[pred(*x) for x in a] for a in f] if isinstance(f[0][0], list) else [pred(*x) for x in f]
` +
      READ,
    { reads },
  );
  for (const [k, options] of Object.entries(cases)) {
    assert.ok(!want[k].error, `pandas ${k}: ${want[k].error}`);
    const df = await env.client.dataframe.readParquet(f, { ...options, blocksize: 0 });
    sameAs(await df.compute(), want[k], k);
  }
  // A filter that rules out row groups by their statistics: fewer partitions.
  const few = await env.client.dataframe.readParquet(f, { blocksize: 0, filters: [['i64', '>=', 2 ** 40 * 700]] });
  assert.equal(few.npartitions, 2, 'rows 0-599 are two groups no row of which passes');
});

test('bad files and options are clear errors, and the client goes on', async () => {
  const { writeFileSync, readFileSync } = await import('node:fs');
  const whole = readFileSync(path('gzip.parquet'));
  writeFileSync(path('cut.parquet'), whole.subarray(0, whole.length - 100));
  writeFileSync(path('text.parquet'), 'a,b\n1,2\n');
  await assert.rejects(env.client.dataframe.readParquet(path('cut.parquet')), /readParquet: .*cut\.parquet is not a Parquet file/);
  await assert.rejects(env.client.dataframe.readParquet(path('text.parquet')), /text\.parquet is not a Parquet file/);
  await assert.rejects(env.client.dataframe.readParquet(path('gzip.parquet'), { filter: [] }), /readParquet: unknown option filter \(the options are columns, filters, blocksize\)/);
  await assert.rejects(env.client.dataframe.readParquet(path('gzip.parquet'), { filters: [['nope', '==', 1]] }), /filters: no column nope/);
  await assert.rejects(env.client.dataframe.readParquet(path('gzip.parquet'), { filters: [['word', '<', 'w']] }), /only ==, !=, in and not in compare text/);
  await assert.rejects(env.client.dataframe.readParquet(path('gzip.parquet'), { filters: [['i32', '~', 1]] }), /unknown operator "~"/);
  // A page overwritten: the footer reads, the compute fails naming the file and column.
  const broken = Buffer.from(whole);
  broken.fill(0xab, 4, 400);
  writeFileSync(path('broken.parquet'), broken);
  const df = await env.client.dataframe.readParquet(path('broken.parquet'));
  await assert.rejects(df.compute(), /broken\.parquet: column/);
  const ok = await env.client.dataframe.readParquet(path('gzip.parquet'), { columns: ['i64'] });
  assert.equal(await ok.col('i64').count().compute(), 1000);
});
