// The page's controls for keeping work across reloads: the notebook's toolbar (*Reset all*,
// *Download notebook*, *Open notebook*; edits saved as typed: saved.js) and the Data
// panel's "keep these files" with its storage line (kept.js).
import { loadedEntries, addFiles, formatBytes, onFilesChanged } from './data.js';
import { canKeep, forgetKept, keepFiles, keptFiles } from './kept.js';
import { codeOfIpynb, dropEdits, flushEdits, toIpynb } from './saved.js';

const $ = (id) => document.getElementById(id);

/** Saves a Blob as a file named `name`. */
function download(blob, name) {
  const a = Object.assign(document.createElement('a'), { download: name, href: URL.createObjectURL(blob) });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

/** The toolbar's notebook buttons, for `notebook` built from `specs`. */
export function wireNotebookFile(notebook, specs) {
  $('reset-all').onclick = async () => {
    notebook.resetAll();
    await dropEdits();
  };
  $('download-notebook').onclick = async () => {
    await flushEdits();
    const nb = JSON.stringify(toIpynb(specs, notebook.cells), null, 1);
    download(new Blob([nb], { type: 'application/x-ipynb+json' }), 'daskling-workshop.ipynb');
  };
  $('open-notebook').onchange = async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      notebook.setCode(codeOfIpynb(JSON.parse(await file.text()), specs));
      $('status').dataset.error = 'false';
    } catch (err) {
      $('status').textContent = err.message;
      $('status').dataset.error = 'true';
    }
  };
}

/** "keep these files" and the storage line; restores the files kept before the reload. */
export async function wireKeptFiles() {
  const keep = $('keep');
  const line = $('storage-text');
  if (!canKeep()) {
    keep.disabled = true;
    line.textContent = 'this browser cannot keep files (no origin-private file system)';
    return;
  }
  let keeping = Promise.resolve();
  const update = async () => {
    const kept = await keptFiles();
    const bytes = kept.reduce((s, f) => s + f.size, 0);
    const est = await navigator.storage.estimate?.().catch(() => null);
    line.dataset.kept = String(kept.length);
    line.textContent = kept.length
      ? `${kept.length} files kept (${formatBytes(bytes)}) in this browser` +
        (est?.quota ? `; the site uses ${formatBytes(est.usage ?? 0)} of ${formatBytes(est.quota)}` : '')
      : 'no files kept: a reload forgets picked files';
  };
  const later = (f) => {
    keeping = keeping.then(f).catch((e) => (line.textContent = `keeping files failed: ${e.message}`)).then(update);
    return keeping;
  };
  const kept = await keptFiles().catch(() => []);
  if (kept.length) {
    addFiles(kept);
    keep.checked = true;
  }
  keep.onchange = () => later(() => (keep.checked ? keepFiles(loadedEntries()) : forgetKept()));
  onFilesChanged(() => keep.checked && later(() => keepFiles(loadedEntries())));
  $('forget').onclick = () => {
    keep.checked = false;
    return later(forgetKept);
  };
  await update();
}
