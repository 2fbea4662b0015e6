// POST /v1/messages and its aliases: native passthrough (contract §2). Inspect, don't modify:
// the body bytes go upstream exactly as received; only a parsed copy is checked. The one
// exception is opt-in per client key (fit_requests, chat profile only): top-level sampling,
// thinking and effort fields fitted to the model, every other byte kept (models/fit-native.ts);
// and prompt caching, also opt-in per key: one top-level field added (caching/apply.ts); and an
// alias or "provider/model" replaced by the provider's own model id (providers/rename.ts).
import { spliceTopLevelCache } from "../caching/apply.ts";
import { fitNativeBody } from "../models/fit-native.ts";
import { renameModel } from "../providers/rename.ts";
import type { Resolution } from "../providers/route.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import { sessionOf } from "../upstream/session.ts";
import { accounted, captureOf, clientName } from "./accounting.ts";
import { admit, clientOf } from "./authorize.ts";
import { cachePlan, noteConversation } from "./cache-plan.ts";
import { logFitting } from "./chat-completions.ts";
import type { RouteDeps } from "./deps.ts";
import { parseJsonObject, readBody, requireJsonContentType, requireMessagesFields } from "./read-body.ts";
import { noteKey, noteRoute, type RequestDraft } from "./request-log.ts";
import { requestTarget } from "./target.ts";

/** Authenticates, reads and checks the body; throws GatewayError on any client mistake. */
export async function acceptMessagesRequest(request: Request, deps: RouteDeps, draft: RequestDraft, counted = true) {
  const config = deps.config();
  // Authenticate before reading the body: a wrong key costs nothing and goes nowhere (§1).
  const credential = counted ? await admit(request, deps, draft) : clientOf(request, deps, draft);
  requireJsonContentType(request);
  const body = await readBody(request, { limit: config.body_limit, idleSeconds: config.client_idle_timeout });
  draft.captured = captureOf(deps, body);
  const parsed = parseJsonObject(body);
  if (typeof parsed.model === "string") draft.model = parsed.model;
  requireMessagesFields(parsed);
  return { credential, body, parsed };
}

/**
 * Where a native request goes: the providers serving its model, and its bytes with the model
 * renamed when an alias or a prefix was resolved. A passthrough client's own Anthropic credential
 * goes to Anthropic with its request as sent.
 */
export function routeNative(
  deps: RouteDeps,
  credential: ClientCredential,
  body: Uint8Array,
  model: string,
): { body: Uint8Array; resolution?: Resolution } {
  if (credential.kind === "client") return { body };
  const resolution = deps.route(model);
  return { body: resolution.renamed ? renameModel(body, resolution.model) : body, resolution };
}

/** Whether this client asked for its native requests to be fitted (never on the /code profile). */
const fits = (deps: RouteDeps, credential: ClientCredential, path: string) =>
  credential.kind === "pool" &&
  !path.startsWith("/code/") &&
  deps.clients.byName(credential.client)?.fit_requests === 1;

export function messagesRoute(deps: RouteDeps) {
  const fittingLogged = new Set<string>();
  return async (request: Request, draft: RequestDraft): Promise<Response> => {
    const target = requestTarget(request.url);
    const accepted = await acceptMessagesRequest(request, deps, draft);
    const { credential, parsed } = accepted;
    const model = parsed.model as string;
    let { body, resolution } = routeNative(deps, credential, accepted.body, model);
    const upstreamModel = resolution?.model ?? model;
    noteRoute(draft, resolution);
    if (fits(deps, credential, target.path)) {
      let fitted: string[];
      ({ body, fitted } = fitNativeBody(body, parsed, deps.models.traits(upstreamModel)));
      draft.fitted = fitted;
      logFitting(deps, fittingLogged, clientName(credential), upstreamModel, fitted);
    }
    // Prompt caching: only the top-level field, only when the client key asks for it, never on
    // the Claude Code profile, never beside markers of the client's own (caching/policy.ts).
    const session = sessionOf(request.headers, parsed);
    // Only for providers that take it (providers/config.ts prompt_cache): others get the bytes as they were.
    const plan = cachePlan(deps, credential, target.path.startsWith("/code/") ? "code" : "native", parsed);
    const plain = body;
    const cached = plan.apply ? spliceTopLevelCache(body, plan.policy.ttl) : body;
    noteConversation(deps, draft, credential, plan, { session, body: cached, parsed, headers: request.headers });
    const result = await deps.callUpstream({
      session,
      method: "POST",
      path: "/v1/messages",
      search: target.search,
      headers: request.headers,
      body: plain,
      bodyFor: (provider) => (provider.promptCache ? cached : plain),
      providers: resolution?.providers,
      credential,
      signal: request.signal,
      onKey: noteKey(draft),
    });
    return accounted(deps, request, draft, result);
  };
}
