// The request log: every request, whatever answered it, newest first; new rows appear as they
// happen (live events; when the stream is down, the list is re-read every few seconds).
// Filters are pickers of what the log holds. A row opens its detail.
import { A, useParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, on, onCleanup, Show } from "solid-js";
import type { RequestRow, RequestsQuery } from "../../../server/admin/schemas.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { api } from "../lib/api.ts";
import { formatCount, formatCountOf, formatMs, formatTime, formatUsd, formatWhen } from "../lib/format.ts";
import { type MessageKey, t, tKey } from "../lib/i18n.ts";
import { requestTone } from "../lib/status.ts";
import { tokensOf } from "../lib/tokens.ts";
import { live, POLL_MS } from "../stores/live.ts";

type Filter = Pick<RequestsQuery, "client" | "key" | "model" | "status">;
const LIMIT = 200;
const statusClasses: [string, MessageKey][] = [
  ["2xx", "status_2xx"],
  ["4xx", "status_4xx"],
  ["5xx", "status_5xx"],
  ["failed", "status_failed"],
];

/** The same test the server applies, for rows that arrive live. */
function matches(row: RequestRow, f: Filter): boolean {
  if (f.client && row.client !== f.client) return false;
  if (f.key && row.key_id !== f.key) return false;
  if (f.model && row.model !== f.model) return false;
  const s = f.status;
  if (!s) return true;
  if (s === "failed") return row.status >= 400 || (row.stream_end !== null && row.stream_end !== "complete");
  if (/^\dxx$/.test(s)) return Math.floor(row.status / 100) === Number(s[0]);
  return row.status === Number(s);
}

/** What went wrong, in a line: the message the client got, or how its stream ended. */
const problemOf = (r: RequestRow) =>
  r.error_message ?? (r.stream_end && r.stream_end !== "complete" ? tKey(`streamEnd_${r.stream_end}`) : undefined);

function LogRow(props: { row: RequestRow; fresh: boolean }) {
  const r = () => props.row;
  return (
    <li>
      <A href={`/logs/${r().id}`} class={props.fresh ? "log-row fresh" : "log-row"} data-testid="log-row">
        <span class={`pill ${requestTone(r())}`}>{r().status}</span>
        <span class="grow">
          <span class="row between">
            <strong class="ellipsis">
              {r().route === "keep-warm" ? `${t("rewarmRow")} · ${r().model}` : r().model || r().route}
            </strong>
            <span class="small muted nowrap num">{formatWhen(r().at)}</span>
          </span>
          <span class="row between small muted">
            <span class="ellipsis">
              {r().client || t("unknownClient")} · {r().route}
            </span>
            <Show when={tokensOf(r()) > 0}>
              <span class="nowrap num">
                {formatCountOf(tokensOf(r()), "tokens", true)} · {formatUsd(r().cost_usd)}
              </span>
            </Show>
          </span>
          <Show when={problemOf(r())}>
            {(problem) => (
              <span class="small error ellipsis block" data-testid="log-problem">
                {problem()}
              </span>
            )}
          </Show>
        </span>
      </A>
    </li>
  );
}

export function Logs() {
  const [filter, setFilter] = createSignal<Filter>({});
  const [facets, { refetch: refetchFacets }] = createResource(() => api.facets());
  const [rows, setRows] = createSignal<RequestRow[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal("");
  const [fresh, setFresh] = createSignal(new Set<number>());

  const load = async () => {
    try {
      setRows((await api.requests({ ...filter(), limit: LIMIT })).rows);
      setError("");
    } catch (e) {
      setError((e as Error).message);
    }
    setLoaded(true);
  };
  createEffect(on(filter, () => void load()));

  // Live: a new row goes on top if it passes the filters; a client or model not seen before
  // joins the pickers.
  const stop = live.onRequest((row) => {
    const known = facets();
    if (
      known &&
      ((row.model && !known.models.includes(row.model)) || (row.client && !known.clients.includes(row.client)))
    )
      void refetchFacets();
    if (!matches(row, filter())) return;
    setRows((list) => [row, ...list.filter((r) => r.id !== row.id)].slice(0, LIMIT));
    setFresh((set) => new Set(set).add(row.id));
  });
  // Without the stream: the list is read again every few seconds.
  const timer = setInterval(() => {
    if (live.mode() !== "live" && document.visibilityState === "visible") void load();
  }, POLL_MS * 2.5);
  onCleanup(() => {
    stop();
    clearInterval(timer);
  });

  /** One filter as a picker: "all", then each value the log holds. */
  const Picker = (props: {
    name: keyof Filter;
    label: string;
    all: string;
    options: readonly (readonly [string, string])[];
  }) => (
    <div class="field">
      <label for={`f-${props.name}`}>{props.label}</label>
      <select
        id={`f-${props.name}`}
        value={filter()[props.name] ?? ""}
        onChange={(e) => setFilter((f) => ({ ...f, [props.name]: e.currentTarget.value || undefined }))}
      >
        <option value="">{props.all}</option>
        <For each={props.options}>{([value, text]) => <option value={value}>{text}</option>}</For>
      </select>
    </div>
  );
  const names = (list: string[] | undefined) => (list ?? []).map((name) => [name, name] as const);
  const filtered = () => Object.values(filter()).some((v) => v !== undefined);

  return (
    <section class="stack" aria-labelledby="logs-title">
      <div class="page-head">
        <h2 id="logs-title">{t("logs")}</h2>
        <span class={`pill ${live.mode() === "live" ? "ok" : "off"}`} data-testid="live-mode">
          <span class={`dot ${live.mode() === "live" ? "ok" : ""}`} />
          {live.mode() === "live" ? t("live") : t("polling", { s: (POLL_MS * 2.5) / 1000 })}
        </span>
      </div>
      <form class="card filters" aria-label={t("filters")} onSubmit={(e) => e.preventDefault()}>
        <Picker name="client" label={t("client")} all={t("allClients")} options={names(facets()?.clients)} />
        <Picker
          name="key"
          label={t("key")}
          all={t("allKeys")}
          options={(facets()?.keys ?? []).map((k) => [k.id, k.label] as const)}
        />
        <Picker name="model" label={t("model")} all={t("allModels")} options={names(facets()?.models)} />
        <Picker
          name="status"
          label={t("status")}
          all={t("allStatuses")}
          options={statusClasses.map(([value, label]) => [value, t(label)] as const)}
        />
      </form>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={loaded()} fallback={<p>{t("loading")}</p>}>
        <Show
          when={rows().length > 0}
          fallback={
            <Show when={filtered()} fallback={<p class="muted">{t("noRequests")}</p>}>
              <div class="card stack tight" data-testid="no-matches">
                <p>{t("noMatches")}</p>
                <button type="button" class="secondary" onClick={() => setFilter({})}>
                  {t("clearFilters")}
                </button>
              </div>
            </Show>
          }
        >
          <ul class="log-list" aria-live="polite">
            <For each={rows()}>{(row) => <LogRow row={row} fresh={fresh().has(row.id)} />}</For>
          </ul>
        </Show>
      </Show>
    </section>
  );
}

/** The body as it was sent, indented when it is JSON. */
const pretty = (body: string) => {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};

export function LogDetail() {
  const params = useParams();
  const [row] = createResource(
    () => params.id ?? "",
    (id) => api.request(id),
  );
  return (
    <section class="stack" aria-labelledby="detail-title">
      <A href="/logs" class="back">
        ← {t("back")}
      </A>
      <h2 id="detail-title">{t("requestN", { id: params.id ?? "" })}</h2>
      <Show when={row.error}>
        <p class="error" role="alert">
          {(row.error as Error).message}
        </p>
      </Show>
      <Show when={row()}>
        {(r) => (
          <>
            <Show when={problemOf(r())}>
              <div class="card stripe stack tight" data-tone={requestTone(r())} data-testid="detail-error">
                <h3>{t("whatClientGot")}</h3>
                <Show when={r().error_type}>
                  <code>{r().error_type}</code>
                </Show>
                <p class="breakable">{problemOf(r())}</p>
              </div>
            </Show>
            <dl class="card facts" data-testid="detail">
              <dt>{t("time")}</dt>
              <dd>{formatTime(r().at)}</dd>
              <dt>{t("status")}</dt>
              <dd>
                <span class={`pill ${requestTone(r())}`}>{r().status}</span>
              </dd>
              <dt>{t("client")}</dt>
              <dd>{r().client || t("unknownClient")}</dd>
              <Show when={r().provider}>
                {(provider) => (
                  <>
                    <dt>{t("keyProvider")}</dt>
                    <dd data-testid="log-provider">{provider()}</dd>
                  </>
                )}
              </Show>
              <dt>{t("key")}</dt>
              <dd>{r().key_label ?? "–"}</dd>
              <dt>{t("route")}</dt>
              <dd>{r().route}</dd>
              <dt>{t("model")}</dt>
              <dd>{r().model || "–"}</dd>
              <Show when={r().stream_end}>
                {(end) => (
                  <>
                    <dt>{t("stream")}</dt>
                    <dd>{tKey(`streamEnd_${end()}`, {}, end())}</dd>
                  </>
                )}
              </Show>
              <dt>{t("timings")}</dt>
              <dd>
                {t("timingsDetail", {
                  overhead: formatMs(r().overhead_ms),
                  ttfb: formatMs(r().ttfb_ms),
                  duration: formatMs(r().duration_ms),
                })}
              </dd>
              <dt>{t("tokens")}</dt>
              <dd>
                {t("tokensDetail", {
                  input: formatCount(r().input_tokens),
                  output: formatCount(r().output_tokens),
                  read: formatCount(r().cache_read_tokens),
                  write: formatCount(r().cache_write_5m_tokens + r().cache_write_1h_tokens),
                })}
              </dd>
              <dt>{t("cost")}</dt>
              <dd>{r().priced ? formatUsd(r().cost_usd) : t("costUnknown")}</dd>
              <Show when={r().saved_usd !== 0}>
                <dt>{t("savedByCache")}</dt>
                <dd data-testid="detail-saved">{formatUsd(r().saved_usd)}</dd>
              </Show>
              <Show when={r().fitted}>
                <dt>{t("fitted")}</dt>
                <dd>{r().fitted}</dd>
              </Show>
            </dl>
            <div class="page-head">
              <h3>{t("requestBody")}</h3>
              <Show when={r().body}>{(body) => <CopyButton text={pretty(body())} label={t("requestBody")} />}</Show>
            </div>
            <Show when={r().body} fallback={<p class="muted">{t("noBody")}</p>}>
              {(body) => (
                <pre class="body" tabindex="0" data-testid="request-body">
                  {pretty(body())}
                </pre>
              )}
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
