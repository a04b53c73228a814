// The page's files: picked (several at once), dropped (files or whole folders), or
// generated (the workshop's minute stock data). Cells get them with files(prefix).
import { generateSample, globMatch } from '../dist/index.js';

/** Loaded files by path (`minute/hp/2012-05-01.csv`). */
const loaded = new Map();
const listeners = new Set();

function changed() {
  for (const f of listeners) f();
}

export function onFilesChanged(f) {
  listeners.add(f);
}

/** Adds File objects, each under its path (a folder's relative path when it has one). */
export function addFiles(list) {
  for (const f of list) loaded.set(f.webkitRelativePath || f.relativePath || f.name, f);
  changed();
}

export function clearFiles() {
  loaded.clear();
  changed();
}

/** [{path, file}] of the loaded files. */
export function loadedEntries() {
  return [...loaded.entries()].map(([path, file]) => ({ path, file }));
}

/** [{path, size}] of the loaded files, sorted by path. */
export function listFiles() {
  return [...loaded.entries()].map(([path, f]) => ({ path, size: f.size })).sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The loaded files whose path contains `pattern` (a plain substring, or a glob such as
 * `minute/hp/*.csv` matched as readCsv matches globs, against the path or its end),
 * sorted by path: what readCsv takes.
 */
export function files(pattern = '') {
  const glob = /[*?[]/.test(pattern);
  const matches = (path) => globMatch(pattern, path) || globMatch(`**/${pattern}`, path);
  const out = [...loaded.entries()]
    .filter(([path]) => (glob ? matches(path) : path.includes(pattern)))
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([, f]) => f);
  if (!out.length) {
    throw new Error(
      `no loaded file matches ${JSON.stringify(pattern)}: generate sample data or pick files above` +
        (loaded.size ? ` (loaded: ${listFiles().slice(0, 3).map((f) => f.path).join(', ')}…)` : ''),
    );
  }
  return out;
}

/** Generates the workshop's data: one CSV per weekday per ticker, under minute/<ticker>/. */
export async function generate({ tickers, days, seed = 0 }) {
  const gen = await generateSample({ tickers, days, seed });
  // Named by their path, so errors (and a native run over the same files) name it.
  addFiles(gen.map((f) => new File([f.data], f.name)));
  return gen.length;
}

/** Every File under a dropped entry (folders recursively), with its relative path. */
async function entryFiles(entry, prefix = '') {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [Object.assign(file, { relativePath: `${prefix}${file.name}` })];
  }
  const reader = entry.createReader();
  const out = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const e of batch) out.push(...(await entryFiles(e, `${prefix}${entry.name}/`)));
  }
  return out;
}

/** Files of a drop event: folders are walked. */
export async function droppedFiles(event) {
  const items = [...(event.dataTransfer?.items ?? [])];
  const entries = items.map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...(event.dataTransfer?.files ?? [])];
  const all = await Promise.all(entries.map((e) => entryFiles(e)));
  return all.flat();
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
