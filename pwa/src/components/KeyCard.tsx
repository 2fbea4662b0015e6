// One upstream key: label, state in its colour with the reason in words, a cooldown countdown,
// masked secret and where it came from, and headroom bars from its last reply's rate-limit headers.
import { For, type JSX, Show } from "solid-js";
import type { KeyView } from "../../../server/admin/schemas.ts";
import { now } from "../lib/clock.ts";
import { formatDuration, formatInt } from "../lib/format.ts";
import { t, tKey } from "../lib/i18n.ts";
import { keyTone } from "../lib/status.ts";

function Meter(props: { text: string; value: number; max: number }) {
  const ratio = () => Math.max(0, Math.min(1, props.value / props.max));
  const tone = () => (ratio() < 0.1 ? "bad" : ratio() < 0.3 ? "warn" : "");
  return (
    <div class="meter-row">
      <span>{props.text}</span>
      {/* The sentence above says the figures; the bar only draws them. */}
      <div class={`meter ${tone()}`} aria-hidden="true">
        <span style={{ width: `${ratio() * 100}%` }} />
      </div>
    </div>
  );
}

export function KeyCard(props: { item: KeyView; children?: JSX.Element }) {
  const k = () => props.item;
  const left = () => Math.max(0, Math.ceil(((k().until ?? 0) - now()) / 1000));
  const tone = () => keyTone(k().state);
  /** What the last reply's rate-limit headers said is left, for tokens and for requests. */
  const headroom = () =>
    (
      [
        ["tokensLeft", k().tokens_remaining, k().tokens_limit],
        ["requestsLeft", k().requests_remaining, k().requests_limit],
      ] as const
    ).flatMap(([message, left, limit]) =>
      left !== undefined && limit
        ? [{ text: t(message, { left: formatInt(left), limit: formatInt(limit) }), value: left, max: limit }]
        : [],
    );
  return (
    <article class="card key-card stripe" data-tone={tone()} aria-label={k().label} data-testid="key-card">
      <div class="row between top">
        <strong class="grow breakable">{k().label}</strong>
        <span class={`pill ${tone()}`}>{tKey(`state_${k().state}`, {}, k().state)}</span>
      </div>
      <div class="small muted">
        <Show when={k().label !== k().masked}>
          <code>{k().masked}</code> ·{" "}
        </Show>
        {tKey(`origin_${k().origin}`, {}, k().origin)}
        <Show when={k().provider !== "anthropic"}>
          {" · "}
          <span data-testid="key-provider">{k().provider}</span>
        </Show>
      </div>
      <Show when={k().state === "cooling" && left() > 0}>
        <p class="small" data-testid="cooldown">
          {t("coolingFor", { time: formatDuration(left()) })}
        </p>
      </Show>
      <Show when={k().state !== "active" && k().reason}>
        {(reason) => <p class="small">{tKey(`keyReason_${reason()}`, {}, reason())}</p>}
      </Show>
      <For each={headroom()}>{(m) => <Meter text={m.text} value={m.value} max={m.max} />}</For>
      {props.children}
    </article>
  );
}
