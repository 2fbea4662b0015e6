// Wraps every proxy route: errors become one response in the caller's protocol shape (the
// only try/catch the routes need), and CORS headers go on whatever is answered.
import { errorResponse, type Protocol, toGatewayError } from "../errors.ts";
import { withCors } from "./cors.ts";

export type RouteHandler = (request: Request) => Promise<Response>;

export interface RouteContext {
  readonly log: (line: string) => void;
}

const requestId = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `req_pg_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
};

export function proxyRoute(protocol: Protocol, handler: RouteHandler, context: RouteContext): RouteHandler {
  return async (request) => {
    try {
      return withCors(await handler(request));
    } catch (thrown) {
      const error = toGatewayError(thrown);
      const id = requestId();
      if (error.status >= 500 && error.status !== 502 && error.status !== 504) {
        context.log(`error ${id}: ${error.message}${error.cause ? ` (${String(error.cause)})` : ""}`);
      }
      return withCors(errorResponse(error, protocol, id));
    }
  };
}
