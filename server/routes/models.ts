// GET /v1/models: upstream's list, cached 10 minutes, the built-in list when upstream cannot
// answer in time (Claude Code's model discovery waits 3 s), one body for both SDKs (contract §5).

import {
  builtinModels,
  type ModelEntry,
  modelsListBody,
  parseUpstreamModels,
  withThinkingVariants,
} from "../protocol/anthropic/models.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import { clientOf } from "./authorize.ts";
import type { RouteDeps } from "./deps.ts";
import { requestTarget } from "./target.ts";

const CACHE_MS = 10 * 60 * 1000;
const UPSTREAM_BUDGET_MS = 2500;

/** Two views of one cached list: with `-thinking` variants (chat clients) and exact (Claude Code). */
export function modelsRoutes(deps: RouteDeps) {
  let cache: { models: ModelEntry[]; at: number } | undefined;

  async function fetchModels(request: Request, credential: ClientCredential) {
    if (cache && deps.now() - cache.at < CACHE_MS) return cache.models;
    try {
      const { response } = await deps.callUpstream({
        method: "GET",
        path: "/v1/models",
        search: "?limit=1000",
        headers: new Headers({ "anthropic-version": request.headers.get("anthropic-version") ?? "2023-06-01" }),
        credential,
        signal: AbortSignal.any([request.signal, AbortSignal.timeout(UPSTREAM_BUDGET_MS)]),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return builtinModels;
      }
      const models = parseUpstreamModels(await response.json());
      if (!models || models.length === 0) return builtinModels;
      // Only a passthrough-free (pool) answer is shared: a client's own key may see other models.
      if (credential.kind === "pool") cache = { models, at: deps.now() };
      return models;
    } catch {
      return builtinModels;
    }
  }

  const route =
    (thinkingVariants: boolean) =>
    async (request: Request): Promise<Response> => {
      const credential = clientOf(request, deps);
      const fetched = await fetchModels(request, credential);
      const models = thinkingVariants ? withThinkingVariants(fetched) : fetched;
      const limit = Number(new URLSearchParams(requestTarget(request.url).search).get("limit") ?? Number.NaN);
      return Response.json(modelsListBody(models, Number.isInteger(limit) ? limit : undefined));
    };
  return { withThinkingVariants: route(true), exact: route(false) };
}
