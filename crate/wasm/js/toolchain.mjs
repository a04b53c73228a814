// Build settings shared by the package build (build.mjs) and the test runner.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** wasm-bindgen-cli must equal the wasm-bindgen crate pinned in crate/Cargo.toml. */
export const WASM_BINDGEN_VERSION = '0.2.130';

/**
 * The flags of every wasm build, from `.cargo/config.toml` (which cargo and wasm-pack
 * read themselves; RUSTFLAGS replaces them, so the threaded build lists them again).
 */
export const WASM_RUSTFLAGS = (() => {
  const config = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.cargo', 'config.toml');
  const list = readFileSync(config, 'utf8').match(/^rustflags = (\[.*\])$/m);
  if (!list) throw new Error(`${config}: no \`rustflags = [...]\` line`);
  return JSON.parse(list[1]).join(' ');
})();

/**
 * RUSTFLAGS of the threaded wasm build, beyond WASM_RUSTFLAGS. Beyond atomics, the linker must be told to share
 * and import memory and export the TLS symbols; without these the build succeeds but
 * starting the pool fails with `DataCloneError: #<Memory> could not be cloned`.
 */
export const THREAD_RUSTFLAGS = [
  '-C target-feature=+atomics,+bulk-memory,+mutable-globals',
  '-C link-arg=--shared-memory',
  '-C link-arg=--max-memory=4294967296',
  '-C link-arg=--import-memory',
  '-C link-arg=--export=__wasm_init_tls',
  '-C link-arg=--export=__tls_size',
  '-C link-arg=--export=__tls_align',
  '-C link-arg=--export=__tls_base',
].join(' ');

/**
 * Environment of a threaded build: build-std needs unstable cargo features, which the
 * stable toolchain allows with RUSTC_BOOTSTRAP in cargo's own environment. `relaxed`
 * adds relaxed SIMD (`f64x2.relaxed_madd`, a fused multiply-add where the CPU has one, in
 * the block product's microkernel), in a target directory of its own.
 */
export function threadsEnv(root, { relaxed = false } = {}) {
  return {
    RUSTFLAGS: `${WASM_RUSTFLAGS} ${THREAD_RUSTFLAGS} ${UNWIND_RUSTFLAGS} ${relaxed ? '-C target-feature=+relaxed-simd' : ''}`,
    RUSTC_BOOTSTRAP: '1',
    CARGO_TARGET_DIR: join(root, 'target', relaxed ? 'relaxed' : 'threads'),
  };
}

/**
 * The threaded build unwinds panics (wasm exception handling): a panicking task becomes
 * that task's error instead of a trap that restarts the kernel. `DASKLING_PANIC=abort`
 * builds it aborting instead, to measure what unwinding costs.
 */
const UNWIND = process.env.DASKLING_PANIC !== 'abort';
export const UNWIND_RUSTFLAGS = UNWIND ? '-C panic=unwind -C target-feature=+exception-handling' : '';

/** The std crates the threaded build rebuilds, with atomics (and unwinding). */
export const BUILD_STD_CRATES = `${UNWIND ? 'panic_unwind' : 'panic_abort'},std`;

/** Cargo's arguments that rebuild std for the threaded build. */
export const BUILD_STD = ['-Z', `build-std=${BUILD_STD_CRATES}`];

/** PATH with cargo-installed tools (wasm-bindgen, its test runner) first. */
export const PATH = `${join(homedir(), '.cargo', 'bin')}:${process.env.PATH}`;
