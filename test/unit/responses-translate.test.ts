// The Responses request translator's rules, one by one (pure: no gateway needed).
import { describe, expect, test } from "bun:test";
import { unknownTraits } from "../../server/models/traits.ts";
import { sealReasoning, unsealReasoning } from "../../server/protocol/translate/reasoning-seal.ts";
import { parseResponsesRequest, translateResponsesRequest } from "../../server/protocol/translate/responses-request.ts";

const translate = (request: Record<string, unknown>, earlier: unknown[] = []) =>
  translateResponsesRequest(parseResponsesRequest({ model: "m", ...request }), earlier as never, unknownTraits);

describe("Responses → Messages", () => {
  test("instructions and leading system/developer messages make the system prompt; later ones stay as user text", () => {
    const { body } = translate({
      instructions: "one",
      input: [
        { role: "developer", content: "two" },
        { role: "user", content: "hi" },
        { role: "system", content: [{ type: "input_text", text: "note" }] },
        { role: "assistant", content: [{ type: "output_text", text: "yo" }] },
        { role: "user", content: "and?" },
      ],
    });
    expect(body.system).toEqual([
      { type: "text", text: "one" },
      { type: "text", text: "two" },
    ]);
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "hi" },
          { type: "text", text: "note" },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "yo" }] },
      { role: "user", content: [{ type: "text", text: "and?" }] },
    ]);
  });

  test("tools: functions, a freeform custom tool with one string input, web search; others dropped and said", () => {
    const t = translate({
      input: "x",
      tools: [
        { type: "function", name: "f", parameters: { type: "object", properties: { a: { type: "string" } } } },
        { type: "custom", name: "apply_patch", description: "patch", format: { type: "grammar" } },
        { type: "web_search" },
        { type: "namespace", name: "mcp" },
      ],
      tool_choice: { type: "function", name: "f" },
      parallel_tool_calls: false,
    });
    expect((t.body.tools as { name: string }[]).map((tool) => tool.name)).toEqual(["f", "apply_patch", "web_search"]);
    expect((t.body.tools as Record<string, unknown>[])[1]?.input_schema).toMatchObject({ required: ["input"] });
    expect([...t.customTools]).toEqual(["apply_patch"]);
    expect(t.body.tool_choice).toEqual({ type: "tool", name: "f", disable_parallel_tool_use: true });
    expect(t.fitted).toContain("tool type namespace dropped");
  });

  test("calls and outputs: function and custom calls become tool_use, their outputs tool_result first in the user turn", () => {
    const { body } = translate({
      input: [
        { role: "user", content: "go" },
        { type: "function_call", call_id: "c1", name: "f", arguments: '{"a":"b"}' },
        { type: "custom_tool_call", call_id: "c2", name: "apply_patch", input: "*** Begin Patch" },
        { type: "function_call_output", call_id: "c1", output: "ok" },
        { type: "custom_tool_call_output", call_id: "c2", output: [{ type: "input_text", text: "done" }] },
        { type: "web_search_call", id: "ws_1", status: "completed" },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "go" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "c1", name: "f", input: { a: "b" } },
          { type: "tool_use", id: "c2", name: "apply_patch", input: { input: "*** Begin Patch" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "c1", content: "ok" },
          { type: "tool_result", tool_use_id: "c2", content: [{ type: "text", text: "done" }] },
        ],
      },
    ]);
  });

  test("bad function arguments, unsupported files and truncation auto are 400s naming the field", () => {
    expect(() => translate({ input: [{ type: "function_call", call_id: "c", name: "f", arguments: "{no" }] })).toThrow(
      'input[0].arguments: the arguments of "f" are not valid JSON',
    );
    expect(() =>
      translate({ input: [{ role: "user", content: [{ type: "input_image", file_id: "file_1" }] }] }),
    ).toThrow("input[0].content[0]: only image_url");
    expect(() => translate({ input: "x", truncation: "auto" })).toThrow('truncation "auto" is not supported');
    expect(() => translate({ input: 5 })).toThrow("input");
    expect(() => translate({ input: [] })).toThrow("input must hold at least one message");
  });

  test("reasoning: effort turns thinking on; a sealed block comes back as it was; a foreign one is skipped", () => {
    const thinking = { type: "thinking" as const, thinking: "hmm ".repeat(50_000), signature: "c2ln" };
    const { body } = translate({
      reasoning: { effort: "high" },
      input: [
        { role: "user", content: "q" },
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: sealReasoning(thinking) },
        { type: "reasoning", id: "rs_2", summary: [], encrypted_content: "gAAAAB-openai-blob" },
        { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
      ],
    });
    expect(body.thinking).toMatchObject({ type: "adaptive" });
    expect((body.messages as { content: unknown[] }[])[1]?.content).toEqual([
      thinking,
      { type: "tool_use", id: "c", name: "f", input: {} },
    ]);
    expect(unsealReasoning("pgr1.!!!")).toBeUndefined();
    expect(unsealReasoning(sealReasoning({ type: "redacted_thinking", data: "xyz" }))).toEqual({
      type: "redacted_thinking",
      data: "xyz",
    });
    expect(translate({ input: "q", reasoning: { summary: "auto" } }).body.thinking).toBeUndefined();
  });

  test("max_output_tokens, json_object and metadata's user", () => {
    const { body } = translate({
      input: "q",
      max_output_tokens: 500,
      text: { format: { type: "json_object" } },
      safety_identifier: "user-42",
    });
    expect(body.max_tokens).toBe(500);
    expect(JSON.stringify(body.system)).toContain("single JSON object");
    expect(body.metadata).toEqual({ user_id: "user-42" });
  });
});
