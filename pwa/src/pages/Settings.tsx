import { createResource, createSignal, For, Show } from "solid-js";
import { SettingField } from "../components/SettingField.tsx";
import { api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";

function PasswordForm() {
  const [message, setMessage] = createSignal<{ ok: boolean; text: string }>();
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const [current, next, again] = ["current", "next", "again"].map((k) => String(form.get(k) ?? ""));
    if (next !== again) return setMessage({ ok: false, text: t("mismatch") });
    try {
      await api.changePassword({ current: current ?? "", next: next ?? "" });
      setMessage({ ok: true, text: t("passwordChanged") });
      (event.currentTarget as HTMLFormElement).reset();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <form class="card stack" onSubmit={submit}>
      <h3>{t("changePassword")}</h3>
      <label for="pw-current">{t("currentPassword")}</label>
      <input id="pw-current" name="current" type="password" autocomplete="current-password" required />
      <label for="pw-next">{t("newPassword")}</label>
      <input id="pw-next" name="next" type="password" autocomplete="new-password" minLength={12} required />
      <label for="pw-again">{t("repeatPassword")}</label>
      <input id="pw-again" name="again" type="password" autocomplete="new-password" minLength={12} required />
      <button type="submit">{t("save")}</button>
      <Show when={message()}>
        {(m) => (
          <p class={m().ok ? "ok" : "error"} role="status">
            {m().text}
          </p>
        )}
      </Show>
    </form>
  );
}

function ProxyTest(props: { initial: string }) {
  const [result, setResult] = createSignal("");
  let input!: HTMLInputElement;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setResult(t("checking"));
    try {
      const r = await api.testProxy(input.value.trim());
      setResult(r.ok ? t("proxyOk", { status: r.status ?? "", ms: r.ms }) : t("proxyFailed", { message: r.message }));
    } catch (e) {
      setResult(t("proxyFailed", { message: (e as Error).message }));
    }
  };
  return (
    <form class="card stack" onSubmit={submit}>
      <h3>{t("testProxy")}</h3>
      <label for="proxy-test">{t("proxyUrl")}</label>
      <input id="proxy-test" ref={input} value={props.initial} placeholder="http://127.0.0.1:8080" />
      <button type="submit" class="secondary">
        {t("test")}
      </button>
      <p role="status" data-testid="proxy-result">
        {result()}
      </p>
    </form>
  );
}

export function Settings() {
  const [data] = createResource(() => api.settings());
  const [restart, setRestart] = createSignal(false);
  const visible = () => (data()?.settings ?? []).filter((s) => !s.secret);
  return (
    <section class="stack" aria-labelledby="settings-title">
      <h2 id="settings-title">{t("settings")}</h2>
      <Show when={restart()}>
        <p class="banner stale" role="status">
          {t("restartNeeded")}
        </p>
      </Show>
      <div class="card stack">
        <For each={visible()}>{(s) => <SettingField setting={s} onSaved={(r) => r && setRestart(true)} />}</For>
      </div>
      <Show when={data()}>
        <ProxyTest initial={String(data()?.settings.find((s) => s.key === "proxy")?.value ?? "")} />
      </Show>
      <PasswordForm />
    </section>
  );
}
