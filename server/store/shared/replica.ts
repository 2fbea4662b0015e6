// The durable state of a team of instances (issue 20): PostgreSQL holds it, and each instance's
// embedded database is its replica. The stores keep their synchronous reads and writes
// (store/*.ts do not change); what they write to a replicated table is noted by a trigger in
// `shared_outbox` (on disk, in the same transaction: a write that was acknowledged is not lost if
// the process dies) and sent to PostgreSQL behind it; what the others wrote is read back by its
// change number and applied here with the triggers quiet. So a request never waits for
// PostgreSQL, and with PostgreSQL gone the proxy serves from the replica while the outbox waits.
//
// Usage rows are the one thing written at request rate: past `bound` rows waiting, the oldest are
// dropped (they stay in this instance's own log) and counted.

import type { Postgres, SqlRow } from "../../platform/shared-clients.ts";
import type { Database, SqlValue } from "../../platform/sqlite.ts";
import type { UsageRow } from "../usage.ts";
import { WRITE_LOCK } from "./pg-schema.ts";

/** Tables kept whole in PostgreSQL, by their primary key `id`. */
export const KEYED_TABLES = ["client_key", "upstream_key", "stored_response"] as const;
type Keyed = (typeof KEYED_TABLES)[number];
export type ReplicatedTable = Keyed | "usage";

const BATCH = 500;
/** Rows read from PostgreSQL at once; a full page means more may follow. */
const PAGE = 1000;

export interface ReplicaDeps {
  readonly db: Database;
  readonly pg: Postgres;
  /** This instance's name in PostgreSQL (usage.origin). */
  readonly instance: string;
  /** The team's database (pg-schema.ts `team`): how far this replica has read is kept per team. */
  readonly team: string;
  /** Usage rows kept waiting while PostgreSQL is unreachable. */
  readonly bound: number;
  /** Tables whose rows another instance changed (caches over them start again). */
  readonly changed: (tables: ReadonlySet<ReplicatedTable>) => void;
  /** Usage rows another instance wrote, as now kept here (the admin app's live log shows them). */
  readonly arrived: (rows: readonly UsageRow[]) => void;
}

/** The triggers exist only while database_url is set: alone, nothing is queued for nobody. */
export function setTriggers(db: Database, on: boolean): void {
  const quiet = "WHEN (SELECT applying FROM shared_applying) = 0";
  const statements: string[] = [];
  for (const table of KEYED_TABLES) {
    for (const [event, row] of [
      ["INSERT", "NEW"],
      ["UPDATE", "NEW"],
      ["DELETE", "OLD"],
    ] as const) {
      const name = `shared_${table}_${event.toLowerCase()}`;
      statements.push(
        on
          ? `CREATE TRIGGER IF NOT EXISTS ${name} AFTER ${event} ON ${table} ${quiet}
             BEGIN INSERT INTO shared_outbox (tbl, pk) VALUES ('${table}', ${row}.id); END`
          : `DROP TRIGGER IF EXISTS ${name}`,
      );
    }
  }
  statements.push(
    on
      ? `CREATE TRIGGER IF NOT EXISTS shared_usage_insert AFTER INSERT ON usage ${quiet}
         BEGIN INSERT INTO shared_outbox (tbl, pk) VALUES ('usage', NEW.id); END`
      : "DROP TRIGGER IF EXISTS shared_usage_insert",
  );
  if (!on) statements.push("DELETE FROM shared_outbox");
  db.transaction(() => {
    for (const sql of statements) db.exec(sql);
  });
}

const columnsOf = (db: Database, table: string) =>
  db.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`).map((c) => c.name);

export function cursor(db: Database, name: string): string | undefined {
  return db.get<{ value: string }>("SELECT value FROM shared_cursor WHERE name = ?", name)?.value;
}
export function setCursor(db: Database, name: string, value: string): void {
  db.run(
    "INSERT INTO shared_cursor (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    name,
    value,
  );
}

/** PostgreSQL gives BIGINT as text; SQLite's column affinity makes a number of it again. */
const sqlValue = (v: unknown): SqlValue =>
  v === null || v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : (v as SqlValue);

export function createReplica(deps: ReplicaDeps) {
  const { db, pg } = deps;
  // Pointed at another database, an instance starts reading (and sending) from the beginning.
  const mark = (name: string) => `${deps.team}:${name}`;
  const columns = new Map<string, string[]>(KEYED_TABLES.map((t) => [t, columnsOf(db, t)]));
  const usageColumns = columnsOf(db, "usage").filter((c) => c !== "id");
  let dropped = 0;

  // A first join sends what this database already holds (an instance that ran alone before).
  if (cursor(db, mark("joined")) === undefined) {
    db.transaction(() => {
      for (const table of KEYED_TABLES) {
        db.run(`INSERT INTO shared_outbox (tbl, pk) SELECT '${table}', id FROM ${table}`);
      }
      // Its own usage rows only: those read from another team's instances are theirs to send.
      db.run(
        "INSERT INTO shared_outbox (tbl, pk) SELECT 'usage', id FROM usage WHERE id NOT IN (SELECT usage_id FROM usage_origin)",
      );
      setCursor(db, mark("joined"), String(Date.now()));
    });
  }

  const upsertSql = (table: Keyed) => {
    const cols = columns.get(table) ?? [];
    const values = cols.map((_, i) => `$${i + 1}`).join(", ");
    const updates = cols.map((c) => `${c} = excluded.${c}`).join(", ");
    return `INSERT INTO ${table} (${cols.join(", ")}, seq, deleted) VALUES (${values}, nextval('change_seq'), false)
            ON CONFLICT (id) DO UPDATE SET ${updates}, seq = excluded.seq, deleted = false`;
  };
  const usageSql = `INSERT INTO usage (origin, origin_id, ${usageColumns.join(", ")}, body)
     VALUES (${[...usageColumns, "", "", ""].map((_, i) => `$${i + 1}`).join(", ")})
     ON CONFLICT (origin, origin_id) DO NOTHING`;

  /** Sends what waits in the outbox; throws when PostgreSQL cannot take it (it stays queued). */
  async function pushBatch(): Promise<number> {
    const entries = db.all<{ seq: number; tbl: ReplicatedTable; pk: string }>(
      "SELECT seq, tbl, pk FROM shared_outbox ORDER BY seq LIMIT ?",
      BATCH,
    );
    const last = entries.at(-1);
    if (!last) return 0;
    // The row as it is now: several changes to one row are one write of its latest state.
    const latest = new Map<string, { tbl: ReplicatedTable; pk: string }>();
    for (const e of entries) latest.set(`${e.tbl}\u0000${e.pk}`, e);
    const writes = [...latest.values()].map(({ tbl, pk }) => {
      if (tbl === "usage") {
        const row = db.get<SqlRow>(
          "SELECT usage.*, request_body.body AS body FROM usage LEFT JOIN request_body ON request_body.usage_id = usage.id WHERE usage.id = ?",
          Number(pk),
        );
        return row
          ? { sql: usageSql, params: [deps.instance, Number(pk), ...usageColumns.map((c) => row[c]), row.body ?? null] }
          : undefined;
      }
      const row = db.get<SqlRow>(`SELECT * FROM ${tbl} WHERE id = ?`, pk);
      if (!row)
        return { sql: `UPDATE ${tbl} SET deleted = true, seq = nextval('change_seq') WHERE id = $1`, params: [pk] };
      return { sql: upsertSql(tbl), params: (columns.get(tbl) ?? []).map((c) => row[c]) };
    });
    await pg.transaction(async (query) => {
      // Writes take their change numbers one transaction at a time, so a reader that has seen
      // number n has seen every number below it (none commits later with a smaller one).
      await query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
      for (const write of writes) {
        if (write)
          await query(
            write.sql,
            write.params.map((v) => sqlValue(v) as string | number | null),
          );
      }
    });
    db.run("DELETE FROM shared_outbox WHERE seq <= ?", last.seq);
    return entries.length;
  }

  const waitingUsage = () =>
    db.get<{ n: number }>("SELECT count(*) AS n FROM shared_outbox WHERE tbl = 'usage'")?.n ?? 0;

  /** Past the bound, the oldest waiting usage rows are given up (they stay in this instance's log). */
  function enforceBound(): void {
    const over = waitingUsage() - deps.bound;
    if (over <= 0) return;
    db.run(
      "DELETE FROM shared_outbox WHERE seq IN (SELECT seq FROM shared_outbox WHERE tbl = 'usage' ORDER BY seq LIMIT ?)",
      over,
    );
    dropped += over;
  }

  const pending = (table: string, pk: string) =>
    db.get("SELECT 1 AS found FROM shared_outbox WHERE tbl = ? AND pk = ? LIMIT 1", table, pk) !== undefined;

  /** Applies rows from PostgreSQL here with the triggers quiet (they are not sent back). */
  function applying(work: () => void): void {
    db.transaction(() => {
      db.run("UPDATE shared_applying SET applying = 1");
      try {
        work();
      } finally {
        db.run("UPDATE shared_applying SET applying = 0");
      }
    });
  }

  /** One page of a table's changes, applied here; how many rows it held. */
  async function pullKeyed(table: Keyed): Promise<number> {
    const from = cursor(db, mark(table)) ?? "0";
    const rows = await pg.query(`SELECT * FROM ${table} WHERE seq > $1 ORDER BY seq LIMIT ${PAGE}`, [from]);
    const last = rows.at(-1);
    if (!last) return 0;
    const cols = columns.get(table) ?? [];
    applying(() => {
      for (const row of rows) {
        const id = String(row.id);
        // A change made here and not yet sent is newer than what PostgreSQL holds.
        if (pending(table, id)) continue;
        if (row.deleted) db.run(`DELETE FROM ${table} WHERE id = ?`, id);
        else {
          db.run(
            `INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
            ...cols.map((c) => sqlValue(row[c])),
          );
        }
      }
      setCursor(db, mark(table), String(last.seq));
    });
    return rows.length;
  }

  const localUsageSql = `INSERT INTO usage (${usageColumns.join(", ")}) VALUES (${usageColumns.map(() => "?").join(", ")}) RETURNING id`;

  /** One page of usage rows, the others' kept here; how many rows it held, and how many were new here. */
  async function pullUsage(): Promise<{ read: number; added: number }> {
    const from = cursor(db, mark("usage")) ?? "0";
    const rows = await pg.query(`SELECT * FROM usage WHERE id > $1 ORDER BY id LIMIT ${PAGE}`, [from]);
    const last = rows.at(-1);
    if (!last) return { read: 0, added: 0 };
    const added: number[] = [];
    applying(() => {
      for (const row of rows) {
        if (row.origin === deps.instance) continue;
        const known = db.get(
          "SELECT 1 AS found FROM usage_origin WHERE origin = ? AND origin_id = ?",
          String(row.origin),
          sqlValue(row.origin_id),
        );
        if (known) continue;
        const id = db.get<{ id: number }>(localUsageSql, ...usageColumns.map((c) => sqlValue(row[c])))?.id;
        if (id === undefined) continue;
        db.run(
          "INSERT INTO usage_origin (usage_id, origin, origin_id) VALUES (?, ?, ?)",
          id,
          String(row.origin),
          sqlValue(row.origin_id),
        );
        if (typeof row.body === "string")
          db.run("INSERT INTO request_body (usage_id, body) VALUES (?, ?)", id, row.body);
        added.push(id);
      }
      setCursor(db, mark("usage"), String(last.id));
    });
    if (added.length > 0) {
      deps.arrived(
        db.all<UsageRow>(
          "SELECT * FROM usage WHERE id >= ? AND id <= ? ORDER BY id",
          Math.min(...added),
          Math.max(...added),
        ),
      );
    }
    return { read: rows.length, added: added.length };
  }

  return {
    /** Sends everything waiting; throws when PostgreSQL is unreachable (nothing is lost). */
    async push(): Promise<number> {
      let sent = 0;
      try {
        for (let n = await pushBatch(); n > 0; n = await pushBatch()) sent += n;
      } catch (error) {
        enforceBound();
        throw error;
      }
      return sent;
    },
    /** Reads the others' changes since the last read; tells `changed` which tables moved. */
    async pull(): Promise<void> {
      const moved = new Set<ReplicatedTable>();
      for (const table of KEYED_TABLES) {
        for (let read = PAGE; read === PAGE; ) {
          read = await pullKeyed(table);
          if (read > 0) moved.add(table);
        }
      }
      for (let read = PAGE; read === PAGE; ) {
        const page = await pullUsage();
        read = page.read;
        if (page.added > 0) moved.add("usage");
      }
      if (moved.size > 0) deps.changed(moved);
    },
    /** Usage rows waiting for PostgreSQL, and those given up past the bound since start. */
    usageBuffer(): { waiting: number; dropped: number } {
      return { waiting: waitingUsage(), dropped };
    },
    /** Retention in PostgreSQL (each instance prunes its own replica). */
    async prune(usageBefore: number, responsesBefore: number): Promise<void> {
      await pg.query("DELETE FROM usage WHERE at < $1", [usageBefore]);
      await pg.query("DELETE FROM stored_response WHERE created_at < $1", [responsesBefore]);
      db.run("DELETE FROM usage_origin WHERE usage_id NOT IN (SELECT id FROM usage)");
    },
  };
}

export type Replica = ReturnType<typeof createReplica>;
