// One section of Settings (Connection, Upstream, Prompt caching, Timeouts, Limits, Privacy): each value with a
// human title, help and where it comes from, typed the way the README writes it ("10m",
// "16MiB"); one Save for the section, which sends only what changed and confirms with a toast.
import { createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import type { SettingsResponse, SettingView } from "../../../server/admin/schemas.ts";
import { api } from "../lib/api.ts";
import { durationText, sizeText } from "../lib/format.ts";
import { type MessageKey, t, tKey } from "../lib/i18n.ts";
import { toast } from "./Toast.tsx";

type Draft = string | boolean;

/** The value as the field shows it. */
function shown(s: SettingView): Draft {
  const v = s.value;
  if (typeof v === "boolean") return v;
  if (typeof v === "number" && s.kind === "duration") return durationText(v);
  if (typeof v === "number" && s.kind === "size") return sizeText(v);
  return String(v ?? "");
}

function origin(s: SettingView): string {
  if (s.origin === "env") return t("originEnv", { env: s.env });
  if (s.origin === "flag") return t("originFlag", { flag: s.key.replaceAll("_", "-") });
  if (s.origin === "file") return t("originFile");
  const fallback = s.default === undefined ? "" : shown({ ...s, value: s.default });
  return `${t("originDefault")}${fallback === "" || typeof fallback === "boolean" ? "" : ` · ${fallback}`}`;
}

const title = (key: string) => tKey(`set_${key}`, {}, key);

export function SettingSection(props: {
  group: SettingView["group"];
  settings: SettingView[];
  onSaved: (response: SettingsResponse) => void;
}) {
  const [draft, setDraft] = createStore<Record<string, Draft>>(
    Object.fromEntries(props.settings.map((s) => [s.key, shown(s)])),
  );
  const [errors, setErrors] = createStore<Record<string, string>>({});
  const [saving, setSaving] = createSignal(false);
  const changed = () => props.settings.filter((s) => s.editable && draft[s.key] !== shown(s));
  const section = () => t(`group_${props.group}` as MessageKey);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const changes = changed();
    if (changes.length === 0) return toast(t("nothingToSave"));
    setSaving(true);
    setErrors({ ...Object.fromEntries(props.settings.map((s) => [s.key, ""])) });
    try {
      const response = await api.saveSettings(Object.fromEntries(changes.map((s) => [s.key, draft[s.key] as Draft])));
      const later = response.restart_needed.filter((key) => changes.some((s) => s.key === key));
      toast(
        later.length
          ? t("sectionSavedRestart", { section: section(), keys: later.map(title).join(", ") })
          : t("sectionSaved", { section: section() }),
      );
      props.onSaved(response);
      // What was saved now shows as the server holds it ("600" becomes "10m").
      for (const saved of response.settings)
        if (changes.some((s) => s.key === saved.key)) setDraft(saved.key, shown(saved));
    } catch (e) {
      const message = (e as Error).message;
      // "first_byte_timeout: expected …" belongs under that field; anything else to the section.
      const key = props.settings.find((s) => message.startsWith(`${s.key}:`) || message.startsWith(`${s.key} `))?.key;
      if (key) setErrors(key, message);
      else toast(message, true);
    }
    setSaving(false);
  };

  return (
    <form class="card" onSubmit={save} aria-labelledby={`group-${props.group}`} data-testid={`section-${props.group}`}>
      <h3 id={`group-${props.group}`}>{section()}</h3>
      <For each={props.settings}>
        {(s) => {
          const id = `setting-${s.key}`;
          const describedBy = `${id}-help ${id}-origin ${id}-msg`;
          return (
            <div class="setting" data-testid={id}>
              <Show
                when={s.kind === "boolean"}
                fallback={
                  <>
                    <label class="setting-title" for={id}>
                      <span>{title(s.key)}</span>
                      <code>{s.key}</code>
                      <Show when={s.restart}>
                        <span class="pill warn">{t("needsRestart")}</span>
                      </Show>
                    </label>
                    <Show
                      when={s.kind !== "choice"}
                      fallback={
                        <select
                          id={id}
                          disabled={!s.editable}
                          aria-invalid={Boolean(errors[s.key])}
                          aria-describedby={describedBy}
                          onChange={(e) => setDraft(s.key, e.currentTarget.value)}
                        >
                          <For each={s.choices ?? []}>
                            {(choice) => (
                              <option value={choice} selected={draft[s.key] === choice}>
                                {choice}
                              </option>
                            )}
                          </For>
                        </select>
                      }
                    >
                      <input
                        id={id}
                        type={s.kind === "integer" ? "number" : s.kind === "url" ? "url" : "text"}
                        inputmode={
                          s.kind === "integer"
                            ? "numeric"
                            : s.kind === "url"
                              ? "url"
                              : s.kind === "dollars"
                                ? "decimal"
                                : undefined
                        }
                        placeholder={
                          s.kind === "duration" ? t("durationHint") : s.kind === "size" ? t("sizeHint") : undefined
                        }
                        autocomplete="off"
                        spellcheck={false}
                        value={String(draft[s.key] ?? "")}
                        disabled={!s.editable}
                        aria-invalid={Boolean(errors[s.key])}
                        aria-describedby={describedBy}
                        onInput={(e) => setDraft(s.key, e.currentTarget.value)}
                      />
                    </Show>
                  </>
                }
              >
                <label class="switch" for={id}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={draft[s.key] === true}
                    disabled={!s.editable}
                    aria-describedby={describedBy}
                    onChange={(e) => setDraft(s.key, e.currentTarget.checked)}
                  />
                  <span class="setting-title">
                    <span>{title(s.key)}</span>
                    <code>{s.key}</code>
                  </span>
                </label>
              </Show>
              <p class="small muted" id={`${id}-help`}>
                {tKey(`help_${s.key}`, {}, s.help)}
              </p>
              <p class="xsmall muted" id={`${id}-origin`} data-testid="origin">
                {origin(s)}
              </p>
              <p id={`${id}-msg`} class="small error" role="alert">
                {errors[s.key] ?? ""}
              </p>
            </div>
          );
        }}
      </For>
      <Show when={props.settings.some((s) => s.editable)}>
        <button type="submit" disabled={saving()}>
          {t("save")}
        </button>
      </Show>
    </form>
  );
}
