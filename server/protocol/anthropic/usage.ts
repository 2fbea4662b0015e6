// Token usage of one Messages reply, read from its stream events or its JSON body (its cost is
// models/prices.ts). Pure.

export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  /** Web searches run by the server tool (billed per search). */
  webSearches: number;
}

export const emptyUsage = (): TokenUsage => ({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  webSearches: 0,
});

interface RawUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number };
  server_tool_use?: { web_search_requests?: number };
}

/**
 * Folds one `usage` object in; later values replace earlier ones, so the final message_delta's
 * cumulative figures win over message_start's
 * (https://platform.claude.com/docs/en/build-with-claude/streaming#event-types).
 */
export function mergeUsage(into: TokenUsage, raw: unknown): void {
  if (typeof raw !== "object" || raw === null) return;
  const u = raw as RawUsage;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  into.input = n(u.input_tokens) ?? into.input;
  into.output = n(u.output_tokens) ?? into.output;
  into.cacheRead = n(u.cache_read_input_tokens) ?? into.cacheRead;
  const oneHour = n(u.cache_creation?.ephemeral_1h_input_tokens);
  const fiveMin = n(u.cache_creation?.ephemeral_5m_input_tokens);
  const total = n(u.cache_creation_input_tokens);
  if (oneHour !== undefined || fiveMin !== undefined) {
    into.cacheWrite1h = oneHour ?? 0;
    into.cacheWrite5m = fiveMin ?? 0;
  } else if (total !== undefined) {
    // Without the split, cache writes are the 5-minute kind (the API's default), except what an
    // earlier event already said were 1-hour writes.
    into.cacheWrite1h = Math.min(into.cacheWrite1h, total);
    into.cacheWrite5m = total - into.cacheWrite1h;
  }
  into.webSearches = n(u.server_tool_use?.web_search_requests) ?? into.webSearches;
}

/** From one parsed stream event: message_start carries input usage, message_delta the rest. */
export function usageFromEvent(into: TokenUsage, event: Record<string, unknown>): string | undefined {
  if (event.type === "message_start") {
    const message = event.message as { usage?: unknown; model?: unknown } | undefined;
    mergeUsage(into, message?.usage);
    return typeof message?.model === "string" ? message.model : undefined;
  }
  if (event.type === "message_delta") mergeUsage(into, event.usage);
  return undefined;
}
