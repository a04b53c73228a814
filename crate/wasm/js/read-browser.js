// Reading dataframe sources synchronously in a browser worker (the compute worker, and
// its reader workers): FileReaderSync for Files and Blobs, synchronous range requests for
// URLs. The parts of one read task — a run of small files, or a block of a large one —
// are joined into one Blob and read in one call (each call is a round trip to the
// browser's blob store: one per 16 MB partition, not one per small file).

import { joinBytes } from './bytes.js';

function readUrl(url, start, end) {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, false);
  xhr.responseType = 'arraybuffer';
  xhr.setRequestHeader('Range', `bytes=${start}-${end - 1}`);
  xhr.send();
  if (xhr.status === 206) return new Uint8Array(xhr.response);
  if (xhr.status === 200) return new Uint8Array(xhr.response).subarray(start, end);
  throw new Error(`HTTP ${xhr.status} for ${url}`);
}

const readBlob = (blob) => new Uint8Array(new FileReaderSync().readAsArrayBuffer(blob));

// A whole File is used as it is: each `slice` registers a new blob with the browser (a
// round trip), which for a run of 650 small files costs more than reading them.
const range = (blob, start, end) => (start === 0 && end >= blob.size ? blob : blob.slice(start, end));

/** Bytes `start..end` of a {blob} or {url} source. */
export function readSource(s, start, end) {
  if (s.blob) return readBlob(range(s.blob, start, end));
  return readUrl(s.url, start, end);
}

/** The bytes of `[[src, start, end], …]` ({blob} or {url} sources), joined. */
export function readParts(parts) {
  if (parts.every(([s]) => s.blob)) return readBlob(new Blob(parts.map(([s, a, b]) => range(s.blob, a, b))));
  return joinBytes(parts.map(([s, a, b]) => readSource(s, a, b)));
}
