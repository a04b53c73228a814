// Type declarations of the daskling package; the reference is docs/API.md in the repository.

/** What a `mapPartitions` function gives: `{column: dtype}` a DataFrame, `[name, dtype]` or a dtype a Series. */
export type PartitionMeta = Record<string, Dtype> | [string, Dtype] | Dtype;

/** One end of a `loc` range or a division: a number, a Date or ms on a datetime index, text, or null (open). */
export type IndexBound = number | string | Date | null;

/** `merge`'s options: pandas' keyword arguments. */
export interface MergeOptions {
  /** Which rows are kept: `'inner'` (default), `'left'`, `'right'` or `'outer'` (sorted by the key). */
  how?: 'inner' | 'left' | 'right' | 'outer';
  /** Key columns both frames have (default: every column they share). */
  on?: string | string[];
  /** The left frame's key columns (with `rightOn`). */
  leftOn?: string | string[];
  /** The right frame's key columns, one per left key. */
  rightOn?: string | string[];
  /** Added to other names both frames have (default `['_x', '_y']`). */
  suffixes?: [string, string];
  /** Join every partition of one side with the whole other (the smaller side gathered), as dask's `broadcast=True`. */
  broadcast?: boolean;
}

/** `{done, total, running}` tasks of a running compute. */
export interface Progress {
  done: number;
  total: number;
  running: number;
  /** With `taskStream`: the tasks finished since the last report. */
  tasks?: TaskEvent[];
}

/** One task run, for a task stream (dask's dashboard). */
export interface TaskEvent {
  /** The key's prefix (`sum-chunk`, `read-csv`, a function's name). */
  prefix: string;
  /** The pool thread that ran it; -1 for the compute worker's own thread (reads). */
  worker: number;
  /** Milliseconds since the epoch (performance.timeOrigin + now()), to the microsecond. */
  start: number;
  end: number;
}

export interface ComputeOptions {
  onProgress?: (progress: Progress) => void;
  /** What the compute's tasks report besides their values (readCsv's `onBadLines: 'warn'`: the file and line of each skipped row); by default `console.warn`. */
  onWarning?: (message: string) => void;
  /** Report every task run (`progress.tasks`): which thread, when. */
  taskStream?: boolean;
  /**
   * Aborting it rejects the compute with a DOMException named `AbortError` at once; the
   * compute stops in place and the kernel keeps its data and the other computes (only a
   * task that never returns gets the kernel restarted). `AbortSignal.timeout(ms)` is a timeout.
   */
  signal?: AbortSignal;
}

/** A task graph: nodes and `[from, to]` edges. */
export interface GraphExport {
  nodes: { id: string; label: string; kind: string }[];
  edges: [string, string][];
}

/**
 * Numbers and datetimes (ms since the epoch) as Float64Array (missing: NaN), bools as
 * Uint8Array of 1/0 — or, when one is missing, as Float64Array of 1/0/NaN (pandas'
 * nullable boolean) — and strings as arrays (missing: null).
 */
export type Values = Float64Array | Uint8Array | (string | null)[];

/** A computed series. `index` holds the group keys of grouped results, else `null`. */
export interface Column {
  /** This column as an Apache Arrow table (`index`, if any, then the values); needs `useArrow(arrow)` once. */
  toArrow(): ArrowTable;
  name: string;
  dtype: Dtype;
  index: Values | null;
  /** The index's dtype (`'datetime'` for groups by a rounded timestamp), `null` without one. */
  indexDtype: Dtype | null;
  values: Values;
}

/** A computed dataframe. */
/**
 * An Apache Arrow `Table` (of the `apache-arrow` package, an optional peer dependency),
 * declared by the parts daskling uses so that the types need no `apache-arrow` installed:
 * a `Table` of `apache-arrow` is one.
 */
export interface ArrowTable {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string; readonly type: unknown }[] };
  getChild(name: string): unknown;
}

/** The `apache-arrow` module (`import * as arrow from 'apache-arrow'`), as `useArrow` takes it. */
export interface ArrowModule {
  makeVector: unknown;
  vectorFromArray: unknown;
  Table: unknown;
}

export interface Table {
  /** This table as an Apache Arrow table (the index first, as `index`); needs `useArrow(arrow)` once. */
  toArrow(): ArrowTable;
  columns: string[];
  dtypes: Record<string, Dtype>;
  index: Values | null;
  /** The index's dtype, `null` without one. */
  indexDtype: Dtype | null;
  data: Record<string, Values>;
  length: number;
}

/** A computed array: a number when 0-d, else the shape and row-major data. */
export type ArrayResult = number | { shape: number[]; data: Float64Array };

/** What every lazy value can do. */
declare abstract class Lazy<R> {
  readonly client: Client;
  compute(options?: ComputeOptions): Promise<R>;
  graph(): Promise<GraphExport>;
  toDot(): Promise<string>;
  /** The task graph drawn by Graphviz (@viz-js/viz), as an SVG string. */
  visualize(): Promise<string>;
  /** The Python source of a dask script computing this value (see `Client.toDask`). */
  toDask(options?: DaskOptions): string;
}

/** `chunks`: a block shape (`[1000, 1000]`), one size for every axis (`1000`) or sizes per axis (`[[5, 5, 5], [7, 8]]`). */
export type Chunks = number | number[] | number[][];

export interface ReduceOptions {
  axis?: number | number[];
  ddof?: number;
  splitEvery?: number;
}

/** A constant for `fillna` and `isin`: a number, text, a bool, or null (the missing value). */
export type Literal = number | string | boolean | null;

/** One axis of a slice: an index, `[start, stop, step]` (nulls for defaults), or `null` for all. */
export type SliceSpec = number | null | [number | null, (number | null)?, (number | null)?];

// <generated: operations> generated by crate/wasm/js/gen.mjs from the operation tables: do not edit
export type Dtype = 'int64' | 'float64' | 'bool' | 'string' | 'datetime';

export type GroupAggName = 'sum' | 'mean' | 'min' | 'max' | 'count' | 'std' | 'var' | 'first' | 'last' | 'size' | 'nunique' | 'median';

/** The operations of DArray, one per table row. */
declare abstract class DArrayOps extends Lazy<ArrayResult> {
  /** `this + other`; `other` a number or a collection of the same kind. Elementwise, with numpy's broadcasting. */
  add(other: number | DArray): DArray;
  /** `this - other`; `other` a number or a collection of the same kind. Elementwise, with numpy's broadcasting. */
  sub(other: number | DArray): DArray;
  /** `this * other`; `other` a number or a collection of the same kind. Elementwise, with numpy's broadcasting. */
  mul(other: number | DArray): DArray;
  /** `this / other`; `other` a number or a collection of the same kind. Elementwise, with numpy's broadcasting. */
  div(other: number | DArray): DArray;
  /** `this ** other`; `other` a number or a collection of the same kind. Elementwise, with numpy's broadcasting. */
  pow(other: number | DArray): DArray;
  /** `this % other`: the remainder, with the sign of `other` (Python's, numpy's and pandas' `%`). Elementwise, with numpy's broadcasting. */
  mod(other: number | DArray): DArray;
  /** `this // other`: the quotient rounded down (Python's, numpy's and pandas' `//`). Elementwise, with numpy's broadcasting. */
  floorDiv(other: number | DArray): DArray;
  /** `this > other` (1.0 / 0.0 for arrays, bool for series). Elementwise, with numpy's broadcasting. */
  gt(other: number | DArray): DArray;
  /** `this >= other` (1.0 / 0.0 for arrays, bool for series). Elementwise, with numpy's broadcasting. */
  ge(other: number | DArray): DArray;
  /** `this < other` (1.0 / 0.0 for arrays, bool for series). Elementwise, with numpy's broadcasting. */
  lt(other: number | DArray): DArray;
  /** `this <= other` (1.0 / 0.0 for arrays, bool for series). Elementwise, with numpy's broadcasting. */
  le(other: number | DArray): DArray;
  /** `this == other` (1.0 / 0.0 for arrays, bool for series). Elementwise, with numpy's broadcasting. */
  eq(other: number | DArray): DArray;
  /** `this != other` (1.0 / 0.0 for arrays, bool for series). Elementwise, with numpy's broadcasting. */
  ne(other: number | DArray): DArray;
  /** The larger of the two, elementwise; NaN if either is (numpy's `maximum`). Elementwise, with numpy's broadcasting. */
  maximum(other: number | DArray): DArray;
  /** The smaller of the two, elementwise; NaN if either is (numpy's `minimum`). Elementwise, with numpy's broadcasting. */
  minimum(other: number | DArray): DArray;
  /** The angle of the point `(other, this)`: `arctan(this / other)` in the right quadrant, elementwise. Elementwise, with numpy's broadcasting. */
  arctan2(other: number | DArray): DArray;
  /** `sqrt(this² + other²)` without overflow, elementwise. Elementwise, with numpy's broadcasting. */
  hypot(other: number | DArray): DArray;
  /** `-x`, elementwise. */
  neg(): DArray;
  /** `|x|`, elementwise. */
  abs(): DArray;
  /** The square root, elementwise. */
  sqrt(): DArray;
  /** `e^x`, elementwise. */
  exp(): DArray;
  /** The natural logarithm, elementwise. */
  log(): DArray;
  /** The sine, elementwise. */
  sin(): DArray;
  /** The cosine, elementwise. */
  cos(): DArray;
  /** The tangent, elementwise. */
  tan(): DArray;
  /** The inverse sine, elementwise. */
  arcsin(): DArray;
  /** The inverse cosine, elementwise. */
  arccos(): DArray;
  /** The inverse tangent, elementwise. */
  arctan(): DArray;
  /** The hyperbolic sine, elementwise. */
  sinh(): DArray;
  /** The hyperbolic cosine, elementwise. */
  cosh(): DArray;
  /** The hyperbolic tangent, elementwise. */
  tanh(): DArray;
  /** The base-10 logarithm, elementwise. */
  log10(): DArray;
  /** The base-2 logarithm, elementwise. */
  log2(): DArray;
  /** `log(1 + x)`, exact for small `x`, elementwise. */
  log1p(): DArray;
  /** `e^x - 1`, exact for small `x`, elementwise. */
  expm1(): DArray;
  /** The largest integer not above `x`, elementwise. */
  floor(): DArray;
  /** The smallest integer not below `x`, elementwise. */
  ceil(): DArray;
  /** The nearest integer, halves to even (numpy's `round`), elementwise. */
  round(): DArray;
  /** The integer part (towards zero), elementwise. */
  trunc(): DArray;
  /** -1, 0 or 1 by the sign of `x` (NaN stays NaN), elementwise. */
  sign(): DArray;
  /** `x * x`, elementwise. */
  square(): DArray;
  /** The sum. Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  sum(options?: ReduceOptions): DArray;
  /** The product. Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  prod(options?: ReduceOptions): DArray;
  /** The smallest value. Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  min(options?: ReduceOptions): DArray;
  /** The largest value. Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  max(options?: ReduceOptions): DArray;
  /** The mean. Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  mean(options?: ReduceOptions): DArray;
  /** The variance (`ddof`, default 0). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  var(options?: ReduceOptions): DArray;
  /** The standard deviation (`ddof`, default 0). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  std(options?: ReduceOptions): DArray;
  /** The sum of the values that are not NaN (0 when none are). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  nansum(options?: ReduceOptions): DArray;
  /** The smallest value that is not NaN (NaN when none). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  nanmin(options?: ReduceOptions): DArray;
  /** The largest value that is not NaN (NaN when none). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  nanmax(options?: ReduceOptions): DArray;
  /** The mean of the values that are not NaN. Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  nanmean(options?: ReduceOptions): DArray;
  /** The variance of the values that are not NaN (`ddof`, default 0). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  nanvar(options?: ReduceOptions): DArray;
  /** The standard deviation of the values that are not NaN (`ddof`, default 0). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  nanstd(options?: ReduceOptions): DArray;
  /** 1 where any value is not 0 (NaN counts), else 0 (numpy's `any`; 0 of nothing). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  any(options?: ReduceOptions): DArray;
  /** 1 where every value is not 0 (NaN counts), else 0 (numpy's `all`; 1 of nothing). Over `options.axis` (every axis when omitted); `splitEvery` sets the tree's fan-in. */
  all(options?: ReduceOptions): DArray;
  /** The index of the smallest value along `axis` (of the flattened array when omitted); the first of ties, the first NaN if any. Indices as float64 (exact to 2^53). */
  argmin(options?: { axis?: number }): DArray;
  /** The index of the largest value along `axis` (of the flattened array when omitted); the first of ties, the first NaN if any. Indices as float64 (exact to 2^53). */
  argmax(options?: { axis?: number }): DArray;
  /** Running sums along `axis` (numpy's `cumsum`; a NaN makes the rest NaN). Along `options.axis` (needed for more than one dimension): each block accumulated, then the totals of the blocks before it carried in, as dask's. */
  cumsum(options?: { axis?: number }): DArray;
  /** Running products along `axis` (numpy's `cumprod`). Along `options.axis` (needed for more than one dimension): each block accumulated, then the totals of the blocks before it carried in, as dask's. */
  cumprod(options?: { axis?: number }): DArray;
  /** Running sums along `axis`, NaN counted as 0. Along `options.axis` (needed for more than one dimension): each block accumulated, then the totals of the blocks before it carried in, as dask's. */
  nancumsum(options?: { axis?: number }): DArray;
  /** Running products along `axis`, NaN counted as 1. Along `options.axis` (needed for more than one dimension): each block accumulated, then the totals of the blocks before it carried in, as dask's. */
  nancumprod(options?: { axis?: number }): DArray;
}

/** The operations of Series, one per table row. */
declare abstract class SeriesOps extends Lazy<Column> {
  /** `this + other`; `other` a number or a collection of the same kind. Row by row. */
  add(other: number | Series): Series;
  /** `this - other`; `other` a number or a collection of the same kind. Row by row. */
  sub(other: number | Series): Series;
  /** `this * other`; `other` a number or a collection of the same kind. Row by row. */
  mul(other: number | Series): Series;
  /** `this / other`; `other` a number or a collection of the same kind. Row by row. */
  div(other: number | Series): Series;
  /** `this ** other`; `other` a number or a collection of the same kind. Row by row. */
  pow(other: number | Series): Series;
  /** `this % other`: the remainder, with the sign of `other` (Python's, numpy's and pandas' `%`). Row by row. */
  mod(other: number | Series): Series;
  /** `this // other`: the quotient rounded down (Python's, numpy's and pandas' `//`). Row by row. */
  floorDiv(other: number | Series): Series;
  /** `this > other` (1.0 / 0.0 for arrays, bool for series). Row by row. */
  gt(other: number | Series): Series;
  /** `this >= other` (1.0 / 0.0 for arrays, bool for series). Row by row. */
  ge(other: number | Series): Series;
  /** `this < other` (1.0 / 0.0 for arrays, bool for series). Row by row. */
  lt(other: number | Series): Series;
  /** `this <= other` (1.0 / 0.0 for arrays, bool for series). Row by row. */
  le(other: number | Series): Series;
  /** `this == other` (1.0 / 0.0 for arrays, bool for series). Row by row. */
  eq(other: number | Series): Series;
  /** `this != other` (1.0 / 0.0 for arrays, bool for series). Row by row. */
  ne(other: number | Series): Series;
  /** `-x`, elementwise. Of each value; `neg` and `abs` keep int64, the others give float64. */
  neg(): Series;
  /** `|x|`, elementwise. Of each value; `neg` and `abs` keep int64, the others give float64. */
  abs(): Series;
  /** The square root, elementwise. Of each value; `neg` and `abs` keep int64, the others give float64. */
  sqrt(): Series;
  /** `e^x`, elementwise. Of each value; `neg` and `abs` keep int64, the others give float64. */
  exp(): Series;
  /** The natural logarithm, elementwise. Of each value; `neg` and `abs` keep int64, the others give float64. */
  log(): Series;
  /** The sine, elementwise. Of each value; `neg` and `abs` keep int64, the others give float64. */
  sin(): Series;
  /** The cosine, elementwise. Of each value; `neg` and `abs` keep int64, the others give float64. */
  cos(): Series;
  /** The values moved down `n` rows (default 1; negative: up), missing where there is none. Across partitions, exact (each partition gets the rows its neighbour ends with). */
  shift(n?: number): Series;
  /** Each value minus the one `n` rows before (default 1). Across partitions, exact (each partition gets the rows its neighbour ends with). */
  diff(n?: number): Series;
  /** The change from the value `n` rows before, as a fraction (default 1). Across partitions, exact (each partition gets the rows its neighbour ends with). */
  pctChange(n?: number): Series;
  /** The running sum. Across partitions (a running value carried from one to the next); missing values skipped and kept missing. */
  cumsum(): Series;
  /** The running maximum. Across partitions (a running value carried from one to the next); missing values skipped and kept missing. */
  cummax(): Series;
  /** The running minimum. Across partitions (a running value carried from one to the next); missing values skipped and kept missing. */
  cummin(): Series;
  /** The running product. Across partitions (a running value carried from one to the next); missing values skipped and kept missing. */
  cumprod(): Series;
  /** `this & other`: both true. */
  and(other: Series): Series;
  /** `this | other`: either true. */
  or(other: Series): Series;
  /** `~this`: negation. */
  not(): Series;
  /** The sum. Missing values skipped. */
  sum(): Scalar;
  /** The mean. Missing values skipped. */
  mean(): Scalar;
  /** The smallest value. Missing values skipped. */
  min(): Scalar;
  /** The largest value. Missing values skipped. */
  max(): Scalar;
  /** How many values are not missing. Missing values skipped. */
  count(): Scalar;
  /** The standard deviation (`ddof`, default 1). Missing values skipped. */
  std(options?: { ddof?: number }): Scalar;
  /** The variance (`ddof`, default 1). Missing values skipped. */
  var(options?: { ddof?: number }): Scalar;
  /** How many distinct values. Missing values skipped. */
  nunique(): Scalar;
  /** Whether each value is missing (NaN, NaT, null): a bool result. Of each value; missing values are NaN (floats), NaT (datetimes) or null. */
  isna(): Series;
  /** Whether each value is present: the opposite of `isna`. Of each value; missing values are NaN (floats), NaT (datetimes) or null. */
  notna(): Series;
  /** Missing values replaced by `value` (a number for numeric columns, text for text, a bool for bools). Of each value; missing values are NaN (floats), NaT (datetimes) or null. */
  fillna(value: Literal): Series;
  /** Rounded to `decimals` places (numpy's: halves to even; negative rounds to tens, hundreds, …). Of each value; missing values are NaN (floats), NaT (datetimes) or null. */
  round(decimals?: number): Series;
  /** Values below `lower` set to it, above `upper` to it (null: no bound). Of each value; missing values are NaN (floats), NaT (datetimes) or null. */
  clip(lower?: number | null, upper?: number | null): Series;
  /** Whether each value is one of `values` (null or NaN in `values` matches missing values). Of each value; missing values are NaN (floats), NaT (datetimes) or null. */
  isin(values: Literal[]): Series;
  /** Converted to `dtype` (floats to text as Python writes them; an error names a value that cannot be). Of each value; missing values are NaN (floats), NaT (datetimes) or null. */
  astype(dtype: Dtype): Series;
}

/** The operations of DataFrame, one per table row. */
declare abstract class DataFrameOps extends Lazy<Table> {
  /** The sum. Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped. */
  sum(): Series;
  /** The mean. Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped. */
  mean(): Series;
  /** The smallest value. Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped. */
  min(): Series;
  /** The largest value. Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped. */
  max(): Series;
  /** How many values are not missing. Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped. */
  count(): Series;
  /** The standard deviation (`ddof`, default 1). Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped. */
  std(options?: { ddof?: number }): Series;
  /** The variance (`ddof`, default 1). Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped. */
  var(options?: { ddof?: number }): Series;
  /** How many distinct values. Of every numeric column (every column for `count` and `nunique`; pandas' `numeric_only=True`): a Series indexed by column name; missing values skipped. */
  nunique(): Series;
  /** The values moved down `n` rows (default 1; negative: up), missing where there is none. Of every column, across partitions, exact (as the Series method). */
  shift(n?: number): DataFrame;
  /** Each value minus the one `n` rows before (default 1). Of every column, across partitions, exact (as the Series method). */
  diff(n?: number): DataFrame;
  /** The change from the value `n` rows before, as a fraction (default 1). Of every column, across partitions, exact (as the Series method). */
  pctChange(n?: number): DataFrame;
  /** The running sum. Of every column, across partitions (as the Series method); a column it does not apply to is an error naming it. */
  cumsum(): DataFrame;
  /** The running maximum. Of every column, across partitions (as the Series method); a column it does not apply to is an error naming it. */
  cummax(): DataFrame;
  /** The running minimum. Of every column, across partitions (as the Series method); a column it does not apply to is an error naming it. */
  cummin(): DataFrame;
  /** The running product. Of every column, across partitions (as the Series method); a column it does not apply to is an error naming it. */
  cumprod(): DataFrame;
  /** Whether each value is missing (NaN, NaT, null): a bool result. Of every column (`round`: of the numeric ones); a `{column: …}` object for some columns. */
  isna(): DataFrame;
  /** Whether each value is present: the opposite of `isna`. Of every column (`round`: of the numeric ones); a `{column: …}` object for some columns. */
  notna(): DataFrame;
  /** Missing values replaced by `value` (a number for numeric columns, text for text, a bool for bools). Of every column (`round`: of the numeric ones); a `{column: …}` object for some columns. */
  fillna(value: Literal | Record<string, Literal>): DataFrame;
  /** Rounded to `decimals` places (numpy's: halves to even; negative rounds to tens, hundreds, …). Of every column (`round`: of the numeric ones); a `{column: …}` object for some columns. */
  round(decimals?: number): DataFrame;
  /** Values below `lower` set to it, above `upper` to it (null: no bound). Of every column (`round`: of the numeric ones); a `{column: …}` object for some columns. */
  clip(lower?: number | null, upper?: number | null): DataFrame;
  /** Whether each value is one of `values` (null or NaN in `values` matches missing values). Of every column (`round`: of the numeric ones); a `{column: …}` object for some columns. */
  isin(values: Literal[]): DataFrame;
  /** Converted to `dtype` (floats to text as Python writes them; an error names a value that cannot be). Of every column (`round`: of the numeric ones); a `{column: …}` object for some columns. */
  astype(dtype: Dtype | Record<string, Dtype>): DataFrame;
}

/** The operations of Scalar, one per table row. */
declare abstract class ScalarOps extends Lazy<number> {
  /** `this + other`; `other` a number or a collection of the same kind. */
  add(other: number | Scalar): Scalar;
  /** `this - other`; `other` a number or a collection of the same kind. */
  sub(other: number | Scalar): Scalar;
  /** `this * other`; `other` a number or a collection of the same kind. */
  mul(other: number | Scalar): Scalar;
  /** `this / other`; `other` a number or a collection of the same kind. */
  div(other: number | Scalar): Scalar;
  /** `this ** other`; `other` a number or a collection of the same kind. */
  pow(other: number | Scalar): Scalar;
  /** `this % other`: the remainder, with the sign of `other` (Python's, numpy's and pandas' `%`). */
  mod(other: number | Scalar): Scalar;
  /** `this // other`: the quotient rounded down (Python's, numpy's and pandas' `//`). */
  floorDiv(other: number | Scalar): Scalar;
  /** `this > other` (1.0 / 0.0 for arrays, bool for series). */
  gt(other: number | Scalar): Scalar;
  /** `this >= other` (1.0 / 0.0 for arrays, bool for series). */
  ge(other: number | Scalar): Scalar;
  /** `this < other` (1.0 / 0.0 for arrays, bool for series). */
  lt(other: number | Scalar): Scalar;
  /** `this <= other` (1.0 / 0.0 for arrays, bool for series). */
  le(other: number | Scalar): Scalar;
  /** `this == other` (1.0 / 0.0 for arrays, bool for series). */
  eq(other: number | Scalar): Scalar;
  /** `this != other` (1.0 / 0.0 for arrays, bool for series). */
  ne(other: number | Scalar): Scalar;
}

/** The operations of DatetimeAccessor, one per table row. */
declare abstract class DatetimeAccessorOps {
  /** The year. */
  readonly year: Series;
  /** The month, 1–12. */
  readonly month: Series;
  /** The day of the month, 1–31. */
  readonly day: Series;
  /** The hour, 0–23. */
  readonly hour: Series;
  /** The minute, 0–59. */
  readonly minute: Series;
  /** The second, 0–59. */
  readonly second: Series;
  /** The day of the week, Monday = 0. */
  readonly dayofweek: Series;
  /** The day of the week, Monday = 0 (as `dayofweek`). */
  readonly weekday: Series;
  /** The day of the year, 1–366. */
  readonly dayofyear: Series;
  /** The quarter, 1–4. */
  readonly quarter: Series;
  /** To the nearest multiple of the frequency (halves to even, as pandas). `freq` as pandas: `'1d'`, `'h'`, `'15min'`, `'30s'`. */
  round(freq: string): Series;
  /** Down to a multiple of the frequency. `freq` as pandas: `'1d'`, `'h'`, `'15min'`, `'30s'`. */
  floor(freq: string): Series;
  /** Up to a multiple of the frequency. `freq` as pandas: `'1d'`, `'h'`, `'15min'`, `'30s'`. */
  ceil(freq: string): Series;
}

/** The operations of StringAccessor, one per table row. */
declare abstract class StringAccessorOps {
  /** Lower case (character by character, as pandas' Arrow strings). Of each value of a string series; missing stays missing. */
  lower(): Series;
  /** Upper case (character by character: `ß` → `ẞ`, as pandas' Arrow strings). Of each value of a string series; missing stays missing. */
  upper(): Series;
  /** Without leading and trailing whitespace. Of each value of a string series; missing stays missing. */
  strip(): Series;
  /** The number of characters (float64 with NaN where a value is missing). Of each value of a string series; missing stays missing. */
  len(): Series;
  /** Whether `pat` occurs (a regular expression unless `{regex: false}`; `{case: false}` ignores case); missing: false. Of each value of a string series; missing stays missing. */
  contains(pat: string, options?: { regex?: boolean; case?: boolean }): Series;
  /** Whether each value starts with `pat` (missing: false). Of each value of a string series; missing stays missing. */
  startswith(pat: string): Series;
  /** Whether each value ends with `pat` (missing: false). Of each value of a string series; missing stays missing. */
  endswith(pat: string): Series;
  /** `pat` replaced by `repl` (literal unless `{regex: true}`; groups as `\1`). Of each value of a string series; missing stays missing. */
  replace(pat: string, repl: string, options?: { regex?: boolean; case?: boolean }): Series;
  /** Characters `start` to `stop` (Python's slice: negative counts from the end). Of each value of a string series; missing stays missing. */
  slice(start?: number | null, stop?: number | null): Series;
  /** Part `i` of each value split at `sep` (`str.split(sep).get(i)`; null `sep`: runs of whitespace). Of each value of a string series; missing stays missing. */
  splitGet(sep: string | null, i: number): Series;
}

/** The operations of Rolling, one per table row. */
declare abstract class RollingOps {
  /** The mean of each window. Over windows of `window` rows ending at each row, across partition edges; missing where a window has fewer than `minPeriods` values (default `window`). */
  mean(): Series;
  /** The sum of each window. Over windows of `window` rows ending at each row, across partition edges; missing where a window has fewer than `minPeriods` values (default `window`). */
  sum(): Series;
  /** The smallest value of each window. Over windows of `window` rows ending at each row, across partition edges; missing where a window has fewer than `minPeriods` values (default `window`). */
  min(): Series;
  /** The largest value of each window. Over windows of `window` rows ending at each row, across partition edges; missing where a window has fewer than `minPeriods` values (default `window`). */
  max(): Series;
  /** The standard deviation of each window (ddof 1). Over windows of `window` rows ending at each row, across partition edges; missing where a window has fewer than `minPeriods` values (default `window`). */
  std(): Series;
  /** The variance of each window (ddof 1). Over windows of `window` rows ending at each row, across partition edges; missing where a window has fewer than `minPeriods` values (default `window`). */
  var(): Series;
  /** How many values of each window are not missing. Over windows of `window` rows ending at each row, across partition edges; missing where a window has fewer than `minPeriods` values (default `window`). */
  count(): Series;
}

/** The operations of SeriesGroupBy, one per table row. */
declare abstract class SeriesGroupByOps {
  /** The sum of each group. A Series indexed by the sorted group keys. */
  sum(): Series;
  /** The mean of each group. A Series indexed by the sorted group keys. */
  mean(): Series;
  /** The smallest value of each group. A Series indexed by the sorted group keys. */
  min(): Series;
  /** The largest value of each group. A Series indexed by the sorted group keys. */
  max(): Series;
  /** How many values of each group are not missing. A Series indexed by the sorted group keys. */
  count(): Series;
  /** The standard deviation of each group (`ddof` 1). A Series indexed by the sorted group keys. */
  std(): Series;
  /** The variance of each group (`ddof` 1). A Series indexed by the sorted group keys. */
  var(): Series;
  /** The first value of each group. A Series indexed by the sorted group keys. */
  first(): Series;
  /** The last value of each group. A Series indexed by the sorted group keys. */
  last(): Series;
  /** How many rows each group has (missing values included). A Series indexed by the sorted group keys. */
  size(): Series;
  /** How many distinct values each group has (missing values not counted). A Series indexed by the sorted group keys. */
  nunique(): Series;
  /** The median of each group (exact: every value is kept until the end). A Series indexed by the sorted group keys. */
  median(): Series;
}
// </generated: operations>

/** A lazy chunked float64 array, as `dask.array.Array`. */
export declare class DArray extends DArrayOps {
  readonly shape: number[];
  readonly chunks: number[][];
  readonly ndim: number;
  readonly size: number;
  readonly dtype: 'float64';
  readonly npartitions: number;
  readonly name: string;
  readonly T: DArray;
  transpose(axes?: number[]): DArray;
  dot(other: DArray): DArray;
  matmul(other: DArray): DArray;
  slice(spec: SliceSpec[] | SliceSpec): DArray;
  rechunk(chunks: Chunks): DArray;
  /** Computes the blocks and keeps them in the worker (dask's `persist`). */
  persist(): Promise<DArray>;
  /**
   * `fn` on every block (dask's `map_blocks`) in the function workers: it gets
   * `{shape, data}` (then `args`) and returns `{shape, data}` or the values alone.
   */
  mapBlocks(
    fn: (block: { shape: number[]; data: Float64Array }, ...args: any[]) => { shape: number[]; data: ArrayLike<number> } | ArrayLike<number> | number,
    options?: { chunks?: Chunks; args?: unknown[]; name?: string },
  ): DArray;
  /**
   * `fn` on every block with `depth` neighbouring elements on each side (dask's
   * `map_overlap`); `boundary` beyond the edge: `'none'` (default), `'reflect'`,
   * `'nearest'`, `'periodic'` or a number. `fn` returns the extended block's shape.
   */
  mapOverlap(
    fn: (block: { shape: number[]; data: Float64Array }, ...args: any[]) => { shape: number[]; data: ArrayLike<number> } | ArrayLike<number>,
    options?: { depth?: number | number[]; boundary?: 'none' | 'reflect' | 'nearest' | 'periodic' | number; args?: unknown[]; name?: string },
  ): DArray;
  /** Values limited to `[min, max]` (numpy's `clip`; `null` leaves a side open). */
  clip(min?: number | DArray | null, max?: number | DArray | null): DArray;
}

export interface ArrayModule {
  ones(shape: number[], options?: { chunks?: Chunks }): DArray;
  zeros(shape: number[], options?: { chunks?: Chunks }): DArray;
  full(shape: number[], value: number, options?: { chunks?: Chunks }): DArray;
  arange(start: number, stop?: number, step?: number, options?: { chunks?: number | number[] }): DArray;
  /** `num` (default 50) evenly spaced values from `start` to `stop`, numpy's `linspace`. */
  linspace(start: number, stop: number, num?: number, options?: { chunks?: number | number[]; endpoint?: boolean }): DArray;
  /** The arrays joined along an existing `axis` (default 0), numpy's `concatenate`. */
  concatenate(arrays: DArray[], options?: { axis?: number }): DArray;
  /** The arrays (all of one shape) joined along a new `axis` (default 0), numpy's `stack`. */
  stack(arrays: DArray[], options?: { axis?: number }): DArray;
  /** numpy's `where(cond, a, b)`: `a` where `cond` is not 0, else `b`, broadcast together. */
  where(cond: DArray | number, a: DArray | number, b: DArray | number): DArray;
  /** Ones of `x`'s shape and chunks. */
  onesLike(x: DArray): DArray;
  /** Zeros of `x`'s shape and chunks. */
  zerosLike(x: DArray): DArray;
  /** `value` in `x`'s shape and chunks. */
  fullLike(x: DArray, value: number): DArray;
  /** `n`×`M` (default `n`) with ones on diagonal `k`, numpy's `eye`. */
  eye(n: number, options?: { chunks?: Chunks; M?: number; k?: number }): DArray;
  fromArray(data: Float64Array | ArrayLike<number> | unknown[], options?: { shape?: number[]; chunks?: Chunks }): DArray;
  random: {
    random(shape: number[], options?: { chunks?: Chunks; seed?: number }): DArray;
    /** Normal values (mean `loc`, standard deviation `scale`), reproducible for `seed` and the chunking. */
    normal(shape: number[], options?: { loc?: number; scale?: number; chunks?: Chunks; seed?: number }): DArray;
    /** Uniform values in `[low, high)`, reproducible for `seed` and the chunking. */
    uniform(low: number, high: number, shape: number[], options?: { chunks?: Chunks; seed?: number }): DArray;
  };
  linalg: {
    qr(x: DArray): [DArray, DArray];
    svd(x: DArray): [DArray, DArray, DArray];
    svdCompressed(x: DArray, k: number, options?: { seed?: number; nPowerIter?: number }): [DArray, DArray, DArray];
    /** The lower Cholesky factor of a symmetric positive definite array (square blocks). */
    cholesky(a: DArray): DArray;
    /** `x` with `a · x = b` (`b` 1-d or 2-d), by a blocked LU of `a` (square blocks). */
    solve(a: DArray, b: DArray): DArray;
    /** The inverse of a square array (square blocks). */
    inv(a: DArray): DArray;
    /** numpy's `linalg.norm`: a vector norm along one axis, a matrix norm over two (or of a 1-d / 2-d array). */
    norm(x: DArray, options?: { ord?: number | 'fro' | 'nuc'; axis?: number | number[] }): DArray;
  };
}

/** A lazy number. */
export declare class Scalar extends ScalarOps {}

/** `series.rolling(window, {minPeriods})`: aggregations of windows of rows. */
export declare class Rolling extends RollingOps {}

/** `series.str`: text functions of a string series. */
export declare class StringAccessor extends StringAccessorOps {
  /** Each value split at `sep` (null: runs of whitespace); `.get(i)` takes part `i` (negative: from the end). */
  split(sep?: string | null): { get(i: number): Series };
}

/** `series.dt`: datetime fields and rounding. */
export declare class DatetimeAccessor extends DatetimeAccessorOps {
  /** Each datetime as text, with C's directives (`'%Y-%m-%d %H:%M'`). */
  strftime(format: string): Series;
  /** Midnight of each datetime: `floor('1d')`. */
  normalize(): Series;
  /** The date of each datetime, as a datetime at midnight. */
  readonly date: Series;
}

/** A lazy series (one column). */
export declare class Series extends SeriesOps {
  /** As `DataFrame.toCsv`: the index (a groupby's keys) then the values, as `reset_index()`. */
  toCsv(options?: { sep?: string; partitioned?: false } & ComputeOptions): Promise<Blob>;
  toCsv(options: { sep?: string; partitioned: true } & ComputeOptions): Promise<Blob[]>;
  /** As `DataFrame.toParquet`: the index then the values. */
  toParquet(options?: { partitioned?: false } & ComputeOptions): Promise<Blob>;
  toParquet(options: { partitioned: true } & ComputeOptions): Promise<Blob[]>;
  readonly name: string;
  readonly dtype: Dtype;
  readonly npartitions: number;
  readonly dt: DatetimeAccessor;
  valueCounts(): Series;
  /** Whether each value is within `[lo, hi]` (both ends included; missing is false). */
  between(lo: number | Series, hi: number | Series): Series;
  /** The values that are not missing (pandas' `dropna`). */
  dropna(): Series;
  /** Text functions of a string series: `str.lower()`, `str.contains(pat)`, …. */
  readonly str: StringAccessor;
  /** Windows of `window` rows ending at each row, across partitions: `.mean()`, `.sum()`, …. */
  rolling(window: number, options?: { minPeriods?: number }): Rolling;
  /** Windows of a time (`'30min'`, `'1h'`) by the sorted datetime Series `on`: each row's window holds the rows within `(t - window, t]` (`minPeriods` default 1). */
  rolling(window: string, options: { on: Series; minPeriods?: number }): Rolling;
  /** The values where `cond` (a bool Series of these rows) is true, `other` elsewhere (default: missing). */
  where(cond: Series, other?: Series | number | string | boolean | null): Series;
  /** The values where `cond` is false, `other` where it is true (default: missing). */
  mask(cond: Series, other?: Series | number | string | boolean | null): Series;
  /** The same values in `npartitions` partitions, in order. */
  repartition(options: { npartitions: number }): Series;
  /** The values in order (missing ones last, ties in order of occurrence): a global sort over the partitions. */
  sortValues(options?: { ascending?: boolean }): Series;
  /** The values whose index is in `[start, stop]` (see `DataFrame.loc`). */
  loc(start?: IndexBound, stop?: IndexBound): Series;
  /** Computes the series and keeps its partitions in the worker (see `DataFrame.persist`). */
  persist(): Promise<Series>;
  /** The index's divisions (`npartitions + 1` values: numbers, datetimes as ms, text) where known, else null. */
  readonly divisions: (number | string | null)[] | null;
  /**
   * `fn(column)` on every partition (a Column) in the function workers, as dask's `map_partitions`:
   * it returns a Column, an array or one value (a Series by `meta`, default this one's name and dtype),
   * or a Table / an object of columns (`meta: {column: dtype}`). `args`: plain values after the partition.
   */
  mapPartitions(fn: (column: Column, ...args: any[]) => unknown, options?: { meta?: PartitionMeta; args?: unknown[]; name?: string }): Series | DataFrame;
  /** `fn(value)` on every value, in the function workers (`meta`: the result's dtype, default this one's). */
  apply(fn: (value: any) => unknown, options?: { meta?: Dtype | [string, Dtype] }): Series;
  /** The `n` largest values, largest first (ties in order of occurrence, missing values last). */
  nlargest(n?: number): Series;
  /** The `n` smallest values, smallest first. */
  nsmallest(n?: number): Series;
  /** The distinct values in order of first occurrence. */
  unique(): Series;
  /** The values without repeats (`keep`: `'first'`, `'last'`, or `false` for none of a repeated value). */
  dropDuplicates(options?: { keep?: 'first' | 'last' | false }): Series;
  /** The last `n` values (computes). */
  tail(n?: number): Promise<Column>;
  head(n?: number): Promise<Column>;
}

/** One column's groups; each aggregation is a Series indexed by the sorted keys. */
export declare class SeriesGroupBy extends SeriesGroupByOps {
  /** Each row's group aggregate, in the rows' order (a Series of the frame's rows; missing where the key is). */
  transform(agg: GroupAggName): Series;
  /** The running sum within each group, in the rows' order. */
  cumsum(): Series;
  /** The running maximum within each group. */
  cummax(): Series;
  /** The running minimum within each group. */
  cummin(): Series;
  /** The running product within each group. */
  cumprod(): Series;
}

/** One column's groups by several keys: each aggregation gives a DataFrame of the key columns, then the values. */
export type MultiSeriesGroupBy = {
  [K in keyof SeriesGroupByOps]: SeriesGroupByOps[K] extends (...args: infer A) => Series ? (...args: A) => DataFrame : never;
} & Pick<SeriesGroupBy, 'transform' | 'cumsum' | 'cummax' | 'cummin' | 'cumprod'>;

/** Rows grouped by several keys. */
export declare class MultiGroupBy {
  col(name: string): MultiSeriesGroupBy;
  agg(spec: Record<string, GroupAggName | GroupAggName[]>): DataFrame;
  /** How many rows each group has: the key columns, then `size`. */
  size(): DataFrame;
}

export declare class GroupBy {
  col(name: string): SeriesGroupBy;
  agg(spec: Record<string, GroupAggName | GroupAggName[]>): DataFrame;
  /** How many rows each group has (missing values included): a Series named `size`. */
  size(): Series;
}

/** One column's time bins ([`Resampler.col`]); each aggregation is a Series indexed by the bin starts, every bin present. */
export declare class SeriesResampler extends SeriesGroupByOps {}

/** A frame's rows in time bins (`df.resample(freq, {on})`): every bin from the first to the last is present. */
export declare class Resampler {
  col(name: string): SeriesResampler;
  agg(spec: Record<string, GroupAggName | GroupAggName[]>): DataFrame;
  /** Rows per bin (0 for an empty one): a Series named `size`. */
  size(): Series;
}

/** A lazy dataframe, as `dask.dataframe.DataFrame`. */
export declare class DataFrame extends DataFrameOps {
  readonly columns: string[];
  readonly dtypes: Record<string, Dtype>;
  readonly npartitions: number;
  col(name: string): Series;
  /** `col(name)`, as pandas' `df.get(name)`. */
  get(name: string): Series;
  select(names: string[]): DataFrame;
  filter(mask: Series): DataFrame;
  assign(columns: Record<string, Series>): DataFrame;
  groupby(by: Series | string | [Series | string]): GroupBy;
  /** Several keys: aggregations give the key columns then the values, sorted by the keys. */
  groupby(by: (Series | string)[]): MultiGroupBy;
  /** The rows in bins of `freq` (a divisor of a day: `'15min'`, `'1h'`, `'1d'`) by the datetime column `on`, as pandas' `resample(freq, on=…)`. */
  resample(freq: string, options: { on: string }): Resampler;
  len(): Scalar;
  /** The frame as pandas' `to_csv(index=False)` text, written partition by partition on the pool; `partitioned: true`: a Blob per partition (each with the header). */
  toCsv(options?: { sep?: string; partitioned?: false } & ComputeOptions): Promise<Blob>;
  toCsv(options: { sep?: string; partitioned: true } & ComputeOptions): Promise<Blob[]>;
  /** The frame as a Parquet file (snappy, a row group per partition, encoded on the pool) that pyarrow reads back; `partitioned: true`: a file per partition. */
  toParquet(options?: { partitioned?: false } & ComputeOptions): Promise<Blob>;
  toParquet(options: { partitioned: true } & ComputeOptions): Promise<Blob[]>;
  describe(): DataFrame;
  head(n?: number): Promise<Table>;
  /** The rows without missing values in `subset` (all columns by default); `how: 'all'` drops only rows missing everywhere. */
  dropna(options?: { subset?: string | string[]; how?: 'any' | 'all' }): DataFrame;
  /** The same rows in `npartitions` partitions, in order (neighbours concatenated, or partitions cut into pieces). */
  repartition(options: { npartitions: number }): DataFrame;
  /** The rows ordered by `by` (compared in order; `ascending` one bool or one per column), missing values last, ties in order of occurrence: a global sort. */
  sortValues(by: string | string[], options?: { ascending?: boolean | boolean[] }): DataFrame;
  /**
   * This frame joined with `other` on key columns, as pandas' `merge` (missing keys match
   * each other; int64 columns that can miss become float64). One partition of a side is
   * joined with every partition of the other; otherwise both are shuffled by a hash of the key.
   */
  merge(other: DataFrame, options?: MergeOptions): DataFrame;
  /**
   * This frame indexed by `column` (no longer a column), as dask's `set_index`: `sorted`
   * (the column already in order across partitions) keeps the partitions, otherwise the rows
   * are sorted into `npartitions` ranges. Computes the divisions first unless given.
   */
  setIndex(column: string, options?: { sorted?: boolean; divisions?: IndexBound[]; npartitions?: number }): Promise<DataFrame>;
  /**
   * The rows whose index is in `[start, stop]` (both kept; null open), as pandas'
   * `loc[start:stop]` (on a datetime index text names a span: `'2024-01-03'` is that whole
   * day). Reads only the partitions whose divisions meet the range.
   */
  loc(start?: IndexBound, stop?: IndexBound): DataFrame;
  /**
   * Computes the frame and keeps its partitions in the worker, as dask's `persist`: a frame of
   * the same columns, partitions, index and divisions whose later expressions start from them
   * (its files are not read again); freed once no expression uses them.
   */
  persist(): Promise<DataFrame>;
  /** The index's divisions (`npartitions + 1` values: numbers, datetimes as ms, text) where known, else null. */
  readonly divisions: (number | string | null)[] | null;
  /**
   * `fn(table)` on every partition (a Table) in the function workers, as dask's `map_partitions`:
   * it returns a Table or an object of columns (`meta: {column: dtype}`, default this frame's columns),
   * or a Column / an array / one value (`meta: [name, dtype]`: a Series). `args`: plain values after the partition.
   */
  mapPartitions(fn: (table: Table, ...args: any[]) => unknown, options?: { meta?: PartitionMeta; args?: unknown[]; name?: string }): DataFrame | Series;
  /** The `n` rows with the largest values of `columns` (compared in order). */
  nlargest(n: number, columns: string | string[]): DataFrame;
  /** The `n` rows with the smallest values of `columns`. */
  nsmallest(n: number, columns: string | string[]): DataFrame;
  /** The rows without duplicates among `subset` (all columns by default). */
  dropDuplicates(options?: { subset?: string | string[]; keep?: 'first' | 'last' | false }): DataFrame;
  /** The last `n` rows (computes). */
  tail(n?: number): Promise<Table>;
}

export type CsvSource =
  | Blob
  | Blob[]
  | FileList
  | string
  | URL
  | (string | URL)[]
  | { name: string; data: string | Uint8Array }[];

export interface ReadCsvOptions {
  /** Columns read as datetimes. */
  parseDates?: string[];
  /** Dtypes per column (the others inferred from the first rows). */
  dtype?: Record<string, Dtype>;
  /** Field separator (default `,`; `'\t'` a tab); `null`: found from the first line as pandas' python engine sniffs it (`,` `\t` `;` space `:` `|`). */
  sep?: string | null;
  /** Whether the first line (after skipped ones) names the columns: `true`/`0` (default unless `names` is given), `false`/`null` none; a number N: the header is the row N (after skipped, blank and comment lines), the rows before it are not read. */
  header?: boolean | number | null;
  /** Column names; with `header: true` they replace the file's header, else the file has none. */
  names?: string[];
  /** Lines skipped at each file's start: a count, or their numbers (from 0). */
  skiprows?: number | number[];
  /** Only the first rows (of all the files, in order). */
  nrows?: number;
  /** Partition size in bytes (default 16 MB): larger files are split, runs of smaller ones grouped; 0: one partition per file. Compressed files, and reads with `comment` or `escapechar`, are never split. */
  blocksize?: number;
  /** More text meaning a missing value, beside pandas' defaults: for every column, or `{column: values}`; numbers match numeric fields by value (`-999` also `-999.0`). */
  naValues?: string | number | (string | number)[] | Record<string, string | number | (string | number)[]>;
  /** Whether pandas' default missing markers (`''`, `NA`, `NaN`, `null`, `#N/A`, …) count (default true). */
  keepDefaultNa?: boolean;
  /** Only these columns (names or positions, as pandas' `usecols`): kept in the file's order, only they parsed. */
  usecols?: (string | number)[];
  /** The quote character (default `"`). */
  quotechar?: string;
  /** A character that makes the next one literal, inside quotes or out (e.g. `'\\'`). */
  escapechar?: string;
  /** Whether a quote inside quotes is written twice (default true). */
  doublequote?: boolean;
  /** Spaces after a separator are not part of the field. */
  skipinitialspace?: boolean;
  /** The rest of a line after this character is not read; a line that is only a comment is none. */
  comment?: string;
  /** Whether blank lines are skipped (default true); else each is a row of missing values. */
  skipBlankLines?: boolean;
  /** A character grouping digits (`'1,234'` with `','`), ignored in numbers. */
  thousands?: string;
  /** The decimal point (default `.`). */
  decimal?: string;
  /** The files' encoding: `'utf-8'` (default; a byte-order mark skipped), `'utf-8-sig'`, `'latin-1'`, `'cp1252'`, `'utf-16'`, `'utf-16-le'`, `'utf-16-be'`. */
  encoding?: string;
  /** `'infer'` (default: from `.gz`, `.zst`, `.bz2`), `'gzip'`, `'zstd'`, `'bz2'`, or `null` (none). A compressed file is one partition. */
  compression?: 'infer' | 'gzip' | 'zstd' | 'bz2' | null;
  /** A row with more fields than the header: `'error'` (default), `'skip'`, or `'warn'` (skipped, each reported to the compute's `onWarning` with its file and line). */
  onBadLines?: 'error' | 'skip' | 'warn';
}

/** A predicate of `readParquet`'s `filters`, as pyarrow's: `[column, op, value]`. */
export type ParquetPredicate =
  | [string, '==' | '=' | '!=' | '<' | '<=' | '>' | '>=', number | string | boolean]
  | [string, 'in' | 'not in', (number | string | boolean)[]];

export interface ReadParquetOptions {
  /** Only these columns, in this order (only their column chunks are read). */
  columns?: string[];
  /** Rows kept: `[[column, op, value], …]` (all hold), or a list of such lists (any holds). Row groups whose statistics rule them out are not read. A datetime column compares with a date string (`'2020-01-02'`) or milliseconds. */
  filters?: ParquetPredicate[] | ParquetPredicate[][];
  /** Compressed bytes per partition (default 16 MB): consecutive row groups grouped up to it; 0: one partition per row group. */
  blocksize?: number;
}

export interface DataFrameModule {
  /** A dataframe of in-memory columns (`{name: values}`: typed arrays, or arrays of numbers, strings, booleans or Dates, `null` missing), dtypes inferred as pandas infers a list's or given. */
  fromColumns(columns: Record<string, ArrayLike<unknown>>, options?: { npartitions?: number; dtypes?: Record<string, Dtype> }): DataFrame;
  /** A dataframe of an Apache Arrow table's columns (float, int, bool, utf8, date, timestamp; dictionaries too): ints with nulls are float64, as pandas. */
  fromArrow(table: ArrowTable, options?: { npartitions?: number }): DataFrame;
  /** A dataframe of plain objects, one per row: every key a column, in order of first appearance. */
  fromRecords(records: Record<string, unknown>[], options?: { npartitions?: number; dtypes?: Record<string, Dtype> }): DataFrame;
  readCsv(source: CsvSource, options?: ReadCsvOptions): Promise<DataFrame>;
  /** A dataframe of Parquet files, as `dd.read_parquet`: each file's footer read now; a compute reads only the column chunks it uses, of the row groups `filters` leaves. */
  readParquet(source: CsvSource, options?: ReadParquetOptions): Promise<DataFrame>;
  /** Frames (or series) stacked, as `dd.concat`: partitions in order, the union of the columns. */
  concat(frames: DataFrame[]): DataFrame;
  concat(series: Series[]): Series;
}

/**
 * What may be passed to a delayed function and come back from one: structured-cloneable
 * values (no functions, symbols, DOM nodes or class instances) — and, as arguments,
 * lazy values anywhere inside arrays and plain objects.
 */
export type Cloneable =
  | undefined
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | ArrayBuffer
  | ArrayBufferView
  | Cloneable[]
  | Map<Cloneable, Cloneable>
  | Set<Cloneable>
  | { [key: string]: Cloneable };

/** The value a lazy argument stands for inside a delayed function. */
type Resolved<A> = A extends Lazy<infer R> ? R : A extends readonly unknown[] ? { [K in keyof A]: Resolved<A[K]> } : A;

/** An argument of a delayed function: its value, or a lazy value computing to it. */
type Arg<A> = A | Lazy<A> | (A extends readonly unknown[] ? { [K in keyof A]: Arg<A[K]> } : never);

/** A call of a JavaScript function, lazy (as `dask.delayed`). */
export declare class Delayed<R = unknown> extends Lazy<R> {
  /** Its task's key (`<function name>-<token>`). */
  readonly key: string;
}

/** A delayed function: calling it builds a lazy call. */
export type DelayedFunction<A extends unknown[], R> = (...args: { [K in keyof A]: Arg<A[K]> }) => Delayed<R>;

/** A task started by `client.submit` or `client.map` (as `concurrent.futures.Future`). */
export declare class Future<R = unknown> {
  readonly key: string;
  result(): Promise<R>;
  done(): boolean;
  cancelled(): boolean;
  /** Cancels it: true unless it already finished (a running one rejects at once; see docs/API.md). */
  cancel(): boolean;
}

export interface DelayedOptions {
  /** Shown in keys and graphs (default: the function's name, or `lambda`). */
  name?: string;
  /** Equal calls are computed once (dask's `pure=True`); default false. */
  pure?: boolean;
}

type LazyValue = DArray | DataFrame | Series | Scalar | Delayed<unknown>;
type ResultOf<T> = T extends Lazy<infer R> ? R : never;

/** Options of `toDask`: the scheduler's address, where the sources are. */
export interface DaskOptions {
  address?: string;
  sources?: string | Record<string, string>;
}

/** The default memory limit of `Client.start`: 3.5 GiB. */
export declare const DEFAULT_MEMORY_LIMIT: number;
/** The default `workerTtl` of `Client.start`: 60,000 ms. */
export declare const DEFAULT_WORKER_TTL: number;

/** The task stream's lane of function worker `n` is `FUNCTION_LANES + n` (1000 + n); the
 * pool's threads are lanes 0, 1, …, the compute worker's reads -1. */
export declare const FUNCTION_LANES: number;

/** Runs task graphs off the main thread. Create with `await Client.start()`. */
export declare class Client {
  /**
   * `memoryLimit`: bytes that persisted arrays, `fromArray` data and one compute may hold
   * at once (default `DEFAULT_MEMORY_LIMIT`, 3.5 GiB; `Infinity`: none). `workerTtl`: ms
   * the compute worker may stay silent while running a call before the kernel is
   * restarted as wedged (default `DEFAULT_WORKER_TTL`, 60 s). `relaxedSimd` (default
   * true): the threaded build multiplies matrices with fused multiply-adds where the
   * engine has relaxed SIMD; false keeps products bit-identical on every machine.
   * `functionWorkers` (default: `threads`, at least 2): workers that run JavaScript
   * functions (`delayed`, `submit`, `map`) beside the kernel; one stuck in a loop is
   * terminated and replaced alone when its compute is aborted or its future cancelled.
   */
  static start(options?: { threads?: number; memoryLimit?: number; workerTtl?: number; relaxedSimd?: boolean; functionWorkers?: number }): Promise<Client>;
  /** Threads in use (1 in single mode). */
  readonly threads: number;
  /** The memory limit in bytes (`Infinity`: none). */
  readonly memoryLimit: number;
  readonly mode: 'threads' | 'single';
  /** `'relaxed'`: the threaded build with relaxed SIMD (fused multiply-adds); else `'simd128'`. */
  readonly simd: 'relaxed' | 'simd128';
  readonly array: ArrayModule;
  readonly dataframe: DataFrameModule;
  /** Computes several lazy values in one graph, sharing common work. */
  compute<T extends LazyValue[]>(...values: T): Promise<{ [K in keyof T]: ResultOf<T[K]> }>;
  compute<T extends LazyValue[]>(...args: [...T, ComputeOptions]): Promise<{ [K in keyof T]: ResultOf<T[K]> }>;
  /**
   * `fn` as a delayed function: it runs on the pool's workers from its source text, so
   * it must not use variables of its surrounding scope.
   */
  delayed<A extends unknown[], R>(fn: (...args: A) => R, options?: DelayedOptions): DelayedFunction<A, R>;
  /** Calls `fn(...args)` on the pool now; returns a Future. */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: { [K in keyof A]: Arg<A[K]> }): Future<R>;
  /** `fn` over the items of the iterables (zipped); one Future per call. */
  map<A extends unknown[], R>(fn: (...args: A) => R, ...iterables: { [K in keyof A]: Iterable<Arg<A[K]>> }): Future<R>[];
  /** The futures' results, in order. */
  gather<R>(futures: Iterable<Future<R>>): Promise<R[]>;
  /**
   * The Python source of a dask script computing the values on a distributed cluster
   * (`result` holds them); see docs/API.md, "Running the same computation on a dask cluster".
   */
  toDask(...args: [...LazyValue[], DaskOptions] | LazyValue[]): string;
  /** Restarts the kernel: what runs ends, pending computes reject, persisted arrays are gone. */
  restart(reason?: string): void;
  /**
   * Stops every running compute in place (as Jupyter's interrupt): each rejects with an
   * `AbortError`; the kernel keeps its data (restarted only if one has not stopped a second later).
   */
  interrupt(reason?: string): void;
  /** How often the kernel was restarted (traps, dead or wedged workers, `restart()`). */
  readonly restarts: number;
  /** Why, the last 20 times, oldest first. */
  readonly restartReasons: string[];
  close(): Promise<void>;
}

/** The workshop's sample data: one CSV of minute bars per weekday per ticker. */
/** Registers the `apache-arrow` module (an optional peer dependency) for `toArrow`: `import * as arrow from 'apache-arrow'; useArrow(arrow)`. */
export declare function useArrow(arrow: ArrowModule): void;

/**
 * Whether `path` matches the glob `pattern` as readCsv's patterns do (`*`, `?`, `[…]`
 * within a path component, `**` across them). Needs a started client.
 */
export declare function globMatch(pattern: string, path: string): boolean;
/** One generated method of the operation tables: its name, TypeScript parameters and documentation. */
export interface OperationMethod {
  name: string;
  doc: string;
  params: string;
}
/** The methods of one name table on one class. */
export interface OperationFamily {
  class: string;
  table: string;
  shape: 'method' | 'getter';
  call: string;
  returns: string;
  note: string;
  methods: OperationMethod[];
}
/**
 * The operation tables: every generated method of every class with its parameters, result and
 * documentation (what an editor's completions show). Needs a started client.
 */
export declare function operations(): { tables: Record<string, { name: string; doc: string }[]>; families: OperationFamily[] };

export declare function generateSample(options?: {
  tickers?: string[];
  days?: number;
  seed?: number;
  start?: string;
}): Promise<{ name: string; data: Uint8Array<ArrayBuffer> }[]>;
