// Providers (issue 17), pure parts: the [[providers]] and model_aliases parsers (hostile input
// included), the registry's order, model resolution, prices per provider, the file form.
import { describe, expect, test } from "bun:test";
import { isFailure } from "../../server/config/parsers.ts";
import { type Config, defaults } from "../../server/config/schema.ts";
import { aliasesParser, type ProviderDef, providersParser, providerToFile } from "../../server/providers/config.ts";
import { providerPrice } from "../../server/providers/prices.ts";
import { providersOf } from "../../server/providers/registry.ts";
import { directRoute, listedBy, probeModel, resolveModel } from "../../server/providers/route.ts";

const parse = (raw: unknown) => providersParser(raw);
const expected = (raw: unknown) => {
  const result = parse(raw);
  if (!isFailure(result)) throw new Error(`accepted ${JSON.stringify(raw)}`);
  return result.expected;
};
const provider = (extra: Record<string, unknown> = {}) => ({
  name: "deepseek",
  base_url: "https://api.deepseek.com/anthropic",
  ...extra,
});
const config = (providers: unknown[], aliases: Record<string, string> = {}): Config =>
  ({ ...defaults, providers: parse(providers) as ProviderDef[], model_aliases: aliases }) as Config;
const nothingKnown = () => false;

describe("the [[providers]] parser", () => {
  test("a minimal table gets its defaults; the environment's JSON reads the same", () => {
    const parsed = parse([provider()]);
    expect(parsed).toEqual([
      {
        name: "deepseek",
        kind: "anthropic",
        model_ids: {},
        base_url: "https://api.deepseek.com/anthropic",
        auth: "x-api-key",
        headers: {},
        keys: [],
        models: [],
        priority: 100,
        enabled: true,
        prompt_cache: false,
        prices: {},
      },
    ]);
    expect(parse(JSON.stringify([provider()]))).toEqual(parsed);
  });

  test("mistakes are named with the provider and the field", () => {
    expect(expected([{ name: "Deep Seek", base_url: "https://x" }])).toContain("providers[0].name");
    expect(expected([provider({ base_url: "ftp://x" })])).toContain('provider "deepseek".base_url');
    expect(expected([provider({ base_url: "https://user:pw@x.example" })])).toContain("without a user name");
    expect(expected([{ name: "deepseek" }])).toContain("base_url is missing");
    expect(expected([provider({ auth: "basic" })])).toContain('"x-api-key" or "bearer"');
    expect(expected([provider({ priority: -1 })])).toContain("priority");
    expect(expected([provider({ colour: "blue" })])).toContain('unknown field "colour"');
    expect(expected([provider(), provider()])).toContain("listed twice");
    expect(expected([provider({ prices: { m: { input: 1 } } })])).toContain("needs input and output");
    expect(expected([provider({ prices: { m: { input: 1, output: -2 } } })])).toContain("from 0 to 10000");
    expect(expected("[not json")).toContain("JSON");
    expect(expected({ name: "x" })).toContain("[[providers]]");
  });

  test("headers cannot carry a credential, framing, or a second line", () => {
    for (const name of ["authorization", "X-Api-Key", "host", "content-length", "transfer-encoding"]) {
      expect(expected([provider({ headers: { [name]: "x" } })])).toContain("cannot be set");
    }
    expect(expected([provider({ headers: { "x-org": "a\r\nx-api-key: stolen" } })])).toContain("single-line");
    expect(expected([provider({ headers: { "bad header": "x" } })])).toContain("cannot be set");
    expect((parse([provider({ headers: { "X-Org": "team" } })]) as ProviderDef[])[0]?.headers).toEqual({
      "x-org": "team",
    });
  });

  test("anthropic's address and keys stay upstream_base_url and upstream_keys", () => {
    expect(expected([{ name: "anthropic", base_url: "https://x.example" }])).toContain("upstream_base_url");
    expect(expected([{ name: "anthropic", keys: ["sk-ant-x"] }])).toContain("upstream_keys");
    const [own] = parse([{ name: "anthropic", priority: 5 }]) as ProviderDef[];
    expect(own).toMatchObject({ name: "anthropic", priority: 5, prompt_cache: true });
  });

  test("bounded: 32 providers, 500 models each", () => {
    const many = Array.from({ length: 33 }, (_, i) => provider({ name: `p${i}` }));
    expect(expected(many)).toContain("at most 32");
    expect(expected([provider({ models: Array.from({ length: 501 }, (_, i) => `m${i}`) })])).toContain("at most 500");
  });

  test("the file form leaves defaults out and reads back the same", () => {
    const [full] = parse([provider({ models: ["a"], priority: 30, auth: "bearer" })]) as ProviderDef[];
    const written = providerToFile(full as ProviderDef);
    expect(written).toEqual({
      name: "deepseek",
      base_url: "https://api.deepseek.com/anthropic",
      auth: "bearer",
      models: ["a"],
      priority: 30,
    });
    expect(parse([written])).toEqual([full as ProviderDef]);
    expect(providerToFile((parse([{ name: "anthropic" }]) as ProviderDef[])[0] as ProviderDef)).toEqual({
      name: "anthropic",
    });
  });
});

describe("model_aliases", () => {
  test('names map to "provider/model"; anything else is refused', () => {
    expect(aliasesParser({ fast: "anthropic/claude-haiku-4-5" })).toEqual({ fast: "anthropic/claude-haiku-4-5" });
    expect(aliasesParser('{"ds":"deepseek/deepseek-flash"}')).toEqual({ ds: "deepseek/deepseek-flash" });
    expect(isFailure(aliasesParser({ fast: "claude-haiku-4-5" }))).toBe(true);
    expect(isFailure(aliasesParser({ fast: "Anthropic/x" }))).toBe(true);
    expect(isFailure(aliasesParser(["fast"]))).toBe(true);
  });
});

describe("routing", () => {
  const two = config(
    [provider({ models: ["deepseek-flash", "shared-*"], priority: 50 }), { name: "anthropic", models: ["shared-1"] }],
    { fast: "anthropic/claude-haiku-4-5", ghost: "nowhere/x" },
  );

  test("the registry orders by priority; anthropic comes from upstream_base_url", () => {
    expect(providersOf(two).map((p) => [p.name, p.priority])).toEqual([
      ["deepseek", 50],
      ["anthropic", 100],
    ]);
    expect(providersOf(two)[1]?.baseUrl).toBe(defaults.upstream_base_url);
    expect(providersOf(defaults).map((p) => p.name)).toEqual(["anthropic"]);
  });

  test("listed models, patterns, priority; unknown models go to anthropic as they always did", () => {
    const names = (model: string) => resolveModel(two, model, nothingKnown).providers.map((p) => p.name);
    expect(names("deepseek-flash")).toEqual(["deepseek"]);
    expect(names("shared-1")).toEqual(["deepseek", "anthropic"]);
    expect(names("shared-2")).toEqual(["deepseek"]);
    expect(names("claude-sonnet-4-6")).toEqual(["anthropic"]);
    expect(resolveModel(two, "claude-sonnet-4-6", nothingKnown).renamed).toBe(false);
    // A model a provider reported itself.
    const knows = (p: { name: string }, m: string) => p.name === "deepseek" && m === "deepseek-v4-pro";
    expect(resolveModel(two, "deepseek-v4-pro", knows).providers.map((p) => p.name)).toEqual(["deepseek"]);
  });

  test("aliases and provider/model pin one provider and rename the model", () => {
    expect(resolveModel(two, "fast", nothingKnown)).toMatchObject({ model: "claude-haiku-4-5", renamed: true });
    const prefixed = resolveModel(two, "deepseek/deepseek-v4-pro", nothingKnown);
    expect(prefixed).toMatchObject({ model: "deepseek-v4-pro", renamed: true });
    expect(prefixed.providers.map((p) => p.name)).toEqual(["deepseek"]);
    expect(directRoute(two, "claude-sonnet-4-6")).toBeUndefined();
    // A slash that names no provider is part of the id.
    expect(resolveModel(two, "org/model", nothingKnown)).toMatchObject({ model: "org/model", renamed: false });
    expect(() => resolveModel(two, "ghost", nothingKnown)).toThrow('points at provider "nowhere"');
  });

  test("a provider turned off is skipped, and asking for it directly says so", () => {
    const off = config([provider({ models: ["deepseek-flash"], enabled: false })]);
    expect(resolveModel(off, "deepseek-flash", nothingKnown).providers.map((p) => p.name)).toEqual(["anthropic"]);
    expect(() => resolveModel(off, "deepseek/deepseek-flash", nothingKnown)).toThrow("turned off");
    const noAnthropic = config([provider({ models: ["deepseek-flash"] }), { name: "anthropic", enabled: false }]);
    expect(() => resolveModel(noAnthropic, "claude-sonnet-4-6", nothingKnown)).toThrow("no enabled provider");
  });

  test("patterns match by prefix only", () => {
    expect(listedBy(["glm-*"], "glm-4.7")).toBe(true);
    expect(listedBy(["glm-*"], "xglm-4.7")).toBe(false);
    expect(listedBy(["glm"], "glm-4.7")).toBe(false);
  });

  test("a key test asks a model the provider names", () => {
    expect(probeModel(two, "anthropic", [])).toBeUndefined();
    expect(probeModel(two, "deepseek", [])).toBe("deepseek-flash");
    const bare = config([provider({ models: ["x-*"] })]);
    expect(probeModel(bare, "deepseek", ["reported-1"])).toBe("reported-1");
    expect(probeModel(bare, "deepseek", [])).toBeNull();
  });
});

describe("prices per provider", () => {
  const priced = config([provider({ prices: { "deepseek-flash": { input: 0.27, output: 1.1, cache_read: 0.07 } } })]);
  const [deepseek, anthropic] = [providersOf(priced)[1], providersOf(priced)[0]];

  test("a provider's own entry; Anthropic's file for anthropic; unknown elsewhere", () => {
    expect(deepseek?.name).toBe("deepseek");
    expect(providerPrice(deepseek, "deepseek-flash")).toMatchObject({ input: 0.27, output: 1.1, cache_read: 0.07 });
    // Cache writes it does not state are priced as input.
    expect(providerPrice(deepseek, "deepseek-flash")?.cache_write_5m).toBe(0.27);
    expect(providerPrice(deepseek, "claude-sonnet-4-6")).toBeUndefined();
    expect(providerPrice(anthropic, "claude-sonnet-4-6")?.input).toBeGreaterThan(0);
    expect(providerPrice(undefined, "claude-sonnet-4-6")?.input).toBeGreaterThan(0);
  });
});
