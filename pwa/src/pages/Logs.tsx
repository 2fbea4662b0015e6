import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import type { RequestsQuery } from "../../../server/admin/schemas.ts";
import { api } from "../lib/api.ts";
import { formatInt, formatMs, formatTime, formatUsd } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";

const fields = [
  ["client", "client"],
  ["key", "key"],
  ["model", "model"],
  ["status", "status"],
] as const;

export function Logs() {
  const [filter, setFilter] = createSignal<RequestsQuery>({});
  const [rows] = createResource(filter, (query) => api.requests({ ...query, limit: 200 }));
  const apply = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const query: Record<string, string> = {};
    for (const [name] of fields) {
      const value = String(form.get(name) ?? "").trim();
      if (value) query[name] = value;
    }
    setFilter(query);
  };
  return (
    <section class="stack" aria-labelledby="logs-title">
      <h2 id="logs-title">{t("logs")}</h2>
      <form class="card filters" onSubmit={apply} aria-label={t("filters")}>
        <For each={fields}>
          {([name, label]) => (
            <>
              <label for={`f-${name}`}>{t(label)}</label>
              <input id={`f-${name}`} name={name} placeholder={name === "status" ? "200, 4xx" : t("any")} />
            </>
          )}
        </For>
        <button type="submit" class="secondary">
          {t("filters")}
        </button>
      </form>
      <Show when={rows.error}>
        <p class="error" role="alert">
          {(rows.error as Error).message}
        </p>
      </Show>
      <ul class="log-list">
        <For each={rows()?.rows ?? []} fallback={<li class="muted">{t("noRequests")}</li>}>
          {(row) => (
            <li>
              <A href={`/logs/${row.id}`} class="log-row" data-testid="log-row">
                <span class={row.status >= 400 ? "badge state-invalid" : "badge state-active"}>{row.status}</span>
                <span class="grow">
                  <strong>{row.model}</strong>
                  <span class="muted small">
                    {" "}
                    {row.client} · {row.route} · {formatTime(row.at)}
                  </span>
                </span>
                <span class="small">
                  {formatInt(row.input_tokens + row.output_tokens)} · {formatUsd(row.cost_usd)}
                </span>
              </A>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

export function LogDetail() {
  const params = useParams();
  const [row] = createResource(
    () => params.id ?? "",
    (id) => api.request(id),
  );
  const line = (label: string, value: string) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <section class="stack" aria-labelledby="detail-title">
      <A href="/logs" class="back">
        ← {t("back")}
      </A>
      <h2 id="detail-title">#{params.id}</h2>
      <Show when={row.error}>
        <p class="error" role="alert">
          {(row.error as Error).message}
        </p>
      </Show>
      <Show when={row()}>
        {(r) => (
          <>
            <dl class="card details">
              {line(t("time"), formatTime(r().at))}
              {line(t("status"), String(r().status))}
              {line(t("client"), r().client)}
              {line(t("key"), r().key_id ?? "–")}
              {line(t("route"), r().route)}
              {line(t("model"), r().model)}
              {line(t("ttfb"), formatMs(r().ttfb_ms))}
              {line(t("duration"), formatMs(r().duration_ms))}
              {line(
                t("tokens"),
                `in ${r().input_tokens} · out ${r().output_tokens} · cache read ${r().cache_read_tokens} · cache write ${r().cache_write_5m_tokens + r().cache_write_1h_tokens}`,
              )}
              {line(t("cost"), r().priced ? formatUsd(r().cost_usd) : t("costUnknown"))}
              {line(t("fitted"), r().fitted ?? "–")}
            </dl>
            <h3>{t("requestBody")}</h3>
            <Show when={r().body} fallback={<p class="muted">{t("noBody")}</p>}>
              <pre class="card body" tabindex="0">
                {r().body}
              </pre>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
