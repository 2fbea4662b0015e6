// The Chat Completions request pocketgate accepts, as one schema (valibot) that is both the
// validation run before any translation and the type the translator reads (design: schemas
// produce types). Loose objects: clients send many fields pocketgate ignores on purpose; every
// field it reads has its type checked here, so the translator never meets a wrong one.
// https://platform.openai.com/docs/api-reference/chat/create
import * as v from "valibot";

/** Absent, or null (some clients send null for "not set"). */
const optional = <T extends v.GenericSchema>(schema: T) => v.nullish(schema);

/**
 * Not in OpenAI's spec: the Anthropic prompt-cache marker some OpenAI-style clients put on text
 * parts and at the top level (as OpenRouter documents it); carried over to the Anthropic request.
 */
export const CacheControl = v.looseObject({ type: v.literal("ephemeral"), ttl: optional(v.picklist(["5m", "1h"])) });
export type CacheControl = v.InferOutput<typeof CacheControl>;

const TextPart = v.looseObject({
  type: v.literal("text"),
  text: optional(v.string()),
  cache_control: optional(CacheControl),
});
const ImagePart = v.looseObject({
  type: v.literal("image_url"),
  // The spec's {url, detail}; a bare URL string is accepted as some clients send it.
  image_url: v.union([v.string(), v.looseObject({ url: v.string(), detail: optional(v.string()) })]),
});
/** Audio, file references and part types newer than this code: dropped, like the spec's extras. */
const OtherPart = v.looseObject({ type: v.pipe(v.string(), v.minLength(1), v.notValues(["text", "image_url"])) });
const ContentPart = v.variant("type", [TextPart, ImagePart, OtherPart]);
export type ContentPart = v.InferOutput<typeof ContentPart>;
export type TextPart = v.InferOutput<typeof TextPart>;
export type ImagePart = v.InferOutput<typeof ImagePart>;

/** The text of a text part ("" for any other part). */
export const textOf = (part: ContentPart): string => (part.type === "text" ? ((part as TextPart).text ?? "") : "");

const Content = optional(v.union([v.string(), v.array(ContentPart)]));

const ToolCall = v.looseObject({
  id: v.string(),
  type: optional(v.literal("function")),
  function: v.looseObject({ name: v.string(), arguments: optional(v.string()) }),
});

const Message = v.looseObject({
  role: v.picklist(["system", "developer", "user", "assistant", "tool"]),
  content: Content,
  name: optional(v.string()),
  tool_calls: optional(v.array(ToolCall)),
  tool_call_id: optional(v.string()),
});
export type ChatMessage = v.InferOutput<typeof Message>;

const Tool = v.looseObject({
  type: optional(v.literal("function")),
  function: v.looseObject({
    name: v.pipe(v.string(), v.minLength(1)),
    description: optional(v.string()),
    parameters: optional(v.record(v.string(), v.unknown())),
  }),
});

const ToolChoice = v.union([
  v.picklist(["auto", "none", "required"]),
  v.looseObject({ type: v.literal("function"), function: v.looseObject({ name: v.string() }) }),
]);

const ResponseFormat = v.variant("type", [
  v.looseObject({ type: v.literal("text") }),
  v.looseObject({ type: v.literal("json_object") }),
  v.looseObject({
    type: v.literal("json_schema"),
    json_schema: v.looseObject({ schema: optional(v.record(v.string(), v.unknown())) }),
  }),
]);

const count = v.pipe(v.number(), v.integer(), v.minValue(1));

export const ChatRequestSchema = v.looseObject({
  model: v.pipe(v.string(), v.minLength(1)),
  messages: v.pipe(v.array(Message), v.minLength(1, "must be a non-empty array")),
  stream: optional(v.boolean()),
  stream_options: optional(v.looseObject({ include_usage: optional(v.boolean()) })),
  max_tokens: optional(count),
  max_completion_tokens: optional(count),
  temperature: optional(v.number()),
  top_p: optional(v.number()),
  /** Not in OpenAI's spec; SillyTavern and others send it for Claude. */
  top_k: optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  stop: optional(v.union([v.string(), v.array(v.string())])),
  n: optional(v.pipe(v.number(), v.integer())),
  tools: optional(v.array(Tool)),
  tool_choice: optional(ToolChoice),
  parallel_tool_calls: optional(v.boolean()),
  reasoning_effort: optional(v.string()),
  response_format: optional(ResponseFormat),
  user: optional(v.string()),
  cache_control: optional(CacheControl),
});
export type ChatRequest = v.InferOutput<typeof ChatRequestSchema>;

/** A request that passed the schema, or the first problem: where it is and what was expected. */
export function parseChatRequest(
  input: unknown,
): { ok: true; request: ChatRequest } | { ok: false; param: string; message: string } {
  return parseSchema(ChatRequestSchema, input);
}

/** Any request schema: the parsed value, or the first problem named the way the OpenAI API names it. */
export function parseSchema<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): { ok: true; request: v.InferOutput<S> } | { ok: false; param: string; message: string } {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return { ok: true, request: result.output };
  const found = deepest(result.issues[0], []);
  const param = pathText(found.path);
  return { ok: false, param, message: `${param || "body"}: ${describe(found.issue)}` };
}

type Issue = v.BaseIssue<unknown>;
type PathKey = unknown;

/**
 * A union's issue says only "expected (string | Array)"; the option that got furthest into the
 * value (the longest path) says what is actually wrong. Inner paths continue the outer one.
 */
function deepest(issue: Issue | undefined, prefix: PathKey[]): { issue: Issue | undefined; path: PathKey[] } {
  const path = [...prefix, ...(issue?.path ?? []).map((item) => (item as { key: unknown }).key)];
  let best = { issue, path };
  for (const inner of issue?.issues ?? []) {
    const candidate = deepest(inner, path);
    if (candidate.path.length > best.path.length) best = candidate;
  }
  return best;
}

/** `messages[1].content[0].type`, the way the OpenAI API names a field. */
function pathText(path: PathKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  return out;
}

function describe(issue: Issue | undefined): string {
  if (!issue) return "invalid";
  if (issue.kind === "schema" && issue.input === undefined) return "required";
  // valibot says "Invalid type: Expected Object but received null"; clients read the rest.
  return issue.message.replace(/^Invalid \w+: /, "").replace(/^Expected/, "expected");
}
