// Upstream keys: those from the config (environment or file) and those added in the admin app,
// with labels and on/off switches kept in the database. Each belongs to one provider (issue 17).
// Ids come from a hash of the key (and of the provider's name, for a provider other than
// anthropic: the same secret at two providers is two keys).
import type { Config } from "../config/schema.ts";
import { GatewayError } from "../errors.ts";
import { sha256Hex } from "../platform/crypto.ts";
import type { Database } from "../platform/sqlite.ts";
import { credentialLabel } from "../providers/cloud-credentials.ts";
import { ANTHROPIC } from "../providers/config.ts";
import { providersOf } from "../providers/registry.ts";
import type { PoolKey } from "../upstream/pool.ts";
import { flushAll } from "./write-behind.ts";

/** How a key is shown: its start and end; an AWS access key id or a service account's e-mail. */
export const maskKey = (secret: string): string => credentialLabel(secret);
export const keyId = (secret: string, provider = ANTHROPIC): string =>
  `key_${sha256Hex(provider === ANTHROPIC ? secret : `${provider}\n${secret}`).slice(0, 12)}`;

interface Row {
  id: string;
  label: string | null;
  secret: string | null;
  enabled: number;
  source: "config" | "admin";
  created_at: number;
  provider: string;
}

export function upstreamKeyStore(db: Database, now: () => number, config: () => Config) {
  let cache: { source: Config; keys: readonly PoolKey[] } | undefined;

  function build(current: Config): PoolKey[] {
    const rows = new Map(db.all<Row>("SELECT * FROM upstream_key").map((r) => [r.id, r]));
    const providers = providersOf(current);
    const fromConfig = providers.flatMap((provider) =>
      [...new Set(provider.configKeys)].map((secret): PoolKey => {
        const id = keyId(secret, provider.name);
        const row = rows.get(id);
        return {
          id,
          secret,
          masked: maskKey(secret),
          label: row?.label ?? maskKey(secret),
          enabled: row ? row.enabled === 1 : true,
          source: "config",
          provider: provider.name,
        };
      }),
    );
    const names = new Set(providers.map((p) => p.name));
    const configIds = new Set(fromConfig.map((k) => k.id));
    const added = [...rows.values()]
      // A removed provider's keys stay in the database (they come back with it), unused.
      .filter((r) => r.source === "admin" && r.secret !== null && !configIds.has(r.id) && names.has(r.provider))
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
          provider: r.provider,
        };
      });
    return [...fromConfig, ...added];
  }

  const keys = (): readonly PoolKey[] => {
    const current = config();
    if (!cache || cache.source !== current) cache = { source: current, keys: build(current) };
    return cache.keys;
  };
  const changed = () => {
    cache = undefined;
  };
  const find = (id: string) => keys().find((k) => k.id === id);

  return {
    keys,
    find,
    /** Another instance changed the table: read it again. */
    reread: changed,
    /** Adds keys pasted in the admin app (one or many); the ones already known are skipped. */
    add(secrets: readonly string[], label: string | undefined, provider = ANTHROPIC): PoolKey[] {
      if (!providersOf(config()).some((p) => p.name === provider)) {
        throw new GatewayError(
          404,
          "not_found_error",
          `no provider named "${provider}"; add it on the Providers page first`,
        );
      }
      const added: PoolKey[] = [];
      for (const secret of secrets) {
        const id = keyId(secret, provider);
        if (find(id)) continue;
        const name = label && secrets.length > 1 ? `${label} ${added.length + 1}` : label;
        db.run(
          `INSERT INTO upstream_key (id, label, secret, enabled, source, created_at, provider) VALUES (?, ?, ?, 1, 'admin', ?, ?)
           ON CONFLICT (id) DO UPDATE SET label = excluded.label, secret = excluded.secret, enabled = 1,
             source = 'admin', provider = excluded.provider`,
          id,
          name ?? null,
          secret,
          now(),
          provider,
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
        `INSERT INTO upstream_key (id, label, secret, enabled, source, created_at, provider) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET label = excluded.label, enabled = excluded.enabled`,
        id,
        label,
        key.source === "admin" ? key.secret : null,
        enabled ? 1 : 0,
        key.source,
        now(),
        key.provider,
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
