// What a team of instances keeps in Redis (issue 20): each upstream key's state (cooldown,
// headroom), the rpm windows of client keys, admin sessions, and who re-warms a conversation.
// Each instance keeps its own copy of key states and sessions (a request never waits for Redis to
// read them); Redis is what a starting or returning instance reads, and notices keep the copies
// current. The rpm window is counted in Redis itself, atomically, so it holds across instances.
import type { KeyStatus } from "../../upstream/pool.ts";
import type { RedisLink } from "./redis-link.ts";

/**
 * A sliding window of one minute: drop what is older, count, add this request when under the
 * limit. Answers 0 when admitted, else the ms until the oldest request leaves the window. The time
 * is Redis's own (TIME), so instances whose clocks differ still count one window.
 * https://redis.io/docs/latest/commands/eval/ · https://redis.io/docs/latest/commands/time/
 */
const RPM_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + 60000 - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], 60000)
return 0`;

/** A conversation idle longer than this is not re-warmed by anyone (the longest cache TTL is 1 h). */
const WARM_OWNER_MS = 2 * 60 * 60 * 1000;

const STATES = new Set(["active", "cooling", "invalid"]);
const numberOrMissing = (v: unknown) => v === undefined || (typeof v === "number" && Number.isFinite(v));

/** A key state read from Redis or a notice: taken only in the shape this code writes. */
export function keyStatusOf(value: unknown): KeyStatus | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const s = value as Record<string, unknown>;
  if (typeof s.state !== "string" || !STATES.has(s.state)) return undefined;
  if (s.reason !== undefined && typeof s.reason !== "string") return undefined;
  const numbers = [
    "until",
    "tokensRemaining",
    "requestsRemaining",
    "tokensLimit",
    "requestsLimit",
    "resetAt",
    "lastUsed",
  ];
  if (!numbers.every((name) => numberOrMissing(s[name]))) return undefined;
  return { ...(s as unknown as KeyStatus), lastUsed: (s.lastUsed as number | undefined) ?? 0 };
}

/** What Redis holds is JSON this code wrote; anything else reads as nothing. */
const parsed = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
};

/** HGETALL's answer (an object, or a flat list on older protocol versions) as pairs. */
const pairs = (flat: Record<string, string> | string[] | null): [string, string][] =>
  Array.isArray(flat)
    ? flat.flatMap((v, i, all) => (i % 2 === 0 ? [[v, all[i + 1] ?? ""] as [string, string]] : []))
    : Object.entries(flat ?? {});

export interface StoredSession {
  readonly expires_at: number;
  readonly password_tag: string;
}

export function fastState(link: RedisLink, prefix: string) {
  const keyStates = `${prefix}:key_state`;
  const sessions = `${prefix}:admin_session`;
  let counter = 0;
  return {
    async saveKeyState(id: string, status: KeyStatus): Promise<void> {
      await link.send("HSET", [keyStates, id, JSON.stringify(status)]);
    },
    async keyStates(): Promise<Map<string, KeyStatus>> {
      const entries = pairs((await link.send("HGETALL", [keyStates])) as Record<string, string> | string[] | null);
      const states = new Map<string, KeyStatus>();
      for (const [id, json] of entries) {
        const status = keyStatusOf(parsed(json));
        if (status) states.set(id, status);
      }
      return states;
    },
    /** 0: admitted (and counted); otherwise ms until a request may be made. */
    async rpm(client: string, limit: number, instance: string): Promise<number> {
      const member = `${instance}-${counter++}`;
      const answer = await link.send("EVAL", [RPM_SCRIPT, "1", `${prefix}:rpm:${client}`, String(limit), member]);
      return Number(answer);
    },
    /** Keeps a new session; the ones past their expiry go at the same time (logins are rare). */
    async saveSession(hash: string, session: StoredSession, now: number): Promise<void> {
      await link.send("HSET", [sessions, hash, JSON.stringify(session)]);
      const all = (await link.send("HGETALL", [sessions])) as Record<string, string> | string[] | null;
      const expired = pairs(all).filter(([, json]) => {
        const stored = parsed(json) as StoredSession | undefined;
        return stored == null || stored.expires_at <= now;
      });
      if (expired.length > 0) await link.send("HDEL", [sessions, ...expired.map(([h]) => h)]);
    },
    async session(hash: string): Promise<StoredSession | undefined> {
      const json = (await link.send("HGET", [sessions, hash])) as string | null;
      return json ? (parsed(json) as StoredSession | undefined) : undefined;
    },
    async removeSession(hash: string): Promise<void> {
      await link.send("HDEL", [sessions, hash]);
    },
    async removeSessions(): Promise<void> {
      await link.send("DEL", [sessions]);
    },
    /** `instance` answered the conversation's last request: it keeps it warm, no other. */
    async ownWarm(conversation: string, instance: string): Promise<void> {
      await link.send("SET", [`${prefix}:warm:${conversation}`, instance, "PX", String(WARM_OWNER_MS)]);
    },
    async warmOwner(conversation: string): Promise<string | undefined> {
      return ((await link.send("GET", [`${prefix}:warm:${conversation}`])) as string | null) ?? undefined;
    },
  };
}

export type FastState = ReturnType<typeof fastState>;
