// One table of operations: the kernels' name tables and the families of
// crate/daskling/src/operations.rs (wasm `operations()`) give every operation method of
// the package. The generated files (ops.js, the operations region of index.d.ts, the
// reference in docs/API.md) must be what the tables give now — run `npm run gen` after
// changing a table — and every row must be a working method of its class, declared in
// index.d.ts. Also: no method is attached through prototype loops, so an editor or grep
// finds each one.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { initSync, operations } from '../dist/single/daskling.js';
import { DArray, DataFrame, Scalar, Series, SeriesGroupBy } from '../dist/node.js';
import { DatetimeAccessor, Rolling, StringAccessor } from '../dist/dataframe.js';
import { generate, root } from '../crate/wasm/js/gen.mjs';

initSync({ module: readFileSync(join(root, 'dist', 'single', 'daskling_bg.wasm')) });
const table = operations();
const committed = (p) => readFileSync(join(root, p), 'utf8');

test('the generated files are what the operation tables give (else: npm run gen)', () => {
  for (const [path, text] of Object.entries(generate(table, committed))) {
    assert.ok(committed(path) === text, `${path} differs from the operation tables: run \`npm run gen\``);
  }
});

test('the package ships the generated ops.js', () => {
  assert.equal(readFileSync(join(root, 'dist', 'ops.js'), 'utf8'), committed('crate/wasm/js/ops.js'));
});

test('operations() lists every name table, each with names and docs', () => {
  const names = Object.keys(table.tables);
  for (const t of ['UnaryFn', 'BinaryOp', 'ReduceOp', 'SeriesReduce', 'LogicalOp', 'GroupAgg', 'DtField', 'RoundMode', 'Dtype', 'Kind']) {
    assert.ok(names.includes(t), `operations().tables.${t}`);
    const rows = table.tables[t];
    assert.ok(rows.length >= 2, `${t}: ${rows.length} rows`);
    assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, `${t}: names distinct`);
    for (const r of rows) assert.ok(r.doc.length > 3, `${t}.${r.name} has a doc`);
  }
  // A family has a method per row of its table, or per row of a part of it (a Series has
  // the operators of BinaryOp, an array also its functions), in the table's order ...
  for (const f of table.families) {
    const methods = f.methods.map((m) => m.name);
    const rows = table.tables[f.table].map((r) => r.name);
    assert.ok(methods.length > 0, `${f.class}: the ${f.table} family has methods`);
    assert.deepEqual(methods, rows.filter((r) => methods.includes(r)), `${f.class}: the ${f.table} family's methods are rows of its table`);
  }
  // ... and every row of a table is a method of some class.
  for (const [t, rows] of Object.entries(table.tables)) {
    const families = table.families.filter((f) => f.table === t);
    if (families.length === 0) continue;
    for (const r of rows) assert.ok(families.some((f) => f.methods.some((m) => m.name === r.name)), `${t}.${r.name} is a method`);
  }
});

/** The members declared in the `.d.ts` class `name` and its generated `<name>Ops`. */
function declared(dts, name) {
  const members = new Set();
  for (const head of [`export declare class ${name} `, `declare abstract class ${name}Ops `]) {
    const start = dts.indexOf(head);
    if (start < 0) continue;
    const body = dts.slice(start, dts.indexOf('\n}\n', start));
    for (const m of body.matchAll(/^ {2}(?:readonly )?(\w+)[(:]/gm)) members.add(m[1]);
  }
  return members;
}

const classes = { DArray, DataFrame, Series, Scalar, SeriesGroupBy, DatetimeAccessor, StringAccessor, Rolling };

test('every row is a method (or getter) of its JS class and declared in index.d.ts', () => {
  const dts = committed('crate/wasm/js/index.d.ts');
  for (const f of table.families) {
    const cls = classes[f.class];
    assert.ok(cls, `the package exports ${f.class}`);
    const types = declared(dts, f.class);
    for (const m of f.methods) {
      const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(cls.prototype), m.name);
      assert.ok(d, `${f.class}.${m.name} is defined (in ${f.class}Ops)`);
      assert.equal(typeof (f.shape === 'getter' ? d.get : d.value), 'function', `${f.class}.${m.name}`);
      assert.ok(types.has(m.name), `index.d.ts: ${f.class}.${m.name}`);
    }
  }
});

test('a generated method calls its family with its name and arguments', () => {
  const calls = [];
  const record = (cls, call) =>
    class extends cls {
      constructor() {
        super(null, null);
      }
      [call](...args) {
        calls.push(args);
        return 'ok';
      }
    };
  const D = record(DArray, '_binary');
  assert.equal(new D().pow(3), 'ok');
  assert.deepEqual(calls.pop(), ['pow', 3]);
  const S = record(Series, '_reduce');
  assert.equal(new S().std({ ddof: 0 }), 'ok');
  assert.deepEqual(calls.pop(), ['std', { ddof: 0 }]);
  const A = record(DatetimeAccessor, '_field');
  assert.equal(new A().dayofweek, 'ok');
  assert.deepEqual(calls.pop(), ['dayofweek']);
});

test('no package module attaches methods through prototype loops', () => {
  const dir = join(root, 'crate', 'wasm', 'js');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(src, /\.prototype\[/, `${f} sets methods through prototype[...]`);
  }
});
