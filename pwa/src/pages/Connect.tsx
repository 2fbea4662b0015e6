// Settings for each client app, built from this page's own address and a chosen client key,
// with a QR code to move them to another device.
import { createResource, createSignal, For, Show } from "solid-js";
import { renderSVG } from "uqr";
import { CopyButton } from "../components/CopyButton.tsx";
import { api } from "../lib/api.ts";
import { connectSnippets } from "../lib/connect-snippets.ts";
import { t } from "../lib/i18n.ts";

export default function Connect() {
  const [data] = createResource(async () => {
    const [clients, connect] = await Promise.all([api.clients(), api.connect()]);
    return { clients: clients.clients.filter((c) => c.revoked_at === null), models: connect.models };
  });
  const [clientId, setClientId] = createSignal("");
  const [target, setTarget] = createSignal("st-claude");
  const key = () => {
    const clients = data()?.clients ?? [];
    return (clients.find((c) => c.id === clientId()) ?? clients[0])?.key ?? "<client key>";
  };
  const snippets = () => connectSnippets(location.origin, key(), data()?.models[0] ?? "claude-sonnet-4-6");
  const chosen = () => snippets().find((s) => s.id === target()) ?? snippets()[0];
  return (
    <section class="stack" aria-labelledby="connect-title">
      <h2 id="connect-title">{t("connect")}</h2>
      <Show when={data()} fallback={<p>{t("loading")}</p>}>
        <label for="connect-client">{t("chooseClient")}</label>
        <select id="connect-client" value={clientId()} onChange={(e) => setClientId(e.currentTarget.value)}>
          <For each={data()?.clients}>{(c) => <option value={c.id}>{c.name}</option>}</For>
        </select>
        <label for="connect-target">{t("target")}</label>
        <select id="connect-target" value={target()} onChange={(e) => setTarget(e.currentTarget.value)}>
          <For each={snippets()}>{(s) => <option value={s.id}>{s.title}</option>}</For>
        </select>
        <Show when={chosen()}>
          {(s) => (
            <div class="card stack">
              <h3>{s().title}</h3>
              <pre class="body" tabindex="0" data-testid="snippet">
                {s().text}
              </pre>
              <CopyButton text={s().text} label={s().title} />
              <div
                class="qr"
                role="img"
                aria-label={`QR: ${s().title}`}
                innerHTML={renderSVG(s().text, { border: 2 })}
              />
              <p class="muted small">{t("qrHint")}</p>
            </div>
          )}
        </Show>
      </Show>
    </section>
  );
}
