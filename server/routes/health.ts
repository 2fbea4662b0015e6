// Liveness: GET /health (JSON, no secrets), HEAD / and HEAD /api/hello.
import type { SharedStatus } from "../store/shared/shared-state.ts";
import type { RouteDeps } from "./deps.ts";

export function healthRoute(deps: RouteDeps) {
  return (): Response =>
    Response.json(
      {
        ...healthStatus(deps.shared?.()),
        name: "pocketgate",
        version: deps.version,
        build: deps.build,
        runtime: deps.runtime,
        uptime_s: Math.round((deps.now() - deps.startedAt) / 1000),
        upstream_keys: deps.upstreamKeyCount(),
      },
      { headers: { "cache-control": "no-store" } },
    );
}

/** "ok", or "degraded" with what is missing when instances share state and some of it is down. */
function healthStatus(shared: SharedStatus | undefined) {
  if (!shared) return { status: "ok" };
  return {
    status: shared.degraded ? "degraded" : "ok",
    ...(shared.message ? { message: shared.message } : {}),
    shared: {
      redis: shared.redis,
      database: shared.database,
      usage_waiting: shared.usage_waiting,
      usage_dropped: shared.usage_dropped,
    },
  };
}

export const alive = (): Response => new Response(null, { status: 200 });
