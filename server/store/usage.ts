// The usage table: one row per upstream request, and the aggregates the admin API shows.
import type { Database } from "../platform/sqlite.ts";
import type { TokenUsage } from "../protocol/anthropic/usage.ts";

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
  readonly costUsd: number;
}

export interface UsageRow {
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
}

export type UsageGroup = "day" | "client" | "key" | "model";

const groupColumn: Record<UsageGroup, string> = {
  day: "strftime('%Y-%m-%d', at / 1000, 'unixepoch')",
  client: "client",
  key: "coalesce(key_id, '')",
  model: "model",
};

export function usageStore(db: Database) {
  return {
    record(r: UsageRecord): void {
      db.run(
        `INSERT INTO usage (at, client, key_id, route, model, status, ttfb_ms, duration_ms, input_tokens, output_tokens,
           cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cost_usd)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        r.costUsd,
      );
    },
    recent(limit: number): UsageRow[] {
      return db.all<UsageRow>("SELECT * FROM usage ORDER BY id DESC LIMIT ?", limit);
    },
    /** Tokens (all kinds) and dollars a client used since `since` (ms). */
    totalsSince(client: string, since: number): { tokens: number; cost: number } {
      const row = db.get<{ tokens: number | null; cost: number | null }>(
        `SELECT sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS tokens,
                sum(cost_usd) AS cost FROM usage WHERE client = ? AND at >= ?`,
        client,
        since,
      );
      return { tokens: row?.tokens ?? 0, cost: row?.cost ?? 0 };
    },
    aggregate(by: UsageGroup, since: number) {
      return db.all<Record<string, number | string>>(
        `SELECT ${groupColumn[by]} AS "group", count(*) AS requests,
                sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_5m_tokens) AS cache_write_5m_tokens,
                sum(cache_write_1h_tokens) AS cache_write_1h_tokens, sum(cost_usd) AS cost_usd
           FROM usage WHERE at >= ? GROUP BY 1 ORDER BY 1`,
        since,
      );
    },
    /** Retention: drop rows older than `before` (ms). */
    prune(before: number): void {
      db.run("DELETE FROM usage WHERE at < ?", before);
    },
  };
}

export type UsageStore = ReturnType<typeof usageStore>;
