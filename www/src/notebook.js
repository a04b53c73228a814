// The workshop, "Dask Task Graphs", as cells in the seed notebook's order: markdown text
// and JavaScript code run on the daskling Client. Exercise questions have empty cells and
// a solution to show. (The page's own extras come after the seed's closing cells.)
//   {md}                       text (markdown)
//   {code, id?}                a code cell, pre-filled
//   {exercise, solution, id}   an empty code cell with a "show solution" toggle
//   {code, expectError}        a cell that fails on purpose (the page keeps working)

const DATES = "{ parseDates: ['timestamp'] }";

export const cells = [
  {
    md: `# Dask Task Graphs — in this browser tab

This workshop is about **parallel computing with task graphs**, as dask does it:

1. **Parallel NumPy and pandas**: chunked arrays and dataframes made of many files, with the
   same operations as the libraries they split up.
2. **Parallel code in general**: your own functions, made lazy with \`delayed\`, or started at
   once as futures.
3. **Task graphs and scheduling**: what those collections turn into — a graph of small tasks
   and their dependencies — and how a scheduler runs it. (Spark builds similar graphs from a
   fixed set of high-level operations on distributed collections; Airflow schedules
   graphs of coarse jobs over hours and days. dask sits between: graphs of fine-grained
   Python tasks, scheduled in milliseconds.)
4. **dask's schedulers**: a single thread, a thread pool, processes, a distributed cluster.
   Here the scheduler is daskling's: Rust compiled to WebAssembly, running on a pool of Web
   Workers in this tab (the status line above says how many).

Cells are JavaScript and share one scope: what one cell declares, later cells use.
**Shift+Enter** runs a cell, *Run all* runs them in order. In every cell you have
\`client\` (the daskling Client), \`files(pattern)\` (the loaded files), \`plot(result, options)\`,
\`visualize(lazy)\` and \`display(value)\`. Generate the sample data above before the
dataframe cells (the seed's tickers \`ge\` and \`hp\`, from 2012-05-01).`,
  },
  {
    md: `## Parallel NumPy: dask.array

With NumPy, a 1000 × 1000 random matrix is one block of memory, and the SVD of \`x · xᵀ\` runs
at once on one core. The same in daskling with a single chunk is exactly that: one block, one
task per operation.`,
  },
  {
    code: `const xn = client.array.random.random([1000, 1000], { chunks: [1000, 1000], seed: 0 });
const [un, sn, vn] = client.array.linalg.svd(xn.dot(xn.T));
const svNumpy = await sn.compute();
svNumpy.data.slice(0, 3)`,
    id: 'numpy-svd',
  },
  {
    md: `Chunked, the matrix can be far larger than memory: 100,000 × 100,000 is 80 GB, in 10,000
chunks of 1000 × 1000. Nothing is computed yet — the array knows its shape and chunks.`,
  },
  { code: `const xl = client.array.random.random([100000, 100000], { chunks: [1000, 1000] });\nxl`, id: 'chunked-random' },
  {
    md: `An exact SVD of a matrix chunked both ways needs the whole matrix at once, so dask (and
daskling) refuse it and point to the randomized, approximate \`svd_compressed\` — this cell
fails on purpose:`,
  },
  { code: `client.array.linalg.svd(xl.dot(xl.T))`, expectError: true, id: 'chunked-svd' },
  {
    md: `\`svdCompressed(x, k)\` finds the \`k\` largest singular values with a few passes over the
chunks. On a size that finishes in seconds in a tab:`,
  },
  {
    code: `const xs = client.array.random.random([2000, 2000], { chunks: [500, 500], seed: 1 });
const [uc, sc, vc] = client.array.linalg.svdCompressed(xs.dot(xs.T), 5, { seed: 2 });
const svTop = await sc.compute();
svTop`,
    id: 'svd-compressed',
  },
  {
    md: `A tall-and-skinny array (chunked along its rows only) has an exact SVD in parallel
(TSQR, as \`da.linalg.svd\`). Its singular values, plotted:`,
  },
  {
    code: `const tall = client.array.random.random([20000, 20], { chunks: [5000, 20], seed: 42 });
const [u, s, v] = client.array.linalg.svd(tall);
const sv = await s.compute();
plot(sv, { kind: 'bar', title: 'singular values' })`,
    id: 'svd',
  },
  {
    md: `## Parallel pandas: dask.dataframe

pandas reads one CSV file into memory. Here one day of \`hp\` minute bars, grouped by the
hour of the day:`,
  },
  {
    code: `const one = await client.dataframe.readCsv(files('minute/hp/2012-05-01.csv'), ${DATES});
await one.groupby(one.col('timestamp').dt.hour).col('close').mean().compute()`,
    id: 'pandas-hour',
  },
  {
    md: `dask.dataframe reads many files as one dataframe, one partition (at least) per file, and
runs the same code on every partition in parallel:`,
  },
  {
    code: `const many = await client.dataframe.readCsv(files('minute/hp/*.csv'), ${DATES});
const byHour = await many.groupby(many.col('timestamp').dt.hour).col('close').mean().compute();
plot(byHour, { kind: 'bar', title: 'mean close by hour of the day' })`,
    id: 'dask-hour',
  },
  {
    md: `## Parallel code in general

Not everything is an array or a dataframe. A loop of small function calls, eagerly:`,
  },
  {
    code: `function f(a, b) { return a * b + 1; }
function g(a, b) { return a - b; }
const A = Array.from({ length: 100 }, (_, i) => i);
const B = Array.from({ length: 100 }, (_, i) => 99 - i);
const eager = [];
for (const a of A) for (const b of B) eager.push(a < b ? f(a, b) : g(a, b));
eager.length`,
    id: 'loop-eager',
  },
  {
    md: `With \`delayed\` the same loop builds 10,000 tasks and computes them together, in parallel on
daskling's function workers (the lanes marked *function* in the task stream). Functions travel
to the workers as source text, so they use only their arguments.`,
  },
  {
    code: `const fd = client.delayed(f);
const gd = client.delayed(g);
const calls = [];
for (const a of A) for (const b of B) calls.push(a < b ? fd(a, b) : gd(a, b));
const results = await client.compute(...calls);
results.length`,
    id: 'delayed-loop',
  },
  { code: `const sumResults = client.delayed((xs) => xs.reduce((p, q) => p + q, 0));\nawait sumResults(calls.slice(0, 100)).compute()`, id: 'delayed-sum' },
  {
    md: `Futures start at once, as \`ThreadPoolExecutor.submit\` does; \`result()\` waits for one:`,
  },
  {
    code: `const futures = [];
for (const a of A.slice(0, 10)) for (const b of B.slice(0, 10)) futures.push(client.submit(a < b ? f : g, a, b));
const fromFutures = await Promise.all(futures.map((fut) => fut.result()));
fromFutures.length`,
    id: 'futures',
  },
  {
    md: `## Task graphs

Every collection turns into a graph: one task per chunk and operation, with the tasks it
needs. \`visualize\` draws it (Graphviz, compiled to wasm). First, fifteen ones in plain
JavaScript, then in three chunks of five:`,
  },
  { code: `const ones = new Float64Array(15).fill(1);\nones.reduce((a, b) => a + b, 0)`, id: 'eager-sum' },
  { code: `const x1 = client.array.ones([15], { chunks: [5] });\nx1`, id: 'lazy-1d' },
  { code: `const total1 = x1.sum();\nawait total1.compute()`, id: 'sum-1d' },
  {
    md: `One \`ones\` task per chunk, each summed where it is (\`sum-chunk\`, fused with its \`ones\`),
then one task adds the partial sums:`,
  },
  { code: `await visualize(total1)`, id: 'graph-1d' },
  {
    md: `A 15 × 15 array in 5 × 5 chunks has nine blocks. Summing along an axis sums each block along
it, then combines the blocks of each column:`,
  },
  { code: `const x = client.array.ones([15, 15], { chunks: [5, 5] });\nawait x.sum({ axis: 0 }).compute()`, id: 'sum-axis0' },
  { code: `await visualize(x.sum({ axis: 0 }))`, id: 'graph-axis0' },
  { code: `await x.sum({ axis: 1 }).compute()`, id: 'sum-axis1' },
  { md: `The transpose moves blocks as well as numbers: \`x + x.T\` pairs block (i, j) with block (j, i).` },
  { code: `await x.add(x.T).compute()`, id: 'transpose' },
  { code: `await visualize(x.add(x.T))`, id: 'graph-transpose' },
  { md: `A matrix product sums block products over the shared axis: \`x.dot(x.T + 1)\` is 2 · 15 = 30 everywhere.` },
  { code: `const xdot = x.dot(x.T.add(1));\nawait xdot.compute()`, id: 'dot' },
  { code: `await visualize(xdot)`, id: 'graph-dot' },
  { md: `Compound expressions make one graph: \`x.dot(x.T + 1) - x.mean()\` is 30 − 1 = 29 everywhere.` },
  { code: `const y = xdot.sub(x.mean());\nawait y.compute()`, id: 'compound' },
  { code: `await visualize(y)`, id: 'graph-compound' },
  { md: `Its standard deviation (0: every element is 29) adds a reduction on top:` },
  { code: `await y.std().compute()`, id: 'std' },
  { code: `await visualize(y.std())`, id: 'graph-std' },
  {
    md: `## An image, filtered block by block

Image filters are the kind of custom algorithm the workshop opens with: each output pixel
depends on its neighbours, so a block cannot be filtered alone. \`mapOverlap\` (dask's
\`map_overlap\`) hands every block a border of its neighbours' pixels (\`depth\`; past
the image's edge the \`boundary\` rule), runs a plain JavaScript function on it in the
function workers, and cuts the border off again. A generated image:`,
  },
  {
    code: `const side = 480;
const img = client.array.fromArray(Float64Array.from({ length: side * side }, (_, k) => {
  const [i, j] = [Math.floor(k / side) - side / 2, (k % side) - side / 2];
  const ring = Math.sin(Math.hypot(i, j) / 14) > 0 ? 0.6 : 0;
  const square = Math.abs(i + 100) < 60 && Math.abs(j - 110) < 60 ? 0.4 : 0;
  return ring + square + ((k * 2654435761) % 1000) / 20000; // a little fixed noise
}), { shape: [side, side], chunks: [120, 120] });
image(await img.compute(), { title: 'the image (16 blocks of 120²)' })`,
    id: 'image',
  },
  {
    md: `The Sobel edge strength, written as a function of one block (\`{shape, data}\`): with a
border of one pixel it gives the same picture as filtering the whole image at once.`,
  },
  {
    code: `function sobel(b) {
  const [r, c] = b.shape;
  const at = (i, j) => b.data[Math.min(r - 1, Math.max(0, i)) * c + Math.min(c - 1, Math.max(0, j))];
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const gx = at(i - 1, j + 1) + 2 * at(i, j + 1) + at(i + 1, j + 1) - at(i - 1, j - 1) - 2 * at(i, j - 1) - at(i + 1, j - 1);
      const gy = at(i + 1, j - 1) + 2 * at(i + 1, j) + at(i + 1, j + 1) - at(i - 1, j - 1) - 2 * at(i - 1, j) - at(i - 1, j + 1);
      out[i * c + j] = Math.hypot(gx, gy);
    }
  }
  return { shape: b.shape, data: out };
}
const edges = img.mapOverlap(sobel, { depth: 1, boundary: 'nearest' });
image(await edges.compute(), { title: 'edges, filtered block by block' })`,
    id: 'image-edges',
  },
  { md: `Its graph: the blocks, their borders added along each axis, the function, the trim.` },
  { code: `await visualize(edges)`, id: 'graph-image' },
  {
    md: `## Scheduling

A scheduler runs a graph's tasks in an order that respects their dependencies, as many at
once as it has workers, and frees each intermediate result as soon as its last dependent has
run. dask has several — the synchronous one (one thread, for debugging), threads, processes,
and \`distributed\` for clusters — and they all run the same graphs. daskling's runs here on a
rayon pool of Web Workers; watch the progress bar and the task stream above while a cell
runs.

## Exercise 1

The data: one CSV file of minute bars per ticker and weekday, \`minute/<ticker>/<date>.csv\`.
First one day of \`ge\` and of \`hp\`, read eagerly (computed into memory at once, as pandas
reads):`,
  },
  {
    code: `const ge = await (await client.dataframe.readCsv(files('minute/ge/2012-05-01.csv'), ${DATES})).compute();
const hp = await (await client.dataframe.readCsv(files('minute/hp/2012-05-01.csv'), ${DATES})).compute();
hp`,
    id: 'ex1-read-day',
  },
  { md: `Plotted against the timestamp, every numeric column (as pandas' \`df.plot(x='timestamp')\`):` },
  { code: `plot(ge, { x: 'timestamp', title: 'ge, 2012-05-01' })`, id: 'ex1-ge-plot' },
  { code: `plot(hp, { x: 'timestamp', title: 'hp, 2012-05-01' })`, id: 'ex1-hp-plot' },
  { code: `hp.data.close.reduce((a, b) => Math.max(a, b))`, id: 'ex1-hp-max' },
  { code: `hp.data.close.reduce((a, b) => a + b) / hp.length`, id: 'ex1-hp-mean' },
  { md: `All the \`hp\` files, and how many there are:` },
  { code: `const filenames = files('minute/hp/*.csv').map((file) => file.name);\nfilenames.slice(0, 5)`, id: 'ex1-files' },
  { code: `filenames.length`, id: 'ex1-nfiles' },
  {
    md: `Reading every file eagerly and putting them together, as \`pd.concat\` does — the cell's wall
time is the seed's \`%%time\`:`,
  },
  {
    code: `const hpAll = await (await client.dataframe.readCsv(files('minute/hp/*.csv'), ${DATES})).compute();
hpAll.length`,
    id: 'ex1-concat',
  },
  { code: `plot(hpAll, { x: 'timestamp', y: 'close', title: 'hp, every minute', size: [900, 360] })`, id: 'ex1-concat-plot' },
  {
    md: `Now lazily, with \`readCsv\` over all the files: nothing is read but the start of the first
file (for the columns and dtypes); the answers below are computed in parallel.`,
  },
  { code: `const df = await client.dataframe.readCsv(files('minute/hp/*.csv'), ${DATES});\ndf`, id: 'read-csv' },
  { md: `**1.** How many rows are there?` },
  { exercise: true, solution: `await df.len().compute()`, id: 'ex-rows' },
  { md: `**2.** What are the largest and the smallest \`high\`? (\`client.compute(a, b)\` computes both in one pass over the files.)` },
  {
    exercise: true,
    solution: `const [maxHigh, minHigh] = await client.compute(df.col('high').max(), df.col('high').min());\n[maxHigh, minHigh]`,
    id: 'ex-maxmin',
  },
  { md: `**3.** What is the mean \`close\`?` },
  { exercise: true, solution: `await df.col('close').mean().compute()`, id: 'ex-mean' },
  { md: `**4.** What are the first timestamps?` },
  { exercise: true, solution: `await df.col('timestamp').head()`, id: 'ex-head' },
  { md: `**5.** Round the timestamps to days (\`dt.round('1d')\`).` },
  { exercise: true, solution: `const day = df.col('timestamp').dt.round('1d');\nawait day.head()`, id: 'ex-round' },
  { md: `**6.** What is each day's highest \`high\`? (Group by the rounded timestamp.)` },
  {
    exercise: true,
    solution: `const byDay = df.groupby(day);\nconst dailyHigh = await byDay.col('high').max().compute();\ndailyHigh`,
    id: 'ex-daily-high',
  },
  { md: `**7.** What is each day's spread — its highest \`high\` minus its lowest \`low\`?` },
  { exercise: true, solution: `const spread = await byDay.col('high').max().sub(byDay.col('low').min()).compute();\nspread`, id: 'ex-spread' },
  { md: `**8.** Plot the daily spread.` },
  { exercise: true, solution: `plot(spread, { kind: 'bar', title: 'Daily High-Low Spread', size: [900, 360] })`, id: 'ex-spread-plot' },
  {
    md: `The daily high again, as one expression from the frame to the answer (the rounded
timestamp made inline), and the mean \`high\` with its time — what the notebook's
\`%%time\` shows:`,
  },
  { code: `await df.groupby(df.col('timestamp').dt.round('1d')).col('high').max().compute()`, id: 'daily-high-expr' },
  {
    code: `const started = performance.now();
const meanHigh = await df.col('high').mean().compute();
({ meanHigh, ms: Math.round(performance.now() - started) })`,
    id: 'timed-mean-high',
  },
  {
    md: `## Going further

A 30-minute moving average of the close, exact across the files' edges (each partition
gets the last rows of the one before, as dask's \`map_overlap\`):`,
  },
  {
    code: `const trend = await df.assign({ trend: df.col('close').rolling(30).mean() }).select(['timestamp', 'close', 'trend']).compute();
plot(trend, { x: 'timestamp', y: ['close', 'trend'], title: 'hp close and its 30-minute mean', size: [900, 360] })`,
    id: 'rolling-close',
  },
  { md: `The ten busiest minutes — a top-10 per partition, then a merge, never a full sort:` },
  { code: `await df.nlargest(10, 'volume').select(['timestamp', 'volume', 'close']).compute()`, id: 'top-volume' },
  { md: `The same minutes through a global sort (dask's \`sort_values\`: samples, splitters, each range sorted on the pool):` },
  { code: `await df.sortValues('volume', { ascending: false }).select(['timestamp', 'volume']).head(5)`, id: 'sorted-volume' },
  {
    md: `Two tickers minute by minute: ge's close beside hp's, joined on the timestamp. Both
sides have many partitions, so \`merge\` routes each side's rows to buckets by a hash of
the key and joins bucket by bucket on the pool (dask's hash join):`,
  },
  {
    code: `const geMinutes = await client.dataframe.readCsv(files('minute/ge/*.csv'), ${DATES});
const pair = geMinutes.select(['timestamp', 'close']).merge(df.select(['timestamp', 'close']), { on: 'timestamp', suffixes: ['_ge', '_hp'] });
const both = await pair.sortValues('timestamp').compute();
plot(both, { x: 'timestamp', y: ['close_ge', 'close_hp'], title: 'ge and hp close, minute by minute', size: [900, 360] })`,
    id: 'merge-tickers',
  },
  {
    md: `Your own function on every partition, as dask's \`map_partitions\`: it gets the
partition as a Table and runs in a function worker. Here, each minute's typical price
\`(high + low + close) / 3\` — a lazy frame like any other, averaged per day:`,
  },
  {
    code: `const typical = df.mapPartitions(
  (t) => ({
    timestamp: t.data.timestamp,
    typical: Array.from(t.data.high, (h, r) => (h + t.data.low[r] + t.data.close[r]) / 3),
  }),
  { meta: { timestamp: 'datetime', typical: 'float64' } },
);
const dailyTypical = await typical.groupby(typical.col('timestamp').dt.floor('1d')).col('typical').mean().compute();
plot(dailyTypical, { title: 'hp: daily mean of the typical price', size: [900, 320] })`,
    id: 'map-partitions',
  },
  { md: `Grouping by two keys — the day and the hour — gives a table of the keys, then the values:` },
  {
    code: `const t = df.col('timestamp');
const withKeys = df.assign({ day: t.dt.floor('1d'), hour: t.dt.hour });
await withKeys.groupby(['day', 'hour']).agg({ volume: 'sum', close: 'mean' }).compute()`,
    id: 'day-hour',
  },
  {
    md: `All of it in one graph: \`client.compute\` shares the reads, so the files are read once for
every answer — what \`dask.compute(a, b, c)\` does:`,
  },
  {
    code: `const [rows, hi, lo, meanClose] = await client.compute(df.len(), df.col('high').max(), df.col('high').min(), df.col('close').mean());
({ rows, hi, lo, meanClose })`,
    id: 'ex-together',
  },
  {
    md: `## On a dask cluster

When the data outgrows this tab, the same computation runs on a dask cluster: every lazy
value's output has an **Export to dask** action, and \`client.toDask(...)\` gives the
script for several values at once (\`sources\` maps the files you loaded here to the
cluster's paths). Start a scheduler (\`dask scheduler\`, which prints its address),
a worker on each machine (\`dask worker tcp://HOST:8786\`), then run the script with
\`DASK_SCHEDULER_ADDRESS=tcp://HOST:8786 python script.py\`.`,
  },
  {
    code: `client.toDask(df.len(), byDay.col('high').max(), { sources: 's3://bucket/' })`,
    id: 'to-dask',
  },
  {
    md: `## Beyond the exercise

Errors say what went wrong, and the page keeps working — this cell fails on purpose:`,
  },
  { code: `await df.col('no_such_column').max().compute()`, expectError: true, id: 'error' },
  { md: `Summarize the numeric columns (count, mean, std, quartiles), as pandas' \`describe()\`:` },
  { code: `await df.describe().compute()`, id: 'describe' },
  { md: `A histogram of the minute-to-minute volume:` },
  { code: `plot(await df.col('volume').compute(), { kind: 'hist', bins: 40, title: 'volume' })`, id: 'volume-hist' },
];
