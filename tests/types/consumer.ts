// Every call of docs/API.md, type-checked with `tsc --noEmit --strict` (npm test).
import { Client, FUNCTION_LANES, generateSample, useArrow } from '../../crate/wasm/js/index.js';
import type { ArrayResult, ArrowModule, ArrowTable, Column, DArray, DataFrame, Delayed, Future, Progress, Series, Table } from '../../crate/wasm/js/index.js';

export async function everything(): Promise<void> {
  const client = await Client.start({ threads: 4 });
  const threads: number = client.threads;
  const mode: 'threads' | 'single' = client.mode;
  const simd: 'relaxed' | 'simd128' = client.simd;
  const restarts: number = client.restarts;
  const reasons: string[] = client.restartReasons;
  client.interrupt();
  const exact = await Client.start({ threads: 2, relaxedSimd: false, functionWorkers: 1 });
  await exact.close();
  const firstFunctionLane: number = FUNCTION_LANES;

  // Arrays.
  const a = client.array;
  const x: DArray = a.ones([15, 15], { chunks: [5, 5] });
  const z = a.zeros([4], { chunks: [[2, 2]] });
  const f = a.full([3, 3], 2.5);
  const r = a.arange(0, 10, 1, { chunks: 5 });
  const rnd = a.random.random([100, 100], { chunks: [50, 50], seed: 1 });
  const fa = a.fromArray(new Float64Array([1, 2, 3, 4]), { shape: [2, 2], chunks: [1, 2] });
  const fn = a.fromArray([[1, 2], [3, 4]]);
  const shape: number[] = x.shape;
  const chunks: number[][] = x.chunks;
  const meta: [number, 'float64', number] = [x.ndim, x.dtype, x.npartitions];
  const y = x.add(1).sub(x.T).mul(2).div(x).pow(2).neg().abs().sqrt().exp().log().sin().cos();
  const cmp = [x.gt(1), x.ge(x), x.lt(0), x.le(1), x.eq(1), x.ne(0)];
  const red = [
    x.sum(),
    x.sum({ axis: 0 }),
    x.mean({ axis: [0, 1] }),
    x.std({ ddof: 1 }),
    x.var(),
    x.min(),
    x.max(),
    x.prod({ splitEvery: 4 }),
  ];
  const shaped = [x.transpose([1, 0]), x.dot(x.T.add(1)), x.matmul(x), x.slice([0, [null, null, -1]]), x.rechunk([3, 3])];
  const [q, rr] = a.linalg.qr(rnd.rechunk([50, 100]));
  const [u, s, v] = a.linalg.svd(rnd.rechunk([50, 100]));
  const [uc, sc, vc] = a.linalg.svdCompressed(rnd, 5, { seed: 1, nPowerIter: 2 });
  const total: ArrayResult = await x.sum().compute({ onProgress: (p: Progress) => p.done / p.total });
  const persisted: DArray = await rnd.persist();
  const g = await x.sum().graph();
  const dot: string = await x.sum().toDot();

  // Dataframes.
  const files = (await generateSample({ tickers: ['hp'], days: 2, seed: 0 })).map((s) => new File([s.data], s.name));
  const df = await client.dataframe.readCsv(files, { parseDates: ['timestamp'], dtype: { volume: 'float64' }, sep: ',', header: true, blocksize: 1 << 20 });
  await client.dataframe.readCsv('/data/a.csv');
  await client.dataframe.readCsv([{ name: 'a.csv', data: 'x\n1\n' }]);
  const cols: string[] = df.columns;
  const dtypes = df.dtypes;
  const parts: number = df.npartitions;
  const high = df.col('high');
  const name: string = high.name;
  const ser = [high.add(1).sub(df.col('low')).mul(2).div(3), high.gt(1).and(high.lt(2)).or(high.eq(0)).not(), high.ge(1), high.le(1), high.ne(1)];
  const sel = df.select(['high', 'low']).filter(high.gt(10)).assign({ spread: high.sub(df.col('low')) });
  const scalars = [high.sum(), high.mean(), high.min(), high.max(), high.count(), high.std(), high.var({ ddof: 0 }), high.nunique(), df.len()];
  const arith = high.max().sub(high.min()).add(1).mul(high.count()).div(2);
  const counts = high.valueCounts();
  const inRange: Series = df.get('high').between(1, df.col('low'));
  const cleaned: DataFrame = df.dropna({ subset: ['high'], how: 'any' }).fillna({ low: 0 }).astype({ volume: 'float64' });
  const flags: Series[] = [df.col('high').isna(), df.col('high').fillna(0).round(2).clip(null, 10), df.col('low').isin([1, null]), df.col('low').astype('string'), df.col('low').dropna()];
  const frames: DataFrame[] = [df.isna(), df.round(1), df.fillna(0), df.astype('float64'), df.clip(0)];
  const perColumn: Series[] = [df.sum(), df.mean(), df.count(), df.std({ ddof: 0 }), df.nunique()];
  const picked: (Series | DataFrame)[] = [df.nlargest(3, 'high'), df.nsmallest(2, ['low', 'high']), df.dropDuplicates({ subset: 'low', keep: false }), df.col('low').unique(), df.col('low').nlargest(), df.col('low').dropDuplicates({ keep: 'last' })];
  const lastRows: Table = await df.tail(3);
  const lastValues: Column = await df.col('low').tail();
  const text: Series[] = [df.col('ticker').str.lower(), df.col('ticker').str.contains('h.', { case: false }), df.col('ticker').str.replace('a', 'b', { regex: true }), df.col('ticker').str.slice(0, 2), df.col('ticker').str.split('-').get(0), df.col('ticker').str.len()];
  const frameScans: DataFrame[] = [df.shift(), df.diff(2), df.cumsum(), df.cummax(), df.pctChange()];
  const multi: DataFrame[] = [df.groupby(['ticker', df.col('timestamp').dt.floor('1d')]).col('high').max(), df.groupby(['ticker', 'volume']).agg({ high: 'max' }), df.groupby(['ticker', 'volume']).size()];
  const resized: (DataFrame | Series)[] = [df.repartition({ npartitions: 4 }), df.col('high').repartition({ npartitions: 1 }), df.groupby('volume').size()];
  const stacked: DataFrame = client.dataframe.concat([df, df.select(['high'])]);
  const stackedS: Series = client.dataframe.concat([df.col('high'), df.col('low')]);
  const conds: Series[] = [df.col('high').where(df.col('high').gt(1)), df.col('high').mask(df.col('low').lt(0), 0), df.col('high').where(df.col('high').gt(1), df.col('low')), df.col('ticker').mask(df.col('high').isna(), 'none')];
  const sorted: (DataFrame | Series)[] = [df.sortValues('high'), df.sortValues(['low', 'high'], { ascending: [true, false] }), df.col('low').sortValues({ ascending: false })];
  const indexed: DataFrame = await df.setIndex('timestamp', { sorted: true });
  const ranges: (DataFrame | Series)[] = [indexed.loc('2024-01-02', '2024-01-03'), indexed.loc(new Date(0), null), indexed.col('high').loc(0, 5)];
  const divisions: (number | string | null)[] | null = indexed.divisions;
  const kept: DataFrame = await df.persist();
  const fewer: DataFrame = await client.dataframe.readCsv([{ name: 'a.csv', data: 'a,b\n1,2\n' }], { usecols: ['b', 0] });
  void fewer;
  const keptS: Series = await df.col('high').persist();
  void [ranges, divisions, kept, keptS];
  const inTime: Series[] = [df.col('close').shift(), df.col('close').diff(2), df.col('close').pctChange(), df.col('close').cumsum(), df.col('high').cummax(), df.col('low').cummin(), df.col('close').cumprod(), df.col('close').rolling(30).mean(), df.col('close').rolling(5, { minPeriods: 1 }).std()];
  const when: Series[] = [df.col('timestamp').dt.quarter, df.col('timestamp').dt.strftime('%Y'), df.col('timestamp').dt.normalize(), df.col('timestamp').dt.date];
  const day = df.col('timestamp').dt.round('1d');
  const dts = [df.col('timestamp').dt.floor('h'), df.col('timestamp').dt.ceil('5min'), day.dt.year, day.dt.month, day.dt.day, day.dt.hour, day.dt.minute, day.dt.dayofweek];
  const gb = df.groupby(day);
  const gcol = gb.col('high');
  const aggs = [gcol.sum(), gcol.mean(), gcol.min(), gcol.max(), gcol.count(), gcol.std(), gcol.var(), gcol.first(), gcol.last(), gcol.size()];
  const byName = df.groupby('volume').agg({ high: 'max', close: ['min', 'mean'] });
  const table: Table = await df.compute();
  const head: Table = await df.head(5);
  const col: Column = await high.compute();
  const chead: Column = await high.head(3);
  const n: number = await df.len().compute();
  const described: Table = await df.describe().compute();
  // Data in and out: Parquet, CSV and Parquet files written, Arrow.
  const pq: DataFrame = await client.dataframe.readParquet(files, { columns: ['close'], filters: [['close', '>', 20]], blocksize: 0 });
  await client.dataframe.readParquet('/data/a.parquet', { filters: [[['ticker', 'in', ['hp', 'ge']]], [['close', '<=', 1]]] });
  const csvBlob: Blob = await df.toCsv({ sep: ';' });
  const csvParts: Blob[] = await df.toCsv({ partitioned: true });
  const pqBlob: Blob = await pq.toParquet();
  const seriesCsv: Blob = await high.toCsv();
  useArrow({} as ArrowModule);
  const arrowTable: ArrowTable = described.toArrow();
  const arrowColumn: ArrowTable = chead.toArrow();
  const fromArrow: DataFrame = client.dataframe.fromArrow(arrowTable, { npartitions: 2 });
  void [csvBlob, csvParts, pqBlob, seriesCsv, arrowColumn, fromArrow];
  const [rows, hi, spread] = await client.compute(df.len(), high.max(), gb.col('high').max().sub(gb.col('low').min()), {
    onProgress: (p) => p.running,
  });
  const rowsN: number = rows;
  const hiN: number = hi;
  const spreadC: Column = spread;
  const [arr] = await client.compute(x.sum());
  const arrR: ArrayResult = arr;
  void [threads, mode, simd, restarts, reasons, firstFunctionLane, z, f, r, fa, fn, shape, chunks, meta, y, cmp, red, shaped, q, rr, u, s, v, uc, sc, vc, total, persisted, g, dot];
  // Delayed functions and futures.
  const inc = client.delayed((v: number) => v + 1);
  const add = client.delayed((a: number, b: number) => a + b, { name: 'add', pure: true });
  const sum3: Delayed<number> = add(inc(1), inc(2));
  const withArray = client.delayed((t: ArrayResult, m: number) => ({ t, m }))(x.sum(), high.max());
  const five: number = await sum3.compute({ taskStream: true, onProgress: (p) => p.tasks?.map((t) => t.end - t.start) });
  const svg: string = await sum3.visualize();
  const key: string = sum3.key;
  const fut: Future<number> = client.submit((a: number, b: number) => a * b, 6, 7);
  const product: number = await fut.result();
  const states: boolean[] = [fut.done(), fut.cancelled(), fut.cancel()];
  const squares: Future<number>[] = client.map((v: number) => v * v, [1, 2, 3]);
  const gathered: number[] = await client.gather(squares);
  const [mixed, d] = await client.compute(withArray, sum3, x.sum());
  const mixedT: { t: ArrayResult; m: number } = mixed;
  const dN: number = d;
  void [svg, five, key, product, states, gathered, mixedT, dN];
  void [frameScans, multi, resized, stacked, stackedS, conds, sorted, inTime, inRange, cleaned, flags, frames, perColumn, picked, lastRows, lastValues, text, when, cols, dtypes, parts, name, ser, sel, scalars, arith, counts, dts, aggs, byName, table, head, col, chead, n, described, rowsN, hiN, spreadC, arrR];
  await client.close();
}
