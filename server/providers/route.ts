// Which providers serve a request's model, in the order to try them (issue 17). Pure.
//   1. an alias (model_aliases) names "provider/model": that provider, that model;
//   2. "provider/model" addresses one provider directly;
//   3. otherwise every enabled provider that lists the model (or read it from its /v1/models),
//      best priority first;
//   4. a model nobody lists goes to `anthropic`, as it always did (Anthropic answers an unknown
//      model itself), unless that provider is turned off.
import type { Config } from "../config/schema.ts";
import { GatewayError } from "../errors.ts";
import { ANTHROPIC } from "./config.ts";
import { type Provider, providersOf } from "./registry.ts";

export interface Resolution {
  /** The model upstream is asked for. */
  readonly model: string;
  /** The client asked by another name (an alias or a prefix): the body's `model` is replaced. */
  readonly renamed: boolean;
  /** Providers to try, in order (never empty). */
  readonly providers: readonly Provider[];
}

/** A listed id, or a pattern "prefix-*" that matches every id starting with "prefix-". */
export function listedBy(patterns: readonly string[], model: string): boolean {
  for (const pattern of patterns) {
    if (pattern === model) return true;
    if (pattern.endsWith("*") && model.startsWith(pattern.slice(0, -1))) return true;
  }
  return false;
}

/** Whether a provider knows a model id from a list of its own (a Models API). */
export type Knows = (provider: Provider, model: string) => boolean;

/** Whether this provider serves `model`: its configured list, or the list it gave. */
export const serves = (provider: Provider, model: string, knows: Knows): boolean =>
  listedBy(provider.models, model) || knows(provider, model);

const turnedOff = (name: string) =>
  new GatewayError(
    503,
    "overloaded_error",
    `provider "${name}" is turned off; turn it on in the admin app's Providers page or ask for another model`,
  );

function direct(config: Config, name: string, model: string, renamed: boolean): Resolution | undefined {
  const provider = providersOf(config).find((p) => p.name === name);
  if (!provider) return undefined;
  if (!provider.enabled) throw turnedOff(name);
  return { model, renamed, providers: [provider] };
}

/** An alias or "provider/model": one provider, the model renamed; undefined for a plain model id. */
export function directRoute(config: Config, model: string): Resolution | undefined {
  const alias = config.model_aliases[model];
  if (alias !== undefined) {
    const slash = alias.indexOf("/");
    const name = alias.slice(0, slash);
    const resolved = direct(config, name, alias.slice(slash + 1), true);
    if (resolved) return resolved;
    throw new GatewayError(
      400,
      "invalid_request_error",
      `model alias "${model}" points at provider "${name}", which is not configured; fix model_aliases`,
    );
  }
  const slash = model.indexOf("/");
  return slash > 0 ? direct(config, model.slice(0, slash), model.slice(slash + 1), true) : undefined;
}

/**
 * The providers for `model`, or a GatewayError the client can act on. `knows` answers from the
 * model ids a provider reported itself (Anthropic's Models API, another provider's /v1/models).
 */
export function resolveModel(config: Config, model: string, knows: Knows): Resolution {
  const pinned = directRoute(config, model);
  if (pinned) return pinned;
  const enabled = providersOf(config).filter((p) => p.enabled);
  const serving = enabled.filter((p) => serves(p, model, knows));
  if (serving.length > 0) return { model, renamed: false, providers: serving };
  const fallback = enabled.find((p) => p.name === ANTHROPIC);
  if (fallback) return { model, renamed: false, providers: [fallback] };
  throw new GatewayError(
    404,
    "not_found_error",
    `no enabled provider serves model "${model}"; list it under a provider's models in the Providers page, or use "provider/model"`,
  );
}

/**
 * The model a key test asks for: Anthropic's cheapest (undefined: the client's default), else the
 * provider's first listed id, else the first its /v1/models gave; null when it names none.
 */
export function probeModel(config: Config, provider: string, reported: Iterable<string>): string | undefined | null {
  if (provider === ANTHROPIC) return undefined;
  const found = providersOf(config).find((p) => p.name === provider);
  // A cloud provider's cheapest Claude model when its table names it (the table lists Opus first).
  if (found && found.kind !== "anthropic" && found.modelIds["claude-haiku-4-5"] !== undefined)
    return "claude-haiku-4-5";
  const listed = found?.models.find((m) => !m.endsWith("*"));
  return listed ?? [...reported][0] ?? null;
}
