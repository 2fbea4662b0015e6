// The HTTP server: Bun.serve on Bun, node:http with srvx's fetch bridge on Node. Both take the
// same web-standard fetch handler, and both keep the same connection rules (issue 11):
// - a connection idle between requests closes after `idleSeconds`; a request's headers must
//   arrive within about 10 s (Bun's own bound; Node's headersTimeout);
// - while a request is being answered no runtime timeout applies (an upstream may think for
//   minutes before its first byte, or pause mid-stream): the routes' own body, first-byte and
//   stream timeouts govern instead, and `releaseConnection` ends the exemption when the answer is
//   complete (the fetch wrapper does it for whole answers, the stream's end for streams);
// - when open connections use up half the file descriptors, idle ones are shed first (Node: the
//   oldest idle sockets at once; Bun: each newly idle one after 1 s), so an app holding many idle
//   sockets cannot leave the gateway unable to accept.
import { descriptorPressure, openFileLimit } from "./limits.ts";
import { isBun } from "./runtime.ts";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

// Bun answers requestIP only through the server object: kept per request and asked only when
// a route needs the address (most never do).
const bunServers = new WeakMap<Request, { requestIP(request: Request): { address: string } | null }>();
const releasers = new WeakMap<Request, () => void>();

/** The client's IP address, as the server saw it (for loopback-only endpoints). */
export function remoteAddress(request: Request): string | undefined {
  return bunServers.get(request)?.requestIP(request)?.address ?? (request as { ip?: string }).ip;
}

/** The answer to `request` is complete (or about to be): its connection is subject to idle rules again. */
export function releaseConnection(request: Request): void {
  releasers.get(request)?.();
}

export interface ListenOptions {
  readonly hostname: string;
  readonly port: number;
  /** Seconds a connection may sit idle between requests (1–255). */
  readonly idleSeconds: number;
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

const isEventStream = (response: Response) =>
  (response.headers.get("content-type") ?? "").startsWith("text/event-stream");

/** Seconds an idle connection stays open once idle connections fill half the descriptors. */
const SHED_IDLE_SECONDS = 1;

async function listenBun(handler: FetchHandler, options: ListenOptions): Promise<RunningServer> {
  // Bun shows no connection events to count idle ones by: the process's open files say instead.
  const pressed = descriptorPressure();
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    development: false,
    // Bun would otherwise let a second pocketgate listen on the same port beside this one.
    reusePort: false,
    idleTimeout: options.idleSeconds,
    // Our own reader enforces body_limit with an Anthropic-shaped 413; Bun's cap is only a backstop.
    maxRequestBodySize: 2 ** 31,
    async fetch(request, srv) {
      // Bun's idle timer does not see a request body arriving (uWS resets it only per 160 KB),
      // and would cut an upstream that thinks for minutes: off until the answer is complete.
      srv.timeout(request, 0);
      bunServers.set(request, srv);
      let done = false;
      const release = () => {
        if (done) return;
        done = true;
        const idle = pressed() ? SHED_IDLE_SECONDS : options.idleSeconds;
        try {
          srv.timeout(request, idle);
        } catch {} // the connection is already gone
      };
      releasers.set(request, release);
      const response = await handler(request);
      // A stream is released by its own end (see RouteDeps.releaseConnection); anything else now.
      if (!isEventStream(response)) release();
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
  const highWater = Math.floor(openFileLimit() / 2);
  const server = http.createServer(
    {
      // Bodies are timed by the routes' own reader (a slow phone upload may take minutes, a
      // stalled one is cut after idleSeconds); headers must come within 10 s.
      requestTimeout: 0,
      headersTimeout: 10_000,
      connectionsCheckingInterval: 1000,
      keepAliveTimeout: options.idleSeconds * 1000,
    },
    toNodeHandler(handler) as unknown as import("node:http").RequestListener,
  );
  // No socket inactivity timeout while answering: a long-thinking upstream may send nothing for minutes.
  server.timeout = 0;
  // Idle connections, oldest first: the ones shed when descriptors run short.
  const idle = new Map<import("node:net").Socket, number>();
  let open = 0;
  server.on("connection", (socket) => {
    open++;
    socket.once("close", () => {
      open--;
      idle.delete(socket);
    });
    if (open > highWater) {
      for (const [oldest] of idle) {
        if (open - 1 <= highWater) break;
        idle.delete(oldest);
        oldest.destroy();
      }
    }
  });
  server.on("request", (request, response) => {
    // Kept here: once the connection is closed, request.socket is null.
    const socket = request.socket;
    idle.delete(socket);
    response.once("finish", () => {
      if (!socket.destroyed) idle.set(socket, Date.now());
    });
  });
  // Node answers malformed requests itself with an empty body: say what was wrong instead.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    const message =
      status === 431
        ? "the request's headers are too large"
        : status === 408
          ? "the request's headers did not arrive in time"
          : "the request is not valid HTTP/1.1";
    const body = JSON.stringify({ type: "error", error: { type: "invalid_request_error", message } });
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port, host: options.hostname, exclusive: true }, () => resolve());
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
