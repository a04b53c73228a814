// `client.dataframe`, as `dask.dataframe`: dataframes from CSV files (`readCsv`, with
// pandas' options), from in-memory columns and records, and `concat`.
import { encode } from './clone.js';
import { DataFrame, isRecord, Series } from './dataframe.js';
import { builder } from './rpc.js';
import { columnsOfArrow } from './arrow.js';
import { bytesOf, normalizeSources } from './sources.js';

/**
 * readCsv's options as the kernel takes them: pandas' `None`s spelled out (`sep: null`
 * sniffs the separator, `header: null` means none, a number is the header's row, `compression:
 * null` none).
 */
function csvOptions(options) {
  if (!isRecord(options)) throw new TypeError('readCsv: options must be an object');
  const { sep, header, compression, ...rest } = options;
  const row = typeof header === 'number' && Number.isInteger(header) && header >= 0;
  if (header !== undefined && header !== null && typeof header !== 'boolean' && !row) {
    throw new TypeError(`readCsv: header must be true, false, null or a row number from 0, got ${header}`);
  }
  return {
    ...rest,
    ...(sep === null ? { sniffSep: true } : sep === undefined ? {} : { sep }),
    ...(header === undefined ? {} : { header: row || header === true }),
    ...(row && header > 0 ? { headerRow: header } : {}),
    ...(compression === undefined ? {} : { compression: compression ?? 'none' }),
  };
}

/** `client.dataframe`, as `dask.dataframe`. */
export class DataFrameModule {
  #client;
  constructor(client) {
    this.#client = client;
  }
  /**
   * A dataframe of in-memory columns, as `dd.from_pandas(pd.DataFrame(columns),
   * npartitions)`: `{name: values}` (typed arrays, or arrays of numbers, strings,
   * booleans or Dates, `null` missing); each column's dtype inferred as pandas infers a
   * list's (whole numbers int64, other numbers float64), or given in `dtypes`.
   */
  fromColumns(columns, { npartitions = 1, dtypes } = {}) {
    if (!isRecord(columns)) throw new TypeError('fromColumns: expected {name: values}');
    const bytes = encode(columns, 'fromColumns: column');
    return new DataFrame(this.#client, builder.fromColumns(this.#client._rpc.ctx, bytes, dtypes ?? null, npartitions));
  }
  /**
   * A dataframe of an Apache Arrow table's columns (float, int, bool, utf8, date and
   * timestamp; dictionary-encoded ones too): floats stay float64, ints are int64 (float64
   * when they have nulls, as pandas), times are datetimes in milliseconds.
   */
  fromArrow(table, { npartitions = 1 } = {}) {
    const { columns, dtypes } = columnsOfArrow(table);
    return this.fromColumns(columns, { npartitions, dtypes });
  }
  /**
   * A dataframe of plain objects, one per row (as `pd.DataFrame.from_records`): the
   * columns are every key in order of first appearance; a row without a key is missing there.
   */
  fromRecords(records, options) {
    if (!Array.isArray(records)) throw new TypeError('fromRecords: expected an array of objects');
    const columns = {};
    records.forEach((r, i) => {
      if (!isRecord(r)) throw new TypeError(`fromRecords: row ${i} is not an object`);
      for (const k of Object.keys(r)) columns[k] ??= new Array(records.length).fill(null);
    });
    records.forEach((r, i) => {
      for (const [k, v] of Object.entries(r)) columns[k][i] = v ?? null;
    });
    return this.fromColumns(columns, options);
  }
  /**
   * A dataframe of CSV files: a File, Blob, File[], FileList, URL(s), or
   * `[{name, data}]`, with pandas' `read_csv` options in camelCase (`parseDates`,
   * `dtype`, `sep`, `header`, `names`, `skiprows`, `nrows`, `usecols`, `naValues`,
   * `keepDefaultNa`, `quotechar`, `escapechar`, `doublequote`, `skipinitialspace`,
   * `comment`, `skipBlankLines`, `thousands`, `decimal`, `encoding`, `compression`; see
   * `ReadCsvOptions`) and `blocksize` (bytes, default 16 MB: a partition's size — larger
   * files are split, runs of smaller ones grouped; 0: one partition per file). Reads
   * only the first bytes of the first file now, to learn columns and dtypes.
   */
  async readCsv(source, options = {}) {
    const host = this.#client.constructor.host;
    const opts = csvOptions(options);
    const list = await normalizeSources(host, source);
    for (const s of list) this.#client._rpc.sources.set(s.id, s.src);
    // As much as the kernel samples to infer dtypes (its SAMPLE_BYTES), of the first
    // file with rows (a header-only file tells no dtypes), up to SAMPLE_FILES files.
    const sampleBytes = builder.sampleBytes();
    const tries = Math.min(list.length, builder.sampleFiles());
    let at = 0;
    let sample = await bytesOf(host, list[0], 0, sampleBytes);
    while (at + 1 < tries && !builder.csvHasRows(sample, opts)) {
      at += 1;
      sample = await bytesOf(host, list[at], 0, sampleBytes);
    }
    const h = builder.readCsv(
      list.map((s) => [s.id, s.name, s.size]),
      sample,
      list[at].size <= sampleBytes,
      opts,
      at,
    );
    return new DataFrame(this.#client, h);
  }
  /**
   * A dataframe of Parquet files (a File, Blob, File[], FileList, URL(s), or
   * `[{name, data}]`), as `dd.read_parquet`: `columns` (only these, in this order),
   * `filters` (pyarrow's: `[[column, op, value], …]` all hold, or a list of such lists
   * any of which holds; ops `==` `!=` `<` `<=` `>` `>=` `in` `not in`) — row groups
   * whose statistics rule a filter out are never read, and the rows are filtered — and
   * `blocksize` (compressed bytes per partition, default 16 MB: consecutive row groups
   * are grouped up to it; 0: one partition per row group). Reads only each file's footer
   * now; a compute reads only the column chunks it uses.
   */
  async readParquet(source, options = {}) {
    const host = this.#client.constructor.host;
    if (!isRecord(options)) throw new TypeError('readParquet: options must be an object');
    const list = await normalizeSources(host, source, 'readParquet');
    for (const s of list) {
      if (s.src.url && s.src.ranges === false) {
        // No range requests: one whole read, kept, instead of one per column chunk.
        console.warn(`readParquet: ${s.name}: the server does not answer range requests; read whole (${s.size} bytes)`);
        s.src = { bytes: await bytesOf(host, s, 0, s.size) };
      }
      this.#client._rpc.sources.set(s.id, s.src);
    }
    const ends = await Promise.all(list.map((s) => footerOf(host, s)));
    const h = builder.readParquet(
      list.map((s) => [s.id, s.name, s.size]),
      ends,
      options,
    );
    return new DataFrame(this.#client, h);
  }
  /**
   * `frames` (DataFrames, or Series) stacked, as `dd.concat`: their partitions in order,
   * the union of their columns (a column a frame lacks is missing in its rows).
   */
  concat(frames) {
    const list = Array.from(frames ?? []);
    if (!list.length) throw new TypeError('concat: needs at least one DataFrame or Series');
    const cls = list[0] instanceof Series ? Series : DataFrame;
    list.forEach((f, i) => {
      if (!(f instanceof cls)) throw new TypeError(`concat: item ${i} is not a ${cls.name} like the first`);
    });
    const h = list.slice(1).reduce((acc, f) => acc.concatWith(f._handle()), list[0]._handle());
    return new cls(this.#client, h);
  }
}

/** Bytes read from a Parquet file's end at first: most footers fit. */
const FOOTER_GUESS = 64 * 1024;

/** The last bytes of a Parquet source holding its footer (a second read when it is longer). */
async function footerOf(host, s) {
  let end = await bytesOf(host, s, s.size - FOOTER_GUESS, s.size);
  const need = builder.parquetFooterLen(s.name, s.size, end.subarray(Math.max(0, end.length - 8)));
  if (need > end.length) end = await bytesOf(host, s, s.size - need, s.size);
  return end;
}
