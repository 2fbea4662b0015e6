// Reads token usage off an upstream reply without touching its bytes: SSE events
// message_start/message_delta as the stream passes (through the idle guard's watch, so no stream
// of its own), or a whole JSON body's `usage`.

import { emptyUsage, mergeUsage, type TokenUsage, usageFromEvent } from "../protocol/anthropic/usage.ts";
import { createSseParser } from "../protocol/sse-reader.ts";
import type { StreamWatch } from "../upstream/idle-guard.ts";

/** Fills `watch` so that `done` gets the stream's usage once, when it ends however it ends. */
export function watchUsage(watch: StreamWatch, done: (usage: TokenUsage, model: string | undefined) => void): void {
  const usage = emptyUsage();
  let model: string | undefined;
  const decoder = new TextDecoder();
  // Only the two events that carry usage are held (small records); the rest pass unparsed.
  const parser = createSseParser({
    maxRecord: 1024 * 1024,
    wanted: (event) => event === "message_start" || event === "message_delta",
  });
  let finished = false;
  watch.chunk = (chunk) => {
    for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
      if (event.oversized) continue;
      try {
        model = usageFromEvent(usage, JSON.parse(event.data)) ?? model;
      } catch {}
    }
  };
  watch.end = () => {
    if (finished) return;
    finished = true;
    done(usage, model);
  };
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
