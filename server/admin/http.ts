// What every admin route shares: JSON answers that are never cached, one error rendering, the
// session check and the session cookie.
import { errorResponse, GatewayError, newRequestId } from "../errors.ts";
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
