// daskling against pandas: joins (merge) — every `how`, one key and two, keys of other
// names, suffixes, missing keys (pandas matches them with each other), on many small
// partitions joined with one partition (a broadcast) and with many (a hash shuffle) —
// and frames built from memory (fromColumns, fromRecords) against pd.DataFrame.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { write, pandasCases, ours, usingPandas, pyJson } from './pandas-helpers.mjs';

const env = usingPandas();

/** A result's rows as text lines (one canonical spelling per value). */
function rows(r) {
  const n = r.data[r.columns[0]].length;
  return Array.from({ length: n }, (_, i) => JSON.stringify(r.columns.map((c) => r.data[c][i])));
}

test('merge equals pandas merge: every how, one and two keys, other key names, suffixes, missing keys', async () => {
  const left = Array.from({ length: 200 }, (_, j) => {
    const k = j % 13 === 0 ? '' : String((j * 7) % 23);
    const t = j % 29 === 3 ? '' : ['x', 'y', 'z'][j % 3];
    const s = j % 5 === 0 ? '' : `s${j % 4}`;
    return `${k},${t},${j},${s},${(j % 9) / 4}`;
  });
  const right = Array.from({ length: 60 }, (_, j) => {
    const k = j % 23 === 0 ? '' : j % 17 === 5 ? '30' : String((j * 5) % 21);
    return `${k},${['x', 'y', 'w'][j % 3]},${1000 + j},${j % 2 === 0 ? 'True' : 'False'},${j / 4}`;
  });
  const [lp, rp] = write({
    'l.csv': `k,t,a,s,x\n${left.join('\n')}\n`,
    'r.csv': `k,t,a,b,y\n${right.join('\n')}\n`,
  });
  const df = await env.client.dataframe.readCsv(lp, { blocksize: 300 });
  const one = await env.client.dataframe.readCsv(rp);
  const many = await env.client.dataframe.readCsv(rp, { blocksize: 300 });
  assert.ok(df.npartitions > 6 && many.npartitions > 3 && one.npartitions === 1, `${df.npartitions} ${many.npartitions} ${one.npartitions}`);
  const cases = [];
  const add = (code, frame, ordered = false) => cases.push({ code, frame, ordered });
  for (const how of ['inner', 'left', 'right', 'outer']) {
    // One right partition: inner and left joins are broadcast and keep pandas' order.
    add(`df.merge(rt, on='k', how='${how}')`, df.merge(one, { on: 'k', how }), how === 'inner' || how === 'left');
    add(`df.merge(rt, on='k', how='${how}')`, df.merge(many, { on: 'k', how }));
    add(`df.merge(rt, on=['k', 't'], how='${how}')`, df.merge(many, { on: ['k', 't'], how }));
    add(`df.merge(rt, left_on='a', right_on='k', how='${how}')`, df.merge(many, { leftOn: 'a', rightOn: 'k', how }));
  }
  add(`df.merge(rt)`, df.merge(many));
  add(`df.merge(rt, on='t', suffixes=('_l', '_r'))`, df.merge(one, { on: 't', suffixes: ['_l', '_r'] }), true);
  add(`df.merge(rt, on='k', how='left')`, df.merge(many, { on: 'k', how: 'left', broadcast: true }));
  add(`df[df.a % 40 < 4].merge(rt, on='k', how='outer')`, df.filter(df.col('a').mod(40).lt(4)).merge(many, { on: 'k', how: 'outer' }));
  const got = await env.client.compute(...cases.map((c) => c.frame));
  const want = pandasCases(lp, cases.map((c) => c.code), {}, { rt: rp });
  cases.forEach(({ code, ordered }, j) => {
    const w = want[code];
    assert.ok(!w.error, `${code}: pandas: ${w.error}`);
    const g = ours(got[j]);
    assert.deepEqual(g.columns, w.columns, code);
    // pandas makes a bool column with missing values `object`; ours stays bool.
    const dtypes = w.dtypes.map((t, i) => (t === 'object' && g.dtypes[i] === 'bool' ? 'bool' : t));
    assert.deepEqual(g.dtypes, dtypes, code);
    const [a, b] = [rows(g), rows(w)];
    if (ordered) assert.deepEqual(a, b, `${code}: rows in pandas' order`);
    else assert.deepEqual(a.toSorted(), b.toSorted(), code);
  });
  assert.throws(() => df.merge(one, { on: 'nope' }), /merge: the key nope is not a column of the left frame/);
  assert.throws(() => df.merge(one, { leftOn: 's', rightOn: 'k' }), /merge: the key s is string on the left and k is float64 on the right/);
  assert.throws(() => df.merge(one, { on: 'k', how: 'cross' }), /merge: how must be 'inner', 'left', 'right' or 'outer', not 'cross'/);
  assert.throws(() => df.merge(one, { on: 'k', leftOn: 'k' }), /merge: pass on, or both leftOn and rightOn/);
  assert.throws(() => df.merge(one, { on: 'k', hw: 'left' }), /merge: unknown option hw \(the options are how, on/);
  assert.throws(() => df.merge(one, { on: 5 }), /invalid merge options: .*a column name or an array of column names/);
  assert.throws(() => df.select(['x']).merge(one.select(['y'])), /no column in common/);
});

test('fromColumns and fromRecords equal pd.DataFrame of the same values: dtypes, missing values, partitions', async () => {
  const n = 23;
  const columns = {
    i: Array.from({ length: n }, (_, j) => (j * 7) % 11 - 3),
    f: Array.from({ length: n }, (_, j) => (j % 5 === 2 ? null : j / 4)),
    s: Array.from({ length: n }, (_, j) => (j % 6 === 1 ? null : `w${j % 4}`)),
    b: Array.from({ length: n }, (_, j) => j % 3 === 0),
    t: Array.from({ length: n }, (_, j) => new Date(Date.UTC(2024, 0, 1 + j, 9))),
    typed: Float64Array.from({ length: n }, (_, j) => (j % 7 === 0 ? NaN : j * 1.5)),
    ints: Int32Array.from({ length: n }, (_, j) => j - 10),
  };
  const df = env.client.dataframe.fromColumns(columns, { npartitions: 4 });
  assert.equal(df.npartitions, 4);
  const [whole, parts, sums] = await env.client.compute(
    df,
    df.mapPartitions((t) => t.length, { meta: ['n', 'int64'] }),
    df.select(['i', 'f', 'typed', 'ints']).sum(),
  );
  // pandas on the same values (Dates as datetimes; NaN as missing).
  const plainCols = Object.fromEntries(
    Object.entries(columns).map(([k, v]) => [k, Array.from(v, (x) => (x instanceof Date ? x.toISOString() : Number.isNaN(x) ? null : x))]),
  );
  const want = pyJson(
    `d = pd.DataFrame({k: (pd.to_datetime(v) if k == 't' else pd.Series(v, dtype=float) if k in ('f', 'typed') else v) for k, v in inp.items()})\n` +
      `d['t'] = d['t'].dt.tz_localize(None)\n` +
      `out = {'dtypes': [{'str': 'string', 'object': 'string'}.get(str(t), 'datetime' if str(t).startswith('datetime') else str(t)) for t in d.dtypes],\n` +
      `       'sums': [float(d[c].sum()) for c in ['i', 'f', 'typed', 'ints']]}\n` +
      `import dask.dataframe as dd\nout['parts'] = [len(p) for p in dd.from_pandas(d, npartitions=4, sort=False).partitions]\n` +
      `out['data'] = {c: [None if pd.isna(x) else (x.value // 1_000_000 if isinstance(x, pd.Timestamp) else x.item() if hasattr(x, 'item') else x) for x in d[c]] for c in d.columns}\nprint(json.dumps(out))`,
    plainCols,
  );
  const o = ours(whole);
  assert.deepEqual(o.columns, Object.keys(columns));
  assert.deepEqual(o.dtypes, want.dtypes.map((t) => (t === 'int32' ? 'int64' : t)));
  for (const c of o.columns) assert.deepEqual(o.data[c], want.data[c], c);
  assert.deepEqual(Array.from(parts.values), want.parts, 'partition sizes as dd.from_pandas');
  assert.deepEqual(Array.from(sums.values), want.sums);

  // fromRecords: keys in order of first appearance, a missing key missing.
  const recs = env.client.dataframe.fromRecords([{ a: 1, b: 'x' }, { b: 'y', c: true }, { a: 3 }], { dtypes: { a: 'float64' } });
  const r = ours(await recs.compute());
  const wantRecs = pyJson(
    `d = pd.DataFrame.from_records(inp)\nprint(json.dumps({'columns': list(d.columns), 'a': [None if pd.isna(x) else x for x in d.a], 'b': [None if pd.isna(x) else x for x in d.b], 'c': [None if pd.isna(x) else bool(x) for x in d.c]}))`,
    [{ a: 1, b: 'x' }, { b: 'y', c: true }, { a: 3 }],
  );
  assert.deepEqual(r.columns, wantRecs.columns);
  assert.deepEqual(r.dtypes, ['float64', 'string', 'bool']);
  for (const c of ['a', 'b', 'c']) assert.deepEqual(r.data[c], wantRecs[c], c);

  assert.throws(() => env.client.dataframe.fromColumns({ x: [1, 'a'] }), /fromColumns: column x mixes float64 and string values/);
  assert.throws(() => env.client.dataframe.fromColumns({ x: [1, 2], y: [1] }), /fromColumns: column y has 1 values, x has 2/);
  assert.throws(() => env.client.dataframe.fromColumns({ x: [1.5] }, { dtypes: { x: 'int64' } }), /value 0 is 1.5, which is not a whole number/);
  assert.throws(() => env.client.dataframe.fromColumns({ x: [1] }, { dtypes: { y: 'int64' } }), /dtypes names y, which is not a column/);
  assert.throws(() => env.client.dataframe.fromColumns({ x: [1] }, { npartitions: 0 }), /npartitions must be a whole number from 1/);
  assert.throws(() => env.client.dataframe.fromColumns([1, 2]), /expected \{name: values\}/);
});
