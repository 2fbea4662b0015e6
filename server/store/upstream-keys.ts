// Upstream keys: those from the config (environment or file) and those added in the admin app,
// with labels and on/off switches kept in the database. Ids come from a hash of the key.
import { GatewayError } from "../errors.ts";
import { sha256Hex } from "../platform/crypto.ts";
import type { Database } from "../platform/sqlite.ts";
import type { PoolKey } from "../upstream/pool.ts";
import { flushAll } from "./write-behind.ts";

export const maskKey = (secret: string): string => `${secret.slice(0, 7)}…${secret.slice(-4)}`;
export const keyId = (secret: string): string => `key_${sha256Hex(secret).slice(0, 12)}`;

interface Row {
  id: string;
  label: string | null;
  secret: string | null;
  enabled: number;
  source: "config" | "admin";
  created_at: number;
}

export function upstreamKeyStore(db: Database, now: () => number, configSecrets: () => readonly string[]) {
  let cache: { source: readonly string[]; keys: readonly PoolKey[] } | undefined;

  function build(secrets: readonly string[]): PoolKey[] {
    const rows = new Map(db.all<Row>("SELECT * FROM upstream_key").map((r) => [r.id, r]));
    const fromConfig = [...new Set(secrets)].map((secret): PoolKey => {
      const id = keyId(secret);
      const row = rows.get(id);
      return {
        id,
        secret,
        masked: maskKey(secret),
        label: row?.label ?? maskKey(secret),
        enabled: row ? row.enabled === 1 : true,
        source: "config",
      };
    });
    const configIds = new Set(fromConfig.map((k) => k.id));
    const added = [...rows.values()]
      .filter((r) => r.source === "admin" && r.secret !== null && !configIds.has(r.id))
      .sort((a, b) => a.created_at - b.created_at)
      .map((r): PoolKey => {
        const secret = r.secret ?? "";
        return {
          id: r.id,
          secret,
          masked: maskKey(secret),
          label: r.label ?? maskKey(secret),
          enabled: r.enabled === 1,
          source: "admin",
        };
      });
    return [...fromConfig, ...added];
  }

  const keys = (): readonly PoolKey[] => {
    const secrets = configSecrets();
    if (!cache || cache.source !== secrets) cache = { source: secrets, keys: build(secrets) };
    return cache.keys;
  };
  const changed = () => {
    cache = undefined;
  };
  const find = (id: string) => keys().find((k) => k.id === id);

  return {
    keys,
    find,
    /** Adds keys pasted in the admin app (one or many); the ones already known are skipped. */
    add(secrets: readonly string[], label: string | undefined): PoolKey[] {
      const added: PoolKey[] = [];
      for (const secret of secrets) {
        const id = keyId(secret);
        if (find(id)) continue;
        const name = label && secrets.length > 1 ? `${label} ${added.length + 1}` : label;
        db.run(
          "INSERT INTO upstream_key (id, label, secret, enabled, source, created_at) VALUES (?, ?, ?, 1, 'admin', ?)",
          id,
          name ?? null,
          secret,
          now(),
        );
        changed();
        const key = find(id);
        if (key) added.push(key);
      }
      return added;
    },
    update(id: string, change: { label?: string; enabled?: boolean }): PoolKey {
      const key = find(id);
      if (!key) throw new GatewayError(404, "not_found_error", `no upstream key with id ${id}`);
      const label = change.label ?? (key.label === key.masked ? null : key.label);
      const enabled = change.enabled ?? key.enabled;
      db.run(
        `INSERT INTO upstream_key (id, label, secret, enabled, source, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET label = excluded.label, enabled = excluded.enabled`,
        id,
        label,
        key.source === "admin" ? key.secret : null,
        enabled ? 1 : 0,
        key.source,
        now(),
      );
      changed();
      return find(id) as PoolKey;
    },
    remove(id: string): void {
      const key = find(id);
      if (!key) throw new GatewayError(404, "not_found_error", `no upstream key with id ${id}`);
      if (key.source === "config") {
        throw new GatewayError(
          409,
          "invalid_request_error",
          "this key comes from POCKETGATE_UPSTREAM_KEYS or pocketgate.toml: remove it there, or disable it here",
        );
      }
      db.run("DELETE FROM upstream_key WHERE id = ?", id);
      flushAll(db); // a queued state write must not bring the row back
      db.run("DELETE FROM key_state WHERE id = ?", id);
      changed();
    },
  };
}

export type UpstreamKeyStore = ReturnType<typeof upstreamKeyStore>;
