import { createResource, createSignal, For, Show } from "solid-js";
import { KeyCard } from "../components/KeyCard.tsx";
import { api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";

export function Credentials() {
  const [keys, { refetch }] = createResource(() => api.keys());
  const [pasted, setPasted] = createSignal("");
  const [label, setLabel] = createSignal("");
  const [message, setMessage] = createSignal("");
  const [error, setError] = createSignal("");

  const run = async (action: () => Promise<string | undefined>) => {
    setError("");
    setMessage("");
    try {
      setMessage((await action()) ?? "");
    } catch (e) {
      setError((e as Error).message);
    }
    await refetch();
  };

  const add = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await api.addKeys(pasted(), label() || undefined);
      setPasted("");
      setLabel("");
      return t("added", { n: result.keys.length, skipped: result.skipped });
    });
  };

  return (
    <section class="stack" aria-labelledby="keys-title">
      <h2 id="keys-title">{t("credentials")}</h2>
      <form class="card stack" onSubmit={add}>
        <h3>{t("addKeys")}</h3>
        <label for="new-keys">{t("pasteKeys")}</label>
        <textarea
          id="new-keys"
          rows="3"
          required
          autocomplete="off"
          spellcheck={false}
          value={pasted()}
          onInput={(e) => setPasted(e.currentTarget.value)}
        />
        <label for="new-label">{t("label")}</label>
        <input id="new-label" value={label()} onInput={(e) => setLabel(e.currentTarget.value)} />
        <button type="submit">{t("add")}</button>
      </form>
      <Show when={message()}>
        <p role="status">{message()}</p>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <For each={keys()?.keys ?? []}>
        {(key) => (
          <KeyCard item={key} now={Date.now()}>
            <div class="row wrap">
              <button
                type="button"
                class="secondary"
                onClick={() => void run(async () => (await api.testKey(key.id)).message)}
              >
                {t("test")}
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() => void run(async () => void (await api.updateKey(key.id, { enabled: !key.enabled })))}
              >
                {key.enabled ? t("disable") : t("enable")}
              </button>
              <Show when={key.source === "admin"}>
                <button
                  type="button"
                  class="danger"
                  onClick={() => {
                    if (confirm(t("confirmDelete", { name: key.label })))
                      void run(async () => void (await api.deleteKey(key.id)));
                  }}
                >
                  {t("delete")}
                </button>
              </Show>
            </div>
          </KeyCard>
        )}
      </For>
    </section>
  );
}
