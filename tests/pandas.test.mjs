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
function pandasRead(paths) {
  const code = `
import json, sys
import pandas as pd
df = pd.concat([pd.read_csv(p) for p in sys.argv[1:]], ignore_index=True)
out = {"columns": list(df.columns), "dtypes": [str(t) for t in df.dtypes],
       "data": {c: [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in df[c]] for c in df.columns}}
print(json.dumps(out))
`;
  const r = spawnSync(py, ['-c', code, ...paths], { encoding: 'utf8' });
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
