// Settings saved in the admin app by any instance of a team (issue 20): kept in PostgreSQL's
// `setting` table as the values the file would hold, laid over each instance's own file (the
// environment still wins, and the per-instance keys — host, port, the shared-state URLs — stay in
// the file). config/live.ts applies them; an instance hears of a save by a notice or its next read.
import type { Postgres } from "../../platform/shared-clients.ts";
import { WRITE_LOCK } from "./pg-schema.ts";

export interface SettingsLayer {
  /** The saved values (the file's shape: key → value). */
  values(): Readonly<Record<string, unknown>>;
  /** Saves (null: removes) values for every instance; throws when PostgreSQL cannot take them. */
  save(changes: Readonly<Record<string, unknown>>): Promise<void>;
}

export function settingsLayer(pg: Postgres) {
  let values: Record<string, unknown> = {};
  let seen = "";
  return {
    values: () => values,
    /** Reads the table when it changed since the last read; true when it had. */
    async load(): Promise<boolean> {
      const [head] = await pg.query("SELECT coalesce(max(seq), 0) AS seq, count(*) AS n FROM setting");
      const mark = `${head?.seq}:${head?.n}`;
      if (mark === seen) return false;
      const rows = await pg.query("SELECT key, value FROM setting WHERE NOT deleted");
      const next: Record<string, unknown> = {};
      for (const row of rows) {
        try {
          next[String(row.key)] = JSON.parse(String(row.value));
        } catch {} // not written by pocketgate: ignored, the file's value stays
      }
      values = next;
      seen = mark;
      return true;
    },
    async save(changes: Readonly<Record<string, unknown>>): Promise<void> {
      await pg.transaction(async (query) => {
        await query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
        for (const [key, value] of Object.entries(changes)) {
          await query(
            `INSERT INTO setting (key, value, seq, deleted) VALUES ($1, $2, nextval('change_seq'), $3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, seq = excluded.seq, deleted = excluded.deleted`,
            [key, JSON.stringify(value ?? null), value === null],
          );
        }
      });
      const next = { ...values };
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) delete next[key];
        else next[key] = value;
      }
      values = next;
    },
    /** The first instance's secrets become the team's; the others' are kept only where missing. */
    async seed(initial: Readonly<Record<string, unknown>>): Promise<void> {
      for (const [key, value] of Object.entries(initial)) {
        await pg.query(
          "INSERT INTO setting (key, value, seq) VALUES ($1, $2, nextval('change_seq')) ON CONFLICT (key) DO NOTHING",
          [key, JSON.stringify(value)],
        );
      }
    },
  };
}
