// Token usage of one Messages reply, read from its stream events or its JSON body, and its cost
// from the price table (server/data/prices.json). Pure.
import prices from "../../data/prices.json" with { type: "json" };

export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export const emptyUsage = (): TokenUsage => ({ input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 });

interface RawUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number };
}

/** Folds one `usage` object in; later values replace earlier ones (message_delta is cumulative). */
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
    // Without the split, cache writes are the 5-minute kind (the API's default).
    into.cacheWrite5m = total;
    into.cacheWrite1h = 0;
  }
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

interface PriceRow {
  prefix: string;
  input: number;
  output: number;
}

/** USD for the usage: cache writes 1.25x (5 min) or 2x (1 h) input price, cache reads 0.1x. */
export function costUsd(model: string, usage: TokenUsage): number {
  const row: Omit<PriceRow, "prefix"> =
    (prices.models as PriceRow[]).find((p) => model.startsWith(p.prefix)) ?? prices.fallback;
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  const input = perToken(row.input);
  return (
    usage.input * input +
    usage.cacheWrite5m * input * 1.25 +
    usage.cacheWrite1h * input * 2 +
    usage.cacheRead * input * 0.1 +
    usage.output * perToken(row.output)
  );
}
