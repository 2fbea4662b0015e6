// OpenAI Chat Completions request → Anthropic Messages request (contract §4). Pure: no I/O.
// Scalar renames are data; message structure is code.
import { badRequest } from "../../errors.ts";
import { fitPrefill, fitRequest } from "../../models/fit-request.ts";
import { EFFORT_LADDER, type Effort, type ModelTraits } from "../../models/traits.ts";
import { jsonBoundsProblem } from "../json-bounds.ts";
import {
  type CacheControl,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type ImagePart,
  parseChatRequest,
  type TextPart,
  textOf,
} from "../openai/chat-request.ts";

export type Block = Record<string, unknown>;
export interface Turn {
  role: "user" | "assistant";
  content: Block[];
}

export interface TranslatedRequest {
  /** The Anthropic body (always `stream: true`; non-streaming clients get it re-assembled). */
  readonly body: Record<string, unknown>;
  /** The model name the client used, echoed back in responses. */
  readonly clientModel: string;
  readonly clientStreams: boolean;
  readonly includeUsage: boolean;
  /** What was changed to fit the model (models/fit-request.ts), in words; empty when nothing. */
  readonly fitted: readonly string[];
}

/** `claude-sonnet-4-6-thinking` turns thinking on for clients that cannot ask for it. */
export const THINKING_SUFFIX = "-thinking";

/** Empty text is refused upstream; a turn with nothing left gets this. */
const ZERO_WIDTH_SPACE = "\u200b";
const encoder = new TextEncoder();

export const JSON_OBJECT_INSTRUCTION = "Respond with a single JSON object and nothing else: no prose, no code fences.";

export function translateRequest(input: unknown, traitsOf: (model: string) => ModelTraits): TranslatedRequest {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw badRequest("request body must be a JSON object");
  }
  // The whole shape is checked before anything is translated: no wrong type reaches the code below.
  const parsed = parseChatRequest(input);
  if (!parsed.ok) throw badRequest(parsed.message, parsed.param);
  const req = parsed.request;
  if (typeof req.n === "number" && req.n > 1) {
    throw badRequest(
      "n>1 is not supported: pocketgate returns one choice per request; send n separate requests instead",
    );
  }

  const suffixed = req.model.endsWith(THINKING_SUFFIX);
  const model = suffixed ? req.model.slice(0, -THINKING_SUFFIX.length) : req.model;
  const traits = traitsOf(model);
  const { system, turns } = translateMessages(req.messages);
  const fitted = fitPrefill(turns, traits);

  const body: Record<string, unknown> = { model, messages: turns };
  if (req.cache_control) body.cache_control = cacheControlOf(req.cache_control);
  if (req.response_format?.type === "json_object") system.push({ type: "text", text: JSON_OBJECT_INSTRUCTION });
  if (system.length > 0) body.system = system;

  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? traits.maxOutput;
  body.max_tokens = maxTokens;

  const stop = typeof req.stop === "string" ? [req.stop] : Array.isArray(req.stop) ? req.stop : [];
  const stopSequences = stop.filter((s) => typeof s === "string" && s.trim() !== "");
  if (stopSequences.length > 0) body.stop_sequences = stopSequences;

  // What the client asked for, in Anthropic's terms; fitRequest below makes it what the model takes.
  Object.assign(body, thinkingAsked(req.reasoning_effort, suffixed));
  if (typeof req.temperature === "number") body.temperature = Math.min(1, Math.max(0, req.temperature));
  if (typeof req.top_p === "number") body.top_p = req.top_p;
  if (typeof req.top_k === "number") body.top_k = req.top_k;

  if (Array.isArray(req.tools) && req.tools.length > 0) {
    body.tools = req.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
      input_schema: tool.function.parameters ?? { type: "object", properties: {} },
    }));
  }
  const toolChoice = translateToolChoice(req.tool_choice, req.parallel_tool_calls);
  if (toolChoice) body.tool_choice = toolChoice;

  if (req.response_format?.type === "json_schema") {
    body.output_config = {
      ...(body.output_config as object),
      format: { type: "json_schema", schema: req.response_format.json_schema?.schema },
    };
  }
  // Anthropic refuses user ids that look like personal data; an email address is not forwarded.
  if (typeof req.user === "string" && req.user !== "" && !/^[^@\s]+@[^@\s]+$/.test(req.user)) {
    body.metadata = { user_id: req.user };
  }
  const wantsReasoning = suffixed || (req.reasoning_effort !== undefined && req.reasoning_effort !== "none");
  fitted.push(...fitRequest(body, traits, { wantsReasoning }));
  body.stream = true;
  // Dropped on purpose: n (1), logprobs, top_logprobs, logit_bias, seed, presence_penalty,
  // frequency_penalty and anything else Anthropic has no equivalent for.

  return {
    body,
    clientModel: req.model,
    clientStreams: req.stream === true,
    includeUsage: req.stream_options?.include_usage === true,
    fitted,
  };
}

/**
 * reasoning_effort as asked: "none" turns thinking off; minimal/low, medium, high, xhigh and max
 * ask for adaptive thinking at that effort (an unknown word counts as medium); the `-thinking`
 * model suffix asks for thinking at the model's default effort.
 * https://platform.openai.com/docs/api-reference/chat/create#chat-create-reasoning_effort
 */
export function thinkingAsked(effort: string | null | undefined, suffixed: boolean): Record<string, unknown> {
  if (effort === "none") return { thinking: { type: "disabled" } };
  if (effort === undefined || effort === null) return suffixed ? { thinking: { type: "adaptive" } } : {};
  const level: Effort =
    effort === "minimal" ? "low" : EFFORT_LADDER.includes(effort as Effort) ? (effort as Effort) : "medium";
  return { thinking: { type: "adaptive" }, output_config: { effort: level } };
}

function translateToolChoice(choice: ChatRequest["tool_choice"], parallel: boolean | null | undefined) {
  let out: Record<string, unknown> | undefined;
  if (choice === "auto") out = { type: "auto" };
  else if (choice === "required") out = { type: "any" };
  else if (choice === "none") out = { type: "none" };
  else if (typeof choice === "object" && choice?.type === "function")
    out = { type: "tool", name: choice.function.name };
  if (parallel === false) {
    if (!out) out = { type: "auto" };
    if (out.type !== "none") out.disable_parallel_tool_use = true;
  }
  return out;
}

function translateMessages(messages: ChatMessage[]): { system: Block[]; turns: Turn[] } {
  const system: Block[] = [];
  const turns: Turn[] = [];
  let leading = true;
  messages.forEach((message, index) => {
    const role = message.role;
    if (role === "system" || role === "developer") {
      const blocks = textBlocks(message);
      // Leading instructions become the system prompt; later ones stay in place as user text.
      if (leading) system.push(...blocks);
      else push(turns, "user", blocks);
      return;
    }
    leading = false;
    if (role === "user") push(turns, "user", contentBlocks(message, index));
    else if (role === "assistant") push(turns, "assistant", assistantBlocks(message, index));
    else push(turns, "user", [toolResult(message, index)]); // "tool": the schema allows no other role
  });
  finishTurns(turns);
  return { system, turns };
}

/** What the API requires of every turn: tool results first, no empty text, never an empty turn. */
export function finishTurns(turns: Turn[]): void {
  for (const turn of turns) {
    // Tool results lead their user turn (the API requires them before any other content).
    turn.content.sort((a, b) => Number(b.type === "tool_result") - Number(a.type === "tool_result"));
    turn.content = turn.content.filter((b) => !(b.type === "text" && b.text === ""));
    if (turn.content.length === 0) turn.content = [{ type: "text", text: ZERO_WIDTH_SPACE }];
  }
}

/** Consecutive turns of one role are merged into one (contract §4). */
export function push(turns: Turn[], role: Turn["role"], blocks: Block[]) {
  const last = turns[turns.length - 1];
  if (last && last.role === role) last.content.push(...blocks);
  else turns.push({ role, content: [...blocks] });
}

function parts(message: ChatMessage): ContentPart[] {
  const content = message.content;
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content;
}

/** `name` is kept by prefixing it to the message's text, as "Name: text". */
function named(blocks: Block[], name: string | null | undefined): Block[] {
  if (!name) return blocks;
  const first = blocks.find((b) => b.type === "text");
  if (first) first.text = `${name}: ${first.text as string}`;
  else blocks.unshift({ type: "text", text: `${name}:` });
  return blocks;
}

/** Only the members the API knows, whatever else the client put beside them. */
const cacheControlOf = (marker: CacheControl) => ({ type: marker.type, ...(marker.ttl ? { ttl: marker.ttl } : {}) });

/** A text part as a text block, with the client's own cache marker if it set one. */
function textBlock(part: ContentPart): Block {
  const marker = (part as TextPart).cache_control;
  return { type: "text", text: textOf(part), ...(marker ? { cache_control: cacheControlOf(marker) } : {}) };
}

function textBlocks(message: ChatMessage): Block[] {
  const blocks = parts(message)
    .filter((p) => p.type === "text")
    .map(textBlock);
  return named(blocks, message.name);
}

function contentBlocks(message: ChatMessage, index: number): Block[] {
  const blocks = parts(message).map((part, partIndex): Block | undefined => {
    if (part.type === "text") return textBlock(part);
    if (part.type === "image_url") return imageBlock(part as ImagePart, index, partIndex);
    return undefined; // audio, file references and future part types have no Anthropic twin
  });
  return named(
    blocks.filter((b): b is Block => b !== undefined),
    message.name,
  );
}

function imageBlock(part: ImagePart, index: number, partIndex: number): Block {
  const url = typeof part.image_url === "string" ? part.image_url : part.image_url.url;
  return mediaBlock(url, `messages[${index}].content[${partIndex}].image_url.url`);
}

/** A data: URI (an image, or a PDF as a document) or an http(s) image URL as an Anthropic block. */
export function mediaBlock(url: string, param: string): Block {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) {
    const [, mediaType, base64] = data;
    const type = mediaType === "application/pdf" ? "document" : "image";
    return { type, source: { type: "base64", media_type: mediaType, data: base64 } };
  }
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  throw badRequest(`${param} must be a data: URI or an http(s) URL`, param);
}

function assistantBlocks(message: ChatMessage, index: number): Block[] {
  const blocks = textBlocks(message);
  for (const [callIndex, call] of (message.tool_calls ?? []).entries()) {
    const param = `messages[${index}].tool_calls[${callIndex}].function.arguments`;
    const input = toolArguments(call.function.arguments, call.function.name, param);
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input });
  }
  return blocks;
}

/** A tool call's arguments (JSON in a string) as the tool_use input; a 400 naming `param` if they are not JSON. */
export function toolArguments(text: string | null | undefined, name: string, param: string): unknown {
  const json = text || "{}";
  // The arguments are JSON inside a string: the body's own bounds did not see into them.
  const problem = jsonBoundsProblem(encoder.encode(json));
  if (problem) throw badRequest(`${param}: ${problem.replace("the body", "the arguments")}`, param);
  try {
    return JSON.parse(json);
  } catch {
    throw badRequest(`${param}: the arguments of "${name}" are not valid JSON`, param);
  }
}

function toolResult(message: ChatMessage, index: number): Block {
  if (typeof message.tool_call_id !== "string") {
    const param = `messages[${index}].tool_call_id`;
    throw badRequest(`${param} is required for a tool message`, param);
  }
  const text = parts(message).map(textOf).join("");
  return { type: "tool_result", tool_use_id: message.tool_call_id, content: text };
}
