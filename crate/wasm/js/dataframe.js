// Dataframes, as dask.dataframe: DataFrame, Series, Scalar, GroupBy and SeriesGroupBy
// (pandas' method names), and `client.dataframe.readCsv`.

import { Collection, Lazy } from './lazy.js';
import { builder } from './rpc.js';
import { normalizeSources, sampleOf } from './sources.js';

/** Applies `build` to a fresh GroupAggBuilder on `by` and frees it. */
function groupAgg(byHandle, build, frame) {
  const b = new builder.GroupAggBuilder(byHandle);
  try {
    build(b);
    return b.finish(frame);
  } finally {
    b.free();
  }
}

/** A lazy number (a reduction, a row count, or arithmetic of those). */
export class Scalar extends Lazy {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
  }
  _arith(op, other) {
    if (typeof other === 'number') return new Scalar(this.client, this.#h.scalarOp(op, other, false));
    if (other instanceof Scalar) return new Scalar(this.client, this.#h.binary(op, other.#h));
    throw new TypeError(`${op}: expected a number or a Scalar`);
  }
  add(other) {
    return this._arith('add', other);
  }
  sub(other) {
    return this._arith('sub', other);
  }
  mul(other) {
    return this._arith('mul', other);
  }
  div(other) {
    return this._arith('div', other);
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}

/** A lazy series: one column, partitioned like its dataframe. */
export class Series extends Collection {
  #h;
  constructor(client, handle) {
    super(client);
    this.#h = handle;
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
  /** The number of non-missing values: a lazy Scalar. */
  count(opts) {
    return this._reduce('count', opts);
  }
  /** The number of distinct values: a lazy Scalar. */
  nunique(opts) {
    return this._reduce('nunique', opts);
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
  and(other) {
    return this.#wrap(this.#h.logical('and', other._handle()));
  }
  or(other) {
    return this.#wrap(this.#h.logical('or', other._handle()));
  }
  not() {
    return this.#wrap(this.#h.logical('not', undefined));
  }
  _reduce(op, { ddof } = {}) {
    return new Scalar(this.client, this.#h.reduce(op, ddof));
  }
  /** How often each value occurs, most frequent first: a Series indexed by value. */
  valueCounts() {
    return this.#wrap(this.#h.valueCounts());
  }
  /** The first `n` values (reads only the partitions they are in). */
  head(n = 5) {
    return this.client._rpc.callWith('head', [this], undefined, { n });
  }
  /** Datetime accessors: `dt.round/floor/ceil(freq)`, `dt.year`, `dt.hour`, …. */
  get dt() {
    const s = this;
    const h = this.#h;
    const field = (f) => s.#wrap(h.dtField(f));
    return {
      round: (freq) => s.#wrap(h.dtRound('round', freq)),
      floor: (freq) => s.#wrap(h.dtRound('floor', freq)),
      ceil: (freq) => s.#wrap(h.dtRound('ceil', freq)),
      get year() {
        return field('year');
      },
      get month() {
        return field('month');
      },
      get day() {
        return field('day');
      },
      get hour() {
        return field('hour');
      },
      get minute() {
        return field('minute');
      },
      get dayofweek() {
        return field('dayofweek');
      },
    };
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}

/** One column's groups: each aggregation gives a Series indexed by the sorted keys. */
export class SeriesGroupBy {
  #client;
  #by;
  #values;
  constructor(client, by, values) {
    this.#client = client;
    this.#by = by;
    this.#values = values;
  }
  _agg(agg) {
    const h = groupAgg(this.#by._handle(), (b) => b.add(this.#values._handle(), this.#values.name, agg), false);
    return new Series(this.#client, h);
  }
  /** The sum of each group. */
  sum() {
    return this._agg('sum');
  }
  /** The mean of each group. */
  mean() {
    return this._agg('mean');
  }
  /** The smallest value of each group. */
  min() {
    return this._agg('min');
  }
  /** The largest value of each group. */
  max() {
    return this._agg('max');
  }
  /** The number of non-missing values of each group. */
  count() {
    return this._agg('count');
  }
  /** The standard deviation of each group. */
  std() {
    return this._agg('std');
  }
  /** The variance of each group. */
  var() {
    return this._agg('var');
  }
  /** The first value of each group. */
  first() {
    return this._agg('first');
  }
  /** The last value of each group. */
  last() {
    return this._agg('last');
  }
  /** The number of rows of each group. */
  size() {
    return this._agg('size');
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
    return new SeriesGroupBy(this.#frame.client, this.#by, this.#frame.col(name));
  }
  /**
   * Several aggregations in one pass: `{high: 'max', close: ['min', 'mean']}`. A column
   * with one aggregation keeps its name; with a list, columns are `close_min`, ….
   */
  agg(spec) {
    const h = groupAgg(
      this.#by._handle(),
      (b) => {
        for (const [col, aggs] of Object.entries(spec)) {
          const list = Array.isArray(aggs) ? aggs : [aggs];
          const values = this.#frame.col(col)._handle();
          for (const a of list) b.add(values, list.length === 1 ? col : `${col}_${a}`, a);
        }
      },
      true,
    );
    return new DataFrame(this.#frame.client, h);
  }
}

/** A lazy dataframe read from CSV files, as `dask.dataframe.DataFrame`. */
export class DataFrame extends Lazy {
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
  /** Groups rows by a Series of this frame or a column name. */
  groupby(by) {
    const key = typeof by === 'string' ? this.col(by) : by;
    if (!(key instanceof Series)) throw new TypeError('groupby: expected a Series or a column name');
    return new GroupBy(this, key);
  }
  /** Number of rows. */
  len() {
    return new Scalar(this.client, this.#h.len());
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
    return this.client._rpc.callWith('head', [this], undefined, { n });
  }
  _addTo(b) {
    b.addDf(this.#h);
  }
  _depTo(c) {
    c.depDf(this.#h);
  }
}

/** `client.dataframe`, as `dask.dataframe`. */
export class DataFrameModule {
  #client;
  constructor(client) {
    this.#client = client;
  }
  /**
   * A dataframe of CSV files: a File, Blob, File[], FileList, URL(s), or
   * `[{name, data}]`. Options: `parseDates`, `dtype` ({col: dtype}), `sep`, `header`,
   * `blocksize` (bytes, default 16 MB: a partition's size — larger files are split, runs
   * of smaller ones grouped; 0: one partition per file). Reads only the first bytes of the first
   * file now, to learn columns and dtypes.
   */
  async readCsv(source, { parseDates = [], dtype = {}, sep, header, blocksize } = {}) {
    const host = this.#client.constructor.host;
    const list = await normalizeSources(host, source);
    for (const s of list) this.#client._rpc.sources.set(s.id, s.src);
    // As much as the kernel samples to infer dtypes (its SAMPLE_BYTES).
    const sampleBytes = builder.sampleBytes();
    const sample = await sampleOf(host, list[0], sampleBytes);
    const h = builder.readCsv(
      list.map((s) => [s.id, s.name, s.size]),
      sample,
      list[0].size <= sampleBytes,
      { parseDates, dtype, sep, header, blocksize },
    );
    return new DataFrame(this.#client, h);
  }
}
