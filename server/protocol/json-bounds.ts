// Bounds checked on a JSON body's bytes before it is parsed (issue 11): nesting depth, which
// recursive code (JSON.stringify, validators) turns into a stack overflow, and the number of
// arrays and objects, each of which costs ~90 bytes once parsed ("[]" is two bytes of text), so a
// body of empty arrays would take 30 times its size. Strings are skipped with native indexOf, so
// a body that is mostly text (the usual request) is scanned at memory speed. Pure.

import {
  type ByteFinder,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  stringEnd,
  typedArrayFinder,
} from "./json-bytes.ts";

export interface JsonBounds {
  /** Deepest nesting of arrays and objects allowed. */
  readonly maxDepth: number;
  /** Arrays and objects allowed: a fixed allowance plus one per this many bytes. */
  readonly bytesPerContainer: number;
}

/** Far beyond any real request (tool schemas nest a dozen levels), far below any stack limit. */
export const REQUEST_BOUNDS: JsonBounds = { maxDepth: 128, bytesPerContainer: 16 };
const CONTAINER_ALLOWANCE = 4096;

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
      i = stringEnd(bytes, i, find);
      if (i < 0) return undefined; // unterminated: JSON.parse says so
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
