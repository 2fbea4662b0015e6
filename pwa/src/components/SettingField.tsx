// One config value: an input that fits its type, saved on its own; the server's validation
// message appears under the field.
import { createSignal, Show } from "solid-js";
import type { SettingView } from "../../../server/admin/schemas.ts";
import { api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";

export function SettingField(props: { setting: SettingView; onSaved: (restart: boolean) => void }) {
  const s = () => props.setting;
  const [error, setError] = createSignal("");
  const [note, setNote] = createSignal("");
  let input!: HTMLInputElement;
  const id = () => `setting-${s().key}`;

  const value = (): string | number | boolean => {
    if (typeof s().value === "boolean") return input.checked;
    if (typeof s().value === "number") return input.value.trim() === "" ? Number.NaN : Number(input.value);
    return input.value;
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    setNote("");
    const next = value();
    if (typeof next === "number" && Number.isNaN(next)) return setError(t("error"));
    try {
      const result = await api.saveSettings({ [s().key]: next });
      const restart = result.restart_needed.includes(s().key);
      setNote(restart ? t("restartNeeded") : t("saved"));
      props.onSaved(restart);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <form class="setting" onSubmit={save} data-testid={id()}>
      <label for={id()}>
        <code>{s().key}</code>
        <Show when={s().restart}>
          <span class="badge">{t("needsRestart")}</span>
        </Show>
      </label>
      <p class="muted small" id={`${id()}-help`}>
        {s().help}
        <Show
          when={s().default !== undefined && s().default !== ""}
        >{` (${t("default")}: ${String(s().default)})`}</Show>
      </p>
      <div class="row">
        <input
          id={id()}
          ref={input}
          type={typeof s().value === "boolean" ? "checkbox" : typeof s().value === "number" ? "number" : "text"}
          step="any"
          checked={s().value === true}
          value={typeof s().value === "boolean" ? undefined : String(s().value ?? "")}
          disabled={!s().editable}
          aria-invalid={error() !== ""}
          aria-describedby={`${id()}-help ${id()}-msg`}
        />
        <Show when={s().editable}>
          <button type="submit" class="secondary">
            {t("save")}
          </button>
        </Show>
      </div>
      <p id={`${id()}-msg`} class={error() ? "error small" : "ok small"} role={error() ? "alert" : "status"}>
        {error() || note() || (!s().editable && !s().secret ? t("setBy", { env: s().env }) : "")}
      </p>
    </form>
  );
}
