// The providers in force: `anthropic` from upstream_base_url and upstream_keys (what every config
// before issue 17 describes, so those keep working unchanged), refined by a `[[providers]]` entry
// of that name if there is one, then every other `[[providers]]` entry; ordered by priority
// (lower first), then as written. Computed once per config value. Pure.
import type { Config } from "../config/schema.ts";
import { defaultProfile, GOOGLE_TOKEN_URL, type ProviderKind, platformBaseUrl } from "./cloud-config.ts";
import { cloudModelIds } from "./cloud-models.ts";
import { ANTHROPIC, type AuthStyle, DEFAULT_ANTHROPIC, type ProviderDef, type ProviderPrice } from "./config.ts";

export interface Provider {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly baseUrl: string;
  readonly auth: AuthStyle;
  readonly headers: Readonly<Record<string, string>>;
  /** Keys written in the config (the admin app adds more, kept in the database). */
  readonly configKeys: readonly string[];
  readonly models: readonly string[];
  readonly priority: number;
  readonly enabled: boolean;
  readonly promptCache: boolean;
  readonly prices: Readonly<Record<string, ProviderPrice>>;
  /** Bedrock and Vertex: where the account's capacity is. */
  readonly region?: string;
  /** Vertex: the Google Cloud project. */
  readonly project?: string;
  /** Bedrock and Vertex: client-facing model id → the platform's own (built-in table, then model_ids). */
  readonly modelIds: Readonly<Record<string, string>>;
  /** Vertex: where a service account's signed JWT is exchanged for an access token. */
  readonly tokenUrl?: string;
  /** Bedrock and Vertex: the global endpoint (one price) or a regional one (newer models cost 10% more). */
  readonly endpoint?: "global" | "regional";
}

const cache = new WeakMap<Config, readonly Provider[]>();

function fromDef(def: ProviderDef, baseUrl: string, keys: readonly string[]): Provider {
  const kind = def.kind;
  const profile = def.region === undefined ? undefined : (def.inference_profile ?? defaultProfile(def.region));
  const modelIds = kind === "anthropic" || profile === undefined ? {} : cloudModelIds(kind, def.model_ids, profile);
  const global = kind === "bedrock" ? profile === "global" : def.region === "global";
  return {
    name: def.name,
    kind,
    baseUrl: def.base_url ?? platformBaseUrl(kind, def.region) ?? baseUrl,
    auth: def.auth,
    headers: def.headers,
    configKeys: keys,
    // A cloud provider serves its model table unless its models are listed.
    models: def.models.length > 0 || kind === "anthropic" ? def.models : Object.keys(modelIds),
    priority: def.priority,
    enabled: def.enabled,
    promptCache: def.prompt_cache,
    prices: def.prices,
    modelIds,
    ...(def.region === undefined ? {} : { region: def.region }),
    ...(def.project === undefined ? {} : { project: def.project }),
    ...(kind === "vertex" ? { tokenUrl: def.token_url ?? GOOGLE_TOKEN_URL } : {}),
    ...(kind === "anthropic" ? {} : { endpoint: global ? ("global" as const) : ("regional" as const) }),
  };
}

/** Every provider, enabled or not, best priority first. */
export function providersOf(config: Config): readonly Provider[] {
  const known = cache.get(config);
  if (known) return known;
  const own = config.providers.find((p) => p.name === ANTHROPIC);
  const anthropic = fromDef(own ?? DEFAULT_ANTHROPIC, config.upstream_base_url, config.upstream_keys);
  const others = config.providers.filter((p) => p.name !== ANTHROPIC).map((p) => fromDef(p, p.base_url ?? "", p.keys));
  // A stable sort: equal priorities keep anthropic first, then the file's order.
  const list = [anthropic, ...others].sort((a, b) => a.priority - b.priority);
  cache.set(config, list);
  return list;
}

export function providerNamed(config: Config, name: string): Provider | undefined {
  return providersOf(config).find((p) => p.name === name);
}
