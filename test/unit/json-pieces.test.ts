// parseJsonBytes parses a large body in pieces (issue 18) and must give exactly what JSON.parse
// gives, for every input: the same value with the same key order, or the same error.
import { expect, test } from "bun:test";
import fc from "fast-check";
import { PIECES_FROM_BYTES, parseJsonBytes, stringifyToBytes } from "../../server/protocol/json-pieces.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });
const decode = (bytes: Uint8Array) => decoder.decode(bytes);
const encoder = new TextEncoder();

/** Value or error message, from JSON.parse of the whole and from the pieces (every size in pieces, both searches). */
function both(bytes: Uint8Array): [string, string] {
  const outcome = (parse: () => unknown) => {
    try {
      return `value ${JSON.stringify(parse())}`;
    } catch (error) {
      return `error ${(error as Error).name}: ${(error as Error).message}`;
    }
  };
  const whole = outcome(() => JSON.parse(decode(bytes)));
  // With Node's fast search (platform/bytes.ts) the pieces must come out the same.
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const withBuffer = outcome(() => parseJsonBytes(bytes, decode, 0, (byte, from) => view.indexOf(byte, from)));
  expect(withBuffer).toBe(outcome(() => parseJsonBytes(bytes, decode, 0)));
  return [whole, withBuffer];
}

const spacing = fc.constantFrom(undefined, 0, 1, 2, "\t", " \r\n ");
const RUNS = { numRuns: 400, seed: 18 };

test("any JSON object, however spaced, parses in pieces to the same value and key order", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), spacing, (object, space) => {
      const bytes = encoder.encode(JSON.stringify(object, null, space));
      const [whole, pieces] = both(bytes);
      expect(pieces).toBe(whole);
    }),
    RUNS,
  );
});

test("a body broken anywhere gives JSON.parse's own error, or its value when still valid", () => {
  const edits = fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", " ", "1", "a", "\u00e9", "");
  fc.assert(
    fc.property(
      fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
      spacing,
      fc.nat(),
      fc.nat({ max: 3 }),
      edits,
      (object, space, at, cut, insert) => {
        const text = JSON.stringify(object, null, space);
        const position = at % (text.length + 1);
        const broken = text.slice(0, position) + insert + text.slice(position + cut);
        const [whole, pieces] = both(encoder.encode(broken));
        expect(pieces).toBe(whole);
      },
    ),
    RUNS,
  );
});

test("the edges: __proto__ stays an own member, a byte-order mark, bad UTF-8, other top-level values", () => {
  const proto = parseJsonBytes(encoder.encode('{"__proto__":{"polluted":1},"a":[1,2]}'), decode, 0) as Record<
    string,
    unknown
  >;
  expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  expect(Object.keys(proto)).toEqual(["__proto__", "a"]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const cases = [
    new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(' {"a": [1, {"b": 2}] }')]),
    new Uint8Array([...encoder.encode('{"a":"'), 0xff, ...encoder.encode('","b":[]}')]),
    new Uint8Array([...encoder.encode('{"a":["x'), 0xc3, ...encoder.encode('"]}')]),
    encoder.encode('[{"a":1}]'),
    encoder.encode('"text"'),
    encoder.encode('{"a":1} {"b":2}'),
    encoder.encode('{"a":1,"a":[2]}'),
    encoder.encode('{"messages":[ ],"x":{}}'),
    encoder.encode("{}"),
    encoder.encode(""),
  ];
  for (const bytes of cases) {
    const [whole, pieces] = both(bytes);
    expect(pieces).toBe(whole);
  }
});

test("a large body (above the size parsed whole) goes through the pieces and agrees", () => {
  const messages = Array.from({ length: 300 }, (_, i) => ({
    role: i % 2 ? "assistant" : "user",
    content: `turn ${i} — “quoted” ${"x".repeat(400)} \\ " ] } ,`,
  }));
  const text = JSON.stringify({ model: "m", system: [{ type: "text", text: "s" }], messages, max_tokens: 5 });
  const bytes = encoder.encode(text);
  expect(bytes.length).toBeGreaterThan(PIECES_FROM_BYTES);
  expect(parseJsonBytes(bytes, decode)).toEqual(JSON.parse(text));
});

test("stringifyToBytes writes exactly JSON.stringify's bytes, in pieces or whole", () => {
  const encode = (text: string) => encoder.encode(text);
  const member = fc.oneof(
    fc.jsonValue(),
    fc.constant(undefined),
    fc.array(fc.oneof(fc.jsonValue(), fc.constant(undefined))),
  );
  fc.assert(
    fc.property(fc.dictionary(fc.string(), member), (object) => {
      const expected = encode(JSON.stringify(object));
      expect(stringifyToBytes(object, encode, true)).toEqual(expected);
      expect(stringifyToBytes(object, encode, false)).toEqual(expected);
    }),
    RUNS,
  );
  // Holes in an array are null; a non-plain value is written whole.
  const holey: unknown[] = [1];
  holey[2] = 3;
  const holes = { a: holey, b: new Date(0), c: Object.create(null) };
  expect(stringifyToBytes(holes, encode, true)).toEqual(encode(JSON.stringify(holes)));
  for (const other of [[1, 2], "text", 5, null, new Date(0)]) {
    expect(stringifyToBytes(other, encode, true)).toEqual(encode(JSON.stringify(other)));
  }
});
