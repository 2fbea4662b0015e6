// Turns the upstream Anthropic SSE body into the client's stream (OpenAI chunks, or Responses
// events), event by event, with a keepalive comment whenever nothing was written for a while
// (contract §4). Upstream is read only when the client has taken what was translated so far
// (backpressure): a client that reads slowly holds upstream back instead of filling the
// gateway's memory. The translation itself is a pure state machine passed in.
import { createSseParser, type SseEvent } from "../protocol/sse-reader.ts";
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

/** One protocol's translation of an upstream stream, over its own state. */
export interface StreamTranslator<O> {
  readonly state: { finished: boolean };
  translate(event: SseEvent): O[];
  /** Upstream ended (cleanly or not): what closes the client's stream. */
  end(): O[];
  /** The upstream connection broke: the client's stream ends with this error. */
  broken(message: string): O[];
  serialize(output: O): string;
}

/** The chat route's translator (protocol/translate/stream.ts). */
export const chatTranslator = (state: StreamState): StreamTranslator<StreamOutput> => ({
  state,
  translate: (event) => translateEvent(state, event),
  end: () => endStream(state),
  broken: (message) => {
    state.finished = true;
    return [{ kind: "error", error: streamError("api_error", message) }, { kind: "done" }];
  },
  serialize: serializeOutput,
});

/** One upstream chunk at a time: `next()` reads and translates until it has output or the end. */
function createTranslator<O>(reader: ReadableStreamDefaultReader<Uint8Array>, translator: StreamTranslator<O>) {
  const decoder = new TextDecoder();
  const parser = createSseParser();
  const { state } = translator;
  return async function next(): Promise<O[]> {
    const out: O[] = [];
    while (out.length === 0 && !state.finished) {
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (error) {
        // The upstream connection broke: the client's stream still ends with an error, never silently.
        out.push(
          ...translator.broken(
            `the upstream connection broke mid-reply (${(error as Error).message}); the reply is incomplete`,
          ),
        );
        break;
      }
      const events = result.done ? parser.end() : parser.push(decoder.decode(result.value, { stream: true }));
      for (const event of events) out.push(...translator.translate(event));
      // Upstream ended: whatever came, the client's stream ends with an error or its last record.
      if (result.done) out.push(...translator.end());
    }
    if (state.finished) reader.cancel().catch(() => {});
    return out;
  };
}

/** Reads upstream events and hands each translated output to `sink` (non-streaming clients). */
export async function pumpTranslated<O>(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  translator: StreamTranslator<O>,
  sink: (output: O) => void,
): Promise<void> {
  const { state } = translator;
  const next = createTranslator(reader, translator);
  for (;;) {
    const outputs = await next();
    for (const output of outputs) sink(output);
    if (state.finished || outputs.length === 0) {
      reader.cancel().catch(() => {});
      return;
    }
  }
}

export function translatedStream<O>(
  body: ReadableStream<Uint8Array>,
  translator: StreamTranslator<O>,
  keepaliveMs = KEEPALIVE_MS,
) {
  const reader = body.getReader();
  const { state } = translator;
  const next = createTranslator(reader, translator);
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
          controller.enqueue(encoder.encode(outputs.map(translator.serialize).join("")));
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
