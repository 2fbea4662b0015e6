// A whole (non-streamed) reply body, read at once by the runtime (much cheaper than a guarded
// JS stream for a JSON reply; the client still gets exactly upstream's bytes). Such a body comes
// right after its headers; it must be complete within the idle timeout, or the read gives up
// with a 504 and the upstream request is aborted.
import { GatewayError } from "../errors.ts";

export async function readWhole(
  response: Response,
  idleMs: number,
  abort: () => void,
): Promise<Uint8Array<ArrayBuffer>> {
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
    return new Uint8Array(await Promise.race([response.arrayBuffer(), timeout]));
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
