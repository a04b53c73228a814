// What the pandas comparison tests share (tests/pandas*.test.mjs): a client, the venv's
// pandas, files written per case, and results brought to one shape on both sides.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

import { Client } from '../dist/node.js';
import { python } from './venv.mjs';

/** The test file's client and the venv's python, set by `usingPandas()`'s before hook. */
export const env = { client: null, py: null, dir: null };

/** Starts a client and a scratch folder before the file's tests, and stops them after. */
export function usingPandas() {
  before(async () => {
    env.py = python('dask', join(import.meta.dirname, 'dask', 'requirements.txt'));
    env.client = await Client.start({ threads: 2 });
    env.dir = mkdtempSync(join(tmpdir(), 'daskling-pandas-'));
  });
  after(async () => {
    await env.client?.close();
    if (env.dir) rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}

/** Writes `files` ({name: text}) under a new folder; their paths. */
export function write(files) {
  const sub = mkdtempSync(join(env.dir, 'case-'));
  return Object.entries(files).map(([name, text]) => {
    const path = join(sub, name);
    writeFileSync(path, text);
    return path;
  });
}

/**
 * What pandas reads from `paths` (each with `read_csv`, several concatenated with a fresh
 * index): `{columns, dtypes, data: {col: values}}` (missing as null), and `index`,
 * `indexDtype` when one file's read has an index of its own.
 */
export function pandasRead(paths, kwargs = {}) {
  const code = `
import json, sys
import pandas as pd
kw = json.loads(sys.argv[1])
paths = sys.argv[2:]
df = pd.read_csv(paths[0], **kw) if len(paths) == 1 else pd.concat([pd.read_csv(p, **kw) for p in paths], ignore_index=True)
py = lambda xs: [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in xs]
out = {"columns": list(df.columns), "dtypes": [str(t) for t in df.dtypes],
       "data": {c: py(df[c]) for c in df.columns}}
if not (isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1):
    out["index"] = py(df.index)
    out["indexDtype"] = str(df.index.dtype)
print(json.dumps(out))
`;
  const r = spawnSync(env.py, ['-c', code, JSON.stringify(kwargs), ...paths], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pandas failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** pandas' dtype as daskling spells it. */
const dtypeOf = (t) => ({ object: 'string', str: 'string', 'datetime64[ns]': 'datetime', 'datetime64[us]': 'datetime' })[t] ?? t;

/**
 * `text` (a string or bytes) as file `name`, read by daskling whole and in blocks of
 * `blocksize` with readCsv `options`, and by pandas with `kwargs`: columns, dtypes and
 * values equal. Integer column names of pandas (a file without a header) are compared
 * as text.
 */
export async function csvSameAsPandas(name, text, { blocksize = 64, options = {}, kwargs = {} } = {}) {
  const [path] = write({ [name]: text });
  const want = pandasRead([path], kwargs);
  const names = want.columns.map(String);
  for (const bs of [undefined, blocksize]) {
    const df = await env.client.dataframe.readCsv([path], { ...options, blocksize: bs });
    const what = `${name}, blocksize ${bs}`;
    assert.deepEqual(df.columns, names, what);
    // pandas' object column of True/False with missing values is daskling's bool with null.
    const bools = (c) => want.data[c].length > 0 && want.data[c].every((v) => v === null || typeof v === 'boolean');
    const wantDtypes = want.dtypes.map((t, i) => (t === 'object' && bools(want.columns[i]) ? 'bool' : dtypeOf(t)));
    assert.deepEqual(df.columns.map((c) => df.dtypes[c]), wantDtypes, what);
    const got = plain(await df.compute());
    const values = (c, xs) => (df.dtypes[c] === 'bool' ? xs.map((x) => (x === null ? null : x === 1)) : xs);
    const data = Object.fromEntries(got.columns.map((c) => [c, values(c, got.data[c])]));
    const wanted = Object.fromEntries(want.columns.map((c) => [String(c), want.data[c]]));
    assert.deepEqual(data, wanted, what);
    const table = await df.compute();
    if (want.index) {
      assert.equal(table.indexDtype, dtypeOf(want.indexDtype), `${what}: index dtype`);
      assert.deepEqual(Array.from(table.index, (v) => (Number.isNaN(v) ? null : v)), want.index, `${what}: index`);
    } else assert.equal(table.index, null, `${what}: no index`);
  }
  return path;
}

/** A computed Table as `{columns, data: {col: values}}` (missing as null). */
export function plain(table) {
  const data = {};
  for (const c of table.columns) {
    data[c] = Array.from(table.data[c], (v) => (v === null || Number.isNaN(v) ? null : v));
  }
  return { columns: table.columns, data };
}

/** Runs `code` in the venv's Python with `input` as JSON on stdin; its stdout as JSON.
 * Floats travel as strings where JSON has no spelling ('nan', 'inf', '-inf'). */
export function pyJson(code, input) {
  const r = spawnSync(env.py, ['-c', `import json, sys, math\nimport numpy as np, pandas as pd\ninp = json.load(sys.stdin)\n${code}`], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
/** Numbers for Python's JSON: ±inf and NaN as strings, and -0 too (JSON writes it as 0). */
export const toJson = (xs) =>
  Array.from(xs, (x) => (Object.is(x, -0) ? '-0.0' : Number.isFinite(x) ? x : String(x).replace('Infinity', 'inf').replace('NaN', 'nan')));
export const fromJson = (xs) => xs.map((x) => (typeof x === 'string' ? Number(x.replace('inf', 'Infinity').replace('nan', 'NaN')) : x));
export const PY_OUT = `def out(a):\n    return [x if math.isfinite(x) else str(x) for x in np.asarray(a, dtype=float).ravel().tolist()]\n`;

/** Elementwise equal, NaN equal to NaN, within `rel` of each other. */
export function close(got, want, what, rel = 1e-12) {
  assert.equal(got.length, want.length, what);
  got.forEach((g, i) => {
    const w = want[i];
    const ok = Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)) || Math.abs(g - w) <= rel * Math.max(1, Math.abs(w));
    assert.ok(ok, `${what}[${i}]: got ${g}, numpy/pandas ${w}`);
  });
}

export function pandasCases(path, codes, readArgs = {}, frames = {}) {
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
export function columnValues(dtype, values) {
  return Array.from(values, (v) => {
    if (v === null || Number.isNaN(v)) return null;
    return dtype === 'bool' ? v === 1 : v;
  });
}

/** Our result of a case in pandasCases' shape. */
export function ours(r) {
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
export const MISSING_CSV = {
  'a.csv': 'i,f,s,g\n1,1.5,a,2.25\n2,,b,\n3,-2.5,,-1.75\n1,0.125,a,\n',
  'b.csv': 'i,f,s,g\n4,,,\n',
  'c.csv': 'i,f,s,g\n-15,15,c,0.5\n25,2.675,,-0.5\n7,,b,7\n',
};
