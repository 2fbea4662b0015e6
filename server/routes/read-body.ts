// Reading a request body as exact bytes, refusing it past the limit (contract §2: 413).
import { badRequest, GatewayError } from "../errors.ts";
import { jsonBoundsProblem } from "../protocol/json-bounds.ts";

// The rest of the body is never read, so the connection cannot carry another request: say so,
// or a pooling client sends its next request into a socket the server is about to drop.
const tooLarge = (limit: number) =>
  new GatewayError(413, "request_too_large", `request body is larger than the ${limit}-byte limit (body_limit)`, {
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

export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  try {
    return await readBodyBytes(request, limit);
  } catch (error) {
    throw bodyBroken(error);
  }
}

async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  // A declared length within the limit (what SDKs send): the runtime reads it natively, which is
  // much cheaper than a JS reader. A body longer than it declared is cut by the HTTP parser.
  if (Number.isFinite(declared)) return new Uint8Array(await request.arrayBuffer());
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.releaseLock();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
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

/** Parses a copy of the body to read routing fields; the bytes themselves are forwarded as they are. */
export function parseJsonObject(body: Uint8Array): Record<string, unknown> {
  // Depth and container count before parsing: what a parse or a recursive walk would cost.
  const problem = jsonBoundsProblem(body);
  if (problem) throw badRequest(`request body refused: ${problem}`);
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(body));
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
