// Upstream keys: paste one or many (each bad line named), then test, switch off or delete each;
// grouped by provider when there is more than one.
// The list is a store reconciled by id, so a refresh updates cards in place: the page keeps its
// scroll position, and a key's test result stays on that key's card.
import { createResource, createSignal, For, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { KeysAddResponse, KeyView } from "../../../server/admin/schemas.ts";
import { KeyCard } from "../components/KeyCard.tsx";
import { toast } from "../components/Toast.tsx";
import { api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { live } from "../stores/live.ts";

interface TestResult {
  readonly ok: boolean;
  readonly text: string;
}

function AddSummary(props: { result: KeysAddResponse }) {
  return (
    <div class="card stack tight" role="status" data-testid="add-summary">
      <Show when={props.result.keys.length > 0}>
        <p class="text-ok">{t("addedN", { n: props.result.keys.length })}</p>
      </Show>
      <Show when={props.result.skipped > 0}>
        <p class="muted">{t("skippedN", { n: props.result.skipped })}</p>
      </Show>
      <Show when={props.result.rejected.length > 0}>
        <p class="error">{t("rejectedN")}</p>
        <ul class="small error">
          <For each={props.result.rejected}>
            {(r) => (
              <li>
                {r.code === "not_a_credential"
                  ? t("reject_not_a_credential", { preview: r.preview, reason: r.reason })
                  : t(r.code === "too_short" ? "reject_too_short" : "reject_bad_characters", { preview: r.preview })}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}

export function Credentials() {
  const [keys, setKeys] = createStore<KeyView[]>([]);
  const [loaded] = createResource(async () => {
    setKeys(reconcile((await api.keys()).keys, { key: "id" }));
    return true;
  });
  const refresh = async () => {
    setKeys(reconcile((await api.keys()).keys, { key: "id" }));
    void live.refresh();
  };
  // Providers other than anthropic: the add form asks which one, and the list is grouped by it.
  const [kinds] = createResource(async () => new Map((await api.providers()).providers.map((p) => [p.name, p.kind])));
  const providers = () => (kinds() ? [...(kinds()?.keys() ?? [])] : undefined);
  const kind = () => kinds()?.get(provider()) ?? "anthropic";
  const [provider, setProvider] = createSignal("anthropic");
  // Group names are strings, so a refresh keeps each group's cards in place.
  const groups = () => [...new Set([...(providers() ?? []), ...keys.map((k) => k.provider)])];
  const keysOf = (name: string) => keys.filter((k) => k.provider === name);
  const grouped = () => groups().length > 1;
  const [pasted, setPasted] = createSignal("");
  const [label, setLabel] = createSignal("");
  const [summary, setSummary] = createSignal<KeysAddResponse>();
  const [busy, setBusy] = createSignal<string>();
  const [results, setResults] = createStore<Record<string, TestResult>>({});

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    setSummary(undefined);
    try {
      const result = await api.addKeys(pasted(), label() || undefined, provider());
      setSummary(result);
      setPasted("");
      setLabel("");
      await refresh();
    } catch (e) {
      toast((e as Error).message, true);
    }
  };

  const test = async (key: KeyView) => {
    setBusy(key.id);
    setResults(key.id, { ok: true, text: t("testing") });
    try {
      const result = await api.testKey(key.id);
      const ok = result.status >= 200 && result.status < 300;
      setResults(key.id, {
        ok,
        text: ok ? t("testOk") : t("testFailed", { status: result.status, message: result.message }),
      });
    } catch (e) {
      setResults(key.id, { ok: false, text: (e as Error).message });
    }
    setBusy(undefined);
    await refresh();
  };

  const act = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) toast(done);
    } catch (e) {
      toast((e as Error).message, true);
    }
    await refresh();
  };

  const keyCard = (key: KeyView) => (
    <KeyCard item={key}>
      <Show when={results[key.id]}>
        {(result) => (
          <p class={result().ok ? "result" : "result bad"} role="status" data-testid="test-result">
            {result().text}
          </p>
        )}
      </Show>
      <div class="actions">
        <button type="button" class="secondary" disabled={busy() === key.id} onClick={() => void test(key)}>
          {busy() === key.id ? t("testing") : t("test")}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => void act(() => api.updateKey(key.id, { enabled: !key.enabled }))}
        >
          {key.enabled ? t("disable") : t("enable")}
        </button>
        <Show when={key.source === "admin"}>
          <button
            type="button"
            class="danger"
            onClick={() => {
              if (confirm(t("confirmDelete", { name: key.label })))
                void act(() => api.deleteKey(key.id), t("deleted", { name: key.label }));
            }}
          >
            {t("delete")}
          </button>
        </Show>
      </div>
    </KeyCard>
  );

  return (
    <section class="stack" aria-labelledby="keys-title">
      <h2 id="keys-title">{t("credentials")}</h2>
      <form class="card stack" onSubmit={add}>
        <h3>{t("addKeys")}</h3>
        <Show when={(providers() ?? []).length > 1}>
          <label for="new-provider">{t("keyProvider")}</label>
          <select id="new-provider" onChange={(e) => setProvider(e.currentTarget.value)}>
            <For each={providers()}>
              {(name) => (
                <option value={name} selected={provider() === name}>
                  {name}
                </option>
              )}
            </For>
          </select>
        </Show>
        <label for="new-keys">
          {kind() === "bedrock"
            ? t("bedrockKeys")
            : kind() === "vertex"
              ? t("vertexKeys")
              : provider() === "anthropic"
                ? t("pasteKeys")
                : t("pasteKeysFor", { provider: provider() })}
        </label>
        <textarea
          id="new-keys"
          rows={kind() === "vertex" ? 6 : 3}
          required
          autocomplete="off"
          spellcheck={false}
          class="mono"
          placeholder={
            provider() === "anthropic"
              ? "sk-ant-api03-…"
              : kind() === "bedrock"
                ? "AKIA…:…"
                : kind() === "vertex"
                  ? '{"type": "service_account", …}'
                  : ""
          }
          value={pasted()}
          onInput={(e) => setPasted(e.currentTarget.value)}
        />
        <label for="new-label">{t("label")}</label>
        <input
          id="new-label"
          placeholder={t("labelHint")}
          value={label()}
          onInput={(e) => setLabel(e.currentTarget.value)}
        />
        <button type="submit">{t("add")}</button>
      </form>
      <Show when={summary()}>{(result) => <AddSummary result={result()} />}</Show>
      <Show when={loaded()} fallback={<p>{t("loading")}</p>}>
        <Show when={keys.length > 0} fallback={<p class="muted">{t("noKeys")}</p>}>
          <For each={groups()}>
            {(name) => (
              <Show when={keysOf(name).length > 0 || grouped()}>
                <Show when={grouped()}>
                  <h3 data-testid="key-group">{name}</h3>
                </Show>
                <Show when={keysOf(name).length > 0} fallback={<p class="small muted">{t("noProviderKeys")}</p>}>
                  <For each={keysOf(name)}>{(key) => keyCard(key)}</For>
                </Show>
              </Show>
            )}
          </For>
        </Show>
      </Show>
    </section>
  );
}
