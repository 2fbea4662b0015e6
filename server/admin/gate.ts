// The door every /api request passes before the admin API sees it (issue 11, defects 2, 3, 5).
// In order, each before anything costly:
// 1. a valid Host (RFC 9112 §3.2);
// 2. a state-changing call proves it came from the app: a browser's `Sec-Fetch-Site` says
//    same-origin (or none: typed by the user), its `Origin` is this gateway, and a body is JSON,
//    which a page elsewhere cannot send without a CORS preflight that pocketgate never grants
//    (https://developer.mozilla.org/docs/Web/HTTP/Headers/Sec-Fetch-Site, OWASP CSRF cheat sheet
//    "Verifying Origin with standard headers"). Clients outside a browser send neither header;
//    they hold the session token, which a page cannot read;
// 3. the session, for every call but login; a login from a throttled address is refused here;
// 4. the body, at most BODY_LIMIT bytes (login: LOGIN_LIMIT), arriving in time, and shallow —
//    before Elysia parses and validates it.
// What passes is a new Request carrying the bytes read, and the client's address for the login
// throttle (addressOf).
import { GatewayError } from "../errors.ts";
import { jsonBoundsProblem } from "../protocol/json-bounds.ts";
import { readBody } from "../routes/read-body.ts";
import { requestTarget, requireValidHost } from "../routes/target.ts";
import { addressGroup, type LoginThrottle } from "./login-throttle.ts";
import type { Sessions } from "./sessions.ts";

/** Admin bodies are a few settings or a handful of keys; 64 KiB leaves room for a long key list. */
const BODY_LIMIT = 64 * 1024;
const LOGIN_LIMIT = 4 * 1024;
/** The deepest admin body is two levels; a little room, far from any stack. */
const ADMIN_BOUNDS = { maxDepth: 16, bytesPerContainer: 16 };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface GateDeps {
  readonly sessions: Sessions;
  readonly throttle: LoginThrottle;
  readonly remoteAddress?: (request: Request) => string | undefined;
  readonly idleSeconds: () => number;
}

const addresses = new WeakMap<Request, string>();
const originals = new WeakMap<Request, Request>();

/** The throttling group of the client that sent a request the gate passed. */
export const addressOf = (request: Request): string => addresses.get(request) ?? "unknown";

/** The request as the server received it (its connection's handle), for one the gate rebuilt. */
export const originalOf = (request: Request): Request => originals.get(request) ?? request;

const forbidden = (message: string) => new GatewayError(403, "permission_error", message);

/** Throws unless a state-changing request is the app's own. */
export function requireSameOrigin(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    throw forbidden(`admin changes are accepted only from the admin app itself (Sec-Fetch-Site: ${site})`);
  }
  const origin = request.headers.get("origin");
  if (origin !== null) {
    // Behind a reverse proxy that rewrites Host, the name the browser used is X-Forwarded-Host: a
    // page cannot set that header on a cross-origin request without a preflight, which fails.
    const hosts = [request.headers.get("host"), request.headers.get("x-forwarded-host")?.split(",")[0]?.trim()]
      .filter((h): h is string => typeof h === "string" && h !== "")
      .map((h) => h.toLowerCase());
    let originHost: string | undefined;
    try {
      originHost = origin === "null" ? undefined : new URL(origin).host;
    } catch {}
    if (originHost === undefined || !hosts.includes(originHost)) {
      throw forbidden(`admin changes are accepted only from the admin app itself (Origin: ${origin.slice(0, 100)})`);
    }
  }
  const hasBody = request.headers.has("transfer-encoding") || Number(request.headers.get("content-length") ?? "0") > 0;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (hasBody && type !== "application/json") {
    throw new GatewayError(
      415,
      "invalid_request_error",
      `admin calls take JSON: send content-type application/json (got ${type || "none"})`,
    );
  }
}

export function createAdminGate(deps: GateDeps) {
  return async (request: Request): Promise<Request> => {
    requireValidHost(request.headers);
    const { path } = requestTarget(request.url);
    const isLogin = request.method === "POST" && path === "/api/login";
    if (!SAFE_METHODS.has(request.method)) requireSameOrigin(request);
    const group = addressGroup(deps.remoteAddress?.(request));
    if (isLogin) deps.throttle.check(group);
    else if (!(await deps.sessions.recall(request.headers))) {
      throw new GatewayError(401, "authentication_error", "log in first: POST /api/login with the admin password");
    }
    // An HTTP/1.0 request without Host reaches Bun with a relative URL, which neither a new
    // Request nor Elysia's router takes: made absolute here (the Host, if any, was checked above).
    const url = request.url.startsWith("/")
      ? `http://${request.headers.get("host") ?? "localhost"}${request.url}`
      : request.url;
    if (SAFE_METHODS.has(request.method)) {
      if (url === request.url) return request;
      const rebuilt = new Request(url, { method: request.method, headers: request.headers, signal: request.signal });
      originals.set(rebuilt, request);
      return rebuilt;
    }
    const limit = isLogin ? LOGIN_LIMIT : BODY_LIMIT;
    const bytes = await readBody(request, {
      limit,
      idleSeconds: deps.idleSeconds(),
      limitName: isLogin ? "the login limit" : "the admin API's limit",
    });
    const problem = jsonBoundsProblem(bytes, ADMIN_BOUNDS);
    if (problem) throw new GatewayError(400, "invalid_request_error", `request body refused: ${problem}`);
    const passed = new Request(url, {
      method: request.method,
      headers: request.headers,
      body: bytes.length > 0 ? (bytes as Uint8Array<ArrayBuffer>) : undefined,
    });
    addresses.set(passed, group);
    return passed;
  };
}
