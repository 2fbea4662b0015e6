// Admin sessions: random tokens, stored only as hashes, with an expiry, each tagged with the
// admin password it was made under (sessionTag): a password changed by any means (the app, `npm
// run reset-password`, an edit of the file) ends every session made before it (issue 11).
import { sha256Hex } from "../platform/crypto.ts";
import type { Database } from "../platform/sqlite.ts";

const SESSION_MS = 30 * 24 * 60 * 60 * 1000;

/** Sessions several instances share (issue 20: kept in Redis, store/shared/fast-state.ts). */
export interface SharedSessions {
  save(hash: string, session: { expires_at: number; password_tag: string }): void;
  find(hash: string): Promise<{ expires_at: number; password_tag: string } | undefined>;
  remove(hash: string): void;
  removeAll(): void;
}

export function createSessions(db: Database, now: () => number, tag: () => string, shared?: SharedSessions) {
  return {
    create(): { token: string; expires_at: number } {
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      const token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      const expires = now() + SESSION_MS;
      const current = tag();
      db.run("DELETE FROM admin_session WHERE expires_at < ? OR password_tag <> ?", now(), current);
      db.run(
        "INSERT INTO admin_session (token_hash, expires_at, password_tag) VALUES (?, ?, ?)",
        sha256Hex(token),
        expires,
        current,
      );
      shared?.save(sha256Hex(token), { expires_at: expires, password_tag: current });
      return { token, expires_at: expires };
    },
    valid(token: string): boolean {
      const row = db.get<{ expires_at: number; password_tag: string }>(
        "SELECT expires_at, password_tag FROM admin_session WHERE token_hash = ?",
        sha256Hex(token),
      );
      return row !== undefined && row.expires_at > now() && row.password_tag === tag();
    },
    /** The request's session token when it names a live session. */
    current(headers: Headers): string | undefined {
      const token = sessionToken(headers);
      return token && this.valid(token) ? token : undefined;
    },
    /** `current`, also asking the other instances' shared sessions (a login made on another). */
    async recall(headers: Headers): Promise<string | undefined> {
      const known = this.current(headers);
      const token = sessionToken(headers);
      if (known || !token || !shared) return known;
      const hash = sha256Hex(token);
      const found = await shared.find(hash);
      if (!found || found.expires_at <= now() || found.password_tag !== tag()) return undefined;
      db.run(
        "INSERT OR REPLACE INTO admin_session (token_hash, expires_at, password_tag) VALUES (?, ?, ?)",
        hash,
        found.expires_at,
        found.password_tag,
      );
      return token;
    },
    revoke(token: string): void {
      db.run("DELETE FROM admin_session WHERE token_hash = ?", sha256Hex(token));
      shared?.remove(sha256Hex(token));
    },
    /** Ends every session (after a password change, so none made under the old one lingers). */
    revokeAll(): void {
      db.run("DELETE FROM admin_session");
      shared?.removeAll();
    },
    /** A session ended on another instance (undefined: all of them). */
    ended(hash: string | undefined): void {
      if (hash === undefined) db.run("DELETE FROM admin_session");
      else db.run("DELETE FROM admin_session WHERE token_hash = ?", hash);
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
