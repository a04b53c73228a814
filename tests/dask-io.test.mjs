// toDask end to end for data in: readCsv's options and readParquet, in Chromium (the
// threaded build, files picked as Files and read from URLs by range requests) and on a
// real dask cluster from the exported script (see dask-cluster.mjs), answers equal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { close, onCluster as run, usingCluster } from './dask-cluster.mjs';

const ctx = usingCluster();
const { DATA, session } = ctx;
const onCluster = (script, name) => run(ctx, script, name);

// Files as they come, for readCsv's options: a preamble, comments, thousands and latin-1
// text (one gzip-compressed), a file without a header, blank lines.
mkdirSync(join(DATA, 'options'));
{
  const body = Array.from({ length: 30 }, (_, i) => `${i};${(i * 1001).toLocaleString('en-US')};Zürich ${i % 4}${i % 7 ? '' : ' # seventh'}`).join('\n');
  const text = Buffer.from(`exported 2024-05-01\nk;v;place\n${body}\n`);
  writeFileSync(join(DATA, 'options', 'a.csv'), text);
  writeFileSync(join(DATA, 'options', 'b.csv.gz'), gzipSync(text));
  const latin = Array.from({ length: 30 }, (_, i) => `${i};${(i * 1001).toLocaleString('en-US')};Zürich ${i % 4}`).join('\n');
  writeFileSync(join(DATA, 'options', 'latin.csv'), Buffer.from(`k;v;place\n${latin}\n`, 'latin1'));
  // A blank line inside (dask's sample drops trailing ones): a row of missing values.
  writeFileSync(join(DATA, 'options', 'bare.csv'), Array.from({ length: 12 }, (_, i) => (i === 6 ? '' : `${i},'x,${i}',${i * 0.5}`)).join('\n') + '\n');
}

// Parquet written by pyarrow: two files of minute bars for two tickers, row groups of 250
// rows, nulls in close and volume; and a larger one (whose footer is a small part of it).
before(() => {
  mkdirSync(join(DATA, 'pq'));
  const code = `
import sys, numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
for name, n, seed in [('a', 1000, 1), ('b', 600, 2), ('big', 200_000, 3)]:
    rng = np.random.default_rng(seed)
    ts = pd.date_range('2024-03-04 09:30', periods=n, freq='min')
    close = 20 + rng.normal(size=n).cumsum() / 10
    volume = rng.integers(0, 1000, size=n)
    t = pa.table({
        'ticker': np.where(np.arange(n) % 3 == 0, 'ge', 'hp'),
        'timestamp': ts,
        'close': pa.array([None if i % 17 == 0 else float(c) for i, c in enumerate(close)]),
        'volume': pa.array([None if i % 29 == 0 else int(v) for i, v in enumerate(volume)], pa.int64()),
    })
    pq.write_table(t, f'{sys.argv[1]}/{name}.parquet', row_group_size=250 if n < 10_000 else 50_000)
`;
  const r = spawnSync(ctx.py, ['-c', code, join(DATA, 'pq')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pyarrow failed: ${r.stderr}`);
});

describe('toDask on a dask cluster: data in', () => {
  test("readCsv's options: skiprows, comment, thousands, encoding, compression, names, quotechar, nrows", { timeout: 600_000 }, async () => {
    const { mine, script, both } = await session.inPage(async (c, { address, prefix }) => {
      const file = async (n) => new File([await (await fetch(`/data/${n}`)).blob()], n);
      const files = await Promise.all(['options/a.csv', 'options/b.csv.gz'].map(file));
      const o = { sep: ';', skiprows: 1, comment: '#', thousands: ',', blocksize: 0 };
      const df = await c.dataframe.readCsv(files, o);
      const bare = await c.dataframe.readCsv([await file('options/bare.csv')], { names: ['n', 's', 'x'], quotechar: "'", skipBlankLines: false });
      const first = await c.dataframe.readCsv(files, { ...o, nrows: 40 });
      const latinFile = await file('options/latin.csv');
      const latin = await c.dataframe.readCsv([latinFile], { sep: ';', thousands: ',', encoding: 'latin-1' });
      const values = [df, df.groupby('place').col('v').sum(), bare, first.col('v').sum(), latin];
      // dask's read_csv decodes a sample as UTF-8 to find comments: no export of both.
      let both = null;
      try {
        (await c.dataframe.readCsv([latinFile], { sep: ';', comment: '#', encoding: 'latin-1' })).toDask();
      } catch (e) {
        both = e.message;
      }
      const plain = (v) => {
        const col = (xs) => Array.from(xs, (x) => (typeof x === 'number' && Number.isNaN(x) ? null : x));
        if (typeof v === 'number') return v;
        if (v.columns) return { data: Object.fromEntries(v.columns.map((n) => [n, col(v.data[n])])) };
        return { values: col(v.values), index: v.index ? Array.from(v.index) : null };
      };
      return { mine: (await c.compute(...values)).map(plain), script: c.toDask(...values, { address, sources: prefix }), both };
    }, { address: ctx.address, prefix: `${DATA}/` });
    assert.match(both, /dask's read_csv reads comments as UTF-8: comment with encoding latin-1 has no dask export/);
    // dask takes one compression for all files: the plain and the gzip file read apart.
    assert.match(script, /dd\.concat\(\[dd\.read_csv\(\["[^"]*a\.csv"\], sep=";", skiprows=1, comment="#", thousands=",", compression=None, blocksize=None\), dd\.read_csv\(\["[^"]*b\.csv\.gz"\], [^)]*compression="gzip", blocksize=None\)\]\)/);
    assert.match(script, /sep=";", thousands=",", encoding="latin-1"/);
    assert.match(script, /header=None, names=\["n", "s", "x"\], quotechar="'", skip_blank_lines=False/);
    assert.match(script, /\.head\(40, npartitions=-1, compute=False\)/);
    const theirs = onCluster(script, 'csv_options');
    assert.equal(mine[0].data.k.length, 60);
    assert.deepEqual(theirs[0].data, mine[0].data);
    assert.deepEqual(theirs[1].index, mine[1].index);
    mine[1].values.forEach((v, j) => close(theirs[1].values[j], v, `sum by place[${j}]`));
    assert.deepEqual(theirs[2].data, mine[2].data);
    assert.equal(theirs[3], mine[3]);
    assert.deepEqual(theirs[4].data, mine[4].data);
    assert.equal(mine[4].data.place[1], 'Zürich 1');
  });


  test('readParquet: Files and URLs by range, columns and filters, as dd.read_parquet', { timeout: 600_000 }, async () => {
    const filters = [[['ticker', '==', 'hp'], ['volume', '>', 500]], [['close', '<', 19.5]]];
    const { mine, script, url } = await session.inPage(async (c, { address, prefix, filters }) => {
      const file = async (n) => new File([await (await fetch(`/data/${n}`)).blob()], n);
      const files = await Promise.all(['pq/a.parquet', 'pq/b.parquet'].map(file));
      const df = await c.dataframe.readParquet(files, { blocksize: 0 });
      const some = await c.dataframe.readParquet(files, { columns: ['ticker', 'close'], filters });
      const late = await c.dataframe.readParquet(files, { filters: [['timestamp', '>=', '2024-03-04 22:00']] });
      const values = [df, df.groupby('ticker').col('close').sum(), some, some.col('close').sum(), df.col('volume').count(), late.len()];
      const plain = (v) => {
        const col = (xs) => Array.from(xs, (x) => (typeof x === 'number' && Number.isNaN(x) ? null : x));
        if (typeof v === 'number') return v;
        if (v.columns) return { data: Object.fromEntries(v.columns.map((n) => [n, col(v.data[n])])) };
        return { values: col(v.values), index: v.index ? Array.from(v.index) : null };
      };
      // The same read from URLs: the footers, then only the close column's chunks.
      const byUrl = await c.dataframe.readParquet(['/data/pq/a.parquet', '/data/pq/b.parquet']);
      const url = { sum: await byUrl.col('close').sum().compute(), some: plain(await (await c.dataframe.readParquet(['/data/pq/a.parquet', '/data/pq/b.parquet'], { columns: ['ticker', 'close'], filters })).compute()) };
      return { mine: (await c.compute(...values)).map(plain), script: c.toDask(...values, { address, sources: prefix }), url };
    }, { address: ctx.address, prefix: `${DATA}/`, filters });
    assert.match(script, /dd\.read_parquet\(\["[^"]*pq\/a\.parquet", "[^"]*pq\/b\.parquet"\], index=False\)/);
    assert.match(script, /filters=\[\[\("ticker", "==", "hp"\), \("volume", ">", 500\.0\)\], \[\("close", "<", 19\.5\)\]\]/);
    assert.match(script, /filters=\[\[\("timestamp", ">=", pd\.Timestamp\("2024-03-04 22:00"\)\)\]\]/);
    const theirs = onCluster(script, 'parquet');
    assert.equal(mine[0].data.close.length, 1600);
    for (const c of ['ticker', 'close', 'volume', 'timestamp']) {
      mine[0].data[c].forEach((v, i) => close(theirs[0].data[c][i], v, `${c}[${i}]`));
    }
    assert.deepEqual(theirs[1].index, mine[1].index);
    mine[1].values.forEach((v, j) => close(theirs[1].values[j], v, `close by ticker[${j}]`));
    assert.deepEqual(theirs[2].data.ticker, mine[2].data.ticker);
    mine[2].data.close.forEach((v, i) => close(theirs[2].data.close[i], v, `filtered close[${i}]`));
    close(theirs[3], mine[3], 'filtered sum');
    assert.equal(theirs[4], mine[4]);
    assert.equal(theirs[5], mine[5]);
    assert.ok(mine[5] > 0 && mine[5] < 1600, `rows after 22:00: ${mine[5]}`);
    // URLs: the same answers, and only part of each file fetched.
    close(url.sum, mine[0].data.close.reduce((a, v) => a + (v ?? 0), 0), 'sum by URL');
    assert.deepEqual(url.some, mine[2]);
    // A column of a URL: the footer, then that column's chunks — well under the file.
    session.server.served.clear();
    const sums = await session.inPage(async (c) => {
      const big = '/data/pq/big.parquet';
      const file = new File([await (await fetch(big)).blob()], 'big.parquet');
      const fromFile = await (await c.dataframe.readParquet(file)).col('volume').sum().compute();
      return { fromFile, fromUrl: await (await c.dataframe.readParquet(big)).col('volume').sum().compute() };
    });
    assert.equal(sums.fromUrl, sums.fromFile);
    const size = statSync(join(DATA, 'pq', 'big.parquet')).size;
    const fetched = session.server.served.get('/data/pq/big.parquet') - size; // less the File's fetch
    assert.ok(fetched > 0 && fetched < size / 2, `big.parquet: fetched ${fetched} of ${size} bytes by range`);
    // A server without range requests: the file read whole, once, and a warning.
    session.server.served.clear();
    const plain = await session.inPage(async (c) => {
      const warned = [];
      const warn = console.warn;
      console.warn = (m) => warned.push(String(m));
      try {
        const df = await c.dataframe.readParquet('/plain/pq/big.parquet');
        return { sum: await df.col('volume').sum().compute(), warned };
      } finally {
        console.warn = warn;
      }
    });
    assert.equal(plain.sum, sums.fromFile);
    assert.match(plain.warned.join('\n'), /readParquet: .*plain\/pq\/big\.parquet: the server does not answer range requests; read whole/);
    assert.equal(session.server.served.get('/plain/pq/big.parquet'), statSync(join(DATA, 'pq', 'big.parquet')).size, 'one whole read');
  });
});
