// HTTP/1.x by hand over a TCP socket, for what fetch cannot send: no Host, a malformed Host,
// odd methods and versions, bodies that stall or lie about their length.
import { connect, type Socket } from "node:net";

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The body, de-chunked when it was chunked. */
  readonly body: string;
  /** Everything received, as it came. */
  readonly raw: string;
  /** The server closed the connection (within the wait). */
  readonly closed: boolean;
}

export function parseResponse(raw: string, closed: boolean): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  const head = end < 0 ? raw : raw.slice(0, end);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = end < 0 ? "" : raw.slice(end + 4);
  if (headers["transfer-encoding"]?.toLowerCase() === "chunked") {
    let out = "";
    let rest = body;
    for (;;) {
      const lineEnd = rest.indexOf("\r\n");
      if (lineEnd < 0) break;
      const size = Number.parseInt(rest.slice(0, lineEnd), 16);
      if (!Number.isFinite(size) || size === 0) break;
      out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      rest = rest.slice(lineEnd + 2 + size + 2);
    }
    body = out;
  }
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, body, raw, closed };
}

/**
 * Sends `request` (a string or bytes, exactly as given) and collects the answer until the server
 * closes the connection, one whole response has arrived (when `untilResponse`), or `waitMs` passes.
 */
export function rawRequest(
  port: number,
  request: string | Uint8Array,
  options: { waitMs?: number; untilResponse?: boolean } = {},
): Promise<RawResponse> {
  const { waitMs = 5000, untilResponse = true } = options;
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let raw = "";
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseResponse(raw, closed));
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on("data", (chunk) => {
      raw += chunk.toString("latin1");
      if (untilResponse && complete(raw)) finish(false);
    });
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.write(request);
  });
}

/** A whole response: headers and a body of the declared length, or a chunked body's last chunk. */
function complete(raw: string): boolean {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const head = raw.slice(0, end).toLowerCase();
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
  if (length) return raw.length - end - 4 >= Number(length[1]);
  if (/\r\ntransfer-encoding:\s*chunked/.test(head)) return raw.endsWith("\r\n0\r\n\r\n");
  return false;
}

/** An open socket that the test writes to bit by bit (slowloris, stalled bodies). */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves true when the server closes `socket` within `ms`, false otherwise. */
export function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed || socket.readyState === "closed") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once("close", done);
    socket.once("end", done);
    socket.resume(); // a paused socket never sees its end
  });
}
