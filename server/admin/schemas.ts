// Admin API shapes, declared once (TypeBox via Elysia's `t`); the admin app imports the types.
import { type TSchema, t } from "elysia";

export const LoginBody = t.Object({ password: t.String({ minLength: 1 }) });
export type LoginBody = typeof LoginBody.static;

export const LoginResponse = t.Object({ token: t.String(), expires_at: t.Number() });
export type LoginResponse = typeof LoginResponse.static;

export const KeyView = t.Object({
  id: t.String(),
  /** The provider the key is for (issue 17). */
  provider: t.String(),
  label: t.String(),
  /** The first characters and the last four, never the whole key. */
  masked: t.String(),
  source: t.Union([t.Literal("config"), t.Literal("admin")]),
  /** Where it was added: the environment, the config file, a command-line flag, or the admin app. */
  origin: t.Union([t.Literal("env"), t.Literal("file"), t.Literal("flag"), t.Literal("admin")]),
  enabled: t.Boolean(),
  state: t.Union([t.Literal("active"), t.Literal("cooling"), t.Literal("invalid"), t.Literal("disabled")]),
  /** Cooling until (ms since epoch). */
  until: t.Optional(t.Number()),
  reason: t.Optional(t.String()),
  tokens_remaining: t.Optional(t.Number()),
  requests_remaining: t.Optional(t.Number()),
  tokens_limit: t.Optional(t.Number()),
  requests_limit: t.Optional(t.Number()),
  reset_at: t.Optional(t.Number()),
  last_used: t.Number(),
});
export type KeyView = typeof KeyView.static;

export const KeysResponse = t.Object({ keys: t.Array(KeyView) });
export type KeysResponse = typeof KeysResponse.static;

const UsageGroupName = t.Union([
  t.Literal("day"),
  t.Literal("client"),
  t.Literal("key"),
  t.Literal("model"),
  t.Literal("provider"),
]);

export const UsageQuery = t.Object({
  by: t.Optional(UsageGroupName),
  /** A second grouping inside each `by` group: the chart's stacked bars (day × model). */
  split: t.Optional(UsageGroupName),
  days: t.Optional(t.Numeric({ minimum: 1, maximum: 3650 })),
});
export type UsageQuery = typeof UsageQuery.static;

/** Tokens by kind and their cost: the same columns in per-request rows and in aggregates. */
const tokenFields = {
  input_tokens: t.Number(),
  output_tokens: t.Number(),
  cache_read_tokens: t.Number(),
  cache_write_5m_tokens: t.Number(),
  cache_write_1h_tokens: t.Number(),
  web_searches: t.Number(),
  /** The priced part only: see `unpriced` / `priced` for what the price list could not cost. */
  cost_usd: t.Number(),
};

export const UsageGroupRow = t.Object({
  group: t.String(),
  /** The `split` group, when one was asked for. */
  series: t.Optional(t.String()),
  /** For keys: the label (the group is the key's id). */
  label: t.Optional(t.String()),
  requests: t.Number(),
  /** Answered with 4xx/5xx. */
  failed: t.Number(),
  ...tokenFields,
  /** Requests whose model the price list lacks (their cost is unknown, not in cost_usd). */
  unpriced: t.Number(),
  /** What prompt caching saved, re-warm requests subtracted (negative: it cost more). */
  saved_usd: t.Number(),
  /** Re-warm requests (route keep-warm) and their cost (also in cost_usd). */
  keep_warm_requests: t.Number(),
  keep_warm_usd: t.Number(),
  /** The cache-hit share is hit_read / hit_prompt: reads over every prompt token, re-warms left out. */
  hit_read: t.Number(),
  hit_prompt: t.Number(),
});
export type UsageGroupRow = typeof UsageGroupRow.static;

/** The price list costs come from (server/data/prices.json). */
export const PriceListView = t.Object({ source: t.String(), as_of: t.String(), models: t.Number() });
export type PriceListView = typeof PriceListView.static;

export const UsageResponse = t.Object({ by: t.String(), rows: t.Array(UsageGroupRow), price_list: PriceListView });
export type UsageResponse = typeof UsageResponse.static;

const orNull = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);

export const StreamEnd = t.Union([
  t.Literal("complete"),
  t.Literal("client_gone"),
  t.Literal("upstream_error"),
  t.Literal("idle_timeout"),
  t.Literal("client_stalled"),
]);
export type StreamEnd = typeof StreamEnd.static;

/** One proxy request in the log, whatever answered it (the gateway's own errors included). */
export const RequestRow = t.Object({
  id: t.Number(),
  at: t.Number(),
  /** The client key's name; "" when the request proved none (a wrong or missing key). */
  client: t.String(),
  key_id: orNull(t.String()),
  /** The upstream key's label when the request was made. */
  key_label: orNull(t.String()),
  /** The provider that answered (or was tried last); null before issue 17 or when none was reached. */
  provider: orNull(t.String()),
  route: t.String(),
  /** "" when the request named none. */
  model: t.String(),
  status: t.Number(),
  ttfb_ms: orNull(t.Number()),
  /** The gateway's own time before the response headers, upstream's wait excluded. */
  overhead_ms: orNull(t.Number()),
  duration_ms: t.Number(),
  ...tokenFields,
  /** What prompt caching saved on this request (a re-warm: minus its cost). */
  saved_usd: t.Number(),
  /** What the gateway changed to fit the request to its model ("temperature dropped; effort max→high"). */
  fitted: orNull(t.String()),
  /** 0: the price list lacks the model, so cost_usd (0) means unknown. */
  priced: t.Number(),
  /** How a streamed reply ended; null for a whole reply. */
  stream_end: orNull(StreamEnd),
  /** The error the client got: the gateway's own or upstream's (type, and its message). */
  error_type: orNull(t.String()),
  error_message: orNull(t.String()),
});
export type RequestRow = typeof RequestRow.static;

const limitFields = {
  rpm: t.Optional(t.Union([t.Integer({ minimum: 1 }), t.Null()])),
  monthly_tokens: t.Optional(t.Union([t.Integer({ minimum: 1 }), t.Null()])),
  monthly_usd: t.Optional(t.Union([t.Number({ exclusiveMinimum: 0 }), t.Null()])),
};

export const ClientCreateBody = t.Object({ name: t.String({ minLength: 1, maxLength: 64 }), ...limitFields });
export type ClientCreateBody = typeof ClientCreateBody.static;

/** Prompt caching per client key; null (or absent at creation) keeps the global setting. */
const cachingFields = {
  prompt_cache: t.Optional(t.Union([t.Literal("auto"), t.Literal("off"), t.Null()])),
  prompt_cache_ttl: t.Optional(t.Union([t.Literal("5m"), t.Literal("1h"), t.Null()])),
  keep_warm: t.Optional(t.Union([t.Boolean(), t.Null()])),
  /** US dollars per UTC day. */
  keep_warm_max_per_day: t.Optional(t.Union([t.Number({ minimum: 0, maximum: 1_000_000 }), t.Null()])),
  /** Minutes. */
  keep_warm_idle_stop: t.Optional(t.Union([t.Number({ minimum: 0.05, maximum: 1440 }), t.Null()])),
};

export const ClientLimitsBody = t.Object({
  ...limitFields,
  /** Fit native /v1/messages requests to the model (sampling, thinking, effort), off by default. */
  fit_requests: t.Optional(t.Boolean()),
  ...cachingFields,
});
export type ClientLimitsBody = typeof ClientLimitsBody.static;

export const ClientView = t.Object({
  id: t.String(),
  name: t.String(),
  /** Shown to the admin so it can be copied into an app. */
  key: t.String(),
  created_at: t.Number(),
  revoked_at: t.Union([t.Number(), t.Null()]),
  rpm: t.Union([t.Number(), t.Null()]),
  monthly_tokens: t.Union([t.Number(), t.Null()]),
  monthly_usd: t.Union([t.Number(), t.Null()]),
  fit_requests: t.Boolean(),
  prompt_cache: t.Union([t.Literal("auto"), t.Literal("off"), t.Null()]),
  prompt_cache_ttl: t.Union([t.Literal("5m"), t.Literal("1h"), t.Null()]),
  keep_warm: t.Union([t.Boolean(), t.Null()]),
  keep_warm_max_per_day: t.Union([t.Number(), t.Null()]),
  keep_warm_idle_stop: t.Union([t.Number(), t.Null()]),
  /** The policy in force with the globals filled in: what this key's requests get. */
  caching: t.Object({
    openai: t.Union([t.Literal("auto"), t.Literal("off")]),
    native: t.Union([t.Literal("auto"), t.Literal("off")]),
    ttl: t.Union([t.Literal("5m"), t.Literal("1h")]),
    keep_warm: t.Boolean(),
    keep_warm_max_per_day: t.Number(),
    keep_warm_idle_stop_min: t.Number(),
  }),
  /** This month's saving from prompt caching and re-warm spend (both in US dollars). */
  month_saved_usd: t.Number(),
  month_keep_warm_usd: t.Number(),
  month_tokens: t.Number(),
  month_usd: t.Number(),
  /** Its last request (ms since epoch), null if none is in the log. */
  last_used: t.Union([t.Number(), t.Null()]),
});
export type ClientView = typeof ClientView.static;

export const KeysAddBody = t.Object({
  /** One key or many, separated by whitespace or commas (pasted from anywhere). */
  keys: t.String({ minLength: 1 }),
  label: t.Optional(t.String({ maxLength: 64 })),
  /** The provider they are for; anthropic when not given. */
  provider: t.Optional(t.String({ maxLength: 32 })),
});
export type KeysAddBody = typeof KeysAddBody.static;

export const KeysAddResponse = t.Object({
  keys: t.Array(KeyView),
  /** Pasted keys the pool already had. */
  skipped: t.Number(),
  /** Pasted strings that are not keys: the first characters only, and what is wrong. */
  rejected: t.Array(
    t.Object({
      preview: t.String(),
      code: t.Union([t.Literal("bad_characters"), t.Literal("too_short"), t.Literal("not_a_credential")]),
      reason: t.String(),
    }),
  ),
});
export type KeysAddResponse = typeof KeysAddResponse.static;

export const KeyUpdateBody = t.Object({
  label: t.Optional(t.String({ minLength: 1, maxLength: 64 })),
  enabled: t.Optional(t.Boolean()),
});
export type KeyUpdateBody = typeof KeyUpdateBody.static;

export const KeyTestResponse = t.Object({ status: t.Number(), message: t.String(), key: KeyView });
export type KeyTestResponse = typeof KeyTestResponse.static;

export const RequestsQuery = t.Object({
  client: t.Optional(t.String()),
  key: t.Optional(t.String()),
  model: t.Optional(t.String()),
  /** An exact status ("429"), a class ("4xx"), or "failed" (4xx, 5xx and streams that broke). */
  status: t.Optional(t.String({ pattern: "^([1-5]xx|\\d{3}|failed)$" })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000 })),
});
export type RequestsQuery = typeof RequestsQuery.static;

export const RequestsResponse = t.Object({ rows: t.Array(RequestRow) });

/** What the request log's pickers offer: what the log holds, and the keys and clients there are now. */
export const RequestFacets = t.Object({
  clients: t.Array(t.String()),
  models: t.Array(t.String()),
  keys: t.Array(t.Object({ id: t.String(), label: t.String() })),
});
export type RequestFacets = typeof RequestFacets.static;
export type RequestsResponse = typeof RequestsResponse.static;

/** One request; `body` is the captured request body (credentials redacted) or null. */
export const RequestDetail = t.Composite([RequestRow, t.Object({ body: t.Union([t.String(), t.Null()]) })]);
export type RequestDetail = typeof RequestDetail.static;

const SettingValue = t.Union([t.String(), t.Number(), t.Boolean(), t.Array(t.String())]);

export const SettingView = t.Object({
  key: t.String(),
  /** The admin app's section for it. */
  group: t.Union([
    t.Literal("connection"),
    t.Literal("upstream"),
    t.Literal("providers"),
    t.Literal("caching"),
    t.Literal("timeouts"),
    t.Literal("limits"),
    t.Literal("privacy"),
    t.Literal("team"),
    t.Literal("secrets"),
  ]),
  /** How the value is shown and typed: durations in seconds ("10m" accepted), sizes in bytes ("16MiB"). */
  kind: t.Union([
    t.Literal("text"),
    t.Literal("url"),
    t.Literal("integer"),
    t.Literal("duration"),
    t.Literal("size"),
    t.Literal("boolean"),
    t.Literal("secret"),
    t.Literal("choice"),
    t.Literal("dollars"),
  ]),
  /** For kind "choice": the words it takes. */
  choices: t.Optional(t.Array(t.String())),
  /** Absent for secrets, which are managed on their own pages. */
  value: t.Optional(SettingValue),
  default: t.Optional(SettingValue),
  help: t.String(),
  origin: t.Union([t.Literal("default"), t.Literal("file"), t.Literal("env"), t.Literal("flag")]),
  /** The environment variable that would override it. */
  env: t.String(),
  secret: t.Boolean(),
  restart: t.Boolean(),
  /** False for secrets and for values an environment variable or flag decides. */
  editable: t.Boolean(),
});
export type SettingView = typeof SettingView.static;

export const SettingsResponse = t.Object({
  settings: t.Array(SettingView),
  /** Keys saved whose new value applies only after a restart. */
  restart_needed: t.Array(t.String()),
});
export type SettingsResponse = typeof SettingsResponse.static;

/** Changed keys only; null puts a key back to its default. */
export const SettingsPatchBody = t.Record(
  t.String(),
  t.Union([t.String(), t.Number(), t.Boolean(), t.Array(t.String()), t.Null()]),
);
export type SettingsPatchBody = typeof SettingsPatchBody.static;

export const ProxyTestBody = t.Object({ proxy: t.String() });
export type ProxyTestBody = typeof ProxyTestBody.static;

export const ReachView = t.Object({
  ok: t.Boolean(),
  status: t.Optional(t.Number()),
  ms: t.Number(),
  message: t.String(),
  checked_at: t.Number(),
  upstream_date: t.Optional(t.Number()),
});
export type ReachView = typeof ReachView.static;

export const PasswordBody = t.Object({
  current: t.String({ minLength: 1 }),
  next: t.String({ minLength: 12, maxLength: 200 }),
});
export type PasswordBody = typeof PasswordBody.static;

/** A password change ends every session; the caller gets this new one. */
export const PasswordResponse = t.Object({ ok: t.Boolean(), token: t.String(), expires_at: t.Number() });
export type PasswordResponse = typeof PasswordResponse.static;

/** Why the gateway is not simply "ok", as codes and facts; the app words them with what to do. */
export const HealthReason = t.Object({
  code: t.Union([
    t.Literal("unreachable"),
    t.Literal("no_keys"),
    t.Literal("keys_cooling"),
    t.Literal("keys_unusable"),
    t.Literal("some_keys_unusable"),
    t.Literal("server_errors"),
    t.Literal("config_problem"),
    t.Literal("shared_unavailable"),
  ]),
  /** The upstream host, and the outbound proxy's when one is set. */
  host: t.Optional(t.String()),
  proxy: t.Optional(t.String()),
  /** For shared_unavailable: which of Redis and PostgreSQL cannot be reached, and usage rows waiting. */
  services: t.Optional(t.Array(t.String())),
  /** The technical detail (the connection error). */
  detail: t.Optional(t.String()),
  count: t.Optional(t.Number()),
  total: t.Optional(t.Number()),
  /** When the first cooling key is usable again (ms since epoch). */
  until: t.Optional(t.Number()),
});
export type HealthReason = typeof HealthReason.static;

export const HealthView = t.Object({
  state: t.Union([t.Literal("ok"), t.Literal("degraded"), t.Literal("down")]),
  reasons: t.Array(HealthReason),
});
export type HealthView = typeof HealthView.static;

export const StatusResponse = t.Object({
  version: t.String(),
  runtime: t.String(),
  uptime_s: t.Number(),
  now: t.Number(),
  /** The last upstream reachability check; null until the first one finishes. */
  upstream: t.Union([ReachView, t.Null()]),
  upstream_base_url: t.String(),
  in_flight: t.Number(),
  live_streams: t.Number(),
  health: HealthView,
  /** Requests per minute over the last hour, oldest first (since start, if that is less). */
  last_hour: t.Object({ requests: t.Array(t.Number()), failed: t.Array(t.Number()) }),
  /** Since 00:00 UTC. */
  today: t.Object({
    requests: t.Number(),
    failed: t.Number(),
    tokens: t.Number(),
    /** The prompt side: uncached input, read from the cache, written to it. */
    input_tokens: t.Number(),
    cache_read_tokens: t.Number(),
    cache_write_tokens: t.Number(),
    cost_usd: t.Number(),
    /** What prompt caching saved today, re-warm requests subtracted. */
    saved_usd: t.Number(),
    keep_warm_requests: t.Number(),
    keep_warm_usd: t.Number(),
  }),
  /** Instances sharing state (issue 20): each store's link, usage rows waiting for PostgreSQL and given up. */
  shared: t.Optional(
    t.Object({
      redis: t.Union([t.Literal("off"), t.Literal("ok"), t.Literal("down")]),
      database: t.Union([t.Literal("off"), t.Literal("ok"), t.Literal("down")]),
      degraded: t.Boolean(),
      down: t.Array(t.Union([t.Literal("Redis"), t.Literal("PostgreSQL")])),
      message: t.Optional(t.String()),
      usage_waiting: t.Number(),
      usage_dropped: t.Number(),
    }),
  ),
  /** Today per provider that answered (issue 17); unpriced: requests whose cost is unknown. */
  today_by_provider: t.Array(
    t.Object({
      provider: t.String(),
      requests: t.Number(),
      failed: t.Number(),
      cost_usd: t.Number(),
      unpriced: t.Number(),
    }),
  ),
  keys: t.Array(KeyView),
  /** Why the config file on disk was refused (a hand edit); the running config was kept. */
  config_problem: t.Optional(t.String()),
  /** Where model traits come from: upstream's list, the one the database kept, or the built-in one. */
  models: t.Object({
    source: t.Union([t.Literal("upstream"), t.Literal("database"), t.Literal("builtin")]),
    count: t.Number(),
    fetched_at: t.Union([t.Number(), t.Null()]),
    problem: t.Union([t.String(), t.Null()]),
  }),
});
export type StatusResponse = typeof StatusResponse.static;

export const ConnectResponse = t.Object({
  /** Model ids to suggest in client settings: what upstream lists (or the built-in list before it answered). */
  models: t.Array(t.String()),
  models_source: t.Union([t.Literal("upstream"), t.Literal("database"), t.Literal("builtin")]),
  host: t.String(),
  port: t.Number(),
  /** Addresses a second device can reach pocketgate at; empty when it listens on this device only. */
  lan_addresses: t.Array(t.String()),
});
export type ConnectResponse = typeof ConnectResponse.static;

// The Providers page (issue 17).
const ProviderPrice = t.Object({
  input: t.Number({ minimum: 0, maximum: 10_000 }),
  output: t.Number({ minimum: 0, maximum: 10_000 }),
  cache_read: t.Optional(t.Number({ minimum: 0, maximum: 10_000 })),
  cache_write_5m: t.Optional(t.Number({ minimum: 0, maximum: 10_000 })),
  cache_write_1h: t.Optional(t.Number({ minimum: 0, maximum: 10_000 })),
});
const ProviderAuth = t.Union([t.Literal("x-api-key"), t.Literal("bearer")]);
const ProviderHeaders = t.Record(t.String({ maxLength: 64 }), t.String({ maxLength: 4096 }), { maxProperties: 20 });
const ProviderModels = t.Array(t.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 });

const ProviderKindSchema = t.Union([t.Literal("anthropic"), t.Literal("bedrock"), t.Literal("vertex")]);
const InferenceProfileSchema = t.Union([
  t.Literal("us"),
  t.Literal("eu"),
  t.Literal("apac"),
  t.Literal("jp"),
  t.Literal("au"),
  t.Literal("global"),
  t.Literal("none"),
]);

export const ProviderChange = t.Object({
  base_url: t.Optional(t.String({ maxLength: 2000 })),
  /** Bedrock and Vertex (issue 19); checked whole by the config parser. */
  region: t.Optional(t.String({ maxLength: 40 })),
  project: t.Optional(t.String({ maxLength: 40 })),
  model_ids: t.Optional(t.Record(t.String({ maxLength: 200 }), t.String({ maxLength: 300 }), { maxProperties: 200 })),
  inference_profile: t.Optional(InferenceProfileSchema),
  token_url: t.Optional(t.String({ maxLength: 2000 })),
  auth: t.Optional(ProviderAuth),
  headers: t.Optional(ProviderHeaders),
  models: t.Optional(ProviderModels),
  enabled: t.Optional(t.Boolean()),
  prompt_cache: t.Optional(t.Boolean()),
  prices: t.Optional(t.Record(t.String({ maxLength: 200 }), ProviderPrice, { maxProperties: 500 })),
});
export type ProviderChange = typeof ProviderChange.static;

export const ProviderCreate = t.Composite([
  t.Object({
    name: t.String({ minLength: 1, maxLength: 32 }),
    /** Not for Bedrock and Vertex, whose address comes from the region. */
    base_url: t.Optional(t.String({ minLength: 1, maxLength: 2000 })),
    kind: t.Optional(ProviderKindSchema),
    /** Keys pasted with it (whitespace or commas between them; a Vertex service account key file whole). */
    keys: t.Optional(t.String({ maxLength: 100_000 })),
  }),
  t.Omit(ProviderChange, ["base_url"]),
]);
export type ProviderCreate = typeof ProviderCreate.static;

export const ProviderOrderBody = t.Object({
  names: t.Array(t.String({ maxLength: 32 }), { minItems: 1, maxItems: 64 }),
});
export const ProviderAliasesBody = t.Object({
  aliases: t.Record(t.String({ maxLength: 200 }), t.String({ maxLength: 240 }), { maxProperties: 200 }),
});

export type ProviderOrderBody = typeof ProviderOrderBody.static;
export type ProviderAliasesBody = typeof ProviderAliasesBody.static;

/** One provider on the Providers page (header values shown by their start only). */
export const ProviderView = t.Object({
  name: t.String(),
  kind: ProviderKindSchema,
  base_url: t.String(),
  region: t.Optional(t.String()),
  project: t.Optional(t.String()),
  /** Bedrock and Vertex: each model id and what the platform calls it (built-in table and model_ids). */
  model_ids: t.Record(t.String(), t.String()),
  auth: ProviderAuth,
  headers: t.Record(t.String(), t.String()),
  models: t.Array(t.String()),
  /** Ids the provider's own /v1/models listed at its last test (first 200). */
  reported_models: t.Array(t.String()),
  priority: t.Number(),
  enabled: t.Boolean(),
  prompt_cache: t.Boolean(),
  prices: t.Record(t.String(), ProviderPrice),
  /** anthropic: upstream_base_url and upstream_keys; cannot be removed. */
  builtin: t.Boolean(),
  keys: t.Object({ total: t.Number(), active: t.Number() }),
});
export type ProviderView = typeof ProviderView.static;

export const ProviderPreset = t.Object({
  id: t.String(),
  label: t.String(),
  base_url: t.String(),
  auth: ProviderAuth,
  models: t.Array(t.String()),
  docs: t.String(),
});

export const ProvidersResponse = t.Object({
  providers: t.Array(ProviderView),
  aliases: t.Record(t.String(), t.String()),
  presets: t.Array(ProviderPreset),
  /** false when providers (or model_aliases) come from the environment or a flag. */
  editable: t.Boolean(),
  aliases_editable: t.Boolean(),
});
export type ProvidersResponse = typeof ProvidersResponse.static;

export const ProviderTestResponse = t.Object({ status: t.Number(), message: t.String(), models: t.Number() });
export type ProviderTestResponse = typeof ProviderTestResponse.static;
