// Builds both wasm modules and lays out the package in dist/:
//   dist/index.js, dist/worker.js        the Client and the compute worker
//   dist/index.d.ts                      TypeScript declarations of the API
//   dist/single/daskling{.js,_bg.wasm}   stable, no atomics: one thread
//   dist/threads/daskling{.js,_bg.wasm}  atomics + shared memory: rayon on Web Workers
// Usage: node crate/js/build.mjs [--debug] [--only single|threads]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUILD_STD, PATH, threadsEnv, WASM_BINDGEN_VERSION } from './toolchain.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const debug = args.includes('--debug');
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

const builds = {
  single: { env: { CARGO_TARGET_DIR: join(root, 'target') }, extra: [] },
  threads: { env: threadsEnv(root), extra: BUILD_STD },
};

checkWasmBindgen();
for (const [name, b] of Object.entries(builds)) {
  if (only && only !== name) continue;
  const cargoArgs = ['build', '-p', 'daskling', '--lib', '--target', 'wasm32-unknown-unknown', ...b.extra];
  if (!debug) cargoArgs.push('--release');
  run('cargo', cargoArgs, b.env);
  const wasm = join(b.env.CARGO_TARGET_DIR, 'wasm32-unknown-unknown', profile, 'daskling.wasm');
  const out = join(root, 'dist', name);
  rmSync(out, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--weak-refs', '--out-dir', out, '--out-name', 'daskling', wasm]);
}
mkdirSync(join(root, 'dist'), { recursive: true });
for (const f of ['index.js', 'index.d.ts', 'worker.js']) {
  cpSync(join(root, 'crate', 'js', f), join(root, 'dist', f));
}
console.log(`built dist/ (${profile})`);
