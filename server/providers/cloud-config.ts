// The fields of a `[[providers]]` table that only Amazon Bedrock and Google Vertex AI providers
// have (issue 19): where the platform is (region, project), which model id it calls a Claude
// model by, and for Vertex where Google's token endpoint is. Checked here, whole. Pure.

export type ProviderKind = "anthropic" | "bedrock" | "vertex";
export const PROVIDER_KINDS: readonly ProviderKind[] = ["anthropic", "bedrock", "vertex"];

/** Bedrock's cross-region inference profiles, named by the prefix of their ids ("us.anthropic…"). */
export type InferenceProfile = "us" | "eu" | "apac" | "jp" | "au" | "global" | "none";
const PROFILES: readonly InferenceProfile[] = ["us", "eu", "apac", "jp", "au", "global", "none"];

export interface CloudFields {
  readonly region?: string;
  readonly project?: string;
  /** Client-facing model id → the platform's own id (Bedrock model, inference profile or ARN; Vertex model@version). */
  readonly model_ids: Readonly<Record<string, string>>;
  readonly inference_profile?: InferenceProfile;
  readonly token_url?: string;
}

export class CloudInvalid extends Error {}

// AWS region names: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5, ...
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
// Vertex locations: a region (us-east5, europe-west1), a multi-region (us, eu) or global.
const GCP_REGION = /^(global|us|eu|[a-z]+-[a-z]+\d{1,2})$/;
// Project ids: 6 to 30 lower-case letters, digits and hyphens, starting with a letter
// (https://cloud.google.com/resource-manager/docs/creating-managing-projects).
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const PLATFORM_ID = /^[A-Za-z0-9._:@/-]{1,300}$/;

export const CLOUD_FIELDS = ["region", "project", "model_ids", "inference_profile", "token_url"] as const;
const ONLY_FOR: Record<(typeof CLOUD_FIELDS)[number], string> = {
  region: '"bedrock" or "vertex"',
  model_ids: '"bedrock" or "vertex"',
  inference_profile: '"bedrock"',
  project: '"vertex"',
  token_url: '"vertex"',
};

/** The cloud fields of one provider table, for a provider of `kind` (the others must be absent). */
export function cloudFields(
  raw: Record<string, unknown>,
  kind: ProviderKind,
  where: string,
  url: (value: unknown, where: string) => string,
): CloudFields {
  const present = CLOUD_FIELDS.filter((f) => raw[f] !== undefined);
  const allowed: readonly string[] =
    kind === "bedrock"
      ? ["region", "model_ids", "inference_profile"]
      : kind === "vertex"
        ? ["region", "project", "model_ids", "token_url"]
        : [];
  for (const field of present) {
    if (!allowed.includes(field)) {
      throw new CloudInvalid(`${where}.${field}: only for kind = ${ONLY_FOR[field]}`);
    }
  }
  if (kind === "anthropic") return { model_ids: {} };
  const region = raw.region;
  if (typeof region !== "string" || !(kind === "bedrock" ? AWS_REGION : GCP_REGION).test(region)) {
    throw new CloudInvalid(
      kind === "bedrock"
        ? `${where}.region: an AWS region such as "us-east-1" (where your Bedrock model access is)`
        : `${where}.region: a Vertex AI location such as "global", "us-east5" or "europe-west1"`,
    );
  }
  const model_ids: Record<string, string> = {};
  if (raw.model_ids !== undefined) {
    if (typeof raw.model_ids !== "object" || raw.model_ids === null || Array.isArray(raw.model_ids)) {
      throw new CloudInvalid(`${where}.model_ids: a table of model ids to the platform's own ids`);
    }
    const entries = Object.entries(raw.model_ids);
    if (entries.length > 200) throw new CloudInvalid(`${where}.model_ids: at most 200 entries`);
    for (const [model, id] of entries) {
      if (model.trim() === "" || model.length > 200 || typeof id !== "string" || !PLATFORM_ID.test(id)) {
        throw new CloudInvalid(
          `${where}.model_ids.${model}: the platform's model id, such as ${kind === "bedrock" ? '"us.anthropic.claude-sonnet-4-5-20250929-v1:0"' : '"claude-sonnet-4-5@20250929"'}`,
        );
      }
      model_ids[model] = id;
    }
  }
  if (kind === "bedrock") {
    const profile = raw.inference_profile;
    if (profile !== undefined && !PROFILES.includes(profile as InferenceProfile)) {
      throw new CloudInvalid(`${where}.inference_profile: one of ${PROFILES.map((p) => `"${p}"`).join(", ")}`);
    }
    return { region, model_ids, ...(profile === undefined ? {} : { inference_profile: profile as InferenceProfile }) };
  }
  const project = raw.project;
  if (typeof project !== "string" || !GCP_PROJECT.test(project)) {
    throw new CloudInvalid(`${where}.project: the Google Cloud project id (6 to 30 lower-case letters, digits, "-")`);
  }
  return {
    region,
    project,
    model_ids,
    ...(raw.token_url === undefined ? {} : { token_url: url(raw.token_url, `${where}.token_url`) }),
  };
}

/** Where a platform answers when base_url is not given (Bedrock runtime; Vertex's v1 API). */
export function platformBaseUrl(kind: ProviderKind, region: string | undefined): string | undefined {
  if (region === undefined) return undefined;
  if (kind === "bedrock") return `https://bedrock-runtime.${region}.amazonaws.com`;
  if (kind !== "vertex") return undefined;
  // As the Anthropic Vertex SDK addresses them (packages/vertex-sdk/src/client.ts).
  if (region === "global") return "https://aiplatform.googleapis.com/v1";
  if (region === "us" || region === "eu") return `https://aiplatform.${region}.rep.googleapis.com/v1`;
  return `https://${region}-aiplatform.googleapis.com/v1`;
}

/** Google's OAuth token endpoint, which a service account's signed JWT is exchanged at. */
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

/** Bedrock's inference profile for a region when none is set: its geography's own. */
export function defaultProfile(region: string): InferenceProfile {
  if (region.startsWith("us-") || region.startsWith("ca-")) return "us";
  if (region.startsWith("eu-")) return "eu";
  if (region.startsWith("ap-")) return "apac";
  return "none";
}
