// The notebook on the page: markdown cells rendered, code cells as CodeMirror editors
// (with completions of the scope's values: complete.js) with a run button, their wall
// time and their output.
import { EditorView, basicSetup, javascript, javascriptLanguage, keymap, marked, Prec } from '../build/vendor.js';
import { completionSource } from './complete.js';
import { render, renderError } from './output.js';

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
};

function formatMs(ms) {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Builds the cells into `root`; `scope.run(code)` runs one. Returns the notebook:
 * `{cells, run(cell), runAll(), stop(), showSolutions(), setCode(map), resetAll()}`; each
 * cell records `status` ('idle' | 'running' | 'ok' | 'error'), `result`, `error` and `ms`.
 * `edits` (cell id → code) replace the workshop's text; `onEdit(cell, code, original)`
 * hears every change of a cell's text (its *Reset* back to the workshop's included).
 */
export function buildNotebook(root, specs, scope, { onDisplay, docs = new Map(), edits = new Map(), onEdit } = {}) {
  const cells = [];
  // Completions of the scope's live values (see complete.js), beside the language's own.
  const completions = javascriptLanguage.data.of({ autocomplete: completionSource(scope, docs) });
  let queue = Promise.resolve();
  let stopped = false;

  const notebook = {
    cells,
    /** Runs a cell after any cell already running; resolves when it is done. */
    run(cell) {
      const next = queue.then(() => runNow(cell));
      queue = next.catch(() => {});
      return next;
    },
    async runAll() {
      stopped = false;
      for (const c of cells) {
        if (stopped) break;
        if (c.editor) await notebook.run(c);
      }
    },
    /** Ends Run all after the running cell (which the caller stops). */
    stop() {
      stopped = true;
    },
    showSolutions() {
      for (const c of cells) if (c.solution && !c.showing) c.toggle();
    },
    /** Replaces the text of the cells named in `codes` (cell id → code). */
    setCode(codes) {
      for (const c of cells) if (codes.has(c.id)) c.setCode(codes.get(c.id));
    },
    /** Every cell back to the workshop's text. */
    resetAll() {
      for (const c of cells) c.reset();
    },
  };

  async function runNow(cell) {
    cell.status = 'running';
    cell.el.dataset.status = 'running';
    cell.out.replaceChildren();
    cell.time.textContent = 'running…';
    const shown = [];
    onDisplay?.((v) => {
      shown.push(v);
      cell.out.append(render(v));
    });
    const t0 = performance.now();
    try {
      const code = cell.editor.state.doc.toString();
      const value = code.trim() ? await scope.run(code) : undefined;
      cell.result = value;
      cell.error = null;
      cell.status = 'ok';
      if (value !== undefined) cell.out.append(render(value));
    } catch (e) {
      cell.result = undefined;
      cell.error = e instanceof Error ? e.message : String(e);
      cell.status = 'error';
      cell.out.append(renderError(e));
    } finally {
      cell.ms = performance.now() - t0;
      cell.displayed = shown;
      cell.time.textContent = `Wall time: ${formatMs(cell.ms)}`;
      cell.el.dataset.status = cell.status;
      onDisplay?.(null);
    }
    return cell;
  }

  for (const spec of specs) {
    if (spec.md) {
      const div = el('section', { className: 'cell md' });
      div.innerHTML = marked.parse(spec.md);
      root.append(div);
      continue;
    }
    const cell = { id: spec.id, status: 'idle', result: undefined, error: null, ms: 0, expectError: !!spec.expectError };
    const runButton = el('button', { className: 'run', title: 'Run (Shift+Enter)', textContent: '▶' });
    cell.time = el('span', { className: 'time' });
    cell.out = el('div', { className: 'output' });
    const editorHost = el('div', { className: 'editor' });
    const bar = el('div', { className: 'cell-bar' }, runButton, cell.time);
    cell.el = el('section', { className: 'cell code' }, bar, editorHost, cell.out);
    if (spec.id) cell.el.id = `cell-${spec.id}`;
    cell.el.dataset.status = 'idle';
    const runKeys = Prec.highest(
      keymap.of([
        {
          key: 'Shift-Enter',
          run: () => {
            notebook.run(cell);
            return true;
          },
        },
      ]),
    );
    const original = spec.exercise ? '' : spec.code;
    const edited = (code) => {
      cell.el.dataset.edited = String(code !== original);
      onEdit?.(cell, code, original);
    };
    cell.editor = new EditorView({
      doc: edits.get(spec.id) ?? original,
      extensions: [
        basicSetup,
        javascript(),
        completions,
        runKeys,
        EditorView.lineWrapping,
        EditorView.updateListener.of((u) => u.docChanged && edited(u.state.doc.toString())),
      ],
      parent: editorHost,
    });
    cell.el.dataset.edited = String(cell.editor.state.doc.toString() !== original);
    cell.setCode = (text) => {
      const doc = cell.editor.state.doc;
      if (doc.toString() !== text) cell.editor.dispatch({ changes: { from: 0, to: doc.length, insert: text } });
    };
    const reset = el('button', { className: 'reset', title: 'Reset to the workshop', textContent: 'reset' });
    cell.reset = () => {
      if (cell.showing) cell.toggle();
      cell.setCode(original);
    };
    reset.onclick = cell.reset;
    bar.append(reset);
    runButton.onclick = () => notebook.run(cell);
    if (spec.solution) {
      cell.solution = spec.solution;
      cell.showing = false;
      let saved = '';
      const toggle = el('button', { className: 'solution', textContent: 'show solution' });
      cell.toggle = () => {
        const doc = cell.editor.state.doc;
        if (!cell.showing) saved = doc.toString();
        const text = cell.showing ? saved : spec.solution;
        cell.editor.dispatch({ changes: { from: 0, to: doc.length, insert: text } });
        cell.showing = !cell.showing;
        toggle.textContent = cell.showing ? 'hide solution' : 'show solution';
      };
      toggle.onclick = cell.toggle;
      bar.append(toggle);
      cell.el.classList.add('exercise');
    }
    cells.push(cell);
    root.append(cell.el);
  }
  return notebook;
}
