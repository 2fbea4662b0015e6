// The pure SSE parser and stream translator, on edge cases the recorded streams do not cover.
import { describe, expect, test } from "bun:test";
import { createSseParser } from "../../server/protocol/sse-reader.ts";
import {
  createStreamState,
  endStream,
  type StreamOutput,
  translateEvent,
} from "../../server/protocol/translate/stream.ts";

describe("SSE parser", () => {
  test("records split anywhere, CRLF, comments, multi-line data, a last record without its blank line", () => {
    const parser = createSseParser();
    const text = ': hello\r\nevent: a\r\ndata: {"x":\r\ndata: 1}\r\n\r\nevent: b\ndata:2\n\nevent: c\ndata: 3';
    const events = [];
    for (let i = 0; i < text.length; i += 3) events.push(...parser.push(text.slice(i, i + 3)));
    events.push(...parser.end());
    expect(events).toEqual([
      { event: "a", data: '{"x":\n1}' },
      { event: "b", data: "2" },
      { event: "c", data: "3" },
    ]);
  });
});

describe("stream translator", () => {
  const run = (events: Record<string, unknown>[], includeUsage = false) => {
    const state = createStreamState({ id: "chatcmpl-x", model: "m", created: 1, includeUsage });
    const out: StreamOutput[] = [];
    for (const data of events)
      out.push(...translateEvent(state, { event: String(data.type), data: JSON.stringify(data) }));
    out.push(...endStream(state));
    return out;
  };
  const deltas = (out: StreamOutput[]) =>
    out.flatMap((o) => (o.kind === "chunk" ? [o.chunk.choices[0]?.delta ?? "usage"] : [o.kind]));

  test("a tool called without input gets {} arguments; unknown blocks and deltas are skipped", () => {
    const out = run([
      { type: "message_start", message: { id: "m1", usage: { input_tokens: 3 } } },
      { type: "content_block_start", index: 0, content_block: { type: "mystery_block" } },
      { type: "content_block_delta", index: 0, delta: { type: "mystery_delta", x: 1 } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "t1", name: "now", input: {} } },
      { type: "content_block_stop", index: 1 },
      { type: "brand_new_event" },
      { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 5 } },
      { type: "message_stop" },
    ]);
    expect(deltas(out)).toEqual([
      { role: "assistant", content: "" },
      { tool_calls: [{ index: 0, id: "t1", type: "function", function: { name: "now", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: "{}" } }] },
      {},
      "done",
    ]);
    const finish = out.find((o) => o.kind === "chunk" && o.chunk.choices[0]?.finish_reason);
    expect(finish?.kind === "chunk" && finish.chunk.choices[0]?.finish_reason).toBe("tool_calls");
    expect(out[0]?.kind === "chunk" && out[0].chunk.id).toBe("chatcmpl-m1");
  });

  test("tool-call indices count tool blocks, not Anthropic block indices", () => {
    const out = run([
      { type: "message_start", message: { id: "m" } },
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } },
      { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig" } },
      { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "ok" } },
      { type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "a", name: "f", input: {} } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"q":' } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "1}" } },
      { type: "content_block_start", index: 3, content_block: { type: "tool_use", id: "b", name: "g", input: {} } },
      { type: "content_block_delta", index: 3, delta: { type: "input_json_delta", partial_json: "{}" } },
      { type: "message_delta", delta: { stop_reason: "tool_use" } },
      { type: "message_stop" },
    ]);
    const calls = deltas(out).flatMap((d) => (typeof d === "object" && "tool_calls" in d ? (d.tool_calls ?? []) : []));
    expect(calls.map((c) => c.index)).toEqual([0, 0, 0, 1, 1]);
    expect(deltas(out)).toContainEqual({ reasoning_content: "hmm", reasoning: "hmm" });
    expect(deltas(out)).toContainEqual({ content: "ok" });
  });

  test("a stream cut before message_stop ends with an error, then [DONE]", () => {
    const out = run([
      { type: "message_start", message: { id: "m" } },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    ]);
    expect(out.at(-2)).toEqual({
      kind: "error",
      error: {
        message: "upstream stream ended before the reply was complete",
        type: "server_error",
        code: "api_error",
      },
    });
    expect(out.at(-1)).toEqual({ kind: "done" });
  });

  test("usage: null on every chunk but the final usage chunk; cumulative output tokens", () => {
    const out = run(
      [
        {
          type: "message_start",
          message: {
            id: "m",
            usage: { input_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 5, output_tokens: 1 },
          },
        },
        { type: "message_delta", delta: { stop_reason: "max_tokens" }, usage: { output_tokens: 7 } },
        { type: "message_stop" },
      ],
      true,
    );
    const chunks = out.flatMap((o) => (o.kind === "chunk" ? [o.chunk] : []));
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("length");
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 115,
        completion_tokens: 7,
        total_tokens: 122,
        prompt_tokens_details: { cached_tokens: 100 },
      },
    });
  });
});

describe("SSE parser bounds", () => {
  const feed = (parser: ReturnType<typeof createSseParser>, text: string, step: number) => {
    const events = [];
    for (let i = 0; i < text.length; i += step) events.push(...parser.push(text.slice(i, i + step)));
    events.push(...parser.end());
    return events;
  };

  test("a record over the bound is reported once as oversized and skipped; the next one is whole", () => {
    const text = `event: big\ndata: ${"x".repeat(500)}\n\nevent: a\r\ndata: 1\r\n\r\nevent: big\ndata: ${"y".repeat(50)}\ndata: ${"z".repeat(100)}\n\nevent: b\ndata: 2\n\n`;
    for (const step of [1, 7, 64, text.length]) {
      expect(feed(createSseParser({ maxRecord: 100 }), text, step)).toEqual([
        { event: "big", data: "", oversized: true },
        { event: "a", data: "1" },
        { event: "big", data: "", oversized: true },
        { event: "b", data: "2" },
      ]);
    }
  });

  test("unwanted events are skipped whatever their size, split anywhere, CRLF included", () => {
    const text = `event: noise\r\ndata: ${"n".repeat(10_000)}\r\n\r\nevent: keep\r\ndata: {"k":1}\r\n\r\nevent: noise\ndata: a\n\nevent: keep\ndata: 2\n\n`;
    for (const step of [1, 2, 3, 10, 999, text.length]) {
      const parser = createSseParser({ maxRecord: 64, wanted: (e) => e === "keep" });
      expect(feed(parser, text, step)).toEqual([
        { event: "keep", data: '{"k":1}' },
        { event: "keep", data: "2" },
      ]);
    }
  });

  test("a line that never ends is not held", () => {
    const parser = createSseParser({ maxRecord: 1024 });
    const out = parser.push("event: x\ndata: ");
    for (let i = 0; i < 1000; i++) out.push(...parser.push("a".repeat(10_000)));
    expect(out).toEqual([{ event: "x", data: "", oversized: true }]);
    expect(parser.push("\n\nevent: y\ndata: 1\n\n")).toEqual([{ event: "y", data: "1" }]);
  });
});
