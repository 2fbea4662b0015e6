// The Providers page's "Add a provider" form: an Anthropic-format endpoint (from a preset or by
// hand), Amazon Bedrock (a region, its inference profile, AWS credentials) or Google Vertex AI
// (a region, a project, a service account key), with what each cloud credential needs (issue 19).
import { For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import type { ProviderCreate, ProvidersResponse } from "../../../server/admin/schemas.ts";
import { api } from "../lib/api.ts";
import { hostOf, modelList } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { live } from "../stores/live.ts";
import { toast } from "./Toast.tsx";

type Kind = "anthropic" | "bedrock" | "vertex";
const PROFILES = ["us", "eu", "apac", "jp", "au", "global", "none"] as const;

const empty = {
  kind: "anthropic" as Kind,
  preset: "",
  name: "",
  base_url: "",
  auth: "x-api-key" as "x-api-key" | "bearer",
  region: "",
  project: "",
  profile: "",
  models: "",
  keys: "",
};

export function AddProvider(props: { data: ProvidersResponse; onChange: (data: ProvidersResponse) => void }) {
  const [form, setForm] = createStore({ ...empty });
  const choose = (presetId: string) => {
    const preset = props.data.presets.find((p) => p.id === presetId);
    setForm({
      preset: presetId,
      name: preset?.id ?? "",
      base_url: preset?.base_url ?? "",
      auth: preset?.auth ?? "x-api-key",
      models: preset?.models.join("\n") ?? "",
    });
  };
  const setKind = (kind: Kind) => setForm({ ...empty, kind, name: kind === "anthropic" ? "" : kind });
  const docs = () => props.data.presets.find((p) => p.id === form.preset)?.docs;
  const body = (): ProviderCreate => {
    const common = {
      name: form.name.trim(),
      ...(modelList(form.models).length > 0 ? { models: modelList(form.models) } : {}),
      ...(form.keys.trim() ? { keys: form.keys } : {}),
    };
    if (form.kind === "bedrock") {
      const profile = PROFILES.find((p) => p === form.profile);
      return {
        ...common,
        kind: "bedrock",
        region: form.region.trim(),
        ...(profile ? { inference_profile: profile } : {}),
      };
    }
    if (form.kind === "vertex")
      return { ...common, kind: "vertex", region: form.region.trim(), project: form.project.trim() };
    return { ...common, base_url: form.base_url.trim(), auth: form.auth, models: modelList(form.models) };
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      props.onChange(await api.addProvider(body()));
      toast(t("providerAdded", { name: form.name }));
      setForm({ ...empty });
      void live.refresh();
    } catch (e) {
      toast((e as Error).message, true);
    }
  };
  return (
    <form class="card stack" onSubmit={(e) => void submit(e)} data-testid="add-provider">
      <h3>{t("addProvider")}</h3>
      <label for="provider-kind">{t("providerKind")}</label>
      <select id="provider-kind" onChange={(e) => setKind(e.currentTarget.value as Kind)}>
        <option value="anthropic" selected={form.kind === "anthropic"}>
          {t("kindAnthropic")}
        </option>
        <option value="bedrock" selected={form.kind === "bedrock"}>
          {t("kindBedrock")}
        </option>
        <option value="vertex" selected={form.kind === "vertex"}>
          {t("kindVertex")}
        </option>
      </select>
      <Show when={form.kind === "anthropic"}>
        <label for="provider-preset">{t("providerPreset")}</label>
        <select id="provider-preset" onChange={(e) => choose(e.currentTarget.value)}>
          <option value="" selected={form.preset === ""}>
            {t("providerCustom")}
          </option>
          <For each={props.data.presets}>
            {(preset) => (
              <option value={preset.id} selected={form.preset === preset.id}>
                {preset.label}
              </option>
            )}
          </For>
        </select>
        <Show when={docs()}>
          {(url) => (
            <p class="small muted breakable">
              {t("providerDocs")}{" "}
              <a href={url()} target="_blank" rel="noreferrer noopener">
                {hostOf(url())}
              </a>
            </p>
          )}
        </Show>
      </Show>
      <label for="provider-name">{t("providerName")}</label>
      <input
        id="provider-name"
        required
        pattern="[a-z0-9][a-z0-9_\-]{0,31}"
        autocomplete="off"
        placeholder="deepseek"
        value={form.name}
        onInput={(e) => setForm("name", e.currentTarget.value)}
      />
      <Show when={form.kind === "anthropic"}>
        <label for="provider-url">{t("providerUrl")}</label>
        <input
          id="provider-url"
          type="url"
          required
          placeholder="https://…/anthropic"
          value={form.base_url}
          onInput={(e) => setForm("base_url", e.currentTarget.value)}
        />
        <label for="provider-auth">{t("providerAuth")}</label>
        <select id="provider-auth" onChange={(e) => setForm("auth", e.currentTarget.value as "x-api-key" | "bearer")}>
          <option value="x-api-key" selected={form.auth === "x-api-key"}>
            {t("authApiKey")}
          </option>
          <option value="bearer" selected={form.auth === "bearer"}>
            {t("authBearer")}
          </option>
        </select>
      </Show>
      <Show when={form.kind !== "anthropic"}>
        <label for="provider-region">{t("providerRegion")}</label>
        <input
          id="provider-region"
          required
          autocomplete="off"
          placeholder={form.kind === "bedrock" ? "us-east-1" : "global"}
          value={form.region}
          onInput={(e) => setForm("region", e.currentTarget.value)}
        />
      </Show>
      <Show when={form.kind === "bedrock"}>
        <label for="provider-profile">{t("inferenceProfile")}</label>
        <select id="provider-profile" onChange={(e) => setForm("profile", e.currentTarget.value)}>
          <option value="" selected={form.profile === ""}>
            {t("inferenceProfileAuto")}
          </option>
          <For each={PROFILES}>
            {(profile) => (
              <option value={profile} selected={form.profile === profile}>
                {profile === "none" ? t("inferenceProfileNone") : profile}
              </option>
            )}
          </For>
        </select>
      </Show>
      <Show when={form.kind === "vertex"}>
        <label for="provider-project">{t("providerProject")}</label>
        <input
          id="provider-project"
          required
          autocomplete="off"
          pattern="[a-z][a-z0-9\-]{4,28}[a-z0-9]"
          placeholder="my-project-123"
          value={form.project}
          onInput={(e) => setForm("project", e.currentTarget.value)}
        />
      </Show>
      <label for="provider-models">{t("providerModels")}</label>
      <textarea
        id="provider-models"
        rows="2"
        class="mono"
        spellcheck={false}
        value={form.models}
        onInput={(e) => setForm("models", e.currentTarget.value)}
      />
      <label for="provider-keys">
        {form.kind === "bedrock" ? t("bedrockKeys") : form.kind === "vertex" ? t("vertexKeys") : t("providerKeysPaste")}
      </label>
      <textarea
        id="provider-keys"
        rows={form.kind === "vertex" ? 5 : 2}
        class="mono"
        autocomplete="off"
        spellcheck={false}
        value={form.keys}
        onInput={(e) => setForm("keys", e.currentTarget.value)}
      />
      <Show when={form.kind !== "anthropic"}>
        <p class="small muted">{form.kind === "bedrock" ? t("bedrockHelp") : t("vertexHelp")}</p>
      </Show>
      <button type="submit">{t("add")}</button>
    </form>
  );
}
