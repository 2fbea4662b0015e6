// OpenAI Responses request → Anthropic Messages request. Pure: no I/O. The conversation is the
// items of earlier responses (previous_response_id, expanded by the caller) followed by `input`.
// https://platform.openai.com/docs/api-reference/responses/create
import { badRequest } from "../../errors.ts";
import { fitPrefill, fitRequest } from "../../models/fit-request.ts";
import type { ModelTraits } from "../../models/traits.ts";
import { parseSchema } from "../openai/chat-request.ts";
import {
  type ResponsesContentPart,
  type ResponsesItem,
  type ResponsesRequest,
  ResponsesRequestSchema,
  type ResponsesTool,
} from "../openai/responses-request.ts";
import { unsealReasoning } from "./reasoning-seal.ts";
import {
  type Block,
  finishTurns,
  JSON_OBJECT_INSTRUCTION,
  mediaBlock,
  push,
  THINKING_SUFFIX,
  type Turn,
  thinkingAsked,
  toolArguments,
} from "./request.ts";

export interface TranslatedResponsesRequest {
  readonly body: Record<string, unknown>;
  readonly request: ResponsesRequest;
  /** This request's own input, as items (a string input becomes one user message). */
  readonly input: readonly ResponsesItem[];
  readonly clientModel: string;
  /** Custom (freeform) tools by name: their calls come back as custom_tool_call items. */
  readonly customTools: ReadonlySet<string>;
  readonly fitted: readonly string[];
}

/** The Anthropic web search server tool. https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool */
const WEB_SEARCH_TOOL = { type: "web_search_20250305", name: "web_search" };

/** A custom tool's one string argument, as an Anthropic input schema. */
const CUSTOM_INPUT_SCHEMA = {
  type: "object",
  properties: { input: { type: "string", description: "The tool's whole input, as free text." } },
  required: ["input"],
};

export function parseResponsesRequest(input: unknown): ResponsesRequest {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw badRequest("request body must be a JSON object");
  }
  const parsed = parseSchema(ResponsesRequestSchema, input);
  if (!parsed.ok) throw badRequest(parsed.message, parsed.param);
  const req = parsed.request;
  // Truncation "auto" lets the API drop input to fit the context; pocketgate never drops input.
  if (req.truncation !== undefined && req.truncation !== null && req.truncation !== "disabled") {
    throw badRequest(
      `truncation "${req.truncation}" is not supported: pocketgate sends the whole conversation and never drops part of it; leave truncation out or send "disabled"`,
      "truncation",
    );
  }
  return req;
}

/** The request's own input as items. */
export const inputItems = (req: ResponsesRequest): ResponsesItem[] =>
  typeof req.input === "string" ? [{ role: "user", content: req.input }] : [...(req.input ?? [])];

export function translateResponsesRequest(
  req: ResponsesRequest,
  earlier: readonly ResponsesItem[],
  traitsOf: (model: string) => ModelTraits,
): TranslatedResponsesRequest {
  const suffixed = req.model.endsWith(THINKING_SUFFIX);
  const model = suffixed ? req.model.slice(0, -THINKING_SUFFIX.length) : req.model;
  const traits = traitsOf(model);
  const input = inputItems(req);
  const system: Block[] = [];
  if (req.instructions) system.push({ type: "text", text: req.instructions });
  const turns = translateItems([...earlier, ...input], system);
  if (turns.length === 0) throw badRequest("input must hold at least one message", "input");
  const fitted = fitPrefill(turns, traits);

  const body: Record<string, unknown> = { model, messages: turns };
  if (req.text?.format?.type === "json_object") system.push({ type: "text", text: JSON_OBJECT_INSTRUCTION });
  if (system.length > 0) body.system = system;
  if (req.cache_control) body.cache_control = { ...req.cache_control };
  body.max_tokens = req.max_output_tokens ?? traits.maxOutput;

  // Thinking comes from reasoning.effort (or the -thinking model suffix); a summary alone only
  // asks to see thinking when there is some (Codex asks for summaries on every request).
  const effort = req.reasoning?.effort;
  Object.assign(body, thinkingAsked(effort, suffixed));
  if (typeof req.temperature === "number") body.temperature = Math.min(1, Math.max(0, req.temperature));
  if (typeof req.top_p === "number") body.top_p = req.top_p;

  const customTools = new Set<string>();
  const tools = (req.tools ?? []).flatMap((tool) => translateTool(tool, customTools, fitted));
  if (tools.length > 0) body.tools = tools;
  const toolChoice = translateToolChoice(req.tool_choice, req.parallel_tool_calls);
  if (toolChoice && tools.length > 0) body.tool_choice = toolChoice;

  if (req.text?.format?.type === "json_schema") {
    body.output_config = {
      ...(body.output_config as object),
      format: { type: "json_schema", schema: req.text.format.schema },
    };
  }
  const user = req.safety_identifier ?? req.user;
  if (typeof user === "string" && user !== "" && !/^[^@\s]+@[^@\s]+$/.test(user)) body.metadata = { user_id: user };
  const wantsReasoning =
    suffixed || (effort !== undefined && effort !== null && effort !== "none") || !!req.reasoning?.summary;
  fitted.push(...fitRequest(body, traits, { wantsReasoning }));
  body.stream = true;
  return { body, request: req, input, clientModel: req.model, customTools, fitted };
}

function translateTool(tool: ResponsesTool, custom: Set<string>, fitted: string[]): Block[] {
  if (tool.type === "function") {
    const t = tool as Extract<ResponsesTool, { type: "function" }>;
    return [
      {
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        input_schema: t.parameters ?? { type: "object", properties: {} },
      },
    ];
  }
  if (tool.type === "custom") {
    const t = tool as { name: string; description?: string | null };
    custom.add(t.name);
    return [
      { name: t.name, ...(t.description ? { description: t.description } : {}), input_schema: CUSTOM_INPUT_SCHEMA },
    ];
  }
  if (tool.type === "web_search" || tool.type === "web_search_preview") return [WEB_SEARCH_TOOL];
  fitted.push(`tool type ${tool.type} dropped`);
  return [];
}

function translateToolChoice(choice: ResponsesRequest["tool_choice"], parallel: boolean | null | undefined) {
  let out: Record<string, unknown> | undefined;
  if (choice === "auto") out = { type: "auto" };
  else if (choice === "required") out = { type: "any" };
  else if (choice === "none") out = { type: "none" };
  else if (typeof choice === "object" && choice && (choice.type === "function" || choice.type === "custom")) {
    out = { type: "tool", name: (choice as { name: string }).name };
  }
  if (parallel === false) {
    out ??= { type: "auto" };
    if (out.type !== "none") out.disable_parallel_tool_use = true;
  }
  return out;
}

/** Items → turns: leading system/developer messages join `system`, the rest become turns. */
function translateItems(items: readonly ResponsesItem[], system: Block[]): Turn[] {
  const turns: Turn[] = [];
  let leading = true;
  items.forEach((item, index) => {
    const type = "type" in item && item.type ? item.type : "message";
    if (type === "message") {
      const message = item as { role: string; content: string | ResponsesContentPart[] };
      const blocks = contentBlocks(message.content, `input[${index}].content`);
      if (message.role === "system" || message.role === "developer") {
        if (leading) system.push(...blocks.filter((b) => b.type === "text"));
        else push(turns, "user", blocks);
        return;
      }
      leading = false;
      push(turns, message.role === "assistant" ? "assistant" : "user", blocks);
      return;
    }
    leading = false;
    if (type === "function_call" || type === "custom_tool_call") {
      push(turns, "assistant", [toolUse(item, index)]);
    } else if (type === "function_call_output" || type === "custom_tool_call_output") {
      const out = item as { call_id: string; output: string | ResponsesContentPart[] };
      const content = typeof out.output === "string" ? out.output : contentBlocks(out.output, `input[${index}].output`);
      push(turns, "user", [{ type: "tool_result", tool_use_id: out.call_id, content }]);
    } else if (type === "reasoning") {
      // The thinking block the reply carried, sealed in encrypted_content: back as it was, so a
      // tool loop continues with its thinking intact. A reasoning item from elsewhere has none.
      const block = unsealReasoning((item as { encrypted_content?: string | null }).encrypted_content);
      if (block) push(turns, "assistant", [block]);
    }
    // Other item kinds (web_search_call, item_reference…) have no Anthropic twin: skipped.
  });
  finishTurns(turns);
  return turns;
}

function toolUse(item: ResponsesItem, index: number): Block {
  if ((item as { type: string }).type === "custom_tool_call") {
    const call = item as { call_id: string; name: string; input: string };
    return { type: "tool_use", id: call.call_id, name: call.name, input: { input: call.input } };
  }
  const call = item as { call_id: string; name: string; arguments: string };
  return {
    type: "tool_use",
    id: call.call_id,
    name: call.name,
    input: toolArguments(call.arguments, call.name, `input[${index}].arguments`),
  };
}

function contentBlocks(content: string | ResponsesContentPart[], param: string): Block[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.flatMap((part, i): Block[] => {
    const where = `${param}[${i}]`;
    switch (part.type) {
      case "input_text":
      case "output_text":
      case "text": {
        const p = part as { text: string; cache_control?: { type: string; ttl?: string | null } | null };
        const marker = p.cache_control
          ? {
              cache_control: {
                type: p.cache_control.type,
                ...(p.cache_control.ttl ? { ttl: p.cache_control.ttl } : {}),
              },
            }
          : {};
        return [{ type: "text", text: p.text, ...marker }];
      }
      case "refusal":
        return [{ type: "text", text: (part as { refusal: string }).refusal }];
      case "input_image": {
        const url = (part as { image_url?: string | null }).image_url;
        if (!url)
          throw badRequest(`${where}: only image_url (a data: URI or an http(s) URL) is supported, not file_id`, where);
        return [mediaBlock(url, `${where}.image_url`)];
      }
      case "input_file": {
        const file = part as { file_data?: string | null; file_url?: string | null };
        if (file.file_data) return [mediaBlock(file.file_data, `${where}.file_data`)];
        if (file.file_url && /^https?:\/\//i.test(file.file_url)) {
          return [{ type: "document", source: { type: "url", url: file.file_url } }];
        }
        throw badRequest(
          `${where}: send file_data (a data: URI) or an http(s) file_url; file_id is not supported`,
          where,
        );
      }
      default:
        return [];
    }
  });
}
