// The Responses API (issue 16) with the official `openai` package as the client: responses.create
// (text, image, a function-call round trip, structured output), responses.stream().finalResponse()
// over every recorded Anthropic stream (each output checked against the stream it came from),
// the event order, previous_response_id chains, and stored responses per client key.
import { beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { unsealReasoning } from "../../server/protocol/translate/reasoning-seal.ts";
import { adminCall } from "../harness/admin.ts";
import { fixtureNames, fixtureStream } from "../harness/fixtures.ts";
import { CLIENT_KEY, runtime } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, sseRecord, textStream } from "../harness/mock-upstream.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const sse = { "content-type": "text/event-stream" };
const suite = useMockAndGateway();
let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
});
const MODEL = "claude-sonnet-4-6";
const sent = () => suite.mock.requests.at(-1)?.json() as Record<string, unknown>;

/** What an Anthropic stream adds up to: its blocks in order, and how it stopped. */
function foldAnthropic(stream: string) {
  const blocks: Record<string, unknown>[] = [];
  const json: string[] = [];
  let stopReason: string | undefined;
  let error: string | undefined;
  for (const line of stream.split("\n")) {
    if (!line.startsWith("data:")) continue;
    const event = JSON.parse(line.slice(5));
    if (event.type === "content_block_start") {
      blocks[event.index] = structuredClone(event.content_block);
      json[event.index] = "";
    } else if (event.type === "content_block_delta") {
      const block = blocks[event.index] as Record<string, string>;
      const d = event.delta;
      if (d.type === "text_delta") block.text = (block.text ?? "") + d.text;
      if (d.type === "thinking_delta") block.thinking = (block.thinking ?? "") + d.thinking;
      if (d.type === "signature_delta") block.signature = (block.signature ?? "") + d.signature;
      if (d.type === "input_json_delta") json[event.index] += d.partial_json;
    } else if (event.type === "message_delta") stopReason = event.delta.stop_reason ?? stopReason;
    else if (event.type === "error") error = event.error.message;
  }
  return { blocks, json, stopReason, error };
}

describe(`responses.create on ${runtime}`, () => {
  test("text: instructions become the system prompt; output_text is the reply; usage is counted", async () => {
    const response = await openai.responses.create({ model: MODEL, instructions: "Be brief.", input: "say hi" });
    expect(response.output_text).toBe(MOCK_REPLY_TEXT);
    expect(response.status).toBe("completed");
    expect(response.id).toMatch(/^resp_/);
    expect(response.usage).toMatchObject({ input_tokens: 12, output_tokens: 9, total_tokens: 21 });
    const body = sent();
    expect(body.system).toEqual([{ type: "text", text: "Be brief." }]);
    expect(body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "say hi" }] }]);
    expect(body.stream).toBe(true);
  });

  test("an image and a PDF go up as Anthropic image and document blocks", async () => {
    await openai.responses.create({
      model: MODEL,
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "what is this?" },
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" },
            { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
          ],
        },
      ],
    });
    expect((sent().messages as { content: unknown[] }[])[0]?.content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
    ]);
  });

  test("a function call round trip: the call comes back as function_call, its output goes up as tool_result", async () => {
    suite.mock.replyOnce({ headers: sse, body: fixtureStream("tool_use_response.sse") });
    const tools: OpenAI.Responses.Tool[] = [
      {
        type: "function",
        name: "get_weather",
        description: "Weather",
        parameters: { type: "object", properties: {} },
        strict: false,
      },
    ];
    const first = await openai.responses.create({ model: MODEL, input: "weather in SF?", tools });
    expect(sent().tools).toEqual([
      { name: "get_weather", description: "Weather", input_schema: { type: "object", properties: {} } },
    ]);
    const call = first.output.find(
      (item) => item.type === "function_call",
    ) as OpenAI.Responses.ResponseFunctionToolCall;
    const anthropic = foldAnthropic(fixtureStream("tool_use_response.sse"));
    const toolBlock = anthropic.blocks.find((b) => b.type === "tool_use") as { id: string; name: string };
    expect(call).toMatchObject({ call_id: toolBlock.id, name: toolBlock.name, status: "completed" });
    expect(JSON.parse(call.arguments)).toEqual(
      JSON.parse(anthropic.json[anthropic.blocks.indexOf(toolBlock)] as string),
    );

    await openai.responses.create({
      model: MODEL,
      tools,
      input: [
        { role: "user", content: "weather in SF?" },
        { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: "function_call_output", call_id: call.call_id, output: "18°C and sunny" },
      ],
    });
    expect(sent().messages).toEqual([
      { role: "user", content: [{ type: "text", text: "weather in SF?" }] },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: call.call_id, name: call.name, input: JSON.parse(call.arguments) }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: call.call_id, content: "18°C and sunny" }] },
    ]);
  });

  test("structured output: text.format json_schema becomes output_config.format", async () => {
    const schema = {
      type: "object",
      properties: { answer: { type: "string" } },
      required: ["answer"],
      additionalProperties: false,
    };
    await openai.responses.create({
      model: MODEL,
      input: "answer in JSON",
      text: { format: { type: "json_schema", name: "answer", schema, strict: true } },
    });
    expect((sent().output_config as { format: unknown }).format).toEqual({ type: "json_schema", schema });
  });

  test("truncation auto is refused with a clear message, in the OpenAI error shape", async () => {
    const error = await openai.responses.create({ model: MODEL, input: "x", truncation: "auto" }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.error).toMatchObject({ type: "invalid_request_error", param: "truncation" });
    expect(error.message).toContain("pocketgate sends the whole conversation");
  });
});

describe(`responses.stream over every recorded stream, on ${runtime}`, () => {
  for (const name of fixtureNames) {
    test(name, async () => {
      const stream = fixtureStream(name);
      suite.mock.replyOnce({ headers: sse, body: stream });
      const anthropic = foldAnthropic(stream);
      const response = await openai.responses
        .stream({ model: MODEL, input: "go", include: ["reasoning.encrypted_content"], reasoning: { summary: "auto" } })
        .finalResponse();
      // Each block that makes an item, in order, with the same content.
      const itemKinds: Record<string, string> = {
        text: "message",
        thinking: "reasoning",
        redacted_thinking: "reasoning",
        tool_use: "function_call",
        server_tool_use: "web_search_call",
      };
      const expected = anthropic.blocks.filter((b) => itemKinds[String(b.type)]);
      expect(response.output.map((item) => item.type)).toEqual(expected.map((b) => itemKinds[String(b.type)]) as never);
      response.output.forEach((item, i) => {
        const block = expected[i] as Record<string, string>;
        if (item.type === "message") {
          expect(item.content).toHaveLength(1);
          expect(item.content[0]).toMatchObject({ type: "output_text", text: block.text ?? "", annotations: [] });
        }
        if (item.type === "reasoning") {
          expect(item.summary).toEqual([{ type: "summary_text", text: block.thinking ?? "" }]);
          expect(unsealReasoning(item.encrypted_content)).toEqual({
            type: "thinking",
            thinking: block.thinking ?? "",
            signature: block.signature ?? "",
          });
        }
        if (item.type === "function_call") {
          expect(item).toMatchObject({ call_id: block.id, name: block.name });
          expect(item.arguments).toBe(anthropic.json[anthropic.blocks.indexOf(block)] || "{}");
        }
      });
      const incomplete = { max_tokens: "max_output_tokens", refusal: "content_filter" }[anthropic.stopReason ?? ""];
      expect(response.status).toBe(incomplete ? "incomplete" : "completed");
      expect(response.incomplete_details as unknown).toEqual(incomplete ? { reason: incomplete } : null);
    });
  }

  test("an upstream error mid-stream: response.failed, then an error the SDK throws", async () => {
    const chunks = textStream("partial ").slice(0, 4);
    chunks.push(sseRecord("error", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    suite.mock.replyOnce({ headers: sse, chunks });
    const error = await openai.responses
      .stream({ model: MODEL, input: "go" })
      .finalResponse()
      .catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String(error.message)).toContain("Overloaded");
  });

  test("a non-streaming client whose upstream stream fails midway gets an HTTP error, not a half reply", async () => {
    const chunks = textStream("partial ").slice(0, 4);
    chunks.push(sseRecord("error", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    suite.mock.replyOnce({ headers: sse, chunks });
    const error = await openai.responses.create({ model: MODEL, input: "go" }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(503);
    expect(error.message).toContain("Overloaded");
  });

  test("events come in order with consecutive sequence numbers and stable item ids", async () => {
    const response = await fetch(`${suite.gateway.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: MODEL, input: "hi", stream: true }),
    });
    const events = (await response.text())
      .split("\n\n")
      .filter((r) => r.startsWith("event:"))
      .map((r) => JSON.parse(r.split("\n")[1]?.slice(6) ?? "{}"));
    const types = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const itemId = events[2].item.id;
    for (const e of events.slice(3, -1)) expect(e.item_id ?? e.item?.id).toBe(itemId);
    expect(events.at(-1).response.output[0].id).toBe(itemId);
  });
});

describe(`stored responses on ${runtime}`, () => {
  test("previous_response_id chains three turns; GET and DELETE work; another client key gets 404", async () => {
    const one = await openai.responses.create({ model: MODEL, input: "turn one" });
    const two = await openai.responses.create({ model: MODEL, input: "turn two", previous_response_id: one.id });
    await openai.responses.create({ model: MODEL, input: "turn three", previous_response_id: two.id });
    expect(sent().messages).toEqual([
      { role: "user", content: [{ type: "text", text: "turn one" }] },
      { role: "assistant", content: [{ type: "text", text: MOCK_REPLY_TEXT }] },
      { role: "user", content: [{ type: "text", text: "turn two" }] },
      { role: "assistant", content: [{ type: "text", text: MOCK_REPLY_TEXT }] },
      { role: "user", content: [{ type: "text", text: "turn three" }] },
    ]);
    const fetched = await openai.responses.retrieve(one.id);
    expect(fetched.output_text).toBe(MOCK_REPLY_TEXT);

    const other = (await adminCall(suite.gateway, "POST", "/clients", { name: "other-app" })).json.key as string;
    const stranger = new OpenAI({ apiKey: other, baseURL: `${suite.gateway.url}/v1`, maxRetries: 0 });
    const denied = await stranger.responses.retrieve(one.id).catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.NotFoundError);
    const chained = await stranger.responses
      .create({ model: MODEL, input: "x", previous_response_id: one.id })
      .catch((e) => e);
    expect(chained).toBeInstanceOf(OpenAI.NotFoundError);
    expect(chained.error).toMatchObject({ type: "invalid_request_error", param: "response_id" });

    const unknown = await openai.responses.retrieve("resp_nope").catch((e) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    await openai.responses.delete(two.id);
    expect(await openai.responses.retrieve(two.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  test("store: false keeps nothing", async () => {
    const kept = await openai.responses.create({ model: MODEL, input: "private", store: false });
    expect((kept as unknown as { store: boolean }).store).toBe(false);
    expect(await openai.responses.retrieve(kept.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  test("thinking survives the round trip: a reasoning item sent back is the same thinking block upstream", async () => {
    suite.mock.replyOnce({ headers: sse, body: fixtureStream("thinking-stream-a-refusal.sse") });
    const first = await openai.responses.create({
      model: MODEL,
      input: "think",
      include: ["reasoning.encrypted_content"],
      reasoning: { effort: "medium", summary: "auto" },
    });
    const reasoning = first.output.find((i) => i.type === "reasoning") as OpenAI.Responses.ResponseReasoningItem;
    const block = foldAnthropic(fixtureStream("thinking-stream-a-refusal.sse")).blocks[0];
    await openai.responses.create({
      model: MODEL,
      reasoning: { effort: "medium" },
      input: [{ role: "user", content: "think" }, reasoning, { role: "user", content: "and now?" }],
    });
    expect((sent().messages as unknown[])[1]).toEqual({ role: "assistant", content: [block] });
  });
});
