// The workshop page: starts the Client, builds the notebook, wires the data panel and
// the progress bar. `window.client` and `window.notebook` are there for the console
// (and the page's tests).
import { Client, operations } from './dist/index.js';

import { addFiles, clearFiles, droppedFiles, files, formatBytes, generate, listFiles, onFilesChanged } from './src/data.js';
import { docsOf } from './src/complete.js';
import { cells } from './src/notebook.js';
import { buildNotebook } from './src/notebook-ui.js';
import { wireKeptFiles, wireNotebookFile } from './src/keeping.js';
import { loadEdits, saveEdit } from './src/saved.js';
import { image, plot } from './src/plot.js';
import { progressBar } from './src/progress.js';
import { taskStream } from './src/taskstream.js';
import { Scope } from './src/runner.js';

const $ = (id) => document.getElementById(id);

function showFiles() {
  const list = listFiles();
  const total = list.reduce((s, f) => s + f.size, 0);
  $('file-summary').textContent = list.length
    ? `${list.length} files, ${formatBytes(total)}`
    : 'no files loaded yet';
  const shown = list.slice(0, 200);
  $('file-list').replaceChildren(
    ...shown.map((f) => {
      const li = document.createElement('li');
      li.textContent = `${f.path} — ${formatBytes(f.size)}`;
      return li;
    }),
  );
  if (list.length > shown.length) {
    const li = document.createElement('li');
    li.textContent = `… and ${list.length - shown.length} more`;
    $('file-list').append(li);
  }
}

function wireData() {
  onFilesChanged(showFiles);
  showFiles();
  // Emptied after each pick, so picking the same files again (after Clear) adds them.
  for (const id of ['pick', 'pick-folder']) {
    $(id).onchange = (e) => {
      addFiles([...e.target.files]);
      e.target.value = '';
    };
  }
  $('clear').onclick = clearFiles;
  $('generate').onsubmit = async (e) => {
    e.preventDefault();
    const tickers = $('tickers').value.split(/[\s,]+/).filter(Boolean);
    const days = Number($('days').value);
    $('generate-status').textContent = 'generating…';
    try {
      const n = await generate({ tickers, days });
      $('generate-status').textContent = `${n} files generated`;
    } catch (err) {
      $('generate-status').textContent = err.message;
    }
  };
  const zone = document.body;
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  zone.addEventListener('dragleave', (e) => {
    if (e.target === document.body || !e.relatedTarget) document.body.classList.remove('dragging');
  });
  zone.addEventListener('drop', async (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    addFiles(await droppedFiles(e));
  });
}

/**
 * What runs, and on a single thread why: a page that is not cross-origin isolated gets
 * no SharedArrayBuffer (coi.js, on the static site, says why it could not isolate).
 */
function statusLine(client) {
  const isolation = globalThis.dasklingIsolation ?? {};
  const head = `threads: ${client.threads} · mode: ${client.mode} · crossOriginIsolated: ${globalThis.crossOriginIsolated === true}`;
  if (globalThis.crossOriginIsolated) return isolation.via ? `${head} (via ${isolation.via})` : head;
  const why = isolation.reason ?? 'the page is served without the COOP/COEP headers threads need';
  return `${head} · single-threaded: ${why}`;
}

async function main() {
  wireData();
  const kept = wireKeptFiles().catch((e) => ($('storage-text').textContent = `kept files unavailable: ${e.message}`));
  const client = await Client.start();
  window.client = client;
  $('status').textContent = statusLine(client);
  window.addEventListener('daskling-isolation', () => ($('status').textContent = statusLine(client)));
  $('status').dataset.threads = client.threads;
  $('status').dataset.mode = client.mode;

  // Every compute drives the progress bar (a row of its own while several run).
  const progress = progressBar($('progress'));
  const stream = taskStream($('task-stream'));
  window.taskStream = stream;
  const compute = client.compute.bind(client);
  client.compute = async (...args) => {
    let opts = {};
    const last = args.at(-1);
    if (last && typeof last === 'object' && !('client' in last)) opts = args.pop();
    const bar = progress.start();
    stream.start();
    let ok = false;
    try {
      const out = await compute(...args, {
        ...opts,
        taskStream: true,
        onProgress: (p) => {
          bar.update(p);
          stream.add(p.tasks);
          opts.onProgress?.(p);
        },
      });
      ok = true;
      return out;
    } finally {
      bar.finish(ok);
    }
  };

  let display = null;
  const scope = new Scope({
    client,
    files,
    plot,
    image,
    visualize: async (lazy) => {
      if (!lazy || typeof lazy.visualize !== 'function') throw new TypeError('visualize: expected a lazy value');
      const svg = await lazy.visualize();
      const div = document.createElement('div');
      div.className = 'graph';
      div.innerHTML = svg;
      return div;
    },
    display: (...values) => {
      for (const v of values) display?.(v);
    },
  });
  const notebook = buildNotebook($('cells'), cells, scope, {
    onDisplay: (f) => (display = f),
    docs: docsOf(operations()),
    edits: await loadEdits().catch(() => new Map()),
    onEdit: (cell, code, original) => saveEdit(cell.id, code, original),
  });
  wireNotebookFile(notebook, cells);
  window.notebook = notebook;
  window.scope = scope.vars;
  $('run-all').onclick = () => notebook.runAll();
  $('show-solutions').onclick = () => notebook.showSolutions();
  // Stop (or Escape): end Run all and interrupt the running computes, as Jupyter's
  // interrupt: they reject with AbortError and stop in place, and the kernel keeps what
  // earlier cells persisted (it restarts only for a task that never returns).
  const stop = () => {
    notebook.stop();
    client.interrupt('stopped from the page');
  };
  $('stop').onclick = stop;
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') stop();
  });
  await kept;
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  $('status').textContent = `failed to start: ${e?.message ?? e}`;
  $('status').dataset.error = 'true';
});
