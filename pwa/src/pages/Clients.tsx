import { createResource, createSignal, For, Show } from "solid-js";
import type { ClientView } from "../../../server/admin/schemas.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { api } from "../lib/api.ts";
import { formatInt, formatUsd } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";

const limit = (value: string) => (value.trim() === "" ? null : Number(value));

type LimitField = "rpm" | "monthly_tokens" | "monthly_usd";
/** Each limit: its field, its label, and the smallest step the input takes. */
const limitFields: [LimitField, "rpm" | "monthlyTokens" | "monthlyUsd", string][] = [
  ["rpm", "rpm", "1"],
  ["monthly_tokens", "monthlyTokens", "1"],
  ["monthly_usd", "monthlyUsd", "0.01"],
];

function ClientCard(props: { client: ClientView; onChange: () => void; onError: (m: string) => void }) {
  const c = () => props.client;
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      const form = new FormData(event.currentTarget as HTMLFormElement);
      const value = (field: LimitField) => limit(String(form.get(field) ?? ""));
      await api.setLimits(c().id, {
        rpm: value("rpm"),
        monthly_tokens: value("monthly_tokens"),
        monthly_usd: value("monthly_usd"),
      });
      props.onChange();
    } catch (e) {
      props.onError((e as Error).message);
    }
  };
  const id = (name: string) => `${name}-${c().id}`;
  return (
    <article class="card stack" aria-label={c().name} data-testid="client">
      <div class="row between">
        <strong>{c().name}</strong>
        <span class="muted small">
          {t("thisMonth")}: {formatInt(c().month_tokens)} · {formatUsd(c().month_usd)}
        </span>
      </div>
      <div class="row">
        <code class="secret" data-testid="client-key">
          {c().key}
        </code>
        <CopyButton text={c().key} label={c().name} />
      </div>
      <label class="row fit-toggle" for={id("fit")}>
        <input
          id={id("fit")}
          type="checkbox"
          checked={c().fit_requests}
          onChange={async (e) => {
            const on = e.currentTarget.checked;
            await api.setLimits(c().id, { fit_requests: on }).catch((error: Error) => props.onError(error.message));
            props.onChange();
          }}
        />
        <span>{t("fitRequests")}</span>
      </label>
      <form class="grid3" onSubmit={save}>
        <For each={limitFields}>{([field, label]) => <label for={id(field)}>{t(label)}</label>}</For>
        <For each={limitFields}>
          {([field, , step]) => (
            <input
              id={id(field)}
              name={field}
              type="number"
              min={step}
              step={step}
              inputmode={step === "1" ? "numeric" : "decimal"}
              value={c()[field] ?? ""}
              placeholder={t("none")}
            />
          )}
        </For>
        <button type="submit" class="secondary">
          {t("saveLimits")}
        </button>
        <button
          type="button"
          class="danger"
          onClick={async () => {
            if (!confirm(t("confirmRevoke", { name: c().name }))) return;
            await api.revokeClient(c().id).catch((e: Error) => props.onError(e.message));
            props.onChange();
          }}
        >
          {t("revoke")}
        </button>
      </form>
    </article>
  );
}

export function Clients() {
  const [list, { refetch }] = createResource(() => api.clients());
  const [name, setName] = createSignal("");
  const [error, setError] = createSignal("");
  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    try {
      await api.createClient({ name: name().trim() });
      setName("");
      await refetch();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="stack" aria-labelledby="clients-title">
      <h2 id="clients-title">{t("clients")}</h2>
      <form class="card row" onSubmit={create}>
        <label for="client-name" class="sr-only">
          {t("name")}
        </label>
        <input
          id="client-name"
          required
          maxLength={64}
          placeholder={t("newClient")}
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit">{t("create")}</button>
      </form>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <For each={(list()?.clients ?? []).filter((c) => c.revoked_at === null)}>
        {(client) => <ClientCard client={client} onChange={() => void refetch()} onError={setError} />}
      </For>
    </section>
  );
}
