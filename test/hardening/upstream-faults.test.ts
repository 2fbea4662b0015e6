// The upstream misbehaving (issue 11, defects 9, 10, 11 and 13; contract §2–§4): a reset in the
// middle of a body, broken chunked encoding, malformed events, a line that never ends, a stream
// faster than the client reads. Each ends in a well-formed error in the caller's protocol, is
// not logged as a bug, and costs memory bounded by what the client has read.
import { describe, expect, test } from "bun:test";
import { CLIENT_KEY, clientHeaders, runtime, startGateway } from "../harness/gateway.ts";
import { sseRecord, startMockUpstream, textStream } from "../harness/mock-upstream.ts";
import { MiB, peakRssOf, rssOf } from "../harness/process-stats.ts";
import { openSocket } from "../harness/raw-http.ts";
import { startRawUpstream } from "../harness/raw-upstream.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const sse = { "content-type": "text/event-stream" };
const chatBody = (stream: boolean) =>
  JSON.stringify({ model: "claude-sonnet-4-6", stream, messages: [{ role: "user", content: "hi" }] });
const chat = (url: string, stream: boolean, signal?: AbortSignal) =>
  fetch(`${url}/v1/chat/completions`, { method: "POST", headers: clientHeaders(), body: chatBody(stream), signal });
const noBugsLogged = (stderr: string) => {
  expect(stderr).not.toContain("internal error");
  expect(stderr).not.toMatch(/^error req_/m);
};

const suite = useMockAndGateway();

describe(`an upstream that breaks mid-reply, on ${runtime}`, () => {
  test("a non-streaming chat whose upstream resets mid-body gets 502, not 500", async () => {
    suite.mock.replyOnce({
      headers: sse,
      chunks: textStream("one two three four"),
      dropAfterChunks: 3,
      chunkDelayMs: 30,
    });
    const response = await chat(suite.gateway.url, false);
    expect(response.status).toBe(502);
    const json = await response.json();
    expect(json.error.type).toBe("server_error");
    expect(json.error.message).toContain("upstream");
    noBugsLogged(suite.gateway.stderr());
  });

  test("a streaming chat whose upstream resets mid-body ends with an error chunk and [DONE]", async () => {
    suite.mock.replyOnce({
      headers: sse,
      chunks: textStream("one two three four"),
      dropAfterChunks: 4,
      chunkDelayMs: 30,
    });
    const text = await (await chat(suite.gateway.url, true)).text();
    expect(text).toMatch(/data: \{"error":\{[^\n]*\}\}\n\ndata: \[DONE\]\n\n$/);
  });

  test("a native stream whose upstream resets mid-body ends with a well-formed SSE error event", async () => {
    const chunks = textStream("one two three four");
    suite.mock.replyOnce({ headers: sse, chunks, dropAfterChunks: 3, chunkDelayMs: 30 });
    const response = await postMessages(suite.gateway.url, { body: messagesBody({ stream: true }) });
    const text = await response.text();
    expect(text.startsWith(chunks.slice(0, 3).join(""))).toBe(true);
    const tail = text.slice(chunks.slice(0, 3).join("").length);
    expect(tail).toMatch(/^event: error\ndata: \{.*\}\n\n$/);
    const data = JSON.parse(/data: (.*)/.exec(tail)?.[1] ?? "{}");
    expect(data).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect(data.error.message).toContain("upstream");
    noBugsLogged(suite.gateway.stderr());
  });

  test("a chat stream with a malformed upstream event says so instead of dropping it", async () => {
    const chunks = textStream("whole");
    chunks.splice(3, 0, "event: content_block_delta\ndata: {not json\n\n");
    suite.mock.replyOnce({ headers: sse, chunks });
    const text = await (await chat(suite.gateway.url, true)).text();
    expect(text).toContain('"error"');
    expect(text).toContain("malformed");
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });
});

describe(`an upstream that breaks the HTTP framing, on ${runtime}`, () => {
  test("broken chunked encoding on a chat reply is a 502", async () => {
    await using raw = await startRawUpstream((socket) => {
      socket.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
      const first = sseRecord("message_start", { type: "message_start", message: { id: "m", usage: {} } });
      socket.write(`${Buffer.byteLength(first).toString(16)}\r\n${first}\r\nzz-not-hex\r\n`);
      setTimeout(() => socket.destroy(), 50);
    });
    await using gateway = await startGateway({ upstream: raw.url });
    const response = await chat(gateway.url, false);
    expect(response.status).toBe(502);
    noBugsLogged(gateway.stderr());
  });

  test("a JSON reply cut short of its content-length is a 502", async () => {
    await using raw = await startRawUpstream((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"type":"mess');
      setTimeout(() => socket.destroy(), 50);
    });
    await using gateway = await startGateway({ upstream: raw.url });
    const response = await postMessages(gateway.url);
    expect(response.status).toBe(502);
    expect((await response.json()).error.type).toBe("api_error");
    noBugsLogged(gateway.stderr());
  });

  test("a JSON reply larger than any real one is refused, not held", async () => {
    await using raw = await startRawUpstream((socket) => {
      const size = 80 * MiB;
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`);
      const piece = Buffer.alloc(MiB, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < size && socket.writable) {
          sent += piece.length;
          if (!socket.write(piece)) return void socket.once("drain", more);
        }
      };
      more();
    });
    await using gateway = await startGateway({ upstream: raw.url });
    const before = rssOf(gateway.pid);
    const response = await postMessages(gateway.url);
    expect(response.status).toBe(502);
    expect((await response.json()).error.message).toContain("larger");
    expect(peakRssOf(gateway.pid) - before).toBeLessThan(60 * MiB);
  }, 30_000);
});

describe(`an upstream that redirects, on ${runtime}`, () => {
  // The Messages API never redirects; a redirect means a wrong base_url (http for https, a
  // moved host). It is not followed (the body and the key would go where nobody configured)
  // nor passed on (the client would be sent to it): it is a 502 that says so.
  test("a redirect is neither followed nor passed to the client: a 502 naming the redirect", async () => {
    const before = suite.mock.requests.length;
    suite.mock.replyOnce({ status: 308, headers: { location: `${suite.mock.url}/elsewhere` }, body: "" });
    const response = await postMessages(suite.gateway.url);
    expect(response.status).toBe(502);
    expect(response.headers.get("location")).toBeNull();
    const json = await response.json();
    expect(json.error.message).toContain("redirect");
    expect(json.error.message).toContain("base_url");
    expect(suite.mock.requests.length - before).toBe(1);
    noBugsLogged(suite.gateway.stderr());
  });
});

describe(`unbounded upstream data, on ${runtime}`, () => {
  test("an SSE line that never ends passes through without being buffered whole", async () => {
    await using mock = startMockUpstream();
    await using gateway = await startGateway({ upstream: mock.url });
    const piece = "x".repeat(MiB);
    const lineMiB = 96;
    mock.replyOnce({
      headers: sse,
      generate: (i) => (i === 0 ? textStream("a")[0] : i <= lineMiB ? piece : undefined),
    });
    const before = rssOf(gateway.pid);
    const response = await postMessages(gateway.url, { body: messagesBody({ stream: true }) });
    let received = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) received += chunk.length;
    expect(received).toBeGreaterThan(lineMiB * MiB);
    expect(peakRssOf(gateway.pid) - before).toBeLessThan(64 * MiB);
  }, 30_000);

  for (const route of ["chat", "messages"] as const) {
    test(`a client reading a ${route} stream slowly holds upstream back (backpressure)`, async () => {
      await using mock = startMockUpstream();
      await using gateway = await startGateway({ upstream: mock.url });
      const delta = (i: number) =>
        sseRecord("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: `${i} ${"y".repeat(8000)}` },
        });
      const head = textStream("a").slice(0, 2);
      const total = 40_000; // ~320 MB if all of it were sent
      mock.replyOnce({ headers: sse, generate: (i) => (i < 2 ? head[i] : i < total ? delta(i) : undefined) });
      const before = rssOf(gateway.pid);
      const abort = new AbortController();
      const response =
        route === "chat"
          ? await chat(gateway.url, true, abort.signal)
          : await postMessages(gateway.url, { body: messagesBody({ stream: true }), signal: abort.signal });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let read = 0;
      // Read ~64 KB, then stop reading for 3 s, as a client on a slow phone link would.
      while (read < 64 * 1024) read += (await reader.read()).value?.length ?? 0;
      await Bun.sleep(3000);
      const sent = mock.requests.at(-1)?.bytesSent ?? 0;
      const rss = rssOf(gateway.pid) - before;
      abort.abort();
      // Without backpressure all ~320 MB go within the pause; with it, what the socket buffers on
      // both sides hold (loopback autotuning lets that reach tens of MB on a loaded machine).
      expect(sent).toBeLessThan(64 * MiB);
      expect(rss).toBeLessThan(64 * MiB);
    }, 20_000);
  }
});

describe(`a client that goes away mid-upload, on ${runtime}`, () => {
  for (const path of ["/v1/messages", "/v1/chat/completions"]) {
    test(`on ${path} is not logged as a bug`, async () => {
      const socket = await openSocket(suite.gateway.port);
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: ${CLIENT_KEY}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"model":`,
      );
      await Bun.sleep(100);
      socket.destroy();
      await Bun.sleep(300);
      noBugsLogged(suite.gateway.stderr());
      expect(suite.gateway.stderr()).not.toContain("AbortError");
      expect((await fetch(`${suite.gateway.url}/health`)).status).toBe(200);
    });
  }
});
