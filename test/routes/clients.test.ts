// Client keys: made, used and revoked through the admin API, with per-key limits.
import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { ClientView } from "../../server/admin/schemas.ts";
import { adminCall } from "../harness/admin.ts";
import { clientHeaders, runtime } from "../harness/gateway.ts";
import { defaultResponder, type MockReply } from "../harness/mock-upstream.ts";
import { postMessages, useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();

const admin = (method: string, path: string, body?: unknown) => adminCall(suite.gateway, method, path, body);

describe(`client keys on ${runtime}`, () => {
  test("a new client key works from @anthropic-ai/sdk; revoked, it is refused", async () => {
    const created = await admin("POST", "/clients", { name: "phone" });
    expect(created.status).toBe(200);
    const client = created.json as ClientView;
    expect(client.key).toMatch(/^pg-/);
    const sdk = new Anthropic({ apiKey: client.key, baseURL: suite.gateway.url, maxRetries: 0 });
    const message = await sdk.messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 16,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.type).toBe("message");
    const listed = (await admin("GET", "/clients")).json.clients as ClientView[];
    expect(listed.map((c) => c.name)).toEqual(["default", "phone"]);
    expect(listed.find((c) => c.name === "phone")?.month_tokens).toBe(21);
    expect((await admin("POST", `/clients/${client.id}/revoke`)).status).toBe(200);
    const refused = await postMessages(suite.gateway.url, { headers: clientHeaders({ "x-api-key": client.key }) });
    expect(refused.status).toBe(401);
    expect((await admin("POST", "/clients", { name: "phone" })).status).toBe(409);
  });

  test("a client key with a 1000-token monthly budget is refused once spent; others keep working", async () => {
    suite.mock.reply((r) => {
      const reply = defaultResponder(r) as MockReply;
      const body = JSON.parse(String(reply.body));
      return { ...reply, body: JSON.stringify({ ...body, usage: { input_tokens: 400, output_tokens: 100 } }) };
    });
    const client = (await admin("POST", "/clients", { name: "budgeted", monthly_tokens: 1000 })).json as ClientView;
    const as = (key: string) => postMessages(suite.gateway.url, { headers: clientHeaders({ "x-api-key": key }) });
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await as(client.key);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200]); // 0, then 500 tokens used before each
    const before = suite.mock.requests.length;
    const refused = await as(client.key);
    expect(refused.status).toBe(429);
    const body = await refused.json();
    expect(body.error.type).toBe("rate_limit_error");
    expect(body.error.message).toContain('client key "budgeted" has used its monthly budget of 1000 tokens');
    expect(body.error.message).toContain("resets at");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(suite.mock.requests.length).toBe(before);
    expect((await postMessages(suite.gateway.url)).status).toBe(200);
    suite.mock.reply(defaultResponder);
  });

  test("requests per minute", async () => {
    const client = (await admin("POST", "/clients", { name: "slow", rpm: 2 })).json as ClientView;
    const as = () => postMessages(suite.gateway.url, { headers: clientHeaders({ "x-api-key": client.key }) });
    expect((await as()).status).toBe(200);
    expect((await as()).status).toBe(200);
    const third = await as();
    expect(third.status).toBe(429);
    expect((await third.json()).error.message).toContain("limited to 2 requests per minute");
    // Raising the limit applies at once.
    expect((await admin("PATCH", `/clients/${client.id}`, { rpm: 10 })).json.rpm).toBe(10);
    expect((await as()).status).toBe(200);
  });
});
