// CORS for the proxy routes: browser chat apps call them directly from any origin; the client
// key, not the origin, is what guards them.

const exposed = [
  "request-id",
  "retry-after",
  "retry-after-ms",
  "x-should-retry",
  "anthropic-organization-id",
  "anthropic-ratelimit-requests-limit",
  "anthropic-ratelimit-requests-remaining",
  "anthropic-ratelimit-requests-reset",
  "anthropic-ratelimit-tokens-limit",
  "anthropic-ratelimit-tokens-remaining",
  "anthropic-ratelimit-tokens-reset",
].join(", ");

export function withCors(response: Response): Response {
  response.headers.set("access-control-allow-origin", "*");
  response.headers.set("access-control-expose-headers", exposed);
  return response;
}

export function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET, POST, HEAD, OPTIONS",
      // Echo what the browser asks for: SDKs add x-stainless-*, anthropic-* and more over time.
      "access-control-allow-headers":
        request.headers.get("access-control-request-headers") ??
        "authorization, x-api-key, content-type, anthropic-version, anthropic-beta",
      "access-control-max-age": "86400",
    },
  });
}
