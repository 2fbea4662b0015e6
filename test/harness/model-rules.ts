// What the real Messages API refuses, per model, for the mock upstream: written from the
// documentation (not from pocketgate's code), so that a request the gateway failed to fit gets
// the 400 a user would get. Models the fixture does not list are accepted as they come.
//  - thinking types, effort levels, max_tokens: the model's ModelInfo (GET /v1/models);
//  - sampling parameters removed on Opus 4.7+, Sonnet 5+, Haiku 5.5, Fable: the migration guides;
//  - temperature with top_p refused together on every other current model;
//  - with thinking on: no temperature / top_k, top_p only in [0.95, 1], tool_choice auto/none only
//    (extended thinking docs, feature compatibility);
//  - prefill (a last assistant message) refused from the 4.6 generation on (migration guide);
//  - thinking text omitted unless display "summarized" on the models whose default is omitted.
import list from "../fixtures/models/models-list.json" with { type: "json" };

type Body = Record<string, unknown>;
interface Info {
  id: string;
  max_tokens: number;
  capabilities: {
    thinking: { supported: boolean; types: Record<string, { supported: boolean }> };
    effort: Record<string, { supported: boolean } | boolean>;
  };
}

export const fixtureModels = list.data as unknown as Info[];
const byId = new Map(fixtureModels.map((m) => [m.id, m]));

/** Models that refuse temperature, top_p and top_k, and omit thinking text by default. */
const NO_SAMPLING = new Set([
  "claude-test-upstream-7",
  "claude-fable-5-2",
  "claude-haiku-5-5",
  "claude-sonnet-5-5",
  "claude-opus-5-5",
  "claude-fable-5-1",
  "claude-opus-5",
  "claude-sonnet-5",
  "claude-fable-5",
  "claude-opus-4-8",
  "claude-opus-4-7",
]);
/** Models that still take a prefilled assistant turn. */
const PREFILL = new Set([
  "claude-opus-4-5-20251101",
  "claude-haiku-4-5-20251001",
  "claude-sonnet-4-5-20250929",
  "claude-opus-4-1-20250805",
]);

const isObject = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);

/** The API's refusal for this request, or undefined when the model takes it. */
export function refusal(body: Body): string | undefined {
  const model = byId.get(String(body.model));
  if (!model) return undefined;
  const types = model.capabilities.thinking.types;
  const thinking = isObject(body.thinking) ? body.thinking : undefined;
  const type = thinking?.type as string | undefined;
  const maxTokens = body.max_tokens as number;
  if (typeof maxTokens === "number" && maxTokens > model.max_tokens) {
    return `max_tokens: ${maxTokens} > ${model.max_tokens}, which is the maximum allowed number of output tokens for ${model.id}`;
  }
  if (type !== undefined) {
    if (!types[type]?.supported) return `thinking.type.${type} is not supported for this model.`;
    if (type === "enabled") {
      const budget = thinking?.budget_tokens;
      if (typeof budget !== "number" || budget < 1024) return "thinking.budget_tokens: must be at least 1024";
      if (budget >= maxTokens) return "`max_tokens` must be greater than `thinking.budget_tokens`";
    }
  }
  const effort = isObject(body.output_config) ? body.output_config.effort : undefined;
  if (effort !== undefined) {
    const level = model.capabilities.effort[String(effort)];
    if (!isObject(level) || level.supported !== true)
      return `output_config.effort: "${String(effort)}" is not supported for this model.`;
  }
  const alwaysOn =
    model.capabilities.thinking.supported && !types.disabled?.supported && !types.between_tools?.supported;
  const thinkingOn = type === "enabled" || type === "adaptive" || (type === undefined && alwaysOn);
  if (NO_SAMPLING.has(model.id)) {
    for (const name of ["temperature", "top_p", "top_k"]) {
      if (body[name] !== undefined) return `\`${name}\` is deprecated for this model.`;
    }
  } else {
    if (body.temperature !== undefined && body.top_p !== undefined) {
      return "`temperature` and `top_p` cannot both be specified for this model. Please use only one.";
    }
    if (thinkingOn && (body.temperature !== undefined || body.top_k !== undefined)) {
      return "temperature and top_k may not be set when thinking is enabled";
    }
    const topP = body.top_p;
    if (thinkingOn && typeof topP === "number" && (topP < 0.95 || topP > 1)) {
      return "top_p must be between 0.95 and 1 when thinking is enabled";
    }
  }
  const choice = isObject(body.tool_choice) ? body.tool_choice.type : undefined;
  if (thinkingOn && (choice === "any" || choice === "tool")) {
    return "Thinking may not be enabled when tool_choice forces tool use.";
  }
  const messages = Array.isArray(body.messages) ? (body.messages as Body[]) : [];
  if (messages.at(-1)?.role === "assistant" && !PREFILL.has(model.id)) {
    return "This model does not support assistant message prefill. The conversation must end with a user message.";
  }
  return undefined;
}

/** Whether the reply's thinking text would be empty (display omitted, by request or by default). */
export function thinkingShown(body: Body): boolean | undefined {
  const model = byId.get(String(body.model));
  const thinking = isObject(body.thinking) ? body.thinking : undefined;
  const type = thinking?.type;
  const types = model?.capabilities.thinking.types;
  const alwaysOn =
    model?.capabilities.thinking.supported && !types?.disabled?.supported && !types?.between_tools?.supported;
  if (type !== "enabled" && type !== "adaptive" && !(type === undefined && alwaysOn)) return undefined;
  const display = thinking?.display ?? (model && NO_SAMPLING.has(model.id) ? "omitted" : "summarized");
  return display === "summarized";
}
