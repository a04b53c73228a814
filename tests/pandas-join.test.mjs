// daskling against pandas: joins (merge) — every `how`, one key and two, keys of other
// names, suffixes, missing keys (pandas matches them with each other), on many small
// partitions joined with one partition (a broadcast) and with many (a hash shuffle).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { write, pandasCases, ours, usingPandas } from './pandas-helpers.mjs';

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
