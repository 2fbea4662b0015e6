// The Responses API request pocketgate accepts (POST /v1/responses), as one valibot schema that
// is both the validation run before any translation and the type the translator reads. Loose
// objects: clients send fields pocketgate ignores on purpose (prompt_cache_key, service_tier,
// text.verbosity…); every field it reads has its type checked here.
// https://platform.openai.com/docs/api-reference/responses/create
import * as v from "valibot";
import { CacheControl } from "./chat-request.ts";

const optional = <T extends v.GenericSchema>(schema: T) => v.nullish(schema);

const InputText = v.looseObject({
  type: v.picklist(["input_text", "output_text", "text"]),
  text: v.string(),
  cache_control: optional(CacheControl),
});
const Refusal = v.looseObject({ type: v.literal("refusal"), refusal: v.string() });
const InputImage = v.looseObject({
  type: v.literal("input_image"),
  image_url: optional(v.string()),
  file_id: optional(v.string()),
});
const InputFile = v.looseObject({
  type: v.literal("input_file"),
  file_data: optional(v.string()),
  file_url: optional(v.string()),
  file_id: optional(v.string()),
  filename: optional(v.string()),
});
const ContentPart = v.variant("type", [InputText, Refusal, InputImage, InputFile]);
export type ResponsesContentPart = v.InferOutput<typeof ContentPart>;

const Message = v.looseObject({
  type: optional(v.literal("message")),
  role: v.picklist(["user", "assistant", "system", "developer"]),
  content: v.union([v.string(), v.array(ContentPart)]),
});
const FunctionCall = v.looseObject({
  type: v.literal("function_call"),
  call_id: v.pipe(v.string(), v.minLength(1)),
  name: v.pipe(v.string(), v.minLength(1)),
  arguments: v.string(),
});
const FunctionCallOutput = v.looseObject({
  type: v.literal("function_call_output"),
  call_id: v.pipe(v.string(), v.minLength(1)),
  output: v.union([v.string(), v.array(ContentPart)]),
});
const CustomToolCall = v.looseObject({
  type: v.literal("custom_tool_call"),
  call_id: v.pipe(v.string(), v.minLength(1)),
  name: v.pipe(v.string(), v.minLength(1)),
  input: v.string(),
});
const CustomToolCallOutput = v.looseObject({
  type: v.literal("custom_tool_call_output"),
  call_id: v.pipe(v.string(), v.minLength(1)),
  output: v.union([v.string(), v.array(ContentPart)]),
});
const Reasoning = v.looseObject({
  type: v.literal("reasoning"),
  summary: optional(v.array(v.looseObject({ text: v.string() }))),
  encrypted_content: optional(v.string()),
});
/** Items of kinds pocketgate has no Anthropic twin for (web_search_call, item_reference…): skipped. */
const OtherItem = v.looseObject({
  type: v.pipe(
    v.string(),
    v.notValues([
      "message",
      "function_call",
      "function_call_output",
      "custom_tool_call",
      "custom_tool_call_output",
      "reasoning",
    ]),
  ),
});
const Item = v.union([
  Message,
  FunctionCall,
  FunctionCallOutput,
  CustomToolCall,
  CustomToolCallOutput,
  Reasoning,
  OtherItem,
]);
export type ResponsesItem = v.InferOutput<typeof Item>;

const FunctionTool = v.looseObject({
  type: v.literal("function"),
  name: v.pipe(v.string(), v.minLength(1)),
  description: optional(v.string()),
  parameters: optional(v.record(v.string(), v.unknown())),
});
/** A freeform tool (Codex's apply_patch): the model writes one string. */
const CustomTool = v.looseObject({
  type: v.literal("custom"),
  name: v.pipe(v.string(), v.minLength(1)),
  description: optional(v.string()),
});
const OtherTool = v.looseObject({ type: v.string() });
const Tool = v.union([FunctionTool, CustomTool, OtherTool]);
export type ResponsesTool = v.InferOutput<typeof Tool>;

const ToolChoice = v.union([
  v.picklist(["auto", "none", "required"]),
  v.looseObject({ type: v.picklist(["function", "custom"]), name: v.string() }),
  v.looseObject({ type: v.string() }),
]);

const TextFormat = v.variant("type", [
  v.looseObject({ type: v.literal("text") }),
  v.looseObject({ type: v.literal("json_object") }),
  v.looseObject({
    type: v.literal("json_schema"),
    name: optional(v.string()),
    schema: v.record(v.string(), v.unknown()),
  }),
]);

export const ResponsesRequestSchema = v.looseObject({
  model: v.pipe(v.string(), v.minLength(1)),
  input: optional(v.union([v.string(), v.array(Item)])),
  instructions: optional(v.string()),
  previous_response_id: optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  stream: optional(v.boolean()),
  store: optional(v.boolean()),
  tools: optional(v.array(Tool)),
  tool_choice: optional(ToolChoice),
  parallel_tool_calls: optional(v.boolean()),
  reasoning: optional(v.looseObject({ effort: optional(v.string()), summary: optional(v.string()) })),
  text: optional(v.looseObject({ format: optional(TextFormat) })),
  max_output_tokens: optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  temperature: optional(v.number()),
  top_p: optional(v.number()),
  metadata: optional(v.record(v.string(), v.string())),
  truncation: optional(v.string()),
  include: optional(v.array(v.string())),
  user: optional(v.string()),
  safety_identifier: optional(v.string()),
  cache_control: optional(CacheControl),
});
export type ResponsesRequest = v.InferOutput<typeof ResponsesRequestSchema>;
