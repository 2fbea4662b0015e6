// The admin API under /api: login (throttled), logout, and the upstream keys with their states.
// Every route but login needs a session.
import { Elysia } from "elysia";
import { errorResponse, GatewayError, newRequestId, toGatewayError } from "../errors.ts";
import type { ClientKey, ClientKeyStore } from "../store/client-keys.ts";
import type { UsageStore } from "../store/usage.ts";
import type { Pool } from "../upstream/pool.ts";
import {
  ClientCreateBody,
  ClientLimitsBody,
  type ClientView,
  type KeysResponse,
  LoginBody,
  type LoginResponse,
  type RequestRow,
  UsageQuery,
} from "./schemas.ts";
import { type Sessions, sessionToken } from "./sessions.ts";

export interface AdminDeps {
  readonly sessions: Sessions;
  readonly pool: Pool;
  readonly usage: UsageStore;
  readonly clients: ClientKeyStore;
  readonly now: () => number;
  readonly verifyPassword: (password: string) => Promise<boolean>;
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });

/** One place that turns thrown errors into the error shape, for every admin route. */
const guarded =
  <A extends unknown[]>(handler: (...args: A) => Promise<Response> | Response) =>
  async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(toGatewayError(error), "anthropic", newRequestId());
    }
  };

export function adminRoutes(deps: AdminDeps) {
  const requireSession = (request: Request): string => {
    const token = sessionToken(request.headers);
    if (!token || !deps.sessions.valid(token)) {
      throw new GatewayError(401, "authentication_error", "log in first: POST /api/login with the admin password");
    }
    return token;
  };

  return new Elysia({ prefix: "/api" })
    .post(
      "/login",
      guarded(async ({ body }: { body: LoginBody }) => {
        deps.sessions.checkThrottle();
        if (!(await deps.verifyPassword(body.password))) {
          deps.sessions.failed();
          throw new GatewayError(401, "authentication_error", "wrong admin password");
        }
        const session: LoginResponse = deps.sessions.create();
        const maxAge = Math.floor((session.expires_at - Date.now()) / 1000);
        return json(session, {
          "set-cookie": `pg_session=${session.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`,
        });
      }),
      { body: LoginBody },
    )
    .post(
      "/logout",
      guarded(({ request }: { request: Request }) => {
        deps.sessions.revoke(requireSession(request));
        return json({ ok: true }, { "set-cookie": "pg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" });
      }),
      { parse: "none" },
    )
    .get(
      "/keys",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        const keys: KeysResponse["keys"] = deps.pool.snapshot().map((k) => ({
          id: k.id,
          label: k.label,
          state: k.state,
          until: k.until,
          reason: k.reason,
          tokens_remaining: k.tokensRemaining,
          requests_remaining: k.requestsRemaining,
          reset_at: k.resetAt,
          last_used: k.lastUsed,
        }));
        return json({ keys } satisfies KeysResponse);
      }),
    )
    .get(
      "/usage",
      guarded(({ request, query }: { request: Request; query: UsageQuery }) => {
        requireSession(request);
        const since = deps.now() - (query.days ?? 30) * 86_400_000;
        return json({ by: query.by ?? "day", rows: deps.usage.aggregate(query.by ?? "day", since) });
      }),
      { query: UsageQuery },
    )
    .get(
      "/requests",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        const rows: RequestRow[] = deps.usage.recent(200);
        return json({ rows });
      }),
    )
    .get(
      "/clients",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        return json({ clients: deps.clients.list().map(view) });
      }),
    )
    .post(
      "/clients",
      guarded(({ request, body }: { request: Request; body: ClientCreateBody }) => {
        requireSession(request);
        const { name, ...limits } = body;
        if (deps.clients.list().some((c) => c.name === name)) {
          throw new GatewayError(409, "invalid_request_error", `a client key named "${name}" exists already`);
        }
        return json(view(deps.clients.create(name, limits)));
      }),
      { body: ClientCreateBody },
    )
    .patch(
      "/clients/:id",
      guarded(({ request, body, params }: { request: Request; body: ClientLimitsBody; params: { id: string } }) => {
        requireSession(request);
        if (!deps.clients.setLimits(params.id, body)) throw notFound(params.id);
        return json(view(deps.clients.list().find((c) => c.id === params.id) as ClientKey));
      }),
      { body: ClientLimitsBody },
    )
    .post(
      "/clients/:id/revoke",
      guarded(({ request, params }: { request: Request; params: { id: string } }) => {
        requireSession(request);
        if (!deps.clients.revoke(params.id)) throw notFound(params.id);
        return json({ ok: true });
      }),
      { parse: "none" },
    );

  function view(key: ClientKey): ClientView {
    const now = new Date(deps.now());
    const spent = deps.usage.totalsSince(key.name, Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const { secret, ...rest } = key;
    return { ...rest, key: secret, month_tokens: spent.tokens, month_usd: spent.cost };
  }
}

const notFound = (id: string) => new GatewayError(404, "not_found_error", `no active client key with id ${id}`);
