// plot(result, {x, y, kind, title, size}) — pandas' .plot() for daskling results, drawn with
// uPlot (canvas; made for long time series: 500,000 points redraw smoothly).
//   Column: x = its index (group keys or row numbers), y = its values
//   Table: x = column `x` (default: the index, else row numbers), y = column(s) `y`
//          (default: every numeric column)
//   {shape, data} of 1-d: x = positions; Float64Array / number[]: the same
//   {x: [...], y: [...]} as given
// kind: 'line' (default), 'scatter', 'bar', 'hist' (of the y values; `bins`, default 30).
// size: [width, height] in pixels (pandas' figsize); default the output's width × 300.
import { uPlot } from '../build/vendor.js';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

function numeric(values) {
  return values instanceof Float64Array ? values : Float64Array.from(values, Number);
}

/** `{x, ys: [{label, values}], time}` of what plot() accepts. */
function series(result, { x, y } = {}) {
  if (result && Array.isArray(result.columns) && result.data) {
    const t = result;
    const xs = x ? t.data[x] : (t.index ?? Float64Array.from({ length: t.length }, (_, i) => i));
    const names = y ? [y].flat() : t.columns.filter((c) => c !== x && ['float64', 'int64'].includes(t.dtypes[c]));
    if (!xs) throw new Error(`plot: no column ${x}`);
    return {
      x: numeric(xs),
      // Results name every column's dtype and the index's (indexDtype).
      time: (x ? t.dtypes[x] : t.index && t.indexDtype) === 'datetime',
      ys: names.map((n) => {
        if (!t.data[n]) throw new Error(`plot: no column ${n}`);
        return { label: n, values: numeric(t.data[n]) };
      }),
    };
  }
  if (result && 'values' in result && 'dtype' in result) {
    const xs = result.index ?? Float64Array.from({ length: result.values.length }, (_, i) => i);
    return { x: numeric(xs), time: Boolean(result.index) && result.indexDtype === 'datetime', ys: [{ label: result.name, values: numeric(result.values) }] };
  }
  if (result && 'x' in result && 'y' in result) {
    return { x: numeric(result.x), time: false, ys: [{ label: 'y', values: numeric(result.y) }] };
  }
  const values = result?.data instanceof Float64Array ? result.data : result;
  if (ArrayBuffer.isView(values) || Array.isArray(values)) {
    const v = numeric(values);
    return { x: Float64Array.from({ length: v.length }, (_, i) => i), time: false, ys: [{ label: 'value', values: v }] };
  }
  throw new TypeError('plot: expected a Column, a Table, an array result or {x, y}');
}

function histogram(values, bins) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return { x: new Float64Array(0), counts: new Float64Array(0) };
  const width = (hi - lo) / bins || 1;
  const counts = new Float64Array(bins);
  for (const v of values) {
    if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor((v - lo) / width))] += 1;
  }
  return { x: Float64Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * width), counts };
}

/** A plot element (uPlot in a div), sized to the output area. */
export function plot(result, { x, y, kind = 'line', title, bins = 30, size } = {}) {
  if (!['line', 'scatter', 'bar', 'hist'].includes(kind)) throw new Error(`plot: unknown kind ${kind}`);
  if (size !== undefined && !(Array.isArray(size) && size.length === 2 && size.every((n) => n > 0))) {
    throw new Error('plot: size is [width, height] in pixels');
  }
  const [width, height = 300] = size ?? [];
  let s = series(result, { x, y });
  if (kind === 'hist') {
    const h = histogram(s.ys[0].values, bins);
    s = { x: h.x, time: false, ys: [{ label: `${s.ys[0].label} (count)`, values: h.counts }] };
  }
  // uPlot wants x ascending, in seconds for time axes.
  const xs = s.time ? s.x.map((v) => v / 1000) : s.x;
  const bars = kind === 'bar' || kind === 'hist' ? uPlot.paths.bars({ size: [0.8, 60] }) : undefined;
  const opts = {
    title,
    width: width ?? Math.min(900, (document.querySelector('main')?.clientWidth ?? 900) - 40),
    height,
    scales: { x: { time: s.time } },
    series: [
      {},
      ...s.ys.map((ys, i) => ({
        label: ys.label,
        stroke: COLORS[i % COLORS.length],
        fill: bars ? `${COLORS[i % COLORS.length]}99` : undefined,
        width: kind === 'scatter' ? 0 : 1.5,
        paths: bars,
        points: { show: kind === 'scatter', size: 3 },
      })),
    ],
  };
  const div = document.createElement('div');
  div.className = 'plot';
  const chart = new uPlot(opts, [xs, ...s.ys.map((ys) => ys.values)], div);
  div.dataset.points = String(xs.length);
  div.chart = chart;
  return div;
}

/**
 * A computed 2-d array (`{shape, data}`) drawn as a grayscale image, its smallest value
 * black and its largest white, in a canvas (`size`: the longer side in pixels).
 */
export function image(result, { title, size = 360 } = {}) {
  const [rows, cols] = result?.shape ?? [];
  if (!(result?.data && result.shape.length === 2)) throw new TypeError('image: expected a computed 2-d array ({shape, data})');
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of result.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi > lo ? hi - lo : 1;
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  const scale = size / Math.max(rows, cols);
  canvas.style.width = `${Math.round(cols * scale)}px`;
  canvas.style.height = `${Math.round(rows * scale)}px`;
  const ctx = canvas.getContext('2d');
  const pixels = ctx.createImageData(cols, rows);
  result.data.forEach((v, k) => {
    const g = Math.round(((v - lo) / span) * 255);
    pixels.data.set([g, g, g, 255], k * 4);
  });
  ctx.putImageData(pixels, 0, 0);
  const figure = document.createElement('figure');
  figure.className = 'image';
  if (title) {
    const caption = document.createElement('figcaption');
    caption.textContent = title;
    figure.append(caption);
  }
  figure.append(canvas);
  return figure;
}
