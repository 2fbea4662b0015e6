// The usage table: one row per proxy request (the request log), and the aggregates the admin
// API shows. Rows are written behind the replies; listeners hear of each one once it is written.
import { KEEP_WARM_ROUTE } from "../caching/savings.ts";
import type { Database } from "../platform/sqlite.ts";
import { emptyUsage, type TokenUsage } from "../protocol/anthropic/usage.ts";
import { writeBehind } from "./write-behind.ts";

/** How a streamed reply ended (issue 13). */
export type StreamEnd = "complete" | "client_gone" | "upstream_error" | "idle_timeout" | "client_stalled";

export interface UsageRecord {
  readonly at: number;
  /** The client key's name; "" when the request proved none (a wrong key). */
  readonly client: string;
  readonly keyId: string | undefined;
  /** The key's label when the request was made (keys can be renamed or removed later). */
  readonly keyLabel?: string;
  /** The provider that answered (or was tried last); undefined when none was reached. */
  readonly provider?: string;
  readonly route: string;
  /** "" when the request named none (or was refused before it was read). */
  readonly model: string;
  readonly status: number;
  readonly ttfbMs: number | undefined;
  /** The gateway's own time before the response headers (upstream's wait excluded). */
  readonly overheadMs?: number;
  readonly durationMs: number;
  readonly usage: TokenUsage;
  /** undefined: the price list does not know the model (shown as unknown, not guessed). */
  readonly costUsd: number | undefined;
  /** What prompt caching saved (caching/savings.ts); negative when it cost more than it saved. */
  readonly savedUsd?: number;
  /** What the gateway changed to fit the request to its model. */
  readonly fitted?: readonly string[];
  readonly streamEnd?: StreamEnd;
  /** The error the client got (the gateway's own or upstream's). */
  readonly errorType?: string;
  readonly errorMessage?: string;
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
  saved_usd: number;
  /** "temperature dropped; effort max→high", or null when nothing was fitted. */
  fitted: string | null;
  web_searches: number;
  /** 0 when the price list did not know the model: cost_usd is then 0 and means "unknown". */
  priced: number;
  key_label: string | null;
  /** The provider that answered (issue 17); null for rows from before, or when none was reached. */
  provider: string | null;
  overhead_ms: number | null;
  stream_end: StreamEnd | null;
  error_type: string | null;
  error_message: string | null;
}

export interface RequestFilter {
  readonly client?: string;
  readonly key?: string;
  readonly model?: string;
  /** An exact status ("429") or a class ("4xx"). */
  readonly status?: string;
  readonly limit: number;
}

export type UsageGroup = "day" | "client" | "key" | "model" | "provider";

export interface UsageSummary {
  requests: number;
  /** Answered with a status of 400 or more. */
  failed: number;
  /** Every kind together. */
  tokens: number;
  input: number;
  cache_read: number;
  cache_write: number;
  cost: number;
  /** What prompt caching saved, keep-warm requests subtracted (caching/savings.ts). */
  saved: number;
  /** Re-warm requests (route keep-warm) and what they cost. */
  keep_warm_requests: number;
  keep_warm_cost: number;
}

/** Re-warm requests are not the client's traffic: the cache-hit share leaves them out. */
const KEEP_WARM = `'${KEEP_WARM_ROUTE}'`;
const notWarm = (column: string) => `CASE WHEN route != ${KEEP_WARM} THEN ${column} ELSE 0 END`;

const groupColumn: Record<UsageGroup, string> = {
  day: "strftime('%Y-%m-%d', at / 1000, 'unixepoch')",
  client: "client",
  key: "coalesce(key_id, '')",
  model: "model",
  provider: "coalesce(provider, '')",
};

let sequence = 0;

/** The row a record becomes (without its id). */
function rowOf(r: UsageRecord): Omit<UsageRow, "id"> {
  return {
    at: r.at,
    client: r.client,
    key_id: r.keyId ?? null,
    route: r.route,
    model: r.model,
    status: r.status,
    ttfb_ms: r.ttfbMs ?? null,
    duration_ms: r.durationMs,
    input_tokens: r.usage.input,
    output_tokens: r.usage.output,
    cache_read_tokens: r.usage.cacheRead,
    cache_write_5m_tokens: r.usage.cacheWrite5m,
    cache_write_1h_tokens: r.usage.cacheWrite1h,
    cost_usd: r.costUsd ?? 0,
    saved_usd: r.savedUsd ?? 0,
    fitted: r.fitted && r.fitted.length > 0 ? r.fitted.join("; ") : null,
    web_searches: r.usage.webSearches,
    priced: r.costUsd === undefined ? 0 : 1,
    key_label: r.keyLabel ?? null,
    provider: r.provider ?? null,
    overhead_ms: r.overheadMs === undefined ? null : Math.round(r.overheadMs * 100) / 100,
    stream_end: r.streamEnd ?? null,
    error_type: r.errorType ?? null,
    error_message: r.errorMessage ?? null,
  };
}

const sample: UsageRecord = {
  at: 0,
  client: "",
  keyId: undefined,
  route: "",
  model: "",
  status: 0,
  ttfbMs: undefined,
  durationMs: 0,
  usage: emptyUsage(),
  costUsd: undefined,
};
const columns = Object.keys(rowOf(sample)) as (keyof Omit<UsageRow, "id">)[];
const insertSql = `INSERT INTO usage (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) RETURNING id`;

export type RowListener = (row: UsageRow) => void;

export function usageStore(db: Database) {
  const listeners = new Set<RowListener>();
  const announce = (row: UsageRow) => {
    for (const listener of listeners) {
      try {
        listener(row);
      } catch {} // a listener's failure is its own (a closed event stream)
    }
  };
  const insert = (r: UsageRecord, body: string | undefined) => {
    const row = rowOf(r);
    const id = db.get<{ id: number }>(insertSql, ...columns.map((c) => row[c]))?.id ?? 0;
    if (body !== undefined) db.run("INSERT INTO request_body (usage_id, body) VALUES (?, ?)", id, body);
    announce({ id, ...row });
  };
  // Rows are written behind the reply (store/write-behind.ts); every read below flushes first.
  const queue = writeBehind<number, [UsageRecord, string | undefined]>(db, "usage", (_, [r, body]) => insert(r, body));
  const flush = queue.flush;
  return {
    /** Tells the listeners of rows written by another instance of a team (store/shared/replica.ts). */
    announce,
    /** Hears of every row once it is written (at most FLUSH_MS after its request ended). */
    onRow(listener: RowListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
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
      else if (status === "failed") where.push("(status >= 400 OR coalesce(stream_end, 'complete') != 'complete')");
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
    /** Requests, tokens (all kinds, and the prompt side's cached part) and dollars since `since` (ms). */
    summarySince(since: number): UsageSummary {
      flush();
      const row = db.get<{ [K in keyof UsageSummary]: number | null }>(
        `SELECT count(*) AS requests, sum(status >= 400) AS failed,
                sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS tokens,
                sum(${notWarm("input_tokens")}) AS input, sum(${notWarm("cache_read_tokens")}) AS cache_read,
                sum(${notWarm("cache_write_5m_tokens + cache_write_1h_tokens")}) AS cache_write,
                sum(cost_usd) AS cost, sum(saved_usd) AS saved, sum(route = ${KEEP_WARM}) AS keep_warm_requests,
                sum(CASE WHEN route = ${KEEP_WARM} THEN cost_usd ELSE 0 END) AS keep_warm_cost
           FROM usage WHERE at >= ?`,
        since,
      );
      return {
        requests: row?.requests ?? 0,
        failed: row?.failed ?? 0,
        tokens: row?.tokens ?? 0,
        input: row?.input ?? 0,
        cache_read: row?.cache_read ?? 0,
        cache_write: row?.cache_write ?? 0,
        cost: row?.cost ?? 0,
        saved: row?.saved ?? 0,
        keep_warm_requests: row?.keep_warm_requests ?? 0,
        keep_warm_cost: row?.keep_warm_cost ?? 0,
      };
    },
    /** What caching saved a client since `since` (ms), and what its re-warms cost (the keep-warm daily cap reads it). */
    cacheSince(client: string, since: number): { saved: number; keepWarm: number } {
      flush();
      const row = db.get<{ saved: number | null; keep_warm: number | null }>(
        `SELECT sum(saved_usd) AS saved, sum(CASE WHEN route = ${KEEP_WARM} THEN cost_usd ELSE 0 END) AS keep_warm
           FROM usage WHERE client = ? AND at >= ?`,
        client,
        since,
      );
      return { saved: row?.saved ?? 0, keepWarm: row?.keep_warm ?? 0 };
    },
    /** What the log holds since `since`, for the request log's pickers. */
    facets(since: number): { clients: string[]; models: string[]; keys: { id: string; label: string }[] } {
      flush();
      const column = (sql: string) => db.all<{ v: string }>(sql, since).map((r) => r.v);
      return {
        clients: column("SELECT DISTINCT client AS v FROM usage WHERE at >= ? AND client != '' ORDER BY 1"),
        models: column("SELECT DISTINCT model AS v FROM usage WHERE at >= ? AND model != '' ORDER BY 1"),
        keys: db.all<{ id: string; label: string }>(
          `SELECT key_id AS id, coalesce(max(key_label), key_id) AS label FROM usage
            WHERE at >= ? AND key_id IS NOT NULL GROUP BY key_id ORDER BY 2`,
          since,
        ),
      };
    },
    /** When each client last made a request (ms), most recent first. */
    lastUsed(): Map<string, number> {
      flush();
      const rows = db.all<{ client: string; at: number }>(
        "SELECT client, max(at) AS at FROM usage WHERE client != '' GROUP BY client ORDER BY 2 DESC",
      );
      return new Map(rows.map((r) => [r.client, r.at]));
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
    /**
     * Totals per `by` since `since` (ms); with `split`, per (`by`, `split`) pair: the chart's
     * stacked bars (day × model). Keys carry their label as `label`.
     */
    aggregate(by: UsageGroup, since: number, split?: UsageGroup) {
      flush();
      const series = split && split !== by ? `${groupColumn[split]} AS series,` : "";
      const label = by === "key" ? "coalesce(max(key_label), key_id) AS label," : "";
      return db.all<Record<string, number | string>>(
        `SELECT ${groupColumn[by]} AS "group", ${series} ${label} count(*) AS requests,
                sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_5m_tokens) AS cache_write_5m_tokens,
                sum(cache_write_1h_tokens) AS cache_write_1h_tokens, sum(web_searches) AS web_searches,
                sum(cost_usd) AS cost_usd, sum(1 - priced) AS unpriced, sum(status >= 400) AS failed,
                sum(saved_usd) AS saved_usd, sum(route = ${KEEP_WARM}) AS keep_warm_requests,
                sum(CASE WHEN route = ${KEEP_WARM} THEN cost_usd ELSE 0 END) AS keep_warm_usd,
                sum(${notWarm("cache_read_tokens")}) AS hit_read,
                sum(${notWarm("input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens")}) AS hit_prompt
           FROM usage WHERE at >= ? GROUP BY 1${series ? ", 2" : ""} ORDER BY 1${series ? ", 2" : ""}`,
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
