// The `[[providers]]` tables and `model_aliases` of the config (issue 17): parsed and checked
// here, whole, so a mistake names the provider and the field. In the environment both are JSON
// (POCKETGATE_PROVIDERS='[{"name":"deepseek",...}]'). Pure.
import type { ParseFailure, Parser } from "../config/parsers.ts";
import {
  CLOUD_FIELDS,
  type CloudFields,
  CloudInvalid,
  cloudFields,
  PROVIDER_KINDS,
  type ProviderKind,
} from "./cloud-config.ts";

export type AuthStyle = "x-api-key" | "bearer";

/** Prices in US dollars per million tokens, for a model the price file does not know. */
export interface ProviderPrice {
  readonly input: number;
  readonly output: number;
  readonly cache_read?: number;
  readonly cache_write_5m?: number;
  readonly cache_write_1h?: number;
}

export interface ProviderDef extends CloudFields {
  readonly name: string;
  /** How it is addressed and signed: an Anthropic-format endpoint, Amazon Bedrock or Google Vertex AI. */
  readonly kind: ProviderKind;
  /** Unset for `anthropic` (its address is upstream_base_url) and for Bedrock and Vertex (from the region). */
  readonly base_url?: string;
  readonly auth: AuthStyle;
  /** Sent on every request to this provider (an organisation or project header, say). */
  readonly headers: Readonly<Record<string, string>>;
  readonly keys: readonly string[];
  /** Model ids this provider serves; "prefix-*" matches every id starting with "prefix-". */
  readonly models: readonly string[];
  /** Lower is tried first. */
  readonly priority: number;
  readonly enabled: boolean;
  /** Whether pocketgate may add automatic prompt caching (a top-level cache_control) for it. */
  readonly prompt_cache: boolean;
  readonly prices: Readonly<Record<string, ProviderPrice>>;
}

/** The provider the old single-upstream settings (upstream_base_url, upstream_keys) describe. */
export const ANTHROPIC = "anthropic";

/** anthropic when the file has no `[[providers]]` entry of that name. */
export const DEFAULT_ANTHROPIC: ProviderDef = {
  name: ANTHROPIC,
  kind: "anthropic",
  model_ids: {},
  auth: "x-api-key",
  headers: {},
  keys: [],
  models: [],
  priority: 100,
  enabled: true,
  prompt_cache: true,
  prices: {},
};
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
/** Headers a provider may not set: pocketgate sets the credential and the framing itself. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "x-api-key",
  "authorization",
  "accept-encoding",
]);
const MAX_PROVIDERS = 32;
const MAX_MODELS = 500;
const MAX_ALIASES = 200;
const FIELDS = new Set<string>([
  "name",
  "kind",
  ...CLOUD_FIELDS,
  "base_url",
  "auth",
  "headers",
  "keys",
  "models",
  "priority",
  "enabled",
  "prompt_cache",
  "prices",
]);

class Invalid extends Error {}

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Text as TOML gives it, or JSON from the environment. */
function structured(raw: unknown, what: string): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new Invalid(`${what} written as JSON in the environment (the JSON does not parse)`);
  }
}

function stringList(value: unknown, where: string, max: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((x) => typeof x === "string"))
    throw new Invalid(`${where}: a list of strings`);
  if (value.length > max) throw new Invalid(`${where}: at most ${max} entries`);
  return value.map((x) => x.trim()).filter((x) => x !== "");
}

function url(value: unknown, where: string): string {
  if (typeof value !== "string") throw new Invalid(`${where}: an http:// or https:// URL`);
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw new Invalid(`${where}: an http:// or https:// URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new Invalid(`${where}: an http:// or https:// URL`);
  if (parsed.username || parsed.password) throw new Invalid(`${where}: a URL without a user name or password in it`);
  if (parsed.search || parsed.hash) throw new Invalid(`${where}: a URL without a query or fragment`);
  return value.trim().replace(/\/+$/, "");
}

function price(value: unknown, where: string): ProviderPrice {
  if (!isTable(value))
    throw new Invalid(`${where}: a table such as { input = 0.27, output = 1.1 } (USD per million tokens)`);
  const out: Record<string, number> = {};
  for (const [field, v] of Object.entries(value)) {
    if (!["input", "output", "cache_read", "cache_write_5m", "cache_write_1h"].includes(field)) {
      throw new Invalid(
        `${where}: unknown price "${field}" (input, output, cache_read, cache_write_5m, cache_write_1h)`,
      );
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 10_000) {
      throw new Invalid(`${where}.${field}: US dollars per million tokens, from 0 to 10000`);
    }
    out[field] = v;
  }
  if (out.input === undefined || out.output === undefined) throw new Invalid(`${where}: needs input and output`);
  return out as unknown as ProviderPrice;
}

function provider(raw: unknown, index: number): ProviderDef {
  const at = `providers[${index}]`;
  if (!isTable(raw)) throw new Invalid(`${at}: a table ([[providers]] with name, base_url, ...)`);
  const name = raw.name;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new Invalid(`${at}.name: lower-case letters, digits, "-" or "_", up to 32 characters`);
  }
  const where = `provider "${name}"`;
  for (const field of Object.keys(raw)) {
    if (!FIELDS.has(field)) throw new Invalid(`${where}: unknown field "${field}"`);
  }
  const hasKeys = raw.keys !== undefined && !(Array.isArray(raw.keys) && raw.keys.length === 0);
  if (name === ANTHROPIC && (raw.base_url !== undefined || hasKeys)) {
    throw new Invalid(`${where}: its address and keys are upstream_base_url and upstream_keys; set those instead`);
  }
  const kind = raw.kind ?? "anthropic";
  if (!PROVIDER_KINDS.includes(kind as ProviderKind)) {
    throw new Invalid(`${where}.kind: "anthropic" (an Anthropic-format endpoint), "bedrock" or "vertex"`);
  }
  if (name === ANTHROPIC && kind !== "anthropic") {
    throw new Invalid(
      `${where}: the provider named anthropic is Anthropic's own API; give a ${kind} provider another name`,
    );
  }
  const cloud = kind !== "anthropic";
  if (name !== ANTHROPIC && !cloud && raw.base_url === undefined) throw new Invalid(`${where}.base_url is missing`);
  // Bedrock and Vertex take the top-level cache_control of automatic caching nowhere documented:
  // pocketgate never adds it for them (explicit cache_control markers of a client still pass).
  if (cloud && raw.prompt_cache === true) {
    throw new Invalid(
      `${where}.prompt_cache: automatic prompt caching is not offered on ${kind === "bedrock" ? "Amazon Bedrock" : "Vertex AI"}; leave it out`,
    );
  }
  if (cloud && raw.auth !== undefined) {
    throw new Invalid(`${where}.auth: ${kind} providers sign requests with their own credentials; leave it out`);
  }
  const auth = raw.auth ?? "x-api-key";
  if (auth !== "x-api-key" && auth !== "bearer") throw new Invalid(`${where}.auth: "x-api-key" or "bearer"`);
  const headers: Record<string, string> = {};
  if (raw.headers !== undefined) {
    if (!isTable(raw.headers)) throw new Invalid(`${where}.headers: a table of header names to values`);
    for (const [header, value] of Object.entries(raw.headers)) {
      const lower = header.toLowerCase();
      if (!HEADER_NAME.test(header) || RESERVED_HEADERS.has(lower)) {
        throw new Invalid(`${where}.headers: "${header}" cannot be set (pocketgate sets the credential and framing)`);
      }
      if (typeof value !== "string" || /[\r\n\0]/.test(value) || value.length > 4096) {
        throw new Invalid(`${where}.headers.${header}: a single-line string`);
      }
      headers[lower] = value;
    }
  }
  const priority = raw.priority ?? 100;
  if (typeof priority !== "number" || !Number.isInteger(priority) || priority < 0 || priority > 1000) {
    throw new Invalid(`${where}.priority: an integer from 0 to 1000 (lower is tried first)`);
  }
  for (const flag of ["enabled", "prompt_cache"] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== "boolean") throw new Invalid(`${where}.${flag}: true or false`);
  }
  const prices: Record<string, ProviderPrice> = {};
  if (raw.prices !== undefined) {
    if (!isTable(raw.prices)) throw new Invalid(`${where}.prices: a table of model ids to prices`);
    for (const [model, value] of Object.entries(raw.prices)) prices[model] = price(value, `${where}.prices.${model}`);
  }
  let fields: CloudFields;
  try {
    fields = cloudFields(raw, kind as ProviderKind, where, url);
  } catch (error) {
    if (error instanceof CloudInvalid) throw new Invalid(error.message);
    throw error;
  }
  return {
    name,
    kind: kind as ProviderKind,
    ...fields,
    ...(raw.base_url === undefined ? {} : { base_url: url(raw.base_url, `${where}.base_url`) }),
    auth,
    headers,
    keys: stringList(raw.keys, `${where}.keys`, 100),
    models: stringList(raw.models, `${where}.models`, MAX_MODELS),
    priority,
    enabled: raw.enabled !== false,
    // Anthropic documents automatic caching; other endpoints may refuse the field, so they opt in.
    prompt_cache: typeof raw.prompt_cache === "boolean" ? raw.prompt_cache : name === ANTHROPIC,
    prices,
  };
}

const failure = (error: unknown): ParseFailure => {
  if (error instanceof Invalid) return { expected: error.message };
  throw error;
};

export const providersParser: Parser<readonly ProviderDef[]> = (raw) => {
  try {
    const value = structured(raw, "a list of provider tables");
    if (!Array.isArray(value)) throw new Invalid("[[providers]] tables (in the environment, a JSON array)");
    if (value.length > MAX_PROVIDERS) throw new Invalid(`at most ${MAX_PROVIDERS} providers`);
    const list = value.map(provider);
    const seen = new Set<string>();
    for (const p of list) {
      if (seen.has(p.name)) throw new Invalid(`one provider named "${p.name}" (it is listed twice)`);
      seen.add(p.name);
    }
    return list;
  } catch (error) {
    return failure(error);
  }
};

/** Client-facing name → "provider/model". */
export const aliasesParser: Parser<Readonly<Record<string, string>>> = (raw) => {
  try {
    const value = structured(raw, 'a table of names to "provider/model"');
    if (!isTable(value)) throw new Invalid('a table such as { fast = "anthropic/claude-haiku-4-5" }');
    const entries = Object.entries(value);
    if (entries.length > MAX_ALIASES) throw new Invalid(`at most ${MAX_ALIASES} aliases`);
    const out: Record<string, string> = {};
    for (const [alias, target] of entries) {
      if (alias.trim() === "" || alias.length > 200) throw new Invalid("alias names of 1 to 200 characters");
      if (typeof target !== "string" || !/^[a-z0-9][a-z0-9_-]{0,31}\/\S{1,200}$/.test(target)) {
        throw new Invalid(`model_aliases.${alias}: "provider/model", such as "anthropic/claude-haiku-4-5"`);
      }
      out[alias] = target;
    }
    return out;
  } catch (error) {
    return failure(error);
  }
};

/** A provider as the file keeps it: defaults left out, so the file stays as short as a person writes it. */
export function providerToFile(def: ProviderDef): Record<string, unknown> {
  const out: Record<string, unknown> = { name: def.name };
  if (def.kind !== "anthropic") out.kind = def.kind;
  if (def.base_url !== undefined && def.name !== ANTHROPIC) out.base_url = def.base_url;
  for (const field of ["region", "project", "inference_profile", "token_url"] as const) {
    if (def[field] !== undefined) out[field] = def[field];
  }
  if (Object.keys(def.model_ids).length > 0) out.model_ids = { ...def.model_ids };
  if (def.auth !== "x-api-key") out.auth = def.auth;
  if (Object.keys(def.headers).length > 0) out.headers = { ...def.headers };
  if (def.name !== ANTHROPIC && def.keys.length > 0) out.keys = [...def.keys];
  if (def.models.length > 0) out.models = [...def.models];
  if (def.priority !== 100) out.priority = def.priority;
  if (!def.enabled) out.enabled = false;
  if (def.prompt_cache !== (def.name === ANTHROPIC)) out.prompt_cache = def.prompt_cache;
  if (Object.keys(def.prices).length > 0) out.prices = structuredClone(def.prices);
  return out;
}
