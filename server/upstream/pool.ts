// The upstream key pool: per-key state (contract §7), headroom-aware choice with sticky sessions,
// and the error to give when no key can serve. Time comes in through `now`; persistence through
// `save`, called on every state change.
import { GatewayError } from "../errors.ts";
import type { Outcome } from "./outcome.ts";

export type KeyState = "active" | "cooling" | "invalid" | "disabled";

export interface PoolKey {
  readonly id: string;
  readonly label: string;
  /** The first characters and the last four: what the admin app shows instead of the key. */
  readonly masked: string;
  readonly secret: string;
  readonly enabled: boolean;
  /** "config": from POCKETGATE_UPSTREAM_KEYS or the file; "admin": added in the admin app. */
  readonly source: "config" | "admin";
  /** The provider the key is for (issue 17). */
  readonly provider: string;
}

export interface KeyStatus {
  state: KeyState;
  /** Cooling until (ms since epoch). */
  until?: number;
  reason?: string;
  tokensRemaining?: number;
  requestsRemaining?: number;
  /** The limits the remaining counts are out of (not persisted: the next reply says them again). */
  tokensLimit?: number;
  requestsLimit?: number;
  /** When the remaining counts above reset (ms since epoch). */
  resetAt?: number;
  lastUsed: number;
}

export interface PoolDeps {
  readonly keys: () => readonly PoolKey[];
  readonly now: () => number;
  readonly load: () => ReadonlyMap<string, KeyStatus>;
  readonly save: (id: string, status: KeyStatus) => void;
  /** A session was given a key (several instances share this: store/shared/). */
  readonly stuck?: (stickyId: string, keyId: string) => void;
}

/** Prompt caches live per organisation: a session keeps its key while idle for up to an hour. */
const STICKY_MS = 60 * 60 * 1000;

export function createPool(deps: PoolDeps) {
  const statuses = new Map<string, KeyStatus>(deps.load());
  const saved = new Map<string, string>([...statuses].map(([id, s]) => [id, JSON.stringify(s)]));
  /** Writes a key's status when it differs from what was last written. */
  const persist = (id: string, s: KeyStatus) => {
    const json = JSON.stringify(s);
    if (saved.get(id) === json) return;
    saved.set(id, json);
    deps.save(id, s);
  };
  const sticky = new Map<string, { keyId: string; seen: number }>();

  const status = (id: string): KeyStatus => {
    let s = statuses.get(id);
    if (!s) {
      s = { state: "active", lastUsed: 0 };
      statuses.set(id, s);
    }
    return s;
  };

  /** The state as of now: a finished cooldown is active again; disabled keys say so. */
  function current(key: PoolKey): KeyStatus {
    const s = status(key.id);
    if (s.state === "cooling" && (s.until ?? 0) <= deps.now()) {
      s.state = "active";
      s.until = undefined;
      s.reason = undefined;
      persist(key.id, s);
    }
    return key.enabled ? s : { ...s, state: "disabled" };
  }

  /** Most headroom first; counts whose reset time has passed are as good as full. */
  function headroom(s: KeyStatus): [number, number] {
    const fresh = s.resetAt === undefined || s.resetAt <= deps.now();
    return [
      fresh ? Number.POSITIVE_INFINITY : (s.tokensRemaining ?? Number.POSITIVE_INFINITY),
      fresh ? Number.POSITIVE_INFINITY : (s.requestsRemaining ?? Number.POSITIVE_INFINITY),
    ];
  }

  /** The best key of `provider` for this session; the session keeps its key while usable. */
  function pick(session: string | undefined, exclude: ReadonlySet<string>, provider: string): PoolKey | GatewayError {
    const keys = deps.keys().filter((k) => k.provider === provider);
    const usable = keys.filter((k) => !exclude.has(k.id) && current(k).state === "active");
    const now = deps.now();
    const stickyId = session === undefined ? undefined : `${provider}\u0000${session}`;
    if (stickyId) {
      const held = sticky.get(stickyId);
      const key = held && now - held.seen < STICKY_MS ? usable.find((k) => k.id === held.keyId) : undefined;
      if (held && key) {
        held.seen = now;
        status(key.id).lastUsed = now;
        return key;
      }
    }
    const best = usable.sort((a, b) => {
      const [ta, ra] = headroom(status(a.id));
      const [tb, rb] = headroom(status(b.id));
      return tb - ta || rb - ra || status(a.id).lastUsed - status(b.id).lastUsed;
    })[0];
    if (!best) return unavailable(keys, exclude, provider);
    if (stickyId) {
      sticky.set(stickyId, { keyId: best.id, seen: now });
      deps.stuck?.(stickyId, best.id);
    }
    status(best.id).lastUsed = now;
    return best;
  }

  /** Whether `provider` has a key that can serve now (for choosing among providers). */
  function hasUsable(provider: string): boolean {
    return deps.keys().some((k) => k.provider === provider && current(k).state === "active");
  }

  /** The key with this id when it can serve now (active and enabled). */
  function usable(id: string): PoolKey | undefined {
    const key = deps.keys().find((k) => k.id === id);
    if (!key || current(key).state !== "active") return undefined;
    status(key.id).lastUsed = deps.now();
    return key;
  }

  function unavailable(keys: readonly PoolKey[], exclude: ReadonlySet<string>, provider: string): GatewayError {
    if (keys.length === 0) {
      return new GatewayError(
        503,
        "api_error",
        provider === "anthropic"
          ? "no upstream API key is configured: set POCKETGATE_UPSTREAM_KEYS, upstream_keys in pocketgate.toml, or add one in the admin page"
          : `provider "${provider}" has no API key: add one on the admin app's Providers page`,
      );
    }
    const of = provider === "anthropic" ? "" : ` of provider "${provider}"`;
    const states = keys.filter((k) => !exclude.has(k.id)).map((k) => ({ key: k, s: current(k) }));
    const cooling = states.filter((x) => x.s.state === "cooling").map((x) => x.s.until ?? 0);
    if (cooling.length > 0) {
      const first = Math.min(...cooling);
      const seconds = Math.max(1, Math.ceil((first - deps.now()) / 1000));
      return new GatewayError(
        429,
        "rate_limit_error",
        `no upstream key${of} is available: ${cooling.length} of ${keys.length} cooling down, the first returns at ${new Date(first).toISOString()} (in ${seconds} s); add a key in the admin page`,
        { retryAfter: seconds },
      );
    }
    const reasons = states.map((x) => `${x.key.label}: ${x.s.state}${x.s.reason ? ` (${x.s.reason})` : ""}`).join(", ");
    return new GatewayError(
      503,
      "overloaded_error",
      `no upstream key${of} is usable (${reasons || "all tried"}); fix or add a key in the admin page`,
    );
  }

  function report(keyId: string, outcome: Outcome, headers?: Headers): void {
    const s = status(keyId);
    if (outcome.kind === "ok") {
      s.state = "active";
      s.until = undefined;
      s.reason = undefined;
      if (headers) recordHeadroom(s, headers);
    } else if (outcome.kind === "rate_limited") {
      s.state = "cooling";
      s.until = outcome.untilMs;
      s.reason = "rate_limited";
    } else if (outcome.kind === "invalid") {
      s.state = "invalid";
      s.until = undefined;
      s.reason = outcome.reason;
    }
    // Saved whenever anything changed, last use and headroom included, so a restart picks up
    // where it left off (one small upsert; SQLite in WAL mode does not fsync it).
    persist(keyId, s);
  }

  function recordHeadroom(s: KeyStatus, headers: Headers) {
    const number = (name: string) => {
      const v = headers.get(name);
      return v === null || v === "" || Number.isNaN(Number(v)) ? undefined : Number(v);
    };
    const tokens =
      number("anthropic-ratelimit-tokens-remaining") ?? number("anthropic-ratelimit-input-tokens-remaining");
    const requests = number("anthropic-ratelimit-requests-remaining");
    const reset = Date.parse(
      headers.get("anthropic-ratelimit-tokens-reset") ?? headers.get("anthropic-ratelimit-requests-reset") ?? "",
    );
    const tokensLimit = number("anthropic-ratelimit-tokens-limit") ?? number("anthropic-ratelimit-input-tokens-limit");
    const requestsLimit = number("anthropic-ratelimit-requests-limit");
    if (tokensLimit !== undefined) s.tokensLimit = tokensLimit;
    if (requestsLimit !== undefined) s.requestsLimit = requestsLimit;
    if (tokens !== undefined) s.tokensRemaining = tokens;
    if (requests !== undefined) s.requestsRemaining = requests;
    if (!Number.isNaN(reset)) s.resetAt = reset;
  }

  /** Admin view: every key with its state as of now (never the secret). */
  function snapshot() {
    return deps.keys().map((key) => {
      const { secret: _, ...shown } = key;
      return { ...shown, ...current(key) };
    });
  }

  /** A key's state as another instance saw it (shared state): taken as is, not sent back. */
  function adopt(id: string, s: KeyStatus): void {
    const next = { ...s, lastUsed: Math.max(s.lastUsed ?? 0, statuses.get(id)?.lastUsed ?? 0) };
    statuses.set(id, next);
    saved.set(id, JSON.stringify(next));
  }

  /** A session another instance gave a key keeps it here too. */
  function adoptSticky(stickyId: string, keyId: string): void {
    sticky.set(stickyId, { keyId, seen: deps.now() });
  }

  return { pick, hasUsable, usable, report, snapshot, adopt, adoptSticky };
}

export type Pool = ReturnType<typeof createPool>;
