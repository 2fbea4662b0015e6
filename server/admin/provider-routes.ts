// The Providers page's API (issue 17): every provider with its keys' states, the presets, the
// model aliases; add, change, remove, reorder and test a provider. Providers live in the config
// file (`[[providers]]`), written through the live config like any setting (validated, atomic,
// applied at once); keys added here live in the database, as on the Credentials page.
import { Elysia } from "elysia";
import type { LiveConfig } from "../config/live.ts";
import { badRequest, GatewayError } from "../errors.ts";
import { ANTHROPIC, DEFAULT_ANTHROPIC, type ProviderDef, providerToFile } from "../providers/config.ts";
import { PRESETS } from "../providers/presets.ts";
import { type Provider, providersOf } from "../providers/registry.ts";
import type { UpstreamKeyStore } from "../store/upstream-keys.ts";
import type { Pool, PoolKey } from "../upstream/pool.ts";
import { changeable, requireChangeable, updateConfig } from "./config-writes.ts";
import { guarded, json, sessionGuard } from "./http.ts";
import { namedRejections, readPastedKeys } from "./pasted-keys.ts";
import {
  ProviderAliasesBody,
  ProviderChange,
  ProviderCreate,
  ProviderOrderBody,
  type ProvidersResponse,
  type ProviderTestResponse,
} from "./schemas.ts";
import type { Sessions } from "./sessions.ts";

export interface ProviderDeps {
  readonly sessions: Sessions;
  readonly live: LiveConfig;
  readonly pool: Pool;
  readonly upstreamKeys: UpstreamKeyStore;
  /** The ids a provider's own /v1/models gave, and saving a fresh list. */
  readonly reportedModels: (provider: string) => ReadonlySet<string>;
  readonly saveReportedModels: (provider: string, ids: readonly string[]) => void;
  readonly listModels: (provider: Provider) => Promise<{ ids?: string[]; status: number; message: string }>;
  readonly readModels: (provider: Provider) => void;
  /** A real, tiny request with one key (a cloud provider's model list is its table, which proves nothing). */
  readonly probe: (key: PoolKey) => Promise<{ status: number; message: string }>;
}

/** A header value is shown by its start only: it may be a credential of its own. */
const maskValue = (value: string) => (value.length <= 8 ? "••••" : `${value.slice(0, 4)}…`);

export function providerRoutes(deps: ProviderDeps) {
  const requireSession = sessionGuard(deps.sessions);

  const views = () => {
    const config = deps.live.current();
    const keys = deps.pool.snapshot();
    return providersOf(config).map((p) => {
      const own = keys.filter((k) => k.provider === p.name);
      return {
        name: p.name,
        kind: p.kind,
        base_url: p.baseUrl,
        ...(p.region === undefined ? {} : { region: p.region }),
        ...(p.project === undefined ? {} : { project: p.project }),
        model_ids: { ...p.modelIds },
        auth: p.auth,
        headers: Object.fromEntries(Object.entries(p.headers).map(([name, value]) => [name, maskValue(value)])),
        models: [...p.models],
        reported_models: [...deps.reportedModels(p.name)].slice(0, 200),
        priority: p.priority,
        enabled: p.enabled,
        prompt_cache: p.promptCache,
        prices: p.prices,
        builtin: p.name === ANTHROPIC,
        keys: { total: own.length, active: own.filter((k) => k.state === "active").length },
      };
    });
  };
  const body = () =>
    json({
      providers: views(),
      aliases: deps.live.current().model_aliases,
      presets: PRESETS.map((p) => ({ ...p, models: [...p.models] })),
      editable: changeable(deps.live, "providers"),
      aliases_editable: changeable(deps.live, "model_aliases"),
    } satisfies ProvidersResponse);

  /** Writes the providers through the live config: validated whole, written atomically, applied. */
  async function save(change: (defs: ProviderDef[]) => ProviderDef[]) {
    requireChangeable(deps.live, "providers");
    const next = change([...deps.live.current().providers]);
    await updateConfig(deps.live, { providers: next.map(providerToFile) });
  }

  /** The entry for `name`, made for anthropic (which may have none in the file). */
  function entryOf(defs: ProviderDef[], name: string): ProviderDef {
    const found = defs.find((d) => d.name === name);
    if (found) return found;
    if (name === ANTHROPIC) {
      const priority = providersOf(deps.live.current()).find((p) => p.name === ANTHROPIC)?.priority ?? 100;
      return { ...DEFAULT_ANTHROPIC, priority };
    }
    throw new GatewayError(404, "not_found_error", `no provider named "${name}"`);
  }
  const replace = (defs: ProviderDef[], next: ProviderDef) => [...defs.filter((d) => d.name !== next.name), next];

  return new Elysia({ prefix: "/api" })
    .get(
      "/providers",
      guarded(({ request }: { request: Request }) => {
        requireSession(request);
        return body();
      }),
    )
    .post(
      "/providers",
      guarded(async ({ request, body: input }: { request: Request; body: ProviderCreate }) => {
        requireSession(request);
        const current = providersOf(deps.live.current());
        if (current.some((p) => p.name === input.name)) {
          throw new GatewayError(409, "invalid_request_error", `a provider named "${input.name}" already exists`);
        }
        const priority = Math.min(1000, Math.max(0, ...current.map((p) => p.priority)) + 10);
        const { keys, ...fields } = input;
        // Checked as on the Keys page, before anything is written.
        const { secrets, rejected } = readPastedKeys(keys ?? "", input.kind);
        if (rejected.length > 0) throw badRequest(`provider not added: ${namedRejections(rejected)}`);
        await save((defs) => [
          ...defs,
          {
            ...DEFAULT_ANTHROPIC,
            prompt_cache: false,
            model_ids: {},
            ...fields,
            headers: fields.headers ?? {},
            models: fields.models ?? [],
            prices: fields.prices ?? {},
            priority,
          } as ProviderDef,
        ]);
        if (secrets.length > 0) {
          deps.upstreamKeys.add(secrets, undefined, input.name);
          // Its own model list, read in the background, as at start.
          const added = providersOf(deps.live.current()).find((p) => p.name === input.name);
          if (added?.enabled) deps.readModels(added);
        }
        return body();
      }),
      { body: ProviderCreate },
    )
    .patch(
      "/providers/:name",
      guarded(
        async ({
          request,
          body: change,
          params,
        }: {
          request: Request;
          body: ProviderChange;
          params: { name: string };
        }) => {
          requireSession(request);
          if (params.name === ANTHROPIC && change.base_url !== undefined) {
            throw badRequest("anthropic's address is upstream_base_url: change it on the Settings page");
          }
          await save((defs) => replace(defs, { ...entryOf(defs, params.name), ...change } as ProviderDef));
          return body();
        },
      ),
      { body: ProviderChange },
    )
    .delete(
      "/providers/:name",
      guarded(async ({ request, params }: { request: Request; params: { name: string } }) => {
        requireSession(request);
        if (params.name === ANTHROPIC) throw badRequest("anthropic cannot be removed; turn it off instead");
        await save((defs) => {
          entryOf(defs, params.name);
          return defs.filter((d) => d.name !== params.name);
        });
        return body();
      }),
      { parse: "none" },
    )
    .put(
      "/providers/order",
      guarded(async ({ request, body: order }: { request: Request; body: ProviderOrderBody }) => {
        requireSession(request);
        const names = providersOf(deps.live.current()).map((p) => p.name);
        if (order.names.length !== names.length || !names.every((n) => order.names.includes(n))) {
          throw badRequest(`name every provider once, in the order to try them: ${names.join(", ")}`);
        }
        await save((defs) =>
          order.names.reduce(
            (acc, name, index) => replace(acc, { ...entryOf(acc, name), priority: (index + 1) * 10 }),
            defs,
          ),
        );
        return body();
      }),
      { body: ProviderOrderBody },
    )
    .put(
      "/providers/aliases",
      guarded(async ({ request, body: input }: { request: Request; body: ProviderAliasesBody }) => {
        requireSession(request);
        requireChangeable(deps.live, "model_aliases");
        const names = new Set(providersOf(deps.live.current()).map((p) => p.name));
        for (const [alias, target] of Object.entries(input.aliases)) {
          const provider = target.split("/")[0] ?? "";
          if (!names.has(provider)) throw badRequest(`alias "${alias}": no provider named "${provider}"`);
        }
        await updateConfig(deps.live, { model_aliases: input.aliases });
        return body();
      }),
      { body: ProviderAliasesBody },
    )
    .post(
      "/providers/:name/test",
      guarded(async ({ request, params }: { request: Request; params: { name: string } }) => {
        requireSession(request);
        const provider = providersOf(deps.live.current()).find((p) => p.name === params.name);
        if (!provider) throw new GatewayError(404, "not_found_error", `no provider named "${params.name}"`);
        const result = await deps.listModels(provider);
        if (result.ids && provider.name !== ANTHROPIC) deps.saveReportedModels(provider.name, result.ids);
        let { status, message } = result;
        if (provider.kind !== "anthropic") {
          // Bedrock and Vertex: the credential is what a test must prove (signature, token, access).
          // A usable key first; else a refused one, tested again (the way to see a fixed one work).
          const own = deps.pool.snapshot().filter((k) => k.provider === provider.name && k.enabled);
          const chosen = own.find((k) => k.state === "active") ?? own[0];
          const key = chosen && deps.upstreamKeys.find(chosen.id);
          ({ status, message } = key
            ? await deps.probe(key)
            : { status: 503, message: "no key to test: add one on the Keys page" });
        }
        return json({ status, message, models: result.ids?.length ?? 0 } satisfies ProviderTestResponse);
      }),
      { parse: "none" },
    );
}
