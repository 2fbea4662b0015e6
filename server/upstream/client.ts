// One upstream call: exact body bytes, hygienic headers, the client's disconnect and our
// first-byte timeout both abort it, and the body streams back under an idle guard (contract §2).
import type { Config } from "../config/schema.ts";
import { type AnthropicErrorType, GatewayError } from "../errors.ts";
import type { UpstreamFetch } from "../platform/upstream-fetch.ts";
import { sseError } from "../protocol/anthropic/sse.ts";
import { ANTHROPIC } from "../providers/config.ts";
import { type Provider, providersOf } from "../providers/registry.ts";
import { hostOf } from "../url-host.ts";
import { type ClientCredential, clientResponseHeaders, type UpstreamAuth } from "./headers.ts";
import { idleGuard, type StopReason, type StreamWatch } from "./idle-guard.ts";
import type { KindRequest } from "./kinds/kind.ts";
import { providerKinds } from "./kinds/kinds.ts";
import { classify } from "./outcome.ts";
import type { Pool, PoolKey } from "./pool.ts";
import { readWhole } from "./read-whole.ts";

export type UpstreamSettings = Pick<
  Config,
  "upstream_base_url" | "upstream_keys" | "providers" | "max_attempts" | "first_byte_timeout" | "stream_idle_timeout"
>;

export interface UpstreamClientDeps {
  readonly fetch: UpstreamFetch;
  readonly settings: () => Config;
  readonly pool: Pool;
  readonly now: () => number;
  /** Told whether upstream answered at all (any HTTP status) or could not be reached. */
  readonly reached?: (ok: boolean, message: string) => void;
}

export interface UpstreamCall {
  readonly method: string;
  /** Upstream path such as /v1/messages, and the client's query string (kept verbatim). */
  readonly path: string;
  readonly search: string;
  readonly headers: Headers;
  readonly body?: Uint8Array;
  /** The body for one provider when it differs by provider (a renamed model, caching on or off). */
  readonly bodyFor?: (provider: Provider) => Uint8Array;
  /** The providers to try, in order (providers/route.ts); the anthropic provider when not given. */
  readonly providers?: readonly Provider[];
  readonly credential: ClientCredential;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** Requests of one session keep their key while it stays usable (prompt caches are per org). */
  readonly session?: string;
  /** Told each pool key tried, in order (the request log names the last), and its provider. */
  readonly onKey?: (keyId: string, provider: string) => void;
  /** This pool key only, once, if it is usable (a re-warm: the cache lives with that key). */
  readonly pinnedKey?: string;
}

/** Why a stream pocketgate passes on ended early, in the words the client's SSE error event gets. */
export function stopFailure(
  reason: StopReason,
  error: unknown,
  settings: Pick<UpstreamSettings, "stream_idle_timeout">,
): { type: AnthropicErrorType; message: string } | undefined {
  switch (reason) {
    case "idle":
      return {
        type: "timeout_error",
        message: `upstream stream was silent for ${settings.stream_idle_timeout} s (stream_idle_timeout); the reply is incomplete`,
      };
    case "broken":
      return {
        type: "api_error",
        message: `the upstream connection broke mid-stream (${describe(error)}); the reply is incomplete`,
      };
    case "stalled":
      return {
        type: "timeout_error",
        message: `the client read nothing for ${settings.stream_idle_timeout} s (stream_idle_timeout); the reply was given up`,
      };
    default:
      return undefined;
  }
}

const encoder = new TextEncoder();
/** The cheapest current model, for key tests. */
const PROBE_MODEL = "claude-haiku-4-5";

export function createUpstreamClient(deps: UpstreamClientDeps) {
  const kindOf = providerKinds({ fetch: deps.fetch, now: deps.now });
  /** One fetch with one credential: our timeouts, the client's disconnect, the idle guard. */
  async function attempt(call: UpstreamCall, provider: Provider, credential: UpstreamAuth, settings: Config) {
    const abort = new AbortController();
    // A GatewayError, so a body read that fails because of it is not reported as a bug.
    const onClientGone = () => abort.abort(new GatewayError(499, "api_error", "client disconnected"));
    if (call.signal.aborted) onClientGone();
    call.signal.addEventListener("abort", onClientGone, { once: true });
    let timedOut = false;
    const firstByteTimer = setTimeout(() => {
      timedOut = true;
      abort.abort(new Error("first byte timeout"));
    }, settings.first_byte_timeout * 1000);

    const sent = call.bodyFor ? call.bodyFor(provider) : call.body;
    const kind = kindOf(provider);
    const request: KindRequest = {
      method: call.method,
      path: call.path,
      search: call.search,
      headers: call.headers,
      ...(sent === undefined ? {} : { body: sent }),
      credential,
    };
    const started = deps.now();
    const reached = provider.name === ANTHROPIC ? deps.reached : undefined;
    let response: Response;
    let address = provider.baseUrl;
    try {
      // Addressing and signing (a Vertex token exchange among them) count against the first-byte time too.
      const prepared = await kind.prepare(request, provider);
      if ("answer" in prepared) {
        response = prepared.answer;
      } else {
        address = prepared.url;
        response = await deps.fetch(prepared.url, {
          method: call.method,
          headers: prepared.headers,
          body: prepared.body as Uint8Array<ArrayBuffer> | undefined,
          signal: abort.signal,
          // "error", not "manual": a redirect is refused (below), and Node's fetch then sends the
          // body without copying it into a second stream (a request is cloned for any other mode).
          redirect: "error",
        });
        // The platform's reply in Anthropic's shapes (Bedrock's event stream as SSE, errors mapped).
        response = await kind.reply(response, provider, request);
      }
    } catch (error) {
      call.signal.removeEventListener("abort", onClientGone);
      if (timedOut) {
        throw new GatewayError(
          504,
          "timeout_error",
          `upstream sent no response within ${settings.first_byte_timeout} s; raise first_byte_timeout if replies need longer`,
        );
      }
      if (call.signal.aborted) throw new GatewayError(499, "api_error", "client disconnected");
      const who = `upstream ${hostOf(address)}${provider.name === ANTHROPIC ? "" : ` (provider "${provider.name}")`}`;
      const cause = describe(error);
      // Not followed (the body and the key would go where nobody configured) nor passed on.
      const message = /redirect/i.test(cause)
        ? `${who} answered with a redirect, which is not followed: check its base_url (https, the exact host and path)`
        : `${who} is unreachable: ${cause}${provider.region === undefined ? "" : ` (check its region, "${provider.region}")`}`;
      reached?.(false, message);
      throw new GatewayError(502, "api_error", message, { cause: error });
    } finally {
      clearTimeout(firstByteTimer);
    }
    reached?.(true, `answered ${response.status}`);

    const ttfbMs = deps.now() - started;
    const headers = clientResponseHeaders(response.headers, deps.now());
    headers.set("x-pocketgate-provider", provider.name);
    if (!response.body) {
      call.signal.removeEventListener("abort", onClientGone);
      return {
        response: new Response(null, { status: response.status, headers }),
        upstreamHeaders: response.headers,
        ttfbMs,
      };
    }
    const isSse = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
    if (!isSse) {
      try {
        const bytes = await readWhole(response, settings.stream_idle_timeout * 1000, () =>
          abort.abort(new GatewayError(504, "timeout_error", "reply incomplete")),
        );
        return {
          response: new Response(bytes, { status: response.status, headers }),
          upstreamHeaders: response.headers,
          ttfbMs,
          bytes,
        };
      } finally {
        call.signal.removeEventListener("abort", onClientGone);
      }
    }
    const watch: StreamWatch = {};
    const body = idleGuard(response.body, {
      watch,
      idleMs: settings.stream_idle_timeout * 1000,
      now: deps.now,
      sseTail: (reason, error) => {
        const failure = stopFailure(reason, error, settings) ?? {
          type: "api_error",
          message: "the reply is incomplete",
        };
        return encoder.encode(sseError(failure.type, failure.message));
      },
      onStop: () => {
        call.signal.removeEventListener("abort", onClientGone);
        abort.abort(new Error("stream stopped"));
      },
    });
    return {
      response: new Response(body, { status: response.status, headers }),
      upstreamHeaders: response.headers,
      ttfbMs,
      watch,
    };
  }

  /** Which provider each session last used: a conversation stays there while it can serve. */
  const sessionProvider = new Map<string, string>();
  const SESSION_PROVIDERS_MAX = 10_000;

  function ordered(providers: readonly Provider[], session: string | undefined): readonly Provider[] {
    const held = session === undefined ? undefined : sessionProvider.get(session);
    const first = held === undefined ? undefined : providers.find((p) => p.name === held);
    if (!first || first === providers[0] || !deps.pool.hasUsable(first.name)) return providers;
    return [first, ...providers.filter((p) => p !== first)];
  }

  function remember(session: string | undefined, provider: string) {
    if (session === undefined || sessionProvider.get(session) === provider) return;
    sessionProvider.delete(session);
    if (sessionProvider.size >= SESSION_PROVIDERS_MAX) {
      const oldest = sessionProvider.keys().next().value;
      if (oldest !== undefined) sessionProvider.delete(oldest);
    }
    sessionProvider.set(session, provider);
  }

  const anthropicOf = (config: Config) => providersOf(config).find((p) => p.name === ANTHROPIC) as Provider;
  const poolAuth = (key: PoolKey): UpstreamAuth => ({ kind: "pool", key: key.secret });

  /**
   * Picks a provider and a key and calls upstream; before any byte reaches the client, fails over
   * to another key on a rate limit or a dead key, and to the next provider when one is overloaded
   * (529/5xx), unreachable or has no usable key; a transient error with no other provider left is
   * retried once on another key (contract §7). At most max_attempts calls in all.
   */
  async function callUpstream(call: UpstreamCall): Promise<UpstreamResult> {
    const settings = deps.settings();
    if (call.credential.kind === "client") {
      // Passthrough: the client's own Anthropic credential goes to Anthropic, nowhere else.
      const provider = anthropicOf(settings);
      const { response, ttfbMs, bytes, watch } = await attempt(call, provider, call.credential, settings);
      return { response, keyId: undefined, provider: provider.name, ttfbMs, bytes, watch };
    }

    if (call.pinnedKey !== undefined) return pinned(call, call.pinnedKey, settings);
    const providers = ordered(call.providers ?? [anthropicOf(settings)], call.session);
    const tried = new Set<string>();
    let attempts = 0;
    let transientRetried = false;
    let last: UpstreamResult | undefined;
    let lastError: GatewayError | undefined;
    let noKey: GatewayError | undefined;
    for (const [index, provider] of providers.entries()) {
      const another = index < providers.length - 1;
      while (attempts < settings.max_attempts) {
        const key = deps.pool.pick(call.session, tried, provider.name);
        if (key instanceof GatewayError) {
          noKey ??= key;
          break;
        }
        tried.add(key.id);
        attempts++;
        call.onKey?.(key.id, provider.name);
        let result: Awaited<ReturnType<typeof attempt>>;
        try {
          result = await attempt(call, provider, poolAuth(key), settings);
        } catch (error) {
          const connectionError = error instanceof GatewayError && error.status === 502;
          if (!connectionError) throw error;
          lastError = error;
          deps.pool.report(key.id, { kind: "transient" });
          if (another) break;
          if (transientRetried) throw error;
          transientRetried = true;
          continue;
        }
        const { response, upstreamHeaders, ttfbMs, bytes, watch } = result;
        if (response.status < 400) {
          deps.pool.report(key.id, { kind: "ok" }, upstreamHeaders);
          remember(call.session, provider.name);
          return { response, keyId: key.id, provider: provider.name, ttfbMs, bytes, watch };
        }
        // Error bodies are small: read them to classify, then pass the same bytes on.
        const text = await response.text();
        const outcome = classify(response.status, upstreamHeaders, text, deps.now());
        deps.pool.report(key.id, outcome, upstreamHeaders);
        last = {
          response: new Response(text, { status: response.status, headers: response.headers }),
          keyId: key.id,
          provider: provider.name,
          ttfbMs,
          bytes: encoder.encode(text),
        };
        if (outcome.kind === "final") return last;
        if (outcome.kind === "transient") {
          if (another) break;
          if (transientRetried) return last;
          transientRetried = true;
        }
      }
    }
    // What actually went wrong (upstream's own words first) beats "no key left to try".
    if (last) return last;
    throw lastError ?? noKey ?? new GatewayError(502, "api_error", "no upstream attempt could be made");
  }

  /** One attempt with one named key (and its provider), its outcome reported like any other. */
  async function pinned(call: UpstreamCall, keyId: string, settings: Config): Promise<UpstreamResult> {
    const key = deps.pool.usable(keyId);
    const provider = key && providersOf(settings).find((p) => p.name === key.provider && p.enabled);
    if (!key || !provider)
      throw new GatewayError(503, "overloaded_error", "the upstream key that holds this cache is not usable now");
    call.onKey?.(key.id, provider.name);
    const { response, upstreamHeaders, ttfbMs, bytes, watch } = await attempt(call, provider, poolAuth(key), settings);
    if (response.status < 400) {
      deps.pool.report(key.id, { kind: "ok" }, upstreamHeaders);
      return { response, keyId: key.id, provider: provider.name, ttfbMs, bytes, watch };
    }
    const text = await response.text();
    deps.pool.report(key.id, classify(response.status, upstreamHeaders, text, deps.now()), upstreamHeaders);
    const failed = new Response(text, { status: response.status, headers: response.headers });
    return { response: failed, keyId: key.id, provider: provider.name, ttfbMs, bytes: encoder.encode(text) };
  }

  /**
   * The admin app's "test": a real, tiny request (one output token from the cheapest model) with
   * this key alone, its outcome reported to the pool like any other.
   */
  async function probe(key: PoolKey, model = PROBE_MODEL): Promise<{ status: number; message: string }> {
    const settings = deps.settings();
    const provider = providersOf(settings).find((p) => p.name === key.provider);
    if (!provider) return { status: 404, message: `provider "${key.provider}" is no longer configured` };
    const body = JSON.stringify({ model, max_tokens: 1, messages: [{ role: "user", content: "ping" }] });
    const call: UpstreamCall = {
      method: "POST",
      path: "/v1/messages",
      search: "",
      headers: new Headers({ "content-type": "application/json", "anthropic-version": "2023-06-01" }),
      body: encoder.encode(body),
      credential: { kind: "pool", client: "admin" },
      signal: AbortSignal.timeout(30_000),
    };
    try {
      const { response, upstreamHeaders } = await attempt(call, provider, poolAuth(key), settings);
      const text = await response.text();
      deps.pool.report(key.id, classify(response.status, upstreamHeaders, text, deps.now()), upstreamHeaders);
      return { status: response.status, message: response.ok ? "the key works" : errorText(text) };
    } catch (error) {
      return { status: error instanceof GatewayError ? error.status : 502, message: (error as Error).message };
    }
  }

  /**
   * The model ids a provider's own GET /v1/models lists (Anthropic's format), asked with its best
   * key; undefined with the reason when it has no such list.
   */
  async function listModels(provider: Provider): Promise<{ ids?: string[]; status: number; message: string }> {
    const key = deps.pool.pick(undefined, new Set(), provider.name);
    if (key instanceof GatewayError) return { status: key.status, message: key.message };
    const call: UpstreamCall = {
      method: "GET",
      path: "/v1/models",
      search: "?limit=1000",
      headers: new Headers({ "anthropic-version": "2023-06-01" }),
      credential: { kind: "pool", client: "admin" },
      signal: AbortSignal.timeout(15_000),
    };
    try {
      const { response, upstreamHeaders } = await attempt(call, provider, poolAuth(key), deps.settings());
      const text = await response.text();
      if (!response.ok) {
        deps.pool.report(key.id, classify(response.status, upstreamHeaders, text, deps.now()), upstreamHeaders);
        return { status: response.status, message: errorText(text) };
      }
      const data = (JSON.parse(text) as { data?: unknown }).data;
      const ids = Array.isArray(data)
        ? data
            .map((m) => (m as { id?: unknown })?.id)
            .filter((id): id is string => typeof id === "string" && id.length <= 200)
            .slice(0, 2000)
        : [];
      return ids.length > 0
        ? { ids, status: 200, message: `${ids.length} models listed` }
        : { status: 200, message: "the provider answered without a model list" };
    } catch (error) {
      return { status: error instanceof GatewayError ? error.status : 502, message: (error as Error).message };
    }
  }

  return { call: callUpstream, probe, listModels };
}

export interface UpstreamResult {
  readonly response: Response;
  /** The pool key that served (undefined in passthrough). */
  readonly keyId: string | undefined;
  /** The provider that answered. */
  readonly provider: string;
  /** Time from sending to upstream's response headers. */
  readonly ttfbMs: number;
  /** The whole body, for a reply that is not a stream or an error (already read; the response carries it). */
  readonly bytes?: Uint8Array;
  /** For a stream: fill in to see each chunk as the client reads it, and its end. */
  readonly watch?: StreamWatch;
}

export type UpstreamClient = ReturnType<typeof createUpstreamClient>;
export type CallUpstream = UpstreamClient["call"];

/** Upstream's own error message when it sent one in the Anthropic (or OpenAI) shape. */
function errorText(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === "string") return message;
  } catch {}
  return text.slice(0, 500);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
