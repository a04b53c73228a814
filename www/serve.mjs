// Serves the workshop page (www/) and the built package (dist/) on 127.0.0.1.
// With isolation (the default) every response carries COOP/COEP, so the page is
// crossOriginIsolated and the threaded build runs; `--no-isolation` serves without
// them (single-threaded fallback).
//   node www/serve.mjs [--port 8080] [--no-isolation]
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
};

/** Maps a URL path to a file under www/ or dist/ (or another folder in `mounts`). */
function resolve(urlPath, mounts) {
  let path = decodeURIComponent(urlPath.split('?')[0]);
  if (path.endsWith('/')) path += 'index.html';
  for (const [prefix, dir] of mounts) {
    if (path.startsWith(prefix)) {
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (file === dir || file.startsWith(dir + sep)) return file;
      return null;
    }
  }
  return null;
}

/**
 * Starts the server; resolves to `{url, served, close()}`: `served` maps each URL path to
 * the body bytes sent for it so far (the tests count what a ranged read fetched).
 * `mounts`: extra `[urlPrefix, folder]` pairs tried before the defaults; paths under
 * `plain` (a prefix) are served as a server without range support serves them (whole,
 * no `Accept-Ranges`), for the tests.
 */
export function serve({ port = 8080, isolation = true, host = '127.0.0.1', mounts = [], plain = null } = {}) {
  const all = [...mounts, ['/dist/', join(root, 'dist')], ['/', here]];
  const served = new Map();
  const count = (req, n) => {
    if (req.method === 'HEAD') return;
    const path = (req.url ?? '/').split('?')[0];
    served.set(path, (served.get(path) ?? 0) + n);
  };
  const server = createServer((req, res) => {
    const headers = {};
    if (isolation) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    const file = resolve(req.url ?? '/', all);
    let stat;
    try {
      stat = file ? statSync(file) : null;
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end(`not found: ${req.url}`);
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // Range requests (`bytes=a-b`), as static servers give them: readCsv of a URL reads
    // its blocks this way.
    const ranged = !(plain && (req.url ?? '').startsWith(plain));
    const range = ranged && /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range && stat.size > 0) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : stat.size - 1, stat.size - 1);
      if (start > end) {
        res.writeHead(416, { ...headers, 'Content-Range': `bytes */${stat.size}` });
        res.end();
        return;
      }
      res.writeHead(206, {
        ...headers,
        'Content-Type': type,
        'Content-Length': end - start + 1,
        'Content-Range': `bytes ${start}-${end}/${stat.size}`,
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'no-cache',
      });
      count(req, end - start + 1);
      if (req.method === 'HEAD') res.end();
      else createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': type,
      'Content-Length': stat.size,
      ...(ranged ? { 'Accept-Ranges': 'bytes' } : {}),
      'Cache-Control': 'no-cache',
    });
    count(req, stat.size);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({
        url: `http://${host}:${actual}/`,
        served,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 ? Number(args[portAt + 1]) : Number(process.env.PORT ?? 8080);
  const isolation = !args.includes('--no-isolation');
  let url;
  try {
    ({ url } = await serve({ port, isolation }));
  } catch (e) {
    if (e.code !== 'EADDRINUSE') throw e;
    console.error(`port ${port} is in use: stop the other server or pick another port (PORT=8081 npm start)`);
    process.exit(1);
  }
  console.log(`daskling workshop: ${url}  (${isolation ? 'cross-origin isolated: threads' : 'not isolated: single thread'})`);
}
