// The price of a model at the provider that served it: the provider's own `prices` entry first;
// then, for Anthropic only, the price file (server/data/prices.json). Another provider's model
// with no entry of its own costs "unknown": another provider's price for a same-named model is not
// what this one bills. Cache prices a provider does not state are taken as its input price. Pure.
import { type PriceRow, priceOf } from "../models/prices.ts";
import { ANTHROPIC } from "./config.ts";
import type { Provider } from "./registry.ts";

const undated = (model: string) => model.replace(/-(\d{8}|latest)$/, "");

export function providerPrice(provider: Provider | undefined, model: string): PriceRow | undefined {
  const own = provider?.prices[model] ?? provider?.prices[undated(model)];
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
