// PostgreSQL's schema for a team of instances (issue 20): versioned migrations, applied at start
// under an advisory lock, so two instances starting together migrate once (the second waits, then
// finds nothing left to do). Each applied version is recorded with who applied it and when.
//
// The replicated tables mirror the embedded ones (store/database.ts) column for column, plus `seq`
// (one sequence for all: every change takes the next number, so an instance reads "everything
// after n") and `deleted` (a removal is a change the others must hear of). Usage rows are appended
// with their own id and the instance and local id they came from (written once, however often sent).
import type { Postgres } from "../../platform/shared-clients.ts";

/** pg_advisory_lock key for migrations ("pocketgate-migrate"), and for writes (see replica.ts). */
export const MIGRATION_LOCK = 7_406_551_001;
export const WRITE_LOCK = 7_406_551_002;

export const pgMigrations: readonly string[] = [
  `CREATE SEQUENCE change_seq;
   CREATE TABLE client_key (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     secret TEXT NOT NULL,
     secret_hash TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     revoked_at BIGINT,
     rpm INTEGER,
     monthly_tokens BIGINT,
     monthly_usd DOUBLE PRECISION,
     fit_requests INTEGER NOT NULL DEFAULT 0,
     prompt_cache TEXT,
     prompt_cache_ttl TEXT,
     keep_warm INTEGER,
     keep_warm_max_per_day DOUBLE PRECISION,
     keep_warm_idle_stop DOUBLE PRECISION,
     seq BIGINT NOT NULL,
     deleted BOOLEAN NOT NULL DEFAULT false
   );
   CREATE INDEX client_key_seq ON client_key (seq);
   CREATE TABLE upstream_key (
     id TEXT PRIMARY KEY,
     label TEXT,
     secret TEXT,
     enabled INTEGER NOT NULL DEFAULT 1,
     source TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     provider TEXT NOT NULL DEFAULT 'anthropic',
     seq BIGINT NOT NULL,
     deleted BOOLEAN NOT NULL DEFAULT false
   );
   CREATE INDEX upstream_key_seq ON upstream_key (seq);
   CREATE TABLE stored_response (
     id TEXT PRIMARY KEY,
     client TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     previous_id TEXT,
     input TEXT NOT NULL,
     output TEXT NOT NULL,
     response TEXT NOT NULL,
     seq BIGINT NOT NULL,
     deleted BOOLEAN NOT NULL DEFAULT false
   );
   CREATE INDEX stored_response_seq ON stored_response (seq);
   CREATE TABLE usage (
     id BIGSERIAL PRIMARY KEY,
     origin TEXT NOT NULL,
     origin_id BIGINT NOT NULL,
     at BIGINT NOT NULL,
     client TEXT NOT NULL,
     key_id TEXT,
     route TEXT NOT NULL,
     model TEXT NOT NULL,
     status INTEGER NOT NULL,
     ttfb_ms BIGINT,
     duration_ms BIGINT NOT NULL,
     input_tokens BIGINT NOT NULL,
     output_tokens BIGINT NOT NULL,
     cache_read_tokens BIGINT NOT NULL,
     cache_write_5m_tokens BIGINT NOT NULL,
     cache_write_1h_tokens BIGINT NOT NULL,
     cost_usd DOUBLE PRECISION NOT NULL,
     fitted TEXT,
     web_searches INTEGER NOT NULL DEFAULT 0,
     priced INTEGER NOT NULL DEFAULT 1,
     key_label TEXT,
     overhead_ms DOUBLE PRECISION,
     stream_end TEXT,
     error_type TEXT,
     error_message TEXT,
     saved_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
     provider TEXT,
     body TEXT,
     UNIQUE (origin, origin_id)
   );
   CREATE INDEX usage_at ON usage (at);
   CREATE TABLE setting (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     seq BIGINT NOT NULL,
     deleted BOOLEAN NOT NULL DEFAULT false
   )`,
  // The database's own name, made once: a replica keeps how far it has read per team, so an
  // instance pointed at another database reads that one from the start.
  `CREATE TABLE team (id TEXT NOT NULL);
   INSERT INTO team (id) VALUES (md5(random()::text || clock_timestamp()::text))`,
];

export async function teamOf(pg: Postgres): Promise<string> {
  const [row] = await pg.query("SELECT id FROM team LIMIT 1");
  if (!row) throw new Error("the team table is empty: was the schema changed by hand?");
  return String(row.id);
}

/** Applies the migrations not yet applied; returns the versions this call applied. */
export async function migratePostgres(pg: Postgres, instance: string): Promise<number[]> {
  return pg.transaction(async (query) => {
    // Held to the end of this transaction: a second instance waits here, then sees the version.
    await query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await query(`CREATE TABLE IF NOT EXISTS schema_migration (
       version INTEGER PRIMARY KEY,
       applied_at BIGINT NOT NULL,
       applied_by TEXT NOT NULL
     )`);
    const rows = await query("SELECT coalesce(max(version), 0) AS version FROM schema_migration");
    const applied: number[] = [];
    for (let version = Number(rows[0]?.version ?? 0); version < pgMigrations.length; version++) {
      for (const statement of splitStatements(pgMigrations[version] ?? "")) await query(statement);
      await query("INSERT INTO schema_migration (version, applied_at, applied_by) VALUES ($1, $2, $3)", [
        version + 1,
        Date.now(),
        instance,
      ]);
      applied.push(version + 1);
    }
    return applied;
  });
}

/** The migrations hold no strings with semicolons: one statement per `;`. */
const splitStatements = (sql: string) =>
  sql
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "");
