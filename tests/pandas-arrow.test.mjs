// Apache Arrow in and out (issue "Data in and out of the tab"): computed Tables and
// Columns as Arrow tables that pyarrow reads (through Arrow IPC) equal to pandas' read of
// the same CSV; Arrow tables pyarrow makes (every type fromArrow takes, nulls,
// dictionaries, other time units) read by fromArrow equal to pandas; and the round trip.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import * as arrow from 'apache-arrow';

import { useArrow } from '../dist/node.js';
import { columnValues, pyJson, usingPandas, write } from './pandas-helpers.mjs';

const env = usingPandas();

const CSV = {
  'a.csv': 'i,f,s,b,t\n1,1.5,x,True,2020-01-01 10:00:00\n2,,"y,z",,2020-01-02 00:00:00\n',
  'b.csv': 'i,f,s,b,t\n-3,1e16,,False,\n',
};

/** pandas' values of a frame as JSON: times as ms, missing as null. */
const VALUES = `
def one(v):
    if isinstance(v, pd.Timestamp):
        return (v - pd.Timestamp(0)).total_seconds() * 1000
    return v.item() if hasattr(v, 'item') else v
def values(df):
    return {c: [None if pd.isna(v) else one(v) for v in df[c]] for c in df.columns}
`;

test('toArrow: a computed Table and Column as Arrow tables pyarrow reads as pandas reads the CSV', async () => {
  assert.throws(() => useArrow({}), /useArrow: pass the apache-arrow module/);
  const paths = write(CSV);
  const df = await env.client.dataframe.readCsv(paths, { parseDates: ['t'], blocksize: 0 });
  const table = await df.compute();
  const column = await df.groupby('s').col('i').sum().compute();
  useArrow(arrow);
  const t = table.toArrow();
  assert.deepEqual(t.schema.fields.map((f) => String(f.type)), ['Int64', 'Float64', 'Utf8', 'Bool', 'Timestamp<MILLISECOND>']);
  assert.equal(t.getChild('f').data[0].values.buffer, table.data.f.buffer, 'float64 shares its memory');
  const c = column.toArrow();
  assert.deepEqual(c.schema.fields.map((f) => f.name), ['index', 'i']);
  const ipc = join(env.dir, 'table.arrow');
  writeFileSync(ipc, arrow.tableToIPC(t, 'file'));
  const cipc = join(env.dir, 'column.arrow');
  writeFileSync(cipc, arrow.tableToIPC(c, 'file'));
  const got = pyJson(`${VALUES}
import pyarrow as pa
paths = inp['paths']
want = pd.concat([pd.read_csv(p, parse_dates=['t']) for p in paths], ignore_index=True)
back = pa.ipc.open_file(inp['ipc']).read_all().to_pandas()
col = pa.ipc.open_file(inp['cipc']).read_all().to_pandas()
sums = want.groupby('s').i.sum()
print(json.dumps({'want': values(want), 'back': values(back), 'col': values(col), 'sums': [list(sums.index), [int(x) for x in sums]]}))`, { paths, ipc, cipc });
  // pandas reads i with a missing value as float64, which is int64 here (no missing i).
  assert.deepEqual(got.back, got.want);
  assert.deepEqual([got.col.index, got.col.i], got.sums);
});

test('fromArrow: tables pyarrow makes, every type, nulls, dictionaries and time units, as pandas sees them', async () => {
  const ipc = join(env.dir, 'made.arrow');
  const want = pyJson(`${VALUES}
import pyarrow as pa, datetime as dt
t = pa.table({
  'i32': pa.array([1, -2, 3], pa.int32()),
  'i64n': pa.array([5, None, 7], pa.int64()),
  'f32': pa.array([0.5, None, -1.25], pa.float32()),
  'f64': pa.array([1e300, 2.5, float('nan')]),
  'b': pa.array([True, None, False]),
  's': pa.array(['x', None, 'y'], pa.string()),
  'ds': pa.array(['u', 'v', 'u']).dictionary_encode(),
  'd': pa.array([dt.date(2020, 1, 2), None, dt.date(1969, 12, 31)], pa.date32()),
  'us': pa.array([1_600_000_000_123_000, None, 0], pa.timestamp('us')),
  'ns': pa.array([1_600_000_000_123_000_000, 5_000_000, None], pa.timestamp('ns')),
})
with pa.ipc.new_file(inp['ipc'], t.schema) as w:
    w.write_table(t)
df = t.to_pandas()
df['d'] = pd.to_datetime(df['d'])
print(json.dumps(values(df)))`, { ipc });
  const table = arrow.tableFromIPC(readFileSync(ipc));
  const df = env.client.dataframe.fromArrow(table, { npartitions: 2 });
  assert.deepEqual(df.dtypes, { i32: 'int64', i64n: 'float64', f32: 'float64', f64: 'float64', b: 'bool', s: 'string', ds: 'string', d: 'datetime', us: 'datetime', ns: 'datetime' });
  const got = await df.compute();
  for (const c of got.columns) assert.deepEqual(columnValues(got.dtypes[c], got.data[c]), want[c], c);
  // Round trip: toArrow of the computed table, read back by fromArrow.
  useArrow(arrow);
  const again = await env.client.dataframe.fromArrow(got.toArrow()).compute();
  for (const c of got.columns) assert.deepEqual(columnValues(again.dtypes[c], again.data[c]), want[c], `round trip ${c}`);
  assert.throws(() => env.client.dataframe.fromArrow({}), /fromArrow: expected an Apache Arrow Table/);
  const nested = arrow.tableFromArrays({ l: arrow.vectorFromArray([[1], [2]]) });
  assert.throws(() => env.client.dataframe.fromArrow(nested), /fromArrow: column l is List.*no dtype/);
});
