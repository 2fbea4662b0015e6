// Anthropic stream events → OpenAI chat.completion.chunk records (contract §4), as a pure state
// machine: (state, event) → outputs. Unknown event, block and delta types are skipped.
import { openAiErrorType } from "../../errors.ts";
import type { ChatChunk, ChunkDelta, FinishReason, Usage } from "../openai/types.ts";
import type { SseEvent } from "../sse-reader.ts";

export interface OpenAiStreamError {
  message: string;
  type: string;
  code: string;
}

export type StreamOutput =
  | { readonly kind: "chunk"; readonly chunk: ChatChunk }
  | { readonly kind: "error"; readonly error: OpenAiStreamError }
  | { readonly kind: "done" };

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface StreamState {
  id: string;
  readonly model: string;
  readonly created: number;
  readonly includeUsage: boolean;
  started: boolean;
  finished: boolean;
  /** Anthropic block index → what it is, and for tools the OpenAI tool-call index. */
  blocks: Map<number, { kind: "text" | "thinking" | "tool" | "other"; toolIndex: number; gotInput: boolean }>;
  toolCount: number;
  usage: AnthropicUsage;
  finishReason: FinishReason | null;
}

export function createStreamState(options: {
  id: string;
  model: string;
  created: number;
  includeUsage: boolean;
}): StreamState {
  return {
    ...options,
    started: false,
    finished: false,
    blocks: new Map(),
    toolCount: 0,
    usage: {},
    finishReason: null,
  };
}

const finishReasons: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

export function toOpenAiUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completion = usage.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

function chunk(state: StreamState, delta: ChunkDelta, finishReason: FinishReason | null = null): StreamOutput {
  const out: ChatChunk = {
    id: state.id,
    object: "chat.completion.chunk",
    created: state.created,
    model: state.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  // With include_usage every chunk but the last carries usage: null (the OpenAI stream contract).
  if (state.includeUsage) out.usage = null;
  return { kind: "chunk", chunk: out };
}

/** An SSE record's JSON object, or undefined when it is not one. */
export function parseEventData(data: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(data);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Folds an event's usage into `state.usage`. */
export function mergeUsage(state: { usage: AnthropicUsage }, usage: unknown) {
  if (typeof usage !== "object" || usage === null) return;
  // message_delta usage is cumulative: later values replace earlier ones.
  for (const [key, value] of Object.entries(usage)) {
    if (typeof value === "number") (state.usage as Record<string, number>)[key] = value;
  }
}

/** The stream ends with an error: what the client got so far is all it will get. */
function fail(state: StreamState, message: string): StreamOutput[] {
  state.finished = true;
  return [{ kind: "error", error: streamError("api_error", message) }, { kind: "done" }];
}

export function translateEvent(state: StreamState, event: SseEvent): StreamOutput[] {
  if (state.finished) return [];
  // A record lost or unreadable means a gap in the reply: say so rather than skip it silently.
  if (event.oversized) return fail(state, `upstream sent a ${event.event} event too large to translate`);
  const data = parseEventData(event.data);
  if (!data) {
    if (event.event === "ping") return [];
    return fail(state, `upstream sent a malformed ${event.event} event; the reply is incomplete`);
  }
  const type = typeof data.type === "string" ? data.type : event.event;
  const out: StreamOutput[] = [];
  const start = () => {
    if (state.started) return;
    state.started = true;
    out.push(chunk(state, { role: "assistant", content: "" }));
  };

  switch (type) {
    case "message_start": {
      const message = (data.message ?? {}) as { id?: unknown; usage?: unknown };
      if (typeof message.id === "string" && message.id !== "") state.id = `chatcmpl-${message.id}`;
      mergeUsage(state, message.usage);
      start();
      break;
    }
    case "content_block_start": {
      start();
      const index = Number(data.index);
      const block = (data.content_block ?? {}) as { type?: string; id?: string; name?: string; text?: string };
      if (block.type === "tool_use" || block.type === "server_tool_use") {
        const toolIndex = state.toolCount++;
        state.blocks.set(index, { kind: "tool", toolIndex, gotInput: false });
        out.push(
          chunk(state, {
            tool_calls: [
              {
                index: toolIndex,
                id: block.id ?? `call_${toolIndex}`,
                type: "function",
                function: { name: block.name ?? "", arguments: "" },
              },
            ],
          }),
        );
      } else if (block.type === "text") {
        state.blocks.set(index, { kind: "text", toolIndex: -1, gotInput: false });
        if (block.text) out.push(chunk(state, { content: block.text }));
      } else if (block.type === "thinking") {
        state.blocks.set(index, { kind: "thinking", toolIndex: -1, gotInput: false });
      } else {
        state.blocks.set(index, { kind: "other", toolIndex: -1, gotInput: false });
      }
      break;
    }
    case "content_block_delta": {
      start();
      const block = state.blocks.get(Number(data.index));
      const delta = (data.delta ?? {}) as { type?: string; text?: string; thinking?: string; partial_json?: string };
      if (delta.type === "text_delta" && typeof delta.text === "string" && delta.text !== "") {
        out.push(chunk(state, { content: delta.text }));
      } else if (delta.type === "thinking_delta" && typeof delta.thinking === "string" && delta.thinking !== "") {
        out.push(chunk(state, { reasoning_content: delta.thinking, reasoning: delta.thinking }));
      } else if (delta.type === "input_json_delta" && block?.kind === "tool" && delta.partial_json) {
        block.gotInput = true;
        out.push(
          chunk(state, { tool_calls: [{ index: block.toolIndex, function: { arguments: delta.partial_json } }] }),
        );
      }
      break;
    }
    case "content_block_stop": {
      const block = state.blocks.get(Number(data.index));
      // A tool called without input still has to parse as JSON on the client.
      if (block?.kind === "tool" && !block.gotInput) {
        out.push(chunk(state, { tool_calls: [{ index: block.toolIndex, function: { arguments: "{}" } }] }));
      }
      break;
    }
    case "message_delta": {
      start();
      mergeUsage(state, data.usage);
      const stopReason = (data.delta as { stop_reason?: unknown } | undefined)?.stop_reason;
      if (typeof stopReason === "string") {
        state.finishReason = finishReasons[stopReason] ?? "stop";
        out.push(chunk(state, {}, state.finishReason));
      }
      break;
    }
    case "message_stop": {
      start();
      if (state.finishReason === null) {
        state.finishReason = "stop";
        out.push(chunk(state, {}, "stop"));
      }
      if (state.includeUsage) {
        out.push({
          kind: "chunk",
          chunk: {
            id: state.id,
            object: "chat.completion.chunk",
            created: state.created,
            model: state.model,
            choices: [],
            usage: toOpenAiUsage(state.usage),
          },
        });
      }
      state.finished = true;
      out.push({ kind: "done" });
      break;
    }
    case "error": {
      const error = (data.error ?? {}) as { type?: string; message?: string };
      state.finished = true;
      out.push({ kind: "error", error: streamError(error.type ?? "api_error", error.message ?? "upstream error") });
      out.push({ kind: "done" });
      break;
    }
    default:
      break; // ping, and event types newer than this code
  }
  return out;
}

/** The upstream body ended: a stream without message_stop ends with an error, never silently. */
export function endStream(state: StreamState): StreamOutput[] {
  if (state.finished) return [];
  state.finished = true;
  return [
    { kind: "error", error: streamError("api_error", "upstream stream ended before the reply was complete") },
    { kind: "done" },
  ];
}

/** An Anthropic error type and message in OpenAI's shape; the Anthropic type stays as `code`. */
export function streamError(anthropicType: string, message: string): OpenAiStreamError {
  return { message, type: openAiErrorType(anthropicType), code: anthropicType };
}

export function serializeOutput(output: StreamOutput): string {
  if (output.kind === "done") return "data: [DONE]\n\n";
  if (output.kind === "error") return `data: ${JSON.stringify({ error: output.error })}\n\n`;
  return `data: ${JSON.stringify(output.chunk)}\n\n`;
}
