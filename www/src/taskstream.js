// The task stream, as dask's dashboard draws it: one lane per thread of the pool (one
// for the compute worker's own thread, which reads the files, and one per function
// worker, which runs JavaScript functions), one bar per task from its start to its end,
// colored by the task's key prefix. Drawn on a canvas while the compute runs, from the
// `tasks` of its progress reports.
import { FUNCTION_LANES } from '../dist/index.js';

const LANE = 18;
const LEFT = 90;

// Distinct colors (matplotlib's tab10), given to prefixes as they first appear; a prefix
// keeps its color across computes.
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const colors = new Map();

function colorOf(prefix) {
  let c = colors.get(prefix);
  if (!c) {
    const n = colors.size;
    // Past ten prefixes, the palette again, lighter.
    c = n < PALETTE.length ? PALETTE[n] : `${PALETTE[n % PALETTE.length]}99`;
    colors.set(prefix, c);
  }
  return c;
}

/** A lane's label: the compute worker's reads, a pool thread, or a function worker. */
function laneLabel(w) {
  if (w < 0) return 'reads';
  return w >= FUNCTION_LANES ? `function ${w - FUNCTION_LANES}` : `worker ${w}`;
}

export function taskStream(root) {
  const canvas = root.querySelector('canvas');
  const legend = root.querySelector('.legend');
  let events = [];
  let t0 = 0;
  let pending = false;

  function draw() {
    pending = false;
    const workers = [...new Set(events.map((e) => e.worker))].sort((a, b) => a - b);
    const dpr = window.devicePixelRatio || 1;
    const width = root.clientWidth || 800;
    const height = Math.max(1, workers.length) * LANE + 18;
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d');
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const end = events.reduce((m, e) => Math.max(m, e.end), t0 + 1);
    const span = end - t0;
    const x = (t) => LEFT + ((t - t0) / span) * (width - LEFT - 8);
    workers.forEach((w, lane) => {
      ctx.fillStyle = '#5b6476';
      ctx.fillText(laneLabel(w), 4, lane * LANE + LANE / 2);
      ctx.fillStyle = '#f3f5f8';
      ctx.fillRect(LEFT, lane * LANE + 2, width - LEFT - 8, LANE - 4);
    });
    const laneOf = new Map(workers.map((w, i) => [w, i]));
    for (const e of events) {
      const lane = laneOf.get(e.worker);
      ctx.fillStyle = colorOf(e.prefix);
      ctx.fillRect(x(e.start), lane * LANE + 3, Math.max(1, x(e.end) - x(e.start)), LANE - 6);
    }
    ctx.fillStyle = '#5b6476';
    ctx.fillText(`${span.toFixed(1)} ms`, width - 60, height - 8);
    const prefixes = [...new Set(events.map((e) => e.prefix))].slice(0, 16);
    legend.replaceChildren(
      ...prefixes.map((p) => {
        const s = document.createElement('span');
        s.innerHTML = '<i></i>';
        s.firstChild.style.background = colorOf(p);
        s.append(p);
        return s;
      }),
    );
    root.dataset.tasks = String(events.length);
    root.dataset.workers = String(workers.length);
  }

  return {
    /** A new compute: clears the stream. */
    start() {
      events = [];
      t0 = performance.timeOrigin + performance.now();
      root.dataset.tasks = '0';
    },
    add(tasks) {
      if (!tasks?.length) return;
      for (const t of tasks) events.push(t);
      if (!pending) {
        pending = true;
        requestAnimationFrame(draw);
      }
    },
    /** Events of the last compute (for tests). */
    get events() {
      return events;
    },
  };
}
