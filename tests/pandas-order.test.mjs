// daskling against pandas: ordering (sortValues), time series (shift, cumsum, rolling),
// where/mask, concat, repartition and grouping by several keys — each on many small
// partitions, against pandas on the same files (helpers: pandas-helpers.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { write, pyJson, fromJson, close, pandasCases, ours, MISSING_CSV, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

test('shift, diff, pctChange, cumulative and rolling aggregations equal pandas across partition edges', async () => {
  const n = 120;
  const rows = Array.from({ length: n }, (_, j) => {
    const f = j % 17 === 5 ? '' : String(((j * 37) % 23) - 7 + (j % 3) * 0.25);
    return `${((j * 13) % 11) - 4},${f},w${j % 5}`;
  });
  const paths = write({ 'a.csv': `i,f,s\n${rows.join('\n')}\n` });
  // Partitions of a few rows: windows and lags reach over several partition edges.
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 40 });
  assert.ok(df.npartitions > 20, `${df.npartitions} partitions`);
  const [i, f, s] = ['i', 'f', 's'].map((c) => df.col(c));
  const cases = {};
  for (const [name, col] of [['i', i], ['f', f]]) {
    for (const k of [1, 3, -2]) {
      cases[`df.${name}.shift(${k})`] = col.shift(k);
      cases[`df.${name}.diff(${k})`] = col.diff(k);
      cases[`df.${name}.pct_change(${k})`] = col.pctChange(k);
    }
    for (const c of ['cumsum', 'cummax', 'cummin']) cases[`df.${name}.${c}()`] = col[c]();
    for (const agg of ['mean', 'sum', 'min', 'max', 'std', 'var', 'count']) {
      cases[`df.${name}.rolling(7, min_periods=7).${agg}()`] = col.rolling(7)[agg]();
      cases[`df.${name}.rolling(4, min_periods=2).${agg}()`] = col.rolling(4, { minPeriods: 2 })[agg]();
    }
  }
  cases['df.i.shift(0)'] = i.shift(0);
  cases['df.i.cumprod()'] = df.filter(i.ne(0)).col('i').cumprod();
  cases['df.s.shift(2)'] = s.shift(2);
  cases['df.f.rolling(1, min_periods=1).sum()'] = f.rolling(1, { minPeriods: 1 }).sum();
  cases['df.f.rolling(50, min_periods=1).max()'] = f.rolling(50, { minPeriods: 1 }).max();
  // Frames: every column (text shifts; running sums of the numeric columns).
  cases['df.shift(2)'] = df.shift(2);
  cases['df[["i", "f"]].cumsum()'] = df.select(['i', 'f']).cumsum();
  cases['df[["i", "f"]].diff(-1)'] = df.select(['i', 'f']).diff(-1);
  const got = await env.client.compute(...Object.values(cases));
  const codes = Object.keys(cases).map((k) => (k === 'df.i.cumprod()' ? 'df[df.i != 0].i.cumprod()' : k));
  const want = pandasCases(paths[0], codes);
  Object.keys(cases).forEach((k, j) => {
    const w = want[codes[j]];
    const g = ours(got[j]);
    if (g.columns) {
      assert.deepEqual(g.columns, w.columns, k);
      assert.deepEqual(g.dtypes, w.dtypes, k);
      return g.columns.forEach((c, n) => {
        if (g.dtypes[n] === 'string') return assert.deepEqual(g.data[c], w.data[c], `${k}: ${c}`);
        close(g.data[c].map((x) => x ?? NaN), fromJson(w.data[c].map((x) => x ?? 'nan')), `${k}: ${c}`, 1e-9);
      });
    }
    assert.equal(g.dtype, w.dtype, `${k}: dtype`);
    if (g.dtype === 'string') return assert.deepEqual(g.values, w.values, k);
    close(g.values.map((x) => x ?? NaN), fromJson(w.values.map((x) => x ?? 'nan')), k, 1e-9);
  });
  assert.throws(() => s.cumsum(), /cumsum of a string series is not supported/);
  assert.throws(() => df.cumsum(), /column s: cumsum of a string series is not supported/);
  assert.throws(() => f.rolling(0).mean(), /window must be a whole number|at least 1 row/);
  assert.throws(() => f.shift(1.5), /n must be a whole number of rows/);
});

test('sortValues equals pandas sort_values (stable): ties, missing values, descending, several keys, empty partitions', async () => {
  const n = 400;
  const rows = Array.from({ length: n }, (_, j) => {
    const f = j % 19 === 3 ? '' : j % 23 === 4 ? '-0.0' : String(((j * 37) % 41) / 4 - 3);
    const s = j % 11 === 2 ? '' : ['b', 'a', 'é', 'B', 'ab', 'a b'][(j * 7) % 6];
    const t = j % 13 === 1 ? '' : `2024-0${1 + ((j * 5) % 9)}-1${j % 10} 0${j % 7}:00:00`;
    return `${(j * 13) % 17},${f},${s},${t},${j % 3 === 0 ? 'True' : 'False'},${j}`;
  });
  const paths = write({ 'sort.csv': `i,f,s,t,b,r\n${rows.join('\n')}\n`, 'one.csv': 'i,f\n5,2.5\n' });
  const df = await env.client.dataframe.readCsv([paths[0]], { blocksize: 600, parseDates: ['t'] });
  assert.ok(df.npartitions > 10, `${df.npartitions} partitions`);
  const ms = (col) => `((${col} - pd.Timestamp(0)).dt.total_seconds() * 1000)`;
  const cases = {
    "df.sort_values('f', kind='stable')": df.sortValues('f'),
    "df.sort_values('f', ascending=False, kind='stable')": df.sortValues('f', { ascending: false }),
    "df.sort_values(['s', 'i'], ascending=[True, False], kind='stable')": df.sortValues(['s', 'i'], { ascending: [true, false] }),
    "df.sort_values(['i', 'f'], kind='stable')": df.sortValues(['i', 'f']),
    "df.sort_values(['b', 'f'], ascending=False, kind='stable')": df.sortValues(['b', 'f'], { ascending: false }),
    "df.s.sort_values(kind='stable')": df.col('s').sortValues(),
    "df.i.sort_values(ascending=False, kind='stable')": df.col('i').sortValues({ ascending: false }),
    "df[df.r >= 390].sort_values('i', kind='stable')": df.filter(df.col('r').ge(390)).sortValues('i'),
    "df[df.r > 1000].sort_values('i', kind='stable')": df.filter(df.col('r').gt(1000)).sortValues('i'),
    [`${ms("df.sort_values('t', kind='stable').t")}`]: df.sortValues('t').col('t'),
    [`${ms("df.sort_values('t', ascending=False, kind='stable').t")}`]: df.sortValues('t', { ascending: false }).col('t'),
    "df.sort_values('t', ascending=False, kind='stable').r": df.sortValues('t', { ascending: false }).col('r'),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(paths[0], Object.keys(cases), { parse_dates: ['t'] });
  Object.keys(cases).forEach((k, j) => {
    const g = ours(got[j]);
    const w = want[k];
    // Datetimes as milliseconds on both sides; pandas' dtype is datetime64[us].
    if (g.columns) return assert.deepEqual(g.data, w.data, k);
    if (g.dtype === 'datetime') g.dtype = 'float64';
    assert.deepEqual(g, w, k);
  });
  const one = await env.client.dataframe.readCsv([paths[1]]);
  assert.deepEqual(ours(await one.sortValues('f', { ascending: false }).compute()), pandasCases(paths[1], ["df.sort_values('f', ascending=False)"])["df.sort_values('f', ascending=False)"]);
  assert.throws(() => df.sortValues('nope'), /sortValues: no column nope \(the columns are i, f, s, t, b, r\)/);
  assert.throws(() => df.sortValues(['i'], { ascending: [true, false] }), /ascending has 2 values for 1 columns/);
});

test('where and mask equal pandas: constants, missing, replacement series, dtypes, missing conditions', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  const [i, f, s, g] = ['i', 'f', 's', 'g'].map((c) => df.col(c));
  const cases = {
    'df.f.where(df.i > 1)': f.where(i.gt(1)),
    'df.i.where(df.i > 1)': i.where(i.gt(1)),
    'df.i.where(df.i > 1, 0)': i.where(i.gt(1), 0),
    'df.i.where(df.i > 1, 2.5)': i.where(i.gt(1), 2.5),
    'df.i.mask(df.f.isna(), -1)': i.mask(f.isna(), -1),
    'df.f.mask(df.f > 1, df.g)': f.mask(f.gt(1), g),
    'df.i.where(df.i > 2, df.f)': i.where(i.gt(2), f),
    'df.i.where(df.i < 4, df.i * 10)': i.where(i.lt(4), i.mul(10)),
    'df.s.where(df.i > 1, "z")': s.where(i.gt(1), 'z'),
    'df.s.mask(df.s.isna(), "none")': s.mask(s.isna(), 'none'),
    'df.s.where(df.i != 3)': s.where(i.ne(3)),
    'df.g.where(df.f > 0, float("nan"))': g.where(f.gt(0), NaN),
    'df.f.isna().where(df.i > 2, False)': f.isna().where(i.gt(2), false),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(joined, Object.keys(cases));
  Object.keys(cases).forEach((k, n) => assert.deepEqual(ours(got[n]), want[k], k));
  assert.throws(() => s.where(i.gt(1), 1), /where: other is a number, which a string series cannot hold/);
  assert.throws(() => f.mask(i, 0), /mask: cond must be a bool series, got int64/);
  assert.throws(() => f.where(i.gt(1), s), /where: other is a string series, which a float64 series cannot hold/);
  assert.throws(() => f.where(1), /where: cond must be a bool Series/);
});

test('concat equals pandas concat(ignore_index=True): the union of columns, missing where a frame lacks one, dtypes', async () => {
  const paths = write({
    ...MISSING_CSV,
    'x.csv': 'g,i,z\n0.5,9,p\n,10,q\n',
    'y.csv': 'i,f\n3,1.5\n',
  });
  const [a, b, c, x, y] = paths;
  const df = await env.client.dataframe.readCsv([a, b, c], { blocksize: 0 });
  const dx = await env.client.dataframe.readCsv([x]);
  const dy = await env.client.dataframe.readCsv([y]);
  const cases = {
    'pd.concat([df, dx], ignore_index=True)': env.client.dataframe.concat([df, dx]),
    'pd.concat([dx, dy, dx], ignore_index=True)': env.client.dataframe.concat([dx, dy, dx]),
    'pd.concat([df[df.i > 100], dy], ignore_index=True)': env.client.dataframe.concat([df.filter(df.col('i').gt(100)), dy]),
    'pd.concat([df.i, dx.i], ignore_index=True)': env.client.dataframe.concat([df.col('i'), dx.col('i')]),
    'pd.concat([df.f, dy.i], ignore_index=True)': env.client.dataframe.concat([df.col('f'), dy.col('i')]),
  };
  const stacked = env.client.dataframe.concat([df, dx]);
  assert.equal(stacked.npartitions, df.npartitions + dx.npartitions);
  assert.deepEqual(stacked.columns, ['i', 'f', 's', 'g', 'z']);
  const got = await env.client.compute(...Object.values(cases), stacked.col('z').count(), stacked.len());
  assert.deepEqual(got.slice(-2), [2, 8 + 2]);
  // pandas' df: the three files as one.
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const want = pandasCases(joined, Object.keys(cases), {}, { dx: x, dy: y });
  Object.keys(cases).forEach((k, n) => assert.deepEqual(ours(got[n]), want[k], k));
  const t = await env.client.dataframe.readCsv([write({ 't.csv': 'i,f\n1,a\n' })[0]]);
  assert.throws(() => env.client.dataframe.concat([dy, t]), /concat: column f is float64 in one input and string in another/);
  assert.throws(() => env.client.dataframe.concat([df, df.col('i')]), /concat: item 1 is not a DataFrame like the first/);
  assert.throws(() => env.client.dataframe.concat([]), /concat: needs at least one/);
});

test('repartition keeps every row in order; groupby(k).size() equals pandas (missing values counted)', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  const whole = ours(await df.compute());
  for (const n of [1, 2, 3, 5, 8, 11]) {
    const r = df.repartition({ npartitions: n });
    assert.equal(r.npartitions, n);
    assert.deepEqual(ours(await r.compute()), whole, `npartitions ${n}`);
    assert.deepEqual(ours(await r.col('f').repartition({ npartitions: 2 }).compute()), ours(await df.col('f').compute()), `series ${n}`);
  }
  // Row-wise operations on the new partitions, and a reduction over them.
  const r = df.repartition({ npartitions: 7 });
  assert.equal(await r.col('i').sum().compute(), whole.data.i.reduce((a, b) => a + b, 0));
  const cases = {
    'df.groupby("s").size()': df.groupby('s').size(),
    'df.groupby(df.i % 2).size()': df.groupby(df.col('i').mod(2)).size(),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pyJson(
    `df = pd.read_csv(inp['path'])\nr = {}\nfor k in inp['codes']:\n    v = eval(k)\n    r[k] = {'index': [x.item() if hasattr(x, 'item') else x for x in v.index], 'values': [int(x) for x in v], 'dtype': str(v.dtype)}\nprint(json.dumps(r))`,
    { path: joined, codes: Object.keys(cases) },
  );
  Object.keys(cases).forEach((k, n) => {
    assert.equal(got[n].name, 'size', k);
    assert.deepEqual({ index: Array.from(got[n].index), values: Array.from(got[n].values, Number), dtype: got[n].dtype }, want[k], k);
  });
  assert.throws(() => df.repartition({ npartitions: 0 }), /npartitions must be at least 1|repartition: npartitions/);
});

test('groupby by several keys equals pandas (.reset_index()): sorted tuples, missing keys dropped, agg, size, nunique, median, derived keys', async () => {
  const rows = Array.from({ length: 300 }, (_, j) => {
    const k = j % 17 === 4 ? '' : ['b', 'a', 'c'][(j * 7) % 3];
    const g = j % 13 === 6 ? '' : String(((j * 5) % 4) - 1.5);
    const f = j % 11 === 2 ? '' : String(((j * 31) % 29) / 4);
    return `${k},${g},${(j * 13) % 7},${f}`;
  });
  const path = write({ 'multi.csv': `k,g,i,f\n${rows.join('\n')}\n` })[0];
  const df = await env.client.dataframe.readCsv([path], { blocksize: 400 });
  assert.ok(df.npartitions > 5, `${df.npartitions} partitions`);
  const by = df.groupby(['k', 'g']);
  const cases = {
    "df.groupby(['k', 'g']).i.sum().reset_index()": by.col('i').sum(),
    "df.groupby(['k', 'g']).f.mean().reset_index()": by.col('f').mean(),
    "df.groupby(['k', 'g']).f.count().reset_index()": by.col('f').count(),
    "df.groupby(['k', 'g']).f.std().reset_index()": by.col('f').std(),
    "df.groupby(['k', 'g']).f.last().reset_index()": by.col('f').last(),
    "df.groupby(['g', 'i']).size().reset_index(name='size')": df.groupby(['g', 'i']).size(),
    "df.groupby(['k', 'g']).agg(i=('i', 'max'), f_min=('f', 'min'), f_max=('f', 'max')).reset_index()": by.agg({ i: 'max', f: ['min', 'max'] }),
    "df.groupby([df.k, df.i % 3]).f.max().reset_index()": df.groupby([df.col('k'), df.col('i').mod(3)]).col('f').max(),
    "df.groupby(['k']).f.sum()": df.groupby(['k']).col('f').sum(),
    "df.groupby(['k', 'g']).f.nunique().reset_index()": by.col('f').nunique(),
    "df.groupby(['g', 'i']).agg(k=('k', 'nunique'), f=('f', 'nunique')).reset_index()": df.groupby(['g', 'i']).agg({ k: 'nunique', f: 'nunique' }),
    "df.groupby('g').k.nunique()": df.groupby('g').col('k').nunique(),
    "df.groupby('g').k.count()": df.groupby('g').col('k').count(),
    "df.groupby(['k', 'g']).f.median().reset_index()": by.col('f').median(),
    "df.groupby('k').i.median()": df.groupby('k').col('i').median(),
    "df.groupby(['g', 'i']).agg(f=('f', 'median')).reset_index()": df.groupby(['g', 'i']).agg({ f: 'median' }),
    "df.groupby(['g', 'i']).agg(k=('k', 'count'), f=('f', 'count')).reset_index()": df.groupby(['g', 'i']).agg({ k: 'count', f: 'count' }),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(path, Object.keys(cases));
  Object.keys(cases).forEach((k, n) => {
    const g = ours(got[n]);
    const w = want[k];
    if (!g.columns) return assert.deepEqual(g, w, k); // one key in an array: a Series, as pandas
    assert.deepEqual(g.columns, w.columns, k);
    assert.deepEqual(g.dtypes, w.dtypes, k);
    g.columns.forEach((c, j) => {
      if (g.dtypes[j] === 'string') return assert.deepEqual(g.data[c], w.data[c], `${k}: ${c}`);
      close(g.data[c].map((x) => x ?? NaN), fromJson(w.data[c].map((x) => x ?? 'nan')), `${k}: ${c}`, 1e-12);
    });
  });
  assert.throws(() => df.groupby(['k', df.col('k')]), /groupby: two keys are named k/);
  assert.throws(() => df.groupby(['k', 'i']).col('i').sum(), /i is both a key and an aggregated column/);
});

test('resample equals pandas resample(freq, on=…): empty bins, sums and counts 0, the rest missing', async () => {
  const start = Date.UTC(2024, 0, 1, 9, 0);
  const rows = [];
  for (let j = 0; j < 120; j++) {
    if (j >= 20 && j < 36) continue; // a gap of almost two hours: empty bins
    const t = new Date(start + j * 7 * 60_000 + (j % 3) * 1000).toISOString().replace('T', ' ').slice(0, 19);
    const f = j % 9 === 4 ? '' : String(((j * 37) % 23) / 4 - 2);
    rows.push(`${t},${(j * 13) % 17},${f},${['x', 'y'][j % 2]}`);
  }
  const [path] = write({ 'ts.csv': `t,v,f,s\n${rows.join('\n')}\n` });
  const df = await env.client.dataframe.readCsv(path, { blocksize: 600, parseDates: ['t'] });
  assert.ok(df.npartitions > 4, `${df.npartitions} partitions`);
  const cases = {
    "df.resample('15min', on='t').v.sum()": df.resample('15min', { on: 't' }).col('v').sum(),
    "df.resample('15min', on='t').f.mean()": df.resample('15min', { on: 't' }).col('f').mean(),
    "df.resample('30min', on='t').v.max()": df.resample('30min', { on: 't' }).col('v').max(),
    "df.resample('1h', on='t').f.count()": df.resample('1h', { on: 't' }).col('f').count(),
    "df.resample('1h', on='t').s.nunique()": df.resample('1h', { on: 't' }).col('s').nunique(),
    "df.resample('1h', on='t').size()": df.resample('1h', { on: 't' }).size(),
    "df.resample('1d', on='t').f.std()": df.resample('1d', { on: 't' }).col('f').std(),
    "df.resample('20min', on='t').agg({'v': 'sum', 'f': 'max'})": df.resample('20min', { on: 't' }).agg({ v: 'sum', f: 'max' }),
  };
  const got = await env.client.compute(...Object.values(cases));
  const codes = Object.keys(cases);
  const indexCodes = codes.map((k) => `${k}.index.to_series()`);
  const want = pandasCases(path, [...codes, ...indexCodes], { parse_dates: ['t'] });
  codes.forEach((k, j) => {
    const w = want[k];
    assert.ok(!w.error, `${k}: pandas: ${w.error}`);
    const g = ours(got[j]);
    const index = Array.from(got[j].index);
    assert.deepEqual(index, want[indexCodes[j]].values, `${k}: bins`);
    if (g.columns) {
      assert.deepEqual(g.columns, w.columns, k);
      assert.deepEqual(g.dtypes, w.dtypes, k);
      return g.columns.forEach((c) => close(g.data[c].map((x) => x ?? NaN), fromJson(w.data[c].map((x) => x ?? 'nan')), `${k}: ${c}`, 1e-12));
    }
    assert.equal(g.dtype, w.dtype, `${k}: dtype`);
    close(g.values.map((x) => x ?? NaN), fromJson(w.values.map((x) => x ?? 'nan')), k, 1e-12);
  });
  assert.throws(() => df.resample('7min', { on: 't' }).col('v').sum(), /resample: the frequency 7min does not divide a day/);
  assert.throws(() => df.resample('1h', { on: 'v' }).size(), /resample: on column v is int64, not a datetime/);
  assert.throws(() => df.resample('1h'), /resample: give the datetime column as \{on: name\}/);
  assert.throws(() => df.resample('1week', { on: 't' }).size(), /resample: unknown frequency "1week"/);
});

test('groupby transform and cumulative aggregations per group equal pandas, in row order across partitions', async () => {
  const rows = Array.from({ length: 160 }, (_, j) => {
    const f = j % 13 === 5 ? '' : String(0.5 + ((j * 37) % 11) / 10);
    const s = j % 9 === 2 ? '' : ['a', 'b', 'c'][(j * 7) % 3];
    return `${j % 5},${s},${(j * 17) % 23 - 9},${f}`;
  });
  const [path] = write({ 'g.csv': `k,s,v,f\n${rows.join('\n')}\n` });
  const df = await env.client.dataframe.readCsv(path, { blocksize: 200 });
  assert.ok(df.npartitions > 6, `${df.npartitions} partitions`);
  const byK = df.groupby('k');
  const byS = df.groupby('s');
  const byKS = df.groupby(['k', 's']);
  const cases = {
    "df.groupby('k').v.cumsum()": byK.col('v').cumsum(),
    "df.groupby('s').f.cumsum()": byS.col('f').cumsum(),
    "df.groupby('s').v.cummax()": byS.col('v').cummax(),
    "df.groupby('k').f.cummin()": byK.col('f').cummin(),
    "df.groupby('k').f.cumprod()": byK.col('f').cumprod(),
    "df.groupby(['k', 's']).f.cumsum()": byKS.col('f').cumsum(),
    "df.groupby('k').f.transform('mean')": byK.col('f').transform('mean'),
    "df.groupby('s').v.transform('sum')": byS.col('v').transform('sum'),
    "df.groupby('k').v.transform('max')": byK.col('v').transform('max'),
    "df.groupby('k').f.transform('count')": byK.col('f').transform('count'),
    "df.groupby(['k', 's']).f.transform('max')": byKS.col('f').transform('max'),
    "df.f - df.groupby('k').f.transform('mean')": df.col('f').sub(byK.col('f').transform('mean')),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(path, Object.keys(cases));
  Object.keys(cases).forEach((k, j) => {
    const w = want[k];
    assert.ok(!w.error, `${k}: pandas: ${w.error}`);
    const g = ours(got[j]);
    assert.equal(g.dtype, w.dtype, `${k}: dtype`);
    close(g.values.map((x) => x ?? NaN), fromJson(w.values.map((x) => x ?? 'nan')), k, 1e-12);
  });
  assert.throws(() => byS.col('s').cumsum(), /cumsum of a string series is not supported/);
  assert.throws(() => byK.col('v').transform('mean_'), /unknown GroupAgg 'mean_'/);
});

test('rolling by time equals pandas rolling(freq, on=…) across partition edges: gaps, equal times, missing values', async () => {
  const start = Date.UTC(2024, 0, 1, 9, 0);
  let ms = start;
  const rows = Array.from({ length: 150 }, (_, j) => {
    ms += j % 17 === 0 ? 95 * 60_000 : j % 5 === 0 ? 0 : ((j * 7) % 9) * 60_000; // gaps, equal times
    const t = new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
    const f = j % 11 === 4 ? '' : String(((j * 37) % 23) / 4 - 2);
    return `${t},${(j * 13) % 17 - 5},${f}`;
  });
  const [path] = write({ 'tw.csv': `t,v,f\n${rows.join('\n')}\n`, 'unsorted.csv': 't,v\n2024-01-01 10:00:00,1\n2024-01-01 09:00:00,2\n' });
  const df = await env.client.dataframe.readCsv(path, { blocksize: 500, parseDates: ['t'] });
  assert.ok(df.npartitions > 6, `${df.npartitions} partitions`);
  const t = df.col('t');
  const cases = {};
  for (const agg of ['mean', 'sum', 'min', 'max', 'std', 'var', 'count']) {
    cases[`df.rolling('30min', on='t').f.${agg}()`] = df.col('f').rolling('30min', { on: t })[agg]();
    cases[`df.rolling('2h', on='t', min_periods=3).v.${agg}()`] = df.col('v').rolling('2h', { on: t, minPeriods: 3 })[agg]();
  }
  cases["df.rolling('1min', on='t').v.sum()"] = df.col('v').rolling('1min', { on: t }).sum();
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(path, Object.keys(cases), { parse_dates: ['t'] });
  Object.keys(cases).forEach((k, j) => {
    const w = want[k];
    assert.ok(!w.error, `${k}: pandas: ${w.error}`);
    const g = ours(got[j]);
    assert.equal(g.dtype, w.dtype, `${k}: dtype`);
    close(g.values.map((x) => x ?? NaN), fromJson(w.values.map((x) => x ?? 'nan')), k, 1e-9);
  });
  assert.throws(() => df.col('f').rolling('30min', { on: df.col('v') }).mean(), /rolling\('30min'\): on column v is int64, not a datetime/);
  assert.throws(() => df.col('f').rolling('30min').mean(), /give the datetime Series of the same rows as \{on\}/);
  assert.throws(() => df.col('f').rolling('30 parsecs', { on: t }).mean(), /rolling: unknown window/);
  const bad = await env.client.dataframe.readCsv(paths1(path), { parseDates: ['t'] });
  await assert.rejects(bad.col('v').rolling('1h', { on: bad.col('t') }).sum().compute(), /rolling: the on column must be sorted ascending \(row 1/);
});

/** The unsorted file written beside `path`. */
function paths1(path) {
  return path.replace(/tw\.csv$/, 'unsorted.csv');
}
