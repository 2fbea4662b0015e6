// What prompt caching saved on one request, in US dollars: the cache reads at the full input
// price, less what they cost as reads, less the write premium (a 5m write costs 1.25× input, a
// 1h write 2×: https://platform.claude.com/docs/en/about-claude/pricing). A keep-warm request
// exists only for caching, so its saving is minus its whole cost. Negative when writes were not
// read back. undefined when the price list does not know the model. Pure.
import { type PriceRow, priceOf } from "../models/prices.ts";
import type { TokenUsage } from "../protocol/anthropic/usage.ts";

export const KEEP_WARM_ROUTE = "keep-warm";

export function savedUsd(
  model: string,
  usage: TokenUsage,
  route: string,
  costUsd: number | undefined,
  row: PriceRow | undefined = priceOf(model),
): number | undefined {
  if (route === KEEP_WARM_ROUTE) return costUsd === undefined ? undefined : -costUsd;
  if (usage.cacheRead === 0 && usage.cacheWrite5m === 0 && usage.cacheWrite1h === 0) return 0;
  // The cost is unknown past a model's priced prompt size, and so is the saving.
  if (!row || costUsd === undefined) return undefined;
  const perMillion = (tokens: number, price: number) => (tokens * price) / 1_000_000;
  return (
    perMillion(usage.cacheRead, row.input - row.cache_read) -
    perMillion(usage.cacheWrite5m, row.cache_write_5m - row.input) -
    perMillion(usage.cacheWrite1h, row.cache_write_1h - row.input)
  );
}
