// One usage row per upstream request: tokens read off the reply as it streams by, cost from the
// price table, the key that served, timings (issue: usage accounting).
import { labelsFor } from "../metrics.ts";
import { costUsd } from "../models/prices.ts";
import { emptyUsage, type TokenUsage } from "../protocol/anthropic/usage.ts";
import { redactSecrets } from "../protocol/redact.ts";
import type { UpstreamResult } from "../upstream/client.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import type { RouteDeps } from "./deps.ts";
import { usageOfJson, watchUsage } from "./usage-tap.ts";

export interface RequestMeta {
  /** The client's request: its connection is released when the reply ends. */
  readonly request: Request;
  readonly credential: ClientCredential;
  readonly route: string;
  /** The model the request named; the reply's own model wins when it says one. */
  readonly model: string;
  readonly started: number;
  /** The request body, redacted, when capture_bodies is on. */
  readonly captured?: string;
  /** What was changed to fit the model (models/fit-request.ts). */
  readonly fitted?: readonly string[];
}

/** The route's name in usage rows: the Claude Code profile is told apart from chat clients. */
export const routeLabel = (path: string, name: string) => (path.startsWith("/code/") ? `code/${name}` : name);

export const clientName = (credential: ClientCredential) =>
  credential.kind === "pool" ? credential.client : "passthrough";

/** The client's request body for the request log, when capture_bodies is on. */
export const captureOf = (deps: RouteDeps, body: Uint8Array): string | undefined =>
  deps.config().capture_bodies ? redactSecrets(new TextDecoder().decode(body)) : undefined;

/** The upstream response, watched so the row is written when the reply ends. */
export function accounted(deps: RouteDeps, meta: RequestMeta, result: UpstreamResult): Response {
  const { response } = result;
  // What pocketgate itself added before the response headers: everything but upstream's wait.
  const overhead = Math.max(0, deps.now() - meta.started - result.ttfbMs) / 1000;
  deps.metrics.observe(
    "pocketgate_overhead_seconds",
    "Gateway time before response headers, upstream wait excluded.",
    labelsFor("route", meta.route),
    overhead,
  );
  const finish = (usage: TokenUsage, replyModel: string | undefined) => {
    deps.releaseConnection(meta.request);
    const model = replyModel ?? meta.model;
    deps.usage.record(
      {
        at: meta.started,
        client: clientName(meta.credential),
        keyId: result.keyId,
        route: meta.route,
        model,
        status: response.status,
        ttfbMs: result.ttfbMs,
        durationMs: deps.now() - meta.started,
        usage,
        costUsd: costUsd(model, usage),
        fitted: meta.fitted,
      },
      meta.captured,
    );
    const tokens = {
      input: usage.input,
      output: usage.output,
      cache_read: usage.cacheRead,
      cache_write_5m: usage.cacheWrite5m,
      cache_write_1h: usage.cacheWrite1h,
    };
    for (const [kind, count] of Object.entries(tokens)) {
      if (count > 0)
        deps.metrics.inc(
          "pocketgate_tokens_total",
          "Tokens by kind and model.",
          labelsFor("kind", kind, "model", model),
          count,
        );
    }
  };
  if (!response.body || response.status >= 400) {
    finish(emptyUsage(), undefined);
    return response;
  }
  if (result.bytes) {
    // A whole JSON reply: its usage is read off the bytes, no stream in between.
    const read = usageOfJson(result.bytes);
    finish(read.usage, read.model);
    return response;
  }
  if (!result.watch) {
    finish(emptyUsage(), undefined);
    return response;
  }
  deps.activity.streamOpened();
  watchUsage(result.watch, (usage, replyModel) => {
    deps.activity.streamClosed();
    finish(usage, replyModel);
  });
  return response;
}
