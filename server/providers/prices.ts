// The price of a model at the provider that served it: the provider's own `prices` entry first;
// then, for Anthropic only, the price file (server/data/prices.json). Another provider's model
// with no entry of its own costs "unknown": another provider's price for a same-named model is not
// what this one bills. Cache prices a provider does not state are taken as its input price. Pure.
import { type PriceRow, priceOf, undatedModel } from "../models/prices.ts";
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
  return provider === undefined || provider.name === ANTHROPIC ? priceOf(model) : undefined;
}
