// The embedded database: bun:sqlite on Bun, node:sqlite on Node (>= 22.13), behind one small
// interface. Statements are prepared once per SQL text.
import { isBun } from "./runtime.ts";

export type SqlValue = string | number | bigint | null | Uint8Array;

export interface Database {
  exec(sql: string): void;
  run(sql: string, ...params: SqlValue[]): void;
  get<T>(sql: string, ...params: SqlValue[]): T | undefined;
  all<T>(sql: string, ...params: SqlValue[]): T[];
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on a throw). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

interface Statement {
  run(...params: SqlValue[]): unknown;
  get(...params: SqlValue[]): unknown;
  all(...params: SqlValue[]): unknown[];
}
interface RawDb {
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
}

async function openRaw(path: string): Promise<RawDb> {
  if (isBun) {
    const { Database: BunDatabase } = await import("bun:sqlite");
    return new BunDatabase(path, { create: true, strict: true }) as unknown as RawDb;
  }
  // node:sqlite prints an ExperimentalWarning once; it is expected, not news for the user.
  const { default: process } = await import("node:process");
  const emit = process.emitWarning;
  process.emitWarning = (() => {}) as typeof process.emitWarning;
  try {
    const { DatabaseSync } = await import("node:sqlite");
    return new DatabaseSync(path) as unknown as RawDb;
  } finally {
    process.emitWarning = emit;
  }
}

export async function openDatabase(path: string): Promise<Database> {
  const raw = await openRaw(path);
  // The busy timeout first: another process still closing the file (a restart, `pocketgate
  // doctor`) makes the next statement wait, not fail. WAL: readers never block the writer, and a
  // crash (even kill -9) leaves a consistent file.
  raw.exec("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  const statements = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = raw.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    exec: (sql) => raw.exec(sql),
    run: (sql, ...params) => {
      prepare(sql).run(...params);
    },
    get: <T>(sql: string, ...params: SqlValue[]) => (prepare(sql).get(...params) ?? undefined) as T | undefined,
    all: <T>(sql: string, ...params: SqlValue[]) => prepare(sql).all(...params) as T[],
    transaction<T>(fn: () => T): T {
      prepare("BEGIN IMMEDIATE").run();
      try {
        const result = fn();
        prepare("COMMIT").run();
        return result;
      } catch (error) {
        prepare("ROLLBACK").run();
        throw error;
      }
    },
    close: () => raw.close(),
  };
}
