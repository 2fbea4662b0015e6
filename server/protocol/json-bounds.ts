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

/** The first bound the bytes break, in words for the client, or undefined when within them. */
export function jsonBoundsProblem(bytes: Uint8Array, bounds: JsonBounds = REQUEST_BOUNDS): string | undefined {
  const maxContainers = CONTAINER_ALLOWANCE + Math.floor(bytes.length / bounds.bytesPerContainer);
  let depth = 0;
  let containers = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      // The closing quote is the next one not preceded by an odd run of backslashes.
      for (;;) {
        const end = bytes.indexOf(QUOTE, i + 1);
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
