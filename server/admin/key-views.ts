// An upstream key as the admin API shows it: masked, with its pool state and where it came from.
import type { Pool } from "../upstream/pool.ts";
import type { KeyView } from "./schemas.ts";

/** Where the config's keys come from (the upstream_keys setting's origin). */
export type ConfigKeysOrigin = () => "env" | "file" | "flag" | "default";

export const keyViewsOf = (pool: Pool, configOrigin: ConfigKeysOrigin): KeyView[] => {
  const fromConfig = configOrigin();
  return pool.snapshot().map((k) => ({
    id: k.id,
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
  }));
};
