// The offline fallback: today's models as the Models API describes them, for when upstream has
// never been asked (no key yet, no network at first start). Figures from the model pages and the
// comparison tables of https://platform.claude.com/docs/en/about-claude/models/overview and
// https://platform.claude.com/docs/en/build-with-claude/thinking-troubleshooting (checked 2026-12-02).
// Once GET /v1/models has answered, its records replace these (models/catalog.ts).
import type { Effort, ModelInfo } from "./traits.ts";

type Thinking = {
  adaptive: boolean;
  enabled: boolean;
  disabled: boolean;
  between_tools?: boolean;
};

const yes = { supported: true } as const;
const no = { supported: false } as const;
const flag = (value: boolean) => (value ? yes : no);

/** A capabilities tree in the API's shape (ModelCapabilities), from the few facts that differ. */
function capabilities(thinking: Thinking | undefined, effort: readonly Effort[]) {
  const level = (name: Effort) => flag(effort.includes(name));
  return {
    batch: yes,
    citations: yes,
    code_execution: yes,
    context_management: {
      supported: true,
      clear_thinking_20251015: yes,
      clear_tool_uses_20250919: yes,
      compact_20260112: yes,
    },
    effort: {
      supported: effort.length > 0,
      low: level("low"),
      medium: level("medium"),
      high: level("high"),
      xhigh: level("xhigh"),
      max: level("max"),
    },
    image_input: yes,
    pdf_input: yes,
    server_tools: { supported: true, code_execution: yes, web_search: yes },
    structured_outputs: yes,
    thinking: {
      supported: thinking !== undefined,
      types: {
        adaptive: flag(thinking?.adaptive ?? false),
        enabled: flag(thinking?.enabled ?? false),
        disabled: flag(thinking?.disabled ?? true),
        between_tools: flag(thinking?.between_tools ?? false),
      },
    },
  };
}

const M = 1_000_000;
const K = 1000;
const ALL: readonly Effort[] = ["low", "medium", "high", "xhigh", "max"];
const NO_XHIGH: readonly Effort[] = ["low", "medium", "high", "max"];
/** Adaptive only, thinking always on: "disabled" is refused (Fable 5.x, Opus 5.5). */
const ALWAYS_ON: Thinking = { adaptive: true, enabled: false, disabled: false };
/** Adaptive only; thinking can be switched off (Opus 4.7 to 5, Sonnet 5, Haiku 5.5). */
const ADAPTIVE: Thinking = { adaptive: true, enabled: false, disabled: true };
/** Sonnet 5.5 takes "between_tools" instead of "disabled". */
const BETWEEN_TOOLS: Thinking = { adaptive: true, enabled: false, disabled: false, between_tools: true };
/** The 4.6 models: adaptive, and budget thinking still accepted (deprecated). */
const BOTH: Thinking = { adaptive: true, enabled: true, disabled: true };
/** 4.5 and earlier: extended thinking with budget_tokens only. */
const BUDGET: Thinking = { adaptive: false, enabled: true, disabled: true };

const model = (
  id: string,
  display_name: string,
  created_at: string,
  max_input_tokens: number,
  max_tokens: number,
  thinking: Thinking | undefined,
  effort: readonly Effort[] = [],
): ModelInfo => ({
  id,
  display_name,
  created_at,
  max_input_tokens,
  max_tokens,
  capabilities: capabilities(thinking, effort),
});

/** Newest first, as the Models API lists them. */
export const builtinModels: readonly ModelInfo[] = [
  model("claude-fable-5-2", "Claude Fable 5.2", "2026-11-18T00:00:00Z", M, 128 * K, ALWAYS_ON, ALL),
  model("claude-haiku-5-5", "Claude Haiku 5.5", "2026-10-07T00:00:00Z", M, 128 * K, ADAPTIVE, NO_XHIGH),
  model("claude-sonnet-5-5", "Claude Sonnet 5.5", "2026-09-28T00:00:00Z", M, 128 * K, BETWEEN_TOOLS, ALL),
  model("claude-opus-5-5", "Claude Opus 5.5", "2026-09-22T00:00:00Z", M, 128 * K, ALWAYS_ON, ALL),
  model("claude-fable-5-1", "Claude Fable 5.1", "2026-09-01T00:00:00Z", M, 128 * K, ALWAYS_ON, ALL),
  model("claude-opus-5", "Claude Opus 5", "2026-07-24T00:00:00Z", M, 128 * K, ADAPTIVE, ALL),
  model("claude-sonnet-5", "Claude Sonnet 5", "2026-06-30T00:00:00Z", M, 128 * K, ADAPTIVE, ALL),
  model("claude-fable-5", "Claude Fable 5", "2026-06-09T00:00:00Z", M, 128 * K, ALWAYS_ON, ALL),
  model("claude-opus-4-8", "Claude Opus 4.8", "2026-05-20T00:00:00Z", M, 128 * K, ADAPTIVE, ALL),
  model("claude-opus-4-7", "Claude Opus 4.7", "2026-04-16T00:00:00Z", M, 128 * K, ADAPTIVE, ALL),
  model("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17T00:00:00Z", M, 128 * K, BOTH, NO_XHIGH),
  model("claude-opus-4-6", "Claude Opus 4.6", "2026-02-05T00:00:00Z", M, 128 * K, BOTH, NO_XHIGH),
  model("claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-24T00:00:00Z", 200 * K, 64 * K, BUDGET, [
    "low",
    "medium",
    "high",
  ]),
  model("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z", 200 * K, 64 * K, BUDGET),
  model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z", 200 * K, 64 * K, BUDGET),
  model("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z", 200 * K, 32 * K, BUDGET),
  model("claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z", 200 * K, 64 * K, BUDGET),
  model("claude-opus-4-20250514", "Claude Opus 4", "2025-05-22T00:00:00Z", 200 * K, 32 * K, BUDGET),
];
