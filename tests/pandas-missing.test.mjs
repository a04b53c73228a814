// daskling against pandas: int64 and bool columns whose operations make values missing.
// pandas' default dtypes decide the result: an int64 column that gains a missing value
// becomes float64 with NaN; a bool column keeps its values and holds missing ones (pandas'
// `object` of True / False / NaN, daskling's `bool` with null). Either way a missing value
// must come out missing — never 0 or false — whatever made it missing and however many
// partitions it crossed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fromJson, write, pandasCases, ours, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

/** pandas' answer as daskling spells it: `object` holding only bools (and NaN) is `bool`;
 * infinities (strings in JSON) are numbers. */
function asOurs(want) {
  const fix = (dtype, values) => (dtype === 'object' && values.every((v) => v === null || typeof v === 'boolean') ? 'bool' : dtype);
  const nums = (values) => fromJson(values);
  if (want.columns) {
    const data = Object.fromEntries(want.columns.map((c) => [c, nums(want.data[c])]));
    return { ...want, dtypes: want.columns.map((c, n) => fix(want.dtypes[n], want.data[c])), data };
  }
  return { ...want, dtype: fix(want.dtype, want.values), values: nums(want.values) };
}

test('missing int64 and bool values stay missing through every operation that makes them', async () => {
  // Three files, so shifts, diffs and rolling windows cross partition edges; the bools
  // have no missing value in the file (pandas reads them as bool, not object).
  const files = {
    'a.csv': 'k,i,b\n1,10,True\n2,-20,False\n',
    'b.csv': 'k,i,b\n3,30,True\n',
    'c.csv': 'k,i,b\n2,40,False\n5,0,True\n6,7,False\n',
  };
  const paths = write(files);
  const joined = write({ 'all.csv': 'k,i,b\n' + Object.values(files).map((t) => t.split('\n').slice(1).join('\n')).join('') })[0];
  const right = write({ 'r.csv': 'k,j,bb\n1,5,True\n4,6,False\n2,8,True\n' })[0];
  const times = write({ 't.csv': 't,i,b\n2024-01-01 00:10,1,True\n2024-01-01 00:20,2,False\n2024-01-01 03:05,3,True\n' })[0];
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  const rt = await env.client.dataframe.readCsv([right]);
  const ts = await env.client.dataframe.readCsv([times], { parseDates: ['t'] });
  assert.equal(df.npartitions, 3);
  assert.deepEqual(df.dtypes, { k: 'int64', i: 'int64', b: 'bool' });
  const [i, b] = [df.col('i'), df.col('b')];
  const cases = {
    'df.i.shift(1)': i.shift(1),
    'df.i.shift(-2)': i.shift(-2),
    'df.b.shift(1)': b.shift(1),
    'df.b.shift(-1)': b.shift(-1),
    'df.i.diff(2)': i.diff(2),
    'df.i.pct_change()': i.pctChange(1),
    'df.i.rolling(2).max()': i.rolling(2).max(),
    'df.i.where(df.i > 15)': i.where(i.gt(15)),
    'df.i.mask(df.i > 15)': i.mask(i.gt(15)),
    'df.b.where(df.i > 15)': b.where(i.gt(15)),
    'df.b.mask(df.i > 15)': b.mask(i.gt(15)),
    'df.b.shift(1).isna()': b.shift(1).isna(),
    'df.i.shift(1).fillna(-1)': i.shift(1).fillna(-1),
    'df.merge(rt, on="k", how="left")': df.merge(rt, { on: 'k', how: 'left' }),
    'rt.merge(df, on="k", how="left").sort_values(["k", "i"])': rt.merge(df, { on: 'k', how: 'left' }).sortValues(['k', 'i']),
    'df.merge(rt, on="k", how="outer").sort_values(["k", "i"])': df.merge(rt, { on: 'k', how: 'outer' }).sortValues(['k', 'i']),
    'pd.concat([df, rt], ignore_index=True)': env.client.dataframe.concat([df, rt]),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(joined, Object.keys(cases), {}, { rt: right });
  Object.keys(cases).forEach((k, n) => {
    const o = ours(got[n]);
    assert.deepEqual(o, asOurs(want[k]), k);
  });

  // Resampling leaves empty bins missing (max) and zero where pandas counts (sum, size).
  const bins = {
    'df.resample("1h", on="t").i.max()': ts.resample('1h', { on: 't' }).col('i').max(),
    'df.resample("1h", on="t").i.sum()': ts.resample('1h', { on: 't' }).col('i').sum(),
    'df.resample("1h", on="t").b.max()': ts.resample('1h', { on: 't' }).col('b').max(),
  };
  const gotBins = await env.client.compute(...Object.values(bins));
  const wantBins = pandasCases(times, Object.keys(bins), { parse_dates: ['t'] });
  Object.keys(bins).forEach((k, n) => assert.deepEqual(ours(gotBins[n]), asOurs(wantBins[k]), `${k}: ${JSON.stringify(wantBins[k])}`));
});
