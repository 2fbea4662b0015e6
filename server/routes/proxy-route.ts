// Wraps every proxy route: errors become one response in the caller's protocol shape (the
// only try/catch the routes need), and CORS headers go on whatever is answered.
import { errorResponse, newRequestId, type Protocol, toGatewayError } from "../errors.ts";
import { withCors } from "./cors.ts";

export type RouteHandler = (request: Request) => Promise<Response>;

export interface RouteContext {
  readonly log: (line: string) => void;
}

export function proxyRoute(protocol: Protocol, handler: RouteHandler, context: RouteContext): RouteHandler {
  return async (request) => {
    try {
      return withCors(await handler(request));
    } catch (thrown) {
      const error = toGatewayError(thrown);
      const id = newRequestId();
      // Only bugs are logged: the client already got every other error, worded for it.
      if (error.status === 500) {
        context.log(`error ${id}: ${error.message}${error.cause ? ` (${String(error.cause)})` : ""}`);
      }
      return withCors(errorResponse(error, protocol, id));
    }
  };
}
