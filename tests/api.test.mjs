// One table of operations: the kernels' enums name every elementwise operation,
// reduction and aggregation (wasm `operations()`), and each name must be a method of the
// JavaScript class that offers it and be declared in index.d.ts — so Rust, JS and the
// types cannot drift apart. Also: every class method of the package is written out (no
// prototype loops), so an editor or grep finds it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { initSync, operations } from '../dist/single/daskling.js';
import { DArray, Series, SeriesGroupBy } from '../dist/node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
initSync({ module: readFileSync(join(root, 'dist', 'single', 'daskling_bg.wasm')) });
const table = operations();
const dts = readFileSync(join(root, 'crate', 'wasm', 'js', 'index.d.ts'), 'utf8');

/** The method names declared in the `.d.ts` class `name`. */
function declared(name) {
  const start = dts.indexOf(`export declare class ${name} `);
  assert.ok(start >= 0, `index.d.ts declares ${name}`);
  const body = dts.slice(start, dts.indexOf('\n}\n', start));
  return new Set([...body.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]));
}

const cases = [
  ['DArray', DArray, [...table.array.unary, ...table.array.binary, ...table.array.reductions]],
  ['Series', Series, [...table.series.binary, ...table.series.reductions]],
  ['SeriesGroupBy', SeriesGroupBy, table.groupby],
];

for (const [name, cls, ops] of cases) {
  test(`every ${name} operation of the kernels is a JS method and declared in index.d.ts`, () => {
    assert.ok(ops.length >= 7, `${name}: ${ops.length} operations`);
    const types = declared(name);
    for (const op of ops) {
      assert.equal(typeof cls.prototype[op], 'function', `${name}.prototype.${op}`);
      assert.ok(types.has(op), `index.d.ts: ${name}.${op}`);
    }
  });
}

test('no package module attaches methods through prototype loops', () => {
  const dir = join(root, 'crate', 'wasm', 'js');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(src, /\.prototype\[/, `${f} sets methods through prototype[...]`);
  }
});
