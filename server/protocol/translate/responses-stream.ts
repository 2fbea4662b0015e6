// Anthropic stream events → OpenAI Responses stream events, as a pure state machine:
// (state, event) → records. Every event carries the next sequence number; each output item keeps
// one id from its `output_item.added` to the `response.completed` that lists it again, which is
// what the openai SDK's ResponseStream checks. Thinking becomes a reasoning item whose
// encrypted_content seals the Anthropic block (reasoning-seal.ts); a tool_use becomes a
// function_call (or a custom_tool_call for a freeform tool).
// https://platform.openai.com/docs/api-reference/responses-streaming
import { openAiErrorType } from "../../errors.ts";
import type { SseEvent } from "../sse-reader.ts";
import { sealReasoning, type ThinkingBlock } from "./reasoning-seal.ts";
import { type AnthropicUsage, mergeUsage, parseEventData, toOpenAiUsage } from "./stream.ts";

type Json = Record<string, unknown>;

export interface ResponsesRecord {
  readonly event: string;
  readonly data: Json;
}

interface OpenBlock {
  readonly kind: "text" | "thinking" | "redacted" | "function" | "custom" | "search";
  readonly outputIndex: number;
  readonly item: Json;
  text: string;
  signature: string;
}

export interface ResponsesStreamState {
  /** The response as it stands: its fixed fields, and `output` as items finish. */
  readonly response: Json;
  readonly includeEncrypted: boolean;
  readonly customTools: ReadonlySet<string>;
  sequence: number;
  started: boolean;
  finished: boolean;
  readonly blocks: Map<number, OpenBlock>;
  readonly output: Json[];
  usage: AnthropicUsage;
  stopReason: string | undefined;
  /** The Anthropic error type a failed reply ended with. */
  failedType?: string;
}

export function createResponsesState(options: {
  response: Json;
  includeEncrypted: boolean;
  customTools: ReadonlySet<string>;
}): ResponsesStreamState {
  return {
    response: { ...options.response, status: "in_progress", output: [], usage: null },
    includeEncrypted: options.includeEncrypted,
    customTools: options.customTools,
    sequence: 0,
    started: false,
    finished: false,
    blocks: new Map(),
    output: [],
    usage: {},
    stopReason: undefined,
  };
}

/** The Responses API's usage, from the same counts the chat route reports. */
export function responsesUsage(usage: AnthropicUsage): Json {
  const counted = toOpenAiUsage(usage);
  return {
    input_tokens: counted.prompt_tokens,
    input_tokens_details: { cached_tokens: counted.prompt_tokens_details.cached_tokens },
    output_tokens: counted.completion_tokens,
    // Anthropic does not count thinking tokens apart from the rest of the output.
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: counted.total_tokens,
  };
}

const emit = (state: ResponsesStreamState, event: string, fields: Json): ResponsesRecord => ({
  event,
  data: { type: event, sequence_number: state.sequence++, ...fields },
});

const snapshot = (state: ResponsesStreamState, extra: Json = {}): Json => ({
  ...state.response,
  output: state.output.map((item) => structuredClone(item)),
  ...extra,
});

/** The id of the `n`th item, made from the response's own id so it is stable and unique. */
const itemId = (state: ResponsesStreamState, prefix: string, n: number) =>
  `${prefix}_${String(state.response.id).replace(/^resp_/, "")}_${n}`;

function start(state: ResponsesStreamState, out: ResponsesRecord[]): void {
  if (state.started) return;
  state.started = true;
  out.push(emit(state, "response.created", { response: snapshot(state) }));
  out.push(emit(state, "response.in_progress", { response: snapshot(state) }));
}

function openBlock(state: ResponsesStreamState, index: number, block: Json, out: ResponsesRecord[]): void {
  const outputIndex = state.output.length;
  const at = { output_index: outputIndex };
  const add = (kind: OpenBlock["kind"], item: Json) => {
    state.output.push(item);
    state.blocks.set(index, { kind, outputIndex, item, text: "", signature: "" });
    out.push(emit(state, "response.output_item.added", { ...at, item: structuredClone(item) }));
  };
  switch (block.type) {
    case "text": {
      add("text", {
        id: itemId(state, "msg", outputIndex),
        type: "message",
        status: "in_progress",
        role: "assistant",
        content: [],
      });
      const part = { type: "output_text", text: "", annotations: [], logprobs: [] };
      out.push(
        emit(state, "response.content_part.added", {
          item_id: itemId(state, "msg", outputIndex),
          ...at,
          content_index: 0,
          part,
        }),
      );
      return;
    }
    case "thinking": {
      const id = itemId(state, "rs", outputIndex);
      add("thinking", { id, type: "reasoning", summary: [] });
      const part = { type: "summary_text", text: "" };
      out.push(emit(state, "response.reasoning_summary_part.added", { item_id: id, ...at, summary_index: 0, part }));
      return;
    }
    case "redacted_thinking": {
      add("redacted", { id: itemId(state, "rs", outputIndex), type: "reasoning", summary: [] });
      const open = state.blocks.get(index) as OpenBlock;
      open.text = typeof block.data === "string" ? block.data : "";
      return;
    }
    case "tool_use": {
      const name = String(block.name ?? "");
      const custom = state.customTools.has(name);
      const id = itemId(state, custom ? "ctc" : "fc", outputIndex);
      const call = custom
        ? { id, type: "custom_tool_call", status: "in_progress", call_id: block.id, name, input: "" }
        : { id, type: "function_call", status: "in_progress", call_id: block.id, name, arguments: "" };
      add(custom ? "custom" : "function", call);
      return;
    }
    case "server_tool_use": {
      if (block.name !== "web_search") return;
      add("search", {
        id: itemId(state, "ws", outputIndex),
        type: "web_search_call",
        status: "in_progress",
        action: { type: "search", query: "" },
      });
      return;
    }
    default:
      return; // web_search_tool_result and newer block kinds have no item of their own
  }
}

function delta(state: ResponsesStreamState, open: OpenBlock, d: Json, out: ResponsesRecord[]): void {
  const at = { item_id: open.item.id, output_index: open.outputIndex };
  if (d.type === "text_delta" && open.kind === "text" && typeof d.text === "string") {
    open.text += d.text;
    out.push(emit(state, "response.output_text.delta", { ...at, content_index: 0, delta: d.text, logprobs: [] }));
  } else if (d.type === "thinking_delta" && open.kind === "thinking" && typeof d.thinking === "string") {
    open.text += d.thinking;
    out.push(emit(state, "response.reasoning_summary_text.delta", { ...at, summary_index: 0, delta: d.thinking }));
  } else if (d.type === "signature_delta" && typeof d.signature === "string") {
    open.signature += d.signature;
  } else if (d.type === "input_json_delta" && typeof d.partial_json === "string") {
    open.text += d.partial_json;
    if (open.kind === "function") {
      out.push(emit(state, "response.function_call_arguments.delta", { ...at, delta: d.partial_json }));
    }
  }
}

function closeBlock(state: ResponsesStreamState, open: OpenBlock, out: ResponsesRecord[]): void {
  const at = { item_id: open.item.id, output_index: open.outputIndex };
  const item = open.item;
  switch (open.kind) {
    case "text": {
      const part = { type: "output_text", text: open.text, annotations: [], logprobs: [] };
      out.push(emit(state, "response.output_text.done", { ...at, content_index: 0, text: open.text, logprobs: [] }));
      out.push(emit(state, "response.content_part.done", { ...at, content_index: 0, part }));
      Object.assign(item, { status: "completed", content: [part] });
      break;
    }
    case "thinking":
    case "redacted": {
      const block: ThinkingBlock =
        open.kind === "thinking"
          ? { type: "thinking", thinking: open.text, signature: open.signature }
          : { type: "redacted_thinking", data: open.text };
      if (open.kind === "thinking") {
        const part = { type: "summary_text", text: open.text };
        out.push(emit(state, "response.reasoning_summary_text.done", { ...at, summary_index: 0, text: open.text }));
        out.push(emit(state, "response.reasoning_summary_part.done", { ...at, summary_index: 0, part }));
        item.summary = [part];
      }
      // Kept whatever the client asked: the stored response needs it to continue the conversation.
      item.encrypted_content = sealReasoning(block);
      break;
    }
    case "function": {
      const args = open.text === "" ? "{}" : open.text;
      out.push(emit(state, "response.function_call_arguments.done", { ...at, name: item.name, arguments: args }));
      Object.assign(item, { status: "completed", arguments: args });
      break;
    }
    case "custom": {
      const input = customInput(open.text);
      out.push(emit(state, "response.custom_tool_call_input.delta", { ...at, delta: input }));
      out.push(emit(state, "response.custom_tool_call_input.done", { ...at, input }));
      Object.assign(item, { status: "completed", input });
      break;
    }
    case "search": {
      const query = (parseEventData(open.text || "{}") as { query?: unknown } | undefined)?.query;
      Object.assign(item, {
        status: "completed",
        action: { type: "search", query: typeof query === "string" ? query : "" },
      });
      break;
    }
  }
  out.push(emit(state, "response.output_item.done", { output_index: open.outputIndex, item: clientItem(state, item) }));
}

/** A custom tool's call carries one string (the schema pocketgate gave it: {input}). */
function customInput(json: string): string {
  const input = (parseEventData(json || "{}") as { input?: unknown } | undefined)?.input;
  return typeof input === "string" ? input : json;
}

/** An item as the client sees it: encrypted_content only when it asked for it. */
export function clientItem(state: Pick<ResponsesStreamState, "includeEncrypted">, item: Json): Json {
  if (item.type !== "reasoning" || state.includeEncrypted) return structuredClone(item);
  const { encrypted_content: _, ...rest } = item;
  return structuredClone(rest);
}

/** Why a reply stopped short, in the Responses API's words. */
const incompleteReasons: Record<string, string> = {
  max_tokens: "max_output_tokens",
  model_context_window_exceeded: "max_output_tokens",
  refusal: "content_filter",
};

/** Blocks the reply left open (it stopped at max_tokens mid-block): their items end incomplete. */
function closeUnfinished(state: ResponsesStreamState, out: ResponsesRecord[]): void {
  for (const [index, open] of [...state.blocks].sort(([a], [b]) => a - b)) {
    state.blocks.delete(index);
    const item = open.item;
    if (open.kind === "text") item.content = [{ type: "output_text", text: open.text, annotations: [], logprobs: [] }];
    else if (open.kind === "function") item.arguments = open.text;
    else if (open.kind === "custom") item.input = customInput(open.text);
    if ("status" in item) item.status = "incomplete";
    out.push(
      emit(state, "response.output_item.done", { output_index: open.outputIndex, item: clientItem(state, item) }),
    );
  }
}

function finish(state: ResponsesStreamState, out: ResponsesRecord[]): void {
  closeUnfinished(state, out);
  state.finished = true;
  const reason = incompleteReasons[state.stopReason ?? ""];
  const extra = {
    status: reason ? "incomplete" : "completed",
    incomplete_details: reason ? { reason } : null,
    usage: responsesUsage(state.usage),
  };
  const response = { ...snapshot(state, extra), output: state.output.map((item) => clientItem(state, item)) };
  Object.assign(state.response, extra);
  out.push(emit(state, reason ? "response.incomplete" : "response.completed", { response }));
}

/** The reply failed: response.failed (what Codex reads) and an `error` event (what the SDK throws on). */
export function failResponse(state: ResponsesStreamState, type: string, message: string): ResponsesRecord[] {
  const out: ResponsesRecord[] = [];
  start(state, out);
  state.finished = true;
  state.failedType = type;
  // ResponseError.code has few values: a rate limit is "rate_limit_exceeded", the rest "server_error".
  const code =
    type === "rate_limit_error"
      ? "rate_limit_exceeded"
      : openAiErrorType(type) === "server_error"
        ? "server_error"
        : type;
  const extra = { status: "failed", error: { code, message }, usage: responsesUsage(state.usage) };
  Object.assign(state.response, extra);
  out.push(
    emit(state, "response.failed", {
      response: { ...snapshot(state, extra), output: state.output.map((i) => clientItem(state, i)) },
    }),
  );
  out.push(emit(state, "error", { code, message, param: null }));
  return out;
}

export function translateResponsesEvent(state: ResponsesStreamState, event: SseEvent): ResponsesRecord[] {
  if (state.finished) return [];
  if (event.oversized)
    return failResponse(state, "api_error", `upstream sent a ${event.event} event too large to translate`);
  const data = parseEventData(event.data);
  if (!data) {
    if (event.event === "ping") return [];
    return failResponse(state, "api_error", `upstream sent a malformed ${event.event} event; the reply is incomplete`);
  }
  const type = typeof data.type === "string" ? data.type : event.event;
  const out: ResponsesRecord[] = [];
  switch (type) {
    case "message_start":
      mergeUsage(state, (data.message as Json | undefined)?.usage);
      start(state, out);
      break;
    case "content_block_start":
      start(state, out);
      openBlock(state, Number(data.index), (data.content_block ?? {}) as Json, out);
      break;
    case "content_block_delta": {
      const open = state.blocks.get(Number(data.index));
      if (open) delta(state, open, (data.delta ?? {}) as Json, out);
      break;
    }
    case "content_block_stop": {
      const open = state.blocks.get(Number(data.index));
      if (open) {
        state.blocks.delete(Number(data.index));
        closeBlock(state, open, out);
      }
      break;
    }
    case "message_delta": {
      const d = (data.delta ?? {}) as { stop_reason?: unknown };
      if (typeof d.stop_reason === "string") state.stopReason = d.stop_reason;
      mergeUsage(state, data.usage);
      break;
    }
    case "message_stop":
      start(state, out);
      finish(state, out);
      break;
    case "error": {
      const error = (data.error ?? {}) as { type?: unknown; message?: unknown };
      return failResponse(
        state,
        typeof error.type === "string" ? error.type : "api_error",
        typeof error.message === "string" ? error.message : "upstream reported an error mid-reply",
      );
    }
    default:
      break; // ping and event types newer than this code
  }
  return out;
}

/** Upstream's stream ended: a reply that never finished is a failed one. */
export function endResponses(state: ResponsesStreamState): ResponsesRecord[] {
  if (state.finished) return [];
  return failResponse(state, "api_error", "upstream ended the reply before it was complete");
}

export const serializeRecord = (record: ResponsesRecord): string =>
  `event: ${record.event}\ndata: ${JSON.stringify(record.data)}\n\n`;
