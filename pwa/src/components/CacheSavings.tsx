// What prompt caching did over the period (issue 15): per client and per day, the hit rate
// (prompt tokens read from the cache, re-warms left out) and the dollars saved (reads at the full
// input price, less the reads, the write premium and the re-warms), with re-warm spend beside.
import { For, Show } from "solid-js";
import type { UsageGroupRow } from "../../../server/admin/schemas.ts";
import { formatCount, formatDay, formatPercent, formatUsd } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";

/** Rows where caching did anything: reads, writes or re-warms. */
export const cachingRows = (rows: UsageGroupRow[]) =>
  rows.filter(
    (r) => r.cache_read_tokens + r.cache_write_5m_tokens + r.cache_write_1h_tokens > 0 || r.keep_warm_requests > 0,
  );

function CacheTable(props: {
  rows: UsageGroupRow[];
  label: string;
  name: (r: UsageGroupRow) => string;
  testId: string;
}) {
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          <th scope="col">{props.label}</th>
          <th scope="col" class="num">
            {t("hitRate")}
          </th>
          <th scope="col" class="num">
            {t("saved")}
          </th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(r) => (
            <tr>
              <td>
                <span class="breakable">{props.name(r)}</span>
                <Show when={r.keep_warm_requests > 0}>
                  <br />
                  <span class="xsmall muted">
                    {t("rewarms", { n: formatCount(r.keep_warm_requests), cost: formatUsd(r.keep_warm_usd) })}
                  </span>
                </Show>
              </td>
              <td class="num">{r.hit_prompt > 0 ? formatPercent(r.hit_read / r.hit_prompt) : "–"}</td>
              <td class="num">{formatUsd(r.saved_usd)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

export function CacheSavings(props: {
  client: UsageGroupRow[];
  day: UsageGroupRow[];
  clientName: (name: string) => string;
}) {
  const clients = () => cachingRows(props.client).sort((a, b) => b.saved_usd - a.saved_usd);
  const days = () => cachingRows(props.day).reverse();
  return (
    <Show when={clients().length > 0}>
      <div class="card scroll stack tight" data-testid="caching">
        <h3>{t("cachingPerClient")}</h3>
        <CacheTable
          rows={clients()}
          label={t("client")}
          name={(r) => props.clientName(r.group)}
          testId="cache-per-client"
        />
        <h3>{t("cachingPerDay")}</h3>
        <CacheTable rows={days()} label={t("day")} name={(r) => formatDay(r.group)} testId="cache-per-day" />
        <p class="xsmall muted">{t("cachingHelp")}</p>
      </div>
    </Show>
  );
}
