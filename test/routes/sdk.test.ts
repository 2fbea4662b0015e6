// The official Anthropic SDK as the client: its strict stream accumulator is what users run.
import { beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { fixtureStream } from "../harness/fixtures.ts";
import { CLIENT_KEY, runtime, startGateway } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const sse = { "content-type": "text/event-stream" };

const suite = useMockAndGateway();
let client: Anthropic;
beforeAll(() => {
  client = new Anthropic({ apiKey: CLIENT_KEY, baseURL: suite.gateway.url, maxRetries: 0 });
});

const params = {
  model: "claude-sonnet-4-6",
  max_tokens: 64,
  messages: [{ role: "user" as const, content: "say hi" }],
};

describe(`@anthropic-ai/sdk through the gateway on ${runtime}`, () => {
  test("messages.create", async () => {
    const message = await client.messages.create(params);
    expect(message.content[0]).toMatchObject({ type: "text", text: MOCK_REPLY_TEXT });
    expect(message.stop_reason).toBe("end_turn");
  });

  test("messages.create with stream: true", async () => {
    const stream = await client.messages.create({ ...params, stream: true });
    const types: string[] = [];
    let text = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    }
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    expect(text).toBe(MOCK_REPLY_TEXT);
  });

  test("messages.stream().finalMessage() on the recorded tool-use stream", async () => {
    suite.mock.replyOnce({ headers: sse, chunks: [fixtureStream("tool_use_response.sse")] });
    const message = await client.messages.stream(params).finalMessage();
    const tool = message.content.find((b) => b.type === "tool_use");
    expect(tool?.type).toBe("tool_use");
    expect(message.stop_reason).toBe("tool_use");
  });

  test("messages.stream().finalMessage() on the recorded thinking stream", async () => {
    suite.mock.replyOnce({ headers: sse, chunks: [fixtureStream("thinking-stream-a-refusal.sse")] });
    const message = await client.messages.stream(params).finalMessage();
    expect(message.content.some((b) => b.type === "thinking")).toBe(true);
  });

  test("the Claude Code profile works with the SDK too", async () => {
    const code = new Anthropic({
      authToken: CLIENT_KEY,
      apiKey: null,
      baseURL: `${suite.gateway.url}/code`,
      maxRetries: 0,
    });
    const message = await code.messages.stream(params).finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: MOCK_REPLY_TEXT });
  });

  test("models.list() parses the gateway's models body", async () => {
    const page = await client.models.list();
    // The SDK pages through has_more itself; the gateway answers with the whole list at once.
    const ids = page.data.map((m) => m.id);
    expect(ids.slice(0, 2)).toEqual(["claude-test-upstream-7", "claude-test-upstream-7-thinking"]);
    expect(ids).toContain("claude-haiku-4-5-20251001-thinking");
    expect(page.data.find((m) => m.id === "claude-haiku-4-5-20251001")).toMatchObject({
      max_input_tokens: 200_000,
      max_tokens: 64_000,
    });
  });

  test("an upstream 429 surfaces as the SDK's RateLimitError with upstream's message", async () => {
    // Its own gateway: the 429 cools that gateway's only key.
    await using mock = startMockUpstream();
    await using gateway = await startGateway({ upstream: mock.url });
    const client = new Anthropic({ apiKey: CLIENT_KEY, baseURL: gateway.url, maxRetries: 0 });
    mock.replyOnce({
      status: 429,
      headers: { "retry-after": "7" },
      body: JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "slow down please" } }),
    });
    const error = await client.messages.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as Error).message).toContain("slow down please");
  });

  test("a mid-stream error event makes the SDK stream throw", async () => {
    const start = fixtureStream("basic_response.sse").split("\n\n").slice(0, 2).join("\n\n");
    suite.mock.replyOnce({
      headers: sse,
      chunks: [
        `${start}\n\n`,
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
      ],
    });
    const error = await client.messages
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("Overloaded");
  });
});
