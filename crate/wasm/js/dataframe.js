// Dataframes, as dask.dataframe: DataFrame, Series, Scalar, GroupBy and SeriesGroupBy
// (pandas' method names). `client.dataframe` (readCsv, fromColumns, concat) is in
// dataframe-module.js.

import { DataFrameOps, DatetimeAccessorOps, RollingOps, ScalarOps, SeriesGroupByOps, SeriesOps, StringAccessorOps } from './ops.js';
import { applyHandle, mapPartitionsHandle } from './partitions.js';
import { Resampler } from './resample.js';

/** A lazy number (a reduction, a row count, or arithmetic of those). */
export class Scalar extends ScalarOps {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  _binary(op, other) {
    if (typeof other === 'number') return new Scalar(this.client, this.#h.scalarOp(op, other, false));
    if (other instanceof Scalar) return new Scalar(this.client, this.#h.binary(op, other.#h));
    throw new TypeError(`${op}: expected a number or a Scalar`);
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}

/** A lazy series: one column, partitioned like its dataframe. */
export class Series extends SeriesOps {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  /** As `DataFrame.toCsv`: the index (as a groupby's keys) then the values. */
  toCsv(options) {
    return toCsv(this.client, this.#h, options);
  }
  /** As `DataFrame.toParquet`: the index (as a groupby's keys) then the values. */
  toParquet(options) {
    return toParquet(this.client, this.#h, options);
  }
  get name() {
    return this.#h.columns[0];
  }
  get dtype() {
    return this.#h.dtypeList[0];
  }
  get npartitions() {
    return this.#h.npartitions;
  }
  _handle() {
    return this.#h;
  }
  #wrap(h) {
    return new Series(this.client, h);
  }
  _binary(op, other) {
    if (typeof other === 'number') return this.#wrap(this.#h.scalarOp(op, other, false));
    if (other instanceof Series) return this.#wrap(this.#h.binary(op, other.#h));
    throw new TypeError(`${op}: expected a number or a Series`);
  }
  _unary(name) {
    return this.#wrap(this.#h.map(name));
  }
  _map(name, ...args) {
    return this.#wrap(this.#h.mapEach(name, args));
  }
  /**
   * `fn(column)` on every partition (a Column), as dask's `map_partitions`; it returns a
   * Column, an array of values or one value (a Series by `meta`, default this one's name
   * and dtype: `[name, dtype]`), or a Table / object of columns (`meta: {column: dtype}`).
   */
  mapPartitions(fn, options) {
    const { series, handle } = mapPartitionsHandle(this.#h, fn, options);
    return series ? new Series(this.client, handle) : new DataFrame(this.client, handle);
  }
  /** `fn(value)` on every value (`meta`: the result's dtype, default this one's). */
  apply(fn, options) {
    return this.#wrap(applyHandle(this.#h, fn, options));
  }
  /** The values that are not missing (pandas' `dropna`). */
  dropna() {
    return this.#wrap(this.#h.dropna(null, null));
  }
  /** The `n` largest values, largest first (ties in order of occurrence, missing values last). */
  nlargest(n = 5) {
    return this.#wrap(this.#h.top(n, null, true));
  }
  /** The `n` smallest values, smallest first. */
  nsmallest(n = 5) {
    return this.#wrap(this.#h.top(n, null, false));
  }
  /** The values where `cond` (a bool Series of these rows) is true, `other` (a value, a Series, or missing by default) elsewhere. */
  where(cond, other = null) {
    return this.#cond(cond, other, true);
  }
  /** The values where `cond` is false, `other` (missing by default) where it is true. */
  mask(cond, other = null) {
    return this.#cond(cond, other, false);
  }
  #cond(cond, other, keep) {
    const what = keep ? 'where' : 'mask';
    if (!(cond instanceof Series)) throw new TypeError(`${what}: cond must be a bool Series`);
    if (other instanceof Series) return this.#wrap(this.#h.whereSeries(cond.#h, other.#h, keep));
    return this.#wrap(this.#h.whereValue(cond.#h, other, keep));
  }
  /** The same values in `npartitions` partitions, in order (as dask's `repartition`). */
  repartition({ npartitions } = {}) {
    return this.#wrap(this.#h.repartition(npartitions));
  }
  /** The values in order (`ascending` by default; missing last, ties in order): a global sort. */
  sortValues({ ascending = true } = {}) {
    return this.#wrap(this.#h.sortValues(null, Uint8Array.of(ascending ? 1 : 0)));
  }
  /** The distinct values in order of first occurrence (a missing value once). */
  unique() {
    return this.#wrap(this.#h.unique());
  }
  /** Computes the series and keeps its partitions in the worker (see `DataFrame.persist`). */
  async persist() {
    return this.#wrap(await persisted(this));
  }
  /** The values whose index is in `[start, stop]` (see `DataFrame.loc`). */
  loc(start = null, stop = null) {
    return this.#wrap(this.#h.loc(boundOf(start), boundOf(stop)));
  }
  /** The index's divisions (`npartitions + 1` values) where known, else null. */
  get divisions() {
    return this.#h.divisions;
  }
  /** The values without repeats: `keep` `'first'` (default), `'last'` or `false` (none of a repeated value). */
  dropDuplicates({ keep } = {}) {
    return this.#wrap(this.#h.dropDuplicates(null, keep));
  }
  /** The last `n` values (computes, as dask's `tail`). */
  tail(n = 5) {
    return this.#wrap(this.#h.tail(n)).compute();
  }
  _logical(op, other) {
    if (other !== undefined && !(other instanceof Series)) throw new TypeError(`${op}: expected a bool Series`);
    return this.#wrap(this.#h.logical(op, other?._handle()));
  }
  _reduce(op, { ddof } = {}) {
    return new Scalar(this.client, this.#h.reduce(op, ddof));
  }
  /** How often each value occurs, most frequent first: a Series indexed by value. */
  valueCounts() {
    return this.#wrap(this.#h.valueCounts());
  }
  /** Whether each value is within `[lo, hi]` (pandas' `between`, both ends included;
   * missing is false): `ge(lo)` and `le(hi)`. */
  between(lo, hi) {
    return this.ge(lo).and(this.le(hi));
  }
  /** The first `n` values (reads only the partitions they are in). */
  head(n = 5) {
    return this.client._rpc.callWith('head', [this], {}, { n });
  }
  /** Datetime accessors: `dt.round/floor/ceil(freq)`, `dt.year`, `dt.hour`, …. */
  get dt() {
    return new DatetimeAccessor(this);
  }
  _lag(name, n) {
    return this.#wrap(this.#h.lag(name, n));
  }
  _cum(name) {
    return this.#wrap(this.#h.cum(name));
  }
  /**
   * Windows ending at each row: of `window` rows, or — `window` a frequency such as
   * `'30min'` — of the rows within that time by the sorted datetime Series `on`
   * (`minPeriods`: the fewest values a window needs, default `window` rows, or 1 for a
   * time window): `.mean()`, `.sum()`, ….
   */
  rolling(window, { minPeriods, on } = {}) {
    if (typeof window === 'string') {
      const by = typeof on === 'string' ? null : on;
      if (!(by instanceof Series)) throw new TypeError(`rolling('${window}'): give the datetime Series of the same rows as {on}`);
      return new Rolling(this, window, minPeriods, by);
    }
    return new Rolling(this, window, minPeriods);
  }
  _rolling(window, minPeriods, agg, on) {
    if (on) return this.#wrap(this.#h.rollingTime(window, on.#h, minPeriods, agg));
    return this.#wrap(this.#h.rolling(window, minPeriods, agg));
  }
  /** Text functions: `str.lower()`, `str.contains(pat)`, `str.split(sep).get(i)`, …. */
  get str() {
    return new StringAccessor(this);
  }
  _strMap(name, args) {
    return this.#wrap(this.#h.strMap(name, args));
  }
  _dtField(field) {
    return this.#wrap(this.#h.dtField(field));
  }
  _dtRound(mode, freq) {
    return this.#wrap(this.#h.dtRound(mode, freq));
  }
  _dtFormat(format) {
    return this.#wrap(this.#h.dtFormat(format));
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}

/** `series.dt`: datetime fields and rounding (ops.js: one per table row). */
export class DatetimeAccessor extends DatetimeAccessorOps {
  #series;
  constructor(series) {
    super();
    this.#series = series;
  }
  _field(field) {
    return this.#series._dtField(field);
  }
  _round(mode, freq) {
    return this.#series._dtRound(mode, freq);
  }
  /** Each datetime as text, with C's directives (`'%Y-%m-%d %H:%M'`; `%Y %y %m %d %H %I %M %S %f %j %p %a %A %b %B %F %T %%`). */
  strftime(format) {
    return this.#series._dtFormat(format);
  }
  /** Midnight of each datetime (pandas' `dt.normalize()`): `floor('1d')`. */
  normalize() {
    return this.floor('1d');
  }
  /** The date of each datetime, as a datetime at midnight (pandas gives `datetime.date` objects). */
  get date() {
    return this.floor('1d');
  }
}

/** `series.rolling(window, {minPeriods})`: aggregations of each window (ops.js: one per table row). */
export class Rolling extends RollingOps {
  #series;
  #window;
  #minPeriods;
  #on;
  constructor(series, window, minPeriods, on) {
    super();
    this.#series = series;
    this.#window = window;
    this.#minPeriods = minPeriods;
    this.#on = on;
  }
  _agg(agg) {
    return this.#series._rolling(this.#window, this.#minPeriods, agg, this.#on);
  }
}

/** `series.str`: text functions (ops.js: one per table row). */
export class StringAccessor extends StringAccessorOps {
  #series;
  constructor(series) {
    super();
    this.#series = series;
  }
  _str(name, ...args) {
    return this.#series._strMap(name, args);
  }
  /** Each value split at `sep` (null: runs of whitespace), as pandas' `str.split(sep)`: take a part with `.get(i)`. */
  split(sep = null) {
    return { get: (i) => this.splitGet(sep, i) };
  }
}

/**
 * One column's groups: each aggregation gives a Series indexed by the sorted keys (by
 * several keys: a DataFrame of the key columns then the values, sorted by the keys).
 */
export class SeriesGroupBy extends SeriesGroupByOps {
  #frame;
  #by;
  #column;
  constructor(frame, by, column) {
    super();
    this.#frame = frame;
    this.#by = by;
    this.#column = column;
  }
  _agg(agg) {
    const h = this.#frame._handle().groupAggColumn(this.#by._handle(), this.#column, agg);
    return this.#by instanceof DataFrame ? new DataFrame(this.#frame.client, h) : new Series(this.#frame.client, h);
  }
  /** Each row's group aggregate (`'mean'`, `'sum'`, …), in the rows' order: a Series of the frame's rows. */
  transform(agg) {
    return new Series(this.#frame.client, this.#frame._handle().groupTransform(this.#by._handle(), this.#column, agg));
  }
  #cum(agg) {
    return new Series(this.#frame.client, this.#frame._handle().groupCum(this.#by._handle(), this.#column, agg));
  }
  /** The running sum within each group, in the rows' order. */
  cumsum() {
    return this.#cum('cumsum');
  }
  /** The running maximum within each group. */
  cummax() {
    return this.#cum('cummax');
  }
  /** The running minimum within each group. */
  cummin() {
    return this.#cum('cummin');
  }
  /** The running product within each group. */
  cumprod() {
    return this.#cum('cumprod');
  }
}

/** Rows grouped by a key series, as `DataFrameGroupBy`. */
export class GroupBy {
  #frame;
  #by;
  constructor(frame, by) {
    this.#frame = frame;
    this.#by = by;
  }
  /** One column's groups. */
  col(name) {
    this.#frame.col(name); // an unknown column throws here, as pandas' g[name]
    return new SeriesGroupBy(this.#frame, this.#by, name);
  }
  /** How many rows each group has (missing values included): a Series named `size` (several keys: a DataFrame). */
  size() {
    const h = this.#frame._handle().groupSize(this.#by._handle());
    return this.#by instanceof DataFrame ? new DataFrame(this.#frame.client, h) : new Series(this.#frame.client, h);
  }
  /**
   * Several aggregations in one pass: `{high: 'max', close: ['min', 'mean']}`. A column
   * with one aggregation keeps its name; with a list, columns are `close_min`, ….
   */
  agg(spec) {
    return new DataFrame(this.#frame.client, this.#frame._handle().groupAgg(this.#by._handle(), spec));
  }
}

export const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A lazy dataframe read from CSV files, as `dask.dataframe.DataFrame`. */
/** Parquet's media type. */
const PARQUET = 'application/vnd.apache.parquet';

/** The files of a frame's or series' write (handle `h`), as Blobs of `type`. */
async function written(client, h, write, type, compute) {
  const parts = await new Scalar(client, h.write(write)).compute(compute);
  return write.partitioned ? parts.map((p) => new Blob([p], { type })) : new Blob(parts, { type });
}

/** `toCsv` of a frame or series. */
function toCsv(client, h, { sep = ',', partitioned = false, ...compute } = {}) {
  return written(client, h, { format: 'csv', sep, partitioned }, 'text/csv', compute);
}

/** `toParquet` of a frame or series. */
function toParquet(client, h, { partitioned = false, ...compute } = {}) {
  return written(client, h, { format: 'parquet', partitioned }, PARQUET, compute);
}

export class DataFrame extends DataFrameOps {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  get columns() {
    return this.#h.columns;
  }
  /** `{column: dtype}`. */
  get dtypes() {
    const d = this.#h.dtypeList;
    return Object.fromEntries(this.#h.columns.map((c, i) => [c, d[i]]));
  }
  get npartitions() {
    return this.#h.npartitions;
  }
  col(name) {
    return new Series(this.client, this.#h.col(name));
  }
  /** `col(name)`, as pandas' `df.get(name)`. */
  get(name) {
    return this.col(name);
  }
  _handle() {
    return this.#h;
  }
  select(names) {
    return new DataFrame(this.client, this.#h.select(names));
  }
  /** Rows where the bool Series `mask` is true. */
  filter(mask) {
    if (!(mask instanceof Series)) throw new TypeError('filter: expected a bool Series');
    return new DataFrame(this.client, this.#h.filter(mask._handle()));
  }
  /** Columns added or replaced: `{name: Series}`. */
  assign(columns) {
    let h = this.#h;
    for (const [name, s] of Object.entries(columns)) {
      if (!(s instanceof Series)) throw new TypeError(`assign: ${name} is not a Series`);
      h = h.assign(name, s._handle());
    }
    return new DataFrame(this.client, h);
  }
  _reduce(op, { ddof } = {}) {
    return new Series(this.client, this.#h.reduce(op, ddof));
  }
  _lag(name, n) {
    return new DataFrame(this.client, this.#h.lag(name, n));
  }
  _cum(name) {
    return new DataFrame(this.client, this.#h.cum(name));
  }
  _map(name, ...args) {
    // fillna({col: value}) and astype({col: dtype}): the series' method on those columns.
    if ((name === 'fillna' || name === 'astype') && isRecord(args[0])) {
      const cols = Object.entries(args[0]).map(([c, v]) => [c, this.col(c)._map(name, v)]);
      return this.assign(Object.fromEntries(cols));
    }
    return new DataFrame(this.client, this.#h.mapEach(name, args));
  }
  /**
   * The rows without missing values: `subset` the columns looked at (all by default),
   * `how` `'any'` (a row with any missing value goes, pandas' default) or `'all'`.
   */
  dropna({ subset, how } = {}) {
    const cols = typeof subset === 'string' ? [subset] : subset;
    return new DataFrame(this.client, this.#h.dropna(cols ?? null, how ?? null));
  }
  /** The `n` rows with the largest values of `columns` (a name or names, compared in order). */
  nlargest(n, columns) {
    return new DataFrame(this.client, this.#h.top(n, [columns].flat(), true));
  }
  /** The `n` rows with the smallest values of `columns`. */
  nsmallest(n, columns) {
    return new DataFrame(this.client, this.#h.top(n, [columns].flat(), false));
  }
  /**
   * The same rows in `npartitions` partitions, in order (as dask's `repartition`):
   * neighbours concatenated, or partitions cut into about equal pieces.
   */
  repartition({ npartitions } = {}) {
    return new DataFrame(this.client, this.#h.repartition(npartitions));
  }
  /**
   * The rows ordered by `by` (a name or names, compared in order), `ascending` one bool
   * or one per column; missing values last, ties in the order they occur: a global sort.
   */
  sortValues(by, { ascending = true } = {}) {
    const cols = [by].flat();
    const asc = Uint8Array.from([ascending].flat(), (a) => (a ? 1 : 0));
    return new DataFrame(this.client, this.#h.sortValues(cols, asc));
  }
  /**
   * This frame indexed by `column` (no longer a column), as dask's `set_index`: with
   * `sorted` (the column already in order across partitions, as daily files by time)
   * each partition keeps its rows; otherwise the rows are sorted into `npartitions`
   * ranges (default: as many as now). Computes the divisions first (as dask does),
   * unless given: resolves to the indexed frame, whose `divisions` are known.
   */
  async setIndex(column, { sorted = false, divisions, npartitions } = {}) {
    let d = divisions;
    if (d === undefined) {
      const col = await new Series(this.client, this.#h.indexDivisions(column, sorted, npartitions)).compute();
      d = Array.from(col.values);
    }
    if (!Array.isArray(d)) throw new TypeError('setIndex: divisions must be an array');
    return new DataFrame(this.client, this.#h.setIndex(column, d.map(boundOf), sorted));
  }
  /**
   * Computes the frame and keeps its partitions in the worker, as dask's `persist`:
   * resolves to a frame of the same columns, partitions, index and divisions whose later
   * expressions start from them (its files are not read again). They are freed once no
   * expression uses them.
   */
  async persist() {
    return new DataFrame(this.client, await persisted(this));
  }
  /**
   * The rows whose index is in `[start, stop]` (both kept; `null` open), as pandas'
   * `loc[start:stop]`: on a datetime index a Date, ms, or text naming a span
   * (`'2024-01-03'` is that whole day). Reads only the partitions whose divisions meet
   * the range.
   */
  loc(start = null, stop = null) {
    return new DataFrame(this.client, this.#h.loc(boundOf(start), boundOf(stop)));
  }
  /** The index's divisions (`npartitions + 1` values) where known, else null. */
  get divisions() {
    return this.#h.divisions;
  }
  /**
   * `fn(table)` on every partition (a Table), as dask's `map_partitions`; it returns a
   * Table or an object of columns (`meta: {column: dtype}`, default this frame's columns),
   * or a Column / array / one value (`meta: [name, dtype]`: a Series).
   */
  mapPartitions(fn, options) {
    const { series, handle } = mapPartitionsHandle(this.#h, fn, options);
    return series ? new Series(this.client, handle) : new DataFrame(this.client, handle);
  }
  /**
   * This frame joined with `other` on key columns, as pandas' `merge`: `on` (a name or
   * names both frames have; default: every column they share) or `leftOn` and
   * `rightOn`, `how` `'inner'` (default), `'left'`, `'right'` or `'outer'`, `suffixes`
   * for other names both have (default `['_x', '_y']`), `broadcast` to join every
   * partition of one side with the whole other.
   */
  merge(other, options = {}) {
    if (!(other instanceof DataFrame)) throw new TypeError('merge: expected a DataFrame to join with');
    return new DataFrame(this.client, this.#h.merge(other._handle(), options));
  }
  /**
   * The rows without duplicates among `subset` (all columns by default): `keep`
   * `'first'` (default), `'last'` or `false` (no row that occurs more than once).
   */
  dropDuplicates({ subset, keep } = {}) {
    const cols = subset === undefined || subset === null ? null : [subset].flat();
    return new DataFrame(this.client, this.#h.dropDuplicates(cols, keep));
  }
  /** The last `n` rows as a Table (computes, as dask's `tail`). */
  tail(n = 5) {
    return new DataFrame(this.client, this.#h.tail(n)).compute();
  }
  /**
   * Groups rows by a Series of this frame or a column name — or an array of them:
   * aggregations by several keys give a DataFrame of the key columns then the values,
   * sorted by the keys (pandas' `.reset_index()`).
   */
  groupby(by) {
    const keyOf = (k) => {
      const key = typeof k === 'string' ? this.col(k) : k;
      if (!(key instanceof Series)) throw new TypeError('groupby: expected a Series or a column name, or an array of them');
      return key;
    };
    if (!Array.isArray(by)) return new GroupBy(this, keyOf(by));
    const keys = by.map(keyOf);
    if (keys.length === 0) throw new TypeError('groupby: needs at least one key');
    if (keys.length === 1) return new GroupBy(this, keys[0]);
    // Several keys: a frame of them (the kernel groups by its columns' tuples).
    const named = {};
    for (const k of keys) {
      if (Object.hasOwn(named, k.name)) throw new Error(`groupby: two keys are named ${k.name}`);
      named[k.name] = k;
    }
    return new GroupBy(this, this.select([]).assign(named));
  }
  /**
   * The rows in bins of `freq` (`'15min'`, `'1h'`, `'1d'`: a divisor of a day) by the
   * datetime column `on`, as pandas' `resample(freq, on=…)`: aggregate with `.agg({...})`,
   * `.col(c).mean()`, `.size()`; every bin from the first to the last is present.
   */
  resample(freq, { on } = {}) {
    return new Resampler(this, freq, on);
  }
  /** Number of rows. */
  len() {
    return new Scalar(this.client, this.#h.len());
  }
  /**
   * This frame as CSV text, as pandas' `to_csv(index=False)` (an index, as a groupby's
   * keys, written as the first column): a `Blob` (`text/csv`), each partition written on
   * the pool and the parts joined by the Blob (no string of the whole text is made).
   * `sep` (default `,`); `partitioned: true`: a Blob per partition, each with the header.
   * Other options (`onProgress`, `signal`, …) are the compute's.
   */
  toCsv(options) {
    return toCsv(this.client, this.#h, options);
  }
  /**
   * This frame as a Parquet file (snappy, statistics; pyarrow reads it back): a `Blob`,
   * each partition encoded on the pool as a row group; `partitioned: true`: a Blob (a
   * whole file) per partition. Other options are the compute's.
   */
  toParquet(options) {
    return toParquet(this.client, this.#h, options);
  }
  /**
   * count, mean, std, min, 25%, 50%, 75%, max of the numeric columns: a lazy frame
   * indexed by those names (quartiles approximate over many partitions, as dask's).
   */
  describe() {
    return new DataFrame(this.client, this.#h.describe());
  }
  /** The first `n` rows as a Table (reads only the partitions they are in). */
  head(n = 5) {
    return this.client._rpc.callWith('head', [this], {}, { n });
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}

/** Computes frame or series `lazy` into the worker's memory; its persisted handle. */
async function persisted(lazy) {
  await lazy.client._rpc.callWith('persist', [lazy]);
  return lazy._handle().persisted(lazy.client._rpc.ctx);
}

/** A `loc` bound or division as the kernel takes it: Dates as ms, NaN and undefined missing. */
function boundOf(v) {
  if (v instanceof Date) return v.getTime();
  if (v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  return v;
}
