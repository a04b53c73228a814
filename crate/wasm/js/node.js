// daskling in Node (20+): the same API as in the browser.
//
//   import { Client } from 'daskling';
//   const client = await Client.start();
//   const df = await client.dataframe.readCsv('data/minute/hp/*.csv', { parseDates: ['timestamp'] });
//
// The compute worker is a `worker_threads` Worker running the threaded build, whose rayon
// pool is more worker threads (node-pool-worker.js), so computing never blocks the event
// loop and uses every core. Dataframe sources given as strings are file paths or glob
// patterns (`*`, `?`, `[…]`, `**`), read from disk in blocks while computing; http(s)
// URLs are downloaded whole first. The workers do not keep the process alive while no
// call is pending; `client.close()` ends them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { Client as CoreClient, generateSampleWith } from './core.js';
import { globMatch } from './single/daskling.js';

const GLOB = /[*?[]/;

/** Wraps a worker thread in the Web Worker interface the client's Rpc uses. */
function startWorker() {
  const w = new Worker(new URL('./node-worker.js', import.meta.url), { name: 'daskling-compute' });
  let closed = false;
  const adapter = {
    onmessage: null,
    onerror: null,
    postMessage: (message, transfer) => w.postMessage(message, transfer),
    terminate() {
      closed = true;
      return w.terminate();
    },
    // Only a pending call keeps the process alive.
    idle: (yes) => (yes ? w.unref() : w.ref()),
  };
  w.on('message', (data) => adapter.onmessage?.({ data }));
  w.on('error', (e) => adapter.onerror?.({ message: e?.message ?? String(e) }));
  w.on('exit', (code) => {
    if (!closed) adapter.onerror?.({ message: `the compute thread exited (code ${code})` });
  });
  w.unref();
  return adapter;
}

/** Files matching a glob pattern, sorted; the pattern's literal leading folders are not walked. */
function expandGlob(pattern) {
  const norm = normalize(pattern);
  const parts = norm.split(sep);
  const first = parts.findIndex((p) => GLOB.test(p));
  const base = parts.slice(0, first).join(sep) || (norm.startsWith(sep) ? sep : '.');
  const rest = parts.length - first;
  const deep = parts.slice(first).includes('**');
  const found = [];
  const walk = (dir, depth) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = dir === '.' ? e.name : join(dir, e.name);
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = statSync(path).isDirectory();
        } catch {
          continue;
        }
      }
      if (isDir) {
        if (deep || depth + 1 < rest) walk(path, depth + 1);
      } else if ((deep || depth + 1 === rest) && globMatch(norm, path)) {
        found.push(path);
      }
    }
  };
  walk(base, 0);
  if (!found.length) throw new Error(`readCsv: no files match ${pattern}`);
  return found.sort();
}

function fileSource(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    throw new Error(`readCsv: ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, { cause: e });
  }
  if (!stat.isFile()) throw new Error(`readCsv: ${path}: not a file`);
  return { id: `file:${resolve(path)}`, name: path, size: stat.size, src: { path: resolve(path) } };
}

async function downloaded(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`readCsv: ${url}: HTTP ${r.status}`);
  const bytes = new Uint8Array(await r.arrayBuffer());
  return { id: `url:${url}`, name: url, size: bytes.length, src: { bytes } };
}

const host = {
  wasm: () => readFileSync(new URL('./single/daskling_bg.wasm', import.meta.url)),
  startWorker,
  // Node shares memory between worker threads: the threaded build runs.
  isolated: () => typeof SharedArrayBuffer === 'function',
  defaultThreads: () => availableParallelism(),
  async source(item) {
    const text = String(item);
    if (/^https?:/.test(text)) return [await downloaded(text)];
    const path = text.startsWith('file:') ? fileURLToPath(text) : text;
    // A file whose name has glob characters (`[avalon]_daily.csv`) is that file, as
    // Python's glob finds it too.
    return GLOB.test(path) && !existsSync(path) ? expandGlob(path).map(fileSource) : [fileSource(path)];
  },
  async range(src, start, end) {
    const f = await open(src.path, 'r');
    try {
      const buf = new Uint8Array(Math.max(0, end - start));
      const { bytesRead } = await f.read(buf, 0, buf.length, start);
      return buf.subarray(0, bytesRead);
    } finally {
      await f.close();
    }
  },
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
