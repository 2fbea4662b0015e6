// The fetch used for upstream calls, with every runtime default timeout turned off (our own
// first-byte and idle timeouts apply instead, contract §2), keep-alive pooling, and the proxy.
import { isBun } from "./runtime.ts";

export type UpstreamFetch = (url: string, init: RequestInit) => Promise<Response>;

/** An upstream fetch with its connection pool, closed when no longer used. */
export interface ClosableFetch {
  readonly fetch: UpstreamFetch;
  /** Lets in-flight requests finish, then closes the pooled connections. */
  close(): Promise<void>;
}

export interface UpstreamFetchOptions {
  /** http(s) proxy URL, or "" for a direct connection. */
  readonly proxy: string;
}

export async function openUpstreamFetch(options: UpstreamFetchOptions): Promise<ClosableFetch> {
  if (isBun) {
    // Bun's fetch gives up after 300 s without data unless `timeout: false`; it pools keep-alive
    // connections itself (nothing of ours to close). `proxy: false` ignores HTTP(S)_PROXY so
    // only our setting applies.
    const proxy = options.proxy === "" ? false : options.proxy;
    return {
      fetch: (url, init) => fetch(url, { ...init, proxy, timeout: false } as BunFetchRequestInit),
      close: async () => {},
    };
  }
  // Node: undici's headersTimeout and bodyTimeout (300 s each) are turned off explicitly.
  const undici = await import("undici");
  const timeouts = { headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 30_000 };
  const dispatcher =
    options.proxy === "" ? new undici.Agent(timeouts) : new undici.ProxyAgent({ uri: options.proxy, ...timeouts });
  return {
    fetch: (url, init) =>
      undici.fetch(url, {
        ...(init as Record<string, unknown>),
        ...asOneChunk(init),
        dispatcher,
      }) as unknown as Promise<Response>,
    close: () => dispatcher.close(),
  };
}

/**
 * undici copies a byte body twice on its way to the socket (into a buffer of its own, then into
 * a stream chunk): 800 KB of garbage for a 400 KB request (issue 18's profile). A stream of one
 * chunk, the same bytes, goes as it is; its length is declared, so it is sent with a
 * content-length as before, not chunked.
 */
function asOneChunk(init: RequestInit): Record<string, unknown> {
  const body = init.body;
  if (!(body instanceof Uint8Array) || body.length === 0) return {};
  const headers = new Headers(init.headers);
  headers.set("content-length", String(body.length));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
  return { body: stream, headers, duplex: "half" };
}

/**
 * The upstream fetch for the current `proxy` setting: when the admin app changes the proxy, the
 * next request goes through the new one (one fetch is kept per proxy value in use).
 */
export function createLiveUpstreamFetch(proxy: () => string): UpstreamFetch {
  let current: { proxy: string; opened: Promise<ClosableFetch> } | undefined;
  return async (url, init) => {
    const wanted = proxy();
    if (current?.proxy !== wanted) {
      // The old pool closes once its in-flight requests are done.
      void current?.opened.then((old) => old.close());
      current = { proxy: wanted, opened: openUpstreamFetch({ proxy: wanted }) };
    }
    return (await current.opened).fetch(url, init);
  };
}
