// What one upstream attempt says about the key that made it (contract §7). Pure.

export type Outcome =
  | { readonly kind: "ok" }
  | { readonly kind: "rate_limited"; readonly untilMs: number }
  | { readonly kind: "invalid"; readonly reason: "authentication" | "permission" | "billing" }
  /** 529, 500/502/503 or a connection error before any byte: try another key, blame nobody. */
  | { readonly kind: "transient" }
  /** Anything else (a 400 about the request, a 404...): the key is fine, the answer is final. */
  | { readonly kind: "final" };

const DEFAULT_COOLDOWN_MS = 60_000;
const CREDIT_BALANCE_MESSAGE = "Your credit balance is too low";

/** `anthropic-ratelimit-*-reset` values are RFC 3339 times; the earliest one in the future. */
export function earliestReset(headers: Headers, nowMs: number): number | undefined {
  let earliest: number | undefined;
  for (const [name, value] of headers) {
    if (!name.startsWith("anthropic-ratelimit-") || !name.endsWith("-reset")) continue;
    const at = Date.parse(value);
    if (!Number.isNaN(at) && at > nowMs && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}

/** The `error` object of an Anthropic error body, if the body is one. */
function errorOf(body: string): { type?: unknown; message?: unknown } | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed?.error === "object" && parsed.error !== null ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Classified by status, the error's `type` and the API's own documented wording only: upstream
 * 400s quote what the client sent (an unknown beta, a model name), so words found anywhere in a
 * body must never retire a key (contract §7; https://platform.claude.com/docs/en/api/errors).
 */
export function classify(status: number, headers: Headers, body: string, nowMs: number): Outcome {
  if (status < 400) return { kind: "ok" };
  if (status === 429) {
    const retryAfter = Number(headers.get("retry-after"));
    const until =
      Number.isFinite(retryAfter) && retryAfter > 0 ? nowMs + retryAfter * 1000 : earliestReset(headers, nowMs);
    return { kind: "rate_limited", untilMs: until ?? nowMs + DEFAULT_COOLDOWN_MS };
  }
  if (status === 401) return { kind: "invalid", reason: "authentication" };
  if (status === 402) return { kind: "invalid", reason: "billing" };
  if (status === 400 || status === 403) {
    const error = errorOf(body);
    if (status === 403 && error?.type === "permission_error") return { kind: "invalid", reason: "permission" };
    // The API's credit-balance refusal is a 400 whose message begins with these words.
    if (
      status === 400 &&
      error?.type === "invalid_request_error" &&
      typeof error.message === "string" &&
      error.message.startsWith(CREDIT_BALANCE_MESSAGE)
    ) {
      return { kind: "invalid", reason: "billing" };
    }
    return { kind: "final" };
  }
  if (status === 529 || status === 500 || status === 502 || status === 503) return { kind: "transient" };
  return { kind: "final" };
}
