// The notebook keeps its work: every edit of a code cell is saved as it is typed (in
// IndexedDB, by cell id) and restored on reload; a cell's or every cell's edits can be
// dropped (back to the workshop's text); and the notebook travels as a Jupyter file
// (nbformat 4, JavaScript cells, outputs as text and PNG) that JupyterLab opens.

const DB = 'daskling-notebook';
const STORE = 'edits';

let db = null;

/** The database, opened once; `null` where IndexedDB is unavailable (the page still runs). */
function open() {
  if (db) return db;
  db = new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
  });
  return db;
}

async function tx(mode, f) {
  const d = await open();
  if (!d) return undefined;
  return new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode);
    const req = f(t.objectStore(STORE));
    t.oncomplete = () => resolve(req?.result);
    t.onerror = () => reject(t.error);
  });
}

/** The saved edits: `Map(cell id → code)`. */
export async function loadEdits() {
  const out = new Map();
  const d = await open();
  if (!d) return out;
  await new Promise((resolve, reject) => {
    const t = d.transaction(STORE, 'readonly');
    const req = t.objectStore(STORE).openCursor();
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return;
      out.set(c.key, c.value);
      c.continue();
    };
    t.oncomplete = resolve;
    t.onerror = () => reject(t.error);
  });
  return out;
}

/** Saves waiting for a pause in typing: cell id → `{timer, run}`. */
const pending = new Map();

/**
 * Saves cell `id`'s `code` after a short pause in typing (the last text wins); code equal
 * to the workshop's `original` removes the edit.
 */
export function saveEdit(id, code, original) {
  clearTimeout(pending.get(id)?.timer);
  const run = () => {
    pending.delete(id);
    return tx('readwrite', (s) => (code === original ? s.delete(id) : s.put(code, id))).catch(() => {});
  };
  pending.set(id, { timer: setTimeout(run, 250), run });
}

/** Saves what is waiting, at once. */
export function flushEdits() {
  return Promise.all(
    [...pending.values()].map(({ timer, run }) => {
      clearTimeout(timer);
      return run();
    }),
  );
}

/** Drops cell `id`'s edit, or every edit when `id` is undefined. */
export function dropEdits(id) {
  const ids = id === undefined ? [...pending.keys()] : [id];
  for (const k of ids) {
    clearTimeout(pending.get(k)?.timer);
    pending.delete(k);
  }
  return tx('readwrite', (s) => (id === undefined ? s.clear() : s.delete(id)));
}

/** A cell's source as nbformat keeps it: lines, each but the last ending in `\n`. */
const lines = (text) => text.split(/(?<=\n)/);

/** A cell output's text and PNGs (the plots' canvases), as nbformat outputs. */
function outputsOf(cell) {
  if (!cell.out || cell.status === 'idle') return [];
  const out = [];
  const text = cell.out.innerText ?? cell.out.textContent ?? '';
  const data = {};
  if (text.trim()) data['text/plain'] = lines(text);
  const png = [...cell.out.querySelectorAll('canvas')].map((c) => c.toDataURL('image/png').replace(/^data:image\/png;base64,/, ''));
  if (png.length) data['image/png'] = png[0];
  if (cell.status === 'error') {
    out.push({ output_type: 'error', ename: 'Error', evalue: cell.error ?? text, traceback: lines(text) });
  } else if (Object.keys(data).length) {
    out.push({ output_type: 'display_data', data, metadata: {} });
  }
  return out;
}

/**
 * The notebook as a Jupyter notebook: `specs` (the workshop's cells, markdown and code)
 * with the code of `cells` as it is now (by id) and their outputs.
 */
export function toIpynb(specs, cells) {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const nb = [];
  for (const spec of specs) {
    if (spec.md) {
      nb.push({ cell_type: 'markdown', metadata: {}, source: lines(spec.md) });
      continue;
    }
    const cell = byId.get(spec.id);
    const code = cell?.editor ? cell.editor.state.doc.toString() : (spec.code ?? '');
    nb.push({
      cell_type: 'code',
      execution_count: null,
      metadata: { daskling: { id: spec.id } },
      source: lines(code),
      outputs: cell ? outputsOf(cell) : [],
    });
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'javascript', display_name: 'JavaScript', language: 'javascript' },
      language_info: { name: 'javascript', file_extension: '.js', mimetype: 'text/javascript' },
      daskling: { version: 1 },
    },
    cells: nb.map((c, i) => ({ id: `cell-${i}`, ...c })),
  };
}

/**
 * The code cells' text of a Jupyter notebook: `Map(cell id → code)`, by the ids this page
 * wrote; a notebook from elsewhere gives its code cells to the workshop's in order.
 */
export function codeOfIpynb(nb, specs) {
  if (!nb || typeof nb !== 'object' || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new Error('Open notebook: not a Jupyter notebook (nbformat 4)');
  }
  const text = (s) => (Array.isArray(s) ? s.join('') : String(s ?? ''));
  const code = nb.cells.filter((c) => c.cell_type === 'code');
  const ids = specs.filter((s) => !s.md).map((s) => s.id);
  const out = new Map();
  code.forEach((c, i) => {
    const id = c.metadata?.daskling?.id ?? ids[i];
    if (id !== undefined) out.set(id, text(c.source));
  });
  return out;
}
