// Issue 12: model traits from the Models API (kept in the database, built-in table offline), every
// OpenAI request fitted to its model, native requests fitted only on request, the bill exact.
import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { adminCall } from "../harness/admin.ts";
import { CLIENT_KEY, clientHeaders, runtime, startGateway, tempDir } from "../harness/gateway.ts";
import { sseRecord, startMockUpstream } from "../harness/mock-upstream.ts";
import { fixtureModels } from "../harness/model-rules.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const EFFORTS = [undefined, "none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;
const SAMPLING = [{}, { temperature: 0.7 }, { temperature: 0.7, top_p: 0.9 }];

describe(`models and request fitting on ${runtime}`, () => {
  test("every listed model × every reasoning_effort × sampling gets a 200 through the openai SDK", async () => {
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
    const failures: string[] = [];
    for (const model of fixtureModels) {
      for (const effort of EFFORTS) {
        for (const sampling of SAMPLING) {
          try {
            const reply = await openai.chat.completions.create({
              model: model.id,
              messages: [{ role: "user", content: "hi" }],
              ...(effort ? { reasoning_effort: effort as "low" } : {}),
              ...sampling,
            });
            if (!reply.choices[0]?.message.content) failures.push(`${model.id} ${effort}: empty`);
          } catch (error) {
            failures.push(`${model.id} ${effort} ${JSON.stringify(sampling)}: ${String(error)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  test("the same matrix in SillyTavern's Custom-source shape (prefill, penalties, stop) gets 200s", async () => {
    const failures: string[] = [];
    for (const model of fixtureModels) {
      for (const effort of EFFORTS) {
        const response = await fetch(`${suite.gateway.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` },
          body: JSON.stringify({
            model: model.id,
            messages: [
              { role: "system", content: "You are Seraphina." },
              { role: "user", content: "Hello!", name: "Ann" },
              { role: "assistant", content: "Seraphina:" },
            ],
            temperature: 0.9,
            top_p: 0.8,
            top_k: 40,
            presence_penalty: 0.2,
            frequency_penalty: 0.1,
            max_tokens: 300_000,
            stream: true,
            stop: ["\nAnn:"],
            ...(effort ? { reasoning_effort: effort } : {}),
          }),
        });
        const text = await response.text();
        if (response.status !== 200 || text.includes('"error"')) failures.push(`${model.id} ${effort}: ${text}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  test("traits come from upstream: a model only upstream knows is fitted to its own limits, and the log says so", async () => {
    const response = await fetch(`${suite.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({
        model: "claude-test-upstream-7",
        messages: [{ role: "user", content: "hi" }],
        reasoning_effort: "max",
        temperature: 0.7,
        max_tokens: 64_000,
        stream: true,
      }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    // Thinking text arrives under both names (display summarized was asked for).
    expect(text).toContain('"reasoning_content":"Let me think about that."');
    expect(text).toContain('"reasoning":"Let me think about that."');
    const sent = suite.mock.requests.at(-1)?.json();
    expect(sent).toMatchObject({ max_tokens: 20_000, output_config: { effort: "high" } });
    expect(sent?.temperature).toBeUndefined();
    const { json } = await adminCall(suite.gateway, "GET", "/requests?limit=1");
    expect(json.rows[0].fitted).toBe(
      "max_tokens 64000→20000; effort max→high; display summarized; temperature dropped",
    );
    expect(suite.gateway.stderr()).toContain("fitted: requests from default to claude-test-upstream-7");
    const status = await adminCall(suite.gateway, "GET", "/status");
    expect(status.json.models).toMatchObject({ source: "upstream", count: fixtureModels.length, problem: null });
  });

  test("native /v1/messages stays byte-faithful unless the client key asks for fitting; then only top-level fields change", async () => {
    const raw = `{"model":"claude-opus-5","max_tokens":500000,  "system":[{"type":"text","text":"Be  brief.","cache_control":{"type":"ephemeral"}}],"temperature":0.5,"messages":[{"role":"user","content":[{"type":"text","text":"hi 1.0e0"}]},{"role":"assistant","content":[{"type":"thinking","thinking":"","signature":"c2ln"},{"type":"text","text":"ok"}]},{"role":"user","content":"again"}],"thinking":{"type":"enabled","budget_tokens":4096}}`;
    const post = () =>
      fetch(`${suite.gateway.url}/v1/messages`, {
        method: "POST",
        headers: { ...clientHeaders(), "content-type": "application/json" },
        body: raw,
      });
    const plain = await post();
    expect(plain.status).toBe(400); // the model refuses it, and the gateway did not touch it
    expect(new TextDecoder().decode(suite.mock.requests.at(-1)?.body)).toBe(raw);

    const clients = await adminCall(suite.gateway, "GET", "/clients");
    const id = clients.json.clients.find((c: { name: string }) => c.name === "default").id;
    expect((await adminCall(suite.gateway, "PATCH", `/clients/${id}`, { fit_requests: true })).json.fit_requests).toBe(
      true,
    );
    const fitted = await post();
    expect(fitted.status).toBe(200);
    await fitted.arrayBuffer();
    const sent = new TextDecoder().decode(suite.mock.requests.at(-1)?.body);
    // system and messages are the very bytes the client sent.
    expect(sent).toContain(raw.slice(raw.indexOf('"system"'), raw.indexOf(',"temperature"')));
    expect(sent).toContain(raw.slice(raw.indexOf('"messages"'), raw.indexOf(',"thinking"')));
    expect(JSON.parse(sent)).toMatchObject({
      max_tokens: 128_000,
      thinking: { type: "adaptive" },
      output_config: { effort: "medium" },
    });
    expect(JSON.parse(sent).temperature).toBeUndefined();
    await adminCall(suite.gateway, "PATCH", `/clients/${id}`, { fit_requests: false });
  });
});

describe(`the model list without upstream on ${runtime}`, () => {
  test("unreachable at start: traits from the database; empty database: from the built-in table", async () => {
    const dataDir = tempDir();
    {
      await using mock = startMockUpstream();
      await using gateway = await startGateway({ upstream: mock.url, dataDir });
      expect((await adminCall(gateway, "GET", "/status")).json.models.source).toBe("upstream");
    }
    const nowhere = "http://127.0.0.1:9";
    {
      await using gateway = await startGateway({ upstream: nowhere, dataDir });
      const status = (await adminCall(gateway, "GET", "/status")).json.models;
      expect(status.source).toBe("database");
      expect(status.count).toBe(fixtureModels.length);
      const list = await (await fetch(`${gateway.url}/code/v1/models`, { headers: clientHeaders() })).json();
      expect(list.data.map((m: { id: string }) => m.id)).toContain("claude-test-upstream-7");
    }
    {
      await using gateway = await startGateway({ upstream: nowhere });
      const status = (await adminCall(gateway, "GET", "/status")).json.models;
      expect(status.source).toBe("builtin");
      const list = await (await fetch(`${gateway.url}/code/v1/models`, { headers: clientHeaders() })).json();
      const ids = list.data.map((m: { id: string }) => m.id);
      expect(ids).toContain("claude-fable-5-1");
      expect(ids).not.toContain("claude-test-upstream-7");
    }
  }, 60_000);

  test("a paged models list is read to the end", async () => {
    await using mock = startMockUpstream();
    const page = (data: unknown[], more: boolean) => ({
      body: JSON.stringify({ data, has_more: more, first_id: null, last_id: (data.at(-1) as { id: string }).id }),
    });
    const [first, ...rest] = fixtureModels;
    mock.reply((r) => {
      if (r.path !== "/v1/models") return { body: "{}" };
      return new URLSearchParams(r.search).get("after_id") ? page(rest, false) : page([first], true);
    });
    await using gateway = await startGateway({ upstream: mock.url });
    expect((await adminCall(gateway, "GET", "/status")).json.models.count).toBe(fixtureModels.length);
    expect(
      mock.requests.filter((r) => r.path === "/v1/models" && r.headers.has("x-api-key")).map((r) => r.search),
    ).toEqual(["?limit=1000", `?limit=1000&after_id=${first?.id}`]);
  });
});

describe(`costs on ${runtime}`, () => {
  /** A reply with 1 h cache writes, cache reads and 3 web searches, usage final in message_delta. */
  const reply = (model: string) => [
    sseRecord("message_start", {
      type: "message_start",
      message: {
        id: "m",
        type: "message",
        role: "assistant",
        model,
        content: [],
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    }),
    sseRecord("message_delta", {
      type: "message_delta",
      delta: { stop_reason: "end_turn" },
      usage: {
        input_tokens: 1000,
        output_tokens: 2000,
        cache_read_input_tokens: 100_000,
        cache_creation_input_tokens: 30_000,
        cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 20_000 },
        server_tool_use: { web_search_requests: 3 },
      },
    }),
    sseRecord("message_stop", { type: "message_stop" }),
  ];
  // By hand from server/data/prices.json (USD per million; web search $10 per 1,000):
  // input 1000, 5m writes 10,000, 1h writes 20,000, reads 100,000, output 2000, 3 searches.
  const byHand: Record<string, number> = {
    // 5·0.001 + 6.25·0.01 + 10·0.02 + 0.50·0.1 + 25·0.002 + 0.03
    "claude-opus-5": 0.005 + 0.0625 + 0.2 + 0.05 + 0.05 + 0.03,
    // 10·0.001 + 12.5·0.01 + 20·0.02 + 0.25·0.1 + 50·0.002 + 0.03
    "claude-fable-5-1": 0.01 + 0.125 + 0.4 + 0.025 + 0.1 + 0.03,
    // 2·0.001 + 2.5·0.01 + 4·0.02 + 0.10·0.1 + 10·0.002 + 0.03
    "claude-sonnet-5-5": 0.002 + 0.025 + 0.08 + 0.01 + 0.02 + 0.03,
  };
  test("1 h cache writes, cache reads and web searches are costed as the price file says, per model", async () => {
    for (const [model, usd] of Object.entries(byHand)) {
      suite.mock.replyOnce({ headers: { "content-type": "text/event-stream" }, chunks: reply(model) });
      const response = await fetch(`${suite.gateway.url}/v1/messages`, {
        method: "POST",
        headers: { ...clientHeaders(), "content-type": "application/json" },
        body: JSON.stringify({ model, max_tokens: 100, stream: true, messages: [{ role: "user", content: "hi" }] }),
      });
      await response.text();
      const { json } = await adminCall(suite.gateway, "GET", "/requests?limit=1");
      const row = json.rows[0];
      expect(row).toMatchObject({
        model,
        web_searches: 3,
        priced: 1,
        cache_write_1h_tokens: 20_000,
        input_tokens: 1000,
      });
      expect(row.cost_usd).toBeCloseTo(usd, 10);
    }
    // A model the price list lacks is unpriced, not guessed.
    suite.mock.replyOnce({ headers: { "content-type": "text/event-stream" }, chunks: reply("claude-nobody-1") });
    await (
      await fetch(`${suite.gateway.url}/v1/messages`, {
        method: "POST",
        headers: { ...clientHeaders(), "content-type": "application/json" },
        body: JSON.stringify({
          model: "claude-nobody-1",
          max_tokens: 100,
          stream: true,
          messages: [{ role: "user", content: "hi" }],
        }),
      })
    ).text();
    const last = (await adminCall(suite.gateway, "GET", "/requests?limit=1")).json.rows[0];
    expect(last).toMatchObject({ model: "claude-nobody-1", priced: 0, cost_usd: 0 });
    const usage = (await adminCall(suite.gateway, "GET", "/usage?by=model")).json;
    expect(usage.price_list).toMatchObject({
      source: "https://platform.claude.com/docs/en/about-claude/pricing",
      as_of: "2026-12-02",
    });
    expect(usage.rows.find((r: { group: string }) => r.group === "claude-nobody-1")).toMatchObject({ unpriced: 1 });
  });
});
