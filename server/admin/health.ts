// The dashboard's verdict on the gateway, at a glance: ok, degraded or down, with the reasons as
// codes and facts (the admin app words them in the user's language, with what to do). Pure.
import type { LastHour } from "../activity.ts";
import { hostOf } from "../url-host.ts";
import type { HealthView, KeyView, ReachView } from "./schemas.ts";

export interface HealthInput {
  /** The last reachability check; undefined before the first one finishes. */
  readonly reach: ReachView | undefined;
  readonly keys: readonly KeyView[];
  readonly lastHour: LastHour;
  readonly configProblem: string | undefined;
  readonly baseUrl: string;
  readonly proxy: string;
  /** Instances sharing state (issue 20): what cannot be reached now; usage rows waiting for PostgreSQL. */
  readonly shared?: { readonly down: readonly string[]; readonly waiting: number };
}

/** Server errors in the last few minutes worth a "degraded": at least this many, and this share. */
const RECENT_MINUTES = 5;
const MIN_SERVER_ERRORS = 3;
const MIN_SERVER_ERROR_SHARE = 0.2;

const sumLast = (values: readonly number[], n: number) => values.slice(-n).reduce((a, b) => a + b, 0);

export function healthOf(input: HealthInput): HealthView {
  const reasons: HealthView["reasons"] = [];
  let state: HealthView["state"] = "ok";
  const worse = (next: HealthView["state"]) => {
    if (next === "down" || (next === "degraded" && state === "ok")) state = next;
  };

  if (input.reach && !input.reach.ok) {
    worse("down");
    reasons.push({
      code: "unreachable",
      host: hostOf(input.baseUrl),
      detail: input.reach.message,
      ...(input.proxy ? { proxy: hostOf(input.proxy) } : {}),
    });
  }
  const total = input.keys.length;
  const usable = input.keys.filter((k) => k.state === "active").length;
  if (total === 0) {
    worse("down");
    reasons.push({ code: "no_keys" });
  } else if (usable === 0) {
    worse("down");
    const cooling = input.keys.filter((k) => k.state === "cooling" && k.until !== undefined);
    if (cooling.length > 0) {
      reasons.push({
        code: "keys_cooling",
        count: cooling.length,
        until: Math.min(...cooling.map((k) => k.until ?? 0)),
      });
    } else {
      reasons.push({ code: "keys_unusable", count: total });
    }
  } else if (usable < total) {
    worse("degraded");
    reasons.push({ code: "some_keys_unusable", count: total - usable, total });
  }
  const recent = sumLast(input.lastHour.requests, RECENT_MINUTES);
  const serverErrors = sumLast(input.lastHour.server, RECENT_MINUTES);
  if (serverErrors >= MIN_SERVER_ERRORS && serverErrors >= recent * MIN_SERVER_ERROR_SHARE) {
    worse("degraded");
    reasons.push({ code: "server_errors", count: serverErrors, total: recent });
  }
  if (input.shared && input.shared.down.length > 0) {
    worse("degraded");
    reasons.push({ code: "shared_unavailable", services: [...input.shared.down], count: input.shared.waiting });
  }
  if (input.configProblem !== undefined) {
    worse("degraded");
    reasons.push({ code: "config_problem" });
  }
  return { state, reasons };
}
