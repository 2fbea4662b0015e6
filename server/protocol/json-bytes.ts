// What the byte-level JSON scanners share (json-bounds.ts, json-pieces.ts): the structural bytes,
// the search for one byte, and where a string ends. Pure.

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;

/**
 * Where `byte` next occurs in the bytes being read, from `from` (-1 when it does not). The
 * runtime's fastest search can be passed in (platform/bytes.ts: on Node, Uint8Array's indexOf
 * is several times slower than Buffer's memchr); the default is Uint8Array's.
 */
export type ByteFinder = (byte: number, from: number) => number;

export const typedArrayFinder =
  (bytes: Uint8Array): ByteFinder =>
  (byte, from) =>
    bytes.indexOf(byte, from);

/** Index of the quote closing the string that opens at `start`, or -1 when it never closes. */
export function stringEnd(bytes: Uint8Array, start: number, find: ByteFinder): number {
  let i = start;
  for (;;) {
    const end = find(QUOTE, i + 1);
    if (end < 0) return -1;
    // The closing quote is the next one not preceded by an odd run of backslashes.
    let slashes = 0;
    while (bytes[end - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return end;
    i = end;
  }
}
