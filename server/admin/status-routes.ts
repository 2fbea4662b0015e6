// What the dashboard, the request log and the Connect page read.
import { Elysia } from "elysia";
import type { Config } from "../config/schema.ts";
import { GatewayError } from "../errors.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import { lanAddresses } from "../platform/network.ts";
import type { UsageStore } from "../store/usage.ts";
import type { Pool } from "../upstream/pool.ts";
import type { AdminEvents } from "./events.ts";
import { guarded, json, sessionGuard } from "./http.ts";
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
  readonly pool: Pool;
  readonly usage: UsageStore;
  readonly now: () => number;
  readonly models: ModelCatalog;
  /** The active client keys' names. */
  readonly clientNames: () => string[];
  /** The dashboard's picture (status-view.ts). */
  readonly status: () => StatusResponse;
  readonly events: AdminEvents;
}

/** The request log's pickers offer what the last 30 days used. */
const FACET_DAYS = 30;

export function statusRoutes(deps: StatusDeps) {
  const requireSession = sessionGuard(deps.sessions);
  return new Elysia({ prefix: "/api" })
    .get(
      "/status",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        return json(deps.status());
      }),
    )
    .get(
      "/events",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        return deps.events.open(request);
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
          lan_addresses: lanAddresses(config.host),
        } satisfies ConnectResponse);
      }),
    );
}
