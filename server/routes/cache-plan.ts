// Prompt caching on the way upstream (server/caching/): which policy the client gets, whether
// the request already carries its own markers, and what a cached conversation leaves for
// keep-warm. The routes call these; the rules themselves live in caching/.
import type { WarmCandidate } from "../caching/keep-warm.ts";
import { markerTtl } from "../caching/markers.ts";
import { type CachePolicy, type CacheTtl, type CachingRoute, cachePolicy, warmPolicy } from "../caching/policy.ts";
import { warmBodyOf } from "../caching/warm-body.ts";
import type { ClientCaching } from "../store/client-keys.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import type { RouteDeps } from "./deps.ts";
import type { RequestDraft } from "./request-log.ts";

export interface CachePlan {
  readonly policy: CachePolicy;
  /** The shortest TTL of the client's own markers; undefined when it sent none. */
  readonly own: CacheTtl | undefined;
  /** The policy adds its markers: "auto" and no markers of the client's own. */
  readonly apply: boolean;
  readonly client: ClientCaching | undefined;
}

export function cachePlan(
  deps: RouteDeps,
  credential: ClientCredential,
  route: CachingRoute,
  request: unknown,
): CachePlan {
  const client = credential.kind === "pool" ? deps.clients.byName(credential.client) : undefined;
  const policy = cachePolicy(deps.config(), client, route);
  const own = markerTtl(request);
  return { policy, own, apply: policy.mode === "auto" && own === undefined, client };
}

/**
 * The conversation goes on (nothing is re-warmed meanwhile); if its request is cached and the
 * client keeps conversations warm, the draft carries what a re-warm needs, for after the reply.
 */
export function noteConversation(
  deps: RouteDeps,
  draft: RequestDraft,
  credential: ClientCredential,
  plan: CachePlan,
  sent: { session: string; body: Uint8Array; parsed: Record<string, unknown>; headers: Headers },
): void {
  if (credential.kind !== "pool") return;
  // Two clients may hold the same conversation: each keeps its own warm.
  const session = `${credential.client}\u0000${sent.session}`;
  deps.keepWarm.touch(session);
  const ttl = plan.own ?? (plan.apply ? plan.policy.ttl : undefined);
  if (ttl === undefined || !warmPolicy(deps.config(), plan.client).on) return;
  const body = warmBodyOf(sent.body, sent.parsed);
  if (!body || typeof sent.parsed.model !== "string") return;
  const headers = new Headers({ "content-type": "application/json" });
  for (const [name, value] of sent.headers) if (name.startsWith("anthropic-")) headers.set(name, value);
  draft.warm = { session, client: credential.client, model: sent.parsed.model, body, headers, ttl };
}

/** A row written: a cached, complete reply starts (or restarts) keeping its conversation warm. */
export function warmAfter(
  draft: RequestDraft,
  status: number,
): draft is RequestDraft & { warm: WarmCandidate; keyId: string } {
  const usage = draft.usage;
  if (!draft.warm || draft.keyId === undefined || status >= 400 || !usage) return false;
  if (draft.streamEnd !== undefined && draft.streamEnd !== "complete") return false;
  return usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h > 0;
}
