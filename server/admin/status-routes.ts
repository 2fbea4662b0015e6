// What the dashboard, the request log and the Connect page read.
import { Elysia } from "elysia";
import type { Activity } from "../activity.ts";
import type { Config } from "../config/schema.ts";
import { GatewayError } from "../errors.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import type { UsageStore } from "../store/usage.ts";
import type { Pool } from "../upstream/pool.ts";
import type { ReachResult } from "../upstream/reachability.ts";
import { guarded, json, sessionGuard } from "./http.ts";
import { keyViewsOf } from "./key-views.ts";
import {
  type ConnectResponse,
  type RequestDetail,
  type RequestFacets,
  RequestsQuery,
  type RequestsResponse,
  type StatusResponse,
} from "./schemas.ts";
import type { Sessions } from "./sessions.ts";

export interface StatusDeps {
  readonly sessions: Sessions;
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
  /** The active client keys' names. */
  readonly clientNames: () => string[];
}

function modelsView(models: ModelCatalog): StatusResponse["models"] {
  const status = models.status();
  return {
    source: status.source,
    count: status.count,
    fetched_at: status.fetchedAt ?? null,
    problem: status.problem ?? null,
  };
}

const startOfUtcDay = (ms: number) => ms - (ms % 86_400_000);
/** The request log's pickers offer what the last 30 days used. */
const FACET_DAYS = 30;

export function statusRoutes(deps: StatusDeps) {
  const requireSession = sessionGuard(deps.sessions);
  return new Elysia({ prefix: "/api" })
    .get(
      "/status",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        const now = deps.now();
        const today = deps.usage.summarySince(startOfUtcDay(now));
        return json({
          version: deps.version,
          runtime: deps.runtime,
          uptime_s: Math.round((now - deps.startedAt) / 1000),
          now,
          upstream: deps.reachability() ?? null,
          upstream_base_url: deps.config().upstream_base_url,
          ...deps.activity.snapshot(),
          today: { requests: today.requests, tokens: today.tokens, cost_usd: today.cost },
          keys: keyViewsOf(deps.pool),
          ...(deps.configProblem() === undefined ? {} : { config_problem: deps.configProblem() }),
          models: modelsView(deps.models),
        } satisfies StatusResponse);
      }),
    )
    .get(
      "/requests",
      guarded(({ request, query }: { request: Request; query: RequestsQuery }) => {
        requireSession(request);
        const rows = deps.usage.recent({ ...query, limit: query.limit ?? 200 });
        return json({ rows } satisfies RequestsResponse);
      }),
      { query: RequestsQuery },
    )
    .get(
      "/requests/facets",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        const logged = deps.usage.facets(deps.now() - FACET_DAYS * 86_400_000);
        const keys = new Map(logged.keys.map((k) => [k.id, k.label]));
        for (const key of deps.pool.snapshot()) keys.set(key.id, key.label);
        const clients = new Set([...deps.clientNames(), ...logged.clients]);
        return json({
          clients: [...clients].sort(),
          models: logged.models,
          keys: [...keys].map(([id, label]) => ({ id, label })).sort((a, b) => a.label.localeCompare(b.label)),
        } satisfies RequestFacets);
      }),
    )
    .get(
      "/requests/:id",
      guarded(({ request, params }: { request: Request; params: { id: string } }) => {
        requireSession(request);
        const row = /^\d+$/.test(params.id) ? deps.usage.request(Number(params.id)) : undefined;
        if (!row) throw new GatewayError(404, "not_found_error", `no request with id ${params.id} in the log`);
        return json(row satisfies RequestDetail);
      }),
    )
    .get(
      "/connect",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        const config = deps.config();
        return json({
          models: deps.models.list().map((m) => m.traits.id),
          models_source: deps.models.status().source,
          host: config.host,
          port: config.port,
        } satisfies ConnectResponse);
      }),
    );
}
