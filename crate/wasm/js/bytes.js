// Byte helpers shared by the workers: joining read pieces, and the buffers a message
// can transfer rather than copy.

/** The Uint8Arrays `pieces`, joined into one. */
export function joinBytes(pieces) {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The buffers of the typed arrays in `values` (one value or a list: arrays `{shape,
 * data}`, Tables, Columns, bare typed arrays), to transfer with a message. Views of
 * shared memory are left out: they cannot be transferred.
 */
export function transferables(values) {
  const out = new Set();
  const shared = (b) => typeof SharedArrayBuffer !== 'undefined' && b instanceof SharedArrayBuffer;
  const add = (x) => {
    if (ArrayBuffer.isView(x) && !shared(x.buffer)) out.add(x.buffer);
  };
  for (const v of Array.isArray(values) ? values : [values]) {
    if (ArrayBuffer.isView(v)) add(v);
    else if (v && typeof v === 'object') {
      for (const x of [v.data, v.values, v.index]) add(x);
      if (v.data && !ArrayBuffer.isView(v.data) && typeof v.data === 'object') Object.values(v.data).forEach(add);
    }
  }
  return [...out];
}
