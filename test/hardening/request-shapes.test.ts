// Wrongly typed and hostile request bodies (issue 11, defects 7 and 10): every one is refused
// with a 400 in the caller's protocol shape that names the field, before anything is sent
// upstream, and a body built to be expensive to parse is refused without the memory it would take.
import { describe, expect, test } from "bun:test";
import { clientHeaders, runtime } from "../harness/gateway.ts";
import { MiB, peakRssOf, rssOf } from "../harness/process-stats.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const chat = (body: unknown) =>
  fetch(`${suite.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: clientHeaders(),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const native = (path: string, body: string) =>
  fetch(`${suite.gateway.url}${path}`, { method: "POST", headers: clientHeaders(), body });

const base = { model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] };
const user = (extra: Record<string, unknown>) => ({ ...base, messages: [{ role: "user", ...extra }] });
const assistant = (extra: Record<string, unknown>) => ({
  ...base,
  messages: [
    { role: "user", content: "hi" },
    { role: "assistant", content: "x", ...extra },
  ],
});
const deep = (depth: number, leaf = "1") => "[".repeat(depth) + leaf + "]".repeat(depth);

describe(`wrongly typed chat requests on ${runtime}`, () => {
  const shapes: [string, unknown][] = [
    ["messages:[null]", { ...base, messages: [null] }],
    ["messages:[1]", { ...base, messages: [1] }],
    ["content:[null]", user({ content: [null] })],
    ["content:[1]", user({ content: [1] })],
    ["content:{}", user({ content: {} })],
    ["content part without type", user({ content: [{ text: "x" }] })],
    ["image_url without url", user({ content: [{ type: "image_url", image_url: {} }] })],
    ["tools:[1]", { ...base, tools: [1] }],
    ['tools:[{"type":"function"}]', { ...base, tools: [{ type: "function" }] }],
    ["tools:{}", { ...base, tools: {} }],
    ["tool_calls:5", assistant({ tool_calls: 5 })],
    ["tool_calls:[null]", assistant({ tool_calls: [null] })],
    ["tool_calls without function", assistant({ tool_calls: [{ id: "c", type: "function" }] })],
    ['tool_choice:{"type":"function"}', { ...base, tool_choice: { type: "function" } }],
    ["tool_choice:5", { ...base, tool_choice: 5 }],
    ["role:5", { ...base, messages: [{ role: 5, content: "x" }] }],
    ["stop:5", { ...base, stop: 5 }],
    ["stop:[1]", { ...base, stop: [1] }],
    ["max_tokens:'x'", { ...base, max_tokens: "x" }],
    ["temperature:'hot'", { ...base, temperature: "hot" }],
    ["response_format:5", { ...base, response_format: 5 }],
    ["stream_options:5", { ...base, stream_options: 5 }],
    ["name:5", user({ content: "x", name: 5 })],
    ["model:5", { ...base, model: 5 }],
  ];
  test.each(shapes)("%s gets 400 invalid_request_error in the OpenAI shape", async (_, body) => {
    const before = suite.mock.requests.length;
    const response = await chat(body);
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.error.type).toBe("invalid_request_error");
    expect(typeof json.error.message).toBe("string");
    expect(suite.mock.requests.length).toBe(before);
  });

  test("the message names the field at fault", async () => {
    const json = await (await chat({ ...base, messages: [{ role: "user", content: "a" }, null] })).json();
    expect(json.error.message).toContain("messages[1]");
    expect(json.error.param).toBe("messages[1]");
  });
});

describe(`deep nesting on ${runtime}`, () => {
  test("5,000 levels in a chat content part get 400", async () => {
    const body = `{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":[{"type":"text","text":"x","extra":${deep(5000)}}]}]}`;
    const response = await chat(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain("nested");
  });

  for (const path of ["/v1/messages", "/v1/messages/count_tokens"]) {
    for (const field of ["messages", "system"]) {
      test(`50,000 levels in ${field} on ${path} get 400`, async () => {
        const value = field === "messages" ? `[{"role":"user","content":${deep(50_000, '"x"')}}]` : deep(50_000, '"x"');
        const body = `{"model":"claude-sonnet-4-6","max_tokens":5,"messages":[{"role":"user","content":"x"}],"${field}":${value}}`;
        const before = suite.mock.requests.length;
        const response = await native(path, body);
        expect(response.status).toBe(400);
        const json = await response.json();
        expect(json.type).toBe("error");
        expect(json.error.type).toBe("invalid_request_error");
        expect(suite.mock.requests.length).toBe(before);
      });
    }
  }
});

describe(`bodies built to be expensive on ${runtime}`, () => {
  test("29 MB of ten million empty arrays is refused without holding hundreds of MB", async () => {
    const pid = suite.gateway.pid;
    const before = rssOf(pid);
    const body = `{"model":"claude-sonnet-4-6","max_tokens":5,"messages":[{"role":"user","content":"x"}],"pad":[${"[],".repeat(9_999_999)}[]]}`;
    const response = await native("/v1/messages", body);
    expect(response.status).toBe(400);
    await response.arrayBuffer();
    // The body itself is 29 MB and is held while it is read; parsing it would take ~900 MB.
    expect(peakRssOf(pid) - before).toBeLessThan(200 * MiB);
  }, 30_000);

  test("after all of that the gateway still serves", async () => {
    const response = await chat(base);
    expect(response.status).toBe(200);
    expect(suite.gateway.stderr()).not.toContain("internal error");
  });
});
