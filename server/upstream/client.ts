// One upstream call: exact body bytes, hygienic headers, the client's disconnect and our
// first-byte timeout both abort it, and the body streams back under an idle guard (contract §2).
import { GatewayError } from "../errors.ts";
import type { UpstreamFetch } from "../platform/upstream-fetch.ts";
import { sseError } from "../protocol/anthropic/sse.ts";
import { type ClientCredential, clientResponseHeaders, type UpstreamAuth, upstreamRequestHeaders } from "./headers.ts";
import { idleGuard } from "./idle-guard.ts";
import type { KeyRotation } from "./key-rotation.ts";

export interface UpstreamSettings {
  readonly upstream_base_url: string;
  readonly first_byte_timeout: number;
  readonly stream_idle_timeout: number;
}

export interface UpstreamClientDeps {
  readonly fetch: UpstreamFetch;
  readonly settings: () => UpstreamSettings;
  readonly keys: KeyRotation;
  readonly now: () => number;
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
}

const encoder = new TextEncoder();

export function createUpstreamClient(deps: UpstreamClientDeps) {
  return async function callUpstream(call: UpstreamCall): Promise<Response> {
    const settings = deps.settings();
    let credential: UpstreamAuth;
    if (call.credential.kind === "pool") {
      const key = deps.keys.next();
      if (key === undefined) {
        throw new GatewayError(
          503,
          "api_error",
          "no upstream API key is configured: set POCKETGATE_UPSTREAM_KEYS or upstream_keys in pocketgate.toml",
        );
      }
      credential = { kind: "pool", key };
    } else {
      credential = call.credential;
    }

    const abort = new AbortController();
    const onClientGone = () => abort.abort(new Error("client disconnected"));
    if (call.signal.aborted) onClientGone();
    call.signal.addEventListener("abort", onClientGone, { once: true });
    let timedOut = false;
    const firstByteTimer = setTimeout(() => {
      timedOut = true;
      abort.abort(new Error("first byte timeout"));
    }, settings.first_byte_timeout * 1000);

    const url = `${settings.upstream_base_url}${call.path}${call.search}`;
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
      throw new GatewayError(502, "api_error", `upstream ${new URL(url).host} is unreachable: ${describe(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(firstByteTimer);
    }

    const headers = clientResponseHeaders(response.headers, deps.now());
    if (!response.body) {
      call.signal.removeEventListener("abort", onClientGone);
      return new Response(null, { status: response.status, headers });
    }
    const isSse = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
    const body = idleGuard(response.body, {
      idleMs: settings.stream_idle_timeout * 1000,
      now: deps.now,
      idleTail: isSse
        ? encoder.encode(
            sseError(
              "timeout_error",
              `upstream stream was silent for ${settings.stream_idle_timeout} s (stream_idle_timeout); the reply is incomplete`,
            ),
          )
        : undefined,
      onStop: () => {
        call.signal.removeEventListener("abort", onClientGone);
        abort.abort(new Error("stream stopped"));
      },
    });
    return new Response(body, { status: response.status, headers });
  };
}

export type CallUpstream = ReturnType<typeof createUpstreamClient>;

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
