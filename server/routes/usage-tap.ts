// Reads token usage off an upstream reply without touching its bytes: SSE events
// message_start/message_delta as the stream passes (through the idle guard's watch, so no stream
// of its own), or a whole JSON body's `usage`. Also how a stream ended: complete (message_stop),
// an upstream `error` event, or the idle guard's reason (client gone, silence, a broken connection).

import { byteFinder } from "../platform/bytes.ts";
import { emptyUsage, mergeUsage, type TokenUsage, usageFromEvent } from "../protocol/anthropic/usage.ts";
import { createSseByteParser } from "../protocol/sse-byte-reader.ts";
import type { SseEvent } from "../protocol/sse-reader.ts";
import type { StreamEnd } from "../store/usage.ts";
import type { StopReason, StreamWatch } from "../upstream/idle-guard.ts";

export interface Failure {
  readonly type: string;
  readonly message: string;
}

export interface StreamOutcome {
  readonly usage: TokenUsage;
  readonly model: string | undefined;
  readonly end: StreamEnd;
  /** Why it did not end complete, in the words the client got. */
  readonly error?: Failure;
}

/** The idle guard's reasons, as the request log names them. */
const endOf: Record<Exclude<StopReason, "complete">, StreamEnd> = {
  cancelled: "client_gone",
  idle: "idle_timeout",
  broken: "upstream_error",
  stalled: "client_stalled",
};

const wanted = new Set(["message_start", "message_delta", "message_stop", "error"]);

/** Fills `watch` so that `done` gets the stream's usage and end once, however it ends. */
export function watchUsage(
  watch: StreamWatch,
  /** The guard's own error for a reason (what it wrote into the stream), if any. */
  describe: (reason: StopReason, error: unknown) => Failure | undefined,
  done: (outcome: StreamOutcome) => void,
): void {
  const usage = emptyUsage();
  let model: string | undefined;
  let stopped = false;
  let upstreamError: Failure | undefined;
  // Only the events that carry usage or the end are held (small records); the rest pass undecoded.
  const parser = createSseByteParser({
    maxRecord: 1024 * 1024,
    wanted: (event) => wanted.has(event),
    finder: byteFinder,
  });
  let finished = false;
  const take = (events: readonly SseEvent[]) => {
    for (const event of events) {
      if (event.oversized) continue;
      if (event.event === "message_stop") {
        stopped = true;
        continue;
      }
      try {
        const parsed = JSON.parse(event.data);
        if (event.event === "error") upstreamError = errorOf(parsed) ?? { type: "api_error", message: event.data };
        else model = usageFromEvent(usage, parsed) ?? model;
      } catch {}
    }
  };
  watch.chunk = (chunk) => take(parser.push(chunk));
  watch.end = (reason, error) => {
    if (finished) return;
    finished = true;
    take(parser.end());
    done({ usage, model, ...ending(reason, error) });
  };

  function ending(reason: StopReason, error: unknown): { end: StreamEnd; error?: Failure } {
    if (upstreamError) return { end: "upstream_error", error: upstreamError };
    // A translator that has what it needs cancels the rest: after message_stop that is complete.
    if (stopped) return { end: "complete" };
    if (reason === "complete") {
      return {
        end: "upstream_error",
        error: { type: "api_error", message: "upstream ended the stream before message_stop" },
      };
    }
    const failure = describe(reason, error);
    return { end: endOf[reason], ...(failure ? { error: failure } : {}) };
  }
}

/** `{"type":"error","error":{"type","message"}}` → its type and message. */
export function errorOf(parsed: unknown): Failure | undefined {
  const error = (parsed as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  if (typeof error !== "object" || error === null) return undefined;
  const type = typeof error.type === "string" ? error.type : "api_error";
  const message = typeof error.message === "string" ? error.message : JSON.stringify(error).slice(0, 500);
  return { type, message };
}

/** An error reply's body (upstream's own words) → its type and message; undefined if it is not one. */
export function errorOfBytes(bytes: Uint8Array | undefined): Failure | undefined {
  if (!bytes || bytes.length > 64 * 1024) return undefined;
  try {
    return errorOf(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    const text = new TextDecoder().decode(bytes).trim();
    return text ? { type: "api_error", message: text.slice(0, 500) } : undefined;
  }
}

/** Usage and model from a whole JSON reply (empty usage when it is not one). */
export function usageOfJson(bytes: Uint8Array): { usage: TokenUsage; model: string | undefined } {
  const usage = emptyUsage();
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { usage?: unknown; model?: unknown };
    mergeUsage(usage, parsed.usage);
    return { usage, model: typeof parsed.model === "string" ? parsed.model : undefined };
  } catch {
    return { usage, model: undefined };
  }
}
