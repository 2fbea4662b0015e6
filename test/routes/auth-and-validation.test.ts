// Client auth (contract §1) and bad input (§6): answered in the Anthropic error shape, never
// forwarded, and the gateway keeps serving.
import { describe, expect, test } from "bun:test";
import { CLIENT_KEY, clientHeaders, runtime } from "../harness/gateway.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const body = messagesBody();
const suite = useMockAndGateway({ config: { BODY_LIMIT: "4KiB" } });

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
  postMessages(suite.gateway.url, { headers, body: payload, path });

describe(`client auth on ${runtime}`, () => {
  const rejected: [string, Record<string, string>][] = [
    ["a wrong x-api-key", { "x-api-key": "pg-wrong" }],
    ["a wrong Bearer token", { authorization: "Bearer pg-wrong" }],
    ["no key at all", {}],
    ["an Anthropic key while passthrough is off", { "x-api-key": "sk-ant-api03-somebody-else" }],
  ];
  test.each(rejected)("%s gets 401 authentication_error and no upstream request", async (_, auth) => {
    const before = suite.mock.requests.length;
    const message = await expectAnthropicError(
      await post({ "content-type": "application/json", ...auth }),
      401,
      "authentication_error",
    );
    expect(message).not.toContain(CLIENT_KEY);
    expect(suite.mock.requests.length).toBe(before);
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
    const before = suite.mock.requests.length;
    await expectAnthropicError(await fetch(`${suite.gateway.url}/v1/models`), 401, "authentication_error");
    await expectAnthropicError(
      await post({ "content-type": "application/json" }, body, "/v1/messages/count_tokens"),
      401,
      "authentication_error",
    );
    expect(suite.mock.requests.length).toBe(before);
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
    const before = suite.mock.requests.length;
    await expectAnthropicError(await post(headers, payload), status, type);
    expect(suite.mock.requests.length).toBe(before);
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
    expect((await fetch(`${suite.gateway.url}/health`)).status).toBe(200);
    const response = await post(clientHeaders());
    expect(response.status).toBe(200);
    expect((await response.json()).content[0].text).toBeString();
  });

  test("an unknown route gets 404 not_found_error", async () => {
    await expectAnthropicError(await fetch(`${suite.gateway.url}/v2/nothing`), 404, "not_found_error");
  });
});

describe(`passthrough mode on ${runtime}`, () => {
  const open = useMockAndGateway({ config: { PASSTHROUGH: "true" } });

  test("a client's own Anthropic credential is forwarded untouched", async () => {
    const own = "sk-ant-oat01-claude-code-own-token";
    const response = await postMessages(open.gateway.url, {
      path: "/code/v1/messages",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${own}`,
        "anthropic-version": "2023-06-01",
      },
    });
    expect(response.status).toBe(200);
    const seen = open.mock.requests.at(-1);
    expect(seen?.headers.get("authorization")).toBe(`Bearer ${own}`);
    expect(seen?.headers.get("x-api-key")).toBeNull();
    expect(open.gateway.stdout() + open.gateway.stderr()).not.toContain(own);
  });

  test("the client key still selects the pool key, and junk is still refused", async () => {
    expect((await postMessages(open.gateway.url)).status).toBe(200);
    expect(open.mock.requests.at(-1)?.headers.get("x-api-key")).toBe("sk-ant-api03-test-upstream-key");
    const junk = await postMessages(open.gateway.url, {
      headers: { "content-type": "application/json", "x-api-key": "not-a-key" },
    });
    expect(junk.status).toBe(401);
  });
});
