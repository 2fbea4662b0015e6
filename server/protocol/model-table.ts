// What pocketgate needs to know per model, in one place (contract §4): the largest output, how
// thinking is switched on, and whether temperature and top_p may be sent together.
// Matched by id prefix, most specific first; unknown ids get the fallback row.

export interface ModelTraits {
  /** Largest max_tokens the model accepts; used when the client sends none. */
  readonly maxOutput: number;
  /** "budget": thinking {type:"enabled", budget_tokens}; "adaptive": {type:"adaptive"} + effort. */
  readonly thinking: "budget" | "adaptive" | "none";
  /** The API refuses requests that set both temperature and top_p. */
  readonly exclusiveSampling: boolean;
}

const table: readonly (readonly [prefix: string, traits: ModelTraits])[] = [
  ["claude-opus-4-8", { maxOutput: 128_000, thinking: "adaptive", exclusiveSampling: true }],
  ["claude-opus-4-7", { maxOutput: 128_000, thinking: "adaptive", exclusiveSampling: true }],
  ["claude-opus-4-6", { maxOutput: 128_000, thinking: "budget", exclusiveSampling: true }],
  ["claude-sonnet-4-6", { maxOutput: 64_000, thinking: "budget", exclusiveSampling: true }],
  ["claude-opus-4-5", { maxOutput: 64_000, thinking: "budget", exclusiveSampling: true }],
  ["claude-sonnet-4-5", { maxOutput: 64_000, thinking: "budget", exclusiveSampling: true }],
  ["claude-haiku-4-5", { maxOutput: 64_000, thinking: "budget", exclusiveSampling: true }],
  ["claude-opus-4-1", { maxOutput: 32_000, thinking: "budget", exclusiveSampling: true }],
  ["claude-opus-4", { maxOutput: 32_000, thinking: "budget", exclusiveSampling: false }],
  ["claude-sonnet-4", { maxOutput: 64_000, thinking: "budget", exclusiveSampling: false }],
  ["claude-3-7-sonnet", { maxOutput: 64_000, thinking: "budget", exclusiveSampling: false }],
  ["claude-3-5-haiku", { maxOutput: 8192, thinking: "none", exclusiveSampling: false }],
  ["claude-3-5-sonnet", { maxOutput: 8192, thinking: "none", exclusiveSampling: false }],
  ["claude-3-haiku", { maxOutput: 4096, thinking: "none", exclusiveSampling: false }],
];

/** Unknown (newer or third-party) models: the contract's 8192 and the common thinking form. */
const fallback: ModelTraits = { maxOutput: 8192, thinking: "budget", exclusiveSampling: false };

export function modelTraits(model: string): ModelTraits {
  return table.find(([prefix]) => model.startsWith(prefix))?.[1] ?? fallback;
}

/** Thinking budgets for reasoning_effort (contract §4). */
export const effortBudget = { low: 1024, medium: 4096, high: 16_384 } as const;
export type Effort = keyof typeof effortBudget;

/** The smallest budget the API accepts. */
export const MIN_THINKING_BUDGET = 1024;

/** `claude-sonnet-4-6-thinking` turns thinking on for clients that cannot ask for it. */
export const THINKING_SUFFIX = "-thinking";
