// What pocketgate knows about one model, derived from the Models API's ModelInfo (GET /v1/models:
// max_input_tokens, max_tokens and the capabilities tree) — the source of truth. Pure.
// https://platform.claude.com/docs/en/api/models/list

/** Effort levels in order, lowest first (output_config.effort). */
export const EFFORT_LADDER = ["low", "medium", "high", "xhigh", "max"] as const;
export type Effort = (typeof EFFORT_LADDER)[number];

export interface ModelTraits {
  readonly id: string;
  readonly displayName: string;
  /** RFC 3339 */
  readonly createdAt: string;
  /** Context window in tokens, when known. */
  readonly contextWindow: number | undefined;
  /** Largest max_tokens the model accepts. */
  readonly maxOutput: number;
  /** Whether max_tokens comes from the model's own record (false: a safe default for an unknown model). */
  readonly maxOutputKnown: boolean;
  /** thinking {type:"adaptive"} is accepted. */
  readonly adaptive: boolean;
  /** thinking {type:"enabled", budget_tokens} is accepted. */
  readonly budget: boolean;
  /** thinking {type:"disabled"} is accepted (false: thinking cannot be switched off this way). */
  readonly canDisable: boolean;
  /** thinking {type:"between_tools"} is accepted (thinking off, progress notes kept). */
  readonly betweenTools: boolean;
  /** The effort levels the model accepts, lowest first; empty when it takes no effort. */
  readonly effort: readonly Effort[];
  /** "none": temperature/top_p/top_k are refused; "exclusive": never temperature and top_p together. */
  readonly sampling: "none" | "exclusive";
  /** A trailing assistant message (prefill) is accepted. */
  readonly prefill: boolean;
  /** Thinking text comes back empty unless display: "summarized" is asked for. */
  readonly displayOmitted: boolean;
  readonly imageInput: boolean;
  /** Where these traits came from. */
  readonly source: "upstream" | "database" | "builtin" | "unknown";
}

/** The parts of a Models API ModelInfo that traits are read from (the rest is kept, not read). */
export interface ModelInfo {
  readonly id: string;
  readonly display_name?: string;
  readonly created_at?: string;
  readonly max_input_tokens?: number | null;
  readonly max_tokens?: number | null;
  readonly capabilities?: unknown;
}

/**
 * For a model nobody describes (a new id, a third-party endpoint): the contract's 8192 when the
 * client sends no max_tokens (gateway-contract §4), no sampling parameters (refused by every model
 * since Claude Opus 4.7: https://platform.claude.com/docs/en/about-claude/models/migration-guide),
 * adaptive thinking when asked for (the form every current model takes:
 * https://platform.claude.com/docs/en/build-with-claude/thinking-troubleshooting), no prefill.
 */
export const UNKNOWN_MAX_TOKENS = 8192;
export function unknownTraits(id: string): ModelTraits {
  return {
    id,
    displayName: id,
    createdAt: "1970-01-01T00:00:00Z",
    contextWindow: undefined,
    maxOutput: UNKNOWN_MAX_TOKENS,
    maxOutputKnown: false,
    adaptive: true,
    budget: false,
    canDisable: true,
    betweenTools: false,
    effort: ["low", "medium", "high"],
    sampling: "none",
    prefill: false,
    displayOmitted: true,
    imageInput: true,
    source: "unknown",
  };
}

const supported = (node: unknown, ...path: string[]): boolean | undefined => {
  let at: unknown = node;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  const value = (at as { supported?: unknown } | null | undefined)?.supported;
  return typeof value === "boolean" ? value : undefined;
};

const positive = (n: unknown): number | undefined =>
  typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;

/** Traits from one ModelInfo; `source` says where the record was read from. */
export function traitsFromInfo(info: ModelInfo, source: ModelTraits["source"]): ModelTraits {
  const caps = info.capabilities;
  const base = unknownTraits(info.id);
  const maxTokens = positive(info.max_tokens);
  const common = {
    id: info.id,
    displayName: typeof info.display_name === "string" && info.display_name ? info.display_name : info.id,
    createdAt: typeof info.created_at === "string" ? info.created_at : base.createdAt,
    contextWindow: positive(info.max_input_tokens),
    maxOutput: maxTokens ?? base.maxOutput,
    maxOutputKnown: maxTokens !== undefined,
    source,
  };
  // A record without a capabilities tree (an Anthropic-compatible endpoint): limits only.
  if (typeof caps !== "object" || caps === null) return { ...base, ...common };

  const thinks = supported(caps, "thinking") === true;
  const adaptive = thinks && supported(caps, "thinking", "types", "adaptive") === true;
  const budget = thinks && supported(caps, "thinking", "types", "enabled") === true;
  // "True on a model that does not support thinking" (ThinkingTypes.disabled in the API reference).
  const canDisable = supported(caps, "thinking", "types", "disabled") ?? true;
  const betweenTools = supported(caps, "thinking", "types", "between_tools") === true;
  const effort =
    supported(caps, "effort") === true
      ? EFFORT_LADDER.filter((level) => supported(caps, "effort", level) === true)
      : [];
  // Models that take only adaptive thinking are the ones that refuse sampling parameters and
  // omit thinking text by default (Opus 4.7 and later, Sonnet 5, Haiku 5.5, Fable):
  // https://platform.claude.com/docs/en/about-claude/models/migration-guide ("Sampling parameters
  // removed", "thinking display defaults to omitted"). The tree has no sampling key of its own.
  const adaptiveOnly = adaptive && !budget;
  return {
    ...common,
    adaptive,
    budget,
    canDisable,
    betweenTools,
    effort,
    sampling: adaptiveOnly ? "none" : "exclusive",
    // Prefill was removed with the 4.6 generation, the first with adaptive thinking ("Prefilling
    // assistant messages is no longer supported"): same migration guide, Claude 4.6 section.
    prefill: !adaptive,
    displayOmitted: adaptiveOnly,
    imageInput: supported(caps, "image_input") ?? true,
  };
}
