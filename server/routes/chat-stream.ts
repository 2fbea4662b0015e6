// Turns the upstream Anthropic SSE body into the client's OpenAI chunk stream, event by event,
// with a keepalive comment whenever nothing was written for a while (contract §4).
import { createSseParser, type SseEvent } from "../protocol/sse-reader.ts";
import {
  endStream,
  type StreamOutput,
  type StreamState,
  serializeOutput,
  translateEvent,
} from "../protocol/translate/stream.ts";

export const KEEPALIVE_MS = 15_000;
const encoder = new TextEncoder();

/** Reads upstream events and hands each translated output to `sink`; stops after [DONE]. */
export async function pumpTranslated(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  state: StreamState,
  sink: (output: StreamOutput) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  const parser = createSseParser();
  const feed = (events: SseEvent[]) => {
    for (const event of events) for (const output of translateEvent(state, event)) sink(output);
  };
  try {
    while (!state.finished) {
      const { done, value } = await reader.read();
      if (done) {
        feed(parser.end());
        break;
      }
      feed(parser.push(decoder.decode(value, { stream: true })));
    }
  } finally {
    // Whatever happened, the client's stream ends with an error or [DONE], never silently.
    for (const output of endStream(state)) sink(output);
    reader.cancel().catch(() => {});
  }
}

export function translatedStream(body: ReadableStream<Uint8Array>, state: StreamState, keepaliveMs = KEEPALIVE_MS) {
  const reader = body.getReader();
  let timer: ReturnType<typeof setInterval> | undefined;
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let lastWrite = Date.now();
      const write = (text: string) => {
        if (!open) return;
        lastWrite = Date.now();
        controller.enqueue(encoder.encode(text));
      };
      timer = setInterval(
        () => {
          if (Date.now() - lastWrite >= keepaliveMs) write(": keepalive\n\n");
        },
        Math.min(keepaliveMs, 1000),
      );
      pumpTranslated(reader, state, (output) => write(serializeOutput(output)))
        .catch(() => {}) // a read error after the client left; endStream already wrote the ending
        .finally(() => {
          clearInterval(timer);
          if (open) controller.close();
          open = false;
        });
    },
    cancel(reason) {
      open = false;
      clearInterval(timer);
      return reader.cancel(reason);
    },
  });
}
