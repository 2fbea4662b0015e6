// The models list in one body both SDK families accept (contract §5), with each model's limits
// where known: Anthropic's own field names (max_input_tokens, max_tokens, capabilities, as
// GET /v1/models has them) and the context_length most OpenAI-compatible clients read.
import type { ModelInfo, ModelTraits } from "../../models/traits.ts";
import { THINKING_SUFFIX } from "../translate/request.ts";

export interface ModelEntry {
  readonly traits: ModelTraits;
  /** The upstream record, when there is one (its capabilities pass through). */
  readonly info?: ModelInfo;
  /** Set on `-thinking` twins. */
  readonly id?: string;
  readonly displayName?: string;
  /** Who serves it: the provider's name (issue 17); "anthropic" when not given. */
  readonly ownedBy?: string;
}

/** After each model that can think, its `-thinking` twin (for clients that cannot ask for thinking). */
export function withThinkingVariants(models: readonly ModelEntry[]): ModelEntry[] {
  return models.flatMap((m) => {
    const canThink = m.traits.adaptive || m.traits.budget;
    if (!canThink || m.traits.id.endsWith(THINKING_SUFFIX)) return [m];
    return [m, { ...m, id: `${m.traits.id}${THINKING_SUFFIX}`, displayName: `${m.traits.displayName} (thinking)` }];
  });
}

const tokens = (n: number) =>
  n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : `${Math.round(n / 1000)}K`;

/** "1M context · 128K output", for pickers that show a description (Claude Code's reads one). */
export function describeLimits(traits: ModelTraits): string | undefined {
  const parts: string[] = [];
  if (traits.contextWindow) parts.push(`${tokens(traits.contextWindow)} context`);
  if (traits.maxOutputKnown) parts.push(`${tokens(traits.maxOutput)} output`);
  return parts.length ? parts.join(" · ") : undefined;
}

export function modelsListBody(models: readonly ModelEntry[], limit?: number) {
  const shown = limit !== undefined && limit > 0 ? models.slice(0, limit) : models;
  const data = shown.map((m) => {
    const { traits } = m;
    const ms = Date.parse(traits.createdAt);
    return {
      id: m.id ?? traits.id,
      object: "model",
      type: "model",
      display_name: m.displayName ?? traits.displayName,
      created: Number.isNaN(ms) ? 0 : Math.floor(ms / 1000),
      created_at: traits.createdAt,
      owned_by: m.ownedBy ?? "anthropic",
      ...(traits.contextWindow ? { max_input_tokens: traits.contextWindow, context_length: traits.contextWindow } : {}),
      ...(traits.maxOutputKnown ? { max_tokens: traits.maxOutput, max_completion_tokens: traits.maxOutput } : {}),
      ...(describeLimits(traits) ? { description: describeLimits(traits) } : {}),
      ...(m.info?.capabilities ? { capabilities: m.info.capabilities } : {}),
    };
  });
  return {
    object: "list",
    data,
    has_more: false,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  };
}
