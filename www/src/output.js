// How a cell's values are shown: numbers, arrays (shape and a preview), Tables and
// Columns as HTML tables (truncated, with their size), lazy values as dask's reprs,
// elements (plots, graphs) as they are.
import { DArray, DataFrame, Delayed, Scalar, Series } from '../dist/index.js';

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
};

const ROWS = 10;

const ITEMS = 12;

/** A number as Python prints floats: integers with `.0` dropped, others with 6 digits. */
export function formatNumber(x) {
  if (typeof x !== 'number') return String(x);
  if (Number.isInteger(x)) return String(x);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'inf' : '-inf';
  return Number(x.toPrecision(8)).toString();
}

function formatValue(v, dtype) {
  if (v === null || v === undefined) return 'NaN';
  if (dtype === 'datetime') {
    if (!Number.isFinite(v)) return 'NaT';
    return new Date(v).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }
  // A bool column with a missing value comes as 1/0/NaN (pandas' nullable boolean).
  if (dtype === 'bool') return Number.isNaN(v) ? '<NA>' : v ? 'True' : 'False';
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

function table(header, rows, caption) {
  const t = el('table', { className: 'frame' });
  t.append(el('thead', {}, el('tr', {}, ...header.map((h) => el('th', { textContent: h })))));
  t.append(el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', { textContent: c }))))));
  return el('div', { className: 'table-wrap' }, t, el('p', { className: 'caption', textContent: caption }));
}

/** Row indices to show of `n`: the first ROWS/2 and last ROWS/2 when there are more. */
function shownRows(n) {
  if (n <= ROWS) return [...Array(n).keys()];
  const half = ROWS / 2;
  return [...Array(half).keys(), -1, ...Array.from({ length: half }, (_, i) => n - half + i)];
}

function isTable(v) {
  return v && typeof v === 'object' && Array.isArray(v.columns) && v.data && typeof v.length === 'number';
}
function isColumn(v) {
  return v && typeof v === 'object' && 'values' in v && 'dtype' in v && 'name' in v;
}
function isArrayResult(v) {
  return v && typeof v === 'object' && Array.isArray(v.shape) && v.data instanceof Float64Array;
}

function renderTable(t) {
  const cols = t.columns;
  const rows = shownRows(t.length).map((i) =>
    i < 0
      ? ['…', ...cols.map(() => '…')]
      : [t.index ? formatValue(t.index[i], t.indexDtype) : String(i), ...cols.map((c) => formatValue(t.data[c][i], t.dtypes[c]))],
  );
  return table(['', ...cols], rows, `${t.length} rows × ${cols.length} columns`);
}

function renderColumn(c) {
  const n = c.values.length;
  const rows = shownRows(n).map((i) =>
    i < 0 ? ['…', '…'] : [c.index ? formatValue(c.index[i], c.indexDtype) : String(i), formatValue(c.values[i], c.dtype)],
  );
  return table(['', c.name], rows, `Name: ${c.name}, Length: ${n}, dtype: ${c.dtype}`);
}

function renderArray(a) {
  const { shape, data } = a;
  const head = `array, shape (${shape.join(', ')}), float64`;
  if (shape.length === 2) {
    const [r, c] = shape;
    const ri = shownRows(r);
    const ci = c <= ITEMS ? [...Array(c).keys()] : [...Array(ITEMS - 1).keys(), -1, c - 1];
    const rows = ri.map((i) => [i < 0 ? '…' : String(i), ...ci.map((j) => (i < 0 || j < 0 ? '…' : formatNumber(data[i * c + j])))]);
    return table(['', ...ci.map((j) => (j < 0 ? '…' : String(j)))], rows, head);
  }
  const items = Array.from(data.subarray(0, ITEMS), formatNumber);
  if (data.length > ITEMS) items.push(`… (${data.length} values)`);
  return el('pre', { className: 'value', textContent: `${head}\n[${items.join(', ')}]` });
}

/** dask-like one-line descriptions of lazy values. */
function renderLazy(v) {
  let text;
  if (v instanceof DArray) {
    text = `daskling.array<${v.name}, shape=(${v.shape.join(', ')}), dtype=float64, chunksize=(${v.chunks
      .map((c) => Math.max(...c, 0))
      .join(', ')}), npartitions=${v.npartitions}>`;
  } else if (v instanceof DataFrame) {
    const cols = v.columns.map((c) => `${c}: ${v.dtypes[c]}`).join(', ');
    text = `daskling.DataFrame<npartitions=${v.npartitions}; ${cols}>`;
  } else if (v instanceof Series) {
    text = `daskling.Series<${v.name}, dtype=${v.dtype}>`;
  } else if (v instanceof Scalar) {
    text = 'daskling.Scalar<lazy number>';
  } else if (v instanceof Delayed) {
    text = `Delayed('${v.key}')`;
  }
  const repr = el('pre', { className: 'value lazy', textContent: `${text}\n(lazy: call compute() or visualize())` });
  if (v instanceof Delayed) return repr;
  const table = v instanceof DataFrame || v instanceof Series;
  return el('div', {}, repr, ...(table ? [downloads(v)] : []), exportAction(v));
}

/**
 * *Download CSV* / *Download Parquet* of a lazy frame or series: written on the pool
 * (`toCsv`, `toParquet`), then saved as a file.
 */
function downloads(v) {
  const button = (label, name, write) => {
    const b = el('button', { type: 'button', className: 'download', textContent: label });
    b.addEventListener('click', async () => {
      b.disabled = true;
      const was = b.textContent;
      b.textContent = `${label}: writing…`;
      try {
        const blob = await write();
        const a = el('a', { download: name, href: URL.createObjectURL(blob) });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
        b.textContent = was;
      } catch (e) {
        b.replaceWith(renderError(e));
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  return el(
    'div',
    { className: 'export-bar downloads' },
    button('Download CSV', 'daskling.csv', () => v.toCsv()),
    button('Download Parquet', 'daskling.parquet', () => v.toParquet()),
  );
}

/**
 * *Export to dask*: the lazy value as a dask script (toDask), shown with Copy and
 * Download; the files keep their names here (replace them with the cluster's paths, or
 * call `toDask({ sources })` in a cell).
 */
function exportAction(v) {
  const box = el('details', { className: 'export' }, el('summary', { textContent: 'Export to dask' }));
  box.addEventListener('toggle', () => {
    if (!box.open || box.querySelector('pre')) return;
    let script;
    try {
      script = v.toDask();
    } catch (e) {
      box.append(renderError(e));
      return;
    }
    const copy = el('button', { type: 'button', textContent: 'Copy' });
    copy.addEventListener('click', () => navigator.clipboard?.writeText(script));
    const download = el('a', { className: 'button', textContent: 'Download', download: 'daskling_dask.py' });
    download.href = URL.createObjectURL(new Blob([script], { type: 'text/x-python' }));
    const how = el('p', {
      className: 'hint',
      textContent:
        'Run it next to a cluster: `dask scheduler`, then `dask worker tcp://HOST:8786` on each machine, then ' +
        '`DASK_SCHEDULER_ADDRESS=tcp://HOST:8786 python daskling_dask.py` (the values end up in `result`).',
    });
    box.append(el('div', { className: 'export-bar' }, copy, download), how, el('pre', { className: 'script', textContent: script }));
  });
  return box;
}

function plain(v) {
  return JSON.stringify(
    v,
    (_, x) => {
      if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${x.length})`;
      if (x instanceof Map) return Object.fromEntries(x);
      if (x instanceof Set) return [...x];
      if (typeof x === 'bigint') return `${x}n`;
      return x;
    },
    2,
  );
}

/** A DOM node showing `v`. */
export function render(v) {
  if (v instanceof Node) return v;
  if (v instanceof DArray || v instanceof DataFrame || v instanceof Series || v instanceof Scalar || v instanceof Delayed) {
    return renderLazy(v);
  }
  if (isTable(v)) return renderTable(v);
  if (isColumn(v)) return renderColumn(v);
  if (isArrayResult(v)) return renderArray(v);
  // A typed array (a slice of a result's data) shows as the 1-d array it is.
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return renderArray({ shape: [v.length], data: Float64Array.from(v, Number) });
  if (typeof v === 'number') return el('pre', { className: 'value', textContent: formatNumber(v) });
  if (typeof v === 'string') return el('pre', { className: 'value', textContent: v });
  if (Array.isArray(v) && v.length && v.length <= 8 && v.some((x) => x && typeof x === 'object')) {
    return el('div', { className: 'many' }, ...v.map(render));
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
    return el('pre', { className: 'value', textContent: `[${v.map(formatNumber).join(', ')}]` });
  }
  return el('pre', { className: 'value', textContent: plain(v) ?? String(v) });
}

/** An error, in red, with its message (and the stack's first lines for thrown errors). */
export function renderError(e) {
  const text = e instanceof Error ? `${e.name === 'Error' ? 'Error' : e.name}: ${e.message}` : `Error: ${String(e)}`;
  return el('pre', { className: 'error', textContent: text });
}
