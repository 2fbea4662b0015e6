// A service account's OAuth access token for Vertex AI: a JWT signed with its private key (RS256,
// by jose) exchanged at Google's token endpoint, kept until five minutes before it expires.
// https://developers.google.com/identity/protocols/oauth2/service-account#httprest
import { importPKCS8, SignJWT } from "jose";
import { sha256Hex } from "../../platform/crypto.ts";
import type { ServiceAccount } from "../../providers/cloud-credentials.ts";
import { hostOf } from "../../url-host.ts";
import type { KindDeps } from "./kind.ts";

const SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const MARGIN_MS = 5 * 60 * 1000;
const MAX_CACHED = 256;

export type TokenResult = { readonly token: string } | { readonly refused: string } | { readonly unreachable: string };

export function vertexTokens(deps: KindDeps) {
  const cached = new Map<string, { token: string; expiresAt: number }>();
  const inFlight = new Map<string, Promise<TokenResult>>();

  // Not tied to the request that started it: concurrent requests of other clients wait on the same exchange.
  async function exchange(sa: ServiceAccount, tokenUrl: string, cacheKey: string): Promise<TokenResult> {
    let assertion: string;
    try {
      const key = await importPKCS8(sa.private_key, "RS256");
      const now = Math.floor(deps.now() / 1000);
      assertion = await new SignJWT({ scope: SCOPE })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(sa.private_key_id ? { kid: sa.private_key_id } : {}) })
        .setIssuer(sa.client_email)
        .setSubject(sa.client_email)
        .setAudience(tokenUrl)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key);
    } catch (error) {
      return { refused: `its private_key cannot sign (${(error as Error).message})` };
    }
    let response: Response;
    try {
      response = await deps.fetch(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
        signal: AbortSignal.timeout(30_000),
        redirect: "error",
      });
    } catch (error) {
      return {
        unreachable: `the token endpoint ${hostOf(tokenUrl)} is unreachable: ${(error as Error).message}`,
      };
    }
    const text = (await response.text()).slice(0, 4000);
    let parsed: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      parsed = JSON.parse(text);
    } catch {}
    if (response.ok && typeof parsed.access_token === "string") {
      const seconds = typeof parsed.expires_in === "number" ? parsed.expires_in : 3600;
      if (cached.size >= MAX_CACHED) cached.delete(cached.keys().next().value as string);
      cached.set(cacheKey, { token: parsed.access_token, expiresAt: deps.now() + seconds * 1000 - MARGIN_MS });
      return { token: parsed.access_token };
    }
    if (response.status >= 500) return { unreachable: `the token endpoint answered ${response.status}` };
    const why = [parsed.error, parsed.error_description].filter((x) => typeof x === "string").join(": ");
    return { refused: why || `HTTP ${response.status}` };
  }

  return {
    /** A usable access token for this service account, fetched once for concurrent requests. */
    async token(sa: ServiceAccount, tokenUrl: string): Promise<TokenResult> {
      const cacheKey = sha256Hex(`${tokenUrl}\n${sa.client_email}\n${sa.private_key}`);
      const hit = cached.get(cacheKey);
      if (hit && hit.expiresAt > deps.now()) return { token: hit.token };
      const pending = inFlight.get(cacheKey);
      if (pending) return pending;
      const started = exchange(sa, tokenUrl, cacheKey).finally(() => inFlight.delete(cacheKey));
      inFlight.set(cacheKey, started);
      return started;
    },
    /** Forget a token the API refused (revoked before it expired). */
    forget(sa: ServiceAccount, tokenUrl: string) {
      cached.delete(sha256Hex(`${tokenUrl}\n${sa.client_email}\n${sa.private_key}`));
    },
  };
}
