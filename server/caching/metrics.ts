// What prompt caching did today (UTC), per client, for /metrics: the cache-hit share (reads over
// every prompt token, re-warm requests left out) and the dollars saved (re-warms subtracted).
// Gauges: today's figure, as the dashboard shows it; Prometheus keeps the history.
import type { UsageStore } from "../store/usage.ts";

type Gauge = { name: string; help: string; values: [Record<string, string>, number][] };

export function cacheGauges(usage: Pick<UsageStore, "aggregate">, now: number): Gauge[] {
  const rows = usage.aggregate("client", now - (now % 86_400_000));
  const value = (row: Record<string, number | string>, key: string) => Number(row[key] ?? 0);
  const withPrompt = rows.filter((row) => value(row, "hit_prompt") > 0);
  return [
    {
      name: "pocketgate_cache_hit_ratio",
      help: "Today's prompt tokens read from the cache over all prompt tokens, per client (re-warms left out).",
      values: withPrompt.map((row) => [
        { client: String(row.group) },
        value(row, "hit_read") / value(row, "hit_prompt"),
      ]),
    },
    {
      name: "pocketgate_cache_saved_usd",
      help: "Today's saving from prompt caching in US dollars per client: reads at full price, less reads, write premium and re-warms.",
      values: rows.map((row) => [{ client: String(row.group) }, value(row, "saved_usd")]),
    },
  ];
}
