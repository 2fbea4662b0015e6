// Pieces of bytes as one new array (a body read in chunks, a reply, a line cut across chunks). Pure.

/** `pieces` copied end to end into a new array; `size`, when the caller counted it, saves a pass. */
export function joinBytes(pieces: readonly Uint8Array[], size?: number): Uint8Array<ArrayBuffer> {
  let total = size;
  if (total === undefined) {
    total = 0;
    for (const piece of pieces) total += piece.length;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
