// createApp(deps): every route, in one `fetch`. Nothing here listens or reads the environment;
// main.ts builds the deps and serves `app.fetch`. Proxy routes, health, metrics and the admin
// app's files are plain handlers in a map; the admin API (Elysia) loads on its first request.
import { createActivity } from "./activity.ts";
import { createAdminGate, originalOf } from "./admin/gate.ts";
import { adminFailure } from "./admin/http.ts";
import { createLoginThrottle } from "./admin/login-throttle.ts";
import { sessionTag, verifyAdminPassword } from "./admin/password.ts";
import { createSessions } from "./admin/sessions.ts";
import { createLimits } from "./auth/limits.ts";
import { createKeepWarm, type KeepWarm, type WarmEntry, type WarmOutcome } from "./caching/keep-warm.ts";
import { cacheGauges } from "./caching/metrics.ts";
import { warmPolicy } from "./caching/policy.ts";
import type { LiveConfig } from "./config/live.ts";
import type { Config } from "./config/schema.ts";
import { errorResponse, GatewayError, newRequestId, type Protocol } from "./errors.ts";
import { createMetrics, isLoopback, isLoopbackHost } from "./metrics.ts";
import { createModelCatalog } from "./models/catalog.ts";
import type { Database } from "./platform/sqlite.ts";
import { openUpstreamFetch, type UpstreamFetch } from "./platform/upstream-fetch.ts";
import { redactSecrets } from "./protocol/redact.ts";
import { ANTHROPIC } from "./providers/config.ts";
import { providerPrice } from "./providers/prices.ts";
import { type Provider, providerNamed, providersOf } from "./providers/registry.ts";
import { directRoute, probeModel, resolveModel } from "./providers/route.ts";
import { APP_SECURITY_HEADERS, adminAppHandlers, type EmbeddedAssets } from "./routes/admin-app.ts";
import { warmAfter } from "./routes/cache-plan.ts";
import { chatCompletionsRoute } from "./routes/chat-completions.ts";
import { preflight, withCors } from "./routes/cors.ts";
import { countTokensRoute } from "./routes/count-tokens.ts";
import type { RouteDeps } from "./routes/deps.ts";
import { alive, healthRoute } from "./routes/health.ts";
import { keepWarmCall } from "./routes/keep-warm-call.ts";
import { messagesRoute } from "./routes/messages.ts";
import { modelsRoutes } from "./routes/models.ts";
import { proxyRoute, type RouteHandler } from "./routes/proxy-route.ts";
import { createRequestLog } from "./routes/request-log.ts";
import { responsesRoute, storedResponseRoute } from "./routes/responses.ts";
import { requestTarget } from "./routes/target.ts";
import { clientKeyStore } from "./store/client-keys.ts";
import { keyStateStore } from "./store/database.ts";
import { modelCatalogStore } from "./store/model-catalog.ts";
import { providerModelStore } from "./store/provider-models.ts";
import { responseStore } from "./store/responses.ts";
import { sharedGauges } from "./store/shared/metrics.ts";
import type { SharedState } from "./store/shared/shared-state.ts";
import { upstreamKeyStore } from "./store/upstream-keys.ts";
import { usageStore } from "./store/usage.ts";
import { createUpstreamClient } from "./upstream/client.ts";
import { createPool } from "./upstream/pool.ts";
import { checkReach, createReachability, reachThrough } from "./upstream/reachability.ts";

export interface AppDeps {
  /** The current config; a function so a later reload is seen by every route. */
  readonly config: () => Config;
  readonly upstreamFetch: UpstreamFetch;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  readonly version: string;
  /** Version, commit and date of a built artifact ("source" from the repository). */
  readonly build?: string;
  readonly runtime: string;
  /** The embedded database (key states, admin sessions); ":memory:" will do for a test. */
  readonly database: Database;
  /** The client's IP address (from platform/serve); /metrics answers loopback without a session. */
  readonly remoteAddress?: (request: Request) => string | undefined;
  /** A streamed answer is complete: its connection is subject to idle rules again (platform/serve). */
  readonly releaseConnection?: (request: Request) => void;
  /** The config the admin app's Settings page changes (`config` reads the same value). */
  readonly live: LiveConfig;
  /** The built admin app; without it `/` shows a short text page. */
  readonly adminApp?: EmbeddedAssets;
  /** State shared with other instances (issue 20; main.ts opens it when redis_url or database_url is set). */
  readonly shared?: SharedState;
}

/**
 * Admin calls that change nothing another instance must agree on: logging in and out (the
 * session is in Redis) and the tests of a key, a provider or a proxy (they only ask upstream).
 */
const isLocalAdminCall = (method: string, path: string) =>
  method === "POST" && (path === "/api/login" || path === "/api/logout" || /\/test(?:-proxy)?$/.test(path));

/** Contract §0: SillyTavern appends /messages to whatever base the user typed. */
const messagesPaths = ["/v1/messages", "/messages", "//messages", "/v1//messages", "/code/v1/messages"];
const countTokensPaths = ["/v1/messages/count_tokens", "/messages/count_tokens", "/code/v1/messages/count_tokens"];
const chatPaths = ["/v1/chat/completions", "/chat/completions", "/code/v1/chat/completions"];
const responsesPaths = ["/v1/responses", "/responses", "/code/v1/responses"];
/** GET and DELETE of one stored response: /v1/responses/{id} (and the other bases above). */
const storedResponsePath = /^(?:\/code)?(?:\/v1)?\/responses\/[A-Za-z0-9_-]{1,200}$/;
/** Chat clients get the `-thinking` model variants; Claude Code's list stays exactly upstream's. */
const modelsPaths = ["/v1/models", "/models"];

const MODELS_BODY_LIMIT = 16 * 1024 * 1024;

const landingPage = `<!doctype html><meta charset="utf-8"><title>pocketgate</title>
<p>pocketgate is running. Point Anthropic clients at <code>/v1</code> and Claude Code at <code>/code</code>.
<p>The admin app is not built into this copy: run <code>npm run build:pwa</code> and restart.`;

export function createApp(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((line: string) => console.error(line));
  const shared = deps.shared;
  const upstreamKeys = upstreamKeyStore(deps.database, now, deps.config);
  const keyStates = keyStateStore(deps.database);
  const pool = createPool({
    keys: upstreamKeys.keys,
    now,
    load: keyStates.load,
    save: (id, status) => {
      keyStates.save(id, status);
      shared?.keyState(id, status);
    },
    stuck: shared?.sticky,
  });
  const usage = usageStore(deps.database);
  const metrics = createMetrics();
  const sessions = createSessions(deps.database, now, () => sessionTag(deps.config()), shared?.sessions);
  const throttle = createLoginThrottle(now);
  const gate = createAdminGate({
    sessions,
    throttle,
    remoteAddress: deps.remoteAddress,
    idleSeconds: () => deps.config().client_idle_timeout,
  });
  const clients = clientKeyStore(deps.database, now, shared?.refresh);
  shared?.attach({
    adoptKeyState: pool.adopt,
    adoptSticky: pool.adoptSticky,
    tablesChanged: (tables) => {
      if (tables.has("client_key")) clients.reread();
      if (tables.has("upstream_key")) upstreamKeys.reread();
    },
    sessionEnded: sessions.ended,
    usageArrived: (rows) => {
      for (const row of rows) usage.announce(row);
    },
  });
  const activity = createActivity();
  const startedAt = now();
  const reachability = createReachability(
    () => checkReach(deps.upstreamFetch, deps.config().upstream_base_url, now),
    now,
  );
  clients.ensureDefault(deps.config().password);
  const upstream = createUpstreamClient({
    fetch: deps.upstreamFetch,
    settings: deps.config,
    pool,
    now,
    reached: reachability.reported,
  });
  let keepWarm: KeepWarm | undefined;
  /** With several instances, the one that answered a conversation last keeps it warm (store/shared/). */
  const owned =
    (warm: (entry: WarmEntry) => Promise<WarmOutcome>) =>
    async (entry: WarmEntry): Promise<WarmOutcome> => {
      if (shared && !(await shared.ownsWarm(entry.session))) {
        return { ok: false, reason: "another instance answered it since, and keeps it warm" };
      }
      return warm(entry);
    };
  const requestLog = createRequestLog({
    usage,
    activity,
    metrics,
    now,
    log,
    keyLabel: (id) => upstreamKeys.find(id)?.label,
    priceOf: (provider, model) =>
      providerPrice(provider === undefined ? undefined : providerNamed(deps.config(), provider), model),
    afterRow: (draft, row) => {
      if (!warmAfter(draft, row.status)) return;
      // A provider that does not take automatic caching is not re-warmed either.
      if (draft.provider !== undefined && providerNamed(deps.config(), draft.provider)?.promptCache === false) return;
      try {
        keepWarm?.cached(draft.warm, draft.keyId);
        shared?.ownWarm(draft.warm.session);
      } catch (error) {
        // Keep-warm is a convenience: its failure never touches the request's own accounting.
        log(`keep-warm: ${String(error)}`);
      }
    },
  });
  keepWarm = createKeepWarm({
    now,
    setTimer: (run, ms) => {
      const timer = setTimeout(run, ms);
      // A re-warm waiting never keeps the process alive (runtimes differ; both have unref).
      (timer as { unref?: () => void }).unref?.();
      return () => clearTimeout(timer);
    },
    policyOf: (client) => warmPolicy(deps.config(), clients.byName(client)),
    spentToday: (client) => usage.cacheSince(client, now() - (now() % 86_400_000)).keepWarm,
    warm: owned(keepWarmCall({ callUpstream: (call) => upstream.call(call), requestLog })),
    log,
  });
  const models = createModelCatalog({
    ...modelCatalogStore(deps.database),
    async fetchPage(after, signal) {
      const { response } = await upstream.call({
        method: "GET",
        path: "/v1/models",
        search: `?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ""}`,
        headers: new Headers({ "anthropic-version": "2023-06-01" }),
        credential: { kind: "pool", client: "pocketgate" },
        signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`upstream answered ${response.status}`);
      }
      const text = await response.text();
      if (text.length > MODELS_BODY_LIMIT) throw new Error("the models list is larger than 16 MiB");
      return JSON.parse(text);
    },
    now,
    log,
  });
  // Read at start when there is a key to read with; main.ts re-reads daily.
  if (upstreamKeys.keys().some((k) => k.provider === ANTHROPIC)) models.start();
  const providerModels = providerModelStore(deps.database, now);
  /** A provider's own model list (GET /v1/models), kept for routing; at start, and when one is added. */
  const readProviderModels = async (provider: Provider) => {
    const result = await upstream.listModels(provider);
    try {
      if (result.ids) {
        providerModels.save(provider.name, result.ids);
        log(`providers: ${provider.name} lists ${result.ids.length} models`);
      } else {
        log(
          `providers: ${provider.name} gave no model list (${result.status}: ${redactSecrets(result.message).slice(0, 200)}); the models configured for it are used`,
        );
      }
    } catch (error) {
      log(`providers: could not keep ${provider.name}'s model list: ${String(error)}`);
    }
  };
  for (const provider of providersOf(deps.config())) {
    if (provider.name !== ANTHROPIC && provider.enabled && pool.hasUsable(provider.name)) {
      void readProviderModels(provider);
    }
  }
  /** Model ids a provider listed itself: Anthropic's Models API (the catalog), others' /v1/models. */
  const knows = (provider: Provider, model: string) =>
    provider.name === ANTHROPIC ? models.knows(model) : providerModels.ids(provider.name).has(model);
  const routeDeps: RouteDeps = {
    config: deps.config,
    callUpstream: upstream.call,
    now,
    version: deps.version,
    build: deps.build ?? "source",
    runtime: deps.runtime,
    startedAt,
    upstreamKeyCount: () => upstreamKeys.keys().length,
    usage,
    clients,
    metrics,
    activity,
    limits: createLimits({
      limitsOf: (name) => clients.byName(name),
      usage,
      now,
      ...(shared ? { sharedWindow: shared.rpm } : {}),
    }),
    ...(shared ? { shared: shared.status } : {}),
    releaseConnection: deps.releaseConnection ?? (() => {}),
    models,
    log,
    requestLog,
    keepWarm,
    route: (model) => resolveModel(deps.config(), model, knows),
    directRoute: (model) => directRoute(deps.config(), model),
    providerModelIds: (name) => providerModels.ids(name),
  };

  /** `path`, when given, is the request's, already read from its target by `fetch` below. */
  type Handler = (request: Request, path?: string) => Response | Promise<Response>;
  const routes = new Map<string, Handler>();
  routes.set("GET /health", healthRoute(routeDeps));
  routes.set("HEAD /", alive);
  routes.set("HEAD /api/hello", alive);
  routes.set("GET /metrics", (request) => {
    // A scraper on this machine (loopback, by a loopback name) or a logged-in admin: the numbers
    // describe usage.
    const local = isLoopback(deps.remoteAddress?.(request)) && isLoopbackHost(request.headers.get("host"));
    if (!local && !sessions.current(request.headers)) {
      return errorResponse(
        new GatewayError(401, "authentication_error", "metrics are for this machine or a logged-in admin"),
        "anthropic",
        newRequestId(),
      );
    }
    const states = pool.snapshot();
    return new Response(
      metrics.render([
        {
          name: "pocketgate_upstream_key_state",
          help: "1 for each upstream key's current state.",
          values: states.map((k): [Record<string, string>, number] => [{ key: k.label, state: k.state }, 1]),
        },
        ...cacheGauges(usage, now()),
        ...(shared ? sharedGauges(shared.status()) : []),
      ]),
      { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } },
    );
  });
  if (deps.adminApp) {
    for (const [path, handler] of adminAppHandlers(deps.adminApp)) routes.set(`GET ${path}`, handler);
  } else {
    routes.set(
      "GET /",
      () =>
        new Response(landingPage, { headers: { "content-type": "text/html; charset=utf-8", ...APP_SECURITY_HEADERS } }),
    );
  }

  let adminServer: Promise<Handler> | undefined;
  const admin: Handler = async (request) => {
    let passed: Request;
    try {
      passed = await gate(request);
    } catch (error) {
      return adminFailure(error, request, log);
    }
    adminServer ??= import("./admin/server.ts").then(({ createAdminServer }) => {
      const server = createAdminServer({
        config: deps.config,
        live: deps.live,
        sessions,
        throttle,
        log,
        pool,
        usage,
        clients,
        upstreamKeys,
        activity,
        probe: (key) => {
          const model = probeModel(deps.config(), key.provider, providerModels.ids(key.provider));
          if (model === null) {
            return Promise.resolve({
              status: 400,
              message: `provider "${key.provider}" lists no model to test with: add one to its models on the Providers page`,
            });
          }
          return upstream.probe(key, model);
        },
        listModels: upstream.listModels,
        readModels: (provider) => void readProviderModels(provider),
        reportedModels: providerModels.ids,
        saveReportedModels: providerModels.save,
        testProxy: (proxy) => reachThrough(openUpstreamFetch, proxy, deps.config().upstream_base_url, now),
        reachability: reachability.current,
        ...(shared ? { shared: shared.status } : {}),
        verifyPassword: (password) => verifyAdminPassword(deps.config(), password),
        now,
        startedAt,
        version: deps.version,
        runtime: deps.runtime,
        models,
        releaseConnection: (r) => deps.releaseConnection?.(originalOf(r)),
      });
      return (r: Request) => server.fetch(r);
    });
    const changes =
      !["GET", "HEAD", "OPTIONS"].includes(passed.method) &&
      !isLocalAdminCall(passed.method, requestTarget(passed.url).path);
    const refusal = changes ? shared?.refusesWrites() : undefined;
    if (refusal) return adminFailure(new GatewayError(503, "api_error", refusal), request, log);
    const response = await (await adminServer)(passed);
    // The change is in PostgreSQL before the answer: the next request, on any instance, sees it.
    if (changes && shared) await shared.sync().catch((error) => log(`shared state: ${String(error)}`));
    return response;
  };
  const notFound = (request: Request, path: string) =>
    withCors(
      errorResponse(
        new GatewayError(404, "not_found_error", `no route for ${request.method} ${path}`),
        "anthropic",
        newRequestId(),
      ),
    );

  const mount = (
    name: string,
    method: "GET" | "POST",
    paths: string[],
    handler: RouteHandler,
    protocol: Protocol = "anthropic",
  ) => {
    const wrapped = proxyRoute(protocol, handler, { log, metrics, activity, requestLog, name });
    for (const path of paths) {
      routes.set(`${method} ${path}`, wrapped);
      routes.set(`OPTIONS ${path}`, preflight);
    }
  };
  mount("messages", "POST", messagesPaths, messagesRoute(routeDeps));
  mount("count_tokens", "POST", countTokensPaths, countTokensRoute(routeDeps));
  const modelList = modelsRoutes(routeDeps);
  mount("models", "GET", modelsPaths, modelList.withThinkingVariants);
  mount("models", "GET", ["/code/v1/models"], modelList.exact);
  mount("chat", "POST", chatPaths, chatCompletionsRoute(routeDeps), "openai");
  const responseDeps = {
    ...routeDeps,
    responses: responseStore(deps.database, shared?.refresh),
  };
  mount("responses", "POST", responsesPaths, responsesRoute(responseDeps), "openai");
  const storedGet = proxyRoute("openai", storedResponseRoute(responseDeps, "GET"), {
    log,
    metrics,
    activity,
    requestLog,
    name: "responses",
  });
  const storedDelete = proxyRoute("openai", storedResponseRoute(responseDeps, "DELETE"), {
    log,
    metrics,
    activity,
    requestLog,
    name: "responses",
  });

  return {
    /** The model catalog: main.ts re-reads it daily. */
    models,
    /** Shutdown: pending re-warms are dropped. */
    stop: () => keepWarm?.stop(),
    /**
     * One map lookup: proxy routes (the hot path) need nothing of a framework, they read their
     * own bodies and return whole Responses. /api/* goes to the admin API.
     */
    fetch(request: Request): Response | Promise<Response> {
      const { path } = requestTarget(request.url);
      const route = routes.get(`${request.method} ${path}`);
      if (route) return route(request, path);
      if (storedResponsePath.test(path)) {
        if (request.method === "GET") return storedGet(request, path);
        if (request.method === "DELETE") return storedDelete(request, path);
        if (request.method === "OPTIONS") return preflight(request);
      }
      return path.startsWith("/api/") ? admin(request) : notFound(request, path);
    },
  };
}

export type App = ReturnType<typeof createApp>;
