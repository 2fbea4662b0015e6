// The admin app (pwa/, built by scripts/build-pwa.ts) served from assets embedded in the server
// (server/generated/admin-app.ts), so the compiled executable and the .mjs bundle carry it.
// Hashed files are cached for good; index.html, sw.js and the manifest are revalidated each time
// so an update is picked up on the next visit.
import { bytesFromBase64 } from "../protocol/base64.ts";

export interface EmbeddedAsset {
  readonly type: string;
  /** Base64 of the file. */
  readonly body: string;
  /** Base64 of the gzipped file, when that is smaller. */
  readonly gzip?: string;
}

export type EmbeddedAssets = Readonly<Record<string, EmbeddedAsset>>;

/**
 * The app loads only its own files and talks only to this gateway; no page may frame it (a page
 * on another localhost port could otherwise overlay it and take clicks) and no inline script or
 * style runs, so injected markup cannot act (issue 11, defect 3).
 * https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy
 */
export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

const cacheControl = (path: string) =>
  path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";

/** One handler per file; `/` is index.html. */
export function adminAppHandlers(assets: EmbeddedAssets): Map<string, (request: Request) => Response> {
  const handlers = new Map<string, (request: Request) => Response>();
  for (const [path, asset] of Object.entries(assets)) {
    const body = bytesFromBase64(asset.body);
    const gzip = asset.gzip === undefined ? undefined : bytesFromBase64(asset.gzip);
    const headers = {
      "content-type": asset.type,
      "cache-control": cacheControl(path),
      ...APP_SECURITY_HEADERS,
      vary: "accept-encoding",
    };
    const handler = (request: Request): Response => {
      if (gzip && /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "")) {
        return new Response(gzip, { headers: { ...headers, "content-encoding": "gzip" } });
      }
      return new Response(body, { headers });
    };
    handlers.set(path, handler);
    if (path === "/index.html") handlers.set("/", handler);
  }
  return handlers;
}
