// Who is calling: the client key (or a passthrough credential), and whether its limits allow
// another request. Every proxy route starts here.
import { authenticate } from "../auth/client-auth.ts";
import { GatewayError } from "../errors.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import type { RouteDeps } from "./deps.ts";

export function clientOf(request: Request, deps: RouteDeps): ClientCredential {
  const credential = authenticate(request.headers, {
    findClient: deps.clients.find,
    passthrough: deps.config().passthrough,
  });
  if (credential instanceof GatewayError) throw credential;
  return credential;
}

/** clientOf, then the client's limits, counting this request toward them. */
export function admit(request: Request, deps: RouteDeps): ClientCredential {
  const credential = clientOf(request, deps);
  if (credential.kind === "pool") deps.limits.check(credential.client);
  return credential;
}
