// The benchmark's upstream, in its own process: instant non-streaming Messages replies, and
// streams of FRAMES text deltas at a fixed pace whose text is "<seq>@<sent at, ms since epoch>",
// so the load generator can check order and loss and time each frame. Only requests whose
// metadata.user_id is "bench-paced-<ms>" get the paced stream, one frame every <ms>; other
// streaming requests (pocketgate's OpenAI route always streams upstream, contract §4) get a short
// stream at once, like the instant non-streaming reply. Prints "PORT <n>".
const FRAMES = 64;
const now = () => performance.timeOrigin + performance.now();

const message = JSON.stringify({
  id: "msg_bench",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-6",
  content: [{ type: "text", text: "ok" }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 1 },
});
const record = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const start = record("message_start", {
  type: "message_start",
  message: { ...JSON.parse(message), content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } },
});
const blockStart = (index: number, block: unknown) =>
  record("content_block_start", { type: "content_block_start", index, content_block: block });
const blockDelta = (index: number, delta: unknown) =>
  record("content_block_delta", { type: "content_block_delta", index, delta });
const blockStop = (index: number) => record("content_block_stop", { type: "content_block_stop", index });

const textStart = blockStart(0, { type: "text", text: "" });
const end =
  blockStop(0) +
  record("message_delta", {
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: FRAMES },
  }) +
  record("message_stop", { type: "message_stop" });
const encoder = new TextEncoder();

const instant = start + textStart + blockDelta(0, { type: "text_delta", text: "ok" }) + end;

function stream(paceMs: number): Response {
  let seq = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(start + textStart));
      timer = setInterval(() => {
        const text = `${seq}@${now().toFixed(3)}`;
        controller.enqueue(encoder.encode(blockDelta(0, { type: "text_delta", text })));
        seq++;
        if (seq === FRAMES) {
          clearInterval(timer);
          controller.enqueue(encoder.encode(end));
          controller.close();
        }
      }, paceMs);
    },
    cancel() {
      clearInterval(timer);
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

/** A long reasoning reply (issue 18): `events` thinking deltas, then the text, sent at once. */
const thinkingReplies = new Map<number, Uint8Array[]>();
function thinkingReply(events: number): Response {
  let chunks = thinkingReplies.get(events);
  if (chunks === undefined) {
    const parts = [start, blockStart(0, { type: "thinking", thinking: "", signature: "" })];
    for (let i = 0; i < events; i++) {
      parts.push(
        blockDelta(0, {
          type: "thinking_delta",
          thinking: `step ${i}: weigh the options and check the numbers again. `,
        }),
      );
    }
    parts.push(
      blockDelta(0, { type: "signature_delta", signature: "c2lnbmF0dXJl" }),
      blockStop(0),
      blockStart(1, { type: "text", text: "" }),
      blockDelta(1, { type: "text_delta", text: "ok" }),
      blockStop(1),
      record("message_delta", {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: events * 12 },
      }),
      record("message_stop", { type: "message_stop" }),
    );
    // Ten events a chunk, as a fast model's reply arrives.
    chunks = [];
    for (let i = 0; i < parts.length; i += 10) chunks.push(encoder.encode(parts.slice(i, i + 10).join("")));
    thinkingReplies.set(events, chunks);
  }
  const ready = chunks;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of ready) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    if (request.method === "POST" && url.pathname.endsWith("/messages")) {
      const body = (await request.json()) as { stream?: boolean; metadata?: { user_id?: string } };
      const paced = /^bench-paced-(\d+)$/.exec(body.metadata?.user_id ?? "");
      if (body.stream && paced) return stream(Number(paced[1]));
      const thinking = /^bench-thinking-(\d+)$/.exec(body.metadata?.user_id ?? "");
      if (body.stream && thinking) return thinkingReply(Number(thinking[1]));
      if (body.stream) return new Response(instant, { headers: { "content-type": "text/event-stream" } });
      return new Response(message, { headers: { "content-type": "application/json" } });
    }
    return new Response(JSON.stringify({ type: "error", error: { type: "not_found_error", message: url.pathname } }), {
      status: 404,
      headers: { "content-type": "application/json" },
    });
  },
});
console.log(`PORT ${server.port}`);
