// Reading a request body as exact bytes, refusing it past the limit (contract §2: 413).
import { badRequest, GatewayError } from "../errors.ts";
import { byteFinder } from "../platform/bytes.ts";
import { bodyReader, readsWholeBodyNatively } from "../platform/request-body.ts";
import { largeJsonInPieces } from "../platform/runtime.ts";
import { joinBytes } from "../protocol/join-bytes.ts";
import { jsonBoundsProblem, REQUEST_BOUNDS } from "../protocol/json-bounds.ts";
import { PIECES_FROM_BYTES, parseJsonBytes } from "../protocol/json-pieces.ts";

// The rest of the body is never read, so the connection cannot carry another request: say so,
// or a pooling client sends its next request into a socket the server is about to drop.
const tooLarge = (limit: number, name: string) =>
  new GatewayError(413, "request_too_large", `request body is larger than the ${limit}-byte limit (${name})`, {
    closeConnection: true,
  });

/** The client went away (or the connection broke) before its body arrived: nobody reads the answer. */
const bodyBroken = (error: unknown) =>
  error instanceof GatewayError
    ? error
    : new GatewayError(499, "invalid_request_error", "the request body did not arrive whole: the client went away", {
        closeConnection: true,
        cause: error,
      });

export interface BodyRules {
  /** Largest body, bytes (body_limit). */
  readonly limit: number;
  /** Seconds the body may stall (client_idle_timeout). */
  readonly idleSeconds: number;
  /** What the limit is called in the 413 message: "body_limit" unless said. */
  readonly limitName?: string;
}

/**
 * The slowest upload kept waiting for: after a first `idleSeconds`, 16 KiB/s on average (the
 * rate below which uWS, under Bun, would cut a body itself). A phone on a poor link sends faster;
 * a client that holds a connection open by sending a byte now and then does not.
 */
const MIN_BYTES_PER_SECOND = 16 * 1024;

const tooSlow = (received: string, seconds: number) =>
  new GatewayError(
    408,
    "timeout_error",
    `the request body arrived too slowly (${received} in ${Math.round(seconds)} s); send it at once, or raise client_idle_timeout`,
    { closeConnection: true },
  );

export async function readBody(request: Request, rules: BodyRules): Promise<Uint8Array> {
  try {
    return await readBodyBytes(request, rules);
  } catch (error) {
    throw bodyBroken(error);
  }
}

async function readBodyBytes(
  request: Request,
  { limit, idleSeconds, limitName = "body_limit" }: BodyRules,
): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit, limitName);
  if (Number.isFinite(declared) && readsWholeBodyNatively(request)) {
    if (!request.body) return new Uint8Array(0);
    // A declared length within the limit (what SDKs send): the runtime reads it natively, which
    // is much cheaper than a JS reader, within a deadline for its size. A body longer than it
    // declared is cut by the HTTP parser.
    const seconds = idleSeconds + declared / MIN_BYTES_PER_SECOND;
    return new Uint8Array(
      await withDeadline(request.arrayBuffer(), seconds, () => tooSlow(`not all of ${declared} bytes`, seconds)),
    );
  }
  // Piece by piece: with a declared length, the whole within the deadline for its size; chunked,
  // each piece within idleSeconds of the last and the whole within the rate.
  const reader = bodyReader(request);
  if (!reader) return new Uint8Array(0);
  const started = Date.now();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const elapsed = (Date.now() - started) / 1000;
      const budget = Number.isFinite(declared)
        ? idleSeconds + declared / MIN_BYTES_PER_SECOND - elapsed
        : Math.min(idleSeconds, idleSeconds + size / MIN_BYTES_PER_SECOND - elapsed);
      const received = Number.isFinite(declared) ? `not all of ${declared} bytes` : `${size} bytes`;
      const { done, value } = await withDeadline(reader.read(), Math.max(0, budget), () =>
        tooSlow(received, (Date.now() - started) / 1000),
      );
      if (done) break;
      size += value.length;
      if (size > limit) throw tooLarge(limit, limitName);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel();
    throw error;
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  return joinBytes(chunks, size);
}

async function withDeadline<T>(work: Promise<T>, seconds: number, fail: () => GatewayError): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail()), seconds * 1000);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {}); // a read left behind fails when the connection closes
  }
}

/** JSON bodies only: a browser's text/plain or a form post is a client mistake worth naming. */
export function requireJsonContentType(request: Request): void {
  const type = request.headers.get("content-type");
  if (type === null) return;
  const mime = type.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mime === "application/json" || mime.endsWith("+json")) return;
  throw new GatewayError(415, "invalid_request_error", `content-type must be application/json, got "${type}"`);
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const decode = (bytes: Uint8Array) => decoder.decode(bytes);

/** Parses a copy of the body to read routing fields; the bytes themselves are forwarded as they are. */
export function parseJsonObject(body: Uint8Array): Record<string, unknown> {
  // Depth and container count before parsing: what a parse or a recursive walk would cost.
  const find = byteFinder(body);
  const problem = jsonBoundsProblem(body, REQUEST_BOUNDS, find);
  if (problem) throw badRequest(`request body refused: ${problem}`);
  let value: unknown;
  try {
    value = parseJsonBytes(body, decode, largeJsonInPieces ? PIECES_FROM_BYTES : Number.POSITIVE_INFINITY, find);
  } catch (error) {
    throw badRequest(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/** The fields every Messages request needs (what the API itself would refuse anyway). */
export function requireMessagesFields(body: Record<string, unknown>): void {
  if (typeof body.model !== "string" || body.model === "") throw badRequest("model: field required (a string)");
  if (!Array.isArray(body.messages)) throw badRequest("messages: field required (an array)");
}
