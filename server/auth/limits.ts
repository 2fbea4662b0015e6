// Per-client limits: requests per minute (sliding window, in memory) and a monthly token or
// dollar budget (from the usage table). Over a limit: 429 saying which one and when it resets.
import { GatewayError } from "../errors.ts";
import type { ClientLimits } from "../store/client-keys.ts";
import type { UsageStore } from "../store/usage.ts";

export interface LimitsDeps {
  readonly limitsOf: (client: string) => ClientLimits | undefined;
  readonly usage: Pick<UsageStore, "totalsSince">;
  readonly now: () => number;
  /**
   * Counts the request in a window several instances share (issue 20): 0 admitted, else ms to
   * wait; undefined when it cannot be counted there now (then this instance counts alone).
   */
  readonly sharedWindow?: (client: string, rpm: number) => Promise<number | undefined>;
}

const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

export function createLimits(deps: LimitsDeps) {
  const windows = new Map<string, number[]>();

  return {
    /** Throws 429 when `client` is over one of its limits; otherwise counts the request. */
    check(client: string): void | Promise<void> {
      const limits = deps.limitsOf(client);
      if (!limits) return;
      const now = deps.now();
      if (limits.monthly_tokens !== null || limits.monthly_usd !== null) {
        const spent = deps.usage.totalsSince(client, monthStart(now));
        const resets = new Date(nextMonthStart(now)).toISOString();
        const retryAfter = (nextMonthStart(now) - now) / 1000;
        if (limits.monthly_tokens !== null && spent.tokens >= limits.monthly_tokens) {
          throw new GatewayError(
            429,
            "rate_limit_error",
            `client key "${client}" has used its monthly budget of ${limits.monthly_tokens} tokens (${spent.tokens} used); it resets at ${resets}`,
            { retryAfter },
          );
        }
        if (limits.monthly_usd !== null && spent.cost >= limits.monthly_usd) {
          throw new GatewayError(
            429,
            "rate_limit_error",
            `client key "${client}" has used its monthly budget of $${limits.monthly_usd} ($${spent.cost.toFixed(4)} used); it resets at ${resets}`,
            { retryAfter },
          );
        }
      }
      if (limits.rpm !== null && deps.sharedWindow) {
        const rpm = limits.rpm;
        return deps.sharedWindow(client, rpm).then((waitMs) => {
          if (waitMs === undefined) return countLocally(client, rpm, now);
          if (waitMs > 0) throw overRpm(client, rpm, Math.max(1, Math.ceil(waitMs / 1000)));
        });
      }
      if (limits.rpm !== null) countLocally(client, limits.rpm, now);
    },
  };

  function countLocally(client: string, rpm: number, now: number): void {
    const recent = (windows.get(client) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= rpm) {
      const wait = Math.max(1, Math.ceil((60_000 - (now - (recent[0] ?? now))) / 1000));
      windows.set(client, recent);
      throw overRpm(client, rpm, wait);
    }
    recent.push(now);
    windows.set(client, recent);
  }
}

const overRpm = (client: string, rpm: number, wait: number) =>
  new GatewayError(
    429,
    "rate_limit_error",
    `client key "${client}" is limited to ${rpm} requests per minute; try again in ${wait} s`,
    { retryAfter: wait },
  );

export type Limits = ReturnType<typeof createLimits>;
