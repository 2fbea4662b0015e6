// The usage table: one row per upstream request, and the aggregates the admin API shows.
import type { Database } from "../platform/sqlite.ts";
import type { TokenUsage } from "../protocol/anthropic/usage.ts";
import { writeBehind } from "./write-behind.ts";

export interface UsageRecord {
  readonly at: number;
  readonly client: string;
  readonly keyId: string | undefined;
  readonly route: string;
  readonly model: string;
  readonly status: number;
  readonly ttfbMs: number | undefined;
  readonly durationMs: number;
  readonly usage: TokenUsage;
  /** undefined: the price list does not know the model (shown as unknown, not guessed). */
  readonly costUsd: number | undefined;
  /** What the gateway changed to fit the request to its model. */
  readonly fitted?: readonly string[];
}

export interface UsageRow {
  id: number;
  at: number;
  client: string;
  key_id: string | null;
  route: string;
  model: string;
  status: number;
  ttfb_ms: number | null;
  duration_ms: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cost_usd: number;
  /** "temperature dropped; effort max→high", or null when nothing was fitted. */
  fitted: string | null;
  web_searches: number;
  /** 0 when the price list did not know the model: cost_usd is then 0 and means "unknown". */
  priced: number;
}

export interface RequestFilter {
  readonly client?: string;
  readonly key?: string;
  readonly model?: string;
  /** An exact status ("429") or a class ("4xx"). */
  readonly status?: string;
  readonly limit: number;
}

export type UsageGroup = "day" | "client" | "key" | "model";

const groupColumn: Record<UsageGroup, string> = {
  day: "strftime('%Y-%m-%d', at / 1000, 'unixepoch')",
  client: "client",
  key: "coalesce(key_id, '')",
  model: "model",
};

let sequence = 0;

export function usageStore(db: Database) {
  const insert = (r: UsageRecord, body: string | undefined) => {
    db.run(
      `INSERT INTO usage (at, client, key_id, route, model, status, ttfb_ms, duration_ms, input_tokens, output_tokens,
           cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cost_usd, fitted, web_searches, priced)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      r.at,
      r.client,
      r.keyId ?? null,
      r.route,
      r.model,
      r.status,
      r.ttfbMs ?? null,
      r.durationMs,
      r.usage.input,
      r.usage.output,
      r.usage.cacheRead,
      r.usage.cacheWrite5m,
      r.usage.cacheWrite1h,
      r.costUsd ?? 0,
      r.fitted && r.fitted.length > 0 ? r.fitted.join("; ") : null,
      r.usage.webSearches,
      r.costUsd === undefined ? 0 : 1,
    );
    if (body !== undefined) db.run("INSERT INTO request_body (usage_id, body) VALUES (last_insert_rowid(), ?)", body);
  };
  // Rows are written behind the reply (store/write-behind.ts); every read below flushes first.
  const queue = writeBehind<number, [UsageRecord, string | undefined]>(db, "usage", (_, [r, body]) => insert(r, body));
  const flush = queue.flush;
  return {
    /** One row; `body` (already redacted) is kept beside it for the request log. */
    record(r: UsageRecord, body?: string): void {
      queue.put(sequence++, [r, body]);
    },
    /** Writes the waiting rows now (reads do it themselves; shutdown calls it). */
    flush,
    recent(filter: RequestFilter): UsageRow[] {
      flush();
      const where: string[] = [];
      const params: (string | number)[] = [];
      const add = (sql: string, value: string | number) => {
        where.push(sql);
        params.push(value);
      };
      if (filter.client) add("client = ?", filter.client);
      if (filter.key) add("key_id = ?", filter.key);
      if (filter.model) add("model = ?", filter.model);
      const status = filter.status ?? "";
      if (/^\d{3}$/.test(status)) add("status = ?", Number(status));
      else if (/^[1-5]xx$/.test(status)) add("status / 100 = ?", Number(status[0]));
      const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
      return db.all<UsageRow>(`SELECT * FROM usage ${clause} ORDER BY id DESC LIMIT ?`, ...params, filter.limit);
    },
    /** One request with its captured body, if any. */
    request(id: number): (UsageRow & { body: string | null }) | undefined {
      flush();
      return db.get(
        "SELECT usage.*, request_body.body AS body FROM usage LEFT JOIN request_body ON request_body.usage_id = usage.id WHERE usage.id = ?",
        id,
      );
    },
    /** Requests and tokens (all kinds) and dollars since `since` (ms), every client together. */
    summarySince(since: number): { requests: number; tokens: number; cost: number } {
      flush();
      const row = db.get<{ requests: number; tokens: number | null; cost: number | null }>(
        `SELECT count(*) AS requests,
                sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS tokens,
                sum(cost_usd) AS cost FROM usage WHERE at >= ?`,
        since,
      );
      return { requests: row?.requests ?? 0, tokens: row?.tokens ?? 0, cost: row?.cost ?? 0 };
    },
    /** Tokens (all kinds) and dollars a client used since `since` (ms). */
    totalsSince(client: string, since: number): { tokens: number; cost: number } {
      flush();
      const row = db.get<{ tokens: number | null; cost: number | null }>(
        `SELECT sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS tokens,
                sum(cost_usd) AS cost FROM usage WHERE client = ? AND at >= ?`,
        client,
        since,
      );
      return { tokens: row?.tokens ?? 0, cost: row?.cost ?? 0 };
    },
    aggregate(by: UsageGroup, since: number) {
      flush();
      return db.all<Record<string, number | string>>(
        `SELECT ${groupColumn[by]} AS "group", count(*) AS requests,
                sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_5m_tokens) AS cache_write_5m_tokens,
                sum(cache_write_1h_tokens) AS cache_write_1h_tokens, sum(web_searches) AS web_searches,
                sum(cost_usd) AS cost_usd, sum(1 - priced) AS unpriced
           FROM usage WHERE at >= ? GROUP BY 1 ORDER BY 1`,
        since,
      );
    },
    /** Retention: drop rows older than `before` (ms). */
    prune(before: number): void {
      flush();
      db.run("DELETE FROM usage WHERE at < ?", before);
      db.run("DELETE FROM request_body WHERE usage_id NOT IN (SELECT id FROM usage)");
    },
  };
}

export type UsageStore = ReturnType<typeof usageStore>;
