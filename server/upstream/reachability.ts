// Can the gateway reach upstream? An unauthenticated GET of the models list: any HTTP answer
// (401 included) means DNS, TCP, TLS and the proxy all work. Used by the dashboard (cached) and
// by the settings page's proxy test.
import type { UpstreamFetch } from "../platform/upstream-fetch.ts";

export interface ReachResult {
  readonly ok: boolean;
  /** Upstream's HTTP status when it answered. */
  readonly status?: number;
  readonly ms: number;
  readonly message: string;
  readonly checked_at: number;
  /** Upstream's clock (its `Date` header, ms), to compare with ours. */
  readonly upstream_date?: number;
}

const TIMEOUT_MS = 8000;

export async function checkReach(fetch: UpstreamFetch, baseUrl: string, now: () => number): Promise<ReachResult> {
  const started = now();
  try {
    const response = await fetch(`${baseUrl}/v1/models`, {
      method: "GET",
      headers: { "anthropic-version": "2023-06-01" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    const ms = now() - started;
    const date = Date.parse(response.headers.get("date") ?? "");
    return {
      ok: true,
      status: response.status,
      ms,
      message: `answered ${response.status}`,
      checked_at: now(),
      ...(Number.isNaN(date) ? {} : { upstream_date: date }),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    const timedOut = (error as Error).name === "TimeoutError";
    return {
      ok: false,
      ms: now() - started,
      message: timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : `cannot connect: ${detail}`,
      checked_at: now(),
    };
  }
}

/** One check through `proxy` on a connection pool of its own, closed afterwards. */
export async function reachThrough(
  open: (options: { proxy: string }) => Promise<{ fetch: UpstreamFetch; close(): Promise<void> }>,
  proxy: string,
  baseUrl: string,
  now: () => number,
): Promise<ReachResult> {
  const pool = await open({ proxy });
  try {
    return await checkReach(pool.fetch, baseUrl, now);
  } finally {
    await pool.close();
  }
}

/** How old a result may be before the next read of it starts a new check: while upstream is down, sooner. */
export const REACH_MAX_AGE_MS = 15_000;
export const REACH_DOWN_MAX_AGE_MS = 5_000;

/**
 * The last check, refreshed in the background when it is older than its age limit. Real upstream
 * requests report too (`reported`): a connection that failed says "down" at once, and any answer
 * from upstream says it is reachable again, so the dashboard never waits for the next check.
 */
export function createReachability(check: () => Promise<ReachResult>, now: () => number) {
  let last: ReachResult | undefined;
  let running: Promise<void> | undefined;
  return {
    current(): ReachResult | undefined {
      const maxAge = last?.ok === false ? REACH_DOWN_MAX_AGE_MS : REACH_MAX_AGE_MS;
      if (!running && (!last || now() - last.checked_at > maxAge)) {
        running = check().then((result) => {
          last = result;
          running = undefined;
        });
      }
      return last;
    },
    /** What a real upstream request found; changes the result only when it changes the answer. */
    reported(ok: boolean, message: string): void {
      if (last?.ok === ok) return;
      last = { ok, ms: last?.ms ?? 0, message, checked_at: now() };
    },
  };
}
