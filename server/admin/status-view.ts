// The dashboard's whole picture, built in one place for GET /api/status and the live event
// stream: the gateway, its verdict (health.ts), the last hour, today, each upstream key.
import type { Activity } from "../activity.ts";
import type { Config } from "../config/schema.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { SharedStatus } from "../store/shared/shared-state.ts";
import type { UsageStore } from "../store/usage.ts";
import type { Pool } from "../upstream/pool.ts";
import type { ReachResult } from "../upstream/reachability.ts";
import { healthOf } from "./health.ts";
import { type ConfigKeysOrigin, keyViewsOf } from "./key-views.ts";
import type { StatusResponse } from "./schemas.ts";

export interface StatusViewDeps {
  readonly config: () => Config;
  /** Why the config file on disk is not in force (live.problem). */
  readonly configProblem: () => string | undefined;
  readonly pool: Pool;
  readonly usage: UsageStore;
  readonly activity: Activity;
  readonly reachability: () => ReachResult | undefined;
  readonly now: () => number;
  readonly startedAt: number;
  readonly version: string;
  readonly runtime: string;
  readonly models: ModelCatalog;
  readonly keysOrigin: ConfigKeysOrigin;
  /** Instances sharing state (issue 20); undefined when this one is alone. */
  readonly shared?: () => SharedStatus;
}

const startOfUtcDay = (ms: number) => ms - (ms % 86_400_000);

function modelsView(models: ModelCatalog): StatusResponse["models"] {
  const status = models.status();
  return {
    source: status.source,
    count: status.count,
    fetched_at: status.fetchedAt ?? null,
    problem: status.problem ?? null,
  };
}

/** Today per provider (issue 17): requests, failures, cost, and requests whose cost is unknown. */
function providersToday(usage: UsageStore, since: number): StatusResponse["today_by_provider"] {
  return usage
    .aggregate("provider", since)
    .filter((row) => row.group !== "")
    .map((row) => ({
      provider: String(row.group),
      requests: Number(row.requests),
      failed: Number(row.failed),
      cost_usd: Number(row.cost_usd),
      unpriced: Number(row.unpriced),
    }));
}

export function createStatusView(deps: StatusViewDeps): () => StatusResponse {
  return () => {
    const now = deps.now();
    const config = deps.config();
    const today = deps.usage.summarySince(startOfUtcDay(now));
    const keys = keyViewsOf(deps.pool, deps.keysOrigin);
    const reach = deps.reachability();
    const lastHour = deps.activity.lastHour(now);
    const configProblem = deps.configProblem();
    const shared = deps.shared?.();
    return {
      version: deps.version,
      runtime: deps.runtime,
      uptime_s: Math.round((now - deps.startedAt) / 1000),
      now,
      upstream: reach ?? null,
      upstream_base_url: config.upstream_base_url,
      ...deps.activity.snapshot(),
      health: healthOf({
        reach,
        keys,
        lastHour,
        configProblem,
        baseUrl: config.upstream_base_url,
        proxy: config.proxy,
        ...(shared
          ? {
              shared: { down: shared.down, waiting: shared.usage_waiting },
            }
          : {}),
      }),
      last_hour: { requests: lastHour.requests, failed: lastHour.failed },
      today: {
        requests: today.requests,
        failed: today.failed,
        tokens: today.tokens,
        input_tokens: today.input,
        cache_read_tokens: today.cache_read,
        cache_write_tokens: today.cache_write,
        cost_usd: today.cost,
        saved_usd: today.saved,
        keep_warm_requests: today.keep_warm_requests,
        keep_warm_usd: today.keep_warm_cost,
      },
      today_by_provider: providersToday(deps.usage, startOfUtcDay(now)),
      keys,
      ...(configProblem === undefined ? {} : { config_problem: configProblem }),
      ...(shared ? { shared } : {}),
      models: modelsView(deps.models),
    };
  };
}
