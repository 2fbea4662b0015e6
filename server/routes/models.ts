// GET /v1/models: the model catalog (upstream's list, re-read when older than 10 minutes, kept in
// the database, the built-in list before upstream ever answered), one body for both SDKs
// (contract §5). A passthrough client's own key may see other models: it is asked with that key.
// Claude Code's model discovery waits 3 s, so upstream gets 2.5 s.
import { parseModelsPage } from "../models/catalog.ts";
import { traitsFromInfo } from "../models/traits.ts";
import { type ModelEntry, modelsListBody, withThinkingVariants } from "../protocol/anthropic/models.ts";
import { providerModelEntries } from "../providers/model-list.ts";
import { providerNamed } from "../providers/registry.ts";
import { clientOf } from "./authorize.ts";
import type { RouteDeps } from "./deps.ts";
import type { RequestDraft } from "./request-log.ts";
import { requestTarget } from "./target.ts";

const CACHE_MS = 10 * 60 * 1000;
const UPSTREAM_BUDGET_MS = 2500;

export function modelsRoutes(deps: RouteDeps) {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function clientsOwn(request: Request): Promise<ModelEntry[] | undefined> {
    try {
      const { response } = await deps.callUpstream({
        method: "GET",
        path: "/v1/models",
        search: "?limit=1000",
        headers: new Headers({ "anthropic-version": request.headers.get("anthropic-version") ?? "2023-06-01" }),
        credential: { kind: "client" },
        signal: AbortSignal.any([request.signal, AbortSignal.timeout(UPSTREAM_BUDGET_MS)]),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return undefined;
      }
      const { infos } = parseModelsPage(await response.json());
      return infos.length ? infos.map((info) => ({ traits: traitsFromInfo(info, "upstream"), info })) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The list, and whether the caller uses the pool (a passthrough client's own key may see another list). */
  async function models(
    request: Request,
    draft: RequestDraft,
  ): Promise<{ list: readonly ModelEntry[]; pool: boolean }> {
    const pool = clientOf(request, deps, draft).kind === "pool";
    if (!pool) {
      const own = await clientsOwn(request);
      if (own) return { list: own, pool };
    } else {
      await Promise.race([deps.models.refreshIfOlder(CACHE_MS), sleep(UPSTREAM_BUDGET_MS)]);
    }
    return { list: deps.models.list(), pool };
  }

  /** Anthropic's list (when that provider is on), then the other providers' models and the aliases. */
  function merged(listed: readonly ModelEntry[]): readonly ModelEntry[] {
    const config = deps.config();
    if (config.providers.length === 0 && Object.keys(config.model_aliases).length === 0) return listed;
    const own = providerNamed(config, "anthropic")?.enabled === false ? [] : listed;
    const ids = new Set(own.map((m) => m.id ?? m.traits.id));
    return [...own, ...providerModelEntries(config, deps.providerModelIds, deps.models.traits, ids)];
  }

  const route =
    (thinkingVariants: boolean) =>
    async (request: Request, draft: RequestDraft): Promise<Response> => {
      const { list: listed, pool } = await models(request, draft);
      // Claude Code's profile keeps exactly Anthropic's list; chat clients see every provider's.
      const all = thinkingVariants && pool ? merged(listed) : listed;
      const shown = thinkingVariants ? withThinkingVariants(all) : all;
      const limit = Number(new URLSearchParams(requestTarget(request.url).search).get("limit") ?? Number.NaN);
      return Response.json(modelsListBody(shown, Number.isInteger(limit) ? limit : undefined));
    };
  return { withThinkingVariants: route(true), exact: route(false) };
}
