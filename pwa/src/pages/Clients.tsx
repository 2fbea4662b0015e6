// Client keys: one per app, masked with Show and Copy, this month's use with its units, the last
// request, limits (saving says so), the fitting switch, prompt caching, and revoking.
import { createSignal, For, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { ClientView } from "../../../server/admin/schemas.ts";
import { ClientCaching } from "../components/ClientCaching.tsx";
import { Secret } from "../components/Secret.tsx";
import { toast } from "../components/Toast.tsx";
import { api } from "../lib/api.ts";
import { formatAgo, formatCountOf, formatUsd } from "../lib/format.ts";
import { type MessageKey, t } from "../lib/i18n.ts";

type LimitField = "rpm" | "monthly_tokens" | "monthly_usd";
/** Each limit: its field, its label, and the smallest step the input takes. */
const limitFields: [LimitField, MessageKey, string][] = [
  ["rpm", "rpm", "1"],
  ["monthly_tokens", "monthlyTokens", "1"],
  ["monthly_usd", "monthlyUsd", "0.01"],
];
const limit = (value: string) => (value.trim() === "" ? null : Number(value));

function ClientCard(props: { client: ClientView; onChange: () => Promise<void> }) {
  const c = () => props.client;
  const id = (name: string) => `${name}-${c().id}`;
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (field: LimitField) => limit(String(form.get(field) ?? ""));
    try {
      await api.setLimits(c().id, {
        rpm: value("rpm"),
        monthly_tokens: value("monthly_tokens"),
        monthly_usd: value("monthly_usd"),
      });
      toast(t("limitsSaved", { name: c().name }));
    } catch (e) {
      toast((e as Error).message, true);
    }
    await props.onChange();
  };
  return (
    <article class="card stack" aria-label={c().name} data-testid="client">
      <div class="row between top">
        <strong class="grow breakable">{c().name}</strong>
        <span class="small muted nowrap">
          {c().last_used === null ? t("neverUsed") : t("lastRequest", { ago: formatAgo(c().last_used ?? 0) })}
        </span>
      </div>
      <Secret value={c().key} label={c().name} testId="client-key" />
      <p class="small num" data-testid="month">
        {t("thisMonth", { use: `${formatCountOf(c().month_tokens, "tokens")} · ${formatUsd(c().month_usd)}` })}
        <Show when={c().month_saved_usd !== 0 || c().month_keep_warm_usd > 0}>
          <br />
          <span class="muted" data-testid="month-saved">
            {c().month_keep_warm_usd > 0
              ? t("monthSavedWarm", { saved: formatUsd(c().month_saved_usd), warm: formatUsd(c().month_keep_warm_usd) })
              : t("monthSaved", { saved: formatUsd(c().month_saved_usd) })}
          </span>
        </Show>
      </p>
      <form class="stack tight" onSubmit={save} aria-label={`${t("limits")}: ${c().name}`}>
        <h3>{t("limits")}</h3>
        <div class="limits">
          <For each={limitFields}>
            {([field, label, step]) => (
              <div class="field">
                <label for={id(field)}>{t(label)}</label>
                <input
                  id={id(field)}
                  name={field}
                  type="number"
                  min={step}
                  step={step}
                  inputmode={step === "1" ? "numeric" : "decimal"}
                  value={c()[field] ?? ""}
                  placeholder={t("noLimit")}
                />
              </div>
            )}
          </For>
        </div>
        <button type="submit" class="secondary">
          {t("saveLimits")}
        </button>
      </form>
      <label class="switch" for={id("fit")}>
        <input
          id={id("fit")}
          type="checkbox"
          checked={c().fit_requests}
          onChange={async (e) => {
            const on = e.currentTarget.checked;
            await api.setLimits(c().id, { fit_requests: on }).catch((error: Error) => toast(error.message, true));
            await props.onChange();
          }}
        />
        <span class="small">{t("fitRequests")}</span>
      </label>
      <ClientCaching client={c()} onChange={props.onChange} />
      <button
        type="button"
        class="danger"
        onClick={async () => {
          if (!confirm(t("confirmRevoke", { name: c().name }))) return;
          try {
            await api.revokeClient(c().id);
            toast(t("revokedName", { name: c().name }));
          } catch (e) {
            toast((e as Error).message, true);
          }
          await props.onChange();
        }}
      >
        {t("revoke")}
      </button>
    </article>
  );
}

export function Clients() {
  const [clients, setClients] = createStore<ClientView[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const refresh = async () => {
    const list = (await api.clients()).clients.filter((c) => c.revoked_at === null);
    setClients(reconcile(list, { key: "id" }));
    setLoaded(true);
  };
  void refresh().catch((e: Error) => toast(e.message, true));
  const [name, setName] = createSignal("");
  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      const made = await api.createClient({ name: name().trim() });
      setName("");
      toast(t("created", { name: made.name }));
      await refresh();
    } catch (e) {
      toast((e as Error).message, true);
    }
  };
  return (
    <section class="stack" aria-labelledby="clients-title">
      <h2 id="clients-title">{t("clients")}</h2>
      <form class="card stack tight" onSubmit={create}>
        <label for="client-name">{t("newClient")}</label>
        <div class="row">
          <input
            id="client-name"
            required
            maxLength={64}
            placeholder={t("newClientHint")}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit">{t("create")}</button>
        </div>
      </form>
      <Show when={loaded()} fallback={<p>{t("loading")}</p>}>
        <For each={clients}>{(client) => <ClientCard client={client} onChange={refresh} />}</For>
      </Show>
    </section>
  );
}
