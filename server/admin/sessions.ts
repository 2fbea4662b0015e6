// Admin sessions: random tokens, stored only as hashes, with an expiry; failed logins are
// throttled (after 5 failures in a row, each next try waits longer, up to 5 minutes).
import { GatewayError } from "../errors.ts";
import { sha256Hex } from "../platform/crypto.ts";
import type { Database } from "../platform/sqlite.ts";

const SESSION_MS = 30 * 24 * 60 * 60 * 1000;
const FREE_FAILURES = 5;

export function createSessions(db: Database, now: () => number) {
  let failures = 0;
  let blockedUntil = 0;

  return {
    /** Throws 429 while logins are throttled. */
    checkThrottle(): void {
      const wait = blockedUntil - now();
      if (wait > 0) {
        throw new GatewayError(
          429,
          "rate_limit_error",
          `too many failed logins; try again in ${Math.ceil(wait / 1000)} s`,
          {
            retryAfter: wait / 1000,
          },
        );
      }
    },
    failed(): void {
      failures++;
      if (failures >= FREE_FAILURES) blockedUntil = now() + Math.min(300_000, 1000 * 2 ** (failures - FREE_FAILURES));
    },
    create(): { token: string; expires_at: number } {
      failures = 0;
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      const token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      const expires = now() + SESSION_MS;
      db.run("DELETE FROM admin_session WHERE expires_at < ?", now());
      db.run("INSERT INTO admin_session (token_hash, expires_at) VALUES (?, ?)", sha256Hex(token), expires);
      return { token, expires_at: expires };
    },
    valid(token: string): boolean {
      const row = db.get<{ expires_at: number }>(
        "SELECT expires_at FROM admin_session WHERE token_hash = ?",
        sha256Hex(token),
      );
      return row !== undefined && row.expires_at > now();
    },
    /** The request's session token when it names a live session. */
    current(headers: Headers): string | undefined {
      const token = sessionToken(headers);
      return token && this.valid(token) ? token : undefined;
    },
    revoke(token: string): void {
      db.run("DELETE FROM admin_session WHERE token_hash = ?", sha256Hex(token));
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

/** The session token from `Authorization: Bearer` or the `pg_session` cookie. */
export function sessionToken(headers: Headers): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  if (bearer) return bearer;
  return /(?:^|;\s*)pg_session=([^;]+)/.exec(headers.get("cookie") ?? "")?.[1];
}
