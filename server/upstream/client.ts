// One upstream call: exact body bytes, hygienic headers, the client's disconnect and our
// first-byte timeout both abort it, and the body streams back under an idle guard (contract §2).
import { type AnthropicErrorType, GatewayError } from "../errors.ts";
import type { UpstreamFetch } from "../platform/upstream-fetch.ts";
import { sseError } from "../protocol/anthropic/sse.ts";
import { type ClientCredential, clientResponseHeaders, type UpstreamAuth, upstreamRequestHeaders } from "./headers.ts";
import { idleGuard, type StopReason, type StreamWatch } from "./idle-guard.ts";
import { classify } from "./outcome.ts";
import type { Pool, PoolKey } from "./pool.ts";
import { readWhole } from "./read-whole.ts";

export interface UpstreamSettings {
  readonly upstream_base_url: string;
  readonly max_attempts: number;
  readonly first_byte_timeout: number;
  readonly stream_idle_timeout: number;
}

export interface UpstreamClientDeps {
  readonly fetch: UpstreamFetch;
  readonly settings: () => UpstreamSettings;
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
  readonly credential: ClientCredential;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** Requests of one session keep their key while it stays usable (prompt caches are per org). */
  readonly session?: string;
  /** Told each pool key tried, in order (the request log names the last). */
  readonly onKey?: (keyId: string) => void;
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
  /** One fetch with one credential: our timeouts, the client's disconnect, the idle guard. */
  async function attempt(call: UpstreamCall, credential: UpstreamAuth, settings: UpstreamSettings) {
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

    const url = `${settings.upstream_base_url}${call.path}${call.search}`;
    const started = deps.now();
    let response: Response;
    try {
      response = await deps.fetch(url, {
        method: call.method,
        headers: upstreamRequestHeaders(call.headers, credential),
        body: call.body as Uint8Array<ArrayBuffer> | undefined,
        signal: abort.signal,
        redirect: "manual",
      });
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
      const message = `upstream ${new URL(url).host} is unreachable: ${describe(error)}`;
      deps.reached?.(false, message);
      throw new GatewayError(502, "api_error", message, { cause: error });
    } finally {
      clearTimeout(firstByteTimer);
    }
    deps.reached?.(true, `answered ${response.status}`);

    const ttfbMs = deps.now() - started;
    const headers = clientResponseHeaders(response.headers, deps.now());
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

  /**
   * Picks a key and calls upstream; before any byte reaches the client, fails over to another key
   * on a rate limit or a dead key, and once on a transient upstream error (contract §7).
   */
  async function callUpstream(call: UpstreamCall): Promise<UpstreamResult> {
    const settings = deps.settings();
    if (call.credential.kind === "client") {
      const { response, ttfbMs, bytes, watch } = await attempt(call, call.credential, settings);
      return { response, keyId: undefined, ttfbMs, bytes, watch };
    }

    if (call.pinnedKey !== undefined) return pinned(call, call.pinnedKey, settings);
    const tried = new Set<string>();
    let transientRetried = false;
    let last: UpstreamResult | undefined;
    let lastError: GatewayError | undefined;
    for (let i = 0; i < settings.max_attempts; i++) {
      const key = deps.pool.pick(call.session, tried);
      if (key instanceof GatewayError) {
        // What actually went wrong (upstream's own words first) beats "no key left to try".
        if (last) return last;
        throw lastError ?? key;
      }
      tried.add(key.id);
      call.onKey?.(key.id);
      let result: Awaited<ReturnType<typeof attempt>>;
      try {
        result = await attempt(call, { kind: "pool", key: key.secret }, settings);
      } catch (error) {
        const connectionError = error instanceof GatewayError && error.status === 502;
        if (!connectionError || transientRetried) throw error;
        transientRetried = true;
        lastError = error;
        deps.pool.report(key.id, { kind: "transient" });
        continue;
      }
      const { response, upstreamHeaders, ttfbMs, bytes, watch } = result;
      if (response.status < 400) {
        deps.pool.report(key.id, { kind: "ok" }, upstreamHeaders);
        return { response, keyId: key.id, ttfbMs, bytes, watch };
      }
      // Error bodies are small: read them to classify, then pass the same bytes on.
      const text = await response.text();
      const outcome = classify(response.status, upstreamHeaders, text, deps.now());
      deps.pool.report(key.id, outcome, upstreamHeaders);
      last = {
        response: new Response(text, { status: response.status, headers: response.headers }),
        keyId: key.id,
        ttfbMs,
        bytes: encoder.encode(text),
      };
      if (outcome.kind === "final") return last;
      if (outcome.kind === "transient") {
        if (transientRetried) return last;
        transientRetried = true;
      }
    }
    if (last) return last;
    throw lastError ?? new GatewayError(502, "api_error", "no upstream attempt could be made");
  }

  /** One attempt with one named key, its outcome reported like any other. */
  async function pinned(call: UpstreamCall, keyId: string, settings: UpstreamSettings): Promise<UpstreamResult> {
    const key = deps.pool.usable(keyId);
    if (!key)
      throw new GatewayError(503, "overloaded_error", "the upstream key that holds this cache is not usable now");
    call.onKey?.(key.id);
    const { response, upstreamHeaders, ttfbMs, bytes, watch } = await attempt(
      call,
      { kind: "pool", key: key.secret },
      settings,
    );
    if (response.status < 400) {
      deps.pool.report(key.id, { kind: "ok" }, upstreamHeaders);
      return { response, keyId: key.id, ttfbMs, bytes, watch };
    }
    const text = await response.text();
    deps.pool.report(key.id, classify(response.status, upstreamHeaders, text, deps.now()), upstreamHeaders);
    const failed = new Response(text, { status: response.status, headers: response.headers });
    return { response: failed, keyId: key.id, ttfbMs, bytes: encoder.encode(text) };
  }

  /**
   * The admin app's "test": a real, tiny request (one output token from the cheapest model) with
   * this key alone, its outcome reported to the pool like any other.
   */
  async function probe(key: PoolKey): Promise<{ status: number; message: string }> {
    const body = JSON.stringify({ model: PROBE_MODEL, max_tokens: 1, messages: [{ role: "user", content: "ping" }] });
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
      const { response, upstreamHeaders } = await attempt(call, { kind: "pool", key: key.secret }, deps.settings());
      const text = await response.text();
      deps.pool.report(key.id, classify(response.status, upstreamHeaders, text, deps.now()), upstreamHeaders);
      const message = response.ok
        ? "the key works"
        : ((JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text);
      return { status: response.status, message };
    } catch (error) {
      return { status: error instanceof GatewayError ? error.status : 502, message: (error as Error).message };
    }
  }

  return { call: callUpstream, probe };
}

export interface UpstreamResult {
  readonly response: Response;
  /** The pool key that served (undefined in passthrough). */
  readonly keyId: string | undefined;
  /** Time from sending to upstream's response headers. */
  readonly ttfbMs: number;
  /** The whole body, for a reply that is not a stream or an error (already read; the response carries it). */
  readonly bytes?: Uint8Array;
  /** For a stream: fill in to see each chunk as the client reads it, and its end. */
  readonly watch?: StreamWatch;
}

export type UpstreamClient = ReturnType<typeof createUpstreamClient>;
export type CallUpstream = UpstreamClient["call"];

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
