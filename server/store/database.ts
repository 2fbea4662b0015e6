// The embedded database in the data dir: schema migrations and the key-state table.
// (Usage and client keys join it as their features land.)
import type { Database } from "../platform/sqlite.ts";
import type { KeyStatus } from "../upstream/pool.ts";
import { writeBehind } from "./write-behind.ts";

const migrations: readonly string[] = [
  `CREATE TABLE key_state (
     id TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     until INTEGER,
     reason TEXT,
     tokens_remaining INTEGER,
     requests_remaining INTEGER,
     reset_at INTEGER,
     last_used INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE TABLE admin_session (
     token_hash TEXT PRIMARY KEY,
     expires_at INTEGER NOT NULL
   )`,
  `CREATE TABLE usage (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     client TEXT NOT NULL,
     key_id TEXT,
     route TEXT NOT NULL,
     model TEXT NOT NULL,
     status INTEGER NOT NULL,
     ttfb_ms INTEGER,
     duration_ms INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cache_read_tokens INTEGER NOT NULL,
     cache_write_5m_tokens INTEGER NOT NULL,
     cache_write_1h_tokens INTEGER NOT NULL,
     cost_usd REAL NOT NULL
   );
   CREATE INDEX usage_at ON usage (at);
   CREATE INDEX usage_client_at ON usage (client, at)`,
  `CREATE TABLE client_key (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     secret TEXT NOT NULL,
     secret_hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER,
     rpm INTEGER,
     monthly_tokens INTEGER,
     monthly_usd REAL
   )`,
  `CREATE TABLE upstream_key (
     id TEXT PRIMARY KEY,
     label TEXT,
     secret TEXT,
     enabled INTEGER NOT NULL DEFAULT 1,
     source TEXT NOT NULL,
     created_at INTEGER NOT NULL
   )`,
  // Request bodies kept for the request log when capture_bodies is on (credentials redacted).
  `CREATE TABLE request_body (
     usage_id INTEGER PRIMARY KEY,
     body TEXT NOT NULL
   )`,
  // Sessions are tagged with the admin password they were made under (admin/sessions.ts); the
  // ones from before carry no tag and end, once.
  `ALTER TABLE admin_session ADD COLUMN password_tag TEXT NOT NULL DEFAULT ''`,
  // The Models API's list, kept so a restart without network still knows each model (models/catalog.ts).
  `CREATE TABLE model_info (
     position INTEGER PRIMARY KEY,
     id TEXT NOT NULL,
     info TEXT NOT NULL,
     fetched_at INTEGER NOT NULL
   )`,
  // What the request fitting changed (models/fit-request.ts), web searches billed, and whether the
  // price list knew the model (unpriced rows show "unknown", not a guess).
  `ALTER TABLE usage ADD COLUMN fitted TEXT;
   ALTER TABLE usage ADD COLUMN web_searches INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage ADD COLUMN priced INTEGER NOT NULL DEFAULT 1`,
  // Per client key: fit native /v1/messages requests to the model too (off by default).
  `ALTER TABLE client_key ADD COLUMN fit_requests INTEGER NOT NULL DEFAULT 0`,
  // Every proxy request is logged, the gateway's own errors included (issue 13): the error the
  // client got, the key's label as it was then, the gateway's own time, how a stream ended.
  `ALTER TABLE usage ADD COLUMN key_label TEXT;
   ALTER TABLE usage ADD COLUMN overhead_ms REAL;
   ALTER TABLE usage ADD COLUMN stream_end TEXT;
   ALTER TABLE usage ADD COLUMN error_type TEXT;
   ALTER TABLE usage ADD COLUMN error_message TEXT`,
  // Prompt caching per client key (issue 15): null keeps the global setting. And each row's
  // saving: what its cache reads saved at the full input price, less the write premium (a
  // keep-warm row's saving is minus its cost).
  `ALTER TABLE client_key ADD COLUMN prompt_cache TEXT;
   ALTER TABLE client_key ADD COLUMN prompt_cache_ttl TEXT;
   ALTER TABLE client_key ADD COLUMN keep_warm INTEGER;
   ALTER TABLE client_key ADD COLUMN keep_warm_max_per_day REAL;
   ALTER TABLE client_key ADD COLUMN keep_warm_idle_stop REAL;
   ALTER TABLE usage ADD COLUMN saved_usd REAL NOT NULL DEFAULT 0`,
  // Responses kept for previous_response_id and GET /v1/responses/{id} (issue 16): the client's
  // own input items and the output items (reasoning sealed, for continuing with thinking).
  `CREATE TABLE stored_response (
     id TEXT PRIMARY KEY,
     client TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     previous_id TEXT,
     input TEXT NOT NULL,
     output TEXT NOT NULL,
     response TEXT NOT NULL
   );
   CREATE INDEX stored_response_created ON stored_response (created_at)`,
  // Several providers (issue 17): each upstream key belongs to one, each request-log row names the
  // one that served, and the model ids a provider's own /v1/models reported are kept.
  `ALTER TABLE upstream_key ADD COLUMN provider TEXT NOT NULL DEFAULT 'anthropic';
   ALTER TABLE usage ADD COLUMN provider TEXT;
   CREATE TABLE provider_model (
     provider TEXT PRIMARY KEY,
     ids TEXT NOT NULL,
     fetched_at INTEGER NOT NULL
   )`,
  // Several instances sharing state (issue 20, store/shared/replica.ts): changes waiting to be sent
  // to PostgreSQL (filled by triggers that exist only while database_url is set), how far this
  // instance has read the others' changes, and where each usage row that came from another
  // instance came from.
  `CREATE TABLE shared_outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     tbl TEXT NOT NULL,
     pk TEXT NOT NULL
   );
   CREATE TABLE shared_cursor (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );
   CREATE TABLE shared_applying (applying INTEGER NOT NULL);
   INSERT INTO shared_applying (applying) VALUES (0);
   CREATE TABLE usage_origin (
     usage_id INTEGER PRIMARY KEY,
     origin TEXT NOT NULL,
     origin_id INTEGER NOT NULL,
     UNIQUE (origin, origin_id)
   )`,
  // A row pulled from PostgreSQL is skipped when a change of it waits here: found by index, not by
  // reading the whole outbox (which holds every usage row while PostgreSQL is away).
  "CREATE INDEX shared_outbox_row ON shared_outbox (tbl, pk)",
];

export function migrate(db: Database): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = db.get<{ version: number }>("SELECT version FROM schema_version");
  let version = row?.version ?? 0;
  if (!row) db.run("INSERT INTO schema_version (version) VALUES (0)");
  while (version < migrations.length) {
    const sql = migrations[version] ?? "";
    db.transaction(() => {
      db.exec(sql);
      db.run("UPDATE schema_version SET version = ?", version + 1);
    });
    version++;
  }
}

interface KeyStateRow {
  id: string;
  state: KeyStatus["state"];
  until: number | null;
  reason: string | null;
  tokens_remaining: number | null;
  requests_remaining: number | null;
  reset_at: number | null;
  last_used: number;
}

const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** One key's state, as the pool keeps it (also what another instance reported: store/shared/). */
export function writeKeyState(db: Database, id: string, s: KeyStatus): void {
  db.run(
    `INSERT INTO key_state (id, state, until, reason, tokens_remaining, requests_remaining, reset_at, last_used)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, until = excluded.until, reason = excluded.reason,
       tokens_remaining = excluded.tokens_remaining, requests_remaining = excluded.requests_remaining,
       reset_at = excluded.reset_at, last_used = excluded.last_used`,
    id,
    s.state === "disabled" ? "active" : s.state,
    s.until ?? null,
    s.reason ?? null,
    s.tokensRemaining ?? null,
    s.requestsRemaining ?? null,
    s.resetAt ?? null,
    s.lastUsed ?? 0,
  );
}

export function keyStateStore(db: Database) {
  const states = writeBehind<string, KeyStatus>(db, "key_state", (id, s) => writeKeyState(db, id, s));
  return {
    load(): Map<string, KeyStatus> {
      const rows = db.all<KeyStateRow>("SELECT * FROM key_state");
      return new Map(
        rows.map((r) => [
          r.id,
          {
            state: r.state,
            until: orUndefined(r.until),
            reason: orUndefined(r.reason),
            tokensRemaining: orUndefined(r.tokens_remaining),
            requestsRemaining: orUndefined(r.requests_remaining),
            resetAt: orUndefined(r.reset_at),
            lastUsed: r.last_used,
          },
        ]),
      );
    },
    /** Written behind the reply (store/write-behind.ts): key states change on most requests. */
    save(id: string, s: KeyStatus): void {
      states.put(id, { ...s });
    },
  };
}
