// Every config key, once: its default, parser, environment name and meaning.
// test/unit/readme.test.ts checks that the README's config reference lists every key here.
import { aliasesParser, type ProviderDef, providersParser, providerToFile } from "../providers/config.ts";
import * as p from "./parsers.ts";

/** The admin app's sections, and how it shows and takes a value. */
export type SettingGroup =
  | "connection"
  | "upstream"
  | "providers"
  | "caching"
  | "timeouts"
  | "limits"
  | "privacy"
  | "team"
  | "secrets";
export type SettingKind =
  | "text"
  | "url"
  | "integer"
  | "duration"
  | "size"
  | "boolean"
  | "secret"
  | "choice"
  | "dollars";

interface KeyDef<T> {
  readonly default: T;
  readonly parse: p.Parser<T>;
  readonly help: string;
  readonly group: SettingGroup;
  readonly kind: SettingKind;
  /** Never printed back (the value is a secret). */
  readonly secret?: boolean;
  /** Applying a change needs a restart. */
  readonly restart?: boolean;
  /**
   * Belongs to this instance, not to a team of them (issue 20): with database_url set, every other
   * setting saved in the admin app is saved for all instances; these stay in each one's file.
   */
  readonly instance?: boolean;
  /** For kind "choice": the words it takes. */
  readonly choices?: readonly string[];
  /** How a saved value is written to the file, when not as parsed (tables: their defaults left out). */
  readonly toFile?: (value: T) => unknown;
}

const def = <T>(d: KeyDef<T>): KeyDef<T> => d;

export const schema = {
  host: def({
    group: "connection",
    kind: "text",
    default: "127.0.0.1",
    parse: p.text,
    help: "address to listen on",
    restart: true,
    instance: true,
  }),
  port: def({
    group: "connection",
    kind: "integer",
    default: 8484,
    parse: p.integer(0, 65_535),
    help: "port to listen on (0 picks a free one)",
    restart: true,
    instance: true,
  }),
  upstream_base_url: def({
    group: "upstream",
    kind: "url",
    default: "https://api.anthropic.com",
    parse: p.httpUrl(false),
    help: "Anthropic API base URL",
  }),
  upstream_keys: def<readonly string[]>({
    group: "secrets",
    kind: "secret",
    default: [],
    parse: p.stringList,
    help: "Anthropic API keys for the upstream pool (more can be added in the admin API)",
    secret: true,
  }),
  // More Anthropic-format upstreams beside upstream_base_url (issue 17): the admin app's Providers page.
  providers: def<readonly ProviderDef[]>({
    group: "providers",
    kind: "secret",
    default: [],
    parse: providersParser,
    toFile: (list) => list.map(providerToFile),
    help: "more Anthropic-format upstreams: [[providers]] tables with name, base_url, auth, keys, models, priority (see the README)",
    secret: true,
  }),
  model_aliases: def<Readonly<Record<string, string>>>({
    group: "providers",
    kind: "text",
    default: {},
    parse: aliasesParser,
    help: 'client-facing model names mapped to "provider/model", e.g. { fast = "anthropic/claude-haiku-4-5" }',
  }),
  password: def({
    group: "secrets",
    kind: "secret",
    default: "",
    parse: p.text,
    help: "client key apps send as x-api-key or Bearer (generated on first start)",
    secret: true,
  }),
  admin_password: def({
    group: "secrets",
    kind: "secret",
    default: "",
    parse: p.text,
    help: "admin password in clear text; in the file it is replaced by admin_password_hash",
    secret: true,
  }),
  admin_password_hash: def({
    group: "secrets",
    kind: "secret",
    default: "",
    parse: p.text,
    help: "scrypt hash of the admin password (written by pocketgate)",
    secret: true,
  }),
  proxy: def({
    group: "upstream",
    kind: "url",
    default: "",
    parse: p.httpUrl(true),
    help: "outbound HTTP(S) proxy for upstream requests",
  }),
  first_byte_timeout: def({
    group: "timeouts",
    kind: "duration",
    default: 600,
    parse: p.seconds,
    help: "seconds to wait for upstream's first byte (long thinking can take minutes)",
  }),
  stream_idle_timeout: def({
    group: "timeouts",
    kind: "duration",
    default: 300,
    parse: p.seconds,
    help: "seconds a stream may stay silent before it is ended with an error event",
  }),
  max_attempts: def({
    group: "upstream",
    kind: "integer",
    default: 3,
    parse: p.integer(1, 10),
    help: "upstream attempts per request, failing over to other keys and providers before the first byte",
  }),
  usage_retention_days: def({
    group: "privacy",
    kind: "integer",
    default: 90,
    parse: p.integer(1, 3650),
    help: "days of per-request usage rows to keep",
  }),
  responses_retention_days: def({
    group: "privacy",
    kind: "integer",
    default: 30,
    parse: p.integer(1, 3650),
    help: "days a stored Responses API reply is kept for previous_response_id and GET /v1/responses/{id}",
  }),
  passthrough: def({
    group: "connection",
    kind: "boolean",
    default: false,
    parse: p.boolean,
    help: "forward requests that bring their own Anthropic credential instead of a client key",
  }),
  body_limit: def({
    group: "limits",
    kind: "size",
    default: 32 * 1024 * 1024,
    parse: p.bytes,
    help: "largest request body accepted",
  }),
  client_idle_timeout: def({
    group: "timeouts",
    kind: "duration",
    default: 15,
    parse: p.duration(255, true),
    help: "seconds a client connection may sit idle between requests, or stall while sending one, before it is closed",
    restart: true,
  }),
  // Prompt caching (server/caching/): each client key may override these defaults.
  // https://platform.claude.com/docs/en/build-with-claude/prompt-caching
  prompt_cache: def<"auto" | "off">({
    group: "caching",
    kind: "choice",
    choices: ["auto", "off"],
    default: "auto",
    parse: p.choice("auto", "off"),
    help: 'OpenAI-route requests ask Anthropic to cache their prefix ("auto"), or not ("off"); native requests only when their client key says "auto"',
  }),
  prompt_cache_ttl: def<"5m" | "1h">({
    group: "caching",
    kind: "choice",
    choices: ["5m", "1h"],
    default: "5m",
    parse: p.choice("5m", "1h"),
    help: "how long a cached prefix lives unused: 5m (writes cost 1.25× input) or 1h (writes cost 2×)",
  }),
  keep_warm: def({
    group: "caching",
    kind: "boolean",
    default: false,
    parse: p.boolean,
    help: "re-warm an idle conversation's cached prefix (a max_tokens 0 request) shortly before it expires",
  }),
  keep_warm_max_per_day: def({
    group: "caching",
    kind: "dollars",
    default: 0.5,
    parse: p.dollars,
    help: "US dollars each client may spend on re-warming per day (UTC); then re-warming stops until tomorrow",
  }),
  keep_warm_idle_stop: def({
    group: "caching",
    kind: "duration",
    default: 1800,
    parse: p.duration(86_400),
    help: "a conversation idle this long is no longer re-warmed",
  }),
  keep_warm_every: def({
    group: "caching",
    kind: "duration",
    default: 0,
    parse: p.durationOrZero(86_400),
    help: "how often an idle conversation is re-warmed; 0: 30 s before the cache would expire (4m30s for 5m)",
  }),
  // Several instances sharing state (issue 20; README "Team server").
  redis_url: def({
    group: "team",
    kind: "secret",
    default: "",
    parse: p.serviceUrl(["redis:", "rediss:"], "shared fast state: cooldowns, rpm windows, sessions, notices"),
    help: "Redis for state shared by several instances (key cooldowns, rpm windows, sessions, change notices); empty: this instance alone",
    secret: true,
    restart: true,
    instance: true,
  }),
  database_url: def({
    group: "team",
    kind: "secret",
    default: "",
    parse: p.serviceUrl(["postgres:", "postgresql:"], "shared durable state: keys, usage, settings"),
    help: "PostgreSQL for state shared by several instances (keys, client keys, usage, stored responses, settings); empty: the embedded database only",
    secret: true,
    restart: true,
    instance: true,
  }),
  shared_prefix: def({
    group: "team",
    kind: "text",
    default: "pocketgate",
    parse: p.text,
    help: "prefix of pocketgate's Redis keys and channels (instances sharing state use the same one)",
    restart: true,
    instance: true,
  }),
  shared_usage_buffer: def({
    group: "team",
    kind: "integer",
    default: 100_000,
    parse: p.integer(10, 10_000_000),
    help: "usage rows kept for PostgreSQL while it is unreachable; beyond this the oldest are dropped (counted in /metrics)",
    restart: true,
    instance: true,
  }),
  capture_bodies: def({
    group: "privacy",
    kind: "boolean",
    default: false,
    parse: p.boolean,
    help: "keep each request's body (credentials redacted) in the request log, for debugging",
  }),
} as const;

export type ConfigKey = keyof typeof schema;
export type Config = { readonly [K in ConfigKey]: (typeof schema)[K]["default"] };

export const configKeys = Object.keys(schema) as ConfigKey[];

export const envName = (key: ConfigKey): string => `POCKETGATE_${key.toUpperCase()}`;

export const defaults = Object.fromEntries(configKeys.map((k) => [k, schema[k].default])) as Config;
