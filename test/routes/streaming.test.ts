// Streams over time (contract §2): client disconnects abort upstream, long first bytes are
// waited for, silent streams end with an SSE error event.
import { describe, expect, test } from "bun:test";
import { runtime } from "../harness/gateway.ts";
import { textStream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const streamBody = messagesBody({ stream: true });
const sse = { "content-type": "text/event-stream" };

const suite = useMockAndGateway();

describe(`streaming on ${runtime}`, () => {
  test("a client that disconnects mid-stream makes upstream see the request cancelled within 1 s", async () => {
    const chunks = textStream("one two three four five six seven eight nine ten");
    suite.mock.replyOnce({ headers: sse, chunks, stallAfterChunks: 3 });
    const abort = new AbortController();
    const response = await postMessages(suite.gateway.url, { body: streamBody, signal: abort.signal });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("message_start");
    const upstreamRequest = suite.mock.requests.at(-1);
    if (!upstreamRequest) throw new Error("mock saw nothing");
    const goneAt = performance.now();
    abort.abort();
    const cancelledAt = await Promise.race([
      upstreamRequest.cancelled,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error("upstream not cancelled within 1 s")), 1000),
      ),
    ]);
    expect(cancelledAt - goneAt).toBeLessThan(1000);
  });

  test(
    "a first byte that comes after 45 s still streams to the client",
    async () => {
      suite.mock.replyOnce({ headers: sse, chunks: textStream("late but whole"), firstByteDelayMs: 45_000 });
      const started = performance.now();
      const response = await postMessages(suite.gateway.url, { body: streamBody });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(performance.now() - started).toBeGreaterThanOrEqual(45_000);
      expect(text).toBe(textStream("late but whole").join(""));
    },
    { timeout: 70_000 },
  );
});

describe(`timeouts on ${runtime}`, () => {
  const timeouts = useMockAndGateway({ config: { STREAM_IDLE_TIMEOUT: "1", FIRST_BYTE_TIMEOUT: "1.5" } });

  test("a stalled stream ends with an SSE error event after the idle timeout", async () => {
    const chunks = textStream("one two three");
    timeouts.mock.replyOnce({ headers: sse, chunks, stallAfterChunks: 2 });
    const response = await postMessages(timeouts.gateway.url, { body: streamBody });
    const text = await response.text();
    const head = (chunks[0] ?? "") + (chunks[1] ?? "");
    expect(text.startsWith(head)).toBe(true);
    const tail = text.slice(head.length);
    expect(tail).toMatch(/^event: error\ndata: (\{.*\})\n\n$/);
    const data = JSON.parse(/data: (.*)/.exec(tail)?.[1] ?? "{}");
    expect(data.type).toBe("error");
    expect(data.error.type).toBe("timeout_error");
    expect(data.error.message).toContain("stream_idle_timeout");
    // The upstream request is given up too; its socket closing reaches the mock a moment later.
    const upstreamRequest = timeouts.mock.requests.at(-1);
    const cancelled = await Promise.race([
      upstreamRequest?.cancelled.then(() => true),
      Bun.sleep(1000).then(() => false),
    ]);
    expect(cancelled).toBe(true);
  });

  test("a stream that stalls mid-record still ends with a well-formed error record", async () => {
    const chunks = textStream("one two three");
    const first = chunks[0] ?? "";
    timeouts.mock.replyOnce({ headers: sse, chunks: [first, "event: content_block_start\nda"], stallAfterChunks: 2 });
    const response = await postMessages(timeouts.gateway.url, { body: streamBody });
    const text = await response.text();
    expect(text).toMatch(/\n\nevent: error\ndata: \{.*\}\n\n$/);
  });

  test("no first byte within first_byte_timeout gives 504 timeout_error", async () => {
    timeouts.mock.replyOnce({ headers: sse, chunks: textStream("too late"), firstByteDelayMs: 4000 });
    const response = await postMessages(timeouts.gateway.url, { body: streamBody });
    expect(response.status).toBe(504);
    const body = await response.json();
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("timeout_error");
    expect(body.error.message).toContain("first_byte_timeout");
  });
});
