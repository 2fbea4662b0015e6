// The price of a model at the provider that served it: the provider's own `prices` entry first;
// then, for Anthropic only, the price file (server/data/prices.json). Another provider's model
// with no entry of its own costs "unknown": another provider's price for a same-named model is not
// what this one bills. Cache prices a provider does not state are taken as its input price.
// Bedrock and Vertex bill Claude at Anthropic's list prices, 10% more on a regional endpoint for
// the newer models (providers/cloud-models.ts). Pure.
import { type PriceRow, priceOf, undatedModel } from "../models/prices.ts";
import { anthropicModelOf, hasRegionalPremium, REGIONAL_PREMIUM } from "./cloud-models.ts";
import { ANTHROPIC } from "./config.ts";
import type { Provider } from "./registry.ts";

export function providerPrice(provider: Provider | undefined, model: string): PriceRow | undefined {
  const own = provider?.prices[model] ?? provider?.prices[undatedModel(model)];
  if (own) {
    return {
      id: model,
      input: own.input,
      output: own.output,
      cache_read: own.cache_read ?? own.input,
      cache_write_5m: own.cache_write_5m ?? own.input,
      cache_write_1h: own.cache_write_1h ?? own.input,
    };
  }
  if (provider === undefined || provider.name === ANTHROPIC) return priceOf(model);
  if (provider.kind === "anthropic") return undefined;
  const anthropic = priceOf(model) ? model : anthropicModelOf(provider.modelIds, model);
  const list = priceOf(anthropic);
  if (!list || provider.endpoint !== "regional" || !hasRegionalPremium(anthropic)) return list;
  const scale = (usd: number) => Math.round(usd * REGIONAL_PREMIUM * 1e6) / 1e6;
  return {
    ...list,
    input: scale(list.input),
    output: scale(list.output),
    cache_read: scale(list.cache_read),
    cache_write_5m: scale(list.cache_write_5m),
    cache_write_1h: scale(list.cache_write_1h),
  };
}
