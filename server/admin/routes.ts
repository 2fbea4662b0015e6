// The admin API under /api: login (throttled), logout, and the upstream keys with their states.
// Every route but login needs a session (checked first by gate.ts, again here).
import { Elysia } from "elysia";
import { cachingView } from "../caching/policy.ts";
import type { Config } from "../config/schema.ts";
import { GatewayError } from "../errors.ts";
import type { ModelCatalog } from "../models/catalog.ts";
import { priceList } from "../models/prices.ts";
import { ANTHROPIC } from "../providers/config.ts";
import { providerNamed } from "../providers/registry.ts";
import type { ClientKey, ClientKeyStore, ClientSettings } from "../store/client-keys.ts";
import type { UpstreamKeyStore } from "../store/upstream-keys.ts";
import type { UsageStore } from "../store/usage.ts";
import type { Pool, PoolKey } from "../upstream/pool.ts";
import { addressOf } from "./gate.ts";
import { guarded, json, sessionCookie, sessionGuard } from "./http.ts";
import { type ConfigKeysOrigin, keyViewsOf } from "./key-views.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import { displayName } from "./names.ts";
import { namedRejections, readPastedKeys } from "./pasted-keys.ts";
import {
  ClientCreateBody,
  ClientLimitsBody,
  type ClientView,
  KeysAddBody,
  type KeysAddResponse,
  type KeysResponse,
  type KeyTestResponse,
  KeyUpdateBody,
  LoginBody,
  type LoginResponse,
  type UsageGroupRow,
  UsageQuery,
  type UsageResponse,
} from "./schemas.ts";
import type { Sessions } from "./sessions.ts";

export interface AdminDeps {
  readonly sessions: Sessions;
  readonly throttle: LoginThrottle;
  readonly pool: Pool;
  readonly usage: UsageStore;
  readonly clients: ClientKeyStore;
  readonly upstreamKeys: UpstreamKeyStore;
  readonly probe: (key: PoolKey) => Promise<{ status: number; message: string }>;
  readonly now: () => number;
  readonly verifyPassword: (password: string) => Promise<boolean>;
  readonly keysOrigin: ConfigKeysOrigin;
  readonly models: ModelCatalog;
  /** For the caching policy in force per client key (the globals filled in). */
  readonly config: () => Config;
}

export function adminRoutes(deps: AdminDeps) {
  const requireSession = sessionGuard(deps.sessions);

  const keyViews = () => keyViewsOf(deps.pool, deps.keysOrigin);

  return new Elysia({ prefix: "/api" })
    .post(
      "/login",
      guarded(async ({ request, body }: { request: Request; body: LoginBody }) => {
        if (!(await deps.throttle.attempt(addressOf(request), () => deps.verifyPassword(body.password)))) {
          throw new GatewayError(401, "authentication_error", "wrong admin password");
        }
        const session: LoginResponse = deps.sessions.create();
        return json(session, { "set-cookie": sessionCookie(session) });
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
        return json({ keys: keyViews() } satisfies KeysResponse);
      }),
    )
    .post(
      "/keys",
      guarded(({ request, body }: { request: Request; body: KeysAddBody }) => {
        requireSession(request);
        // The valid ones are added; each bad one is named (by its start only) with what is wrong.
        const kind = providerNamed(deps.config(), body.provider ?? ANTHROPIC)?.kind;
        const { secrets, rejected } = readPastedKeys(body.keys, kind);
        if (secrets.length === 0) {
          throw new GatewayError(400, "invalid_request_error", `no key added: ${namedRejections(rejected)}`);
        }
        const label = body.label === undefined || body.label === "" ? undefined : displayName(body.label, "label");
        const added = deps.upstreamKeys.add(secrets, label, body.provider);
        // The first key makes upstream's own model list readable (until now: the built-in one).
        if (added.length > 0 && deps.models.status().source !== "upstream") void deps.models.refresh();
        const ids = new Set(added.map((k) => k.id));
        return json({
          keys: keyViews().filter((k) => ids.has(k.id)),
          skipped: secrets.length - added.length,
          rejected,
        } satisfies KeysAddResponse);
      }),
      { body: KeysAddBody },
    )
    .patch(
      "/keys/:id",
      guarded(({ request, body, params }: { request: Request; body: KeyUpdateBody; params: { id: string } }) => {
        requireSession(request);
        deps.upstreamKeys.update(
          params.id,
          body.label === undefined ? body : { ...body, label: displayName(body.label, "label") },
        );
        return json(keyViews().find((k) => k.id === params.id));
      }),
      { body: KeyUpdateBody },
    )
    .delete(
      "/keys/:id",
      guarded(({ request, params }: { request: Request; params: { id: string } }) => {
        requireSession(request);
        deps.upstreamKeys.remove(params.id);
        return json({ ok: true });
      }),
      { parse: "none" },
    )
    .post(
      "/keys/:id/test",
      guarded(async ({ request, params }: { request: Request; params: { id: string } }) => {
        requireSession(request);
        const key = deps.upstreamKeys.find(params.id);
        if (!key) throw new GatewayError(404, "not_found_error", `no upstream key with id ${params.id}`);
        const result = await deps.probe(key);
        return json({ ...result, key: keyViews().find((k) => k.id === key.id) } as KeyTestResponse);
      }),
      { parse: "none" },
    )
    .get(
      "/usage",
      guarded(({ request, query }: { request: Request; query: UsageQuery }) => {
        requireSession(request);
        const since = deps.now() - (query.days ?? 30) * 86_400_000;
        const rows = deps.usage.aggregate(query.by ?? "day", since, query.split) as UsageGroupRow[];
        return json({
          by: query.by ?? "day",
          rows,
          price_list: { source: priceList.source, as_of: priceList.asOf, models: priceList.models },
        } satisfies UsageResponse);
      }),
      { query: UsageQuery },
    )
    .get(
      "/clients",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        const lastUsed = deps.usage.lastUsed();
        return json({ clients: deps.clients.list().map((c) => view(c, lastUsed)) });
      }),
    )
    .post(
      "/clients",
      guarded(({ request, body }: { request: Request; body: ClientCreateBody }) => {
        requireSession(request);
        const { name: given, ...limits } = body;
        const name = displayName(given, "name");
        const exists = () =>
          new GatewayError(409, "invalid_request_error", `a client key named "${name}" exists already`);
        if (deps.clients.list().some((c) => c.name === name)) throw exists();
        try {
          return json(view(deps.clients.create(name, limits)));
        } catch (error) {
          // Two creates with one name at once: the database refuses the second.
          if (/UNIQUE constraint failed: client_key\.name/.test(String(error))) throw exists();
          throw error;
        }
      }),
      { body: ClientCreateBody },
    )
    .patch(
      "/clients/:id",
      guarded(({ request, body, params }: { request: Request; body: ClientLimitsBody; params: { id: string } }) => {
        requireSession(request);
        const { fit_requests, keep_warm, ...limits } = body;
        const settings: Partial<ClientSettings> = { ...limits };
        if (fit_requests !== undefined) settings.fit_requests = fit_requests ? 1 : 0;
        if (keep_warm !== undefined) settings.keep_warm = keep_warm === null ? null : keep_warm ? 1 : 0;
        if (!deps.clients.setLimits(params.id, settings)) throw notFound(params.id);
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

  function view(key: ClientKey, lastUsed = deps.usage.lastUsed()): ClientView {
    const now = new Date(deps.now());
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const spent = deps.usage.totalsSince(key.name, monthStart);
    const cache = deps.usage.cacheSince(key.name, monthStart);
    const { secret, ...rest } = key;
    return {
      ...rest,
      key: secret,
      fit_requests: key.fit_requests === 1,
      keep_warm: key.keep_warm === null ? null : key.keep_warm === 1,
      caching: cachingView(deps.config(), key),
      month_saved_usd: cache.saved,
      month_keep_warm_usd: cache.keepWarm,
      month_tokens: spent.tokens,
      month_usd: spent.cost,
      last_used: lastUsed.get(key.name) ?? null,
    };
  }
}

const notFound = (id: string) => new GatewayError(404, "not_found_error", `no active client key with id ${id}`);
