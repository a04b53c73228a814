// The code of the apps that tests/package.test.mjs builds from the packed tarball (a Vite
// app, a page without a bundler, a Node script): the seed's array and dataframe examples.
// `Client` comes from the app's own `import { Client } from 'daskling'`; `csv` is what
// readCsv gets there (URLs in a page, a glob pattern of paths in Node).
export async function run(Client, csv) {
  const client = await Client.start();
  try {
    const x = client.array.ones([15, 15], { chunks: [5, 5] });
    const [colSums, y] = await client.compute(x.sum({ axis: 0 }), x.dot(x.T.add(1)).sub(x.mean()));
    const df = await client.dataframe.readCsv(csv, { parseDates: ['timestamp'] });
    const byDay = df.groupby(df.col('timestamp').dt.round('1d')).col('high').max();
    const [days, rows, meanHigh] = await client.compute(byDay, df.len(), df.col('high').mean());
    return {
      mode: client.mode,
      simd: client.simd,
      threads: client.threads,
      colSums: Array.from(colSums.data),
      y: { shape: y.shape, min: Math.min(...y.data), max: Math.max(...y.data) },
      npartitions: df.npartitions,
      days: { index: Array.from(days.index), values: Array.from(days.values) },
      rows,
      meanHigh,
    };
  } finally {
    await client.close();
  }
}
