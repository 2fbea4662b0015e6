// A request body's chunks as the runtime holds them. Under Node the server bridge (srvx) hands
// the routes a web Request whose body is node:http's stream turned into a web stream (a wrapper
// and a copy per chunk, then another copy to join them): about 1 ms and 1 MB of garbage per
// 400 KB body in issue 18's profile, as much as the rest of the request. There the node:http
// request itself is read. Under Bun the Request is native and read as it is.

import type { IncomingMessage } from "node:http";

export interface BodyReader {
  /** The next chunk, or done. */
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
  /** Stop reading: the rest of the body is not wanted (the connection is closed after the answer). */
  cancel(): void;
}

/** The node:http request behind a Request from srvx's bridge, when there is one. */
function nodeRequestOf(request: Request): IncomingMessage | undefined {
  return (request as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
}

/**
 * Reads the body of `request`; undefined when it has none. (Under Node, `request.body` is not
 * asked: the bridge would start its web stream, which then takes every chunk too.)
 */
export function bodyReader(request: Request): BodyReader | undefined {
  const incoming = nodeRequestOf(request);
  if (incoming) {
    const chunks = incoming[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    return {
      read: () => chunks.next() as ReturnType<BodyReader["read"]>,
      cancel: () => {
        chunks.return?.().catch(() => {});
      },
    };
  }
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  return {
    read: () => reader.read() as ReturnType<BodyReader["read"]>,
    cancel: () => {
      reader.cancel().catch(() => {});
    },
  };
}

/**
 * Whether the whole body is best read in one native call (Request.arrayBuffer) when its length
 * is declared: under Bun it is, under Node the bridge's web stream is what is avoided.
 */
export const readsWholeBodyNatively = (request: Request): boolean => nodeRequestOf(request) === undefined;
