// `mapPartitions` and `apply`: a JavaScript function on every partition of a lazy frame
// or series (as dask's `map_partitions`), sent as its source text with its encoded extra
// arguments; the partition is the call's one dependency. The kernel makes what the
// function returns a partition of the declared `meta`.

import { encodeArgs } from './clone.js';
import { sourceOf } from './delayed.js';

/**
 * `meta` as `[series, names, dtypes]`: `[name, dtype]` a Series, `{column: dtype}` a
 * DataFrame, a dtype string a Series named `name`; none: the input's own columns.
 */
function metaOf(meta, input, name) {
  if (meta === undefined || meta === null) {
    if (input.kind === 'series') return [true, input.columns, input.dtypeList];
    return [false, input.columns, input.dtypeList];
  }
  if (typeof meta === 'string') return [true, [input.kind === 'series' ? input.columns[0] : name], [meta]];
  if (Array.isArray(meta) && meta.length === 2 && meta.every((x) => typeof x === 'string')) return [true, [meta[0]], [meta[1]]];
  if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
    const entries = Object.entries(meta);
    if (entries.every(([, t]) => typeof t === 'string')) return [false, entries.map(([c]) => c), entries.map(([, t]) => t)];
  }
  throw new TypeError(`mapPartitions(${name}): meta must be {column: dtype} (a DataFrame), [name, dtype] or a dtype (a Series)`);
}

/**
 * The handle of `fn` mapped over the partitions of `handle` (a lazy frame or series)
 * and whether it is a Series. `args` are extra arguments after the partition (plain
 * values); `name` names its tasks (default: the function's name).
 */
export function mapPartitionsHandle(handle, fn, { meta, args = [], name } = {}) {
  const fname = name ?? (fn?.name || 'lambda');
  const source = sourceOf(fn, fname);
  if (!Array.isArray(args)) throw new TypeError(`mapPartitions(${fname}): args must be an array`);
  const [series, names, dtypes] = metaOf(meta, handle, fname);
  const part = {};
  const deps = [];
  const bytes = encodeArgs([part, ...args], fname, { isLazy: (v) => v === part, deps });
  return { series, handle: handle.mapPartitions(source, fname, bytes, series, names, dtypes) };
}

/** The function workers' side of `apply`: `fn` (source text) on every value of a Column. */
function applyEach(column, source) {
  const f = new Function(`"use strict"; return (${source});`)();
  return { values: Array.from(column.values, (v) => f(v)) };
}

/** `fn` on every value of the series `handle` (`meta`: the result's dtype or `[name, dtype]`). */
export function applyHandle(handle, fn, { meta } = {}) {
  const source = sourceOf(fn, fn?.name || 'lambda');
  const m = meta ?? [handle.columns[0], handle.dtypeList[0]];
  return mapPartitionsHandle(handle, applyEach, { meta: typeof m === 'string' ? [handle.columns[0], m] : m, args: [source], name: 'apply' }).handle;
}
