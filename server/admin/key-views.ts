// An upstream key as the admin API shows it: masked, with its pool state.
import type { Pool } from "../upstream/pool.ts";
import type { KeyView } from "./schemas.ts";

export const keyViewsOf = (pool: Pool): KeyView[] =>
  pool.snapshot().map((k) => ({
    id: k.id,
    label: k.label,
    masked: k.masked,
    source: k.source,
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
