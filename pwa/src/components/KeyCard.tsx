// One upstream key: label, masked secret, state with the reason and a cooldown countdown, and
// headroom bars from the rate-limit headers of its last reply.
import { type JSX, Show } from "solid-js";
import type { KeyView } from "../../../server/admin/schemas.ts";
import { formatInt } from "../lib/format.ts";
import { type MessageKey, t } from "../lib/i18n.ts";

function Meter(props: { label: string; value?: number; max?: number }) {
  const ratio = () => (props.value !== undefined && props.max ? Math.min(1, props.value / props.max) : undefined);
  return (
    <Show when={props.value !== undefined}>
      <div class="meter-row">
        <span>
          {formatInt(props.value ?? 0)}
          <Show when={props.max}>{` / ${formatInt(props.max ?? 0)}`}</Show> {props.label}
        </span>
        <Show when={ratio() !== undefined}>
          <meter class="meter" aria-label={props.label} min={0} max={props.max} value={props.value} />
        </Show>
      </div>
    </Show>
  );
}

export function KeyCard(props: { item: KeyView; now: number; children?: JSX.Element }) {
  const left = () => Math.max(0, Math.ceil(((props.item.until ?? 0) - props.now) / 1000));
  return (
    <article class="card key-card" aria-label={props.item.label}>
      <div class="row between">
        <strong>{props.item.label}</strong>
        <span class={`badge state-${props.item.state}`}>{t(`state_${props.item.state}` as MessageKey)}</span>
      </div>
      <code class="muted">{props.item.masked}</code>
      <Show when={props.item.source === "config"}>
        <span class="muted small"> · {t("fromConfig")}</span>
      </Show>
      <Show when={props.item.state === "cooling" && left() > 0}>
        <p class="small">
          {t("coolingFor", { s: left() })}
          <Show when={props.item.reason}> ({props.item.reason})</Show>
        </p>
      </Show>
      <Show when={props.item.state === "invalid" && props.item.reason}>
        <p class="small">{props.item.reason}</p>
      </Show>
      <Meter label={t("tokensLeft")} value={props.item.tokens_remaining} max={props.item.tokens_limit} />
      <Meter label={t("requestsLeft")} value={props.item.requests_remaining} max={props.item.requests_limit} />
      {props.children}
    </article>
  );
}
