// The official `openai` package as the client of /v1/chat/completions (contract §4–§6): its
// strict stream accumulator is what users run.
import { beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { fixtureNames, fixtureStream, fixtureToolInputs } from "../harness/fixtures.ts";
import { CLIENT_KEY, clientHeaders, runtime, startGateway } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const sse = { "content-type": "text/event-stream" };
const suite = useMockAndGateway();
let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
});

const params = { model: "claude-sonnet-4-6", messages: [{ role: "user" as const, content: "say hi" }] };

/** Each way a client can ask, each giving back one assembled completion to check. */
const ways: [string, () => Promise<OpenAI.ChatCompletion>][] = [
  ["create", () => openai.chat.completions.create(params)],
  [
    "create stream: true",
    async () => {
      // Folded with the SDK's own accumulator, chunk by chunk.
      const stream = await openai.chat.completions.create({ ...params, stream: true });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      return foldChunks(chunks);
    },
  ],
  ["stream().finalChatCompletion()", () => openai.chat.completions.stream(params).finalChatCompletion()],
];

function foldChunks(chunks: OpenAI.ChatCompletionChunk[]): OpenAI.ChatCompletion {
  expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
  let content: string | null = null;
  let reasoning = "";
  const tools: OpenAI.ChatCompletionMessageFunctionToolCall[] = [];
  let finish: OpenAI.ChatCompletion.Choice["finish_reason"] = "stop";
  for (const chunk of chunks) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.content) content = (content ?? "") + choice.delta.content;
    const delta = choice.delta as { reasoning_content?: string };
    if (delta.reasoning_content) reasoning += delta.reasoning_content;
    for (const call of choice.delta.tool_calls ?? []) {
      const known = tools[call.index];
      if (known) known.function.arguments += call.function?.arguments ?? "";
      else {
        expect(call.id && call.type === "function" && call.function?.name).toBeTruthy();
        tools[call.index] = {
          id: call.id ?? "",
          type: "function",
          function: { name: call.function?.name ?? "", arguments: call.function?.arguments ?? "" },
        };
      }
    }
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  const message = { role: "assistant", content, refusal: null, ...(tools.length ? { tool_calls: tools } : {}) };
  if (reasoning) Object.assign(message, { reasoning_content: reasoning });
  return {
    id: chunks[0]?.id ?? "",
    object: "chat.completion",
    created: 0,
    model: "",
    choices: [{ index: 0, message: message as OpenAI.ChatCompletionMessage, finish_reason: finish, logprobs: null }],
  };
}

describe(`openai package through /v1/chat/completions on ${runtime}`, () => {
  test.each(ways)("%s: a text reply", async (_, ask) => {
    const completion = await ask();
    expect(completion.choices[0]?.message.content).toBe(MOCK_REPLY_TEXT);
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    const sent = suite.mock.requests.at(-1)?.json();
    expect(sent?.stream).toBe(true);
    expect(suite.mock.requests.at(-1)?.headers.get("x-api-key")).toBe("sk-ant-api03-test-upstream-key");
  });

  test.each(ways)("%s: a streamed tool call re-assembles to the mock's JSON", async (_, ask) => {
    suite.mock.replyOnce({ headers: sse, chunks: [fixtureStream("tool_use_response.sse")] });
    const completion = await ask();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const call = choice?.message.tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.id).toBe("toolu_01NRLabsLyVHZPKxbKvkfSMn");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual(fixtureToolInputs("tool_use_response.sse")[0]);
    expect(choice?.message.content).toBe("I'll check the current weather in Paris for you.");
  });

  test.each(ways)("%s: a thinking reply carries reasoning_content", async (_, ask) => {
    suite.mock.replyOnce({ headers: sse, chunks: [fixtureStream("thinking-stream-a-refusal.sse")] });
    const completion = await ask();
    const message = completion.choices[0]?.message as { reasoning_content?: string };
    expect(message.reasoning_content?.length).toBeGreaterThan(10);
  });

  test.each(ways)("%s: the refusal fixture ends with content_filter", async (_, ask) => {
    suite.mock.replyOnce({ headers: sse, chunks: [fixtureStream("refusal_response.sse")] });
    const completion = await ask();
    expect(completion.choices[0]?.finish_reason).toBe("content_filter");
  });

  test("usage: prompt counts cache reads and writes; the usage chunk comes last when asked for", async () => {
    const stream = await openai.chat.completions.create({
      ...params,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 9,
      total_tokens: 21,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const plain = await openai.chat.completions.create(params);
    expect(plain.usage?.total_tokens).toBe(21);
  });

  test("upstream 429 before the stream: HTTP 429 in the OpenAI shape with retry-after", async () => {
    // Its own gateway: the 429 cools that gateway's only key.
    await using mock = startMockUpstream();
    await using gateway = await startGateway({ upstream: mock.url });
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    mock.replyOnce({
      status: 429,
      headers: { "retry-after": "7" },
      body: JSON.stringify({
        type: "error",
        error: { type: "rate_limit_error", message: "Number of requests exceeded" },
      }),
    });
    const error = await openai.chat.completions.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(apiError.status).toBe(429);
    expect(apiError.headers?.get("retry-after")).toBe("7");
    expect(apiError.error).toEqual({
      message: "Number of requests exceeded",
      type: "rate_limit_error",
      param: null,
      code: "rate_limit_error",
    });
  });

  test("an upstream error event mid-stream makes the openai client raise it", async () => {
    const head = fixtureStream("basic_response.sse").split("\n\n").slice(0, 4).join("\n\n");
    const reply = {
      headers: sse,
      chunks: [
        `${head}\n\n`,
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded right now"}}\n\n',
      ],
    };
    suite.mock.replyOnce(reply);
    const stream = await openai.chat.completions.create({ ...params, stream: true });
    const iterated = await (async () => {
      for await (const _ of stream) {
      }
    })().catch((e: unknown) => e);
    expect(iterated).toBeInstanceOf(Error);
    expect((iterated as Error).message).toContain("Overloaded right now");

    suite.mock.replyOnce(reply);
    const final = await openai.chat.completions
      .stream(params)
      .finalChatCompletion()
      .catch((e: unknown) => e);
    expect(final).toBeInstanceOf(Error);
    expect((final as Error).message).toContain("Overloaded right now");

    suite.mock.replyOnce(reply);
    const plain = await openai.chat.completions.create(params).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(OpenAI.APIError);
    expect((plain as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((plain as Error).message).toContain("Overloaded right now");
  });

  test("n: 2 gets 400 in the OpenAI shape saying what to do", async () => {
    const before = suite.mock.requests.length;
    const error = await openai.chat.completions.create({ ...params, n: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.error).toMatchObject({ type: "invalid_request_error" });
    expect(String((apiError.error as { message: string }).message)).toContain("send n separate requests");
    expect(suite.mock.requests.length).toBe(before);
  });

  test("a wrong key gets 401 in the OpenAI shape", async () => {
    const wrong = new OpenAI({ apiKey: "pg-wrong", baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
    const error = await wrong.chat.completions.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({
      type: "authentication_error",
    });
  });

  test("/chat/completions and /code/v1/chat/completions answer too", async () => {
    for (const base of [suite.gateway.url, `${suite.gateway.url}/code/v1`]) {
      const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: base, maxRetries: 0 });
      expect((await client.chat.completions.create(params)).choices[0]?.message.content).toBe(MOCK_REPLY_TEXT);
    }
  });

  test("openai.models.list() and the models body SillyTavern's Connect reads", async () => {
    const page = await openai.models.list();
    expect(page.data.map((m) => m.id)).toContain("claude-opus-5-thinking");
    // Context and output limits ride along for clients that read them.
    expect(page.data.find((m) => m.id === "claude-opus-5")).toMatchObject({
      context_length: 1_000_000,
      max_tokens: 128_000,
    });
    const raw = await (
      await fetch(`${suite.gateway.url}/v1/models`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } })
    ).json();
    expect(Array.isArray(raw.data)).toBe(true);
    expect(raw.data.every((m: { id: unknown }) => typeof m.id === "string")).toBe(true);
  });
});

describe(`every recorded stream, translated, is a valid chunk stream on ${runtime}`, () => {
  test.each(fixtureNames)("%s", async (name) => {
    suite.mock.replyOnce({ headers: sse, chunks: [fixtureStream(name)] });
    const response = await fetch(`${suite.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: clientHeaders({ authorization: `Bearer ${CLIENT_KEY}` }),
      body: JSON.stringify({ ...params, stream: true }),
    });
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const text = await response.text();
    const records = text.split("\n\n").filter((r) => r !== "" && !r.startsWith(":"));
    const data = records.map((r) => {
      expect(r.startsWith("data: ")).toBe(true);
      return r.slice(6);
    });
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.filter((c) => c.choices[0]?.delta?.role).length).toBe(1);
    const seenTools = new Set<number>();
    for (const chunk of chunks) {
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.id).toBe(chunks[0].id);
      expect(typeof chunk.created).toBe("number");
      expect(chunk.choices[0].index).toBe(0);
      for (const call of chunk.choices[0].delta.tool_calls ?? []) {
        if (!seenTools.has(call.index)) {
          expect(call.id).toBeString();
          expect(call.type).toBe("function");
          expect(call.function.name).toBeString();
          seenTools.add(call.index);
        }
      }
    }
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).length).toBe(1);
  });
});
