// Fits the top level of an Anthropic Messages request to what its model accepts: one pure
// function over a table of rules, each citing the documentation it follows. It edits only
// max_tokens, sampling, thinking, output_config.effort and tool_choice — never system, tools or
// messages (the chat route's prefill rule is separate: fitPrefill) — and says what it changed.
import { EFFORT_LADDER, type Effort, type ModelTraits } from "./traits.ts";

type Body = Record<string, unknown>;
type Rule = (body: Body, traits: ModelTraits, options: FitOptions, said: string[]) => void;

export interface FitOptions {
  /** The client asked to see reasoning: ask for summarized thinking where it is omitted by default. */
  readonly wantsReasoning?: boolean;
}

/** Thinking budgets for an effort level, on models whose only form is budget_tokens (contract §4). */
export const EFFORT_BUDGET: Record<Effort, number> = {
  low: 1024,
  medium: 4096,
  high: 16_384,
  xhigh: 32_768,
  max: 65_536,
};
/** The smallest budget_tokens the API accepts: https://platform.claude.com/docs/en/build-with-claude/extended-thinking */
export const MIN_THINKING_BUDGET = 1024;

const isObject = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);
const thinkingType = (body: Body) => (isObject(body.thinking) ? body.thinking.type : undefined);
const effortOf = (body: Body): unknown => (isObject(body.output_config) ? body.output_config.effort : undefined);

function setEffort(body: Body, effort: Effort | undefined) {
  const config = isObject(body.output_config) ? { ...body.output_config } : {};
  if (effort === undefined) delete config.effort;
  else config.effort = effort;
  if (Object.keys(config).length === 0) delete body.output_config;
  else body.output_config = config;
}

/** The budget an effort level stands for, inside max_tokens; undefined when no budget fits. */
function budgetFor(effort: unknown, maxTokens: number): number | undefined {
  const level = EFFORT_LADDER.includes(effort as Effort) ? (effort as Effort) : "medium";
  const budget = Math.min(EFFORT_BUDGET[level], maxTokens - 1);
  return budget >= MIN_THINKING_BUDGET ? budget : undefined;
}

/** The effort level closest to `budget` tokens, for a budget sent to an adaptive-only model. */
function effortForBudget(budget: unknown): Effort {
  const tokens = typeof budget === "number" ? budget : EFFORT_BUDGET.medium;
  return EFFORT_LADDER.find((level) => tokens <= EFFORT_BUDGET[level]) ?? "max";
}

/** Whether the model will think on this request (asked for, or on and impossible to switch off). */
function thinkingActive(body: Body, traits: ModelTraits): boolean {
  const type = thinkingType(body);
  if (type === "enabled" || type === "adaptive") return true;
  if (type === "disabled" || type === "between_tools") return false;
  return (traits.adaptive || traits.budget) && !traits.canDisable && !traits.betweenTools;
}

const rules: readonly [name: string, rule: Rule][] = [
  // max_tokens above the model's limit is a 400: "max_tokens: N > M, which is the maximum allowed
  // number of output tokens for <model>". The limit is ModelInfo.max_tokens
  // (https://platform.claude.com/docs/en/api/models/list).
  [
    "max_tokens",
    (body, traits, _, said) => {
      const max = body.max_tokens;
      if (traits.maxOutputKnown && typeof max === "number" && max > traits.maxOutput) {
        said.push(`max_tokens ${max}→${traits.maxOutput}`);
        body.max_tokens = traits.maxOutput;
      }
    },
  ],
  // Thinking takes the form the model has: adaptive-only models refuse budget_tokens, budget-only
  // models have no adaptive; a model that cannot think gets no thinking at all.
  // https://platform.claude.com/docs/en/build-with-claude/thinking-troubleshooting
  [
    "thinking form",
    (body, traits, _, said) => {
      const type = thinkingType(body);
      const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : traits.maxOutput;
      if (type === "adaptive" && !traits.adaptive) {
        const budget = traits.budget ? budgetFor(effortOf(body), maxTokens) : undefined;
        if (budget === undefined) {
          said.push("thinking dropped");
          delete body.thinking;
        } else {
          said.push(`thinking adaptive→budget ${budget}`);
          body.thinking = { ...(body.thinking as Body), type: "enabled", budget_tokens: budget };
        }
        // Effort without adaptive thinking is for models that list it (Opus 4.5); the effort rule decides.
      } else if (type === "enabled" && !traits.budget) {
        if (traits.adaptive) {
          const { budget_tokens, ...rest } = body.thinking as Body;
          const effort = effortForBudget(budget_tokens);
          said.push(`thinking budget→adaptive (effort ${effort})`);
          body.thinking = { ...rest, type: "adaptive" };
          if (effortOf(body) === undefined) setEffort(body, effort);
        } else {
          said.push("thinking dropped");
          delete body.thinking;
        }
      }
    },
  ],
  // budget_tokens must be at least 1024 and below max_tokens (extended thinking docs:
  // https://platform.claude.com/docs/en/build-with-claude/extended-thinking#max-tokens-and-context-window-size).
  [
    "thinking budget",
    (body, _traits, _, said) => {
      if (thinkingType(body) !== "enabled") return;
      const thinking = body.thinking as Body;
      const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : Number.POSITIVE_INFINITY;
      const budget = typeof thinking.budget_tokens === "number" ? thinking.budget_tokens : MIN_THINKING_BUDGET;
      if (budget < maxTokens) return;
      if (maxTokens - 1 < MIN_THINKING_BUDGET) {
        said.push("thinking dropped (no room for a budget)");
        delete body.thinking;
      } else {
        said.push(`budget_tokens ${budget}→${maxTokens - 1}`);
        body.thinking = { ...thinking, budget_tokens: maxTokens - 1 };
      }
    },
  ],
  // Thinking that cannot be switched off: thinking.type "disabled" is a 400 there (ThinkingTypes
  // .disabled in https://platform.claude.com/docs/en/api/models/list). Models with "between_tools"
  // take it in place of "disabled" (thinking-troubleshooting); the rest get no thinking field.
  [
    "thinking off",
    (body, traits, _, said) => {
      if (thinkingType(body) !== "disabled" || traits.canDisable) return;
      if (traits.betweenTools) {
        said.push("thinking disabled→between_tools");
        body.thinking = { type: "between_tools" };
      } else {
        said.push("thinking disabled→left out (always on)");
        delete body.thinking;
      }
    },
  ],
  // Effort is clamped to the levels the model lists (EffortCapability), or dropped where it takes
  // none: https://platform.claude.com/docs/en/build-with-claude/effort
  [
    "effort",
    (body, traits, _, said) => {
      const effort = effortOf(body);
      if (effort === undefined) return;
      if (traits.effort.length === 0) {
        said.push(`effort ${String(effort)} dropped`);
        setEffort(body, undefined);
        return;
      }
      if (traits.effort.includes(effort as Effort)) return;
      const asked = EFFORT_LADDER.indexOf(effort as Effort);
      const below = traits.effort.filter((level) => EFFORT_LADDER.indexOf(level) <= asked);
      const chosen = below[below.length - 1] ?? traits.effort[0];
      said.push(`effort ${String(effort)}→${chosen}`);
      setEffort(body, chosen);
    },
  ],
  // Summarized thinking where the default display is "omitted" (Opus 4.7 and later), so a client
  // that asked for reasoning does not get empty thinking:
  // https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking#thinking-display
  [
    "display",
    (body, traits, options, said) => {
      const type = thinkingType(body);
      if (!options.wantsReasoning || !traits.displayOmitted) return;
      if (type !== "adaptive" && type !== "enabled") return;
      const thinking = body.thinking as Body;
      if (thinking.display !== undefined) return;
      said.push("display summarized");
      body.thinking = { ...thinking, display: "summarized" };
    },
  ],
  // Sampling: adaptive-only models refuse temperature, top_p and top_k ("Sampling parameters
  // removed": https://platform.claude.com/docs/en/about-claude/models/migration-guide); the others
  // refuse temperature and top_p together; with thinking on, temperature and top_k cannot be
  // changed and top_p only between 0.95 and 1
  // (https://platform.claude.com/docs/en/build-with-claude/extended-thinking#feature-compatibility).
  [
    "sampling",
    (body, traits, _, said) => {
      const drop = (name: string, why: string) => {
        if (body[name] === undefined) return;
        said.push(`${name} dropped${why}`);
        delete body[name];
      };
      if (traits.sampling === "none") {
        for (const name of ["temperature", "top_p", "top_k"]) drop(name, "");
        return;
      }
      if (thinkingActive(body, traits)) {
        drop("temperature", " (thinking)");
        drop("top_k", " (thinking)");
        const topP = body.top_p;
        if (typeof topP === "number" && (topP < 0.95 || topP > 1)) drop("top_p", " (thinking)");
      }
      if (body.temperature !== undefined && body.top_p !== undefined) drop("top_p", " (with temperature)");
    },
  ],
  // Forced tool use is refused while thinking: "tool_choice: any/tool is not supported with
  // thinking; use auto or none" (https://platform.claude.com/docs/en/build-with-claude/extended-thinking#extended-thinking-with-tool-use).
  [
    "tool_choice",
    (body, traits, _, said) => {
      const choice = body.tool_choice;
      if (!isObject(choice) || (choice.type !== "any" && choice.type !== "tool")) return;
      if (!thinkingActive(body, traits)) return;
      said.push(`tool_choice ${String(choice.type)}→auto (thinking)`);
      const { name: _name, ...rest } = choice;
      body.tool_choice = { ...rest, type: "auto" };
    },
  ],
];

/** The rule names, in the order they run (for the README and the closing note). */
export const FIT_RULES = rules.map(([name]) => name);

/** Fits `body` in place to `traits`; returns what it changed, in words. */
export function fitRequest(body: Body, traits: ModelTraits, options: FitOptions = {}): string[] {
  const said: string[] = [];
  for (const [, rule] of rules) rule(body, traits, options, said);
  return said;
}

/**
 * A trailing assistant message (prefill) on a model without prefill becomes an instruction at the
 * end of the last user turn, as the migration guide recommends for continuations ("Prefilling
 * assistant messages is no longer supported … move the continuation to the user turn":
 * https://platform.claude.com/docs/en/about-claude/models/migration-guide#migrating-to-claude-4-6).
 * Only text prefills are moved; `turns` is edited in place.
 */
export function fitPrefill(turns: { role: string; content: Body[] }[], traits: ModelTraits): string[] {
  const last = turns[turns.length - 1];
  if (traits.prefill || !last || last.role !== "assistant" || turns.length < 2) return [];
  if (!last.content.every((block) => block.type === "text")) return [];
  const text = last.content.map((block) => String(block.text ?? "")).join("");
  turns.pop();
  const user = turns[turns.length - 1];
  if (user?.role !== "user") return [];
  if (text.trim() !== "") {
    user.content.push({
      type: "text",
      text: `Your previous response was interrupted and ended with:\n${text}\nContinue from exactly where it left off, without repeating it.`,
    });
  }
  return ["prefill→user turn"];
}
