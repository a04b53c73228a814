// Every test, in order: lint, native Rust, wasm in Chromium (single and threaded builds),
// the package build, and the end-to-end page tests. Stops at the first failing step.
// `--quick` (npm run test:quick): lint, the generated files, native tests (no doctests) and one browser
// run (the kernels' tests in Chromium) — an answer in a minute or two on a warm build.
import { spawnSync } from 'node:child_process';
import { readdirSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PATH } from '../crate/wasm/js/toolchain.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const e2eFiles = readdirSync(join(root, 'tests'))
  .filter((f) => f.endsWith('.test.mjs'))
  .map((f) => join('tests', f));

const quick = process.argv.includes('--quick');
const generated = ['generated files equal the operation tables (else: npm run gen)', 'node', ['crate/wasm/js/gen.mjs', '--check']];
const lint = [
  ['eslint', 'npx', ['eslint', '.']],
  ['cargo fmt', 'cargo', ['fmt', '--check']],
];
const quickSteps = [
  ...lint,
  ['clippy (native)', 'cargo', ['clippy', '--workspace', '--all-targets', '--', '-D', 'warnings']],
  generated,
  // The full run's fuzzing (20,000 inputs per target) and doctests stay out of it.
  ['native tests (every crate; no doctests, 1,000 fuzz inputs per target)', 'cargo', ['test', '--workspace', '--lib', '--tests'], { DASKLING_FUZZ_CASES: '1000' }],
  ['browser smoke test: the kernels crate in headless Chromium', 'wasm-pack', ['test', '--headless', '--chrome', 'crate/kernels']],
];
const allSteps = [
  ...lint,
  generated,
  ['TypeScript declarations (tsc --strict on a consumer of every API call)', 'npx', ['tsc', '-p', 'tests/types']],
  ['clippy (native)', 'cargo', ['clippy', '--workspace', '--all-targets', '--', '-D', 'warnings']],
  ['clippy (wasm)', 'cargo', ['clippy', '--workspace', '--lib', '--target', 'wasm32-unknown-unknown', '--', '-D', 'warnings']],
  ['native tests (every crate, doctests included)', 'cargo', ['test', '--workspace']],
  ['wasm-pack test --headless --chrome, every crate (single build)', 'node', ['tests/wasm-pack.mjs', 'single']],
  ['wasm-pack test --headless --chrome, threaded build (rayon on Web Workers)', 'node', ['tests/wasm-pack.mjs', 'threads']],
  ['build the package (both wasm builds)', 'node', ['crate/wasm/js/build.mjs']],
  ['build the package with its test hooks (target/hooks/dist: the supervision tests)', 'node', ['crate/wasm/js/build.mjs', '--hooks']],
  ["build the workshop page's libraries", 'node', ['www/build.mjs']],
  ['build the static site (site/)', 'node', ['www/site.mjs']],
  ['native reference command (release)', 'cargo', ['build', '--release', '-p', 'daskling', '--bin', 'daskling']],
  ['end-to-end tests in Chromium', 'node', ['--test', '--test-concurrency=1', ...e2eFiles]],
];
const steps = quick ? quickSteps : allSteps;

// A fresh clone's build output is ~4 GB (debug and release, native and three wasm
// builds): say so up front rather than fail later with "No space left on device".
const { bavail, bsize } = statfsSync(root);
const freeGb = (bavail * bsize) / 2 ** 30;
if (freeGb < 5) console.warn(`\x1b[33mwarning: ${freeGb.toFixed(1)} GiB free on this disk; the build needs ~4 GiB\x1b[0m`);

const results = [];
for (const [name, cmd, args, env = {}] of steps) {
  console.log(`\n\x1b[1m=== ${name}\x1b[0m`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, PATH, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: r.status === 0, secs });
  if (r.status !== 0) break;
}
console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.secs} s)`);
const failed = results.filter((r) => !r.ok).length;
const skipped = steps.length - results.length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
