// An upstream key as the admin API shows it: masked, with its pool state and where it came from.
import { ANTHROPIC } from "../providers/config.ts";
import type { Pool } from "../upstream/pool.ts";
import type { KeyView } from "./schemas.ts";

/** Where the config's keys come from: the upstream_keys setting's origin, or providers' for another provider. */
export type ConfigKeysOrigin = (key: "upstream_keys" | "providers") => "env" | "file" | "flag" | "default";

export const keyViewsOf = (pool: Pool, configOrigin: ConfigKeysOrigin): KeyView[] => {
  const origins = { upstream_keys: configOrigin("upstream_keys"), providers: configOrigin("providers") };
  return pool.snapshot().map((k) => {
    const fromConfig = origins[k.provider === ANTHROPIC ? "upstream_keys" : "providers"];
    return {
      id: k.id,
      provider: k.provider,
      label: k.label,
      masked: k.masked,
      source: k.source,
      origin: k.source === "admin" ? "admin" : fromConfig === "default" ? "file" : fromConfig,
      enabled: k.enabled,
      state: k.state,
      until: k.until,
      reason: k.reason,
      tokens_remaining: k.tokensRemaining,
      requests_remaining: k.requestsRemaining,
      tokens_limit: k.tokensLimit,
      requests_limit: k.requestsLimit,
      reset_at: k.resetAt,
      last_used: k.lastUsed,
    };
  });
};
