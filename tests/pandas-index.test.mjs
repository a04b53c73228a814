// daskling against pandas: setIndex (sorted files keep their partitions; unsorted
// frames sorted into ranges) and loc (pandas' label slices, partial datetime strings
// included), and that a loc reads only the partitions its range needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { write, usingPandas, pyJson } from './pandas-helpers.mjs';

const env = usingPandas();

/** A computed Table or Column as `{index, data}` (missing as null). */
function shape(r) {
  const plain = (xs) => Array.from(xs, (v) => (v === null || Number.isNaN(v) ? null : v));
  if (r.columns) return { index: plain(r.index), data: Object.fromEntries(r.columns.map((c) => [c, plain(r.data[c])])) };
  return { index: plain(r.index), data: { [r.name]: plain(r.values) } };
}

/** pandas' answer for each expression over `df` (read from `paths`, concatenated). */
function pandas(paths, exprs, readArgs = {}) {
  return pyJson(
    `df = pd.concat([pd.read_csv(p, **inp['args']) for p in inp['paths']], ignore_index=True)\n` +
      `def one(v):\n    if isinstance(v, pd.Timestamp):\n        return v.value // 1_000_000\n    v = v.item() if hasattr(v, 'item') else v\n    return None if isinstance(v, float) and math.isnan(v) else v\n` +
      `out = {}\nfor k in inp['exprs']:\n    v = eval(k)\n    if isinstance(v, pd.Series):\n        v = v.to_frame()\n` +
      `    out[k] = {'index': [one(x) for x in v.index], 'data': {c: [one(x) for x in v[c]] for c in v.columns}}\nprint(json.dumps(out))`,
    { paths, exprs, args: readArgs },
  );
}

// Three days of 10-minute bars, one file a day, in order (as the workshop's files).
function days() {
  const files = {};
  for (const day of [1, 2, 3]) {
    const rows = [];
    for (let m = 0; m < 24 * 60; m += 10 * (day + 1)) {
      const t = new Date(Date.UTC(2024, 0, day, 0, m));
      rows.push(`${t.toISOString().slice(0, 16).replace('T', ' ')},${(day * 1000 + m) % 97},${day}`);
    }
    files[`2024-01-0${day}.csv`] = 'timestamp,v,day\n' + rows.join('\n') + '\n';
  }
  return files;
}

test('setIndex(sorted) keeps the partitions; loc equals pandas, partial strings included', async () => {
  const paths = write(days());
  const df = await env.client.dataframe.readCsv(paths, { parseDates: ['timestamp'], blocksize: 0 });
  assert.equal(df.npartitions, 3);
  const ix = await df.setIndex('timestamp', { sorted: true });
  assert.deepEqual(ix.columns, ['v', 'day']);
  assert.equal(ix.npartitions, 3);
  const ms = (s) => Date.parse(s + 'Z');
  // Each file's first time, then the last file's last.
  assert.deepEqual(ix.divisions, [ms('2024-01-01T00:00'), ms('2024-01-02T00:00'), ms('2024-01-03T00:00'), ms('2024-01-03T23:20')]);
  const cases = {
    "s.loc['2024-01-02':'2024-01-02']": ix.loc('2024-01-02', '2024-01-02'),
    "s.loc['2024-01-01 23':'2024-01-02 00:30']": ix.loc('2024-01-01 23', '2024-01-02 00:30'),
    "s.loc['2024-01-03 12:00':]": ix.loc('2024-01-03 12:00', null),
    "s.loc[:'2024-01-01 01:00']": ix.loc(null, '2024-01-01 01:00'),
    "s.loc['2024-01':'2024-01']": ix.loc('2024-01', '2024-01'),
    "s.loc[pd.Timestamp('2024-01-02 06:00'):pd.Timestamp('2024-01-02 07:00')]": ix.loc(new Date(ms('2024-01-02T06:00')), ms('2024-01-02T07:00')),
    "s.loc['2024-02-01':]": ix.loc('2024-02-01'),
    "s.v.loc['2024-01-02 10:00':'2024-01-02 11:00']": ix.col('v').loc('2024-01-02 10:00', '2024-01-02 11:00'),
    "s[s.v > 50].loc['2024-01-02':'2024-01-03']": ix.filter(ix.col('v').gt(50)).loc('2024-01-02', '2024-01-03'),
    's.assign(w=s.v * 2)': ix.assign({ w: ix.col('v').mul(2) }),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandas(paths, Object.keys(cases).map((k) => k.replaceAll('s.', "df.set_index('timestamp').").replaceAll('s[', "df.set_index('timestamp')[")), { parse_dates: ['timestamp'] });
  Object.keys(cases).forEach((k, n) => {
    const w = want[k.replaceAll('s.', "df.set_index('timestamp').").replaceAll('s[', "df.set_index('timestamp')[")];
    assert.deepEqual(shape(got[n]), w, k);
  });
  // A day's range needs one partition; the filtered frame keeps the divisions.
  assert.equal(ix.loc('2024-01-02', '2024-01-02').npartitions, 1);
  assert.equal(ix.loc('2024-01-01 23', '2024-01-02 00:30').npartitions, 2);
  assert.deepEqual(ix.filter(ix.col('v').gt(50)).divisions, ix.divisions);
  assert.equal(ix.sortValues('v').divisions, null);
});

test('loc reads only the partitions its range needs: a broken later file is never parsed', async () => {
  const files = days();
  files['2024-01-03.csv'] = files['2024-01-03.csv'].replace(/\n([^,\n]+),\d+,3\n/, '\n$1,not a number,3\n');
  assert.match(files['2024-01-03.csv'], /not a number/);
  const paths = write(files);
  const df = await env.client.dataframe.readCsv(paths, { parseDates: ['timestamp'], blocksize: 0 });
  // Divisions given, so setting the index reads nothing.
  const ix = await df.setIndex('timestamp', { sorted: true, divisions: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-03 23:59'] });
  const early = ix.loc('2024-01-01 12:00', '2024-01-02 12:00');
  assert.equal(early.npartitions, 2);
  const [sum] = await env.client.compute(early.col('v').sum());
  const want = pyJson(
    `df = pd.concat([pd.read_csv(p, parse_dates=['timestamp']) for p in inp], ignore_index=True)\nprint(json.dumps(int(df.set_index('timestamp').loc['2024-01-01 12:00':'2024-01-02 12:00'].v.sum())))`,
    paths.slice(0, 2),
  );
  assert.equal(sum, want);
  await assert.rejects(ix.loc('2024-01-02 12:00', '2024-01-03 12:00').col('v').sum().compute(), /2024-01-03\.csv.*line \d+.*column v/s);
});

test('setIndex of an unsorted column sorts it into ranges, stably; loc equals pandas', async () => {
  // Keys repeat within and across files; one file is empty after its header.
  const rows = (from, n) => Array.from({ length: n }, (_, j) => `${((from + j) * 37) % 29},${from + j},w${(from + j) % 5}`).join('\n');
  const paths = write({ 'a.csv': `k,r,s\n${rows(0, 40)}\n`, 'b.csv': 'k,r,s\n', 'c.csv': `k,r,s\n${rows(40, 35)}\n`, 'd.csv': `k,r,s\n${rows(75, 20)}\n` });
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  const ix = await df.setIndex('k', { npartitions: 3 });
  assert.equal(ix.npartitions, 3);
  const d = ix.divisions;
  assert.equal(d.length, 4);
  assert.deepEqual([d[0], d[3]], [0, 28]);
  const cases = {
    's': ix,
    's.loc[5:12]': ix.loc(5, 12),
    's.loc[:3]': ix.loc(null, 3),
    's.loc[27:]': ix.loc(27, null),
    's.r.loc[10:10]': ix.col('r').loc(10, 10),
  };
  const got = await env.client.compute(...Object.values(cases));
  const sorted = "df.set_index('k').sort_index(kind='stable')";
  const want = pandas(paths, Object.keys(cases).map((k) => k.replace(/^s/, sorted)));
  Object.keys(cases).forEach((k, n) => assert.deepEqual(shape(got[n]), want[k.replace(/^s/, sorted)], k));
  // Each range holds the rows between its divisions.
  const parts = await env.client.compute(...[0, 1, 2].map((p) => ix.loc(d[p], d[p + 1]).len()));
  assert.equal(parts.reduce((a, b) => a + b, 0) >= 95, true);

  // A string index.
  const sx = await df.setIndex('s');
  const [strs] = await env.client.compute(sx.loc('w1', 'w3'));
  const wantS = pandas(paths, ["df.set_index('s').sort_index(kind='stable').loc['w1':'w3']"]);
  assert.deepEqual(shape(strs), Object.values(wantS)[0]);
});

test('setIndex and loc errors are clear and the client goes on', async () => {
  const paths = write({ 'a.csv': 'k,v\n3,1\n1,2\n', 'b.csv': 'k,v\n,3\n', 'c.csv': 'k,v\n0,3\n' });
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  await assert.rejects(df.setIndex('k'), /column k has a missing value \(row 0 of the partition\)/);
  const two = await env.client.dataframe.readCsv([paths[0], paths[2]], { blocksize: 0 });
  await assert.rejects(two.setIndex('k', { sorted: true }), /setIndex\(sorted\): column k is not in order \(row 1 of the partition/);
  const [, c] = await Promise.all([paths[0], paths[2]].map((p) => env.client.dataframe.readCsv([p])));
  const order = await env.client.dataframe.concat([c, c]);
  await assert.rejects(order.setIndex('k', { sorted: true }), /partition 1 begins with 0: the same value ends the partition before it/);
  await assert.rejects(df.setIndex('nope'), /no column nope/);
  assert.throws(() => df.loc(1, 2), /loc needs an index with known divisions: setIndex\(column\) first/);
  const ok = await env.client.dataframe.readCsv([paths[0]]);
  const ix = await ok.setIndex('k');
  assert.throws(() => ix.loc('a', 'b'), /the bound "a" cannot be compared with the index \(int64\)/);
  await assert.rejects(ok.setIndex('k', { sorted: true, divisions: [1, 2, 3] }), /3 divisions for 1 partitions/);
  await assert.rejects(ok.setIndex('k', { divisions: [3, 1] }), /divisions must be in ascending order/);
  assert.deepEqual(Array.from((await ix.compute()).index), [1, 3]);
});
