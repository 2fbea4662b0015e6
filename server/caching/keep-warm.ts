// Keep-warm: after a reply that used the prompt cache, an idle conversation's prefix is re-warmed
// (caching/warm-body.ts) on the same upstream key shortly before its TTL runs out, until the
// conversation continues, the client's idle stop passes, or its daily re-warm budget is spent.
// Re-warm requests are the caller's to make and to log (`warm`); this file only decides when.
// Time and timers come in through deps, so a test can drive it.
import type { WarmPolicy } from "./policy.ts";
import { type CacheTtl, TTL_MS } from "./policy.ts";

/** What a cached request leaves for re-warming. */
export interface WarmCandidate {
  readonly session: string;
  readonly client: string;
  readonly model: string;
  /** The re-warm body (max_tokens 0) and the headers to send it with (no credential). */
  readonly body: Uint8Array;
  readonly headers: Headers;
  /** The shortest TTL the request's breakpoints asked for. */
  readonly ttl: CacheTtl;
}

export interface WarmEntry extends WarmCandidate {
  readonly keyId: string;
  /** The conversation's last request (ms), and the last time its prefix was read or written. */
  readonly lastActivity: number;
  lastRefresh: number;
  warms: number;
}

export type WarmOutcome = { ok: true } | { ok: false; reason: string };

export interface KeepWarmDeps {
  readonly now: () => number;
  readonly setTimer: (run: () => void, ms: number) => () => void;
  readonly policyOf: (client: string) => WarmPolicy;
  /** Dollars the client's re-warms cost today (UTC). */
  readonly spentToday: (client: string) => number;
  readonly warm: (entry: WarmEntry) => Promise<WarmOutcome>;
  readonly log: (line: string) => void;
}

/** Re-warm this long before the TTL would run out. */
const LEAD_MS = 30_000;
/** Conversations watched at once, and the request bytes they may hold together; past either the longest idle is let go. */
const MAX_ENTRIES = 256;
export const MAX_HELD_BYTES = 64 * 1024 * 1024;

export function createKeepWarm(deps: KeepWarmDeps) {
  const entries = new Map<string, { entry: WarmEntry; cancel?: () => void }>();
  /** Clients told today (UTC) that their re-warm budget is spent: one line each a day. */
  let cappedDay = -1;
  const capped = new Set<string>();

  const forget = (session: string) => {
    entries.get(session)?.cancel?.();
    entries.delete(session);
  };

  function schedule(session: string): void {
    const held = entries.get(session);
    if (!held) return;
    const { entry } = held;
    const policy = deps.policyOf(entry.client);
    if (!policy.on) {
      forget(session);
      return;
    }
    const ttl = TTL_MS[entry.ttl];
    const every = policy.everyMs > 0 ? Math.min(policy.everyMs, ttl) : Math.max(ttl - LEAD_MS, ttl / 2);
    const at = entry.lastRefresh + every;
    // The idle stop: no re-warm once the conversation has been idle this long.
    if (at - entry.lastActivity > policy.idleStopMs) {
      forget(session);
      return;
    }
    held.cancel = deps.setTimer(() => void fire(session), Math.max(0, at - deps.now()));
  }

  async function fire(session: string): Promise<void> {
    const held = entries.get(session);
    if (!held) return;
    held.cancel = undefined;
    const { entry } = held;
    const policy = deps.policyOf(entry.client);
    if (!policy.on) return forget(session);
    const day = Math.floor(deps.now() / 86_400_000);
    if (day !== cappedDay) {
      cappedDay = day;
      capped.clear();
    }
    if (deps.spentToday(entry.client) >= policy.maxPerDay) {
      if (!capped.has(entry.client)) {
        capped.add(entry.client);
        deps.log(
          `keep-warm: client "${entry.client}" has spent its $${policy.maxPerDay} for today on re-warming; no more until 00:00 UTC`,
        );
      }
      return forget(session);
    }
    const outcome = await deps.warm(entry).catch((error: Error): WarmOutcome => ({ ok: false, reason: error.message }));
    // The conversation may have continued (or been replaced) while the re-warm was on its way.
    if (entries.get(session) !== held) return;
    if (!outcome.ok) {
      deps.log(`keep-warm: stopped for a conversation of "${entry.client}": ${outcome.reason}`);
      return forget(session);
    }
    entry.warms++;
    entry.lastRefresh = deps.now();
    schedule(session);
  }

  return {
    /** A new request of this conversation: it continues, so nothing is re-warmed meanwhile. */
    touch(session: string): void {
      if (entries.has(session)) forget(session);
    },
    /** A request of this conversation was answered using the cache on `keyId`. */
    cached(candidate: WarmCandidate, keyId: string): void {
      forget(candidate.session);
      if (!deps.policyOf(candidate.client).on || candidate.body.length > MAX_HELD_BYTES / 4) return;
      const held = () => [...entries.values()].reduce((sum, x) => sum + x.entry.body.length, 0);
      while (entries.size > 0 && (entries.size >= MAX_ENTRIES || held() + candidate.body.length > MAX_HELD_BYTES)) {
        const oldest = [...entries.values()].sort((a, b) => a.entry.lastActivity - b.entry.lastActivity)[0];
        if (oldest) forget(oldest.entry.session);
      }
      const now = deps.now();
      entries.set(candidate.session, {
        entry: { ...candidate, keyId, lastActivity: now, lastRefresh: now, warms: 0 },
      });
      schedule(candidate.session);
    },
    /** Conversations being kept warm now. */
    size: () => entries.size,
    /** Shutdown: no timer outlives the app. */
    stop(): void {
      for (const session of [...entries.keys()]) forget(session);
    },
  };
}

export type KeepWarm = ReturnType<typeof createKeepWarm>;
