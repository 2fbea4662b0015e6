// Wraps every proxy route: errors become one response in the caller's protocol shape (the
// only try/catch the routes need), CORS headers go on whatever is answered, and each request
// is counted with its status and time to response headers.

import type { Activity } from "../activity.ts";
import { bugLine, errorResponse, newRequestId, type Protocol, toGatewayError } from "../errors.ts";
import { labelsFor, type Metrics } from "../metrics.ts";
import { withCors } from "./cors.ts";
import { requireValidHost } from "./target.ts";

export type RouteHandler = (request: Request) => Promise<Response>;

export interface RouteContext {
  readonly log: (line: string) => void;
  readonly metrics: Metrics;
  readonly activity: Activity;
  /** The route's name in metrics: messages, count_tokens, models, chat. */
  readonly name: string;
}

export function proxyRoute(protocol: Protocol, handler: RouteHandler, context: RouteContext): RouteHandler {
  const timeLabels = labelsFor("route", context.name);
  const statusLabels = new Map<number, ReturnType<typeof labelsFor>>();
  return async (request) => {
    const started = performance.now();
    let response: Response;
    context.activity.requestStarted();
    try {
      requireValidHost(request.headers);
      response = withCors(await handler(request));
    } catch (thrown) {
      const error = toGatewayError(thrown);
      const id = newRequestId();
      // Only bugs are logged: the client already got every other error, worded for it.
      if (error.status === 500) {
        context.log(bugLine(id, error));
      }
      response = withCors(errorResponse(error, protocol, id));
    } finally {
      context.activity.requestAnswered();
    }
    let labels = statusLabels.get(response.status);
    if (!labels) {
      labels = labelsFor("route", context.name, "status", String(response.status));
      statusLabels.set(response.status, labels);
    }
    context.metrics.inc("pocketgate_requests_total", "Proxy requests by route and status.", labels);
    if (response.status >= 400)
      context.metrics.inc("pocketgate_errors_total", "Proxy requests answered with an error.", labels);
    context.metrics.observe(
      "pocketgate_response_seconds",
      "Time from request to response headers, by route.",
      timeLabels,
      (performance.now() - started) / 1000,
    );
    return response;
  };
}
