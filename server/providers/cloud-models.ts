// What Amazon Bedrock and Google Vertex AI call each Claude model (issue 19): the built-in table,
// refined per provider by `model_ids`. A model id the client sends that is in neither is passed
// on as it is (an ARN or a platform id written by the client itself). Pure.
import type { InferenceProfile } from "./cloud-config.ts";

// Bedrock model ids (InvokeModel; the "legacy" integration, Opus 4.6 and earlier):
// https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock-legacy and each
// model's card, e.g. https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-anthropic-claude-haiku-4-5.html
// Newer models are served only on Bedrock's Messages-API endpoint: name them in model_ids.
const BEDROCK: Readonly<Record<string, string>> = {
  "claude-opus-4-6": "anthropic.claude-opus-4-6-v1",
  "claude-sonnet-4-6": "anthropic.claude-sonnet-4-6",
  "claude-opus-4-5": "anthropic.claude-opus-4-5-20251101-v1:0",
  "claude-haiku-4-5": "anthropic.claude-haiku-4-5-20251001-v1:0",
  "claude-sonnet-4-5": "anthropic.claude-sonnet-4-5-20250929-v1:0",
  "claude-opus-4-1": "anthropic.claude-opus-4-1-20250805-v1:0",
  "claude-opus-4-0": "anthropic.claude-opus-4-20250514-v1:0",
  "claude-sonnet-4-0": "anthropic.claude-sonnet-4-20250514-v1:0",
};

// Vertex AI model names: https://platform.claude.com/docs/en/build-with-claude/claude-on-vertex-ai
// (API model IDs table) and https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude.
const VERTEX: Readonly<Record<string, string>> = {
  "claude-opus-4-6": "claude-opus-4-6",
  "claude-sonnet-4-6": "claude-sonnet-4-6",
  "claude-opus-4-5": "claude-opus-4-5@20251101",
  "claude-haiku-4-5": "claude-haiku-4-5@20251001",
  "claude-sonnet-4-5": "claude-sonnet-4-5@20250929",
  "claude-opus-4-1": "claude-opus-4-1@20250805",
  "claude-opus-4-0": "claude-opus-4@20250514",
  "claude-sonnet-4-0": "claude-sonnet-4@20250514",
};

/** Dated Anthropic ids name the same model as their alias (claude-haiku-4-5-20251001 → claude-haiku-4-5). */
const ALIASES: Readonly<Record<string, string>> = {
  "claude-opus-4-5-20251101": "claude-opus-4-5",
  "claude-haiku-4-5-20251001": "claude-haiku-4-5",
  "claude-sonnet-4-5-20250929": "claude-sonnet-4-5",
  "claude-opus-4-1-20250805": "claude-opus-4-1",
  "claude-opus-4-20250514": "claude-opus-4-0",
  "claude-sonnet-4-20250514": "claude-sonnet-4-0",
};

/** The client-facing ids a platform serves, and each one's platform id, overrides applied. */
export function cloudModelIds(
  kind: "bedrock" | "vertex",
  overrides: Readonly<Record<string, string>>,
  profile: InferenceProfile,
): Readonly<Record<string, string>> {
  const table: Record<string, string> = {};
  const base = kind === "bedrock" ? BEDROCK : VERTEX;
  for (const [model, id] of Object.entries(base)) {
    // Cross-region inference profiles are the base id with a geography prefix; most current
    // models take on-demand requests only through one (Bedrock answers 400 "on-demand throughput
    // isn't supported" otherwise).
    table[model] = kind === "bedrock" && profile !== "none" ? `${profile}.${id}` : id;
  }
  for (const [dated, alias] of Object.entries(ALIASES)) {
    if (table[alias] !== undefined) table[dated] = table[alias];
  }
  return { ...table, ...overrides };
}

/**
 * Models billed 10% more on a regional endpoint than on the global one: Claude Sonnet 4.5 and
 * every model after it ("Global vs regional endpoints",
 * https://platform.claude.com/docs/en/build-with-claude/claude-on-vertex-ai, and the same on
 * Bedrock's cross-region inference). The models before it have one price everywhere.
 */
const ONE_PRICE_EVERYWHERE = /^claude-(opus-4-1|opus-4-0|sonnet-4-0|opus-4-2025|sonnet-4-2025|3-)/;
export const REGIONAL_PREMIUM = 1.1;
export const hasRegionalPremium = (model: string): boolean => !ONE_PRICE_EVERYWHERE.test(model);

/**
 * The Anthropic id a platform's model id stands for, for pricing a reply that names the model the
 * platform's way ("us.anthropic.claude-sonnet-4-6", "claude-sonnet-4-5@20250929"): the provider's
 * own table read backwards, else the id with the platform's prefix and version suffix taken off.
 */
export function anthropicModelOf(modelIds: Readonly<Record<string, string>>, platformId: string): string {
  for (const [model, id] of Object.entries(modelIds)) if (id === platformId) return model;
  return platformId
    .replace(/^(?:[a-z]{2,6}\.)?anthropic\./, "")
    .replace(/-v\d+(?::\d+)?$/, "")
    .replace(/@(\d{8})$/, "-$1");
}
