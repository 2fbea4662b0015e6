// Usage over 7, 30 or 90 days: cost or tokens per day as stacked bars split by model or client
// (values on tap), then tables per model, per client, prompt caching's hit rate and saving per
// client and per day, and per upstream key. Loaded on demand with
// its chart library (first-load budget).
import { createResource, createSignal, For, Show } from "solid-js";
import type { UsageGroupRow } from "../../../server/admin/schemas.ts";
import { CacheSavings } from "../components/CacheSavings.tsx";
import { Segmented } from "../components/Segmented.tsx";
import { chartData, type Metric, seriesColor, UsageChart } from "../components/UsageChart.tsx";
import { api } from "../lib/api.ts";
import { formatCount, formatCountOf, formatUsd } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { tokensOf } from "../lib/tokens.ts";

type Split = "model" | "client";

/** Name and requests in the first column (room for long model names), then tokens and cost. */
function Table(props: {
  rows: UsageGroupRow[];
  label: string;
  name: (r: UsageGroupRow) => string;
  color?: (r: UsageGroupRow) => string | undefined;
  testId: string;
}) {
  const sorted = () => [...props.rows].sort((a, b) => b.cost_usd - a.cost_usd || tokensOf(b) - tokensOf(a));
  const total = () =>
    props.rows.reduce(
      (sum, r) => ({
        requests: sum.requests + r.requests,
        tokens: sum.tokens + tokensOf(r),
        cost: sum.cost + r.cost_usd,
      }),
      { requests: 0, tokens: 0, cost: 0 },
    );
  const requests = (n: number) => formatCountOf(n, "requests");
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          <th scope="col">{props.label}</th>
          <th scope="col" class="num">
            {t("tokens")}
          </th>
          <th scope="col" class="num">
            {t("cost")}
          </th>
        </tr>
      </thead>
      <tbody>
        <For each={sorted()}>
          {(r) => (
            <tr>
              <td>
                <Show when={props.color?.(r)}>{(c) => <span class="swatch" style={{ background: c() }} />}</Show>
                <span class="breakable">{props.name(r)}</span>
                <br />
                <span class="xsmall muted">{requests(r.requests)}</span>
              </td>
              <td class="num">{formatCount(tokensOf(r), true)}</td>
              <td class="num">
                {formatUsd(r.cost_usd)}
                <Show when={r.unpriced > 0}>
                  <br />
                  <span class="xsmall muted">{t("unpriced", { n: r.unpriced })}</span>
                </Show>
              </td>
            </tr>
          )}
        </For>
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">
            {t("total")}
            <br />
            <span class="xsmall muted">{requests(total().requests)}</span>
          </th>
          <td class="num">{formatCount(total().tokens, true)}</td>
          <td class="num">{formatUsd(total().cost)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export default function Usage() {
  const [days, setDays] = createSignal(30);
  const [metric, setMetric] = createSignal<Metric>("cost");
  const [split, setSplit] = createSignal<Split>("model");
  const [data] = createResource(
    () => [days(), split()] as const,
    async ([n, by]) => {
      const [perDay, model, client, key, day, provider] = await Promise.all([
        api.usage("day", n, by),
        api.usage("model", n),
        api.usage("client", n),
        api.usage("key", n),
        api.usage("day", n),
        api.usage("provider", n),
      ]);
      return {
        n,
        perDay: perDay.rows,
        model: model.rows,
        client: client.rows,
        key: key.rows,
        day: day.rows,
        provider: provider.rows.filter((r) => r.group !== ""),
        prices: perDay.price_list,
      };
    },
  );
  const clientName = (name: string) => name || t("unknownClient");
  const chart = () => {
    const d = data();
    return d ? chartData(d.perDay, d.n, metric(), t("other")) : undefined;
  };
  const colorOf = (kind: Split) => (r: UsageGroupRow) => {
    if (split() !== kind) return undefined;
    const at = chart()?.names.indexOf(r.group) ?? -1;
    return at >= 0 ? seriesColor(at) : undefined;
  };
  return (
    <section class="stack" aria-labelledby="usage-title">
      <h2 id="usage-title">{t("usage")}</h2>
      <div class="card stack tight">
        <Segmented
          label={t("period")}
          value={days()}
          options={[7, 30, 90].map((n) => [n, t("days", { n })] as const)}
          onChange={setDays}
        />
        <div class="row wrap top">
          <Segmented<Metric>
            label={t("show")}
            value={metric()}
            options={[
              ["cost", t("cost")],
              ["tokens", t("tokens")],
            ]}
            onChange={setMetric}
          />
          <Segmented<Split>
            label={t("splitBy")}
            value={split()}
            options={[
              ["model", t("model")],
              ["client", t("client")],
            ]}
            onChange={setSplit}
          />
        </div>
      </div>
      <Show when={data()} fallback={<p>{t("loading")}</p>}>
        {(d) => (
          <Show when={d().perDay.length > 0} fallback={<p class="muted card">{t("noUsage")}</p>}>
            <div class="card stack tight">
              <h3>{t("perDay")}</h3>
              <Show when={chart()}>
                {(c) => (
                  <UsageChart
                    data={c()}
                    metric={metric()}
                    label={(name) => (split() === "client" ? clientName(name) : name)}
                  />
                )}
              </Show>
            </div>
            <div class="card scroll">
              <h3>{t("perModel")}</h3>
              {/* Requests refused before they named a model carry no usage: not a model's row. */}
              <Table
                rows={d().model.filter((r) => r.group !== "")}
                label={t("model")}
                name={(r) => r.group}
                color={colorOf("model")}
                testId="per-model"
              />
            </div>
            <div class="card scroll">
              <h3>{t("perClient")}</h3>
              <Table
                rows={d().client}
                label={t("client")}
                name={(r) => clientName(r.group)}
                color={colorOf("client")}
                testId="per-client"
              />
            </div>
            <Show when={d().provider.length > 1}>
              <div class="card scroll">
                <h3>{t("perProvider")}</h3>
                <Table rows={d().provider} label={t("keyProvider")} name={(r) => r.group} testId="per-provider" />
              </div>
            </Show>
            <CacheSavings client={d().client} day={d().day} clientName={clientName} />
            <Show when={d().key.some((r) => r.group !== "")}>
              <div class="card scroll">
                <h3>{t("perKey")}</h3>
                <Table
                  rows={d().key.filter((r) => r.group !== "")}
                  label={t("key")}
                  name={(r) => r.label ?? r.group}
                  testId="per-key"
                />
              </div>
            </Show>
            <p class="small muted" id="price-list">
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
