// The Rust tests in headless Chromium through wasm-pack, as a Rust developer runs them:
//   node tests/wasm-pack.mjs single    `wasm-pack test --headless --chrome` in every crate's
//                                      folder: each crate's unit and integration tests
//                                      (those needing files, processes or proptest are
//                                      gated to native targets)
//   node tests/wasm-pack.mjs threads   the threaded build's tests (web_threads.rs): atomics,
//                                      build-std, a rayon pool on Web Workers
// wasm-pack finds Debian's chromedriver and the pinned wasm-bindgen on PATH.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { BUILD_STD_CRATES, PATH, threadsEnv } from '../crate/wasm/js/toolchain.mjs';

const root = join(import.meta.dirname, '..');
const CRATES = ['core', 'kernels', 'graph', 'scheduler', 'daskling', 'wasm'];
const mode = process.argv[2];

// wasm-bindgen-test-runner gives a whole test binary 20 s in the browser by default;
// daskling's integration binary (100,000-operation chains in a debug build among its 40
// tests) takes 20-30 s on a loaded 2-core machine.
const TIMEOUT_S = '180';

function wasmPack(crate, extra = [], env = {}) {
  const args = ['test', '--headless', '--chrome', join('crate', crate), ...extra];
  console.log(`$ wasm-pack ${args.join(' ')}`);
  const r = spawnSync('wasm-pack', args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH, WASM_BINDGEN_TEST_TIMEOUT: TIMEOUT_S, ...env },
  });
  if (r.error) throw new Error(`wasm-pack could not start (${r.error.message}); npm test installs it (.ci/setup)`);
  return r.status === 0;
}

let ok;
if (mode === 'single') ok = CRATES.every((c) => wasmPack(c));
// wasm-pack runs `cargo build --tests` before `cargo test` and passes extra options to the
// second only, so build-std goes in cargo's environment (CARGO_UNSTABLE_BUILD_STD).
else if (mode === 'threads') ok = wasmPack('wasm', ['--test', 'web_threads'], { ...threadsEnv(root), CARGO_UNSTABLE_BUILD_STD: BUILD_STD_CRATES });
else throw new Error('usage: node tests/wasm-pack.mjs single|threads');
process.exit(ok ? 0 : 1);
