// Type declarations of the daskling package; the reference is docs/API.md in the repository.

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
  /** Report every task run (`progress.tasks`): which thread, when. */
  taskStream?: boolean;
  /**
   * Aborting it rejects the compute with a DOMException named `AbortError` at once and
   * restarts the kernel (ending whatever runs); `AbortSignal.timeout(ms)` is a timeout.
   */
  signal?: AbortSignal;
}

/** A task graph: nodes and `[from, to]` edges. */
export interface GraphExport {
  nodes: { id: string; label: string; kind: string }[];
  edges: [string, string][];
}

export type Dtype = 'int64' | 'float64' | 'bool' | 'string' | 'datetime';

/**
 * Numbers and datetimes (ms since the epoch) as Float64Array (missing: NaN), bools as
 * Uint8Array of 1/0 — or, when one is missing, as Float64Array of 1/0/NaN (pandas'
 * nullable boolean) — and strings as arrays (missing: null).
 */
export type Values = Float64Array | Uint8Array | (string | null)[];

/** A computed series. `index` holds the group keys of grouped results, else `null`. */
export interface Column {
  name: string;
  dtype: Dtype;
  index: Values | null;
  /** The index's dtype (`'datetime'` for groups by a rounded timestamp), `null` without one. */
  indexDtype: Dtype | null;
  values: Values;
}

/** A computed dataframe. */
export interface Table {
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

/** `chunks`: a block shape (`[1000, 1000]`) or sizes per axis (`[[5, 5, 5], [7, 8]]`). */
export type Chunks = number[] | number[][];

export interface ReduceOptions {
  axis?: number | number[];
  ddof?: number;
  splitEvery?: number;
}

/** One axis of a slice: an index, `[start, stop, step]` (nulls for defaults), or `null` for all. */
export type SliceSpec = number | null | [number | null, (number | null)?, (number | null)?];

/** A lazy chunked float64 array, as `dask.array.Array`. */
export declare class DArray extends Lazy<ArrayResult> {
  readonly shape: number[];
  readonly chunks: number[][];
  readonly ndim: number;
  readonly size: number;
  readonly dtype: 'float64';
  readonly npartitions: number;
  readonly name: string;
  readonly T: DArray;
  add(other: number | DArray): DArray;
  sub(other: number | DArray): DArray;
  mul(other: number | DArray): DArray;
  div(other: number | DArray): DArray;
  pow(other: number | DArray): DArray;
  gt(other: number | DArray): DArray;
  ge(other: number | DArray): DArray;
  lt(other: number | DArray): DArray;
  le(other: number | DArray): DArray;
  eq(other: number | DArray): DArray;
  ne(other: number | DArray): DArray;
  neg(): DArray;
  abs(): DArray;
  sqrt(): DArray;
  exp(): DArray;
  log(): DArray;
  sin(): DArray;
  cos(): DArray;
  sum(options?: ReduceOptions): DArray;
  mean(options?: ReduceOptions): DArray;
  std(options?: ReduceOptions): DArray;
  var(options?: ReduceOptions): DArray;
  min(options?: ReduceOptions): DArray;
  max(options?: ReduceOptions): DArray;
  prod(options?: ReduceOptions): DArray;
  transpose(axes?: number[]): DArray;
  dot(other: DArray): DArray;
  matmul(other: DArray): DArray;
  slice(spec: SliceSpec[] | SliceSpec): DArray;
  rechunk(chunks: Chunks): DArray;
  /** Computes the blocks and keeps them in the worker (dask's `persist`). */
  persist(): Promise<DArray>;
}

export interface ArrayModule {
  ones(shape: number[], options?: { chunks?: Chunks }): DArray;
  zeros(shape: number[], options?: { chunks?: Chunks }): DArray;
  full(shape: number[], value: number, options?: { chunks?: Chunks }): DArray;
  arange(start: number, stop?: number, step?: number, options?: { chunks?: number | number[] }): DArray;
  fromArray(data: Float64Array | ArrayLike<number> | unknown[], options?: { shape?: number[]; chunks?: Chunks }): DArray;
  random: {
    random(shape: number[], options?: { chunks?: Chunks; seed?: number }): DArray;
  };
  linalg: {
    qr(x: DArray): [DArray, DArray];
    svd(x: DArray): [DArray, DArray, DArray];
    svdCompressed(x: DArray, k: number, options?: { seed?: number; nPowerIter?: number }): [DArray, DArray, DArray];
  };
}

/** A lazy number. */
export declare class Scalar extends Lazy<number> {
  add(other: number | Scalar): Scalar;
  sub(other: number | Scalar): Scalar;
  mul(other: number | Scalar): Scalar;
  div(other: number | Scalar): Scalar;
}

export interface DatetimeAccessor {
  round(freq: string): Series;
  floor(freq: string): Series;
  ceil(freq: string): Series;
  readonly year: Series;
  readonly month: Series;
  readonly day: Series;
  readonly hour: Series;
  readonly minute: Series;
  readonly dayofweek: Series;
}

/** A lazy series (one column). */
export declare class Series extends Lazy<Column> {
  readonly name: string;
  readonly dtype: Dtype;
  readonly npartitions: number;
  readonly dt: DatetimeAccessor;
  add(other: number | Series): Series;
  sub(other: number | Series): Series;
  mul(other: number | Series): Series;
  div(other: number | Series): Series;
  pow(other: number | Series): Series;
  gt(other: number | Series): Series;
  ge(other: number | Series): Series;
  lt(other: number | Series): Series;
  le(other: number | Series): Series;
  eq(other: number | Series): Series;
  ne(other: number | Series): Series;
  and(other: Series): Series;
  or(other: Series): Series;
  not(): Series;
  sum(): Scalar;
  mean(): Scalar;
  min(): Scalar;
  max(): Scalar;
  count(): Scalar;
  std(options?: { ddof?: number }): Scalar;
  var(options?: { ddof?: number }): Scalar;
  nunique(): Scalar;
  valueCounts(): Series;
  head(n?: number): Promise<Column>;
}

/** One column's groups; each aggregation is a Series indexed by the sorted keys. */
export declare class SeriesGroupBy {
  sum(): Series;
  mean(): Series;
  min(): Series;
  max(): Series;
  count(): Series;
  std(): Series;
  var(): Series;
  first(): Series;
  last(): Series;
  size(): Series;
}

export type GroupAggName = 'sum' | 'mean' | 'min' | 'max' | 'count' | 'std' | 'var' | 'first' | 'last' | 'size';

export declare class GroupBy {
  col(name: string): SeriesGroupBy;
  agg(spec: Record<string, GroupAggName | GroupAggName[]>): DataFrame;
}

/** A lazy dataframe, as `dask.dataframe.DataFrame`. */
export declare class DataFrame extends Lazy<Table> {
  readonly columns: string[];
  readonly dtypes: Record<string, Dtype>;
  readonly npartitions: number;
  col(name: string): Series;
  select(names: string[]): DataFrame;
  filter(mask: Series): DataFrame;
  assign(columns: Record<string, Series>): DataFrame;
  groupby(by: Series | string): GroupBy;
  len(): Scalar;
  describe(): DataFrame;
  head(n?: number): Promise<Table>;
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
  parseDates?: string[];
  dtype?: Record<string, Dtype>;
  sep?: string;
  header?: boolean;
  /** Partition size in bytes (default 16 MB): larger files are split, runs of smaller ones grouped; 0: one partition per file. */
  blocksize?: number;
}

export interface DataFrameModule {
  readCsv(source: CsvSource, options?: ReadCsvOptions): Promise<DataFrame>;
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

/** Runs task graphs off the main thread. Create with `await Client.start()`. */
export declare class Client {
  /**
   * `memoryLimit`: bytes that persisted arrays, `fromArray` data and one compute may hold
   * at once (default `DEFAULT_MEMORY_LIMIT`, 3.5 GiB; `Infinity`: none). `workerTtl`: ms
   * the compute worker may stay silent while running a call before the kernel is
   * restarted as wedged (default `DEFAULT_WORKER_TTL`, 60 s). `relaxedSimd` (default
   * true): the threaded build multiplies matrices with fused multiply-adds where the
   * engine has relaxed SIMD; false keeps products bit-identical on every machine.
   */
  static start(options?: { threads?: number; memoryLimit?: number; workerTtl?: number; relaxedSimd?: boolean }): Promise<Client>;
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
  close(): Promise<void>;
}

/** The workshop's sample data: one CSV of minute bars per weekday per ticker. */
/**
 * Whether `path` matches the glob `pattern` as readCsv's patterns do (`*`, `?`, `[…]`
 * within a path component, `**` across them). Needs a started client.
 */
export declare function globMatch(pattern: string, path: string): boolean;

export declare function generateSample(options?: {
  tickers?: string[];
  days?: number;
  seed?: number;
  start?: string;
}): Promise<{ name: string; data: Uint8Array<ArrayBuffer> }[]>;
