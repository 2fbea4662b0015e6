// Every request rule of contract §4, table-driven: an OpenAI request goes in, and the exact
// Anthropic body the mock upstream received is compared.
import { describe, expect, test } from "bun:test";
import { CLIENT_KEY, runtime } from "../harness/gateway.ts";
import { useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const ZWSP = "\u200b";

const user = (text: string) => ({ role: "user", content: [{ type: "text", text }] });
const send = (request: Record<string, unknown>) =>
  fetch(`${suite.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` },
    body: JSON.stringify({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }], ...request }),
  });
/** The Anthropic body every case starts from (automatic prompt caching is on by default, issue 15). */
const base = {
  model: "claude-sonnet-4-6",
  max_tokens: 128_000,
  stream: true,
  messages: [user("hi")],
  cache_control: { type: "ephemeral" },
};
/** A model whose only thinking form is budget_tokens (the built-in table's Sonnet 4.5). */
const BUDGET_MODEL = "claude-sonnet-4-5-20250929";
const budgetBase = { ...base, model: BUDGET_MODEL, max_tokens: 64_000 };

const cases: [rule: string, request: Record<string, unknown>, expected: Record<string, unknown>][] = [
  [
    "leading system and developer messages become system blocks, in order",
    {
      messages: [
        { role: "system", content: "You are terse." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "hi" },
      ],
    },
    {
      ...base,
      system: [
        { type: "text", text: "You are terse." },
        { type: "text", text: "Answer in French." },
      ],
    },
  ],
  [
    "a system message in the middle becomes user text in place, merged with its neighbours",
    {
      messages: [
        { role: "user", content: "one" },
        { role: "assistant", content: "two" },
        { role: "system", content: "[note]" },
        { role: "user", content: "three" },
      ],
    },
    {
      ...base,
      messages: [
        user("one"),
        { role: "assistant", content: [{ type: "text", text: "two" }] },
        {
          role: "user",
          content: [
            { type: "text", text: "[note]" },
            { type: "text", text: "three" },
          ],
        },
      ],
    },
  ],
  [
    "consecutive turns of one role merge; names prefix the text",
    {
      messages: [
        { role: "user", content: "hello", name: "Alice" },
        { role: "user", content: [{ type: "text", text: "again" }], name: "Bob" },
        { role: "assistant", content: "hi both", name: "Claude" },
      ],
      model: BUDGET_MODEL,
    },
    {
      ...budgetBase,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Alice: hello" },
            { type: "text", text: "Bob: again" },
          ],
        },
        { role: "assistant", content: [{ type: "text", text: "Claude: hi both" }] },
      ],
    },
  ],
  [
    "content parts: text, base64 image, PDF, image URL; empty text dropped",
    {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "text", text: "" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0K" } },
            { type: "image_url", image_url: { url: "data:application/pdf;base64,JVBERi0x" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "high" } },
            { type: "input_audio", input_audio: { data: "x", format: "wav" } },
          ],
        },
      ],
    },
    {
      ...base,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0K" } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0x" } },
            { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
    },
  ],
  [
    "a turn left empty gets a zero-width space",
    {
      messages: [
        { role: "user", content: "" },
        { role: "assistant", content: "ok" },
        { role: "user", content: [] },
      ],
    },
    {
      ...base,
      messages: [
        { role: "user", content: [{ type: "text", text: ZWSP }] },
        { role: "assistant", content: [{ type: "text", text: "ok" }] },
        { role: "user", content: [{ type: "text", text: ZWSP }] },
      ],
    },
  ],
  [
    "assistant tool_calls become tool_use after the text; tool results lead one user turn",
    {
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "12C" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "noon" }] },
        { role: "user", content: "thanks" },
      ],
    },
    {
      ...base,
      messages: [
        user("weather?"),
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
            { type: "tool_use", id: "call_2", name: "get_time", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_1", content: "12C" },
            { type: "tool_result", tool_use_id: "call_2", content: "noon" },
            { type: "text", text: "thanks" },
          ],
        },
      ],
    },
  ],
  [
    "tools map to input_schema (a default when parameters are missing); required → any; no parallel calls",
    {
      tools: [
        {
          type: "function",
          function: {
            name: "a",
            description: "does a",
            parameters: { type: "object", properties: { x: { type: "string" } } },
          },
        },
        { type: "function", function: { name: "b" } },
      ],
      tool_choice: "required",
      parallel_tool_calls: false,
    },
    {
      ...base,
      tools: [
        { name: "a", description: "does a", input_schema: { type: "object", properties: { x: { type: "string" } } } },
        { name: "b", input_schema: { type: "object", properties: {} } },
      ],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    },
  ],
  ["tool_choice auto", { tool_choice: "auto" }, { ...base, tool_choice: { type: "auto" } }],
  ["tool_choice none", { tool_choice: "none" }, { ...base, tool_choice: { type: "none" } }],
  [
    "tool_choice naming a function",
    { tool_choice: { type: "function", function: { name: "a" } } },
    { ...base, tool_choice: { type: "tool", name: "a" } },
  ],
  [
    "parallel_tool_calls false alone",
    { parallel_tool_calls: false },
    { ...base, tool_choice: { type: "auto", disable_parallel_tool_use: true } },
  ],
  [
    "max_completion_tokens wins over max_tokens",
    { max_completion_tokens: 300, max_tokens: 900 },
    { ...base, max_tokens: 300 },
  ],
  ["max_tokens", { max_tokens: 900 }, { ...base, max_tokens: 900 }],
  [
    "no max tokens: the model's maximum from the model list",
    { model: "claude-haiku-4-5-20251001" },
    { ...base, model: "claude-haiku-4-5-20251001", max_tokens: 64_000 },
  ],
  [
    "no max tokens, unknown model: 8192",
    { model: "claude-future-9" },
    { ...base, model: "claude-future-9", max_tokens: 8192 },
  ],
  ["max_tokens above the model's limit is clamped", { max_tokens: 500_000 }, base],
  ["stop as a string", { stop: "END" }, { ...base, stop_sequences: ["END"] }],
  ["stop as a list, whitespace-only dropped", { stop: ["\n\n", "END", " "] }, { ...base, stop_sequences: ["END"] }],
  ["temperature is clamped to [0, 1]", { temperature: 1.7 }, { ...base, temperature: 1 }],
  ["top_p passes", { top_p: 0.9 }, { ...base, top_p: 0.9 }],
  ["top_k passes (an extension field)", { top_k: 40 }, { ...base, top_k: 40 }],
  ["temperature and top_p together: top_p dropped", { temperature: 0.5, top_p: 0.9 }, { ...base, temperature: 0.5 }],
  [
    "sampling is dropped on adaptive-only models",
    { model: "claude-opus-4-7", temperature: 0.5, top_p: 0.9, top_k: 5 },
    { ...base, model: "claude-opus-4-7" },
  ],
  [
    "reasoning_effort none: thinking off, sampling kept",
    { reasoning_effort: "none", temperature: 0.2 },
    { ...base, thinking: { type: "disabled" }, temperature: 0.2 },
  ],
  [
    "reasoning_effort none where thinking cannot be switched off: no thinking field",
    { model: "claude-fable-5-1", reasoning_effort: "none" },
    { ...base, model: "claude-fable-5-1" },
  ],
  [
    "reasoning_effort none on a between_tools model",
    { model: "claude-sonnet-5-5", reasoning_effort: "none" },
    { ...base, model: "claude-sonnet-5-5", thinking: { type: "between_tools" } },
  ],
  [
    "reasoning_effort low on a budget model, sampling dropped with thinking on",
    { model: BUDGET_MODEL, reasoning_effort: "low", temperature: 0.2, top_p: 0.5 },
    { ...budgetBase, thinking: { type: "enabled", budget_tokens: 1024 } },
  ],
  [
    "reasoning_effort medium on a budget model",
    { model: BUDGET_MODEL, reasoning_effort: "medium" },
    { ...budgetBase, thinking: { type: "enabled", budget_tokens: 4096 } },
  ],
  [
    "reasoning_effort high on a budget model",
    { model: BUDGET_MODEL, reasoning_effort: "high" },
    { ...budgetBase, thinking: { type: "enabled", budget_tokens: 16_384 } },
  ],
  [
    "the budget is clamped below max_tokens",
    { model: BUDGET_MODEL, reasoning_effort: "high", max_tokens: 2000 },
    { ...budgetBase, max_tokens: 2000, thinking: { type: "enabled", budget_tokens: 1999 } },
  ],
  [
    "no room to think within max_tokens: no thinking",
    { model: BUDGET_MODEL, reasoning_effort: "low", max_tokens: 500 },
    { ...budgetBase, max_tokens: 500 },
  ],
  [
    "adaptive models get adaptive thinking and an effort",
    { reasoning_effort: "high", top_p: 0.5 },
    { ...base, thinking: { type: "adaptive" }, output_config: { effort: "high" } },
  ],
  [
    "adaptive-only models: summarized thinking, since their default display is omitted",
    { model: "claude-opus-4-7", reasoning_effort: "xhigh" },
    {
      ...base,
      model: "claude-opus-4-7",
      thinking: { type: "adaptive", display: "summarized" },
      output_config: { effort: "xhigh" },
    },
  ],
  [
    "effort above what the model offers is clamped",
    { reasoning_effort: "xhigh" },
    { ...base, thinking: { type: "adaptive" }, output_config: { effort: "high" } },
  ],
  [
    "minimal is the lowest effort",
    { reasoning_effort: "minimal" },
    { ...base, thinking: { type: "adaptive" }, output_config: { effort: "low" } },
  ],
  [
    "forced tool use becomes auto while thinking",
    {
      reasoning_effort: "low",
      tools: [{ type: "function", function: { name: "a" } }],
      tool_choice: "required",
    },
    {
      ...base,
      thinking: { type: "adaptive" },
      output_config: { effort: "low" },
      tools: [{ name: "a", input_schema: { type: "object", properties: {} } }],
      tool_choice: { type: "auto" },
    },
  ],
  [
    "a trailing assistant message (prefill) becomes a continuation instruction on models without prefill",
    { messages: [user("Tell a story"), { role: "assistant", content: "Once upon" }] },
    {
      ...base,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Tell a story" },
            {
              type: "text",
              text: "Your previous response was interrupted and ended with:\nOnce upon\nContinue from exactly where it left off, without repeating it.",
            },
          ],
        },
      ],
    },
  ],
  [
    "prefill is kept on models that take it",
    { model: BUDGET_MODEL, messages: [user("Tell a story"), { role: "assistant", content: "Once upon" }] },
    {
      ...budgetBase,
      messages: [
        { role: "user", content: [{ type: "text", text: "Tell a story" }] },
        { role: "assistant", content: [{ type: "text", text: "Once upon" }] },
      ],
    },
  ],
  [
    "a -thinking model name turns thinking on and is sent without the suffix",
    { model: "claude-sonnet-4-6-thinking" },
    { ...base, thinking: { type: "adaptive" } },
  ],
  [
    "response_format json_schema → output_config.format",
    { response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } } },
    { ...base, output_config: { format: { type: "json_schema", schema: { type: "object" } } } },
  ],
  [
    "response_format json_object → a system instruction",
    { response_format: { type: "json_object" } },
    {
      ...base,
      system: [{ type: "text", text: "Respond with a single JSON object and nothing else: no prose, no code fences." }],
    },
  ],
  ["user → metadata.user_id", { user: "user-42" }, { ...base, metadata: { user_id: "user-42" } }],
  ["an email address as user is not forwarded", { user: "me@example.com" }, base],
  [
    "unsupported fields are dropped",
    {
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { "50256": -100 },
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      n: 1,
      store: true,
      service_tier: "auto",
    },
    base,
  ],
];

describe(`OpenAI → Anthropic request rules on ${runtime}`, () => {
  test.each(cases)("%s", async (_, request, expected) => {
    const response = await send(request);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(suite.mock.requests.at(-1)?.json()).toEqual(expected);
  });

  const refused: [string, Record<string, unknown>, string][] = [
    ["n > 1", { n: 2 }, "n>1 is not supported"],
    [
      "malformed tool-call arguments name the message",
      {
        messages: [
          { role: "user", content: "x" },
          {
            role: "assistant",
            tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{oops" } }],
          },
        ],
      },
      "messages[1]",
    ],
    ["a missing model", { model: "" }, "model"],
    ["an unknown role", { messages: [{ role: "wizard", content: "x" }] }, "messages[0].role"],
    ["a tool message without tool_call_id", { messages: [{ role: "tool", content: "x" }] }, "messages[0].tool_call_id"],
  ];
  test.each(refused)("%s gets 400 in the OpenAI shape, not forwarded", async (_, request, message) => {
    const before = suite.mock.requests.length;
    const response = await send(request);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain(message);
    expect(suite.mock.requests.length).toBe(before);
  });

  test("a SillyTavern Custom-source request is accepted and translated", async () => {
    const response = await send({
      model: "claude-sonnet-4-6",
      messages: [
        { role: "system", content: "You are Seraphina." },
        { role: "system", content: "[Scenario: a forest]" },
        { role: "assistant", content: "Greetings, traveller." },
        { role: "user", content: "Hello!", name: "Ann" },
        { role: "user", content: "Are you there?", name: "Ann" },
        { role: "system", content: "[Stay in character]" },
        { role: "assistant", content: "Seraphina:" },
      ],
      temperature: 0.9,
      max_tokens: 300,
      stream: false,
      presence_penalty: 0.2,
      frequency_penalty: 0.1,
      logit_bias: {},
      seed: -1,
      n: 1,
      stop: ["\nAnn:"],
    });
    expect(response.status).toBe(200);
    expect((await response.json()).choices[0].message.content).toBeString();
    expect(suite.mock.requests.at(-1)?.json()).toEqual({
      model: "claude-sonnet-4-6",
      cache_control: { type: "ephemeral" },
      system: [
        { type: "text", text: "You are Seraphina." },
        { type: "text", text: "[Scenario: a forest]" },
      ],
      messages: [
        { role: "assistant", content: [{ type: "text", text: "Greetings, traveller." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Ann: Hello!" },
            { type: "text", text: "Ann: Are you there?" },
            { type: "text", text: "[Stay in character]" },
            // Sonnet 4.6 takes no prefill: the trailing assistant text becomes a continuation note.
            {
              type: "text",
              text: "Your previous response was interrupted and ended with:\nSeraphina:\nContinue from exactly where it left off, without repeating it.",
            },
          ],
        },
      ],
      max_tokens: 300,
      stop_sequences: ["\nAnn:"],
      temperature: 0.9,
      stream: true,
    });
  });
});
