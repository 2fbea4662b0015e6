// Client keys: the apps that connect, each with optional limits. Looked up by a hash of the
// presented secret, so comparing does not depend on where a guess goes wrong.
import { newClientKey } from "../config/secrets.ts";
import { sha256Hex } from "../platform/crypto.ts";
import type { Database } from "../platform/sqlite.ts";

export interface ClientLimits {
  rpm: number | null;
  monthly_tokens: number | null;
  monthly_usd: number | null;
}

/** Prompt caching for one client key; null keeps the global setting (config prompt_cache…). */
export interface ClientCaching {
  prompt_cache: "auto" | "off" | null;
  prompt_cache_ttl: "5m" | "1h" | null;
  /** 0 off, 1 on. */
  keep_warm: number | null;
  keep_warm_max_per_day: number | null;
  /** Minutes. */
  keep_warm_idle_stop: number | null;
}

export const CACHING_FIELDS = [
  "prompt_cache",
  "prompt_cache_ttl",
  "keep_warm",
  "keep_warm_max_per_day",
  "keep_warm_idle_stop",
] as const satisfies readonly (keyof ClientCaching)[];

/** Per-key settings beside the limits. */
export interface ClientSettings extends ClientLimits, ClientCaching {
  /** Fit native /v1/messages requests to their model, like the OpenAI route (0 off, 1 on). */
  fit_requests: number;
}

export interface ClientKey extends ClientSettings {
  id: string;
  name: string;
  secret: string;
  created_at: number;
  revoked_at: number | null;
}

/**
 * `refresh`, with instances sharing state (issue 20): reads the others' changes into this
 * database now (a key made on another instance a moment ago).
 */
export function clientKeyStore(db: Database, now: () => number, refresh?: () => Promise<void>) {
  let byHash: Map<string, ClientKey> | undefined;
  const all = () => db.all<ClientKey & { secret_hash: string }>("SELECT * FROM client_key ORDER BY created_at");
  const index = () => {
    byHash ??= new Map(all().map((k) => [k.secret_hash, k]));
    return byHash;
  };
  const changed = () => {
    byHash = undefined;
  };
  const newId = () => `ck_${sha256Hex(`${now()}-${Math.random()}`).slice(0, 12)}`;

  return {
    /** Another instance changed the table: read it again. */
    reread: changed,
    /** Reads the others' changes now (undefined when this instance is alone). */
    refresh: refresh
      ? async () => {
          await refresh();
          changed();
        }
      : undefined,
    /** The first-start key (config `password`) is the client named "default". */
    ensureDefault(secret: string): void {
      if (secret === "") return;
      const existing = db.get<{ secret: string }>("SELECT secret FROM client_key WHERE name = 'default'");
      if (existing?.secret === secret) return;
      if (existing) {
        db.run("UPDATE client_key SET secret = ?, secret_hash = ? WHERE name = 'default'", secret, sha256Hex(secret));
      } else {
        // One id for every instance's default key: two instances of a team starting at the same
        // moment make the same row, not two rows of one name (issue 20).
        db.run(
          "INSERT INTO client_key (id, name, secret, secret_hash, created_at) VALUES ('ck_default', 'default', ?, ?, ?)",
          secret,
          sha256Hex(secret),
          now(),
        );
      }
      changed();
    },
    /** The active key with this secret, if any. */
    find(secret: string): ClientKey | undefined {
      const key = index().get(sha256Hex(secret));
      return key && key.revoked_at === null ? key : undefined;
    },
    byName(name: string): ClientKey | undefined {
      return [...index().values()].find((k) => k.name === name && k.revoked_at === null);
    },
    list(): ClientKey[] {
      return all().map(({ secret_hash: _, ...key }) => key);
    },
    create(name: string, limits: Partial<ClientLimits>): ClientKey {
      const secret = newClientKey();
      const key: ClientKey = {
        id: newId(),
        name,
        secret,
        created_at: now(),
        revoked_at: null,
        rpm: limits.rpm ?? null,
        monthly_tokens: limits.monthly_tokens ?? null,
        monthly_usd: limits.monthly_usd ?? null,
        fit_requests: 0,
        prompt_cache: null,
        prompt_cache_ttl: null,
        keep_warm: null,
        keep_warm_max_per_day: null,
        keep_warm_idle_stop: null,
      };
      db.run(
        `INSERT INTO client_key (id, name, secret, secret_hash, created_at, rpm, monthly_tokens, monthly_usd)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        key.id,
        name,
        secret,
        sha256Hex(secret),
        key.created_at,
        key.rpm,
        key.monthly_tokens,
        key.monthly_usd,
      );
      changed();
      return key;
    },
    setLimits(id: string, limits: Partial<ClientSettings>): boolean {
      const key = all().find((k) => k.id === id);
      if (!key) return false;
      const next = { ...key, ...limits };
      db.run(
        `UPDATE client_key SET rpm = ?, monthly_tokens = ?, monthly_usd = ?, fit_requests = ?,
           ${CACHING_FIELDS.map((field) => `${field} = ?`).join(", ")} WHERE id = ?`,
        next.rpm,
        next.monthly_tokens,
        next.monthly_usd,
        next.fit_requests ? 1 : 0,
        ...CACHING_FIELDS.map((field) => next[field]),
        id,
      );
      changed();
      return true;
    },
    revoke(id: string): boolean {
      const key = all().find((k) => k.id === id);
      if (!key || key.revoked_at !== null) return false;
      db.run("UPDATE client_key SET revoked_at = ? WHERE id = ?", now(), id);
      changed();
      return true;
    },
  };
}

export type ClientKeyStore = ReturnType<typeof clientKeyStore>;
