// What every admin route shares: JSON answers that are never cached, one error rendering, the
// session check and the session cookie.
import { bugLine, errorResponse, GatewayError, newRequestId, toGatewayError } from "../errors.ts";
import { requestTarget } from "../routes/target.ts";
import type { Sessions } from "./sessions.ts";

export const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });

/**
 * One place that turns thrown errors into the error shape, for every admin route. Anything that
 * is not a GatewayError is a bug: it goes on to the admin server's onError, which logs it.
 */
export const guarded =
  <A extends unknown[]>(handler: (...args: A) => Promise<Response> | Response) =>
  async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return errorResponse(error, "anthropic", newRequestId());
    }
  };

/**
 * The answer to an admin call that failed, in the error shape; a bug (500) is logged first with
 * the route and its cause. Shared by the gate (app.ts) and the admin server's onError.
 */
export function adminFailure(error: unknown, request: Request, log: (line: string) => void): Response {
  const id = newRequestId();
  const failure = toGatewayError(error);
  if (failure.status === 500) log(`admin ${request.method} ${requestTarget(request.url).path} ${bugLine(id, failure)}`);
  return errorResponse(failure, "anthropic", id);
}

/** The session token, or a 401 that says how to get one. */
export const sessionGuard =
  (sessions: Sessions) =>
  (request: Request): string => {
    const token = sessions.current(request.headers);
    if (!token) {
      throw new GatewayError(401, "authentication_error", "log in first: POST /api/login with the admin password");
    }
    return token;
  };

/** The session as an HttpOnly cookie (the app itself sends the token as a Bearer header). */
export const sessionCookie = (session: { token: string; expires_at: number }) =>
  `pg_session=${session.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor((session.expires_at - Date.now()) / 1000)}`;
