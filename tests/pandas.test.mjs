// daskling against pandas on the same files (Node, the published build; pandas from the
// tests' venv, tests/dask/requirements.txt): each case writes its files, reads them with
// both, and compares columns, dtypes and values.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Client } from '../dist/node.js';
import { python } from './venv.mjs';

let client;
let py;
let dir;
before(async () => {
  py = python('dask', join(import.meta.dirname, 'dask', 'requirements.txt'));
  client = await Client.start({ threads: 2 });
  dir = mkdtempSync(join(tmpdir(), 'daskling-pandas-'));
});
after(async () => {
  await client?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` ({name: text}) under a new folder; their paths. */
function write(files) {
  const sub = mkdtempSync(join(dir, 'case-'));
  return Object.entries(files).map(([name, text]) => {
    const path = join(sub, name);
    writeFileSync(path, text);
    return path;
  });
}

/**
 * What pandas reads from `paths` (each with `read_csv`, concatenated with a fresh index):
 * `{columns, dtypes, data: {col: values}}` (missing as null).
 */
function pandasRead(paths, kwargs = {}) {
  const code = `
import json, sys
import pandas as pd
kw = json.loads(sys.argv[1])
df = pd.concat([pd.read_csv(p, **kw) for p in sys.argv[2:]], ignore_index=True)
out = {"columns": list(df.columns), "dtypes": [str(t) for t in df.dtypes],
       "data": {c: [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in df[c]] for c in df.columns}}
print(json.dumps(out))
`;
  const r = spawnSync(py, ['-c', code, JSON.stringify(kwargs), ...paths], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pandas failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A computed Table as `{columns, data: {col: values}}` (missing as null). */
function plain(table) {
  const data = {};
  for (const c of table.columns) {
    data[c] = Array.from(table.data[c], (v) => (v === null || Number.isNaN(v) ? null : v));
  }
  return { columns: table.columns, data };
}

test("a UTF-8 byte-order mark (Excel's CSV UTF-8) is read as pandas reads it, whole or split", async () => {
  const rows = Array.from({ length: 300 }, (_, i) => `${i},${(i * 0.5).toFixed(1)},name${i % 7}`).join('\r\n');
  const paths = write({
    'a.csv': `\ufeffid,x,label\r\n${rows}\r\n`,
    'b.csv': `\ufeffid,x,label\r\n1000,1.5,last\r\n`,
  });
  const want = pandasRead(paths);
  assert.deepEqual(want.columns, ['id', 'x', 'label']);
  for (const blocksize of [undefined, 512]) {
    const df = await client.dataframe.readCsv(paths, { blocksize });
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
  const r = spawnSync(py, ['-c', code, ...fits], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const want = BigInt(r.stdout.trim());
  assert.equal(want, big + 7n);
  // Files read one per partition: the sum crosses partitions.
  const sum = await (await client.dataframe.readCsv(fits, { blocksize: 0 })).col('k').sum().compute();
  assert.equal(sum, Number(want));
  const df = await client.dataframe.readCsv(over, { blocksize: 0 });
  await assert.rejects(df.col('k').sum().compute(), /sum of this int64 series is 13835058055282163712, outside the int64 range/);
  assert.equal(await df.col('k').max().compute(), Number(big));
});

/** Runs `code` in the venv's Python with `input` as JSON on stdin; its stdout as JSON.
 * Floats travel as strings where JSON has no spelling ('nan', 'inf', '-inf'). */
function pyJson(code, input) {
  const r = spawnSync(py, ['-c', `import json, sys, math\nimport numpy as np, pandas as pd\ninp = json.load(sys.stdin)\n${code}`], {
    input: JSON.stringify(input),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
const toJson = (xs) => Array.from(xs, (x) => (Number.isFinite(x) ? x : String(x).replace('Infinity', 'inf').replace('NaN', 'nan')));
const fromJson = (xs) => xs.map((x) => (typeof x === 'string' ? Number(x.replace('inf', 'Infinity').replace('nan', 'NaN')) : x));
const PY_OUT = `def out(a):\n    return [x if math.isfinite(x) else str(x) for x in np.asarray(a, dtype=float).ravel().tolist()]\n`;

/** Elementwise equal, NaN equal to NaN, within `rel` of each other. */
function close(got, want, what, rel = 1e-12) {
  assert.equal(got.length, want.length, what);
  got.forEach((g, i) => {
    const w = want[i];
    const ok = Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)) || Math.abs(g - w) <= rel * Math.max(1, Math.abs(w));
    assert.ok(ok, `${what}[${i}]: got ${g}, numpy/pandas ${w}`);
  });
}

test('mod and floorDiv of arrays equal numpy (negative, zero and infinite divisors, NaN)', async () => {
  const a = [7, -7, 7, -7, 0, 5.5, -5.5, 1, -1, Infinity, -Infinity, NaN, 1e300, -3, 2.5, 0];
  const b = [2, 2, -2, -2, 3, 0, 0, Infinity, Infinity, 2, -3, 2, 7, -Infinity, 0.1, -4];
  const x = client.array.fromArray(a, { chunks: [5] });
  const y = client.array.fromArray(b, { chunks: [5] });
  const [m, q, m3, qneg] = await client.compute(x.mod(y), x.floorDiv(y), x.mod(3), x.floorDiv(-2.5));
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
  const df = await client.dataframe.readCsv(paths);
  const [i, j, f, g] = ['i', 'j', 'f', 'g'].map((c) => df.col(c));
  const cases = { 'i % j': i.mod(j), 'i // j': i.floorDiv(j), 'i % 3': i.mod(3), 'i // -2': i.floorDiv(-2), 'f % g': f.mod(g), 'f // g': f.floorDiv(g), 'f % 2.5': f.mod(2.5), 'i // g': i.floorDiv(g) };
  const got = await client.compute(...Object.values(cases));
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
  const df = await client.dataframe.readCsv(paths, { blocksize: 24 });
  const [i, f] = [df.col('i'), df.col('f')];
  const names = ['neg', 'abs', 'sqrt', 'exp', 'log', 'sin', 'cos'];
  const cases = {};
  for (const n of names) {
    cases[`i.${n}`] = i[n]();
    cases[`f.${n}`] = f[n]();
  }
  const got = await client.compute(...Object.values(cases));
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
  const df = await client.dataframe.readCsv(paths, { blocksize: 16 });
  const x = df.get('x');
  const [a, b] = await client.compute(x.between(1, 4), x.between(df.col('lo'), df.col('hi')));
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
function pandasCases(path, codes, readArgs = {}, frames = {}) {
  return pyJson(
    `df = pd.read_csv(inp['path'], **inp['args'])\n` +
      `for name, p in inp['frames'].items():\n    globals()[name] = pd.read_csv(p)\n` +
      `def one(v):\n    if isinstance(v, pd.Timestamp):\n        return (v - pd.Timestamp(0)).total_seconds() * 1000\n    v = v.item() if hasattr(v, 'item') else v\n    return str(v) if isinstance(v, float) and math.isinf(v) else v\n` +
      `def vals(s):\n    return [None if pd.isna(v) else one(v) for v in s]\n` +
      `def dt(t):\n    return {'str': 'string'}.get(str(t), str(t))\n` +
      `r = {}\nfor k in inp['codes']:\n    try:\n        v = eval(k)\n    except Exception as e:\n        r[k] = {'error': str(e)}\n        continue\n` +
      `    if isinstance(v, pd.DataFrame):\n        r[k] = {'columns': list(v.columns), 'dtypes': [dt(t) for t in v.dtypes], 'data': {c: vals(v[c]) for c in v.columns}}\n` +
      `    else:\n        r[k] = {'dtype': dt(v.dtype), 'values': vals(v)}\nprint(json.dumps(r))`,
    { path, codes, args: readArgs, frames },
  );
}

/** A computed Column's values with missing as null and bools as true / false. */
function columnValues(dtype, values) {
  return Array.from(values, (v) => {
    if (v === null || Number.isNaN(v)) return null;
    return dtype === 'bool' ? v === 1 : v;
  });
}

/** Our result of a case in pandasCases' shape. */
function ours(r) {
  if (r.columns) {
    return {
      columns: r.columns,
      dtypes: r.columns.map((c) => r.dtypes[c]),
      data: Object.fromEntries(r.columns.map((c) => [c, columnValues(r.dtypes[c], r.data[c])])),
    };
  }
  return { dtype: r.dtype, values: columnValues(r.dtype, r.values) };
}

// Missing values in every column kind, ties, a one-row file, and partitions a filter empties.
const MISSING_CSV = {
  'a.csv': 'i,f,s,g\n1,1.5,a,2.25\n2,,b,\n3,-2.5,,-1.75\n1,0.125,a,\n',
  'b.csv': 'i,f,s,g\n4,,,\n',
  'c.csv': 'i,f,s,g\n-15,15,c,0.5\n25,2.675,,-0.5\n7,,b,7\n',
};

test('missing data: isna, notna, fillna, dropna and count equal pandas (series and frames)', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await client.dataframe.readCsv(paths, { blocksize: 0 });
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
  const got = await client.compute(...Object.values(cases));
  const want = pandasCases(joined, Object.keys(cases));
  Object.keys(cases).forEach((k, n) => assert.deepEqual(ours(got[n]), want[k], k));
  // count() skips missing values; so do the reductions.
  const counts = await client.compute(f.count(), s.count(), g.count(), f.sum(), g.mean(), f.max());
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
  const df = await client.dataframe.readCsv(paths, { blocksize: 0 });
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
  const got = await client.compute(...Object.values(cases));
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
  const df = await client.dataframe.readCsv(paths, { blocksize: 0 });
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
  const got = await client.compute(...Object.values(cases));
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
  const m = await client.dataframe.readCsv(mixed, { blocksize: 0 });
  assert.deepEqual(m.dtypes, { n: 'int64', b: 'bool' });
  const mCases = { 'df.sum(numeric_only=True)': m.sum(), 'df[["b"]].sum(numeric_only=True)': m.select(['b']).sum(), 'df[["n"]].max(numeric_only=True)': m.select(['n']).max(), 'df[["n"]].min(numeric_only=True)': m.select(['n']).min() };
  const mGot = await client.compute(...Object.values(mCases));
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
      const df = await client.dataframe.readCsv(paths, { blocksize, ...ours });
      if (blocksize) assert.ok(df.npartitions > 2, what);
      assert.deepEqual(Object.values(df.dtypes), want.dtypes.map((d) => (d === 'str' ? 'string' : d)), what);
      assert.deepEqual(plain(await df.compute()), { columns: want.columns, data: want.data }, what);
    }
  }
});

test('nlargest, nsmallest, unique, dropDuplicates and tail equal pandas (ties, missing values, many partitions)', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await client.dataframe.readCsv(paths, { blocksize: 0 });
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
  const got = await client.compute(...Object.values(cases));
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
  const df = await client.dataframe.readCsv(paths, { blocksize: 400 });
  assert.ok(df.npartitions > 64, `${df.npartitions} partitions`);
  const cases = {
    'df.nlargest(25, ["b", "a"])': df.nlargest(25, ['b', 'a']),
    'df.b.nsmallest(30)': df.col('b').nsmallest(30),
    'pd.Series(df.a.unique())': df.col('a').unique(),
    'df.drop_duplicates(subset=["b", "k"], keep="last")': df.dropDuplicates({ subset: ['b', 'k'], keep: 'last' }),
    'df.drop_duplicates(subset=["a"], keep=False)': df.dropDuplicates({ subset: ['a'], keep: false }),
  };
  const got = await client.compute(...Object.values(cases));
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
  const df = await client.dataframe.readCsv(paths, { blocksize: 0, parseDates: ['t'] });
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
  const got = await client.compute(...Object.values(cases));
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
  const df = await client.dataframe.readCsv(paths, { blocksize: 64 });
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
  const got = await client.compute(...Object.values(cases));
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

test('shift, diff, pctChange, cumulative and rolling aggregations equal pandas across partition edges', async () => {
  const n = 120;
  const rows = Array.from({ length: n }, (_, j) => {
    const f = j % 17 === 5 ? '' : String(((j * 37) % 23) - 7 + (j % 3) * 0.25);
    return `${((j * 13) % 11) - 4},${f},w${j % 5}`;
  });
  const paths = write({ 'a.csv': `i,f,s\n${rows.join('\n')}\n` });
  // Partitions of a few rows: windows and lags reach over several partition edges.
  const df = await client.dataframe.readCsv(paths, { blocksize: 40 });
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
  const got = await client.compute(...Object.values(cases));
  const codes = Object.keys(cases).map((k) => (k === 'df.i.cumprod()' ? 'df[df.i != 0].i.cumprod()' : k));
  const want = pandasCases(paths[0], codes);
  Object.keys(cases).forEach((k, j) => {
    const w = want[codes[j]];
    const g = ours(got[j]);
    assert.equal(g.dtype, w.dtype, `${k}: dtype`);
    if (g.dtype === 'string') return assert.deepEqual(g.values, w.values, k);
    close(g.values.map((x) => x ?? NaN), fromJson(w.values.map((x) => x ?? 'nan')), k, 1e-9);
  });
  assert.throws(() => s.cumsum(), /cumsum of a string series is not supported/);
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
  const df = await client.dataframe.readCsv([paths[0]], { blocksize: 600, parseDates: ['t'] });
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
  const got = await client.compute(...Object.values(cases));
  const want = pandasCases(paths[0], Object.keys(cases), { parse_dates: ['t'] });
  Object.keys(cases).forEach((k, j) => {
    const g = ours(got[j]);
    const w = want[k];
    // Datetimes as milliseconds on both sides; pandas' dtype is datetime64[us].
    if (g.columns) return assert.deepEqual(g.data, w.data, k);
    if (g.dtype === 'datetime') g.dtype = 'float64';
    assert.deepEqual(g, w, k);
  });
  const one = await client.dataframe.readCsv([paths[1]]);
  assert.deepEqual(ours(await one.sortValues('f', { ascending: false }).compute()), pandasCases(paths[1], ["df.sort_values('f', ascending=False)"])["df.sort_values('f', ascending=False)"]);
  assert.throws(() => df.sortValues('nope'), /sortValues: no column nope \(the columns are i, f, s, t, b, r\)/);
  assert.throws(() => df.sortValues(['i'], { ascending: [true, false] }), /ascending has 2 values for 1 columns/);
});

test('where and mask equal pandas: constants, missing, replacement series, dtypes, missing conditions', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await client.dataframe.readCsv(paths, { blocksize: 0 });
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
  const got = await client.compute(...Object.values(cases));
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
  const df = await client.dataframe.readCsv([a, b, c], { blocksize: 0 });
  const dx = await client.dataframe.readCsv([x]);
  const dy = await client.dataframe.readCsv([y]);
  const cases = {
    'pd.concat([df, dx], ignore_index=True)': client.dataframe.concat([df, dx]),
    'pd.concat([dx, dy, dx], ignore_index=True)': client.dataframe.concat([dx, dy, dx]),
    'pd.concat([df[df.i > 100], dy], ignore_index=True)': client.dataframe.concat([df.filter(df.col('i').gt(100)), dy]),
    'pd.concat([df.i, dx.i], ignore_index=True)': client.dataframe.concat([df.col('i'), dx.col('i')]),
    'pd.concat([df.f, dy.i], ignore_index=True)': client.dataframe.concat([df.col('f'), dy.col('i')]),
  };
  const stacked = client.dataframe.concat([df, dx]);
  assert.equal(stacked.npartitions, df.npartitions + dx.npartitions);
  assert.deepEqual(stacked.columns, ['i', 'f', 's', 'g', 'z']);
  const got = await client.compute(...Object.values(cases), stacked.col('z').count(), stacked.len());
  assert.deepEqual(got.slice(-2), [2, 8 + 2]);
  // pandas' df: the three files as one.
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const want = pandasCases(joined, Object.keys(cases), {}, { dx: x, dy: y });
  Object.keys(cases).forEach((k, n) => assert.deepEqual(ours(got[n]), want[k], k));
  const t = await client.dataframe.readCsv([write({ 't.csv': 'i,f\n1,a\n' })[0]]);
  assert.throws(() => client.dataframe.concat([dy, t]), /concat: column f is float64 in one input and string in another/);
  assert.throws(() => client.dataframe.concat([df, df.col('i')]), /concat: item 1 is not a DataFrame like the first/);
  assert.throws(() => client.dataframe.concat([]), /concat: needs at least one/);
});

test('repartition keeps every row in order; groupby(k).size() equals pandas (missing values counted)', async () => {
  const paths = write(MISSING_CSV);
  const joined = write({ 'all.csv': Object.values(MISSING_CSV).map((t, n) => (n ? t.split('\n').slice(1).join('\n') : t)).join('') })[0];
  const df = await client.dataframe.readCsv(paths, { blocksize: 0 });
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
  const got = await client.compute(...Object.values(cases));
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
  const df = await client.dataframe.readCsv([path], { blocksize: 400 });
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
  const got = await client.compute(...Object.values(cases));
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
