// daskling against pandas on the same files (Node, the published build; pandas from the
// tests' venv, tests/dask/requirements.txt): each case writes its files, reads them with
// both, and compares columns, dtypes and values. Ordering, time series and grouping:
// pandas-order.test.mjs; the shared helpers: pandas-helpers.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { write, pandasRead, plain, pyJson, toJson, fromJson, PY_OUT, close, pandasCases, ours, MISSING_CSV, usingPandas } from './pandas-helpers.mjs';

const env = usingPandas();

test("a UTF-8 byte-order mark (Excel's CSV UTF-8) is read as pandas reads it, whole or split", async () => {
  const rows = Array.from({ length: 300 }, (_, i) => `${i},${(i * 0.5).toFixed(1)},name${i % 7}`).join('\r\n');
  const paths = write({
    'a.csv': `\ufeffid,x,label\r\n${rows}\r\n`,
    'b.csv': `\ufeffid,x,label\r\n1000,1.5,last\r\n`,
  });
  const want = pandasRead(paths);
  assert.deepEqual(want.columns, ['id', 'x', 'label']);
  for (const blocksize of [undefined, 512]) {
    const df = await env.client.dataframe.readCsv(paths, { blocksize });
    assert.deepEqual(df.columns, want.columns, `blocksize ${blocksize}`);
    if (blocksize) assert.ok(df.npartitions > 2, `split in ${df.npartitions}`);
    const got = plain(await df.compute());
    assert.deepEqual(got, { columns: want.columns, data: want.data }, `blocksize ${blocksize}`);
  }
});

test('int64 sums: exact where pandas is; outside the int64 range an error, not a wrapped number', async () => {
  const big = 2n ** 62n;
  const [fits, over] = [
    write({ 'a.csv': `k\n${big}\n${big}\n`, 'b.csv': `k\n${-big}\n7\n` }),
    write({ 'a.csv': `k\n${big}\n${big}\n`, 'b.csv': `k\n${big}\n` }),
  ];
  // pandas' own sum of the first (as an exact Python int).
  const code = 'import sys, pandas as pd; print(int(pd.concat([pd.read_csv(p) for p in sys.argv[1:]]).k.sum()))';
  const r = spawnSync(env.py, ['-c', code, ...fits], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const want = BigInt(r.stdout.trim());
  assert.equal(want, big + 7n);
  // Files read one per partition: the sum crosses partitions.
  const sum = await (await env.client.dataframe.readCsv(fits, { blocksize: 0 })).col('k').sum().compute();
  assert.equal(sum, Number(want));
  const df = await env.client.dataframe.readCsv(over, { blocksize: 0 });
  await assert.rejects(df.col('k').sum().compute(), /sum of this int64 series is 13835058055282163712, outside the int64 range/);
  assert.equal(await df.col('k').max().compute(), Number(big));
});

test('mod and floorDiv of arrays equal numpy (negative, zero and infinite divisors, NaN)', async () => {
  const a = [7, -7, 7, -7, 0, 5.5, -5.5, 1, -1, Infinity, -Infinity, NaN, 1e300, -3, 2.5, 0];
  const b = [2, 2, -2, -2, 3, 0, 0, Infinity, Infinity, 2, -3, 2, 7, -Infinity, 0.1, -4];
  const x = env.client.array.fromArray(a, { chunks: [5] });
  const y = env.client.array.fromArray(b, { chunks: [5] });
  const [m, q, m3, qneg] = await env.client.compute(x.mod(y), x.floorDiv(y), x.mod(3), x.floorDiv(-2.5));
  const want = pyJson(
    `${PY_OUT}a = np.array([float(v) for v in inp['a']]); b = np.array([float(v) for v in inp['b']])\n` +
      `with np.errstate(all='ignore'):\n    print(json.dumps([out(np.mod(a, b)), out(np.floor_divide(a, b)), out(np.mod(a, 3)), out(np.floor_divide(a, -2.5))]))`,
    { a: toJson(a), b: toJson(b) },
  ).map(fromJson);
  close(Array.from(m.data), want[0], 'mod');
  close(Array.from(q.data), want[1], 'floorDiv');
  close(Array.from(m3.data), want[2], 'mod 3');
  close(Array.from(qneg.data), want[3], 'floorDiv -2.5');
});

test('mod and floorDiv of int64 and float64 series equal pandas; an int64 division by zero is an error', async () => {
  const rows = [
    [7, 2, 7.5, 2],
    [-7, 3, -7.5, -2],
    [0, -4, 0, 0],
    [13, -5, 1e15 + 0.5, 0.25],
    [-13, 5, -0.0, 3],
  ];
  const paths = write({ 'a.csv': `i,j,f,g\n${rows.map((r) => r.join(',')).join('\n')}\n` });
  const df = await env.client.dataframe.readCsv(paths);
  const [i, j, f, g] = ['i', 'j', 'f', 'g'].map((c) => df.col(c));
  const cases = { 'i % j': i.mod(j), 'i // j': i.floorDiv(j), 'i % 3': i.mod(3), 'i // -2': i.floorDiv(-2), 'f % g': f.mod(g), 'f // g': f.floorDiv(g), 'f % 2.5': f.mod(2.5), 'i // g': i.floorDiv(g) };
  const got = await env.client.compute(...Object.values(cases));
  const want = pyJson(
    `${PY_OUT}df = pd.read_csv(inp['path'])\ni, j, f, g = df.i, df.j, df.f, df.g\n` +
      `r = {}\nfor k in inp['cases']:\n    s = eval(k)\n    r[k] = {'dtype': str(s.dtype), 'values': out(s)}\nprint(json.dumps(r))`,
    { path: paths[0], cases: Object.keys(cases) },
  );
  Object.keys(cases).forEach((k, n) => {
    assert.equal(got[n].dtype, want[k].dtype, `${k} dtype`);
    close(Array.from(got[n].values), fromJson(want[k].values), k);
  });
  await assert.rejects(i.mod(0).compute(), /mod of int64 series: division by zero \(7 by 0\)/);
  await assert.rejects(i.floorDiv(i.sub(i)).compute(), /floorDiv of int64 series: division by zero/);
});

test("a series' elementwise functions equal pandas' (numpy's ufuncs), dtypes included", async () => {
  const paths = write({ 'a.csv': 'i,f,s\n-4,-2.25,a\n9,0,b\n0,1e-300,c\n7,7.5,d\n-1,-0.5,e\n' });
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 24 });
  const [i, f] = [df.col('i'), df.col('f')];
  const names = ['neg', 'abs', 'sqrt', 'exp', 'log', 'sin', 'cos'];
  const cases = {};
  for (const n of names) {
    cases[`i.${n}`] = i[n]();
    cases[`f.${n}`] = f[n]();
  }
  const got = await env.client.compute(...Object.values(cases));
  const want = pyJson(
    `${PY_OUT}df = pd.read_csv(inp['path'])\n` +
      `fns = {'neg': lambda s: -s, 'abs': abs, 'sqrt': np.sqrt, 'exp': np.exp, 'log': np.log, 'sin': np.sin, 'cos': np.cos}\n` +
      `r = {}\nfor k in inp['cases']:\n    col, fn = k.split('.')\n    with np.errstate(all='ignore'):\n        s = fns[fn](df[col])\n    r[k] = {'dtype': str(s.dtype), 'values': out(s)}\nprint(json.dumps(r))`,
    { path: paths[0], cases: Object.keys(cases) },
  );
  Object.keys(cases).forEach((k, n) => {
    assert.equal(got[n].dtype, want[k].dtype, `${k} dtype`);
    close(Array.from(got[n].values), fromJson(want[k].values), k, 1e-15);
  });
  assert.throws(() => df.col('s').sqrt(), /sqrt needs a numeric series, got string/);
});

test('between (numbers and series bounds, missing values, ties) and get equal pandas', async () => {
  const paths = write({ 'a.csv': 'x,lo,hi\n1,0,1\n2.5,3,4\n,0,9\n4,4,4\n-1,-2,0\n7,,9\n' });
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 16 });
  const x = df.get('x');
  const [a, b] = await env.client.compute(x.between(1, 4), x.between(df.col('lo'), df.col('hi')));
  const want = pyJson(
    `df = pd.read_csv(inp['path'])\nprint(json.dumps([df.get('x').between(1, 4).tolist(), df.x.between(df.lo, df.hi).tolist()]))`,
    { path: paths[0] },
  );
  assert.equal(a.dtype, 'bool');
  assert.deepEqual([Array.from(a.values, Boolean), Array.from(b.values, Boolean)], want);
});

/**
 * pandas' value of each of `codes` (Python expressions over `df`, the file read with
 * `read_csv(path, **readArgs)`), by code: a series as `{dtype, values}`, a frame as
 * `{columns, dtypes, data}`, an error as `{error}`; missing values null.
 */
test('missing data: isna, notna, fillna, dropna and count equal pandas (series and frames)', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  assert.equal(df.npartitions, 3);
  const [f, s, g] = ['f', 's', 'g'].map((c) => df.col(c));
  const cases = {
    'df.isna()': df.isna(),
    'df.notna()': df.notna(),
    'df.f.isna()': f.isna(),
    'df.s.notna()': s.notna(),
    'df.f.fillna(0)': f.fillna(0),
    'df.s.fillna("z")': s.fillna('z'),
    'df.fillna({"f": -1, "s": "none"})': df.fillna({ f: -1, s: 'none' }),
    'df.dropna()': df.dropna(),
    'df.dropna(how="all", subset=["f", "g"])': df.dropna({ how: 'all', subset: ['f', 'g'] }),
    'df.dropna(subset="s")': df.dropna({ subset: 's' }),
    'df.f.dropna()': f.dropna(),
    'df[df.i > 100].dropna()': df.filter(df.col('i').gt(100)).dropna(),
    'df[df.i > 3].fillna({"g": 0})': df.filter(df.col('i').gt(3)).fillna({ g: 0 }),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(joined, Object.keys(cases));
  Object.keys(cases).forEach((k, n) => assert.deepEqual(ours(got[n]), want[k], k));
  // count() skips missing values; so do the reductions.
  const counts = await env.client.compute(f.count(), s.count(), g.count(), f.sum(), g.mean(), f.max());
  const wantCounts = pyJson(`df = pd.read_csv(inp['path'])\nprint(json.dumps([int(df.f.count()), int(df.s.count()), int(df.g.count()), df.f.sum(), df.g.mean(), df.f.max()]))`, { path: joined });
  close(counts, wantCounts, 'count, sum, mean, max');
  assert.throws(() => df.fillna(0), /column s: fillna: a string series cannot be filled with a number 0.0/);
  assert.throws(() => f.fillna(null), /fillna needs a value/);
  assert.throws(() => df.dropna({ how: 'some' }), /how must be 'any' or 'all'/);
  assert.throws(() => df.dropna({ subset: ['nope'] }), /no column nope/);
});

test('round, clip, isin and astype equal pandas: values and dtypes, missing values kept', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  const [i, f, s] = ['i', 'f', 's'].map((c) => df.col(c));
  const cases = {
    'df.f.round(2)': f.round(2),
    'df.f.round()': f.round(),
    'df.f.round(-1)': f.round(-1),
    'df.i.round(-1)': i.round(-1),
    'df.round(1)': df.round(1),
    'df.f.clip(0, 2)': f.clip(0, 2),
    'df.i.clip(1, 4)': i.clip(1, 4),
    'df.i.clip(0.5)': i.clip(0.5),
    'df.f.clip(None, 1)': f.clip(null, 1),
    'df[["i", "f"]].clip(-1, 1.5)': df.select(['i', 'f']).clip(-1, 1.5),
    'df.i.isin([1, 3, 99])': i.isin([1, 3, 99]),
    'df.s.isin(["a", None])': s.isin(['a', null]),
    'df.f.isin([1.5, np.nan, 2.675])': f.isin([1.5, null, 2.675]),
    'df.f.isin([np.nan])': f.isin([NaN]),
    'df.i.isin(["1"])': i.isin(['1']),
    'df[["i", "f"]].isin([1, 1.5])': df.select(['i', 'f']).isin([1, 1.5]),
    'df.i.astype("float64")': i.astype('float64'),
    'df.i.astype(str)': i.astype('string'),
    'df.f.astype(str)': f.astype('string'),
    'df.f.astype(bool)': f.astype('bool'),
    'df.f.fillna(0).astype("int64")': f.fillna(0).astype('int64'),
    '(df.i > 2).astype("int64")': i.gt(2).astype('int64'),
    'df.i.astype(str).astype("float64")': i.astype('string').astype('float64'),
    'df.astype({"i": "float64"})': df.astype({ i: 'float64' }),
    'df[["i", "f", "s"]].astype(str)': df.select(['i', 'f', 's']).astype('string'),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(joined, Object.keys(cases));
  Object.keys(cases).forEach((k, n) => assert.deepEqual(ours(got[n]), want[k], k));
  // What pandas refuses, refused with a message saying what to do.
  await assert.rejects(f.astype('int64').compute(), /cannot convert non-finite values \(NA or inf\) to integer; fill them first/);
  await assert.rejects(s.dropna().astype('int64').compute(), /astype\(int64\): cannot convert "[abc]": not an integer/);
  await assert.rejects(df.filter(i.eq(4)).col('s').astype('int64').compute(), /astype\(int64\): cannot convert a missing value: int64 has no missing values/);
  assert.throws(() => s.round(), /round needs a numeric series, got string/);
  assert.throws(() => i.isin(3), /isin needs a list of values/);
  assert.throws(() => i.astype('complex'), /unknown Dtype 'complex'/);
  assert.throws(() => df.col('g').round(1.5), /decimals must be an integer/);
});

test("frame-wide reductions equal pandas' numeric_only ones: a Series indexed by column name", async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  const ints = df.select(['i']);
  const none = df.filter(df.col('i').gt(100));
  const one = df.filter(df.col('i').eq(-15));
  const cases = {};
  for (const op of ['sum', 'mean', 'min', 'max', 'std', 'var']) {
    cases[`df.${op}(numeric_only=True)`] = df[op]();
    cases[`df[["i"]].${op}(numeric_only=True)`] = ints[op]();
    cases[`df[df.i == -15].${op}(numeric_only=True)`] = one[op]();
  }
  cases['df.count()'] = df.count();
  cases['df.nunique()'] = df.nunique();
  cases['df.std(numeric_only=True, ddof=0)'] = df.std({ ddof: 0 });
  cases['df[df.i > 100].sum(numeric_only=True)'] = none.sum();
  cases['df[df.i > 100].count()'] = none.count();
  const got = await env.client.compute(...Object.values(cases));
  const want = pyJson(
    `df = pd.read_csv(inp['path'])\nr = {}\nfor k in inp['codes']:\n    v = eval(k)\n` +
      `    r[k] = {'dtype': str(v.dtype), 'index': [str(x) for x in v.index], 'values': [None if pd.isna(x) else (x.item() if hasattr(x, 'item') else x) for x in v]}\nprint(json.dumps(r))`,
    { path: joined, codes: Object.keys(cases) },
  );
  Object.keys(cases).forEach((k, n) => {
    const w = want[k];
    assert.deepEqual(Array.from(got[n].index), w.index, `${k}: index`);
    assert.equal(got[n].dtype, w.dtype, `${k}: dtype`);
    close(Array.from(got[n].values), w.values.map((x) => (x === null ? NaN : x)), k, 1e-12);
  });
  assert.equal(df.sum().npartitions, 1);
  // An int64 column (from the first file) that a later partition reads as float64 (it
  // has a missing value), and bools, which sum as ints.
  const mixed = write({ 'p.csv': 'n,b\n1,True\n2,False\n', 'q.csv': 'n,b\n,True\n5,True\n' });
  const mixedJoined = write({ 'all.csv': 'n,b\n1,True\n2,False\n,True\n5,True\n' })[0];
  const m = await env.client.dataframe.readCsv(mixed, { blocksize: 0 });
  assert.deepEqual(m.dtypes, { n: 'int64', b: 'bool' });
  const mCases = { 'df.sum(numeric_only=True)': m.sum(), 'df[["b"]].sum(numeric_only=True)': m.select(['b']).sum(), 'df[["n"]].max(numeric_only=True)': m.select(['n']).max(), 'df[["n"]].min(numeric_only=True)': m.select(['n']).min() };
  const mGot = await env.client.compute(...Object.values(mCases));
  const mWant = pyJson(
    `df = pd.read_csv(inp['path'])\nr = {}\nfor k in inp['codes']:\n    v = eval(k)\n    r[k] = {'dtype': str(v.dtype), 'values': [float(x) for x in v]}\nprint(json.dumps(r))`,
    { path: mixedJoined, codes: Object.keys(mCases) },
  );
  Object.keys(mCases).forEach((k, n) => {
    assert.equal(mGot[n].dtype, mWant[k].dtype, `${k}: dtype`);
    close(Array.from(mGot[n].values), mWant[k].values, k);
  });
  assert.equal(await m.col('n').sum().compute(), 8);
});

test('naValues and keepDefaultNa read as pandas reads them, whole and split', async () => {
  const rows = (k) => Array.from({ length: 40 }, (_, j) => {
    const n = k * 100 + j;
    const a = j % 7 === 0 ? '-999' : j % 11 === 0 ? '' : String(n);
    const b = j % 5 === 0 ? '-999.0' : j % 13 === 0 ? 'NA' : (n / 4).toFixed(2);
    const s = j % 6 === 0 ? 'missing' : j % 9 === 0 ? '' : j % 10 === 0 ? 'NA' : `w${n % 4}`;
    return `${a},${b},${s}`;
  }).join('\n');
  const paths = write({ 'a.csv': `a,b,s\n${rows(1)}\n`, 'b.csv': `a,b,s\n${rows(2)}\n` });
  const cases = [
    [{}, {}],
    [{ naValues: ['-999'] }, { na_values: ['-999'] }],
    [{ naValues: [-999] }, { na_values: [-999] }],
    [{ naValues: 'missing' }, { na_values: 'missing' }],
    [{ naValues: { s: ['missing'], a: -999 } }, { na_values: { s: ['missing'], a: [-999] } }],
    [{ keepDefaultNa: false, naValues: ['-999', ''] }, { keep_default_na: false, na_values: ['-999', ''] }],
    [{ keepDefaultNa: false }, { keep_default_na: false }],
  ];
  for (const [ours, theirs] of cases) {
    const want = pandasRead(paths, theirs);
    for (const blocksize of [0, 256]) {
      const what = `${JSON.stringify(ours)} blocksize ${blocksize}`;
      const df = await env.client.dataframe.readCsv(paths, { blocksize, ...ours });
      if (blocksize) assert.ok(df.npartitions > 2, what);
      assert.deepEqual(Object.values(df.dtypes), want.dtypes.map((d) => (d === 'str' ? 'string' : d)), what);
      assert.deepEqual(plain(await df.compute()), { columns: want.columns, data: want.data }, what);
    }
  }
});

test('nlargest, nsmallest, unique, dropDuplicates and tail equal pandas (ties, missing values, many partitions)', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0 });
  const [i, f, s] = ['i', 'f', 's'].map((c) => df.col(c));
  const cases = {
    'df.f.nlargest(3)': f.nlargest(3),
    'df.f.nsmallest(10)': f.nsmallest(10),
    'df.i.nlargest(4)': i.nlargest(4),
    'df.i.nsmallest(3)': i.nsmallest(3),
    'df.nlargest(3, "f")': df.nlargest(3, 'f'),
    'df.nsmallest(4, ["i", "g"])': df.nsmallest(4, ['i', 'g']),
    'df.nlargest(0, "i")': df.nlargest(0, 'i'),
    'pd.Series(df.i.unique())': i.unique(),
    'pd.Series(df.s.unique())': s.unique(),
    'pd.Series(df.f.unique())': f.unique(),
    'df.drop_duplicates(subset="i")': df.dropDuplicates({ subset: 'i' }),
    'df.drop_duplicates(subset=["s"], keep="last")': df.dropDuplicates({ subset: ['s'], keep: 'last' }),
    'df.drop_duplicates(subset=["i", "s"], keep=False)': df.dropDuplicates({ subset: ['i', 's'], keep: false }),
    'df.drop_duplicates()': df.dropDuplicates(),
    'df.s.drop_duplicates(keep=False)': s.dropDuplicates({ keep: false }),
    'df[df.i > 100].drop_duplicates()': df.filter(df.col('i').gt(100)).dropDuplicates(),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(joined, Object.keys(cases));
  Object.keys(cases).forEach((k, n) => assert.deepEqual(ours(got[n]), want[k], k));
  // tail computes, as dask's; more than there are gives all.
  const tails = { 'df.tail(3)': await df.tail(3), 'df.tail(100)': await df.tail(100), 'df.s.tail(2)': await s.tail(2) };
  const wantTails = pandasCases(joined, Object.keys(tails));
  for (const [k, v] of Object.entries(tails)) assert.deepEqual(ours(v), wantTails[k], k);
  assert.throws(() => df.col('s').nlargest(2), /nlargest orders by numbers or datetimes; column s is string/);
  assert.throws(() => df.nlargest(2, 'nope'), /nlargest: no column nope/);
  assert.throws(() => df.dropDuplicates({ keep: 'middle' }), /keep must be 'first', 'last' or false/);
  assert.throws(() => df.nlargest(1.5, 'i'), /n must be a whole number of rows/);
});

test('nlargest, unique and dropDuplicates over many partitions (two combine levels) equal pandas', async () => {
  const rows = Array.from({ length: 3000 }, (_, j) => `${(j * 7919) % 1009},${((j * 31) % 97) / 4},k${j % 13}`);
  const text = `a,b,k\n${rows.join('\n')}\n`;
  const paths = write({ 'big.csv': text });
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 400 });
  assert.ok(df.npartitions > 64, `${df.npartitions} partitions`);
  const cases = {
    'df.nlargest(25, ["b", "a"])': df.nlargest(25, ['b', 'a']),
    'df.b.nsmallest(30)': df.col('b').nsmallest(30),
    'pd.Series(df.a.unique())': df.col('a').unique(),
    'df.drop_duplicates(subset=["b", "k"], keep="last")': df.dropDuplicates({ subset: ['b', 'k'], keep: 'last' }),
    'df.drop_duplicates(subset=["a"], keep=False)': df.dropDuplicates({ subset: ['a'], keep: false }),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(paths[0], Object.keys(cases));
  Object.keys(cases).forEach((k, n) => assert.deepEqual(ours(got[n]), want[k], k));
  assert.deepEqual(ours(await df.tail(7)), pandasCases(paths[0], ['df.tail(7)'])['df.tail(7)']);
});

test('dt fields second, dayofyear, quarter, weekday; date, normalize and strftime equal pandas', async () => {
  const paths = write({
    'a.csv': 'k,t\na,2012-05-01 09:30:15\nb,2012-12-31 23:59:59\nc,\n',
    'b.csv': 'k,t\nd,2024-02-29 00:00:00\ne,1999-01-01 12:00:00\nf,2023-07-04 18:05:09\n',
  });
  const joined = write({ 'all.csv': 'k,t\na,2012-05-01 09:30:15\nb,2012-12-31 23:59:59\nc,\nd,2024-02-29 00:00:00\ne,1999-01-01 12:00:00\nf,2023-07-04 18:05:09\n' })[0];
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 0, parseDates: ['t'] });
  const t = df.col('t').dt;
  const noNat = df.col('t').dropna().dt;
  const fmt = '%Y/%m/%d %H:%M:%S.%f %y %I%p %j %a %A %b %B %F %T %%';
  const cases = {
    'df.t.dt.second': t.second,
    'df.t.dt.dayofyear': t.dayofyear,
    'df.t.dt.quarter': t.quarter,
    'df.t.dt.weekday': t.weekday,
    'df.t.dt.dayofweek': t.dayofweek,
    'df.t.dropna().dt.quarter': noNat.quarter,
    [`df.t.dt.strftime(${JSON.stringify(fmt)})`]: t.strftime(fmt),
    '(df.t.dt.normalize() - pd.Timestamp(0)).dt.total_seconds() * 1000': t.normalize(),
    '(pd.to_datetime(df.t.dt.date) - pd.Timestamp(0)).dt.total_seconds() * 1000': t.date,
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(joined, Object.keys(cases), { parse_dates: ['t'] });
  Object.keys(cases).forEach((k, n) => {
    const g = ours(got[n]);
    if (g.dtype === 'datetime') g.dtype = 'float64'; // pandas' side is milliseconds as floats
    // pandas' fields are int32, a dtype daskling does not have: int64 holds the same values.
    const w = want[k].dtype === 'int32' ? { ...want[k], dtype: 'int64' } : want[k];
    assert.deepEqual(g, w, k);
  });
  assert.throws(() => t.strftime('%Q'), /unknown directive %Q/);
  assert.throws(() => df.col('k').dt.strftime('%Y'), /needs a datetime series/);
});

test('the str accessor equals pandas: cases, regex and literal patterns, slices, split parts, missing values', async () => {
  const values = ['Apple pie', '', '  b ', 'ab.c', 'Straße Ünïcode ﬁ İ ΣΑΣ', 'x-1-y-22', 'a$b', 'Banana split'];
  const text = `k,n\n${values.map((v, j) => `${JSON.stringify(v)},${j}`).join('\n')}\n,99\n`;
  const paths = write({ 'a.csv': text });
  const df = await env.client.dataframe.readCsv(paths, { blocksize: 64 });
  assert.ok(df.npartitions > 1);
  const k = df.col('k').str;
  const cases = {
    'df.k.str.lower()': k.lower(),
    'df.k.str.upper()': k.upper(),
    'df.k.str.strip()': k.strip(),
    'df.k.str.len()': k.len(),
    'df.k.dropna().str.len()': df.col('k').dropna().str.len(),
    'df.k.str.contains("p")': k.contains('p'),
    'df.k.str.contains("P", case=False)': k.contains('P', { case: false }),
    'df.k.str.contains(".", regex=False)': k.contains('.', { regex: false }),
    'df.k.str.contains(r"\\d+-\\w")': k.contains('\\d+-\\w'),
    'df.k.str.startswith("a")': k.startswith('a'),
    'df.k.str.endswith("e")': k.endswith('e'),
    'df.k.str.replace(".", "!")': k.replace('.', '!'),
    'df.k.str.replace("$", "€")': k.replace('$', '€'),
    'df.k.str.replace(r"(\\d+)", r"<\\1>", regex=True)': k.replace('(\\d+)', '<\\1>', { regex: true }),
    'df.k.str.replace("A", "a", case=False, regex=True)': k.replace('A', 'a', { case: false, regex: true }),
    'df.k.str.slice(1, -1)': k.slice(1, -1),
    'df.k.str.slice(-3)': k.slice(-3),
    'df.k.str.slice(None, 2)': k.slice(null, 2),
    'df.k.str.split(" ").str.get(1)': k.split(' ').get(1),
    'df.k.str.split("-").str.get(-1)': k.split('-').get(-1),
    'df.k.str.split().str.get(0)': k.split().get(0),
  };
  const got = await env.client.compute(...Object.values(cases));
  const want = pandasCases(paths[0], Object.keys(cases));
  Object.keys(cases).forEach((key, n) => {
    // pandas gives the parts of split(...).str.get as an object series.
    const w = want[key].dtype === 'object' ? { ...want[key], dtype: 'string' } : want[key];
    assert.deepEqual(ours(got[n]), w, key);
  });
  assert.throws(() => k.contains('('), /the pattern "\(" is not a regular expression/);
  assert.throws(() => df.col('n').str.lower(), /the str accessor needs a string series, got int64/);
  assert.throws(() => k.split('').get(0), /sep must be non-empty text or null/);
});
