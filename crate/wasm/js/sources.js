// What readCsv accepts, as sources the worker can read: Files and Blobs, URLs, strings of
// the platform (paths in Node), in-memory `{name, data}`; and the sample of the first one.

let sourceCount = 0;
const blobIds = new WeakMap();

// The first read of a picked File's size is a synchronous stat in Chromium (~0.12 ms a
// file, on this thread; a File's first postMessage costs the same): 9,500 picked files
// take a second. Sizing yields to the event loop every SLICE_MS so the page stays
// responsive meanwhile.
const SLICE_MS = 50;

/** `{id, name, size, src}` of one source `readCsv` accepts (or a promise of a list). */
function sourceOf(host, item) {
  if (typeof Blob !== 'undefined' && item instanceof Blob) {
    if (!blobIds.has(item)) blobIds.set(item, `blob-${++sourceCount}`);
    return { id: blobIds.get(item), name: item.name ?? blobIds.get(item), size: item.size, src: { blob: item } };
  }
  if (typeof item === 'string' || item instanceof URL) return host.source(item);
  if (item && typeof item === 'object' && 'data' in item) {
    const bytes = typeof item.data === 'string' ? new TextEncoder().encode(item.data) : item.data;
    if (!(bytes instanceof Uint8Array)) throw new TypeError('readCsv: data must be a string or a Uint8Array');
    const id = `mem-${++sourceCount}`;
    return { id, name: item.name ?? id, size: bytes.length, src: { bytes } };
  }
  throw new TypeError(`readCsv: unsupported source ${item}`);
}

/** `[{id, name, size, src}]` of the sources `readCsv` accepts. */
export async function normalizeSources(host, source, method = 'readCsv') {
  const items =
    Array.isArray(source) || (typeof FileList !== 'undefined' && source instanceof FileList)
      ? Array.from(source)
      : [source];
  if (!items.length) throw new Error(`${method}: no files given`);
  const list = [];
  let sliceStart = performance.now();
  for (const item of items) {
    const s = sourceOf(host, item);
    // Handled in Promise.all below; until then a failed URL must not count as unhandled.
    if (s instanceof Promise) s.catch(() => {});
    list.push(s);
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      sliceStart = performance.now();
    }
  }
  return (await Promise.all(list)).flat();
}

/** Bytes `start..end` of a source (clamped to its size). */
export async function bytesOf(host, { size, src }, start, end) {
  end = Math.min(size, end);
  start = Math.min(Math.max(0, start), end);
  if (src.bytes) return src.bytes.subarray(start, end);
  if (src.blob) return new Uint8Array(await src.blob.slice(start, end).arrayBuffer());
  return host.range(src, start, end);
}

/** An HTTP(S) URL as a readCsv source (its size from a HEAD request). */
export async function urlSource(item, base) {
  const url = new URL(item, base).href;
  const head = await fetch(url, { method: 'HEAD' });
  if (!head.ok) throw new Error(`readCsv: ${url}: HTTP ${head.status}`);
  let size = Number(head.headers.get('content-length'));
  if (!Number.isFinite(size) || head.headers.get('content-length') === null) {
    size = (await (await fetch(url)).arrayBuffer()).byteLength;
  }
  // Whether the server says it answers range requests (readParquet reads a file whole
  // once when it does not, rather than once per column chunk).
  const ranges = head.headers.get('accept-ranges') === 'bytes';
  return [{ id: `url:${url}`, name: url, size, src: { url, ranges } }];
}

/**
 * Bytes `start..end` of a URL source (a range request; a server that ignores ranges
 * sends the whole body, from which the range is cut).
 */
export async function urlRange(src, start, end) {
  if (end <= start) return new Uint8Array(0);
  const r = await fetch(src.url, { headers: { Range: `bytes=${start}-${end - 1}` } });
  if (!r.ok) throw new Error(`${src.url}: HTTP ${r.status}`);
  const body = new Uint8Array(await r.arrayBuffer());
  return r.status === 206 ? body.subarray(0, end - start) : body.subarray(start, end);
}
