import { For, Show } from "solid-js";
import { KeyCard } from "../components/KeyCard.tsx";
import { formatInt, formatTime, formatUptime, formatUsd } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { createStatus } from "../stores/status.ts";

function Stat(props: { label: string; value: string; id: string }) {
  return (
    <div class="card stat">
      <span class="stat-label">{props.label}</span>
      <span class="stat-value" data-testid={props.id}>
        {props.value}
      </span>
    </div>
  );
}

export function Dashboard() {
  const { status, savedAt } = createStatus();
  const upstream = () => {
    const reach = status()?.upstream;
    if (!reach) return t("checking");
    return reach.ok ? `${t("reachable")} (${reach.ms} ms)` : `${t("unreachable")}: ${reach.message}`;
  };
  return (
    <section class="stack" aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">{t("dashboard")}</h2>
      <Show when={savedAt()}>
        {(at) => (
          <p class="banner stale" data-testid="snapshot-note">
            {t("offline", { time: formatTime(at()) })}
          </p>
        )}
      </Show>
      <Show when={status()} fallback={<p>{t("loading")}</p>}>
        {(s) => (
          <>
            <Show when={s().config_problem}>
              {(problem) => (
                <div class="banner stale" role="alert" data-testid="config-problem">
                  <strong>{t("configRefused")}</strong>
                  <pre class="config-problem">{problem()}</pre>
                </div>
              )}
            </Show>
            <div class="stats">
              <Stat id="version" label={t("version")} value={`${s().version} · ${s().runtime}`} />
              <Stat id="uptime" label={t("uptime")} value={formatUptime(s().uptime_s)} />
              <Stat id="upstream" label={t("upstream")} value={upstream()} />
              <Stat id="in-flight" label={t("inFlight")} value={formatInt(s().in_flight)} />
              <Stat id="live-streams" label={t("liveStreams")} value={formatInt(s().live_streams)} />
              <Stat id="requests-today" label={t("requestsToday")} value={formatInt(s().today.requests)} />
              <Stat id="tokens-today" label={t("tokensToday")} value={formatInt(s().today.tokens)} />
              <Stat id="cost-today" label={t("costToday")} value={formatUsd(s().today.cost_usd)} />
            </div>
            <h3>{t("upstreamKeys")}</h3>
            <For each={s().keys} fallback={<p class="muted">{t("noKeys")}</p>}>
              {(key) => <KeyCard item={key} now={s().now} />}
            </For>
          </>
        )}
      </Show>
    </section>
  );
}
