// Reads token usage off an upstream body as it passes, without changing a byte: SSE events
// message_start/message_delta, or the JSON body's `usage`. `done` runs once, also when the
// client goes away mid-stream (with what was seen so far).

import { emptyUsage, mergeUsage, type TokenUsage, usageFromEvent } from "../protocol/anthropic/usage.ts";
import { createSseParser } from "../protocol/sse-reader.ts";

export function tapUsage(
  body: ReadableStream<Uint8Array>,
  sse: boolean,
  done: (usage: TokenUsage, model: string | undefined) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const usage = emptyUsage();
  let model: string | undefined;
  const decoder = new TextDecoder();
  const parser = createSseParser();
  let json = "";
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    if (!sse) {
      try {
        const parsed = JSON.parse(json) as { usage?: unknown; model?: unknown };
        mergeUsage(usage, parsed.usage);
        if (typeof parsed.model === "string") model = parsed.model;
      } catch {}
    }
    done(usage, model);
  };
  const look = (text: string) => {
    if (!sse) {
      json += text;
      return;
    }
    for (const event of parser.push(text)) {
      // Only two event kinds carry usage; the rest are not parsed at all.
      if (event.event !== "message_start" && event.event !== "message_delta") continue;
      try {
        model = usageFromEvent(usage, JSON.parse(event.data)) ?? model;
      } catch {}
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          finish();
          controller.close();
          return;
        }
        look(decoder.decode(value, { stream: true }));
        controller.enqueue(value);
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
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
