// The request target, read from the request's URL with string operations only: a runtime gives a
// relative URL ("/v1/messages") when the request has no Host or an unparsable one, and `new URL`
// would throw on it. As sent: no decoding, no normalising ("//messages" stays so).
import { badRequest } from "../errors.ts";

export interface RequestTarget {
  readonly path: string;
  /** The query string with its "?", or "" (forwarded upstream verbatim, contract §0). */
  readonly search: string;
}

export function requestTarget(url: string): RequestTarget {
  let start = 0;
  if (!url.startsWith("/")) {
    const scheme = url.indexOf("://");
    start = scheme < 0 ? 0 : url.indexOf("/", scheme + 3);
    if (start < 0) return { path: "/", search: "" };
  }
  const hash = url.indexOf("#", start);
  const end = hash < 0 ? url.length : hash;
  const query = url.indexOf("?", start);
  if (query < 0 || query > end) return { path: url.slice(start, end), search: "" };
  return { path: url.slice(start, query), search: url.slice(query, end) };
}

/** RFC 3986 host (a reg-name, IPv4 or a bracketed IPv6 literal) with an optional port. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::\d{1,5})?$/;

/**
 * RFC 9112 §3.2: a request whose Host is not a valid host gets 400. A missing Host (HTTP/1.0)
 * is fine: nothing here depends on it.
 */
export function requireValidHost(headers: Headers): void {
  const host = headers.get("host");
  if (host !== null && !HOST.test(host)) {
    throw badRequest("the Host header is not a valid host name or address; send the address you connected to");
  }
}
