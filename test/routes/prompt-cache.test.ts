// Prompt caching through the gateway (issue 15), against a mock upstream that caches as the API
// documents (test/harness/mock-cache.ts): the OpenAI route caches a SillyTavern-style chat by
// default and the bill shows it; keep-warm keeps an idle chat's prefix alive, within its idle
// stop and daily cap; native requests change only by the one spliced field, and only when asked.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import prices from "../../server/data/prices.json" with { type: "json" };
import { adminCall } from "../harness/admin.ts";
import { clientHeaders, type Gateway, startGateway } from "../harness/gateway.ts";
import { createPromptCache, type PromptCache, type Served } from "../harness/mock-cache.ts";
import { defaultResponder, type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";

const MODEL = "claude-sonnet-4-6";
const price = prices.models.find((row) => row.id === MODEL) as (typeof prices.models)[number];

/** A character card of about `tokens` tokens (the mock counts four bytes a token). */
const card = (name: string, tokens: number) =>
  `You are ${name}, a character in a long story. ${"The harbour town keeps its lanterns lit all night. ".repeat(Math.ceil((tokens * 4) / 52) + 12)}`;

/** USD for the mock's own token counts, from the price file (the hand computation). */
const costOf = (s: Served) =>
  (s.usage.input_tokens * price.input +
    s.usage.cache_read_input_tokens * price.cache_read +
    s.usage.cache_creation.ephemeral_5m_input_tokens * price.cache_write_5m +
    s.usage.cache_creation.ephemeral_1h_input_tokens * price.cache_write_1h +
    s.output * price.output) /
  1_000_000;
const savedOf = (s: Served) =>
  (s.usage.cache_read_input_tokens * (price.input - price.cache_read) -
    s.usage.cache_creation.ephemeral_5m_input_tokens * (price.cache_write_5m - price.input) -
    s.usage.cache_creation.ephemeral_1h_input_tokens * (price.cache_write_1h - price.input)) /
  1_000_000;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** A client key made in the admin API, with its caching settings. */
async function makeClient(gateway: Gateway, name: string, settings: Record<string, unknown>): Promise<string> {
  const made = await adminCall(gateway, "POST", "/clients", { name });
  expect(made.status).toBe(200);
  const patched = await adminCall(gateway, "PATCH", `/clients/${made.json.id}`, settings);
  expect(patched.status).toBe(200);
  return made.json.key as string;
}

/** One SillyTavern-style turn through the openai SDK: the card, the history, the new message. */
async function turn(client: OpenAI, system: string, history: OpenAI.ChatCompletionMessageParam[], text: string) {
  history.push({ role: "user", content: text });
  const reply = await client.chat.completions.create({
    model: MODEL,
    messages: [{ role: "system", content: system }, ...history],
    max_tokens: 300,
  });
  history.push({ role: "assistant", content: reply.choices[0]?.message.content ?? "" });
  return reply;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mock upstream that caches (entries living `ttlMs`) and a gateway in front of it, for one describe. */
function useCachingUpstream(ttlMs: { "5m": number; "1h": number }, config: Record<string, string> = {}) {
  const suite = {} as { mock: MockUpstream; cache: PromptCache; gateway: Gateway };
  beforeAll(async () => {
    suite.mock = startMockUpstream();
    suite.cache = createPromptCache({ ttlMs });
    suite.mock.reply(suite.cache.responder(defaultResponder));
    suite.gateway = await startGateway({ upstream: suite.mock.url, config });
  });
  afterAll(async () => {
    await suite.gateway?.[Symbol.asyncDispose]();
    await suite.mock?.close();
  });
  return suite;
}

describe("a 20-turn chat on the OpenAI route", () => {
  const suite = useCachingUpstream({ "5m": 60_000, "1h": 120_000 });

  test("with auto, turns 2–20 read the card and history from the cache; the bill is ≤ 35% of off; the dashboard's saving matches", async () => {
    const autoKey = await makeClient(suite.gateway, "tavern-auto", {});
    const offKey = await makeClient(suite.gateway, "tavern-off", { prompt_cache: "off" });
    const run = async (key: string, name: string) => {
      const client = new OpenAI({ apiKey: key, baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
      const system = card(name, 6000);
      const history: OpenAI.ChatCompletionMessageParam[] = [];
      const from = suite.cache.served.length;
      for (let i = 1; i <= 20; i++) {
        const reply = await turn(
          client,
          system,
          history,
          `Turn ${i}: ${"what happens next in the harbour? ".repeat(6)}`,
        );
        expect(reply.choices[0]?.message.content).toBe("Cached reply.");
      }
      return suite.cache.served.slice(from);
    };
    const auto = await run(autoKey, "Mira");
    const off = await run(offKey, "Tobin");
    expect(auto).toHaveLength(20);
    expect(off).toHaveLength(20);

    // Turn 1 writes the prefix; every later turn reads at least the card back.
    expect(auto[0]?.usage.cache_creation_input_tokens).toBeGreaterThan(6000);
    for (const served of auto.slice(1)) expect(served.usage.cache_read_input_tokens).toBeGreaterThan(6000);
    for (const served of off) {
      expect(served.usage.cache_read_input_tokens).toBe(0);
      expect(served.usage.cache_creation_input_tokens).toBe(0);
    }
    // The translated request carries the top-level marker and one on the system prompt.
    const sent = suite.mock.requests.filter((r) => r.path === "/v1/messages").map((r) => r.json());
    const first = sent.find((b) => JSON.stringify(b.system).includes("Mira")) as Record<string, unknown>;
    expect(first.cache_control).toEqual({ type: "ephemeral" });
    expect((first.system as { cache_control?: unknown }[]).at(-1)?.cache_control).toEqual({ type: "ephemeral" });
    const plain = sent.find((b) => JSON.stringify(b.system).includes("Tobin")) as Record<string, unknown>;
    expect(JSON.stringify(plain)).not.toContain("cache_control");

    // The gateway's own cost (its request log) matches the price file on the mock's counts.
    const rows = (await adminCall(suite.gateway, "GET", "/requests?limit=200")).json.rows as {
      client: string;
      cost_usd: number;
      saved_usd: number;
      cache_read_tokens: number;
    }[];
    const costFor = (client: string) => sum(rows.filter((r) => r.client === client).map((r) => r.cost_usd));
    const autoCost = sum(auto.map(costOf));
    const offCost = sum(off.map(costOf));
    expect(costFor("tavern-auto")).toBeCloseTo(autoCost, 9);
    expect(costFor("tavern-off")).toBeCloseTo(offCost, 9);
    expect(autoCost).toBeLessThanOrEqual(0.35 * offCost);

    // The dashboard's saved dollars for today: the hand computation over the mock's counts.
    const status = (await adminCall(suite.gateway, "GET", "/status")).json;
    expect(status.today.saved_usd).toBeCloseTo(sum(auto.map(savedOf)), 9);
    expect(status.today.saved_usd).toBeGreaterThan(0);
    // Per client in Usage, and in /metrics.
    const byClient = (await adminCall(suite.gateway, "GET", "/usage?by=client&days=1")).json.rows as {
      group: string;
      saved_usd: number;
      hit_read: number;
      hit_prompt: number;
    }[];
    const autoRow = byClient.find((r) => r.group === "tavern-auto");
    expect(autoRow?.saved_usd).toBeCloseTo(sum(auto.map(savedOf)), 9);
    const reads = sum(auto.map((s) => s.usage.cache_read_input_tokens));
    const prompt = sum(
      auto.map((s) => s.usage.input_tokens + s.usage.cache_read_input_tokens + s.usage.cache_creation_input_tokens),
    );
    expect((autoRow?.hit_read ?? 0) / (autoRow?.hit_prompt ?? 1)).toBeCloseTo(reads / prompt, 9);
    expect(byClient.find((r) => r.group === "tavern-off")?.hit_read).toBe(0);
    const metrics = await (await fetch(`${suite.gateway.url}/metrics`)).text();
    expect(metrics).toContain(`pocketgate_cache_hit_ratio{client="tavern-auto"} ${reads / prompt}`);
    expect(metrics).toMatch(/pocketgate_cache_saved_usd\{client="tavern-auto"\} 0\.\d+/);
  }, 60_000);

  test("a client's own markers on the OpenAI route go upstream as they are, with nothing added", async () => {
    const key = await makeClient(suite.gateway, "marks-own", {});
    const client = new OpenAI({ apiKey: key, baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: "cache me", cache_control: { type: "ephemeral", ttl: "1h" } } as never],
        },
      ],
    });
    const sent = suite.mock.requests.at(-1)?.json() as { cache_control?: unknown; messages: { content: unknown[] }[] };
    expect(sent.cache_control).toBeUndefined();
    expect(sent.messages[0]?.content).toEqual([
      { type: "text", text: "cache me", cache_control: { type: "ephemeral", ttl: "1h" } },
    ]);
  });
});

describe("keep-warm", () => {
  // The mock's 5m entries live 3 s; the suite.gateway re-warms every 2 s.
  const suite = useCachingUpstream({ "5m": 3000, "1h": 6000 }, { KEEP_WARM_EVERY: "2s" });

  const chat = (key: string) => new OpenAI({ apiKey: key, baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
  const warmRows = async (client: string) =>
    (
      (await adminCall(suite.gateway, "GET", `/requests?client=${client}&limit=200`)).json.rows as {
        route: string;
        cost_usd: number;
        status: number;
        cache_read_tokens: number;
      }[]
    ).filter((r) => r.route === "keep-warm");

  test("8 s between two turns: with keep-warm the second reads the cache, without it misses; re-warms are logged with their cost and not counted against rpm", async () => {
    const warmKey = await makeClient(suite.gateway, "warm-on", { keep_warm: true, keep_warm_idle_stop: 1, rpm: 2 });
    const coldKey = await makeClient(suite.gateway, "warm-off", {});
    const histories = { on: [] as OpenAI.ChatCompletionMessageParam[], off: [] as OpenAI.ChatCompletionMessageParam[] };
    const systems = { on: card("Ines", 3000), off: card("Pell", 3000) };
    await Promise.all([
      turn(chat(warmKey), systems.on, histories.on, "Hello there."),
      turn(chat(coldKey), systems.off, histories.off, "Hello there."),
    ]);
    await sleep(8000);
    const before = suite.cache.served.length;
    await Promise.all([
      turn(chat(warmKey), systems.on, histories.on, "And then?"),
      turn(chat(coldKey), systems.off, histories.off, "And then?"),
    ]);
    const second = suite.cache.served.slice(before).filter((s) => s.maxTokens !== 0);
    expect(second).toHaveLength(2);
    const [onTurn, offTurn] = [
      second.find((s) => s.usage.cache_read_input_tokens > 0),
      second.find((s) => s.usage.cache_read_input_tokens === 0),
    ];
    expect(onTurn?.usage.cache_read_input_tokens).toBeGreaterThan(3000);
    expect(offTurn).toBeDefined();

    const warms = await warmRows("warm-on");
    expect(warms.length).toBeGreaterThanOrEqual(3);
    for (const row of warms) {
      expect(row.status).toBe(200);
      expect(row.cost_usd).toBeGreaterThan(0);
      expect(row.cache_read_tokens).toBeGreaterThan(3000);
    }
    expect(await warmRows("warm-off")).toHaveLength(0);
    // Every re-warm was max_tokens 0, not streamed, on the key that served the turn.
    const sentWarm = suite.mock.requests.filter((r) => r.path === "/v1/messages" && r.json().max_tokens === 0);
    expect(sentWarm.length).toBe(warms.length);
    for (const r of sentWarm) expect(r.json().stream).toBeUndefined();
  }, 30_000);

  test("re-warming stops after the idle stop", async () => {
    // 0.1 min: re-warms at about 2, 4 and 6 s after the turn, none after 6 s.
    const key = await makeClient(suite.gateway, "idle-stop", { keep_warm: true, keep_warm_idle_stop: 0.1 });
    await turn(chat(key), card("Oda", 2000), [], "Hi.");
    await sleep(9000);
    const settled = (await warmRows("idle-stop")).length;
    expect(settled).toBeGreaterThanOrEqual(2);
    expect(settled).toBeLessThanOrEqual(3);
    await sleep(3000);
    expect(await warmRows("idle-stop")).toHaveLength(settled);
  }, 30_000);

  test("re-warming stops at the daily cap", async () => {
    // A cap below one re-warm's cost: the first is made, and then no more today.
    const key = await makeClient(suite.gateway, "capped", {
      keep_warm: true,
      keep_warm_idle_stop: 5,
      keep_warm_max_per_day: 0.0001,
    });
    await turn(chat(key), card("Vey", 2000), [], "Hi.");
    await sleep(7000);
    const warms = await warmRows("capped");
    expect(warms).toHaveLength(1);
    expect(warms[0]?.cost_usd).toBeGreaterThan(0.0001);
    expect(suite.gateway.stderr()).toContain(
      'keep-warm: client "capped" has spent its $0.0001 for today on re-warming',
    );
  }, 30_000);
});

describe("native requests", () => {
  let mock: MockUpstream;
  let gateway: Gateway;
  beforeAll(async () => {
    mock = startMockUpstream();
    gateway = await startGateway({ upstream: mock.url });
  });
  afterAll(async () => {
    await gateway[Symbol.asyncDispose]();
    await mock.close();
  });

  /** Odd spacing, key order and number forms: any re-serialisation would show. */
  const raw = `{ "model" : "${MODEL}",\n  "max_tokens": 1.0e2, "messages": [ {"role":"user","content":"h\\u00e9llo"} ],\n  "system": "Be brief."   }\n`;
  const post = (key: string, body: string, path = "/v1/messages") =>
    fetch(`${gateway.url}${path}`, { method: "POST", headers: clientHeaders({ "x-api-key": key }), body });
  const lastBody = () => mock.requests.at(-1)?.text();

  test("with auto, the body upstream differs from the client's only by the inserted top-level field", async () => {
    const key = await makeClient(gateway, "native-auto", { prompt_cache: "auto" });
    expect((await post(key, raw)).status).toBe(200);
    const close = raw.lastIndexOf("}");
    expect(lastBody()).toBe(`${raw.slice(0, close)},"cache_control":{"type":"ephemeral"}${raw.slice(close)}`);

    await adminCall(gateway, "PATCH", `/clients/${(await clientId(gateway, "native-auto")) as string}`, {
      prompt_cache_ttl: "1h",
    });
    expect((await post(key, raw)).status).toBe(200);
    expect(lastBody()).toBe(
      `${raw.slice(0, close)},"cache_control":{"type":"ephemeral","ttl":"1h"}${raw.slice(close)}`,
    );
  });

  test("a request carrying markers, the Claude Code profile and a client left at the default go byte for byte", async () => {
    const key = await makeClient(gateway, "native-marks", { prompt_cache: "auto" });
    const marked = raw.replace(
      '"content":"h\\u00e9llo"',
      '"content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]',
    );
    expect((await post(key, marked)).status).toBe(200);
    expect(lastBody()).toBe(marked);
    expect((await post(key, raw, "/code/v1/messages")).status).toBe(200);
    expect(lastBody()).toBe(raw);
    const plain = await makeClient(gateway, "native-default", {});
    expect((await post(plain, raw)).status).toBe(200);
    expect(lastBody()).toBe(raw);
  });
});

async function clientId(gateway: Gateway, name: string): Promise<string | undefined> {
  const list = (await adminCall(gateway, "GET", "/clients")).json.clients as { id: string; name: string }[];
  return list.find((c) => c.name === name)?.id;
}
