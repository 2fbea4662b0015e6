// The gateway at a glance: its state in colour with what to do, the last hour, today with units,
// and each upstream key. Live from the event stream (stores/live.ts).
import { A } from "@solidjs/router";
import { For, Index, Show } from "solid-js";
import type { StatusResponse } from "../../../server/admin/schemas.ts";
import { KeyCard } from "../components/KeyCard.tsx";
import { Sparkline } from "../components/Sparkline.tsx";
import {
  formatCount,
  formatCountOf,
  formatDuration,
  formatMs,
  formatPercent,
  formatTime,
  formatUsd,
  hostOf,
} from "../lib/format.ts";
import { reasonText } from "../lib/health-text.ts";
import { t } from "../lib/i18n.ts";
import { healthTone } from "../lib/status.ts";
import { live } from "../stores/live.ts";

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function Health(props: { s: StatusResponse }) {
  const tone = () => healthTone(props.s.health.state);
  const reach = () => props.s.upstream;
  return (
    <section class="card health stripe" data-tone={tone()} aria-labelledby="health-title" data-testid="health">
      <div class="health-title" id="health-title">
        <span class={`dot ${tone()}`} />
        <span data-testid="health-state">{t(`health_${props.s.health.state}`)}</span>
      </div>
      <Show when={props.s.health.reasons.length > 0}>
        <ul data-testid="health-reasons">
          <For each={props.s.health.reasons}>
            {(reason) => (
              <li>
                {reasonText(reason)}
                <Show when={reason.detail}>
                  {(detail) => (
                    <>
                      <br />
                      <span class="xsmall muted mono breakable">{detail()}</span>
                    </>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={reach()?.ok}>
        <p class="small muted">
          {(reach()?.ms ?? 0) > 0
            ? t("upstreamAnswered", { host: hostOf(props.s.upstream_base_url), ms: formatMs(reach()?.ms ?? 0) })
            : t("upstreamReachable", { host: hostOf(props.s.upstream_base_url) })}
        </p>
      </Show>
    </section>
  );
}

function Stat(props: { label: string; value: string; unit?: string; id: string; note?: string }) {
  return (
    <div class="card stat">
      <span class="stat-label">{props.label}</span>
      <span class="stat-value" data-testid={props.id}>
        {props.value}
        <Show when={props.unit}>
          <span class="stat-unit"> {props.unit}</span>
        </Show>
      </span>
      <Show when={props.note}>
        <span class="xsmall muted">{props.note}</span>
      </Show>
    </div>
  );
}

function LastHour(props: { s: StatusResponse }) {
  const requests = () => sum(props.s.last_hour.requests);
  const failed = () => sum(props.s.last_hour.failed);
  return (
    <section class="card stack tight" aria-labelledby="hour-title">
      <div class="row between">
        <h3 id="hour-title">{t("lastHour")}</h3>
        <span class="small muted num" data-testid="hour-summary">
          {formatCountOf(requests(), "requests")} ·{" "}
          {failed() > 0
            ? t("failedShare", { n: formatCount(failed()), pct: formatPercent(failed() / Math.max(1, requests())) })
            : t("noneFailed")}
        </span>
      </div>
      <Show when={requests() > 0} fallback={<p class="small muted">{t("quietHour")}</p>}>
        <Sparkline
          requests={props.s.last_hour.requests}
          failed={props.s.last_hour.failed}
          label={`${t("requestsPerMinute")}: ${props.s.last_hour.requests.join(", ")}`}
        />
      </Show>
    </section>
  );
}

export function Dashboard() {
  const cacheShare = (s: StatusResponse) => {
    const prompt = s.today.input_tokens + s.today.cache_read_tokens + s.today.cache_write_tokens;
    return s.today.cache_read_tokens + s.today.cache_write_tokens > 0 ? s.today.cache_read_tokens / prompt : undefined;
  };
  return (
    <section class="stack" aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">{t("dashboard")}</h2>
      <Show when={live.savedAt()}>
        {(at) => (
          <p class="banner" data-testid="snapshot-note">
            {t("offline", { time: formatTime(at()) })}
          </p>
        )}
      </Show>
      <Show when={live.status()} fallback={<p>{t("loading")}</p>}>
        {(s) => (
          <>
            <Health s={s()} />
            <Show when={s().config_problem}>
              {(problem) => (
                <div class="banner" role="alert" data-testid="config-problem">
                  <strong>{t("configRefused")}</strong>
                  <pre>{problem()}</pre>
                </div>
              )}
            </Show>
            <LastHour s={s()} />
            <h3>{t("today")}</h3>
            <div class="stats">
              <Stat id="requests-today" label={t("requests")} value={formatCount(s().today.requests, true)} />
              <Stat
                id="tokens-today"
                label={t("tokens")}
                value={formatCount(s().today.tokens, true)}
                unit={t(s().today.tokens === 1 ? "tokenUnit" : "tokensUnit")}
              />
              <Stat id="cost-today" label={t("cost")} value={formatUsd(s().today.cost_usd)} />
              <Stat id="failed-today" label={t("failedToday")} value={formatCount(s().today.failed)} />
              <Show when={cacheShare(s()) !== undefined}>
                <Stat
                  id="cache-hits"
                  label={t("cacheHits")}
                  value={formatPercent(cacheShare(s()) ?? 0)}
                  note={t("cacheHitsHelp")}
                />
                <Stat
                  id="saved-today"
                  label={t("savedByCache")}
                  value={formatUsd(s().today.saved_usd)}
                  note={
                    s().today.keep_warm_requests > 0
                      ? t("savedHelpWarm", {
                          n: formatCount(s().today.keep_warm_requests),
                          cost: formatUsd(s().today.keep_warm_usd),
                        })
                      : t("savedHelp")
                  }
                />
              </Show>
            </div>
            <Show when={s().today_by_provider.length > 1}>
              <section class="card stack tight" aria-labelledby="providers-today-title" data-testid="providers-today">
                <div class="row between">
                  <h3 id="providers-today-title">{t("todayByProvider")}</h3>
                  <A href="/providers" class="small tap-link">
                    {t("providers")}
                  </A>
                </div>
                <dl class="facts">
                  <For each={s().today_by_provider}>
                    {(p) => (
                      <>
                        <dt>{p.provider}</dt>
                        <dd class="num">
                          {t("providerRequests", { n: formatCount(p.requests) })} · {formatUsd(p.cost_usd)}
                          <Show when={p.unpriced > 0}> · {t("costUnknownN", { n: formatCount(p.unpriced) })}</Show>
                          <Show when={p.failed > 0}>
                            {" "}
                            ·{" "}
                            {t("failedShare", {
                              n: formatCount(p.failed),
                              pct: formatPercent(p.failed / Math.max(1, p.requests)),
                            })}
                          </Show>
                        </dd>
                      </>
                    )}
                  </For>
                </dl>
              </section>
            </Show>
            <h3>{t("upstreamKeys")}</h3>
            {/* By position: the cards stay put (and keep focus) as each new picture arrives. */}
            <Show when={s().keys.length > 0} fallback={<p class="muted">{t("noKeys")}</p>}>
              <Index each={s().keys}>{(key) => <KeyCard item={key()} />}</Index>
            </Show>
            <section class="card stack tight" aria-labelledby="gateway-title">
              <h3 id="gateway-title">{t("gateway")}</h3>
              <dl class="facts">
                <dt>{t("version")}</dt>
                <dd data-testid="version">
                  {s().version} · {s().runtime}
                </dd>
                <dt>{t("uptime")}</dt>
                <dd>{formatDuration(s().uptime_s)}</dd>
                <dt>{t("inFlight")}</dt>
                <dd class="num">{formatCount(s().in_flight)}</dd>
                <dt>{t("liveStreams")}</dt>
                <dd class="num" data-testid="live-streams">
                  {formatCount(s().live_streams)}
                </dd>
              </dl>
            </section>
          </>
        )}
      </Show>
    </section>
  );
}
