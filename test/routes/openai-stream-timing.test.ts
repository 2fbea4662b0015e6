// OpenAI streams over time: keepalive comments while upstream is quiet, and a silent upstream
// ending the stream with an error chunk and [DONE].
import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { fixtureStream } from "../harness/fixtures.ts";
import { CLIENT_KEY, clientHeaders, runtime } from "../harness/gateway.ts";
import { textStream } from "../harness/mock-upstream.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const sse = { "content-type": "text/event-stream" };
const request = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: clientHeaders({ authorization: `Bearer ${CLIENT_KEY}` }),
    body: JSON.stringify({ model: "claude-sonnet-4-6", stream: true, messages: [{ role: "user", content: "hi" }] }),
  });

describe(`OpenAI stream keepalive on ${runtime}`, () => {
  const suite = useMockAndGateway();
  test(
    "a 16 s pause upstream gets a keepalive comment, and the stream still completes",
    async () => {
      const [first, ...rest] = textStream("after a pause");
      suite.mock.replyOnce({ headers: sse, chunks: [first ?? "", rest.join("")], chunkDelayMs: 16_000 });
      const text = await (await request(suite.gateway.url)).text();
      expect(text).toContain(": keepalive\n\n");
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
      expect(text).toContain('"content":"after "');
    },
    { timeout: 30_000 },
  );
});

describe(`OpenAI stream idle timeout on ${runtime}`, () => {
  const suite = useMockAndGateway({ config: { STREAM_IDLE_TIMEOUT: "1" } });
  test("a silent upstream ends the stream with an error chunk, then [DONE]; the openai client raises it", async () => {
    const head = fixtureStream("basic_response.sse").split("\n\n").slice(0, 3).join("\n\n");
    suite.mock.replyOnce({ headers: sse, chunks: [`${head}\n\n`, ""], stallAfterChunks: 1 });
    const text = await (await request(suite.gateway.url)).text();
    const data = text
      .split("\n\n")
      .filter((r) => r.startsWith("data: "))
      .map((r) => r.slice(6));
    expect(data.at(-1)).toBe("[DONE]");
    const error = JSON.parse(data.at(-2) ?? "{}").error;
    expect(error.code).toBe("timeout_error");
    expect(error.message).toContain("stream_idle_timeout");

    suite.mock.replyOnce({ headers: sse, chunks: [`${head}\n\n`, ""], stallAfterChunks: 1 });
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
    const raised = await openai.chat.completions
      .stream({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] })
      .finalChatCompletion()
      .catch((e: unknown) => e);
    expect((raised as Error).message).toContain("stream_idle_timeout");
  });
});
