// How many CSV files of a corpus daskling reads exactly as pandas' read_csv does, both
// with their defaults (issue "CSV files as they come"). The corpus is kept outside this
// repository so that it measures rather than steers; run
//
//   node tests/corpus/measure.mjs <folder> [--show N]
//
// after `npm test` (it needs dist/ and the test venv). Of the files pandas reads, those
// with rows count as exact when columns, dtypes, index and every value are equal; files
// with a header and no rows when columns and dtypes are. A daskling error is a miss; a
// read that succeeds with other values is a wrong value (the one thing never allowed).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { Client } from '../../dist/node.js';
import { python } from '../venv.mjs';

const [dir, ...rest] = process.argv.slice(2);
if (!dir) throw new Error('usage: node tests/corpus/measure.mjs <folder> [--show N]');
const show = rest[0] === '--show' ? Number(rest[1]) : 10;
const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
const files = walk(dir).filter((f) => /\.(csv|tsv|txt)(\.(gz|zst|bz2))?$/i.test(f)).sort();

const py = python('dask', join(import.meta.dirname, '..', 'dask', 'requirements.txt'));
const code = `
import json, math, sys, warnings
import pandas as pd
def clean(v):
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    return v
warnings.simplefilter("ignore")
out = {}
for p in sys.argv[1:]:
    try:
        df = pd.read_csv(p)
    except Exception as e:
        out[p] = {"error": type(e).__name__}
        continue
    py = lambda xs: [clean(v) if isinstance(v, tuple) else None if pd.isna(v) else clean(v.item() if hasattr(v, "item") else v) for v in xs]
    r = {"columns": [str(c) for c in df.columns], "dtypes": [str(t) for t in df.dtypes],
         "data": [py(df[c]) for c in df.columns], "rows": len(df)}
    if not (isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1):
        r["index"] = py(df.index)
    out[p] = r
print(json.dumps(out, default=str))
`;
const r = spawnSync(py, ['-c', code, ...files], { encoding: 'utf8', maxBuffer: 1 << 30 });
if (r.status !== 0) throw new Error(r.stderr);
const pandas = JSON.parse(r.stdout);

const dtypeOf = (t, values) => {
  if (t === 'object' && values.length && values.every((v) => v === null || typeof v === 'boolean')) return 'bool';
  return { object: 'string', str: 'string' }[t] ?? (t.startsWith('datetime64') ? 'datetime' : t);
};
const norm = (xs) => Array.from(xs, (v) => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : v));

const client = await Client.start({ threads: 2 });
const tally = { pandasReads: 0, withRows: 0, exact: 0, zeroRows: 0, zeroExact: 0, errors: 0, wrong: 0, pandasFails: 0 };
const misses = { error: [], wrong: [] };
for (const f of files) {
  const want = pandas[f];
  if (want.error) {
    tally.pandasFails++;
    continue;
  }
  tally.pandasReads++;
  const zero = want.rows === 0;
  if (zero) tally.zeroRows++;
  else tally.withRows++;
  const name = relative(dir, f);
  let got;
  try {
    const df = await client.dataframe.readCsv([f]);
    got = { columns: df.columns, dtypes: df.columns.map((c) => df.dtypes[c]), table: await df.compute({ onWarning: () => {}, signal: AbortSignal.timeout(30_000) }) };
  } catch (e) {
    tally.errors++;
    misses.error.push(`${name}: ${e.message.split('\n')[0].slice(0, 160)}`);
    continue;
  }
  const wantDtypes = want.dtypes.map((t, i) => dtypeOf(t, want.data[i]));
  const sameShape = JSON.stringify(got.columns) === JSON.stringify(want.columns) && JSON.stringify(got.dtypes) === JSON.stringify(wantDtypes);
  const boolish = (c, xs) => (got.table.dtypes[c] === 'bool' ? xs.map((x) => (x === null ? null : x === 1)) : xs);
  const sameValues =
    sameShape &&
    got.columns.every((c, i) => JSON.stringify(boolish(c, norm(got.table.data[c]))) === JSON.stringify(want.data[i])) &&
    JSON.stringify(got.table.index ? norm(got.table.index) : null) === JSON.stringify(want.index ?? null);
  if (zero ? sameShape : sameValues) {
    if (zero) tally.zeroExact++;
    else tally.exact++;
  } else {
    tally.wrong++;
    const why = !sameShape
      ? `columns ${JSON.stringify(got.columns).slice(0, 80)} ${JSON.stringify(got.dtypes).slice(0, 80)} vs ${JSON.stringify(want.columns).slice(0, 80)} ${JSON.stringify(wantDtypes).slice(0, 80)}`
      : 'values differ';
    misses.wrong.push(`${name}: ${why}`);
  }
}
await client.close();
const pct = (a, b) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
console.log(JSON.stringify(tally));
console.log(`files: ${files.length}; pandas reads ${tally.pandasReads} (fails on ${tally.pandasFails})`);
console.log(`with rows: ${tally.exact} of ${tally.withRows} exact (${pct(tally.exact, tally.withRows)})`);
console.log(`zero rows: ${tally.zeroExact} of ${tally.zeroRows} with pandas' columns and dtypes`);
console.log(`daskling errors: ${tally.errors}; read but not equal: ${tally.wrong}`);
for (const [k, list] of Object.entries(misses)) {
  console.log(`\n${k} (${list.length}):`);
  for (const m of list.slice(0, show)) console.log(`  ${m}`);
}
