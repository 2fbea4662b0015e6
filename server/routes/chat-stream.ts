// Turns the upstream Anthropic SSE body into the client's OpenAI chunk stream, event by event,
// with a keepalive comment whenever nothing was written for a while (contract §4). Upstream is
// read only when the client has taken what was translated so far (backpressure): a client that
// reads slowly holds upstream back instead of filling the gateway's memory.
import { createSseParser } from "../protocol/sse-reader.ts";
import {
  endStream,
  type StreamOutput,
  type StreamState,
  serializeOutput,
  streamError,
  translateEvent,
} from "../protocol/translate/stream.ts";

export const KEEPALIVE_MS = 15_000;
const encoder = new TextEncoder();

/** One upstream chunk at a time: `next()` reads and translates until it has output or the end. */
function createTranslator(reader: ReadableStreamDefaultReader<Uint8Array>, state: StreamState) {
  const decoder = new TextDecoder();
  const parser = createSseParser();
  return async function next(): Promise<StreamOutput[]> {
    const out: StreamOutput[] = [];
    while (out.length === 0 && !state.finished) {
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (error) {
        // The upstream connection broke: the client's stream still ends with an error, never silently.
        state.finished = true;
        const message = `the upstream connection broke mid-reply (${(error as Error).message}); the reply is incomplete`;
        out.push({ kind: "error", error: streamError("api_error", message) }, { kind: "done" });
        break;
      }
      const events = result.done ? parser.end() : parser.push(decoder.decode(result.value, { stream: true }));
      for (const event of events) out.push(...translateEvent(state, event));
      // Upstream ended: whatever came, the client's stream ends with an error or [DONE].
      if (result.done) out.push(...endStream(state));
    }
    if (state.finished) reader.cancel().catch(() => {});
    return out;
  };
}

/** Reads upstream events and hands each translated output to `sink` (non-streaming clients). */
export async function pumpTranslated(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  state: StreamState,
  sink: (output: StreamOutput) => void,
): Promise<void> {
  const next = createTranslator(reader, state);
  for (;;) {
    const outputs = await next();
    for (const output of outputs) sink(output);
    if (state.finished || outputs.length === 0) {
      reader.cancel().catch(() => {});
      return;
    }
  }
}

export function translatedStream(body: ReadableStream<Uint8Array>, state: StreamState, keepaliveMs = KEEPALIVE_MS) {
  const reader = body.getReader();
  const next = createTranslator(reader, state);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastWrite = Date.now();
  let open = true;
  const stop = () => {
    open = false;
    clearTimeout(timer);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // Due exactly keepaliveMs after the last write (a coarse interval could miss a pause
        // only a little longer than keepaliveMs).
        const tick = () => {
          if (!open) return;
          const quiet = Date.now() - lastWrite;
          if (quiet < keepaliveMs) return schedule(keepaliveMs - quiet);
          // Only into an empty queue: a client that is not reading needs no keepalive.
          if ((controller.desiredSize ?? 0) <= 0) return schedule(1000);
          lastWrite = Date.now();
          controller.enqueue(encoder.encode(": keepalive\n\n"));
          schedule(keepaliveMs);
        };
        const schedule = (ms: number) => {
          timer = setTimeout(tick, ms);
        };
        schedule(keepaliveMs);
      },
      async pull(controller) {
        const outputs = await next();
        if (!open) return;
        if (outputs.length > 0) {
          lastWrite = Date.now();
          controller.enqueue(encoder.encode(outputs.map(serializeOutput).join("")));
        }
        if (state.finished || outputs.length === 0) {
          stop();
          controller.close();
        }
      },
      cancel(reason) {
        stop();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 1 },
  );
}
