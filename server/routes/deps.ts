import type { Activity } from "../activity.ts";
import type { Limits } from "../auth/limits.ts";
import type { KeepWarm } from "../caching/keep-warm.ts";
import type { Config } from "../config/schema.ts";
import type { Metrics } from "../metrics.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { Resolution } from "../providers/route.ts";
import type { ClientKeyStore } from "../store/client-keys.ts";
import type { SharedStatus } from "../store/shared/shared-state.ts";
import type { UsageStore } from "../store/usage.ts";
import type { CallUpstream } from "../upstream/client.ts";
import type { RequestLog } from "./request-log.ts";

/** What route modules need; built once in app.ts. */
export interface RouteDeps {
  readonly config: () => Config;
  readonly callUpstream: CallUpstream;
  readonly now: () => number;
  readonly version: string;
  readonly build: string;
  readonly runtime: string;
  readonly startedAt: number;
  /** Keys in the pool: from the config and added in the admin app. */
  readonly upstreamKeyCount: () => number;
  /** Instances sharing state (issue 20): what /health reports of it; undefined when alone. */
  readonly shared?: () => SharedStatus;
  readonly usage: UsageStore;
  readonly clients: ClientKeyStore;
  readonly limits: Limits;
  readonly metrics: Metrics;
  readonly activity: Activity;
  /** Called when a streamed answer ends, however it ends (platform/serve's releaseConnection). */
  readonly releaseConnection: (request: Request) => void;
  /** Every model's traits (Models API, database, built-in). */
  readonly models: ModelCatalog;
  /** The server log (stderr). */
  readonly log: (line: string) => void;
  /** Every proxy request's row in the request log. */
  readonly requestLog: RequestLog;
  /** The providers for a model, best first (providers/route.ts); throws GatewayError when none. */
  readonly route: (model: string) => Resolution;
  /** The model ids a provider other than anthropic listed at its own /v1/models. */
  readonly providerModelIds: (provider: string) => ReadonlySet<string>;
  /** An alias or "provider/model" resolved; undefined for a plain model id. */
  readonly directRoute: (model: string) => Resolution | undefined;
  /** Idle cached conversations re-warmed (caching/keep-warm.ts). */
  readonly keepWarm: Pick<KeepWarm, "touch">;
}
