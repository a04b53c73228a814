// Builds both wasm modules and lays out the package in dist/:
//   dist/index.js, dist/worker.js        the browser entry and its compute worker
//   dist/pool-worker.js                  a worker of the threaded build's rayon pool
//   dist/reader.js, dist/read-browser.js a reader worker of the threaded build, and the
//                                        browser's synchronous reads (bytes.js: helpers)
//   dist/node.js, dist/node-worker.js    the Node entry and its worker thread
//   dist/core.js, dist/worker-core.js    what both share (core.js: the Client; array.js,
//                                        dataframe.js, delayed.js, lazy.js, rpc.js,
//                                        sources.js: its concepts)
//   dist/clone.js                        values of delayed JS functions (also a wasm snippet)
//   dist/index.d.ts                      TypeScript declarations of the API
//   dist/single/daskling{.js,_bg.wasm}   stable, no atomics: one thread
//   dist/threads/daskling{.js,_bg.wasm}  atomics + shared memory: rayon on Web Workers
//   dist/threads/daskling_relaxed_bg.wasm the same with relaxed SIMD (fused multiply-add),
//                                        loaded where the engine validates it; its JS glue
//                                        is the threaded one (the build checks they match)
// Release builds are then optimized with `wasm-opt -O3` (binaryen from npm; both at once).
// Usage: node crate/wasm/js/build.mjs [--debug] [--no-opt] [--only single|threads|relaxed]
// (`threads` builds both threaded modules, `relaxed` the relaxed one alone).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUILD_STD, PATH, threadsEnv, WASM_BINDGEN_VERSION } from './toolchain.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const args = process.argv.slice(2);
const debug = args.includes('--debug');
const noOpt = args.includes('--no-opt');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : null;
const profile = debug ? 'debug' : 'release';

function run(cmd, cmdArgs, env = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, PATH, ...env } });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

function checkWasmBindgen() {
  const r = spawnSync('wasm-bindgen', ['--version'], { encoding: 'utf8', env: { ...process.env, PATH } });
  const version = (r.stdout || '').trim().split(' ')[1];
  if (version !== WASM_BINDGEN_VERSION) {
    throw new Error(
      `wasm-bindgen ${WASM_BINDGEN_VERSION} is needed (found ${version ?? 'none'}); ` +
        'run `bash .ci/setup` to install it',
    );
  }
}

// The wasm features each build is compiled with (rustc's defaults for wasm32 plus
// simd128, and atomics for threads), which wasm-opt must be told to keep.
const FEATURES = [
  '--enable-bulk-memory',
  '--enable-multivalue',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-sign-ext',
  '--enable-simd',
];
const THREADS = [...FEATURES, '--enable-threads', '--enable-exception-handling'];
// `out`: where wasm-bindgen writes; `as`: the module's name in dist/ when it is not that
// directory's daskling_bg.wasm (then its glue must equal that directory's).
const builds = {
  single: { env: { CARGO_TARGET_DIR: join(root, 'target') }, extra: [], features: FEATURES },
  threads: { env: threadsEnv(root), extra: BUILD_STD, features: THREADS },
  relaxed: {
    family: 'threads',
    env: threadsEnv(root, { relaxed: true }),
    extra: BUILD_STD,
    features: [...THREADS, '--enable-relaxed-simd'],
    out: join(root, 'target', 'relaxed', 'bindgen'),
    as: join(root, 'dist', 'threads', 'daskling_relaxed_bg.wasm'),
  },
};

/** Every file under `dir` but the wasm module, path → contents. */
function glue(dir) {
  const files = new Map();
  for (const f of readdirSync(dir, { recursive: true })) {
    const p = join(dir, f);
    if (!f.endsWith('_bg.wasm') && statSync(p).isFile()) files.set(f, readFileSync(p, 'utf8'));
  }
  return files;
}

/** Moves the module of a build with `as` into place, after checking its glue. */
function adopt(b, out) {
  const mine = glue(out);
  const theirs = glue(dirname(b.as));
  const differ = [...new Set([...mine.keys(), ...theirs.keys()])].filter((f) => mine.get(f) !== theirs.get(f));
  if (differ.length) {
    throw new Error(`${b.as}: its JS glue differs from ${dirname(b.as)}'s (${differ.join(', ')}); build both from one commit`);
  }
  cpSync(join(out, 'daskling_bg.wasm'), b.as);
}

/** `wasm-opt -O3` in place, in a child process; resolves when it is done. */
function wasmOpt(file, features) {
  const bin = join(root, 'node_modules', '.bin', 'wasm-opt');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-O3', ...features, file, '-o', file], { stdio: 'inherit' });
    child.on('error', (e) => reject(new Error(`wasm-opt could not start (${e.message}); run \`npm ci\``)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wasm-opt failed on ${file} (exit ${code})`))));
  });
}

const size = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

checkWasmBindgen();
const optimized = [];
for (const [name, b] of Object.entries(builds)) {
  if (only && only !== name && only !== b.family) continue;
  const cargoArgs = ['build', '-p', 'daskling-wasm', '--lib', '--target', 'wasm32-unknown-unknown', ...b.extra];
  if (!debug) cargoArgs.push('--release');
  run('cargo', cargoArgs, b.env);
  const wasm = join(b.env.CARGO_TARGET_DIR, 'wasm32-unknown-unknown', profile, 'daskling_wasm.wasm');
  const out = b.out ?? join(root, 'dist', name);
  rmSync(out, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--weak-refs', '--out-dir', out, '--out-name', 'daskling', wasm]);
  if (b.as) adopt(b, out);
  const file = b.as ?? join(out, 'daskling_bg.wasm');
  if (!debug && !noOpt) optimized.push({ name, file, features: b.features });
}
if (optimized.length) {
  for (const o of optimized) o.before = statSync(o.file).size;
  await Promise.all(optimized.map((o) => wasmOpt(o.file, o.features)));
  for (const o of optimized) {
    const bytes = readFileSync(o.file);
    console.log(
      `wasm-opt -O3 ${o.name}: ${size(o.before)} -> ${size(bytes.length)} (gzip ${size(gzipSync(bytes, { level: 9 }).length)})`,
    );
  }
}
mkdirSync(join(root, 'dist'), { recursive: true });
// Every .js module of crate/wasm/js is the package's (the .mjs files are build tools).
const jsDir = join(root, 'crate', 'wasm', 'js');
for (const f of [...readdirSync(jsDir).filter((f) => f.endsWith('.js')), 'index.d.ts']) {
  cpSync(join(root, 'crate', 'wasm', 'js', f), join(root, 'dist', f));
}
console.log(`built dist/ (${profile})`);
