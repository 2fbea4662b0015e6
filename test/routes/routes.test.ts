// Route table (contract §0), models (§5), liveness, CORS and Connection: close.
import { describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { CLIENT_KEY, clientHeaders, runtime } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT } from "../harness/mock-upstream.ts";
import { fixtureModels } from "../harness/model-rules.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const body = messagesBody();
const suite = useMockAndGateway();

describe(`routes on ${runtime}`, () => {
  test.each(["/v1/messages", "/messages", "//messages", "/v1//messages", "/code/v1/messages"])(
    "POST %s reaches upstream /v1/messages",
    async (path) => {
      const response = await postMessages(suite.gateway.url, { path: `${path}?beta=true` });
      expect(response.status).toBe(200);
      expect((await response.json()).content[0].text).toBe(MOCK_REPLY_TEXT);
      expect(suite.mock.requests.at(-1)?.path).toBe("/v1/messages");
      expect(suite.mock.requests.at(-1)?.search).toBe("?beta=true");
    },
  );

  test.each(["/v1/messages/count_tokens", "/code/v1/messages/count_tokens"])("POST %s is forwarded", async (path) => {
    const response = await postMessages(suite.gateway.url, { path });
    expect(await response.json()).toEqual({ input_tokens: 42 });
    expect(suite.mock.requests.at(-1)?.path).toBe("/v1/messages/count_tokens");
    expect(suite.mock.requests.at(-1)?.text()).toBe(body);
  });

  test("count_tokens is estimated locally only when upstream has no such endpoint", async () => {
    suite.mock.replyOnce({ status: 404, body: "Not Found" });
    const response = await postMessages(suite.gateway.url, { path: "/v1/messages/count_tokens" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-pocketgate-estimate")).toBe("true");
    expect((await response.json()).input_tokens).toBeGreaterThan(0);

    const unknownModel = JSON.stringify({
      type: "error",
      error: { type: "not_found_error", message: "model: claude-nope" },
    });
    suite.mock.replyOnce({ status: 404, body: unknownModel });
    const real = await postMessages(suite.gateway.url, { path: "/v1/messages/count_tokens" });
    expect(real.status).toBe(404);
    expect(await real.text()).toBe(unknownModel);
  });

  test("GET /code/v1/models returns upstream's list (read at start) in the shape both SDKs accept, with limits", async () => {
    const before = suite.mock.requests.length;
    const response = await fetch(`${suite.gateway.url}/code/v1/models`, {
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
    });
    expect(response.status).toBe(200);
    const list = await response.json();
    expect(list.object).toBe("list");
    expect(list.has_more).toBe(false);
    expect(list.data.map((m: { id: string }) => m.id)).toEqual(fixtureModels.map((m) => m.id));
    const fable = fixtureModels.find((m) => m.id === "claude-fable-5-1");
    expect(list.data.find((m: { id: string }) => m.id === "claude-fable-5-1")).toEqual({
      id: "claude-fable-5-1",
      object: "model",
      type: "model",
      display_name: "Claude Fable 5.1",
      created: Date.parse("2026-09-01T00:00:00Z") / 1000,
      created_at: "2026-09-01T00:00:00Z",
      owned_by: "anthropic",
      max_input_tokens: 1_000_000,
      context_length: 1_000_000,
      max_tokens: 128_000,
      max_completion_tokens: 128_000,
      description: "1M context · 128K output",
      capabilities: fable?.capabilities,
    });
    expect(list.first_id).toBe(fixtureModels[0]?.id);
    const again = await fetch(`${suite.gateway.url}/code/v1/models?limit=1`, { headers: clientHeaders() });
    const limited = await again.json();
    expect(limited.data.map((m: { id: string }) => m.id)).toEqual([fixtureModels[0]?.id]);
    // Chat clients see each thinking model's -thinking twin; all of it from the list read at start.
    for (const path of ["/v1/models", "/models"]) {
      const chat = await (await fetch(`${suite.gateway.url}${path}`, { headers: clientHeaders() })).json();
      const ids = chat.data.map((m: { id: string }) => m.id);
      expect(ids.slice(0, 4)).toEqual([
        "claude-test-upstream-7",
        "claude-test-upstream-7-thinking",
        "claude-fable-5-2",
        "claude-fable-5-2-thinking",
      ]);
      expect(ids.length).toBe(fixtureModels.length * 2);
    }
    expect(suite.mock.requests.length).toBe(before);
  });

  test("liveness: GET /health is JSON without secrets; HEAD / and HEAD /api/hello answer 200", async () => {
    const health = await fetch(`${suite.gateway.url}/health`);
    expect(health.status).toBe(200);
    const text = await health.text();
    const json = JSON.parse(text);
    expect(json.status).toBe("ok");
    expect(json.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(text).not.toContain("sk-ant");
    expect(text).not.toContain("pg-");
    expect((await fetch(`${suite.gateway.url}/`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${suite.gateway.url}/api/hello`, { method: "HEAD" })).status).toBe(200);
  });

  test("CORS: preflights are answered for any origin, and responses allow it", async () => {
    const preflight = await fetch(`${suite.gateway.url}/v1/messages`, {
      method: "OPTIONS",
      headers: {
        origin: "https://chat.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-api-key,anthropic-version,content-type,x-stainless-os",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-stainless-os");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const response = await fetch(`${suite.gateway.url}/v1/messages`, {
      method: "POST",
      headers: clientHeaders({ origin: "https://chat.example" }),
      body,
    });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(suite.mock.requests.at(-1)?.headers.get("origin")).toBeNull();
    const refused = await fetch(`${suite.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { origin: "https://x" },
      body,
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
  });

  test("a request with Connection: close gets it echoed and the socket closes", async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(suite.gateway.port, "127.0.0.1");
      let data = "";
      socket.on("data", (d) => {
        data += d.toString();
      });
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
      setTimeout(() => reject(new Error(`socket still open after 3 s; got:\n${data}`)), 3000);
      socket.write(
        `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nx-api-key: ${CLIENT_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      );
    });
    expect(raw).toStartWith("HTTP/1.1 200");
    expect(raw.toLowerCase()).toContain("\r\nconnection: close\r\n");
    expect(raw).toContain(MOCK_REPLY_TEXT);
  });
});
