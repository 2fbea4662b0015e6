// The models list in one body both SDK families accept (contract §5), and the built-in list
// used when upstream cannot be asked.
import { modelTraits, THINKING_SUFFIX } from "../model-table.ts";

export interface ModelEntry {
  readonly id: string;
  readonly display_name: string;
  /** RFC 3339 */
  readonly created_at: string;
}

/** Served when upstream is unreachable or no key is configured. */
export const builtinModels: readonly ModelEntry[] = [
  { id: "claude-opus-4-6", display_name: "Claude Opus 4.6", created_at: "2026-02-05T00:00:00Z" },
  { id: "claude-sonnet-4-6", display_name: "Claude Sonnet 4.6", created_at: "2026-02-17T00:00:00Z" },
  { id: "claude-opus-4-5-20251101", display_name: "Claude Opus 4.5", created_at: "2025-11-24T00:00:00Z" },
  { id: "claude-haiku-4-5-20251001", display_name: "Claude Haiku 4.5", created_at: "2025-10-15T00:00:00Z" },
  { id: "claude-sonnet-4-5-20250929", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" },
  { id: "claude-opus-4-1-20250805", display_name: "Claude Opus 4.1", created_at: "2025-08-05T00:00:00Z" },
  { id: "claude-sonnet-4-20250514", display_name: "Claude Sonnet 4", created_at: "2025-05-22T00:00:00Z" },
];

/** Reads upstream's `GET /v1/models` body; entries without a string id are skipped. */
export function parseUpstreamModels(body: unknown): ModelEntry[] | undefined {
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data)) return undefined;
  const out: ModelEntry[] = [];
  for (const item of data) {
    const { id, display_name, created_at } = (item ?? {}) as Record<string, unknown>;
    if (typeof id !== "string") continue;
    out.push({
      id,
      display_name: typeof display_name === "string" ? display_name : id,
      created_at: typeof created_at === "string" ? created_at : "1970-01-01T00:00:00Z",
    });
  }
  return out;
}

/** After each model that can think, its `-thinking` twin (for clients that cannot ask for thinking). */
export function withThinkingVariants(models: readonly ModelEntry[]): ModelEntry[] {
  return models.flatMap((m) =>
    modelTraits(m.id).thinking === "none" || m.id.endsWith(THINKING_SUFFIX)
      ? [m]
      : [
          m,
          { id: `${m.id}${THINKING_SUFFIX}`, display_name: `${m.display_name} (thinking)`, created_at: m.created_at },
        ],
  );
}

export function modelsListBody(models: readonly ModelEntry[], limit?: number) {
  const shown = limit !== undefined && limit > 0 ? models.slice(0, limit) : models;
  const data = shown.map((m) => {
    const ms = Date.parse(m.created_at);
    return {
      id: m.id,
      object: "model",
      type: "model",
      display_name: m.display_name,
      created: Number.isNaN(ms) ? 0 : Math.floor(ms / 1000),
      created_at: m.created_at,
      owned_by: "anthropic",
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
