// One client key's prompt caching (issue 15): the mode, the cache lifetime, keep-warm with its
// daily budget and idle stop. Each choice can stay at the global default (null), which the
// form names; the line under the title says what this key's requests get now.
import type { ClientView } from "../../../server/admin/schemas.ts";
import { api } from "../lib/api.ts";
import { formatUsd } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { toast } from "./Toast.tsx";

const word = (mode: "auto" | "off") => (mode === "auto" ? t("auto") : t("off").toLowerCase());
const orNull = (value: FormDataEntryValue | null) => (value === null || value === "" ? null : String(value));
const numberOrNull = (value: FormDataEntryValue | null) => (orNull(value) === null ? null : Number(value));

/** A select whose current option is marked on the option itself (set before the select is in the page). */
function Choice(props: { id: string; name: string; value: string; options: [string, string][] }) {
  return (
    <select id={props.id} name={props.name}>
      {props.options.map(([value, label]) => (
        <option value={value} selected={value === props.value}>
          {label}
        </option>
      ))}
    </select>
  );
}

/** A decimal field left empty for "the default", which its placeholder shows. */
function NumberField(props: {
  id: string;
  name: string;
  label: string;
  min: string;
  step: string;
  value: number | null;
  fallback: number;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type="number"
        min={props.min}
        step={props.step}
        inputmode="decimal"
        value={props.value ?? ""}
        placeholder={String(props.fallback)}
      />
    </div>
  );
}

export function ClientCaching(props: { client: ClientView; onChange: () => Promise<void> }) {
  const c = () => props.client;
  const id = (name: string) => `${name}-${c().id}`;
  const summary = () => {
    const v = c().caching;
    const parts = [`OpenAI ${word(v.openai)}`, `/v1/messages ${word(v.native)}`, v.ttl];
    if (v.keep_warm) parts.push(`${t("keepWarm").toLowerCase()} ≤ ${formatUsd(v.keep_warm_max_per_day)}`);
    return parts.join(" · ");
  };
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const warm = orNull(form.get("keep_warm"));
    try {
      await api.setLimits(c().id, {
        prompt_cache: orNull(form.get("prompt_cache")) as "auto" | "off" | null,
        prompt_cache_ttl: orNull(form.get("prompt_cache_ttl")) as "5m" | "1h" | null,
        keep_warm: warm === null ? null : warm === "on",
        keep_warm_max_per_day: numberOrNull(form.get("keep_warm_max_per_day")),
        keep_warm_idle_stop: numberOrNull(form.get("keep_warm_idle_stop")),
      });
    } catch (e) {
      toast((e as Error).message, true);
      await props.onChange();
      return;
    }
    // "Saved" once the card shows what is saved (the policy in force comes back from the server).
    await props.onChange();
    toast(t("cachingSaved", { name: c().name }));
  };
  return (
    <form class="stack tight" onSubmit={save} aria-label={`${t("promptCaching")}: ${c().name}`} data-testid="caching">
      <h3>{t("promptCaching")}</h3>
      <p class="xsmall muted" data-testid="caching-in-force">
        {t("inForce", { summary: summary() })}
      </p>
      <label for={id("prompt-cache")}>{t("cachingMode")}</label>
      <Choice
        id={id("prompt-cache")}
        name="prompt_cache"
        value={c().prompt_cache ?? ""}
        options={[
          ["", t("cachingDefault")],
          ["auto", t("cachingAutoBoth")],
          ["off", t("cachingOffBoth")],
        ]}
      />
      <label for={id("ttl")}>{t("cacheTtl")}</label>
      <Choice
        id={id("ttl")}
        name="prompt_cache_ttl"
        value={c().prompt_cache_ttl ?? ""}
        options={[
          ["", t("ttlDefault", { ttl: c().caching.ttl })],
          ["5m", t("ttl5m")],
          ["1h", t("ttl1h")],
        ]}
      />
      <label for={id("keep-warm")}>{t("keepWarm")}</label>
      <Choice
        id={id("keep-warm")}
        name="keep_warm"
        value={c().keep_warm === null ? "" : c().keep_warm ? "on" : "off"}
        options={[
          ["", t("keepWarmDefault", { value: c().caching.keep_warm ? t("on") : t("off") })],
          ["on", t("on")],
          ["off", t("off")],
        ]}
      />
      <div class="limits">
        <NumberField
          id={id("warm-max")}
          name="keep_warm_max_per_day"
          label={t("keepWarmMax")}
          min="0"
          step="0.01"
          value={c().keep_warm_max_per_day}
          fallback={c().caching.keep_warm_max_per_day}
        />
        <NumberField
          id={id("warm-idle")}
          name="keep_warm_idle_stop"
          label={t("keepWarmIdle")}
          min="0.05"
          step="any"
          value={c().keep_warm_idle_stop}
          fallback={c().caching.keep_warm_idle_stop_min}
        />
      </div>
      <button type="submit" class="secondary">
        {t("saveCaching")}
      </button>
    </form>
  );
}
