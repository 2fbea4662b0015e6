// Parsing a large JSON object body without a string of its whole size (issue 18). Node (V8)
// takes about 1 ms to make one string of 400 KB from bytes, whatever the decoder: any string
// over ~128 KB is allocated apart from the young heap; the same text in pieces below that takes
// a few microseconds. So a large body is parsed member by member, and a top-level array (the
// messages, the tools) element by element, each piece decoded and parsed by JSON.parse; only
// the glue between pieces (braces, brackets, keys, colons, commas, whitespace) is read here.
// Anything the glue does not expect, or a piece that does not parse, falls back to one parse of
// the whole body, which says what is wrong the way JSON.parse always did: the result is always
// exactly JSON.parse's. Pure.

import { joinBytes } from "./join-bytes.ts";
import {
  type ByteFinder,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  stringEnd,
  typedArrayFinder,
} from "./json-bytes.ts";

/** Bodies up to this size are parsed whole: one string below it is cheap. */
export const PIECES_FROM_BYTES = 96 * 1024;

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(bytes: Uint8Array, i: number): number {
  while (isSpace(bytes[i])) i++;
  return i;
}

/** Index just past the value starting at `start`: the comma or closing bracket after it at its own level. */
function valueEnd(bytes: Uint8Array, start: number, find: ByteFinder): number {
  let depth = 0;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = stringEnd(bytes, i, find);
      if (i < 0) return bytes.length;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth === 0) return i;
      depth--;
    } else if (c === COMMA && depth === 0) {
      return i;
    }
  }
  return bytes.length;
}

/** The glue was not what a JSON object needs: parse the whole, for JSON.parse's own words. */
class Unexpected extends Error {}

function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  // As JSON.parse does: "__proto__" is an own member, never the prototype.
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * JSON.parse of `bytes` (UTF-8); a large object is parsed in pieces. `decode` turns bytes into
 * text and throws on invalid UTF-8 (a fatal TextDecoder).
 */
export function parseJsonBytes(
  bytes: Uint8Array,
  decode: (bytes: Uint8Array) => string,
  fromBytes = PIECES_FROM_BYTES,
  find: ByteFinder = typedArrayFinder(bytes),
): unknown {
  if (bytes.length >= fromBytes) {
    try {
      return parseObjectInPieces(bytes, decode, find);
    } catch {
      // The whole parse below says what is wrong.
    }
  }
  return JSON.parse(decode(bytes));
}

function parseObjectInPieces(
  bytes: Uint8Array,
  decode: (bytes: Uint8Array) => string,
  find: ByteFinder,
): Record<string, unknown> {
  const piece = (from: number, to: number): unknown => JSON.parse(decode(bytes.subarray(from, to)));
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // a byte-order mark, as TextDecoder skips it
  i = skipSpace(bytes, i);
  if (bytes[i] !== OPEN_OBJECT) throw new Unexpected();
  const result: Record<string, unknown> = {};
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_OBJECT) {
    i++;
  } else {
    for (;;) {
      if (bytes[i] !== QUOTE) throw new Unexpected();
      const keyEnd = stringEnd(bytes, i, find);
      if (keyEnd < 0) throw new Unexpected();
      const key = piece(i, keyEnd + 1) as string;
      i = skipSpace(bytes, keyEnd + 1);
      if (bytes[i] !== COLON) throw new Unexpected();
      i = skipSpace(bytes, i + 1);
      let value: unknown;
      if (bytes[i] === OPEN_ARRAY) {
        [value, i] = arrayInPieces(bytes, i, piece, find);
      } else {
        const end = valueEnd(bytes, i, find);
        value = piece(i, end);
        i = end;
      }
      setMember(result, key, value);
      i = skipSpace(bytes, i);
      if (bytes[i] === COMMA) {
        i = skipSpace(bytes, i + 1);
        continue;
      }
      if (bytes[i] !== CLOSE_OBJECT) throw new Unexpected();
      i++;
      break;
    }
  }
  if (skipSpace(bytes, i) !== bytes.length) throw new Unexpected();
  return result;
}

/** The array opening at `start`, element by element, and the index just past it. */
function arrayInPieces(
  bytes: Uint8Array,
  start: number,
  piece: (from: number, to: number) => unknown,
  find: ByteFinder,
): [unknown[], number] {
  const elements: unknown[] = [];
  let i = skipSpace(bytes, start + 1);
  if (bytes[i] === CLOSE_ARRAY) return [elements, i + 1];
  for (;;) {
    const end = valueEnd(bytes, i, find);
    elements.push(piece(i, end));
    i = skipSpace(bytes, end);
    if (bytes[i] === COMMA) {
      i = skipSpace(bytes, i + 1);
      continue;
    }
    if (bytes[i] !== CLOSE_ARRAY) throw new Unexpected();
    return [elements, i + 1];
  }
}

/**
 * UTF-8 bytes of JSON.stringify(value); a plain object is written member by member, and a
 * member that is an array element by element, so no string of the whole is made (the same V8
 * cost as above, on the OpenAI routes' translated request). Anything else, whole.
 */
export function stringifyToBytes(value: unknown, encode: (text: string) => Uint8Array, inPieces: boolean): Uint8Array {
  if (!inPieces || !isPlainObject(value)) return encode(JSON.stringify(value));
  const pieces: Uint8Array[] = [];
  let separator = "{";
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (Array.isArray(member) && !("toJSON" in member)) {
      pieces.push(encode(`${separator}${JSON.stringify(key)}:[`));
      for (let index = 0; index < member.length; index++) {
        pieces.push(encode(`${index === 0 ? "" : ","}${JSON.stringify(member[index]) ?? "null"}`));
      }
      pieces.push(encode("]"));
    } else {
      // undefined, a function or a symbol: no member at all, as JSON.stringify leaves it out.
      const text = JSON.stringify(member);
      if (text === undefined) continue;
      pieces.push(encode(`${separator}${JSON.stringify(key)}:${text}`));
    }
    separator = ",";
  }
  pieces.push(encode(separator === "{" ? "{}" : "}"));
  return joinBytes(pieces);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || "toJSON" in value) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
