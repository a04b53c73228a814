// Byte helpers shared by the workers' read paths.

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
