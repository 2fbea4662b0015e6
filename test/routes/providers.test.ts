// Several Anthropic-format providers (issue 17): routing by model, aliases and "provider/model",
// each provider's own auth style and headers, failover before the first byte, the provider named
// on the response and in the request log, and a turn-1 config file serving as before.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { adminCall } from "../harness/admin.ts";
import {
  ADMIN_PASSWORD,
  CLIENT_KEY,
  clientHeaders,
  type Gateway,
  startGateway,
  tempDir,
  UPSTREAM_KEY,
} from "../harness/gateway.ts";
import { type MockUpstream, startMockUpstream, textStream } from "../harness/mock-upstream.ts";

const DEEPSEEK_KEY = "sk-deepseek-test-key-0123456789";
const SECOND_A_KEY = "sk-ant-api03-second-anthropic-key-0123";

/** What the mock received, minus the framing every HTTP client adds. */
const credentialsOf = (headers: Headers) => ({
  "x-api-key": headers.get("x-api-key"),
  authorization: headers.get("authorization"),
});

const post = (gateway: Gateway, body: string, path = "/v1/messages") =>
  fetch(`${gateway.url}${path}`, { method: "POST", headers: clientHeaders(), body });

const messages = (model: string, extra = "") =>
  `{"model":${JSON.stringify(model)},  "max_tokens" : 16,"messages":[{"role":"user","content":"hi ü"}]${extra}}`;

/** Provider B: its own key, Bearer auth, an extra header, its own models and a price for one. */
const providerB = (url: string, extra: Record<string, unknown> = {}) => ({
  name: "deepseek",
  base_url: url,
  auth: "bearer",
  headers: { "x-org": "team-7" },
  keys: [DEEPSEEK_KEY],
  models: ["deepseek-chat", "deepseek-r*"],
  prices: { "deepseek-chat": { input: 0.5, output: 2 } },
  ...extra,
});

const requestsTo = (mock: MockUpstream) => mock.requests.filter((r) => r.path !== "/v1/models");

describe("two providers with different auth styles and models", () => {
  let a: MockUpstream;
  let b: MockUpstream;
  let gateway: Gateway;
  beforeAll(async () => {
    a = startMockUpstream();
    b = startMockUpstream();
    b.reply((request) =>
      request.path === "/v1/models"
        ? // B's own list names a model its config does not.
          { body: JSON.stringify({ data: [{ id: "deepseek-chat" }, { id: "deepseek-v9" }], has_more: false }) }
        : {
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              id: "msg_b",
              type: "message",
              role: "assistant",
              model: request.json().model,
              content: [{ type: "text", text: "from B" }],
              stop_reason: "end_turn",
              stop_sequence: null,
              usage: { input_tokens: 1000, output_tokens: 500 },
            }),
          },
    );
    gateway = await startGateway({
      upstream: a.url,
      config: {
        PROVIDERS: JSON.stringify([providerB(b.url)]),
        MODEL_ALIASES: JSON.stringify({ fast: "anthropic/claude-haiku-4-5", ds: "deepseek/deepseek-chat" }),
      },
    });
    // At start the gateway reads B's own model list.
    const until = performance.now() + 15_000;
    while (!gateway.stderr().includes("providers: deepseek lists 2 models") && performance.now() < until) {
      await Bun.sleep(10);
    }
  }, 30_000);
  afterAll(async () => {
    await gateway[Symbol.asyncDispose]();
    await a.close();
    await b.close();
  });

  test("a model of each provider reaches only it, with its own credential and no other", async () => {
    const before = { a: requestsTo(a).length, b: requestsTo(b).length };
    const toA = await post(gateway, messages("claude-sonnet-4-6"));
    expect(toA.status).toBe(200);
    expect(toA.headers.get("x-pocketgate-provider")).toBe("anthropic");
    await toA.text();
    expect(requestsTo(a).length).toBe(before.a + 1);
    expect(requestsTo(b).length).toBe(before.b);
    const atA = requestsTo(a).at(-1);
    expect(credentialsOf(atA?.headers as Headers)).toEqual({ "x-api-key": UPSTREAM_KEY, authorization: null });

    const toB = await post(gateway, messages("deepseek-chat"));
    expect(toB.status).toBe(200);
    expect(toB.headers.get("x-pocketgate-provider")).toBe("deepseek");
    expect(((await toB.json()) as { content: { text: string }[] }).content[0]?.text).toBe("from B");
    expect(requestsTo(a).length).toBe(before.a + 1);
    const atB = requestsTo(b).at(-1);
    expect(credentialsOf(atB?.headers as Headers)).toEqual({
      "x-api-key": null,
      authorization: `Bearer ${DEEPSEEK_KEY}`,
    });
    expect(atB?.headers.get("x-org")).toBe("team-7");
    // Neither the client's key nor A's key reaches B.
    expect(atB?.text()).not.toContain(CLIENT_KEY);
    expect([...(atB?.headers.values() ?? [])].join(" ")).not.toContain(UPSTREAM_KEY);
    expect([...(atB?.headers.values() ?? [])].join(" ")).not.toContain(CLIENT_KEY);

    // A model only B's own /v1/models named goes to B.
    const listed = await post(gateway, messages("deepseek-v9"));
    expect(listed.headers.get("x-pocketgate-provider")).toBe("deepseek");
    await listed.text();
    expect(requestsTo(b).at(-1)?.json().model).toBe("deepseek-v9");

    // A pattern in the list ("deepseek-r*") serves too; the body is the client's, byte for byte.
    const sent = messages("deepseek-reasoner");
    expect((await post(gateway, sent)).status).toBe(200);
    expect(requestsTo(b).at(-1)?.text()).toBe(sent);
  });

  test("aliases and provider/model resolve; only the model's bytes change", async () => {
    const extra = `,"system":[{"type":"text","text":"Be brief.\\u00e9"}] ,"metadata":{"user_id":"u-1"}`;
    const alias = messages("ds", extra);
    const response = await post(gateway, alias);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-provider")).toBe("deepseek");
    expect(requestsTo(b).at(-1)?.text()).toBe(alias.replace('"model":"ds"', '"model":"deepseek-chat"'));

    const prefixed = messages("anthropic/claude-haiku-4-5", extra);
    const viaPrefix = await post(gateway, prefixed);
    expect(viaPrefix.status).toBe(200);
    await viaPrefix.text();
    expect(requestsTo(a).at(-1)?.text()).toBe(
      prefixed.replace('"model":"anthropic/claude-haiku-4-5"', '"model":"claude-haiku-4-5"'),
    );
    const fast = await post(gateway, messages("fast"));
    expect(fast.status).toBe(200);
    await fast.text();
    expect(requestsTo(a).at(-1)?.json().model).toBe("claude-haiku-4-5");

    // count_tokens goes where the model goes, renamed the same way.
    const counted = await post(gateway, messages("ds"), "/v1/messages/count_tokens");
    await counted.text();
    expect(requestsTo(b).at(-1)?.path).toBe("/v1/messages/count_tokens");
    expect(requestsTo(b).at(-1)?.json().model).toBe("deepseek-chat");

    // A slash that names no provider is part of an ordinary model id, sent where such ids go.
    const other = await post(gateway, messages("nobody/x"));
    await other.text();
    expect(requestsTo(a).at(-1)?.json().model).toBe("nobody/x");
  });

  test("/v1/models lists every provider's models and the aliases, and each id is answerable", async () => {
    const list = (await (await fetch(`${gateway.url}/v1/models?limit=1000`, { headers: clientHeaders() })).json()) as {
      data: { id: string; owned_by?: string }[];
    };
    const ids = list.data.map((m) => m.id);
    for (const id of ["claude-sonnet-4-6", "deepseek-chat", "deepseek-v9", "fast", "ds"]) expect(ids).toContain(id);
    expect(ids).not.toContain("deepseek-r*");
    for (const id of ["deepseek-chat", "fast", "ds"]) {
      const answer = await post(gateway, messages(id));
      expect(answer.status).toBe(200);
      await answer.text();
    }
  });

  test("the OpenAI route follows aliases; automatic caching goes only to the provider that takes it", async () => {
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: CLIENT_KEY });
    b.replyOnce({ headers: { "content-type": "text/event-stream" }, chunks: textStream("B streams", "deepseek-chat") });
    const reply = await openai.chat.completions.create({
      model: "ds",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "hello" },
      ],
    });
    expect(reply.choices[0]?.message.content).toBe("B streams");
    const atB = requestsTo(b).at(-1)?.json() as Record<string, unknown>;
    expect(atB.model).toBe("deepseek-chat");
    expect(atB.cache_control).toBeUndefined();
    expect(JSON.stringify(atB)).not.toContain("cache_control");

    await openai.chat.completions.create({
      model: "claude-sonnet-4-6",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(requestsTo(a).at(-1)?.json().cache_control).toEqual({ type: "ephemeral" });
  });

  test("a provider added with a bad key is refused before anything is written, the key named by its start", async () => {
    const refused = await adminCall(gateway, "POST", "/providers", {
      name: "glm",
      base_url: `${b.url}/glm`,
      keys: 'sk-glm-good-key-0123456789 "sk-glm-quoted-9876543210"',
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toBe('provider not added: ""sk-glm-…" has characters an API key never has');
    const list = await adminCall(gateway, "GET", "/providers");
    expect(list.json.providers.map((p: { name: string }) => p.name)).not.toContain("glm");
  });

  test("usage and the request log name the provider; B's model is priced from B's own entry", async () => {
    await fetch(`${gateway.url}/health`);
    await Bun.sleep(300); // rows are written behind the replies
    const { json } = await adminCall(gateway, "GET", "/requests?limit=100");
    const rows = json.rows as {
      provider?: string;
      model: string;
      cost_usd: number;
      priced: number;
      input_tokens: number;
    }[];
    const deepseek = rows.find(
      (r) => r.model === "deepseek-chat" && r.provider === "deepseek" && r.input_tokens === 1000,
    );
    expect(deepseek).toBeDefined();
    // 1000 in at $0.5/M + 500 out at $2/M.
    expect(deepseek?.cost_usd).toBeCloseTo(0.0015, 9);
    const reasoner = rows.find((r) => r.model === "deepseek-reasoner");
    expect(reasoner?.priced).toBe(0);
    expect(rows.some((r) => r.provider === "anthropic")).toBe(true);
    const byProvider = await adminCall(gateway, "GET", "/usage?by=provider&days=1");
    const names = (byProvider.json.rows as { group: string }[]).map((g) => g.group);
    expect(names).toContain("deepseek");
    expect(names).toContain("anthropic");
  });
});

describe("failover across providers", () => {
  let a: MockUpstream;
  let b: MockUpstream;
  let gateway: Gateway;
  beforeAll(async () => {
    a = startMockUpstream();
    b = startMockUpstream();
    // B serves the same Claude model, after anthropic; A has two keys.
    gateway = await startGateway({
      upstream: a.url,
      env: { POCKETGATE_UPSTREAM_KEYS: `${UPSTREAM_KEY},${SECOND_A_KEY}` },
      config: { PROVIDERS: JSON.stringify([providerB(b.url, { models: ["claude-sonnet-4-6"], priority: 200 })]) },
    });
  });
  afterAll(async () => {
    await gateway[Symbol.asyncDispose]();
    await a.close();
    await b.close();
  });

  test("A answering 529 fails over to B before the first byte; the log names B", async () => {
    a.replyOnce({
      status: 529,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
    });
    const before = requestsTo(b).length;
    const beforeA = requestsTo(a).length;
    const response = await post(gateway, messages("claude-sonnet-4-6", ',"stream":true'));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-provider")).toBe("deepseek");
    // An overloaded provider is left at once: A's other key is not tried.
    expect(requestsTo(a).length).toBe(beforeA + 1);
    expect(await response.text()).toContain("message_stop");
    expect(requestsTo(b).length).toBe(before + 1);
    expect(requestsTo(b).at(-1)?.headers.get("authorization")).toBe(`Bearer ${DEEPSEEK_KEY}`);
    await Bun.sleep(300);
    const { json } = await adminCall(gateway, "GET", "/requests?limit=5");
    expect(json.rows[0].provider).toBe("deepseek");
    expect(json.rows[0].status).toBe(200);
  });

  test("a stream already started on A is not retried on B", async () => {
    const events = textStream("partial answer that breaks");
    a.replyOnce({
      headers: { "content-type": "text/event-stream" },
      chunks: events,
      dropAfterChunks: 3,
      chunkDelayMs: 30,
    });
    const before = requestsTo(b).length;
    const response = await post(gateway, messages("claude-sonnet-4-6", ',"stream":true,"metadata":{"user_id":"s2"}'));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-provider")).toBe("anthropic");
    const text = await response.text();
    expect(text).toContain("event: error");
    expect(text).not.toContain("message_stop");
    expect(requestsTo(b).length).toBe(before);
  });

  test("A's keys all cooling: B serves at once, and A is not asked until the cooldown ends", async () => {
    const limited = {
      status: 429,
      headers: { "content-type": "application/json", "retry-after": "120" },
      body: JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "slow down" } }),
    };
    // A rate-limited key hands over to A's other key first; both limited, B serves.
    a.replyOnce(limited);
    a.replyOnce(limited);
    const first = await post(gateway, messages("claude-sonnet-4-6", ',"metadata":{"user_id":"s3"}'));
    expect(first.status).toBe(200);
    expect(first.headers.get("x-pocketgate-provider")).toBe("deepseek");
    await first.text();
    const asked = requestsTo(a).length;
    const second = await post(gateway, messages("claude-sonnet-4-6", ',"metadata":{"user_id":"s4"}'));
    expect(second.headers.get("x-pocketgate-provider")).toBe("deepseek");
    await second.text();
    expect(requestsTo(a).length).toBe(asked);
  });
});

describe("a session stays on its provider", () => {
  test("after failing over to B, the conversation keeps to B while B can serve", async () => {
    await using a = startMockUpstream();
    await using b = startMockUpstream();
    await using gateway = await startGateway({
      upstream: a.url,
      config: { PROVIDERS: JSON.stringify([providerB(b.url, { models: ["claude-sonnet-4-6"], priority: 200 })]) },
    });
    a.replyOnce({
      status: 529,
      body: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "x" } }),
    });
    const turn = ',"metadata":{"user_id":"same-chat"}';
    const first = await post(gateway, messages("claude-sonnet-4-6", turn));
    expect(first.headers.get("x-pocketgate-provider")).toBe("deepseek");
    await first.text();
    const second = await post(gateway, messages("claude-sonnet-4-6", turn));
    expect(second.headers.get("x-pocketgate-provider")).toBe("deepseek");
    await second.text();
    // Another conversation starts on the provider with the best priority.
    const other = await post(gateway, messages("claude-sonnet-4-6", ',"metadata":{"user_id":"other-chat"}'));
    expect(other.headers.get("x-pocketgate-provider")).toBe("anthropic");
    await other.text();
  });
});

describe("a turn-1 config file", () => {
  test("a single upstream_base_url and upstream_keys start and serve exactly as before", async () => {
    await using a = startMockUpstream();
    const dir = tempDir();
    const file = join(dir, "pocketgate.toml");
    writeFileSync(
      file,
      [
        `upstream_base_url = "${a.url}"`,
        `upstream_keys = ["${UPSTREAM_KEY}"]`,
        `password = "${CLIENT_KEY}"`,
        `admin_password = "${ADMIN_PASSWORD}"`,
        "",
      ].join("\n"),
    );
    await using gateway = await startGateway({ fresh: true, env: { POCKETGATE_CONFIG: file } });
    expect(gateway.stderr()).not.toContain("unknown key");
    const body = messages("claude-sonnet-4-6", ',"stream":true');
    const response = await post(gateway, body);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("message_stop");
    const received = requestsTo(a).at(-1);
    expect(received?.text()).toBe(body);
    expect(credentialsOf(received?.headers as Headers)).toEqual({ "x-api-key": UPSTREAM_KEY, authorization: null });
    // Any model still goes to the one upstream, which answers for itself.
    a.replyOnce({
      status: 404,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "error", error: { type: "not_found_error", message: "model: claude-future" } }),
    });
    const unknown = await post(gateway, messages("claude-future"));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("model: claude-future");
    const keys = await adminCall(gateway, "GET", "/keys");
    expect(keys.json.keys.map((k: { provider: string }) => k.provider)).toEqual(["anthropic"]);
  });
});
