// Settings for people: the config in sections, each saved with one button; the outbound proxy
// test; the admin password.
import { createResource, createSignal, For, Show } from "solid-js";
import type { SettingView } from "../../../server/admin/schemas.ts";
import { SettingSection } from "../components/SettingSection.tsx";
import { toast } from "../components/Toast.tsx";
import { api } from "../lib/api.ts";
import { formatMs } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";

const groups: SettingView["group"][] = ["connection", "upstream", "caching", "timeouts", "limits", "privacy", "team"];

function PasswordForm() {
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const [current, next, again] = ["current", "next", "again"].map((k) => String(form.get(k) ?? ""));
    if (next !== again) return toast(t("mismatch"), true);
    try {
      await api.changePassword({ current: current ?? "", next: next ?? "" });
      toast(t("passwordChanged"));
      formElement.reset();
    } catch (e) {
      toast((e as Error).message, true);
    }
  };
  return (
    <form class="card stack tight" onSubmit={submit}>
      <h3>{t("changePassword")}</h3>
      <label for="pw-current">{t("currentPassword")}</label>
      <input id="pw-current" name="current" type="password" autocomplete="current-password" required />
      <label for="pw-next">{t("newPassword")}</label>
      <input id="pw-next" name="next" type="password" autocomplete="new-password" minLength={12} required />
      <label for="pw-again">{t("repeatPassword")}</label>
      <input id="pw-again" name="again" type="password" autocomplete="new-password" minLength={12} required />
      <button type="submit">{t("save")}</button>
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
      setResult(
        r.ok ? t("proxyOk", { status: r.status ?? "", ms: formatMs(r.ms) }) : t("proxyFailed", { message: r.message }),
      );
    } catch (e) {
      setResult(t("proxyFailed", { message: (e as Error).message }));
    }
  };
  return (
    <form class="card stack tight" onSubmit={submit}>
      <h3>{t("testProxy")}</h3>
      <label for="proxy-test">{t("proxyUrl")}</label>
      <input id="proxy-test" ref={input} value={props.initial} placeholder="http://127.0.0.1:8080" inputmode="url" />
      <button type="submit" class="secondary">
        {t("testProxy")}
      </button>
      <p role="status" class="small breakable" data-testid="proxy-result">
        {result()}
      </p>
    </form>
  );
}

export function Settings() {
  const [data, { mutate }] = createResource(() => api.settings());
  const inGroup = (group: SettingView["group"]) => (data()?.settings ?? []).filter((s) => s.group === group);
  return (
    <section class="stack" aria-labelledby="settings-title">
      <h2 id="settings-title">{t("settings")}</h2>
      <Show when={data()} fallback={<p>{t("loading")}</p>}>
        <For each={groups}>
          {(group) => <SettingSection group={group} settings={inGroup(group)} onSaved={(r) => mutate(r)} />}
        </For>
        <ProxyTest initial={String(data()?.settings.find((s) => s.key === "proxy")?.value ?? "")} />
      </Show>
      <PasswordForm />
    </section>
  );
}
