// What an upstream reply adds to its request-log row (routes/request-log.ts): the key that
// served, timings, tokens read off the reply as it streams by (cost from the price table), how a
// stream ended, and upstream's error when it answered with one.
import { labelsFor } from "../metrics.ts";
import { redactSecrets } from "../protocol/redact.ts";
import { stopFailure, type UpstreamResult } from "../upstream/client.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import type { RouteDeps } from "./deps.ts";
import type { RequestDraft } from "./request-log.ts";
import { errorOfBytes, usageOfJson, watchUsage } from "./usage-tap.ts";

/** The route's name in usage rows: the Claude Code profile is told apart from chat clients. */
export const routeLabel = (path: string, name: string) => (path.startsWith("/code/") ? `code/${name}` : name);

export const clientName = (credential: ClientCredential) =>
  credential.kind === "pool" ? credential.client : "passthrough";

/** The client's request body for the request log, when capture_bodies is on. */
export const captureOf = (deps: RouteDeps, body: Uint8Array): string | undefined =>
  deps.config().capture_bodies ? redactSecrets(new TextDecoder().decode(body)) : undefined;

/** The key that answered, upstream's wait, and upstream's error if the reply is one. */
export function noteUpstream(draft: RequestDraft, result: UpstreamResult): void {
  draft.keyId = result.keyId ?? draft.keyId;
  draft.ttfbMs = result.ttfbMs;
  if (result.response.status >= 400) draft.error ??= errorOfBytes(result.bytes);
}

/** The upstream response, watched so the row is written when the reply ends. */
export function accounted(deps: RouteDeps, request: Request, draft: RequestDraft, result: UpstreamResult): Response {
  const { response } = result;
  noteUpstream(draft, result);
  // What pocketgate itself added before the response headers: everything but upstream's wait.
  const overheadMs = Math.max(0, performance.now() - draft.startedPerf - result.ttfbMs);
  draft.overheadMs = overheadMs;
  deps.metrics.observe(
    "pocketgate_overhead_seconds",
    "Gateway time before response headers, upstream wait excluded.",
    labelsFor("route", draft.route),
    overheadMs / 1000,
  );
  if (!response.body || response.status >= 400 || result.bytes || !result.watch) {
    // A whole JSON reply: its usage is read off the bytes, no stream in between.
    if (result.bytes && response.status < 400) {
      const read = usageOfJson(result.bytes);
      draft.usage = read.usage;
      draft.replyModel = read.model;
    }
    deps.releaseConnection(request);
    return response;
  }
  deps.activity.streamOpened();
  draft.holds++;
  watchUsage(
    result.watch,
    (reason, error) => stopFailure(reason, error, deps.config()),
    (outcome) => {
      deps.activity.streamClosed();
      deps.releaseConnection(request);
      draft.usage = outcome.usage;
      draft.replyModel = outcome.model;
      draft.streamEnd = outcome.end;
      if (outcome.error) draft.error = outcome.error;
      deps.requestLog.release(draft);
    },
  );
  return response;
}
