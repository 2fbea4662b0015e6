// Settings for each client app, built from this page's address, a client key (the one in use
// preselected) and a model from upstream's list; and a QR code to carry them to a second device,
// offered only when pocketgate listens where a second device can reach it.
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { renderSVG } from "uqr";
import { CopyButton } from "../components/CopyButton.tsx";
import { api } from "../lib/api.ts";
import { connectSnippets } from "../lib/connect-snippets.ts";
import { t, tKey } from "../lib/i18n.ts";

export default function Connect() {
  const [data] = createResource(async () => {
    const [clients, connect] = await Promise.all([api.clients(), api.connect()]);
    const active = clients.clients.filter((c) => c.revoked_at === null);
    // The client in use: the one that made the latest request.
    const inUse = [...active].sort((a, b) => (b.last_used ?? 0) - (a.last_used ?? 0))[0];
    setClientId(inUse?.id ?? "");
    setModel(connect.models.find((m) => m.startsWith("claude-sonnet")) ?? connect.models[0] ?? "");
    setLan(connect.lan_addresses[0] ?? "");
    return { clients: active, connect };
  });
  const [clientId, setClientId] = createSignal("");
  const [target, setTarget] = createSignal("st-claude");
  const [model, setModel] = createSignal("");
  const [lan, setLan] = createSignal("");
  const key = () => data()?.clients.find((c) => c.id === clientId())?.key ?? "<client key>";
  const snippets = (origin: string) => connectSnippets(origin, key(), model() || "claude-sonnet-4-6", t);
  const chosen = createMemo(() => snippets(location.origin).find((s) => s.id === target()));
  // A second device reaches this one at its LAN address, on the port this page came from.
  const lanOrigin = () => (lan() ? `${location.protocol}//${lan()}:${location.port || "80"}` : "");
  const forSecond = () => snippets(lanOrigin()).find((s) => s.id === target());

  return (
    <section class="stack" aria-labelledby="connect-title">
      <h2 id="connect-title">{t("connect")}</h2>
      <Show when={data()} fallback={<p>{t("loading")}</p>}>
        {(d) => (
          <>
            <div class="card stack tight">
              <label for="connect-target">{t("target")}</label>
              <select id="connect-target" value={target()} onChange={(e) => setTarget(e.currentTarget.value)}>
                <For each={snippets(location.origin)}>{(s) => <option value={s.id}>{t(s.app)}</option>}</For>
              </select>
              <label for="connect-client">{t("chooseClient")}</label>
              <select id="connect-client" value={clientId()} onChange={(e) => setClientId(e.currentTarget.value)}>
                <For each={d().clients}>{(c) => <option value={c.id}>{c.name}</option>}</For>
              </select>
              <label for="connect-model">{t("model")}</label>
              <select id="connect-model" value={model()} onChange={(e) => setModel(e.currentTarget.value)}>
                <For each={d().connect.models}>{(m) => <option value={m}>{m}</option>}</For>
              </select>
              <p class="xsmall muted" data-testid="models-source">
                {d().connect.models_source === "upstream" ? t("modelsUpstream") : t("modelsBuiltin")}
              </p>
            </div>
            <Show when={chosen()}>
              {(s) => (
                <div class="card stack tight">
                  <div class="page-head">
                    <h3>{t("settingsFor", { app: t(s().app) })}</h3>
                    <CopyButton text={s().text} label={t(s().app)} />
                  </div>
                  <Show when={s().id.startsWith("st-")}>
                    <p class="small muted">{tKey(`where_${s().id.replace("-", "_")}`)}</p>
                  </Show>
                  <pre class="body" tabindex="0" data-testid="snippet">
                    {s().text}
                  </pre>
                </div>
              )}
            </Show>
            <div class="card stack tight" data-testid="second-device">
              <h3>{t("secondDevice")}</h3>
              <Show
                when={d().connect.lan_addresses.length > 0}
                fallback={<p class="small">{t("loopbackOnly", { host: d().connect.host })}</p>}
              >
                <p class="small">{t("qrHint")}</p>
                <Show when={d().connect.lan_addresses.length > 1}>
                  <label for="connect-lan">{t("address")}</label>
                  <select id="connect-lan" value={lan()} onChange={(e) => setLan(e.currentTarget.value)}>
                    <For each={d().connect.lan_addresses}>{(a) => <option value={a}>{a}</option>}</For>
                  </select>
                </Show>
                <Show when={forSecond()}>
                  {(s) => (
                    <>
                      <pre class="body" data-testid="lan-snippet">
                        {s().text}
                      </pre>
                      <div
                        class="qr"
                        role="img"
                        aria-label={`QR: ${t(s().app)}`}
                        innerHTML={renderSVG(s().text, { border: 2 })}
                      />
                    </>
                  )}
                </Show>
              </Show>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}
