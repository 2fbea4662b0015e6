// POST /v1/messages and its aliases: native passthrough (contract §2). Inspect, don't modify:
// the body bytes go upstream exactly as received; only a parsed copy is checked. The one
// exception is opt-in per client key (fit_requests, chat profile only): top-level sampling,
// thinking and effort fields fitted to the model, every other byte kept (models/fit-native.ts).
import { fitNativeBody } from "../models/fit-native.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import { sessionOf } from "../upstream/session.ts";
import { accounted, captureOf, clientName, routeLabel } from "./accounting.ts";
import { admit, clientOf } from "./authorize.ts";
import { logFitting } from "./chat-completions.ts";
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

/** Whether this client asked for its native requests to be fitted (never on the /code profile). */
const fits = (deps: RouteDeps, credential: ClientCredential, path: string) =>
  credential.kind === "pool" &&
  !path.startsWith("/code/") &&
  deps.clients.byName(credential.client)?.fit_requests === 1;

export function messagesRoute(deps: RouteDeps) {
  const fittingLogged = new Set<string>();
  return async (request: Request): Promise<Response> => {
    const started = deps.now();
    const target = requestTarget(request.url);
    const accepted = await acceptMessagesRequest(request, deps);
    const { credential, parsed } = accepted;
    let body = accepted.body;
    let fitted: string[] = [];
    if (fits(deps, credential, target.path) && typeof parsed.model === "string") {
      ({ body, fitted } = fitNativeBody(body, parsed, deps.models.traits(parsed.model)));
      logFitting(deps, fittingLogged, clientName(credential), parsed.model, fitted);
    }
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
    const captured = captureOf(deps, accepted.body);
    const meta = { request, credential, route, model: String(parsed.model), started, captured, fitted };
    return accounted(deps, meta, result);
  };
}
