// POST /v1/messages and its aliases: native passthrough (contract §2). Inspect, don't modify:
// the body bytes go upstream exactly as received; only a parsed copy is checked.
import { sessionOf } from "../upstream/session.ts";
import { accounted, captureOf, routeLabel } from "./accounting.ts";
import { admit, clientOf } from "./authorize.ts";
import type { RouteDeps } from "./deps.ts";
import { parseJsonObject, readBody, requireJsonContentType, requireMessagesFields } from "./read-body.ts";
import { requestTarget } from "./target.ts";

/** Authenticates, reads and checks the body; throws GatewayError on any client mistake. */
export async function acceptMessagesRequest(request: Request, deps: RouteDeps, counted = true) {
  const config = deps.config();
  // Authenticate before reading the body: a wrong key costs nothing and goes nowhere (§1).
  const credential = counted ? admit(request, deps) : clientOf(request, deps);
  requireJsonContentType(request);
  const body = await readBody(request, { limit: config.body_limit, idleSeconds: config.client_idle_timeout });
  const parsed = parseJsonObject(body);
  requireMessagesFields(parsed);
  return { credential, body, parsed };
}

export function messagesRoute(deps: RouteDeps) {
  return async (request: Request): Promise<Response> => {
    const started = deps.now();
    const target = requestTarget(request.url);
    const { credential, body, parsed } = await acceptMessagesRequest(request, deps);
    const result = await deps.callUpstream({
      session: sessionOf(request.headers, parsed),
      method: "POST",
      path: "/v1/messages",
      search: target.search,
      headers: request.headers,
      body,
      credential,
      signal: request.signal,
    });
    const route = routeLabel(target.path, "messages");
    const captured = captureOf(deps, body);
    return accounted(deps, { request, credential, route, model: String(parsed.model), started, captured }, result);
  };
}
