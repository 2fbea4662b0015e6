// A scriptable mock Anthropic upstream: a real HTTP server on 127.0.0.1, port 0.
// It can replay recorded streams byte for byte, answer any status/headers/body, wait before the
// first byte, stall mid-stream, drop the connection, and it records what it received and when
// the client went away. By default it lists today's models (test/fixtures/models) and refuses
// what the real API refuses for each of them (test/harness/model-rules.ts).
import { fixtureModels, refusal, thinkingShown } from "./model-rules.ts";

export interface MockReply {
  status?: number;
  headers?: Record<string, string>;
  /** The whole body at once. */
  body?: string | Uint8Array;
  /** The body in pieces, each flushed separately. */
  chunks?: (string | Uint8Array)[];
  /** Pause between chunks. */
  chunkDelayMs?: number;
  /** Wait this long before sending the status line and headers. */
  firstByteDelayMs?: number;
  /** After this many chunks, send nothing more but keep the connection open. */
  stallAfterChunks?: number;
  /** After this many chunks, break the connection. */
  dropAfterChunks?: number;
  /**
   * The body made on demand, chunk by chunk, as the client reads (for bodies too big to hold);
   * undefined ends it. Written only as fast as the peer takes it, so `bytesSent` shows backpressure.
   */
  generate?: (index: number) => string | Uint8Array | undefined | Promise<string | Uint8Array | undefined>;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** The query string with its "?" ("" when none). */
  readonly search: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly receivedAt: number;
  /** The client's source port: the same port twice means a reused keep-alive connection. */
  readonly remotePort: number;
  /** performance.now() when the client went away before the reply ended, if it did. */
  cancelledAt?: number;
  /** Resolves when the client goes away before the reply ended. */
  readonly cancelled: Promise<number>;
  /** Body bytes handed to the server so far (streamed replies). */
  bytesSent: number;
  text(): string;
  json(): Record<string, unknown>;
}

export type Responder = (request: ReceivedRequest) => MockReply | Promise<MockReply>;

const encoder = new TextEncoder();
const bytes = (x: string | Uint8Array) => (typeof x === "string" ? encoder.encode(x) : x) as Uint8Array<ArrayBuffer>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One Anthropic SSE record. */
export const sseRecord = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The usage the mock reports unless told otherwise: 12 in, 9 out. */
export interface MockUsage {
  /** Input-side usage as message_start carries it (input, cache reads and writes). */
  readonly input: Record<string, unknown>;
  readonly output: number;
}
const defaultUsage: MockUsage = { input: { input_tokens: 12 }, output: 9 };

/** A plain streamed Messages reply with the given text, in Anthropic's SSE format. */
export function textStream(
  text: string,
  model = "claude-sonnet-4-6",
  usage = defaultUsage,
  /** A thinking block first, with this text ("" when display is omitted). */
  thinking?: string,
): string[] {
  const record = sseRecord;
  const at = thinking === undefined ? 0 : 1;
  const thinkingBlock =
    thinking === undefined
      ? []
      : [
          record("content_block_start", {
            type: "content_block_start",
            index: 0,
            content_block: { type: "thinking", thinking: "", signature: "" },
          }),
          ...(thinking
            ? [
                record("content_block_delta", {
                  type: "content_block_delta",
                  index: 0,
                  delta: { type: "thinking_delta", thinking },
                }),
              ]
            : []),
          record("content_block_delta", {
            type: "content_block_delta",
            index: 0,
            delta: { type: "signature_delta", signature: "c2lnbmF0dXJl" },
          }),
          record("content_block_stop", { type: "content_block_stop", index: 0 }),
        ];
  return [
    record("message_start", {
      type: "message_start",
      message: {
        id: "msg_mock_1",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage.input, output_tokens: 1 },
      },
    }),
    ...thinkingBlock,
    record("content_block_start", {
      type: "content_block_start",
      index: at,
      content_block: { type: "text", text: "" },
    }),
    record("ping", { type: "ping" }),
    ...text.split(/(?<= )/).map((piece) =>
      record("content_block_delta", {
        type: "content_block_delta",
        index: at,
        delta: { type: "text_delta", text: piece },
      }),
    ),
    record("content_block_stop", { type: "content_block_stop", index: at }),
    record("message_delta", {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
    record("message_stop", { type: "message_stop" }),
  ];
}

export function textMessage(text: string, model = "claude-sonnet-4-6", usage = defaultUsage) {
  return {
    id: "msg_mock_1",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { ...usage.input, output_tokens: usage.output },
  };
}

export const MOCK_REPLY_TEXT = "Hi from the mock upstream.";

/** What the mock answers when a test scripted nothing: a valid reply for each endpoint. */
export const defaultResponder: Responder = (request) => {
  if (request.path.endsWith("/count_tokens")) return { body: JSON.stringify({ input_tokens: 42 }) };
  if (request.path === "/v1/models") return { body: JSON.stringify(modelsPage(request.search)) };
  let parsed: Record<string, unknown> = {};
  try {
    parsed = request.json();
  } catch {}
  const refused = refusal(parsed);
  if (refused) {
    return {
      status: 400,
      body: JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: refused } }),
    };
  }
  const model = typeof parsed.model === "string" ? parsed.model : "claude-sonnet-4-6";
  const shown = thinkingShown(parsed);
  const thinking = shown === undefined ? undefined : shown ? "Let me think about that." : "";
  if (parsed.stream === true) {
    return {
      headers: { "content-type": "text/event-stream" },
      chunks: textStream(MOCK_REPLY_TEXT, model, defaultUsage, thinking),
    };
  }
  return { body: JSON.stringify(textMessage(MOCK_REPLY_TEXT, model)) };
};

/** One page of the fixture's model list, paged like the API: limit (default 20), after_id. */
export function modelsPage(search: string) {
  const query = new URLSearchParams(search);
  const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? 20) || 20));
  const after = query.get("after_id");
  const start = after ? fixtureModels.findIndex((m) => m.id === after) + 1 : 0;
  const data = fixtureModels.slice(start, start + limit);
  return {
    data,
    has_more: start + limit < fixtureModels.length,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  };
}

export interface MockUpstream extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** Answer every following request this way (until changed). */
  reply(responder: Responder | MockReply): void;
  /** Answer only the next request this way; then back to the standing responder. */
  replyOnce(responder: Responder | MockReply): void;
  close(): Promise<void>;
}

/** `port`: listen on this one (to bring a stopped upstream back where it was); default any free port. */
export function startMockUpstream(options: { port?: number } = {}): MockUpstream {
  let standing: Responder = defaultResponder;
  const once: Responder[] = [];
  const requests: ReceivedRequest[] = [];
  const asResponder = (r: Responder | MockReply): Responder => (typeof r === "function" ? r : () => r);

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    // A test may wait 45 s before the first byte: no idle cut on the mock's side.
    idleTimeout: 0,
    async fetch(req, srv) {
      const url = new URL(req.url);
      const body = new Uint8Array(await req.arrayBuffer());
      let markCancelled: (t: number) => void = () => {};
      const cancelled = new Promise<number>((resolve) => {
        markCancelled = resolve;
      });
      let finished = false;
      const received: ReceivedRequest = {
        method: req.method,
        path: url.pathname,
        search: url.search,
        headers: req.headers,
        body,
        receivedAt: performance.now(),
        remotePort: srv.requestIP(req)?.port ?? 0,
        cancelled,
        bytesSent: 0,
        text: () => new TextDecoder().decode(body),
        json: () => JSON.parse(new TextDecoder().decode(body)),
      };
      const onGone = () => {
        if (finished || received.cancelledAt !== undefined) return;
        received.cancelledAt = performance.now();
        markCancelled(received.cancelledAt);
      };
      req.signal.addEventListener("abort", onGone, { once: true });
      requests.push(received);

      // The gateway's reachability check (an unauthenticated GET, at any moment the dashboard
      // is open) never takes a reply a test scripted for its own next request.
      const probe = req.method === "GET" && !req.headers.has("x-api-key") && !req.headers.has("authorization");
      const responder = (probe ? undefined : once.shift()) ?? standing;
      const reply = await responder(received);
      if (reply.firstByteDelayMs) await sleep(reply.firstByteDelayMs);
      const headers = { "content-type": "application/json", "request-id": "req_mock_1", ...reply.headers };
      if (reply.generate) {
        const generate = reply.generate;
        let index = 0;
        const stream = new ReadableStream<Uint8Array>(
          {
            async pull(controller) {
              const chunk = await generate(index++);
              if (chunk === undefined) {
                finished = true;
                controller.close();
                return;
              }
              const data = bytes(chunk);
              received.bytesSent += data.length;
              controller.enqueue(data);
            },
            cancel() {
              onGone();
            },
          },
          { highWaterMark: 0 },
        );
        return new Response(stream, { status: reply.status ?? 200, headers });
      }
      if (!reply.chunks) {
        finished = true;
        return new Response(reply.body === undefined ? null : bytes(reply.body), {
          status: reply.status ?? 200,
          headers,
        });
      }
      const chunks = reply.chunks.map(bytes);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
          if (reply.dropAfterChunks !== undefined && sent >= reply.dropAfterChunks) {
            controller.error(new Error("mock drops the connection"));
            return;
          }
          if (reply.stallAfterChunks !== undefined && sent >= reply.stallAfterChunks) {
            await received.cancelled; // hold until the client goes away
            return;
          }
          const chunk = chunks[sent++];
          if (chunk === undefined) {
            finished = true;
            controller.close();
            return;
          }
          received.bytesSent += chunk.length;
          controller.enqueue(chunk);
        },
        cancel() {
          onGone();
        },
      });
      return new Response(stream, { status: reply.status ?? 200, headers });
    },
  });

  const mock: MockUpstream = {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port ?? 0,
    requests,
    reply(responder) {
      standing = asResponder(responder);
    },
    replyOnce(responder) {
      once.push(asResponder(responder));
    },
    async close() {
      await server.stop(true);
    },
    [Symbol.asyncDispose]() {
      return mock.close();
    },
  };
  return mock;
}
