// The admin API (/api/*) on Elysia, for its schema validation and typed routes. Loaded by
// app.ts on the first /api request only: Elysia and TypeBox cost about 20 MB of memory, which a
// gateway on a phone that nobody is administering right now should not carry.
import { Elysia } from "elysia";
import type { Activity } from "../activity.ts";
import type { LiveConfig } from "../config/live.ts";
import type { Config } from "../config/schema.ts";
import { errorResponse, GatewayError, newRequestId } from "../errors.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { Provider } from "../providers/registry.ts";
import { requestTarget } from "../routes/target.ts";
import type { ClientKeyStore } from "../store/client-keys.ts";
import type { SharedStatus } from "../store/shared/shared-state.ts";
import type { UpstreamKeyStore } from "../store/upstream-keys.ts";
import type { UsageStore } from "../store/usage.ts";
import type { Pool, PoolKey } from "../upstream/pool.ts";
import type { ReachResult } from "../upstream/reachability.ts";
import { createAdminEvents } from "./events.ts";
import { adminFailure } from "./http.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import { providerRoutes } from "./provider-routes.ts";
import { adminRoutes } from "./routes.ts";
import type { Sessions } from "./sessions.ts";
import { settingsRoutes } from "./settings-routes.ts";
import { statusRoutes } from "./status-routes.ts";
import { createStatusView } from "./status-view.ts";

export interface AdminServerDeps {
  readonly config: () => Config;
  readonly live: LiveConfig;
  readonly sessions: Sessions;
  readonly throttle: LoginThrottle;
  /** Where bugs (admin 500s) are reported, with their cause. */
  readonly log: (line: string) => void;
  readonly pool: Pool;
  readonly usage: UsageStore;
  readonly clients: ClientKeyStore;
  readonly upstreamKeys: UpstreamKeyStore;
  readonly activity: Activity;
  readonly probe: (key: PoolKey) => Promise<{ status: number; message: string }>;
  readonly testProxy: (proxy: string) => Promise<ReachResult>;
  readonly listModels: (provider: Provider) => Promise<{ ids?: string[]; status: number; message: string }>;
  readonly reportedModels: (provider: string) => ReadonlySet<string>;
  /** Reads a provider's model list in the background (a provider just added with keys). */
  readonly readModels: (provider: Provider) => void;
  readonly saveReportedModels: (provider: string, ids: readonly string[]) => void;
  readonly reachability: () => ReachResult | undefined;
  /** Instances sharing state (issue 20); undefined when this one is alone. */
  readonly shared?: () => SharedStatus;
  readonly verifyPassword: (password: string) => Promise<boolean>;
  readonly now: () => number;
  readonly startedAt: number;
  readonly version: string;
  readonly runtime: string;
  readonly models: ModelCatalog;
  /** A streamed answer (the live events) is over: its connection goes back under the idle rules. */
  readonly releaseConnection: (request: Request) => void;
}

/** Elysia's validation message is JSON with a one-line `summary`. */
function validationSummary(message: string): string {
  try {
    const parsed = JSON.parse(message) as { summary?: string; message?: string; property?: string };
    return `${parsed.property ?? ""} ${parsed.summary ?? parsed.message ?? ""}`.trim();
  } catch {
    return message;
  }
}

export function createAdminServer(deps: AdminServerDeps) {
  const keysOrigin = (key: "upstream_keys" | "providers") => deps.live.origin(key);
  const status = createStatusView({
    config: deps.config,
    configProblem: deps.live.problem,
    pool: deps.pool,
    usage: deps.usage,
    activity: deps.activity,
    reachability: deps.reachability,
    now: deps.now,
    startedAt: deps.startedAt,
    version: deps.version,
    runtime: deps.runtime,
    models: deps.models,
    keysOrigin,
    shared: deps.shared,
  });
  return new Elysia()
    .onError(({ code, error, request }) => {
      if (code === "VALIDATION" || code === "PARSE") {
        const detail = code === "VALIDATION" ? validationSummary(error.message) : "the body is not valid JSON";
        return errorResponse(
          new GatewayError(400, "invalid_request_error", `invalid request: ${detail}`),
          "anthropic",
          newRequestId(),
        );
      }
      if (code !== "NOT_FOUND") return adminFailure(error, request, deps.log);
      return errorResponse(
        new GatewayError(404, "not_found_error", `no route for ${request.method} ${requestTarget(request.url).path}`),
        "anthropic",
        newRequestId(),
      );
    })
    .use(
      adminRoutes({
        sessions: deps.sessions,
        throttle: deps.throttle,
        pool: deps.pool,
        usage: deps.usage,
        clients: deps.clients,
        upstreamKeys: deps.upstreamKeys,
        probe: deps.probe,
        now: deps.now,
        verifyPassword: deps.verifyPassword,
        keysOrigin,
        models: deps.models,
        config: deps.config,
      }),
    )
    .use(settingsRoutes({ sessions: deps.sessions, live: deps.live, testProxy: deps.testProxy }))
    .use(
      providerRoutes({
        sessions: deps.sessions,
        live: deps.live,
        pool: deps.pool,
        upstreamKeys: deps.upstreamKeys,
        reportedModels: deps.reportedModels,
        saveReportedModels: deps.saveReportedModels,
        listModels: deps.listModels,
        readModels: deps.readModels,
        probe: deps.probe,
      }),
    )
    .use(
      statusRoutes({
        sessions: deps.sessions,
        config: deps.config,
        pool: deps.pool,
        usage: deps.usage,
        now: deps.now,
        models: deps.models,
        clientNames: () => deps.clients.list().flatMap((c) => (c.revoked_at === null ? [c.name] : [])),
        status,
        events: createAdminEvents({ usage: deps.usage, status, release: deps.releaseConnection }),
      }),
    );
}
