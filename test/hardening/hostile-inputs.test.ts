// Hostile input over every proxy and admin route (issue 11): fast-check, a fixed seed, a bounded
// number of runs. Bodies are valid requests with one field replaced by anything JSON can carry
// (wrong types, lone surrogates, huge numbers, deep nesting, long text), JSON that is not an
// object, bytes that are not JSON or not UTF-8, odd content types, odd paths and queries. Every
// answer must be below 500 and, when an error, in the caller's protocol shape; nothing may be
// logged as a bug; memory stays bounded. The status counts per route are printed.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { adminLogin } from "../harness/admin.ts";
import { ADMIN_PASSWORD, CLIENT_KEY, runtime } from "../harness/gateway.ts";
import { MiB, peakRssOf, rssOf } from "../harness/process-stats.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const SEED = 20261202;
const RUNS = Number(process.env.HOSTILE_RUNS ?? 200);
const suite = useMockAndGateway();

/** Field names the routes know, so replacements land where validation matters. */
const FIELDS = [
  "model",
  "messages",
  "content",
  "role",
  "type",
  "text",
  "tools",
  "tool_choice",
  "system",
  "max_tokens",
  "stream",
  "thinking",
  "budget_tokens",
  "metadata",
  "user_id",
  "stop_sequences",
  "temperature",
  "top_p",
  "input_schema",
  "name",
  "tool_calls",
  "function",
  "arguments",
  "id",
  "tool_call_id",
  "image_url",
  "url",
  "source",
  "data",
  "media_type",
  "cache_control",
  "n",
  "response_format",
  "stream_options",
  "include_usage",
  "reasoning_effort",
  "max_completion_tokens",
  "parallel_tool_calls",
  "keys",
  "label",
  "enabled",
  "rpm",
  "monthly_tokens",
  "monthly_usd",
  "password",
  "current",
  "next",
  "max_attempts",
  "first_byte_timeout",
  "usage_retention_days",
  "capture_bodies",
  "passthrough",
  "__proto__",
  "constructor",
];

const deep = (depth: number, inner: unknown): unknown => {
  let value = inner;
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

/** Anything JSON can carry, weighted towards what breaks validators. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, "", "0", "true", [], {}),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.string({ unit: "grapheme", maxLength: 24 }),
  fc.nat({ max: 60_000 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 1, max: 400 }).map((d) => deep(d, 1)),
  // Deep enough to overflow a recursive walk (JSON.stringify, a validator), within body_limit:
  // a placeholder that `serialize` writes out as text (building it as a value would overflow here).
  fc.integer({ min: 10_000, max: 60_000 }).map((d) => `\u0000deep:${d}\u0000`),
  fc.array(fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 5 }),
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 4 })), {
    maxKeys: 4,
  }),
);

const pathStep = fc.oneof(fc.constantFrom(...FIELDS), fc.nat({ max: 3 }), fc.string({ maxLength: 6 }));

/** Every path into `value` (its own fields, at every level): where a replacement hits what is read. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (value === null || typeof value !== "object") return here;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  return here.concat(...entries.map(([k, v]) => pathsOf(v, [...prefix, k])));
}

/** A path to replace at: mostly one the request has (one step further, sometimes), else random. */
const pathInto = (base: unknown) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pathsOf(base).filter((p) => p.length > 0)) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...pathsOf(base)), pathStep).map(([path, step]) => [...path, step]),
    },
    { weight: 1, arbitrary: fc.array(pathStep, { maxLength: 4 }) },
  );

/** JSON text of `value`, with deep-nesting placeholders written out as nested arrays. */
const serialize = (value: unknown): string =>
  (JSON.stringify(value) ?? "null").replace(
    /"\\u0000deep:(\d+)\\u0000"/g,
    (_, d: string) => `${"[".repeat(Number(d))}1${"]".repeat(Number(d))}`,
  );

/** `base` with the value at `path` replaced (containers made where missing). */
function replaced(base: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [step, ...rest] = path as [string | number, ...(string | number)[]];
  // A named step into an array makes it an object (an array's "length" cannot be set to anything).
  const container =
    base !== null && typeof base === "object"
      ? Array.isArray(base) && typeof step === "number"
        ? [...base]
        : { ...base }
      : typeof step === "number"
        ? []
        : {};
  (container as Record<string | number, unknown>)[step] = replaced(
    (container as Record<string | number, unknown>)[step],
    rest,
    value,
  );
  return container;
}

type Body = { text?: string; bytes?: Uint8Array<ArrayBuffer>; type: string };

const bodyOf = (base: unknown): fc.Arbitrary<Body> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(pathInto(base), anyValue).map(([path, value]) => ({
        text: serialize(replaced(structuredClone(base), path, value)),
        type: "application/json",
      })),
    },
    {
      weight: 1,
      arbitrary: anyValue.map((value) => ({ text: serialize(value), type: "application/json" })),
    },
    {
      weight: 1,
      arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((text) => ({ text, type: "application/json" })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map((bytes) => ({ bytes: new Uint8Array(bytes), type: "application/json" })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data",
          "",
          "application/json; charset=latin1",
          "APPLICATION/JSON",
        )
        .map((type) => ({ text: JSON.stringify(base), type })),
    },
  );

interface Route {
  readonly name: string;
  readonly method: string;
  readonly path: string | fc.Arbitrary<string>;
  readonly protocol: "anthropic" | "openai";
  readonly base?: unknown;
  readonly admin?: boolean;
  /** Inputs this route must not be sent (a proxy URL would make the gateway reach off this machine). */
  readonly skip?: (text: string) => boolean;
}

const model = "claude-sonnet-4-6";
const offMachine = (text: string) => /[a-z]+:\/\//i.test(text);
const query = (keys: string[]) =>
  fc
    .dictionary(
      fc.constantFrom(...keys),
      fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.integer().map(String), fc.double().map(String)),
      { maxKeys: 4 },
    )
    .map((q) => `?${new URLSearchParams(q)}`);

const routes: Route[] = [
  {
    name: "POST /v1/messages",
    method: "POST",
    path: "/v1/messages",
    protocol: "anthropic",
    base: { model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] },
  },
  {
    name: "POST /code/v1/messages",
    method: "POST",
    path: "/code/v1/messages",
    protocol: "anthropic",
    base: {
      model,
      max_tokens: 16,
      stream: true,
      system: [{ type: "text", text: "s" }],
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    },
  },
  {
    name: "POST /v1/messages/count_tokens",
    method: "POST",
    path: "/v1/messages/count_tokens",
    protocol: "anthropic",
    base: { model, messages: [{ role: "user", content: "hi" }] },
  },
  {
    name: "POST /v1/chat/completions",
    method: "POST",
    path: "/v1/chat/completions",
    protocol: "openai",
    base: {
      model,
      messages: [
        { role: "system", content: "s" },
        { role: "user", content: [{ type: "text", text: "hi" }] },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c1", content: "r" },
      ],
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      stream: false,
    },
  },
  {
    name: "POST /v1/chat/completions (stream)",
    method: "POST",
    path: "/v1/chat/completions",
    protocol: "openai",
    base: { model, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] },
  },
  {
    name: "POST /v1/responses",
    method: "POST",
    path: "/v1/responses",
    protocol: "openai",
    base: {
      model,
      instructions: "s",
      input: [
        { role: "user", content: [{ type: "input_text", text: "hi" }] },
        { type: "function_call", call_id: "c1", name: "f", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "r" },
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "pgr1.e30" },
      ],
      tools: [
        { type: "function", name: "f", parameters: { type: "object" } },
        { type: "custom", name: "p" },
      ],
      reasoning: { effort: "low", summary: "auto" },
      stream: false,
    },
  },
  {
    name: "POST /v1/responses (stream, previous_response_id)",
    method: "POST",
    path: "/v1/responses",
    protocol: "openai",
    base: {
      model,
      stream: true,
      input: "hi",
      previous_response_id: "resp_x",
      include: ["reasoning.encrypted_content"],
    },
  },
  {
    name: "GET /v1/responses/:id",
    method: "GET",
    path: fc.string({ unit: "binary", maxLength: 12 }).map((id) => `/v1/responses/${encodeURIComponent(id)}`),
    protocol: "openai",
  },
  {
    name: "GET /v1/models",
    method: "GET",
    path: query(["limit", "after_id", "before_id", "x"]).map((q) => `/v1/models${q}`),
    protocol: "anthropic",
  },
  {
    name: "POST /api/login",
    method: "POST",
    path: "/api/login",
    protocol: "anthropic",
    admin: true,
    base: { password: "not-it" },
  },
  {
    name: "PATCH /api/settings",
    method: "PATCH",
    path: "/api/settings",
    protocol: "anthropic",
    admin: true,
    base: { max_attempts: 3 },
    skip: offMachine,
  },
  {
    name: "POST /api/settings/test-proxy",
    method: "POST",
    path: "/api/settings/test-proxy",
    protocol: "anthropic",
    admin: true,
    base: { proxy: "" },
    skip: offMachine,
  },
  {
    name: "POST /api/keys",
    method: "POST",
    path: "/api/keys",
    protocol: "anthropic",
    admin: true,
    base: { keys: "sk-ant-api03-hostile-input-key-0123456789", label: "h" },
  },
  {
    name: "PATCH /api/keys/:id",
    method: "PATCH",
    path: fc.string({ unit: "binary", maxLength: 12 }).map((id) => `/api/keys/${encodeURIComponent(id)}`),
    protocol: "anthropic",
    admin: true,
    base: { label: "x", enabled: true },
  },
  {
    // No base_url in the base, and none written by the fuzz (offMachine): nothing here may add a
    // provider that points off this machine.
    name: "POST /api/providers",
    method: "POST",
    path: "/api/providers",
    protocol: "anthropic",
    admin: true,
    base: { name: "hostile", models: ["hostile-*"], headers: { "x-org": "h" }, keys: "sk-hostile-0123456789" },
    skip: offMachine,
  },
  {
    name: "PATCH /api/providers/:name",
    method: "PATCH",
    path: fc.constantFrom("anthropic", "hostile", "nobody").map((name) => `/api/providers/${name}`),
    protocol: "anthropic",
    admin: true,
    base: { models: ["claude-sonnet-4-6"], enabled: true, prompt_cache: true, prices: { x: { input: 1, output: 2 } } },
    skip: offMachine,
  },
  {
    name: "PUT /api/providers/aliases",
    method: "PUT",
    path: "/api/providers/aliases",
    protocol: "anthropic",
    admin: true,
    base: { aliases: { fast: "anthropic/claude-haiku-4-5" } },
    skip: offMachine,
  },
  {
    name: "POST /api/clients",
    method: "POST",
    path: "/api/clients",
    protocol: "anthropic",
    admin: true,
    base: { name: "hostile", rpm: 5 },
  },
  {
    name: "PATCH /api/clients/:id",
    method: "PATCH",
    path: fc.string({ maxLength: 12 }).map((id) => `/api/clients/${encodeURIComponent(id)}`),
    protocol: "anthropic",
    admin: true,
    base: { rpm: 5, monthly_usd: 1 },
  },
  {
    name: "POST /api/password",
    method: "POST",
    path: "/api/password",
    protocol: "anthropic",
    admin: true,
    base: { current: "not-the-password", next: "a-new-password-0123456789" },
  },
  {
    name: "GET /api/requests",
    method: "GET",
    path: query(["limit", "status", "client", "key", "model"]).map((q) => `/api/requests${q}`),
    protocol: "anthropic",
    admin: true,
  },
  {
    name: "GET /api/usage",
    method: "GET",
    path: query(["days", "by"]).map((q) => `/api/usage${q}`),
    protocol: "anthropic",
    admin: true,
  },
  { name: "any method, any path", method: "*", path: fc.webPath(), protocol: "anthropic" },
];

/** An error body in the route's protocol shape. */
function errorShaped(protocol: Route["protocol"], text: string): boolean {
  try {
    const body = JSON.parse(text) as { type?: string; error?: { type?: unknown; message?: unknown } };
    if (typeof body.error?.message !== "string" || typeof body.error.type !== "string") return false;
    return protocol === "openai" || body.type === "error";
  } catch {
    return false;
  }
}

describe(`hostile input on every route, ${runtime}`, () => {
  test(`${RUNS} inputs per route: never a 5xx, errors in the caller's shape, no bug logged, memory bounded`, async () => {
    const token = await adminLogin(suite.gateway, ADMIN_PASSWORD);
    const startRss = rssOf(suite.gateway.pid);
    const table: string[] = [];
    const problems: string[] = [];
    for (const route of routes) {
      const counts = new Map<number, number>();
      const path = typeof route.path === "string" ? fc.constant(route.path) : route.path;
      const method =
        route.method === "*"
          ? fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
          : fc.constant(route.method);
      const body = route.base === undefined ? fc.constant(undefined) : bodyOf(route.base);
      await fc.assert(
        fc.asyncProperty(method, path, body, async (m, p, b) => {
          if (b?.text !== undefined && route.skip?.(b.text)) return;
          const headers: Record<string, string> = route.admin
            ? { authorization: `Bearer ${token}` }
            : { "x-api-key": CLIENT_KEY, "anthropic-version": "2023-06-01" };
          if (b && b.type !== "") headers["content-type"] = b.type;
          const hasBody = b !== undefined && m !== "GET" && m !== "HEAD";
          const response = await fetch(`${suite.gateway.url}${p}`, {
            method: m,
            headers,
            body: hasBody ? (b.bytes ?? b.text) : undefined,
          });
          const text = await response.text();
          counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
          const sample = `${m} ${p} ${b ? (b.text ?? `<${b.bytes?.length} bytes>`).slice(0, 160) : ""}`;
          if (response.status >= 500) problems.push(`${response.status} for ${sample}: ${text.slice(0, 200)}`);
          else if (response.status >= 400 && m !== "HEAD" && !errorShaped(route.protocol, text)) {
            problems.push(
              `${response.status} not in the ${route.protocol} error shape for ${sample}: ${text.slice(0, 200)}`,
            );
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      const shown = [...counts]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ");
      table.push(`${route.name.padEnd(36)} ${shown}`);
    }
    console.log(`hostile inputs on ${runtime}, seed ${SEED}:\n${table.join("\n")}`);
    expect(problems).toEqual([]);
    const stderr = suite.gateway.stderr();
    expect(stderr).not.toMatch(/error req_|internal error|TypeError|RangeError|Maximum call stack/);
    // Every input is under 64 KB (the deep ones a few KB): the gateway's peak stays near its start.
    expect(peakRssOf(suite.gateway.pid) - startRss).toBeLessThan(160 * MiB);
    // And the pool is whole: the original key still answers.
    const after = await fetch(`${suite.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": CLIENT_KEY, "content-type": "application/json" },
      body: JSON.stringify({ model, max_tokens: 8, messages: [{ role: "user", content: "still fine?" }] }),
    });
    expect(after.status).toBe(200);
  }, 600_000);
});
