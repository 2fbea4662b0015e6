// The byte parser (issue 18: the usage tap reads a long stream without decoding it) must give the
// events the text parser gives, however the bytes are cut into chunks.
import { expect, test } from "bun:test";
import fc from "fast-check";
import { createSseByteParser } from "../../server/protocol/sse-byte-reader.ts";
import { createSseParser, type SseEvent } from "../../server/protocol/sse-reader.ts";

const encoder = new TextEncoder();
const wanted = new Set(["message_start", "message_delta", "message_stop", "error"]);
const keep = (event: string) => wanted.has(event);

const eventName = fc.constantFrom(
  "message_start",
  "message_delta",
  "message_stop",
  "error",
  "content_block_delta",
  "ping",
  "",
);
const text = fc.oneof(fc.string(), fc.constantFrom('{"type":"ping"}', "a: b", "é — 漢字 🙂", "\r", ": x"));
const lineEnd = fc.constantFrom("\n", "\r\n");
const record = fc.record({
  event: eventName,
  data: fc.array(text, { maxLength: 3 }),
  comment: fc.boolean(),
  odd: fc.constantFrom("", "id: 7", "retry: 10", "data", "event", "eventx: y"),
});
const stream = fc.record({
  records: fc.array(record, { maxLength: 12 }),
  end: lineEnd,
  unterminated: fc.boolean(),
  cuts: fc.array(fc.nat(), { maxLength: 12 }),
});

type Stream = typeof stream extends fc.Arbitrary<infer T> ? T : never;

function render(s: Stream): Uint8Array {
  let out = "";
  for (const r of s.records) {
    if (r.comment) out += `: keep-alive${s.end}`;
    if (r.event) out += `event: ${r.event}${s.end}`;
    if (r.odd) out += `${r.odd}${s.end}`;
    for (const d of r.data) out += `data: ${d.replace(/[\r\n]/g, " ")}${s.end}`;
    out += s.end;
  }
  if (s.unterminated && out.endsWith(s.end + s.end)) out = out.slice(0, -s.end.length);
  return encoder.encode(out);
}

function chunks(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    out.push(bytes.slice(from, point));
    from = point;
  }
  return out;
}

function both(pieces: Uint8Array[], maxRecord?: number): [SseEvent[], SseEvent[]] {
  const textParser = createSseParser({ maxRecord, wanted: keep });
  const byteParser = createSseByteParser({ maxRecord, wanted: keep });
  // With Node's fast search (platform/bytes.ts) it must read the same.
  const bufferParser = createSseByteParser({
    maxRecord,
    wanted: keep,
    finder: (bytes) => {
      const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return (byte, from) => view.indexOf(byte, from);
    },
  });
  const fromBuffer: SseEvent[] = [];
  const decoder = new TextDecoder();
  const fromText: SseEvent[] = [];
  const fromBytes: SseEvent[] = [];
  for (const piece of pieces) {
    fromText.push(...textParser.push(decoder.decode(piece, { stream: true })));
    fromBytes.push(...byteParser.push(piece));
    fromBuffer.push(...bufferParser.push(piece));
  }
  fromText.push(...textParser.push(decoder.decode()), ...textParser.end());
  fromBytes.push(...byteParser.end());
  fromBuffer.push(...bufferParser.end());
  expect(fromBuffer).toEqual(fromBytes);
  return [fromText, fromBytes];
}

test("the byte parser gives the text parser's events, however the stream is cut", () => {
  fc.assert(
    fc.property(stream, (s) => {
      const [fromText, fromBytes] = both(chunks(render(s), s.cuts));
      expect(fromBytes).toEqual(fromText);
    }),
    { numRuns: 600, seed: 18 },
  );
});

test("records over the bound are reported once as oversized, as the text parser does (ASCII)", () => {
  const ascii = stream.filter((s) => s.records.every((r) => r.data.every((d) => /^[\x20-\x7e]*$/.test(d))));
  fc.assert(
    fc.property(ascii, fc.integer({ min: 4, max: 64 }), (s, maxRecord) => {
      const [fromText, fromBytes] = both(chunks(render(s), s.cuts), maxRecord);
      expect(fromBytes).toEqual(fromText);
    }),
    { numRuns: 400, seed: 18 },
  );
});

test("unwanted records are skipped: a long thinking stream yields only its usage events", () => {
  const delta = `event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"thinking":"${"x".repeat(200)}"}}\n\n`;
  const body = `event: message_start\ndata: {"a":1}\n\n${delta.repeat(500)}event: message_delta\ndata: {"b":2}\n\nevent: message_stop\ndata: {}\n\n`;
  const [fromText, fromBytes] = both(chunks(encoder.encode(body), [7, 4000, 4001, 65_000, 99_999]));
  expect(fromBytes.map((e) => e.event)).toEqual(["message_start", "message_delta", "message_stop"]);
  expect(fromBytes).toEqual(fromText);
});
