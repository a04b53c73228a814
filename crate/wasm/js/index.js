// daskling: dask's task graphs in the browser, computed on a pool of Web Workers.
//
//   import { Client } from 'daskling';
//   const client = await Client.start({ threads: 4 });
//   const x = client.array.ones([15, 15], { chunks: [5, 5] });
//   await x.sum().compute();            // 225
//
// The browser entry: the compute worker is a module Web Worker; dataframe sources given
// as strings are URLs. Bundlers (Vite, webpack 5) find the worker and both wasm files
// through the `new URL(…, import.meta.url)` below and in the wasm glue.
import { Client as CoreClient, generateSampleWith, urlRange, urlSource } from './core.js';

// `?` starts a URL's query, so only `*` marks a pattern here.
const GLOB = /\*/;

const host = {
  // The glue's own `new URL('daskling_bg.wasm', import.meta.url)`.
  wasm: () => undefined,
  startWorker: () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'daskling-compute' }),
  isolated: () => globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function',
  defaultThreads: () => globalThis.navigator?.hardwareConcurrency ?? 1,
  source(item) {
    if (typeof item === 'string' && GLOB.test(item)) {
      throw new Error(
        `readCsv: ${item}: a glob pattern needs a file system (Node); in the browser pass the files ` +
          '(a FileList from a picker or a drop) or a list of URLs',
      );
    }
    return urlSource(item, globalThis.location?.href);
  },
  range: urlRange,
};

/** Runs task graphs off the main thread. Create with `await Client.start()`. */
export class Client extends CoreClient {
  static host = host;
}

/** The workshop's sample data (see core.js). */
export function generateSample(options) {
  return generateSampleWith(host, options);
}

export { DArray, DataFrame, DEFAULT_MEMORY_LIMIT, DEFAULT_WORKER_TTL, Delayed, FUNCTION_LANES, Future, globMatch, GroupBy, operations, Scalar, Series, SeriesGroupBy, useArrow } from './core.js';
