// Providers (issues 17, 19): every upstream (Anthropic-format, Bedrock, Vertex) in the order pocketgate tries them, each
// with its address, how its key is sent, its keys' states, its models, on/off, automatic caching,
// up/down to reorder and a test; adding one from a preset (addresses from each provider's own
// documentation) or by hand; and the model aliases.
import { A } from "@solidjs/router";
import ArrowDown from "lucide-solid/icons/arrow-down";
import ArrowUp from "lucide-solid/icons/arrow-up";
import { createResource, createSignal, For, Show } from "solid-js";
import type { ProvidersResponse, ProviderView } from "../../../server/admin/schemas.ts";
import { AddProvider } from "../components/AddProvider.tsx";
import { toast } from "../components/Toast.tsx";
import { api } from "../lib/api.ts";
import { hostOf, modelList } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";

/** A cloud provider's models without the dated ids that name the same ones. */
const undated = (models: readonly string[]) => models.filter((m) => !/-\d{8}$/.test(m));
const platformOf = (p: ProviderView) => (p.kind === "bedrock" ? t("kindBedrock") : t("kindVertex"));

/** The second line of a card: where it is and how it is reached. */
function whereOf(p: ProviderView): string[] {
  if (p.kind === "bedrock") return [t("kindBedrock"), p.region ?? ""];
  if (p.kind === "vertex") return [t("kindVertex"), p.project ?? "", p.region ?? ""];
  return [hostOf(p.base_url), p.auth === "bearer" ? t("authBearer") : t("authApiKey")];
}

function ProviderCard(props: {
  p: ProviderView;
  first: boolean;
  last: boolean;
  editable: boolean;
  onChange: (data: ProvidersResponse) => void;
  move: (step: -1 | 1) => void;
}) {
  const p = () => props.p;
  const [result, setResult] = createSignal<{ ok: boolean; text: string }>();
  const [editing, setEditing] = createSignal(false);
  const [models, setModels] = createSignal("");
  const [baseUrl, setBaseUrl] = createSignal("");
  const [auth, setAuth] = createSignal<"x-api-key" | "bearer">("x-api-key");
  const [region, setRegion] = createSignal("");
  const id = (part: string) => `provider-${p().name}-${part}`;

  const save = async (change: Parameters<typeof api.updateProvider>[1]) => {
    try {
      props.onChange(await api.updateProvider(p().name, change));
      return true;
    } catch (e) {
      toast((e as Error).message, true);
      return false;
    }
  };
  const test = async () => {
    setResult({ ok: true, text: t("testing") });
    try {
      const r = await api.testProvider(p().name);
      const ok = r.status >= 200 && r.status < 300;
      setResult({
        ok,
        text: ok ? t("providerTestOk", { n: r.models }) : t("testFailed", { status: r.status, message: r.message }),
      });
      props.onChange(await api.providers());
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message });
    }
  };
  const startEdit = () => {
    setModels((p().kind === "anthropic" ? p().models : undated(p().models)).join("\n"));
    setBaseUrl(p().base_url);
    setAuth(p().auth);
    setRegion(p().region ?? "");
    setEditing(true);
  };
  const submitEdit = async (event: SubmitEvent) => {
    event.preventDefault();
    const change = p().builtin
      ? { models: modelList(models()) }
      : p().kind !== "anthropic"
        ? // The models as shown (the table without its dated ids) are not written: the table stays in force.
          modelList(models()).join("\n") === undated(p().models).join("\n")
          ? { region: region().trim() }
          : { models: modelList(models()), region: region().trim() }
        : { models: modelList(models()), base_url: baseUrl(), auth: auth() };
    if (await save(change)) setEditing(false);
  };

  return (
    <article
      class="card stack tight stripe"
      data-tone={p().enabled ? (p().keys.active > 0 ? "ok" : "warn") : "off"}
      aria-label={p().name}
      data-testid="provider-card"
    >
      <div class="row between top">
        <span class="grow">
          <strong class="breakable">{p().name}</strong>
          <br />
          <span class="small muted breakable">
            {/* A cloud's region or project ("eu-central-1") is kept whole on a narrow phone; an address may break. */}
            <For each={whereOf(p())}>
              {(part, i) => (
                <>
                  {i() > 0 ? " · " : ""}
                  <span classList={{ nowrap: p().kind !== "anthropic" }}>{part}</span>
                </>
              )}
            </For>
          </span>
        </span>
        <Show when={props.editable}>
          <div class="row">
            <button
              type="button"
              class="ghost icon"
              disabled={props.first}
              aria-label={t("moveUp", { name: p().name })}
              onClick={() => props.move(-1)}
            >
              <ArrowUp size={20} aria-hidden="true" />
            </button>
            <button
              type="button"
              class="ghost icon"
              disabled={props.last}
              aria-label={t("moveDown", { name: p().name })}
              onClick={() => props.move(1)}
            >
              <ArrowDown size={20} aria-hidden="true" />
            </button>
          </div>
        </Show>
      </div>
      <A href="/keys" class="small tap-link">
        {t("providerKeys", { active: p().keys.active, total: p().keys.total })}
      </A>
      <p class="small muted breakable" data-testid="provider-models">
        <Show
          when={p().kind === "anthropic"}
          fallback={t("cloudModels", { models: undated(p().models).join(", "), platform: platformOf(p()) })}
        >
          {p().models.length > 0
            ? p().models.join(", ")
            : p().builtin
              ? t("providerModelsAnthropic")
              : t("providerModelsNone")}
          <Show when={p().reported_models.length > 0}>
            {" · "}
            {t("providerReported", { n: p().reported_models.length })}
          </Show>
        </Show>
      </p>
      <label class="switch" for={id("enabled")}>
        <input
          id={id("enabled")}
          type="checkbox"
          disabled={!props.editable}
          checked={p().enabled}
          onChange={(e) => void save({ enabled: e.currentTarget.checked })}
        />
        <span>{t("providerEnabled")}</span>
      </label>
      <Show when={p().kind === "anthropic"}>
        <label class="switch" for={id("cache")}>
          <input
            id={id("cache")}
            type="checkbox"
            disabled={!props.editable}
            checked={p().prompt_cache}
            onChange={(e) => void save({ prompt_cache: e.currentTarget.checked })}
          />
          <span>
            {t("providerCache")}
            <br />
            <span class="small muted">{t("providerCacheHelp")}</span>
          </span>
        </label>
      </Show>
      <Show when={editing()}>
        <form class="stack tight" onSubmit={(e) => void submitEdit(e)}>
          <Show when={p().kind !== "anthropic"}>
            <label for={id("region")}>{t("providerRegion")}</label>
            <input
              id={id("region")}
              required
              autocomplete="off"
              value={region()}
              onInput={(e) => setRegion(e.currentTarget.value)}
            />
          </Show>
          <Show when={!p().builtin && p().kind === "anthropic"}>
            <label for={id("url")}>{t("providerUrl")}</label>
            <input
              id={id("url")}
              type="url"
              required
              value={baseUrl()}
              onInput={(e) => setBaseUrl(e.currentTarget.value)}
            />
            <label for={id("auth")}>{t("providerAuth")}</label>
            <select id={id("auth")} onChange={(e) => setAuth(e.currentTarget.value as "x-api-key" | "bearer")}>
              <option value="x-api-key" selected={auth() === "x-api-key"}>
                {t("authApiKey")}
              </option>
              <option value="bearer" selected={auth() === "bearer"}>
                {t("authBearer")}
              </option>
            </select>
          </Show>
          <label for={id("models")}>{t("providerModels")}</label>
          <textarea
            id={id("models")}
            rows="3"
            class="mono"
            spellcheck={false}
            placeholder="deepseek-flash"
            value={models()}
            onInput={(e) => setModels(e.currentTarget.value)}
          />
          <p class="small muted">{t("providerModelsHelp")}</p>
          <div class="actions">
            <button type="submit">{t("save")}</button>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      </Show>
      <Show when={result()}>
        {(r) => (
          <p class={r().ok ? "result" : "result bad"} role="status" data-testid="provider-test-result">
            {r().text}
          </p>
        )}
      </Show>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void test()}>
          {t("test")}
        </button>
        <Show when={props.editable && !editing()}>
          <button type="button" class="secondary" onClick={startEdit}>
            {t("edit")}
          </button>
        </Show>
        <Show when={props.editable && !p().builtin}>
          <button
            type="button"
            class="danger"
            onClick={async () => {
              if (!confirm(t("confirmDeleteProvider", { name: p().name }))) return;
              try {
                props.onChange(await api.deleteProvider(p().name));
                toast(t("deleted", { name: p().name }));
              } catch (e) {
                toast((e as Error).message, true);
              }
            }}
          >
            {t("delete")}
          </button>
        </Show>
      </div>
    </article>
  );
}

function Aliases(props: { data: ProvidersResponse; onChange: (data: ProvidersResponse) => void }) {
  const [alias, setAlias] = createSignal("");
  const [target, setTarget] = createSignal("");
  const entries = () => Object.entries(props.data.aliases);
  const save = async (aliases: Record<string, string>) => {
    try {
      props.onChange(await api.setAliases(aliases));
      return true;
    } catch (e) {
      toast((e as Error).message, true);
      return false;
    }
  };
  return (
    <div class="card stack" data-testid="aliases">
      <h3>{t("modelAliases")}</h3>
      <p class="small muted">{t("modelAliasesHelp")}</p>
      <Show when={entries().length > 0} fallback={<p class="muted">{t("noAliases")}</p>}>
        <ul class="plain-list stack tight">
          <For each={entries()}>
            {([name, to]) => (
              <li class="row between">
                <span class="grow breakable">
                  <code>{name}</code> → <code>{to}</code>
                </span>
                <Show when={props.data.aliases_editable}>
                  <button
                    type="button"
                    class="ghost"
                    aria-label={t("removeAlias", { name })}
                    onClick={() => {
                      const { [name]: _, ...rest } = props.data.aliases;
                      void save(rest);
                    }}
                  >
                    {t("remove")}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.data.aliases_editable}>
        <form
          class="stack tight"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await save({ ...props.data.aliases, [alias().trim()]: target().trim() })) {
              setAlias("");
              setTarget("");
            }
          }}
        >
          <label for="alias-name">{t("aliasName")}</label>
          <input
            id="alias-name"
            required
            placeholder="fast"
            value={alias()}
            onInput={(e) => setAlias(e.currentTarget.value)}
          />
          <label for="alias-target">{t("aliasTarget")}</label>
          <input
            id="alias-target"
            required
            list="alias-targets"
            placeholder="anthropic/claude-haiku-4-5"
            value={target()}
            onInput={(e) => setTarget(e.currentTarget.value)}
          />
          <datalist id="alias-targets">
            <For each={props.data.providers.flatMap((p) => p.models.map((m) => `${p.name}/${m}`))}>
              {(value) => <option value={value} />}
            </For>
          </datalist>
          <button type="submit" class="secondary">
            {t("addAlias")}
          </button>
        </form>
      </Show>
    </div>
  );
}

export function Providers() {
  const [data, { mutate }] = createResource(() => api.providers());
  const move = async (index: number, step: -1 | 1) => {
    const names = (data()?.providers ?? []).map((p) => p.name);
    const other = index + step;
    if (other < 0 || other >= names.length) return;
    [names[index], names[other]] = [names[other] as string, names[index] as string];
    try {
      mutate(await api.orderProviders(names));
    } catch (e) {
      toast((e as Error).message, true);
    }
  };
  return (
    <section class="stack" aria-labelledby="providers-title">
      <h2 id="providers-title">{t("providers")}</h2>
      <p class="muted">{t("providersIntro")}</p>
      <Show when={data()} fallback={<p>{data.error ? (data.error as Error).message : t("loading")}</p>}>
        {(d) => (
          <>
            <Show when={!d().editable}>
              <p class="banner" role="note">
                {t("providersLocked")}
              </p>
            </Show>
            <ol class="plain-list stack" aria-label={t("providerOrder")}>
              <For each={d().providers}>
                {(p, index) => (
                  <li>
                    <ProviderCard
                      p={p}
                      first={index() === 0}
                      last={index() === d().providers.length - 1}
                      editable={d().editable}
                      onChange={mutate}
                      move={(step) => void move(index(), step)}
                    />
                  </li>
                )}
              </For>
            </ol>
            <Show when={d().editable}>
              <AddProvider data={d()} onChange={mutate} />
            </Show>
            <Aliases data={d()} onChange={mutate} />
          </>
        )}
      </Show>
    </section>
  );
}
