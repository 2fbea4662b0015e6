// /metrics for instances sharing state (issue 20): whether each store can be reached, and the
// usage rows waiting for PostgreSQL or given up past shared_usage_buffer.
import type { SharedStatus } from "./shared-state.ts";

export function sharedGauges(status: SharedStatus) {
  const links: [Record<string, string>, number][] = [];
  if (status.redis !== "off") links.push([{ store: "redis" }, status.redis === "ok" ? 1 : 0]);
  if (status.database !== "off") links.push([{ store: "postgres" }, status.database === "ok" ? 1 : 0]);
  return [
    { name: "pocketgate_shared_store_up", help: "1 when the shared store can be reached, 0 when not.", values: links },
    {
      name: "pocketgate_shared_usage_waiting",
      help: "Usage rows kept for PostgreSQL, not yet written there.",
      values: [[{}, status.usage_waiting]] as [Record<string, string>, number][],
    },
    {
      name: "pocketgate_shared_usage_dropped_total",
      help: "Usage rows given up since start because more than shared_usage_buffer waited for PostgreSQL.",
      values: [[{}, status.usage_dropped]] as [Record<string, string>, number][],
    },
  ];
}
