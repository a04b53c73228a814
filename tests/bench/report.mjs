// The tables of `npm run bench` (tests/bench/run.mjs), from the figures of one run: every
// ratio is to a peer measured in that same run.

const fmt = (x, d = 1) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const mbps = (bytes, s) => bytes / 1e6 / s;
/** Whether a run read the whole layout (dask and DuckDB-WASM read a subset of the daily files). */
const whole = (r, layout) => r.files === (layout === 'daily' ? 9500 : 1);

function table(head, rows) {
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|---|${head.slice(1).map(() => '---:').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

function schedulerTable({ native, wasm, SCHEDULER_CASES }) {
  console.log(`\nScheduler overhead, µs per task (best of runs; ${native[0].threads} native threads, 2 wasm workers)\n`);
  table(
    ['case', 'tasks', 'native sync', 'native threads', 'wasm single', 'wasm threads (2)', 'wasm threads / native threads'],
    SCHEDULER_CASES.map(([name, label]) => {
      const n = native.find((r) => r.case === label);
      const w = wasm['threads (2)'].scheduler[name].usPerTask;
      const s = wasm.single.scheduler[name].usPerTask;
      return [label, n.tasks, fmt(n.native_sync, 3), fmt(n.native_threads, 3), fmt(s, 3), fmt(w, 3), `${fmt(w / n.native_threads, 2)}x`];
    }),
  );
}

function delayedTable({ wasm, DELAYED_CALLS }) {
  console.log(`\nDelayed: ${DELAYED_CALLS.toLocaleString('en')} tiny calls (x => x + 1) built and computed at once; µs per call (best of 5)\n`);
  table(
    ['mode', 'total', 'building the calls', 'compute (ship, schedule, call, return)'],
    Object.entries(wasm).map(([mode, w]) => [`wasm ${mode}`, fmt(w.delayed.usPerCall), fmt(w.delayed.buildUs), fmt(w.delayed.computeUs)]),
  );
}

function latencyTable({ wasm }) {
  const reps = Object.values(wasm)[0].latency.reps;
  console.log(`\nLatency of a quick compute (ones([4]).sum(), ${reps} times, 50 ms apart), idle and while a long product chain runs; ms\n`);
  table(
    ['mode', 'idle median', 'idle worst', 'during the long one: median', 'worst', 'the long one (s)'],
    Object.entries(wasm).map(([mode, { latency: l }]) => [
      `wasm ${mode}`,
      fmt(l.idle.median),
      fmt(l.idle.worst),
      fmt(l.busy.median),
      fmt(l.busy.worst),
      fmt(l.longMs / 1000),
    ]),
  );
}

function arraysTable({ nativeArrays, wasm, wasmPlainSimd, peers }) {
  const dask = peers?.arrays.dask;
  console.log(`\nArrays: x = random((4000, 4000), chunks=(1000, 1000)), persisted; best seconds (${nativeArrays[0].threads} native threads; ` +
    `the wasm threaded module: ${wasm['threads (2)'].simd} unless said)\n`);
  const cols = [
    ['native threads', (c) => nativeArrays.find((r) => r.case === c).seconds],
    ...Object.entries(wasm).map(([m, w]) => [`wasm ${m}`, (c) => w.arrays[c]]),
    ['wasm threads (2), relaxedSimd: false', (c) => wasmPlainSimd.arrays[c]],
  ];
  table(
    ['case', ...cols.map(([n]) => n), 'wasm threads (2) / native'],
    ['random (persist)', 'dot', 'mean', 'std', 'transpose sum'].map((c) => {
      const v = cols.map(([, f]) => f(c));
      return [c, ...v.map((x) => fmt(x, 4)), `${fmt(v[1] / v[0], 2)}x`];
    }),
  );
  if (peers) {
    const w = wasm['threads (2)'].arrays.dot;
    const p = wasmPlainSimd.arrays.dot;
    console.log(`\nx.dot(x.T).sum() 4000²: numpy ${fmt(peers.arrays.numpy, 3)} s, dask (2 threads, chunks 1000²) ${fmt(dask, 3)} s; ` +
      `wasm threads (2) ${fmt(w, 3)} s = **${fmt(w / dask, 2)}× dask's time** (goal ≤ 1.25×); ` +
      `without relaxed SIMD ${fmt(p, 3)} s = ${fmt(p / dask, 2)}×.`);
  }
}

function dataframeTable({ nativeDf, peers, wasm, duckdbWasm }) {
  const layouts = [['daily', '9,500 daily files'], ['one', 'one file']];
  const rows = [];
  const duck = peers?.peers.duckdb;
  const add = (name, get) => rows.push([name, ...layouts.map(([l]) => get(l))]);
  for (const [mode, w] of Object.entries(wasm)) add(`daskling, Chromium, ${mode}, picked files`, (l) => w.picked[l]);
  add('DuckDB-WASM, Chromium, 1 thread, picked files', (l) => duckdbWasm[l]);
  add('daskling native (2 threads)', (l) => ({ bytes: nativeDf.bytes, seconds: l === 'daily' ? nativeDf.daily_seconds : nativeDf.one_seconds }));
  for (const [name, p] of Object.entries(peers?.peers ?? {})) add(`${name} (native, 2 threads)`, (l) => p[l]);
  const mem = wasm['threads (2)'].memoryFiles;
  add('daskling, Chromium, threads (2), Files in memory', (l) => ({ bytes: mem.bytes, seconds: mem[l] }));
  console.log(`\nDataframes: the workshop's exercise (rows, max/min high, mean close, daily high max and daily spread computed together, then head) on ${(nativeDf.bytes / 1e6).toFixed(0)} MB of hp minute data; MB/s (best of runs)${duck ? '; ratio to native DuckDB (read_csv defaults) in this run' : ''}\n`);
  table(
    ['', ...layouts.flatMap(([, label]) => (duck ? [label, '/ DuckDB'] : [label]))],
    rows.map(([name, ...cells]) => [
      name,
      ...cells.flatMap((r, i) => {
        const v = mbps(r.bytes, r.seconds);
        const l = layouts[i][0];
        const note = r.files && !whole(r, l) ? ` (${r.files} files)` : '';
        return duck ? [`${fmt(v)}${note}`, `${fmt(v / mbps(duck[l].bytes, duck[l].seconds), 2)}×`] : [`${fmt(v)}${note}`];
      }),
    ]),
  );
  checkAnswers({ peers, wasm, duckdbWasm });
}

/** The answers of every picked-file run against pandas' (or the first run's). */
function checkAnswers({ peers, wasm, duckdbWasm }) {
  const runs = [];
  for (const [mode, w] of Object.entries(wasm)) for (const l of ['daily', 'one']) runs.push([`daskling ${mode} ${l}`, l, w.picked[l].answers]);
  for (const l of ['daily', 'one']) if (whole(duckdbWasm[l], l)) runs.push([`DuckDB-WASM ${l}`, l, duckdbWasm[l].answers]);
  for (const [name, p] of Object.entries(peers?.peers ?? {})) for (const l of ['daily', 'one']) if (whole(p[l], l)) runs.push([`${name} ${l}`, l, p[l].answers]);
  const ref = peers?.peers.pandas.one.answers ?? runs[0][2];
  const bad = runs.filter(([, , a]) =>
    a.rows !== ref.rows || a.max !== ref.max || a.min !== ref.min || Math.abs(a.mean - ref.mean) > 1e-9 * Math.abs(ref.mean) || a.days !== ref.days);
  console.log(`\nAnswers: ${ref.rows} rows, high ${ref.max} / ${ref.min}, mean close ${ref.mean}, ${ref.days} daily groups (${peers ? 'pandas' : 'first run'}); ` +
    (bad.length ? `DIFFERENT in: ${bad.map(([n, , a]) => `${n} ${JSON.stringify(a)}`).join('; ')}` : `the same in all ${runs.length} runs.`));
}

const OPS = [
  ['sort', "sortValues('close'), first 5 rows"],
  ['nlargest', "nlargest(10, 'volume')"],
  ['merge', 'merge with itself on timestamp (hash join): rows, sum'],
  ['rolling', "rolling('30min', on timestamp).mean() of close: max"],
  ['groupby2', 'groupby([day, hour]) volume sum'],
  ['missing', 'close masked where volume < 2000: dropna().count(), fillna(0).sum()'],
];

/** Whether two answers (lists of numbers) agree: equal, or within 1e-9 relative for sums. */
function agree(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i] || Math.abs(x - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i])));
}

/** The everyday operations on the one picked file against the native peers (`ops`). */
export function opsTable({ ops, peers }) {
  const p = peers?.ops ?? {};
  const names = Object.keys(p);
  console.log(`
Everyday dataframe operations on the one picked file (${(ops.bytes / 1e6).toFixed(0)} MB): best seconds from reading the file to a ` +
    `small answer (daskling: Chromium, threads (2); peers native, 2 threads); ratio = peer's time / daskling's (> 1: daskling faster)\n`);
  table(
    ['operation', 'daskling', ...names.flatMap((n) => [n, `${n} / daskling`])],
    OPS.map(([c, label]) => {
      const d = ops.cases[c].seconds;
      return [label, fmt(d, 2), ...names.flatMap((n) => [fmt(p[n][c].seconds, 2), `${fmt(p[n][c].seconds / d, 2)}×`])];
    }),
  );
  const ref = p.pandas;
  if (!ref) return;
  const bad = [];
  for (const [c] of OPS) {
    if (!agree(ops.cases[c].answer, ref[c].answer)) bad.push(`daskling ${c} ${JSON.stringify(ops.cases[c].answer)} vs pandas ${JSON.stringify(ref[c].answer)}`);
    for (const n of names) if (!agree(p[n][c].answer, ref[c].answer)) bad.push(`${n} ${c} ${JSON.stringify(p[n][c].answer)}`);
  }
  console.log(`\nAnswers of the operations: ${bad.length ? `DIFFERENT: ${bad.join('; ')}` : 'daskling and every peer equal pandas\'.'}`);
}

const LINALG = [
  ['svd', "svd(x.dot(x.T)), x one 1000² block (the seed's first cell)", 'numpy'],
  ['qr1', 'qr of one 1000² block', 'numpy'],
  ['cholesky1', 'cholesky of one 1000² block', 'numpy'],
  ['solve1', 'solve, one 1000² block and a vector', 'numpy'],
  ['inv1', 'inv of one 1000² block', 'numpy'],
  ['cholesky', 'cholesky of 4000², blocks 1000²', 'dask'],
  ['solve', 'solve of 4000² (blocks 1000²) and a vector', 'dask'],
];

/** Linear algebra: daskling in Chromium against numpy (one block) or dask (blocked). */
export function linalgTable({ linalg, peers }) {
  const p = peers?.linalg ?? {};
  console.log('\nLinear algebra: best seconds (daskling: Chromium, threads (2); numpy on OpenBLAS and dask, 2 threads); ' +
    "ratio = peer's time / daskling's (> 1: daskling faster); daskling's answers checked by their residuals\n");
  table(
    ['case', 'daskling', 'peer', 'peer s', 'peer / daskling'],
    LINALG.map(([c, label, peer]) => {
      const them = p[peer]?.[c];
      return [label, fmt(linalg[c], 3), peer, them === undefined ? '—' : fmt(them, 3), them === undefined ? '—' : `${fmt(them / linalg[c], 2)}×`];
    }),
  );
}

/**
 * The exercise on the one file's rows as Parquet (pyarrow, snappy, 1 M-row groups), picked
 * in Chromium: daskling and DuckDB-WASM against the native peers, seconds and the ratio
 * of each time to daskling's (above 1: daskling is faster); the answers checked.
 */
export function parquetTable({ parquet, peers }) {
  if (!parquet) {
    console.log("\nParquet: skipped (the file is written by the native peers' venv: python3 needed)");
    return;
  }
  const runs = [
    ['daskling, Chromium, threads (2), picked file', parquet.daskling],
    ...(parquet.duckdbWasm.error ? [] : [['DuckDB-WASM, Chromium, 1 thread, picked file', parquet.duckdbWasm]]),
    ...Object.entries(peers?.parquet ?? {}).map(([name, r]) => [`${name} (native, 2 threads)`, r]),
  ];
  if (parquet.duckdbWasm.error) console.log(`\nDuckDB-WASM on Parquet: failed (${parquet.duckdbWasm.error})`);
  const mine = parquet.daskling.seconds;
  console.log(`\nParquet: the workshop's exercise on ${(parquet.daskling.bytes / 1e6).toFixed(0)} MB of Parquet (the one file's rows); seconds (best of 2), and each peer's time over daskling's\n`);
  table(['', 'seconds', 'MB/s', 'peer / daskling'], runs.map(([name, r]) => [name, fmt(r.seconds, 3), fmt(mbps(r.bytes, r.seconds)), `${fmt(r.seconds / mine, 2)}×`]));
  const ref = runs.at(-1)[1].answers;
  const bad = runs.filter(([, r]) => {
    const a = r.answers;
    return a.rows !== ref.rows || a.max !== ref.max || a.min !== ref.min || Math.abs(a.mean - ref.mean) > 1e-9 * Math.abs(ref.mean) || a.days !== ref.days;
  });
  console.log(`\nParquet answers: ${bad.length ? `DIFFERENT in ${bad.map(([n, r]) => `${n} ${JSON.stringify(r.answers)}`).join('; ')}` : `the same in all ${runs.length} runs`}.`);
}

/** Prints every table of one run. */
export function report(r) {
  schedulerTable(r);
  delayedTable(r);
  latencyTable(r);
  arraysTable(r);
  dataframeTable(r);
  opsTable({ ops: r.wasm['threads (2)'].ops, peers: r.peers });
  linalgTable({ linalg: r.wasm['threads (2)'].linalg, peers: r.peers });
  parquetTable(r);
  if (r.memory) {
    const m = r.memory;
    console.log(`\nStreaming a picked file: ${(m.bytes / 1e9).toFixed(2)} GB in ${m.npartitions} partitions (${m.rows} rows), the exercise in ${fmt(m.seconds)} s = ` +
      `${fmt(mbps(m.bytes, m.seconds))} MB/s; wasm memory ${(m.before / 2 ** 20).toFixed(0)} MiB before, peak ${(m.after / 2 ** 20).toFixed(0)} MiB (goal < 300 MB).`);
  }
}
