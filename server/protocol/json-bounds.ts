// Bounds checked on a JSON body's bytes before it is parsed (issue 11): nesting depth, which
// recursive code (JSON.stringify, validators) turns into a stack overflow, and the number of
// arrays and objects, each of which costs ~90 bytes once parsed ("[]" is two bytes of text), so a
// body of empty arrays would take 30 times its size. Strings are skipped with native indexOf, so
// a body that is mostly text (the usual request) is scanned at memory speed. Pure.

export interface JsonBounds {
  /** Deepest nesting of arrays and objects allowed. */
  readonly maxDepth: number;
  /** Arrays and objects allowed: a fixed allowance plus one per this many bytes. */
  readonly bytesPerContainer: number;
}

/** Far beyond any real request (tool schemas nest a dozen levels), far below any stack limit. */
export const REQUEST_BOUNDS: JsonBounds = { maxDepth: 128, bytesPerContainer: 16 };
const CONTAINER_ALLOWANCE = 4096;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

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

/** The first bound the bytes break, in words for the client, or undefined when within them. */
export function jsonBoundsProblem(
  bytes: Uint8Array,
  bounds: JsonBounds = REQUEST_BOUNDS,
  find: ByteFinder = typedArrayFinder(bytes),
): string | undefined {
  const maxContainers = CONTAINER_ALLOWANCE + Math.floor(bytes.length / bounds.bytesPerContainer);
  let depth = 0;
  let containers = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      // The closing quote is the next one not preceded by an odd run of backslashes.
      for (;;) {
        const end = find(QUOTE, i + 1);
        if (end < 0) return undefined; // unterminated: JSON.parse says so
        let slashes = 0;
        while (bytes[end - 1 - slashes] === BACKSLASH) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++;
      containers++;
      if (depth > bounds.maxDepth) return `the body is nested more than ${bounds.maxDepth} levels deep`;
      if (containers > maxContainers) {
        return `the body holds more than ${maxContainers} arrays and objects for its ${bytes.length} bytes`;
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return undefined;
}
