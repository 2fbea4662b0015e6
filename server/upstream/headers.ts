// Header hygiene, in one place (contract §2). Requests are forwarded with everything the client
// sent except what must not cross a proxy; responses pass back only what clients act on.

/** RFC 9110 §7.6.1 hop-by-hop headers, plus the legacy proxy-connection. */
const hopByHop = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

const dropFromRequest = new Set([
  ...hopByHop,
  "host", // set by fetch from the upstream URL
  "content-length", // recomputed from the exact bytes we send
  "accept-encoding", // replaced by identity: streams must not arrive compressed
  "x-api-key", // client credentials never go upstream (§1); the pool key replaces them
  "authorization",
  "cookie", // browser state for pocketgate's origin, meaningless upstream
  // A browser chat app calling us must not look like a browser to the API (CORS rules there).
  "origin",
  "referer",
  "forwarded", // the client's address is not the provider's business
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
  "via",
]);

/** What client auth decided: use a pool key, or (passthrough) the client's own credential. */
export type ClientCredential = { readonly kind: "pool"; readonly client: string } | { readonly kind: "client" };

/** Credentials are replaced by the pool key (as the provider takes it); passthrough keeps the client's own. */
export type UpstreamAuth = { readonly kind: "pool"; readonly key: string } | { readonly kind: "client" };

/** How a provider takes its key, and the headers it always gets (providers/registry.ts). */
export interface ProviderHeaders {
  readonly auth: "x-api-key" | "bearer";
  readonly headers: Readonly<Record<string, string>>;
}

const ANTHROPIC_STYLE: ProviderHeaders = { auth: "x-api-key", headers: {} };

export function upstreamRequestHeaders(
  incoming: Headers,
  credential: UpstreamAuth,
  provider: ProviderHeaders = ANTHROPIC_STYLE,
): Headers {
  const out = new Headers();
  for (const [name, value] of incoming) {
    // `sec-*` are browser fetch metadata headers (sec-fetch-mode, sec-ch-ua, ...).
    if (dropFromRequest.has(name) || name.startsWith("sec-")) continue;
    out.set(name, value);
  }
  out.set("accept-encoding", "identity");
  for (const [name, value] of Object.entries(provider.headers)) out.set(name, value);
  if (credential.kind === "pool") {
    if (provider.auth === "bearer") out.set("authorization", `Bearer ${credential.key}`);
    else out.set("x-api-key", credential.key);
  } else {
    // Passthrough (§1): the client's own Anthropic credential, untouched.
    const apiKey = incoming.get("x-api-key");
    const auth = incoming.get("authorization");
    if (apiKey) out.set("x-api-key", apiKey);
    if (auth) out.set("authorization", auth);
  }
  return out;
}

const passBack = new Set([
  "content-type",
  "request-id",
  "retry-after-ms",
  "x-should-retry",
  "anthropic-organization-id",
]);

/** Headers a client sees from an upstream response (§2); content-length/-encoding never pass. */
export function clientResponseHeaders(upstream: Headers, nowMs: number): Headers {
  const out = new Headers();
  for (const [name, value] of upstream) {
    if (passBack.has(name) || name.startsWith("anthropic-ratelimit-")) out.set(name, value);
  }
  const retryAfter = upstream.get("retry-after");
  if (retryAfter !== null) {
    const seconds = retryAfterSeconds(retryAfter, nowMs);
    if (seconds !== undefined) out.set("retry-after", String(seconds));
  }
  return out;
}

/** `retry-after` to clients is whole seconds (§2): numbers are rounded up, HTTP dates converted. */
export function retryAfterSeconds(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** The credentials a client presented: `x-api-key` and the Bearer token, either may match (§1). */
export function presentedCredentials(headers: Headers): string[] {
  const found: string[] = [];
  const apiKey = headers.get("x-api-key");
  if (apiKey) found.push(apiKey.trim());
  const auth = headers.get("authorization");
  const bearer = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
  if (bearer?.[1]) found.push(bearer[1].trim());
  return found;
}
