// The HTTP server: Bun.serve on Bun, node:http with srvx's fetch bridge on Node.
// Both take the same web-standard fetch handler (the Elysia app's `fetch`).
import { isBun } from "./runtime.ts";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

// Bun answers requestIP only through the server object: kept per request and asked only when
// a route needs the address (most never do).
const bunServers = new WeakMap<Request, { requestIP(request: Request): { address: string } | null }>();

/** The client's IP address, as the server saw it (for loopback-only endpoints). */
export function remoteAddress(request: Request): string | undefined {
  return bunServers.get(request)?.requestIP(request)?.address ?? (request as { ip?: string }).ip;
}

export interface ListenOptions {
  readonly hostname: string;
  readonly port: number;
}

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

export function listen(handler: FetchHandler, options: ListenOptions): Promise<RunningServer> {
  return isBun ? listenBun(handler, options) : listenNode(handler, options);
}

/** RFC 9112 §9.6: a request that says `Connection: close` gets it echoed, and the socket closes. */
const wantsClose = (request: Request) => {
  const connection = request.headers.get("connection");
  return connection !== null && /\bclose\b/i.test(connection);
};

function withConnectionClose(response: Response): Response {
  try {
    response.headers.set("connection", "close");
    return response;
  } catch {
    // Immutable headers (a Response straight from fetch): copy it.
    const copy = new Response(response.body, response);
    copy.headers.set("connection", "close");
    return copy;
  }
}

async function listenBun(handler: FetchHandler, options: ListenOptions): Promise<RunningServer> {
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    development: false,
    // Our own reader enforces body_limit with an Anthropic-shaped 413; Bun's cap is only a backstop.
    maxRequestBodySize: 2 ** 31,
    async fetch(request, srv) {
      // Bun.serve's default idleTimeout (10 s) would cut a request whose upstream thinks for
      // minutes before the first byte; our own first-byte and idle timeouts govern instead.
      srv.timeout(request, 0);
      bunServers.set(request, srv);
      const response = await handler(request);
      return wantsClose(request) ? withConnectionClose(response) : response;
    },
  });
  return {
    port: server.port ?? options.port,
    stop: () => server.stop(true),
  };
}

async function listenNode(handler: FetchHandler, options: ListenOptions): Promise<RunningServer> {
  const http = await import("node:http");
  const { toNodeHandler } = await import("srvx/node");
  const server = http.createServer(
    {
      // Time allowed to receive a request (not to answer it): uploads from phones can be slow.
      requestTimeout: 300_000,
      headersTimeout: 60_000,
      // Longer than common client pools keep idle sockets, so a reused socket is still open.
      keepAliveTimeout: 65_000,
    },
    toNodeHandler(handler) as unknown as import("node:http").RequestListener,
  );
  // No socket inactivity timeout: a long-thinking upstream may send nothing for minutes.
  server.timeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
