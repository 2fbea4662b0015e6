// A whole (non-streamed) reply body, read at once by the runtime (much cheaper than a guarded
// JS stream for a JSON reply; the client still gets exactly upstream's bytes). Such a body comes
// right after its headers; it must be complete within the idle timeout, or the read gives up
// with a 504 and the upstream request is aborted. It is bounded: no real Messages, count_tokens
// or models reply comes near MAX_WHOLE_REPLY, so a larger one is refused rather than held.
import { GatewayError } from "../errors.ts";
import { joinBytes } from "../protocol/join-bytes.ts";

export const MAX_WHOLE_REPLY = 32 * 1024 * 1024;

const tooLarge = (size: string) =>
  new GatewayError(
    502,
    "api_error",
    `the upstream reply (${size}) is larger than the ${MAX_WHOLE_REPLY}-byte limit for a reply that is not a stream`,
  );

export async function readWhole(
  response: Response,
  idleMs: number,
  abort: () => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_WHOLE_REPLY) {
    abort();
    throw tooLarge(`${declared} bytes`);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort();
      reject(
        new GatewayError(
          504,
          "timeout_error",
          `upstream reply was not complete ${idleMs / 1000} s after its headers (stream_idle_timeout)`,
        ),
      );
    }, idleMs);
  });
  try {
    const read = Number.isFinite(declared) ? response.arrayBuffer() : readBounded(response, abort);
    return new Uint8Array(await Promise.race([read, timeout]));
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError(
      502,
      "api_error",
      `the upstream connection broke during the reply: ${(error as Error).message}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** A body without a declared length (chunked), read up to the bound. */
async function readBounded(response: Response, abort: () => void): Promise<ArrayBuffer> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_WHOLE_REPLY) {
      reader.cancel().catch(() => {});
      abort();
      throw tooLarge("more than that, chunked");
    }
    chunks.push(value);
  }
  return joinBytes(chunks, size).buffer;
}
