// Who is calling: the client key (or a passthrough credential), and whether its limits allow
// another request. Every proxy route starts here.
import { authenticate } from "../auth/client-auth.ts";
import { GatewayError } from "../errors.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import { clientName } from "./accounting.ts";
import type { RouteDeps } from "./deps.ts";
import type { RequestDraft } from "./request-log.ts";

/** Who is calling; the request log learns the client's name. */
export function clientOf(request: Request, deps: RouteDeps, draft?: RequestDraft): ClientCredential {
  const credential = authenticate(request.headers, {
    findClient: deps.clients.find,
    passthrough: deps.config().passthrough,
  });
  if (credential instanceof GatewayError) throw credential;
  if (draft) draft.client = clientName(credential);
  return credential;
}

/**
 * clientOf, then the client's limits, counting this request toward them. With instances sharing
 * state, a key this one does not know yet may have just been made on another: asked there once.
 */
export async function admit(request: Request, deps: RouteDeps, draft: RequestDraft): Promise<ClientCredential> {
  let credential: ClientCredential;
  try {
    credential = clientOf(request, deps, draft);
  } catch (error) {
    if (!deps.clients.refresh || !(error instanceof GatewayError) || error.status !== 401) throw error;
    await deps.clients.refresh();
    credential = clientOf(request, deps, draft);
  }
  if (credential.kind === "pool") await deps.limits.check(credential.client);
  return credential;
}
