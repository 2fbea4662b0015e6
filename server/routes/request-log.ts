// One request-log row for every proxy request, whatever answered it (issue 13): upstream's reply,
// or the gateway's own 4xx/5xx. proxy-route.ts starts a draft per request; the route fills in
// what it learns (the client, the model, the key, the reply's usage) and the row is written once,
// when the answer is complete: at once for a whole reply or an error, at the end for a stream.
import type { Activity } from "../activity.ts";
import type { WarmCandidate } from "../caching/keep-warm.ts";
import { savedUsd } from "../caching/savings.ts";
import type { GatewayError } from "../errors.ts";
import { labelsFor, type Metrics } from "../metrics.ts";
import { costUsd, type PriceRow } from "../models/prices.ts";
import { emptyUsage, type TokenUsage } from "../protocol/anthropic/usage.ts";
import type { Resolution } from "../providers/route.ts";
import type { StreamEnd, UsageRecord, UsageStore } from "../store/usage.ts";
import { createFailureLine } from "./failure-line.ts";

export interface RequestDraft {
  /** When the request arrived (ms since epoch) and on the monotonic clock. */
  readonly at: number;
  readonly startedPerf: number;
  readonly method: string;
  readonly path: string;
  /** The route's name in the log: messages, chat, count_tokens, models (code/… for Claude Code). */
  readonly route: string;
  /** The client key's name, once the request proved one. */
  client?: string;
  model?: string;
  /** The upstream key that served (or was tried last), and its provider. */
  keyId?: string;
  provider?: string;
  /** Time from sending upstream to its response headers, and the gateway's own time before them. */
  ttfbMs?: number;
  overheadMs?: number;
  usage?: TokenUsage;
  /** The model the reply itself named (wins over the request's). */
  replyModel?: string;
  captured?: string;
  fitted?: readonly string[];
  /** How a streamed reply ended; undefined for whole replies. */
  streamEnd?: StreamEnd;
  /** What went wrong, as the client was told: the gateway's error or upstream's. */
  error?: { type: string; message: string };
  /** The status the client got, when it differs from the response's (a re-assembled reply). */
  status?: number;
  /** A cached conversation's re-warm, for keep-warm once the reply is complete (routes/cache-plan.ts). */
  warm?: WarmCandidate;
  /** Parts still running (an open stream): the row waits for them. */
  holds: number;
  /** The route has returned its response. */
  answered: boolean;
  written: boolean;
}

/** For UpstreamCall.onKey: the row names the key (and provider) tried last, even when the call then throws. */
export const noteKey =
  (draft: RequestDraft) =>
  (keyId: string, provider: string): void => {
    draft.keyId = keyId;
    draft.provider = provider;
  };

/** The row names the model upstream was asked for (an alias resolved), and the first provider to try. */
export function noteRoute(draft: RequestDraft, resolution: Resolution | undefined): void {
  if (!resolution) return;
  draft.model = resolution.model;
  draft.provider = resolution.providers[0]?.name;
}

export interface RequestLogDeps {
  readonly usage: UsageStore;
  /** Requests per minute for the dashboard. */
  readonly activity: Activity;
  readonly metrics: Metrics;
  readonly now: () => number;
  readonly log: (line: string) => void;
  /** An upstream key's label (the log shows labels, never ids or secrets). */
  readonly keyLabel: (id: string) => string | undefined;
  /** The price of a model at a provider (providers/prices.ts); undefined: unknown. */
  readonly priceOf: (provider: string | undefined, model: string) => PriceRow | undefined;
  /** Told of every row as it is made (keep-warm learns which conversations were cached). */
  readonly afterRow?: (draft: RequestDraft, row: UsageRecord) => void;
}

/** Error texts kept in the log are bounded: a client's error can quote its own request. */
const MAX_MESSAGE = 2000;
/**
 * Requests that proved no client key (a wrong key, none) get rows up to this many a minute: a
 * hostile local app sending wrong keys cannot fill the phone's storage. Past it they are counted
 * (the dashboard's last hour, /metrics) and summarised on stderr, but not stored one by one.
 */
export const UNIDENTIFIED_ROWS_PER_MINUTE = 120;

export function createRequestLog(deps: RequestLogDeps) {
  const failureLine = createFailureLine(deps.log, deps.now);
  let minute = -1;
  let unidentified = 0;
  /** Whether a row for a request from no known client still fits this minute's bound. */
  const storable = (draft: RequestDraft) => {
    if (draft.client !== undefined) return true;
    const now = Math.floor(deps.now() / 60_000);
    if (now !== minute) {
      minute = now;
      unidentified = 0;
    }
    return ++unidentified <= UNIDENTIFIED_ROWS_PER_MINUTE;
  };

  function write(draft: RequestDraft, responseStatus: number): void {
    if (draft.written) return;
    draft.written = true;
    const status = draft.status ?? responseStatus;
    const usage = draft.usage ?? emptyUsage();
    const model = draft.replyModel ?? draft.model ?? "";
    const durationMs = Math.round(performance.now() - draft.startedPerf);
    const error = draft.error && { type: draft.error.type, message: draft.error.message.slice(0, MAX_MESSAGE) };
    const keyLabel = draft.keyId === undefined ? undefined : deps.keyLabel(draft.keyId);
    // Nothing used costs nothing, whether or not the price list knows the model.
    const price = deps.priceOf(draft.provider, model);
    const cost = totalTokens(usage) === 0 && usage.webSearches === 0 ? 0 : costUsd(model, usage, price);
    const saved = savedUsd(model, usage, draft.route, cost, price);
    const row: UsageRecord = {
      at: draft.at,
      client: draft.client ?? "",
      keyId: draft.keyId,
      keyLabel,
      provider: draft.provider,
      route: draft.route,
      model,
      status,
      ttfbMs: draft.ttfbMs,
      overheadMs: draft.overheadMs,
      durationMs,
      usage,
      costUsd: cost,
      savedUsd: saved,
      fitted: draft.fitted,
      streamEnd: draft.streamEnd,
      errorType: error?.type,
      errorMessage: error?.message,
    };
    if (storable(draft)) deps.usage.record(row, draft.captured);
    else
      deps.metrics.inc(
        "pocketgate_requests_unlogged_total",
        "Refused requests from no known client past the log's bound.",
        noLabels,
      );
    countTokens(deps.metrics, model, usage);
    if (draft.provider !== undefined) {
      deps.metrics.inc(
        "pocketgate_provider_requests_total",
        "Proxy requests by the provider that answered and status.",
        labelsFor("provider", draft.provider, "status", String(status)),
      );
    }
    deps.afterRow?.(draft, row);
    const failed = status >= 400 || (draft.streamEnd !== undefined && draft.streamEnd !== "complete");
    deps.activity.count(draft.at, status, failed);
    if (failed) {
      failureLine({
        status,
        method: draft.method,
        path: draft.path,
        client: draft.client,
        model,
        keyLabel,
        streamEnd: draft.streamEnd,
        error,
        durationMs,
      });
    }
  }

  return {
    begin(request: Request, path: string, route: string): RequestDraft {
      return {
        at: deps.now(),
        startedPerf: performance.now(),
        method: request.method,
        path,
        route,
        holds: 0,
        answered: false,
        written: false,
      };
    },
    /** The route returned `status`: the row is written now unless a stream is still open. */
    answered(draft: RequestDraft, status: number): void {
      draft.answered = true;
      draft.status ??= status;
      if (draft.holds === 0) write(draft, status);
    },
    /** The route threw: the client gets this error, and the row says so now. */
    failed(draft: RequestDraft, error: GatewayError): void {
      draft.error ??= { type: error.type, message: error.message };
      draft.status = error.status;
      write(draft, error.status);
    },
    /** A part the row waits for (an open stream) has finished. */
    release(draft: RequestDraft): void {
      draft.holds--;
      if (draft.holds === 0 && draft.answered) write(draft, draft.status ?? 200);
    },
  };
}

export type RequestLog = ReturnType<typeof createRequestLog>;

const noLabels = labelsFor();

const totalTokens = (u: TokenUsage) => u.input + u.output + u.cacheRead + u.cacheWrite5m + u.cacheWrite1h;

const tokenKinds = ["input", "output", "cache_read", "cache_write_5m", "cache_write_1h"] as const;

function countTokens(metrics: Metrics, model: string, usage: TokenUsage): void {
  const counts = [usage.input, usage.output, usage.cacheRead, usage.cacheWrite5m, usage.cacheWrite1h];
  counts.forEach((count, i) => {
    if (count > 0)
      metrics.inc(
        "pocketgate_tokens_total",
        "Tokens by kind and model.",
        labelsFor("kind", tokenKinds[i] as string, "model", model),
        count,
      );
  });
}
