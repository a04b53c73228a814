// readCsv's everyday options against pandas' read_csv with the same ones (issue "CSV files
// as they come"): the dialect (quotechar, escapechar, doublequote, skipinitialspace,
// comment, skipBlankLines, sep: null), the rows (names, header, skiprows, nrows), numbers
// (thousands, decimal), encodings and compression — each on a small file written here,
// read whole and split into blocks, values and dtypes equal to pandas'. Errors for text
// that is not text name what to pass, and the client goes on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { csvSameAsPandas as sameAsPandas, pandasRead, plain, usingPandas, write } from './pandas-helpers.mjs';

const env = usingPandas();

/** `n` rows `i, i * 1.5, w<i % 4>, True/False` joined by `sep`. */
const rows = (n, sep = ',') =>
  Array.from({ length: n }, (_, i) => [i, i * 1.5, `w${i % 4}`, i % 3 ? 'True' : 'False'].join(sep)).join('\n');

test('the dialect: quotechar, escapechar without doubled quotes, skipinitialspace, comment', async () => {
  const quoted = `a,b,c\n${Array.from({ length: 20 }, (_, i) => `${i},'x,${i}',"q${i}"`).join('\n')}\n`;
  await sameAsPandas('quote.csv', quoted, { options: { quotechar: "'" }, kwargs: { quotechar: "'" } });
  const escaped = `a,s\n${Array.from({ length: 20 }, (_, i) => `${i},"say \\"hi\\" ${i}"`).join('\n')}\n`;
  const esc = { escapechar: '\\', doublequote: false };
  await sameAsPandas('escape.csv', escaped, { options: esc, kwargs: esc });
  // Outside quotes too, as pandas: an escaped separator, quote and escape.
  const outside = `a,s,t\n${Array.from({ length: 20 }, (_, i) => `${i},x\\,${i}\\"y,"q\\"${i}"`).join('\n')}\n`;
  await sameAsPandas('escape-outside.csv', outside, { options: { escapechar: '\\' }, kwargs: { escapechar: '\\' } });
  const spaced = `a, b,  c\n${Array.from({ length: 20 }, (_, i) => `${i},  ${i * 2}, "x, ${i}"`).join('\n')}\n`;
  await sameAsPandas('spaces.csv', spaced, { options: { skipinitialspace: true }, kwargs: { skipinitialspace: true } });
  const commented = `# made by hand\na,b,c\n${Array.from({ length: 20 }, (_, i) => `${i},${i * 2}${i % 5 ? '' : ' # five'},"#${i}"`).join('\n')}\n#end\n`;
  await sameAsPandas('comment.csv', commented, { options: { comment: '#' }, kwargs: { comment: '#' } });
});

test('blank lines kept as rows of missing values with skipBlankLines: false', async () => {
  const text = `a,b\n1,2\n\n3,4\n\n\n5,6\n`;
  await sameAsPandas('blanks.csv', text, { blocksize: 8, options: { skipBlankLines: false }, kwargs: { skip_blank_lines: false } });
  await sameAsPandas('skipped.csv', text, { blocksize: 8 });
});

test('rows: names with and without a header, skiprows as a count and as lines, nrows', async () => {
  const body = rows(30);
  const names = ['n', 'x', 'w', 'flag'];
  await sameAsPandas('bare.csv', `${body}\n`, { options: { names }, kwargs: { names } });
  await sameAsPandas('bare-null.csv', `${body}\n`, { options: { header: null }, kwargs: { header: null } });
  await sameAsPandas('renamed.csv', `a,b,c,d\n${body}\n`, { options: { names, header: 0 }, kwargs: { names, header: 0 } });
  const preamble = `report of 2024\nmade by hand\n\na,b,c,d\n${body}\n`;
  // header as a row number: the records before it are not read (blank lines not counted).
  await sameAsPandas('row.csv', preamble, { blocksize: 100, options: { header: 2 }, kwargs: { header: 2 } });
  await sameAsPandas('row-names.csv', preamble, { options: { header: 2, names }, kwargs: { header: 2, names } });
  await sameAsPandas('count.csv', preamble, { options: { skiprows: 2 }, kwargs: { skiprows: 2 } });
  const lines = [0, 1, 5, 6, 17, 31];
  await sameAsPandas('lines.csv', preamble, { blocksize: 100, options: { skiprows: lines }, kwargs: { skiprows: lines } });
  await sameAsPandas('nrows.csv', `a,b,c,d\n${body}\n`, { options: { nrows: 7 }, kwargs: { nrows: 7 } });
  // nrows of several files: the first rows of all of them, in order.
  const paths = write({ '1.csv': `a,b\n1,2\n3,4\n`, '2.csv': 'a,b\n', '3.csv': `a,b\n5,6\n7,8\n` });
  const df = await env.client.dataframe.readCsv(paths, { nrows: 3, blocksize: 0 });
  const all = pandasRead(paths);
  assert.deepEqual(plain(await df.compute()).data, { a: all.data.a.slice(0, 3), b: all.data.b.slice(0, 3) });
  assert.equal(df.npartitions, 1);
  await assert.rejects(env.client.dataframe.readCsv(paths, { names: ['a', 'a'] }), /names: a is given twice/);
  await assert.rejects(env.client.dataframe.readCsv(paths, { skipRows: 1 }), /readCsv: unknown option skipRows \(the options are sep, header, names, skiprows,/);
});

test('numbers: thousands and decimal as pandas reads them', async () => {
  const text = `a;b;c\n${Array.from({ length: 20 }, (_, i) => `${(i * 123457).toLocaleString('en-US')};${i}.5;x${i}`).join('\n')}\n`;
  await sameAsPandas('thousands.csv', text, { options: { sep: ';', thousands: ',' }, kwargs: { sep: ';', thousands: ',' } });
  const euro = `a;b\n${Array.from({ length: 20 }, (_, i) => `${(i * 98765).toLocaleString('de-DE')};${i},25`).join('\n')}\n`;
  const o = { sep: ';', thousands: '.', decimal: ',' };
  await sameAsPandas('euro.csv', euro, { options: o, kwargs: o });
});

test('sep: null finds the separator from the first line, as the python engine', async () => {
  for (const [name, sep] of [['semi.csv', ';'], ['tab.tsv', '\t'], ['pipe.csv', '|']]) {
    const text = `a${sep}b${sep}c${sep}d\n${rows(12, sep)}\n`;
    await sameAsPandas(name, text, { options: { sep: null }, kwargs: { sep: null, engine: 'python' } });
  }
});

test('encodings: latin-1, cp1252, utf-16; text in another encoding or not text at all is a clear error', async () => {
  const words = ['café', 'naïve', 'Zürich', 'façade'];
  const text = `n,w\n${words.map((w, i) => `${i},${w}`).join('\n')}\n`;
  await sameAsPandas('latin.csv', Buffer.from(text, 'latin1'), { blocksize: 16, options: { encoding: 'latin-1' }, kwargs: { encoding: 'latin-1' } });
  const cp = `n,w\n0,“quoted” €5\n`;
  const cpBytes = Buffer.from([...Buffer.from('n,w\n0,'), 0x93, ...Buffer.from('quoted'), 0x94, 0x20, 0x80, ...Buffer.from('5\n')]);
  const path = await sameAsPandas('cp.csv', cpBytes, { options: { encoding: 'cp1252' }, kwargs: { encoding: 'cp1252' } });
  assert.equal(plain(await (await env.client.dataframe.readCsv([path], { encoding: 'cp1252' })).compute()).data.w[0], cp.split('\n')[1].slice(2));
  const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  await sameAsPandas('utf16.csv', u16, { options: { encoding: 'utf-16' }, kwargs: { encoding: 'utf-16' } });
  const [latin] = write({ 'latin.csv': Buffer.from(text, 'latin1') });
  await assert.rejects(env.client.dataframe.readCsv([latin]), /latin\.csv, line 2: is not UTF-8 text \(byte 0xE9 at column 6\): pass its encoding, e\.g\. encoding: 'latin-1'/);
  const [utf16] = write({ 'u16.csv': u16 });
  await assert.rejects(env.client.dataframe.readCsv([utf16]), /u16\.csv, line 1: does not look like text .*encoding: 'utf-16'/);
  // A PNG's start: its signature, then the IHDR chunk of a 256 × 256 RGBA image, and data.
  const ihdr = [0, 0, 0, 13, ...Buffer.from('IHDR'), 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x5c, 0x72, 0xa8, 0x66];
  const [png] = write({ 'image.csv': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...ihdr, ...new Array(60).fill(0)]) });
  await assert.rejects(env.client.dataframe.readCsv([png]), /image\.csv, line 3: does not look like text \(a NUL byte at column 1\)/);
  await assert.rejects(env.client.dataframe.readCsv([latin], { encoding: 'ebcdic' }), /encoding "ebcdic" is not one readCsv reads/);
  assert.equal(await env.client.dataframe.fromColumns({ x: [1, 2] }).col('x').sum().compute(), 3);
});

/** `text` compressed by Python's gzip, bz2 or zstandard into a new file `name`; its path. */
function pyCompressed(name, text, how) {
  const [path] = write({ [name]: '' });
  const code = {
    gzip: 'import gzip; c = gzip.compress(t)',
    bz2: 'import bz2; c = bz2.compress(t)',
    zstd: 'import zstandard; c = zstandard.ZstdCompressor().compress(t)',
  }[how];
  const r = spawnSync(env.py, ['-c', `import sys\nt = sys.stdin.buffer.read()\n${code}\nopen(sys.argv[1], 'wb').write(c)`, path], { input: text });
  assert.equal(r.status, 0, String(r.stderr));
  return path;
}

test('compression: gzip, zstd and bz2 inferred from the name or given; a compressed file is one partition', async () => {
  const text = `a,b,c,d\n${rows(3000)}\n`;
  const want = pandasRead([pyCompressed('w.csv', text, 'gzip')], { compression: 'gzip' });
  for (const [name, how] of [['x.csv.gz', 'gzip'], ['x.csv.bz2', 'bz2'], ['x.csv.zst', 'zstd']]) {
    const path = pyCompressed(name, text, how);
    assert.deepEqual(pandasRead([path]), want, name);
    const df = await env.client.dataframe.readCsv([path], { blocksize: 4096 });
    assert.equal(df.npartitions, 1, name);
    assert.deepEqual(df.dtypes, { a: 'int64', b: 'float64', c: 'string', d: 'bool' }, name);
    const got = plain(await df.compute());
    assert.deepEqual({ ...got.data, d: got.data.d.map((x) => x === 1) }, want.data, name);
  }
  // Given, whatever the name; several files, one gzip member each (Node's own gzip).
  const [a, b] = write({ 'a.data': gzipSync(text), 'b.data': gzipSync(`a,b,c,d\n${rows(5)}\n`) });
  const df = await env.client.dataframe.readCsv([a, b], { compression: 'gzip' });
  assert.equal(await df.col('a').count().compute(), 3005);
  // A name that says gzip over plain text; compression: null reads it as text.
  const [fake] = write({ 'plain.csv.gz': text });
  await assert.rejects(env.client.dataframe.readCsv([fake]), /plain\.csv\.gz, line 1: is not gzip-compressed.*compression: null/);
  assert.equal(await (await env.client.dataframe.readCsv([fake], { compression: null })).col('a').count().compute(), 3000);
  // A gzip file read as text says what to pass.
  const [gz] = write({ 'hidden.csv': gzipSync(text) });
  await assert.rejects(env.client.dataframe.readCsv([gz], { compression: null }), /hidden\.csv.*gzip-compressed: pass compression: 'gzip'/);
});

test('options together: a semicolon file with a preamble, comments, thousands, latin-1, gzip', async () => {
  const body = Array.from({ length: 40 }, (_, i) => `${i};${(i * 1001).toLocaleString('en-US')};Zürich ${i}${i % 7 ? '' : ' # seventh'}`).join('\n');
  const text = Buffer.from(`exported 2024-05-01\nk;v;place\n${body}\n`, 'latin1');
  const path = pyCompressed('all.csv.gz', text, 'gzip');
  const o = { sep: ';', skiprows: 1, comment: '#', thousands: ',', encoding: 'latin-1' };
  const want = pandasRead([path], o);
  const df = await env.client.dataframe.readCsv([path], o);
  assert.deepEqual(df.columns, want.columns);
  assert.deepEqual(plain(await df.compute()).data, want.data);
});

test("onBadLines: a longer row an error, skipped, or skipped with a warning naming file and line", async () => {
  const lines = ['a,b,c'];
  for (let i = 0; i < 30; i++) lines.push(i % 9 === 4 ? `${i},${i},${i},extra` : `${i},${i * 0.5},w${i}`);
  const text = lines.join('\n') + '\n';
  await sameAsPandas('skip.csv', text, { options: { onBadLines: 'skip' }, kwargs: { on_bad_lines: 'skip' } });
  const [path] = write({ 'warn.csv': text });
  const want = pandasRead([path], { on_bad_lines: 'skip' });
  for (const blocksize of [undefined, 64]) {
    const df = await env.client.dataframe.readCsv([path], { onBadLines: 'warn', blocksize });
    const warnings = [];
    const got = plain(await df.compute({ onWarning: (w) => warnings.push(w) }));
    assert.deepEqual(got.data, want.data);
    // The bad rows are lines 6, 15 and 24 (rows 4, 13 and 22 after the header).
    const bad = lines.flatMap((l, i) => (l.endsWith('extra') ? [i + 1] : []));
    assert.deepEqual(bad, [6, 15, 24]);
    assert.deepEqual(
      warnings.sort(),
      bad.map((l) => `${path}, line ${l}: skipped (expected 3 fields, saw 4)`).sort(),
    );
  }
  await assert.rejects(env.client.dataframe.readCsv([path]), /warn\.csv, line 6: expected 3 fields, saw 4/);
  await assert.rejects(env.client.dataframe.readCsv([path], { onBadLines: 'drop' }), /onBadLines "drop" is not 'error', 'skip' or 'warn'/);
});

test("an implicit index: every data row one field longer than the header, as pandas reads it", async () => {
  const body = Array.from({ length: 20 }, (_, i) => `k${i % 6},${i},${i * 0.25},w${i}`).join('\n');
  await sameAsPandas('implicit.csv', `a,b,c\n${body}\n`);
  const ints = Array.from({ length: 20 }, (_, i) => `${100 + i},${i},x${i}`).join('\n');
  await sameAsPandas('ints.csv', `a,b\n${ints}\n`);
  await sameAsPandas('named.csv', `${ints}\n`, { options: { names: ['a', 'b'] }, kwargs: { names: ['a', 'b'] } });
  // Operations keep it: a filter, a column.
  const [path] = write({ 'ops.csv': `a,b,c\n${body}\n` });
  const df = await env.client.dataframe.readCsv([path], { blocksize: 64 });
  const t = await df.filter(df.col('a').gt(10)).compute();
  assert.deepEqual(Array.from(t.index), Array.from({ length: 9 }, (_, i) => `k${(i + 11) % 6}`));
});
