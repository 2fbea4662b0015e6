// Which prompt-caching policy a request gets: the client key's own setting, else the global one
// (config prompt_cache, prompt_cache_ttl, keep_warm…). The OpenAI route caches by default; the
// native chat route only when the client key says "auto" (byte-faithful otherwise); the Claude
// Code profile never (contract §2: inspect, don't modify). Pure.
import type { Config } from "../config/schema.ts";
import type { ClientCaching } from "../store/client-keys.ts";

export type CacheTtl = "5m" | "1h";

export interface CachePolicy {
  readonly mode: "auto" | "off";
  readonly ttl: CacheTtl;
}

export interface WarmPolicy {
  readonly on: boolean;
  /** US dollars per UTC day. */
  readonly maxPerDay: number;
  readonly idleStopMs: number;
  /** 0: re-warm shortly before the TTL runs out. */
  readonly everyMs: number;
}

export type CachingRoute = "openai" | "native" | "code";

type CachingConfig = Pick<
  Config,
  | "prompt_cache"
  | "prompt_cache_ttl"
  | "keep_warm"
  | "keep_warm_max_per_day"
  | "keep_warm_idle_stop"
  | "keep_warm_every"
>;

/** `client` is undefined for a passthrough credential (the caller's own Anthropic key). */
export function cachePolicy(
  config: CachingConfig,
  client: ClientCaching | undefined,
  route: CachingRoute,
): CachePolicy {
  const ttl = client?.prompt_cache_ttl ?? config.prompt_cache_ttl;
  if (route === "code") return { mode: "off", ttl };
  if (route === "native") return { mode: client?.prompt_cache === "auto" ? "auto" : "off", ttl };
  return { mode: client?.prompt_cache ?? config.prompt_cache, ttl };
}

/** Keep-warm is never on for a passthrough credential: pocketgate does not hold on to it. */
export function warmPolicy(config: CachingConfig, client: ClientCaching | undefined): WarmPolicy {
  const on = client ? (client.keep_warm ?? (config.keep_warm ? 1 : 0)) === 1 : false;
  return {
    on,
    maxPerDay: client?.keep_warm_max_per_day ?? config.keep_warm_max_per_day,
    idleStopMs:
      client?.keep_warm_idle_stop !== null && client?.keep_warm_idle_stop !== undefined
        ? client.keep_warm_idle_stop * 60_000
        : config.keep_warm_idle_stop * 1000,
    everyMs: config.keep_warm_every * 1000,
  };
}

/** How long a cache entry lives unused. https://platform.claude.com/docs/en/build-with-claude/prompt-caching */
export const TTL_MS: Record<CacheTtl, number> = { "5m": 5 * 60_000, "1h": 60 * 60_000 };

/** What a client key's requests get, the global settings filled in (the admin app shows it). */
export function cachingView(config: CachingConfig, client: ClientCaching) {
  const warm = warmPolicy(config, client);
  return {
    openai: cachePolicy(config, client, "openai").mode,
    native: cachePolicy(config, client, "native").mode,
    ttl: cachePolicy(config, client, "openai").ttl,
    keep_warm: warm.on,
    keep_warm_max_per_day: warm.maxPerDay,
    keep_warm_idle_stop_min: warm.idleStopMs / 60_000,
  };
}
