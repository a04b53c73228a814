// The workshop, "Dask Task Graphs", as cells: markdown text and JavaScript code run on the
// daskling Client. Exercise questions have empty cells and a solution to show.
//   {md}                       text (markdown)
//   {code, id?}                a code cell, pre-filled
//   {exercise, solution, id}   an empty code cell with a "show solution" toggle
//   {code, expectError}        a cell that fails on purpose (the page keeps working)

export const cells = [
  {
    md: `# Dask Task Graphs — in this browser tab

dask turns NumPy and pandas work into **task graphs** — many small tasks with dependencies —
and runs them with a **scheduler** on many cores. This page does the same with
[daskling](https://www.npmjs.com/package/daskling): the graphs are built and run by Rust
compiled to WebAssembly, on a pool of Web Workers (see the status line above for how many).

Cells are JavaScript and share one scope: what one cell declares, later cells use.
**Shift+Enter** runs a cell, *Run all* runs them in order. In every cell you have
\`client\` (the daskling Client), \`files(pattern)\` (the loaded files), \`plot(result, options)\`,
\`visualize(lazy)\` and \`display(value)\`.`,
  },
  {
    md: `## NumPy arrays and chunked arrays

An eager array holds all its numbers in memory, and an operation runs at once. Here is a
"NumPy" array of fifteen ones, in plain JavaScript:`,
  },
  { code: `const ones = new Float64Array(15).fill(1);\nones.reduce((a, b) => a + b, 0)`, id: 'eager-sum' },
  {
    md: `A daskling array is a grid of **chunks** (numpy blocks). Operations on it do nothing yet:
they add tasks to a graph, and the array knows its shape and chunks at once.`,
  },
  { code: `const x1 = client.array.ones([15], { chunks: [5] });\nx1`, id: 'lazy-1d' },
  { code: `const total1 = x1.sum();\nawait total1.compute()`, id: 'sum-1d' },
  {
    md: `\`visualize\` draws the graph (Graphviz, compiled to wasm): one \`ones\` task per chunk,
each summed where it is (\`sum-chunk\`, fused with its \`ones\`), then one task adds the partial sums.`,
  },
  { code: `await visualize(total1)`, id: 'graph-1d' },
  {
    md: `## Two dimensions: more interesting graphs

A 15 × 15 array in 5 × 5 chunks has nine blocks. Summing along an axis sums each block
along it, then combines the blocks of each column.`,
  },
  { code: `const x = client.array.ones([15, 15], { chunks: [5, 5] });\nawait x.sum({ axis: 0 }).compute()`, id: 'sum-axis0' },
  { code: `await visualize(x.sum({ axis: 0 }))`, id: 'graph-axis0' },
  { code: `await x.sum({ axis: 1 }).compute()`, id: 'sum-axis1' },
  {
    md: `The transpose moves blocks as well as numbers: \`x + x.T\` pairs block (i, j) with block (j, i).`,
  },
  { code: `await x.add(x.T).compute()`, id: 'transpose' },
  {
    md: `Compound expressions build one graph. Matrix products sum block products over the shared axis:
\`x.dot(x.T + 1) - x.mean()\` is 2 · 15 − 1 = 29 everywhere.`,
  },
  { code: `const y = x.dot(x.T.add(1)).sub(x.mean());\nawait y.compute()`, id: 'compound' },
  { code: `await visualize(y)`, id: 'graph-compound' },
  {
    md: `Linear algebra on chunked arrays: the SVD of a tall-and-skinny array (TSQR, as
\`da.linalg.svd\`). Its singular values, plotted:`,
  },
  {
    code: `const tall = client.array.random.random([20000, 20], { chunks: [5000, 20], seed: 42 });
const [u, s, v] = client.array.linalg.svd(tall);
const sv = await s.compute();
plot(sv, { kind: 'bar', title: 'singular values' })`,
    id: 'svd',
  },
  {
    md: `## delayed: parallel loops of your own functions

Not everything is an array or a dataframe. \`client.delayed(f)\` makes calls of \`f\` lazy:
the loop below builds 10,000 tasks and computes them together, in parallel on the pool's
workers. Functions travel to the workers as source text, so they use only their arguments.`,
  },
  {
    code: `const f = client.delayed(function f(a, b) { return a * b + 1; });
const g = client.delayed(function g(a, b) { return a - b; });
const A = Array.from({ length: 100 }, (_, i) => i);
const B = Array.from({ length: 100 }, (_, i) => 99 - i);
const keys = [];
const calls = [];
for (const a of A) for (const b of B) {
  keys.push([a, b]);
  calls.push(a < b ? f(a, b) : g(a, b));
}
const results = await client.compute(...calls);
results.length`,
    id: 'delayed-loop',
  },
  { code: `const sumResults = client.delayed((xs) => xs.reduce((p, q) => p + q, 0));\nawait sumResults(calls.slice(0, 100)).compute()`, id: 'delayed-sum' },
  {
    md: `## Dataframes from many CSV files

Load data above: **Generate sample data** writes one CSV of minute bars per weekday
(\`minute/hp/2000-01-03.csv\`, …), or pick or drop your own files. \`readCsv\` reads only the
start of the first file now (columns and dtypes); the rest is read while computing,
one partition per file.`,
  },
  {
    code: `const df = await client.dataframe.readCsv(files('minute/hp/*.csv'), { parseDates: ['timestamp'] });\ndf`,
    id: 'read-csv',
  },
  { code: `await df.head()`, id: 'head' },
  { code: `await df.len().compute()`, id: 'rows' },
  {
    md: `Group by day (timestamps rounded to the day) and take the daily maximum of \`high\`:`,
  },
  {
    code: `const byDay = df.groupby(df.col('timestamp').dt.round('1d'));
const dailyHigh = await byDay.col('high').max().compute();
plot(dailyHigh, { kind: 'line', title: 'daily high' })`,
    id: 'daily-high',
  },
  {
    md: `Every minute's close, all of it (uPlot draws hundreds of thousands of points smoothly):`,
  },
  {
    code: `const close = await df.select(['timestamp', 'close']).compute();
plot(close, { x: 'timestamp', y: 'close', title: 'close, every minute' })`,
    id: 'close-plot',
  },
  {
    md: `Errors say what went wrong, and the page keeps working — this cell fails on purpose:`,
  },
  { code: `await df.col('no_such_column').max().compute()`, expectError: true, id: 'error' },
  {
    md: `## Exercise 1

Answer with the dataframe \`df\` above. Compute several results in one call
(\`client.compute(a, b)\`) to read the files once.

**1.** How many rows are there?`,
  },
  { exercise: true, solution: `await df.len().compute()`, id: 'ex-rows' },
  { md: `**2.** What are the largest and the smallest \`high\`?` },
  {
    exercise: true,
    solution: `const [maxHigh, minHigh] = await client.compute(df.col('high').max(), df.col('high').min());\n[maxHigh, minHigh]`,
    id: 'ex-maxmin',
  },
  { md: `**3.** What is the mean \`close\`?` },
  { exercise: true, solution: `await df.col('close').mean().compute()`, id: 'ex-mean' },
  { md: `**4.** What is each day's spread — the day's highest \`high\` minus its lowest \`low\`? Plot it.` },
  {
    exercise: true,
    solution: `const spread = await byDay.col('high').max().sub(byDay.col('low').min()).compute();
plot(spread, { kind: 'bar', title: 'daily spread' })`,
    id: 'ex-spread',
  },
  { md: `**5.** Summarize the numeric columns (count, mean, std, quartiles), as pandas' \`describe()\`.` },
  { exercise: true, solution: `await df.describe().compute()`, id: 'ex-describe' },
  { md: `**6.** Plot a histogram of the minute-to-minute volume.` },
  { exercise: true, solution: `plot(await df.col('volume').compute(), { kind: 'hist', bins: 40, title: 'volume' })`, id: 'ex-hist' },
];
