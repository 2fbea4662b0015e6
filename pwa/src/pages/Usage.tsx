// Tokens and cost per day (an SVG bar chart), per model and per client.
import { createResource, createSignal, For, Show } from "solid-js";
import type { UsageGroupRow } from "../../../server/admin/schemas.ts";
import { api } from "../lib/api.ts";
import { formatInt, formatUsd } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";

const tokensOf = (r: UsageGroupRow) =>
  r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_5m_tokens + r.cache_write_1h_tokens;

function DayChart(props: { rows: UsageGroupRow[] }) {
  const max = () => Math.max(1, ...props.rows.map(tokensOf));
  const width = 320;
  const height = 120;
  const bar = () => width / Math.max(1, props.rows.length);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height + 14}`} role="img" aria-label={t("perDay")}>
      <For each={props.rows}>
        {(r, i) => {
          const h = () => (tokensOf(r) / max()) * height;
          return (
            <rect x={i() * bar() + 1} y={height - h()} width={Math.max(1, bar() - 2)} height={h()} class="bar">
              <title>{`${r.group}: ${formatInt(tokensOf(r))} ${t("tokens")}, ${formatUsd(r.cost_usd)}`}</title>
            </rect>
          );
        }}
      </For>
      <text x="0" y={height + 12} class="axis">
        {props.rows[0]?.group ?? ""}
      </text>
      <text x={width} y={height + 12} text-anchor="end" class="axis">
        {props.rows.at(-1)?.group ?? ""}
      </text>
    </svg>
  );
}

function Table(props: { rows: UsageGroupRow[]; label: string }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{props.label}</th>
          <th scope="col">{t("requests")}</th>
          <th scope="col">{t("tokens")}</th>
          <th scope="col">{t("cost")}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(r) => (
            <tr>
              <td>{r.group || "–"}</td>
              <td>{formatInt(r.requests)}</td>
              <td>{formatInt(tokensOf(r))}</td>
              <td>
                {formatUsd(r.cost_usd)}
                <Show when={r.unpriced > 0}>
                  <span class="muted"> {t("unpriced", { n: r.unpriced })}</span>
                </Show>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

export default function Usage() {
  const [days, setDays] = createSignal(30);
  const [data] = createResource(days, async (n) => {
    const [day, model, client] = await Promise.all([
      api.usage("day", n),
      api.usage("model", n),
      api.usage("client", n),
    ]);
    return { day: day.rows, model: model.rows, client: client.rows, prices: day.price_list };
  });
  return (
    <section class="stack" aria-labelledby="usage-title">
      <h2 id="usage-title">{t("usage")}</h2>
      <label for="usage-days">{t("days", { n: days() })}</label>
      <select id="usage-days" value={days()} onChange={(e) => setDays(Number(e.currentTarget.value))}>
        <For each={[7, 30, 90]}>{(n) => <option value={n}>{t("days", { n })}</option>}</For>
      </select>
      <Show when={data()} fallback={<p>{t("loading")}</p>}>
        {(d) => (
          <Show when={d().day.length > 0} fallback={<p class="muted">{t("noUsage")}</p>}>
            <div class="card">
              <h3>{t("perDay")}</h3>
              <DayChart rows={d().day} />
            </div>
            <div class="card scroll">
              <h3>{t("perModel")}</h3>
              <Table rows={d().model} label={t("model")} />
            </div>
            <div class="card scroll">
              <h3>{t("perClient")}</h3>
              <Table rows={d().client} label={t("client")} />
            </div>
            <p class="muted" id="price-list">
              {t("priceList", { asOf: d().prices.as_of })}{" "}
              <a class="source-link" href={d().prices.source}>
                {d().prices.source}
              </a>
            </p>
          </Show>
        )}
      </Show>
    </section>
  );
}
