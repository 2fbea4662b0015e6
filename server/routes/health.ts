// Liveness: GET /health (JSON, no secrets), HEAD / and HEAD /api/hello.
import type { RouteDeps } from "./deps.ts";

export function healthRoute(deps: RouteDeps) {
  return (): Response =>
    Response.json(
      {
        status: "ok",
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

export const alive = (): Response => new Response(null, { status: 200 });
