// Client auth (contract §1) and bad input (§6): answered in the Anthropic error shape, never
// forwarded, and the gateway keeps serving.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CLIENT_KEY, clientHeaders, type Gateway, runtime, startGateway } from "../harness/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";

const body = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 16,
  messages: [{ role: "user", content: "hi" }],
});

let mock: MockUpstream;
let gateway: Gateway;
beforeAll(async () => {
  mock = startMockUpstream();
  gateway = await startGateway({ upstream: mock.url, config: { BODY_LIMIT: "4KiB" } });
});
afterAll(async () => {
  await gateway?.[Symbol.asyncDispose]();
  await mock?.close();
});

async function expectAnthropicError(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const json = await response.json();
  expect(json.type).toBe("error");
  expect(json.error.type).toBe(type);
  expect(typeof json.error.message).toBe("string");
  expect(json.error.message.length).toBeGreaterThan(10);
  expect(typeof json.request_id).toBe("string");
  return json.error.message as string;
}

const post = (headers: Record<string, string>, payload: BodyInit = body, path = "/v1/messages") =>
  fetch(`${gateway.url}${path}`, { method: "POST", headers, body: payload });

describe(`client auth on ${runtime}`, () => {
  const rejected: [string, Record<string, string>][] = [
    ["a wrong x-api-key", { "x-api-key": "pg-wrong" }],
    ["a wrong Bearer token", { authorization: "Bearer pg-wrong" }],
    ["no key at all", {}],
    ["an Anthropic key while passthrough is off", { "x-api-key": "sk-ant-api03-somebody-else" }],
  ];
  test.each(rejected)("%s gets 401 authentication_error and no upstream request", async (_, auth) => {
    const before = mock.requests.length;
    const message = await expectAnthropicError(
      await post({ "content-type": "application/json", ...auth }),
      401,
      "authentication_error",
    );
    expect(message).not.toContain(CLIENT_KEY);
    expect(mock.requests.length).toBe(before);
  });

  const accepted: [string, Record<string, string>][] = [
    ["x-api-key", { "x-api-key": CLIENT_KEY }],
    ["Authorization: Bearer", { authorization: `Bearer ${CLIENT_KEY}` }],
    ["a right Bearer beside a wrong x-api-key", { "x-api-key": "wrong", authorization: `Bearer ${CLIENT_KEY}` }],
    ["a right x-api-key beside a wrong Bearer", { "x-api-key": CLIENT_KEY, authorization: "Bearer wrong" }],
  ];
  test.each(accepted)("the client key in %s is accepted", async (_, auth) => {
    const response = await post({ "content-type": "application/json", ...auth });
    expect(response.status).toBe(200);
    expect((await response.json()).type).toBe("message");
  });

  test("models and count_tokens need the client key too", async () => {
    const before = mock.requests.length;
    await expectAnthropicError(await fetch(`${gateway.url}/v1/models`), 401, "authentication_error");
    await expectAnthropicError(
      await post({ "content-type": "application/json" }, body, "/v1/messages/count_tokens"),
      401,
      "authentication_error",
    );
    expect(mock.requests.length).toBe(before);
  });
});

describe(`bad input on ${runtime}`, () => {
  const cases: [string, Record<string, string>, BodyInit, number, string][] = [
    ["malformed JSON", clientHeaders(), '{"model": "x", "messages": [', 400, "invalid_request_error"],
    ["a JSON array", clientHeaders(), "[1,2]", 400, "invalid_request_error"],
    ["a missing model", clientHeaders(), JSON.stringify({ messages: [] }), 400, "invalid_request_error"],
    ["missing messages", clientHeaders(), JSON.stringify({ model: "claude-x" }), 400, "invalid_request_error"],
    ["a wrong content type", clientHeaders({ "content-type": "text/plain" }), body, 415, "invalid_request_error"],
    [
      "a body over the limit",
      clientHeaders(),
      JSON.stringify({ model: "x", messages: [], pad: "x".repeat(5000) }),
      413,
      "request_too_large",
    ],
  ];
  test.each(cases)("%s gets a 4xx in the Anthropic shape, not forwarded", async (_, headers, payload, status, type) => {
    const before = mock.requests.length;
    await expectAnthropicError(await post(headers, payload), status, type);
    expect(mock.requests.length).toBe(before);
  });

  test("a body over the limit sent without content-length (chunked) is refused too", async () => {
    const big = new TextEncoder().encode(JSON.stringify({ model: "x", messages: [], pad: "y".repeat(9000) }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 1000) controller.enqueue(big.slice(i, i + 1000));
        controller.close();
      },
    });
    const response = await post(clientHeaders(), stream);
    // The unread rest of the body makes the connection unusable: the client is told it closes.
    expect(response.headers.get("connection")).toBe("close");
    await expectAnthropicError(response, 413, "request_too_large");
  });

  test("after all of that the gateway still serves", async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    const response = await post(clientHeaders());
    expect(response.status).toBe(200);
    expect((await response.json()).content[0].text).toBeString();
  });

  test("an unknown route gets 404 not_found_error", async () => {
    await expectAnthropicError(await fetch(`${gateway.url}/v2/nothing`), 404, "not_found_error");
  });
});

describe(`passthrough mode on ${runtime}`, () => {
  let open: Gateway;
  beforeAll(async () => {
    open = await startGateway({ upstream: mock.url, config: { PASSTHROUGH: "true" } });
  });
  afterAll(() => open?.[Symbol.asyncDispose]());

  test("a client's own Anthropic credential is forwarded untouched", async () => {
    const own = "sk-ant-oat01-claude-code-own-token";
    const response = await fetch(`${open.url}/code/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${own}`,
        "anthropic-version": "2023-06-01",
      },
      body,
    });
    expect(response.status).toBe(200);
    const seen = mock.requests.at(-1);
    expect(seen?.headers.get("authorization")).toBe(`Bearer ${own}`);
    expect(seen?.headers.get("x-api-key")).toBeNull();
    expect(open.stdout() + open.stderr()).not.toContain(own);
  });

  test("the client key still selects the pool key, and junk is still refused", async () => {
    expect((await fetch(`${open.url}/v1/messages`, { method: "POST", headers: clientHeaders(), body })).status).toBe(
      200,
    );
    expect(mock.requests.at(-1)?.headers.get("x-api-key")).toBe("sk-ant-api03-test-upstream-key");
    const junk = await fetch(`${open.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "not-a-key" },
      body,
    });
    expect(junk.status).toBe(401);
  });
});
