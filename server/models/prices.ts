// What a reply cost, from the price file (server/data/prices.json): every token kind at its own
// stated price, plus web searches. A model the file does not list costs "unknown" (undefined),
// never a neighbour's or a fallback price. Pure.
import prices from "../data/prices.json" with { type: "json" };
import type { TokenUsage } from "../protocol/anthropic/usage.ts";

export interface PriceRow {
  readonly id: string;
  readonly input: number;
  readonly cache_write_5m: number;
  readonly cache_write_1h: number;
  readonly cache_read: number;
  readonly output: number;
  readonly web_search_per_1000?: number;
  readonly max_prompt_tokens?: number;
}

const rows = prices.models as readonly PriceRow[];
const byId = new Map(rows.map((row) => [row.id, row]));

/** Which list the costs come from, for the admin app. */
export const priceList = { source: prices.source, asOf: prices.as_of, models: rows.length } as const;

/** A model id without its date snapshot or "-latest" suffix: how price lists name it. */
export const undatedModel = (model: string): string => model.replace(/-(\d{8}|latest)$/, "");

/** The row for a model: its exact id, or the id without a date snapshot or "-latest" suffix. */
export function priceOf(model: string): PriceRow | undefined {
  return byId.get(model) ?? byId.get(undatedModel(model));
}

/** USD for one reply, or undefined when the price list (or the provider's own prices) cannot say. */
export function costUsd(model: string, usage: TokenUsage, row = priceOf(model)): number | undefined {
  if (!row) return undefined;
  const prompt = usage.input + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h;
  if (row.max_prompt_tokens !== undefined && prompt > row.max_prompt_tokens) return undefined;
  const perMillion = (tokens: number, price: number) => (tokens * price) / 1_000_000;
  const searchPrice = row.web_search_per_1000 ?? prices.web_search_per_1000;
  return (
    perMillion(usage.input, row.input) +
    perMillion(usage.cacheWrite5m, row.cache_write_5m) +
    perMillion(usage.cacheWrite1h, row.cache_write_1h) +
    perMillion(usage.cacheRead, row.cache_read) +
    perMillion(usage.output, row.output) +
    (usage.webSearches * searchPrice) / 1000
  );
}
