// Wraps every proxy route: errors become one response in the caller's protocol shape (the
// only try/catch the routes need), CORS headers go on whatever is answered, each request is
// counted with its status and time to response headers, and each gets its request-log row
// (routes/request-log.ts), whatever answered it.

import type { Activity } from "../activity.ts";
import { bugLine, errorResponse, newRequestId, type Protocol, toGatewayError } from "../errors.ts";
import { labelsFor, type Metrics } from "../metrics.ts";
import { routeLabel } from "./accounting.ts";
import { withCors } from "./cors.ts";
import type { RequestDraft, RequestLog } from "./request-log.ts";
import { requestTarget, requireValidHost } from "./target.ts";

/** A route: the request, and its request-log draft to fill in with what it learns. */
export type RouteHandler = (request: Request, draft: RequestDraft) => Promise<Response>;

export interface RouteContext {
  readonly log: (line: string) => void;
  readonly metrics: Metrics;
  readonly activity: Activity;
  readonly requestLog: RequestLog;
  /** The route's name in metrics: messages, count_tokens, models, chat. */
  readonly name: string;
}

export function proxyRoute(
  protocol: Protocol,
  handler: RouteHandler,
  context: RouteContext,
): (request: Request, path?: string) => Promise<Response> {
  const timeLabels = labelsFor("route", context.name);
  const statusLabels = new Map<number, ReturnType<typeof labelsFor>>();
  // The route map has already read the path; parsed here only for a caller that did not.
  return async (request, path = requestTarget(request.url).path) => {
    const started = performance.now();
    const draft = context.requestLog.begin(request, path, routeLabel(path, context.name));
    let response: Response;
    context.activity.requestStarted();
    try {
      requireValidHost(request.headers);
      response = withCors(await handler(request, draft));
      context.requestLog.answered(draft, response.status);
    } catch (thrown) {
      const error = toGatewayError(thrown);
      const id = newRequestId();
      // Bugs get their cause logged; every error gets its row (and a line) from the request log.
      if (error.status === 500) {
        context.log(bugLine(id, error));
      }
      context.requestLog.failed(draft, error);
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
