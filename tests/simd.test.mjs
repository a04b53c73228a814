// The threaded build's two modules in Node: the probe that picks the relaxed SIMD one is
// a valid module exactly where relaxed SIMD is (checked in a Node with the feature turned
// on, and broken on purpose), and the client reports and runs the module it loaded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { Client } from '../dist/node.js';
import { hasRelaxedSimd, RELAXED_PROBE } from '../dist/worker-core.js';

/** `WebAssembly.validate(bytes)` in a fresh Node with relaxed SIMD on. */
function validateWithRelaxed(bytes) {
  const code = `process.stdout.write(String(WebAssembly.validate(new Uint8Array(${JSON.stringify(Array.from(bytes))}))))`;
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('the relaxed SIMD probe is a valid module that needs relaxed SIMD', () => {
  assert.equal(validateWithRelaxed(RELAXED_PROBE), 'true');
  // Its last instruction (f64x2.relaxed_madd, 0xfd 0x87 0x02) replaced by an opcode no
  // proposal defines: invalid, so validation reads the bytes we think it does.
  const broken = Uint8Array.from(RELAXED_PROBE);
  broken.set([0xfd, 0xff, 0x0f], broken.length - 4);
  assert.equal(validateWithRelaxed(broken), 'false');
});

test('a Node client loads the module its engine runs and multiplies exactly', async (t) => {
  for (const relaxedSimd of [true, false]) {
    const client = await Client.start({ threads: 2, relaxedSimd });
    t.after(() => client.close());
    assert.equal(client.mode, 'threads');
    assert.equal(client.simd, relaxedSimd && hasRelaxedSimd() ? 'relaxed' : 'simd128');
    // x: 30 x 24 small integers in 10 x 6 blocks (4 along the shared axis): exact sums.
    const [m, k] = [30, 24];
    const x = Float64Array.from({ length: m * k }, (_, i) => ((i * 31) % 7) - 3);
    const xa = client.array.fromArray(x, { shape: [m, k], chunks: [10, 6] });
    const got = await xa.dot(xa.T).compute();
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += x[i * k + l] * x[j * k + l];
        assert.equal(got.data[i * m + j], s, `[${i}, ${j}] with relaxedSimd: ${relaxedSimd}`);
      }
    }
  }
});
