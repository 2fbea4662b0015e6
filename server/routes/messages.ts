// POST /v1/messages and its aliases: native passthrough (contract §2). Inspect, don't modify:
// the body bytes go upstream exactly as received; only a parsed copy is checked. The one
// exception is opt-in per client key (fit_requests, chat profile only): top-level sampling,
// thinking and effort fields fitted to the model, every other byte kept (models/fit-native.ts);
// and prompt caching, also opt-in per key: one top-level field added (caching/apply.ts).
import { spliceTopLevelCache } from "../caching/apply.ts";
import { fitNativeBody } from "../models/fit-native.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import { sessionOf } from "../upstream/session.ts";
import { accounted, captureOf, clientName } from "./accounting.ts";
import { admit, clientOf } from "./authorize.ts";
import { cachePlan, noteConversation } from "./cache-plan.ts";
import { logFitting } from "./chat-completions.ts";
import type { RouteDeps } from "./deps.ts";
import { parseJsonObject, readBody, requireJsonContentType, requireMessagesFields } from "./read-body.ts";
import { noteKey, type RequestDraft } from "./request-log.ts";
import { requestTarget } from "./target.ts";

/** Authenticates, reads and checks the body; throws GatewayError on any client mistake. */
export async function acceptMessagesRequest(request: Request, deps: RouteDeps, draft: RequestDraft, counted = true) {
  const config = deps.config();
  // Authenticate before reading the body: a wrong key costs nothing and goes nowhere (§1).
  const credential = counted ? admit(request, deps, draft) : clientOf(request, deps, draft);
  requireJsonContentType(request);
  const body = await readBody(request, { limit: config.body_limit, idleSeconds: config.client_idle_timeout });
  draft.captured = captureOf(deps, body);
  const parsed = parseJsonObject(body);
  if (typeof parsed.model === "string") draft.model = parsed.model;
  requireMessagesFields(parsed);
  return { credential, body, parsed };
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
    let body = accepted.body;
    if (fits(deps, credential, target.path) && typeof parsed.model === "string") {
      let fitted: string[];
      ({ body, fitted } = fitNativeBody(body, parsed, deps.models.traits(parsed.model)));
      draft.fitted = fitted;
      logFitting(deps, fittingLogged, clientName(credential), parsed.model, fitted);
    }
    // Prompt caching: only the top-level field, only when the client key asks for it, never on
    // the Claude Code profile, never beside markers of the client's own (caching/policy.ts).
    const session = sessionOf(request.headers, parsed);
    const plan = cachePlan(deps, credential, target.path.startsWith("/code/") ? "code" : "native", parsed);
    if (plan.apply) body = spliceTopLevelCache(body, plan.policy.ttl);
    noteConversation(deps, draft, credential, plan, { session, body, parsed, headers: request.headers });
    const result = await deps.callUpstream({
      session,
      method: "POST",
      path: "/v1/messages",
      search: target.search,
      headers: request.headers,
      body,
      credential,
      signal: request.signal,
      onKey: noteKey(draft),
    });
    return accounted(deps, request, draft, result);
  };
}
