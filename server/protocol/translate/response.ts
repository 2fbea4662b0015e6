// Re-assembles a translated chunk stream into one chat.completion (contract §4): non-streaming
// clients get the same translation as streaming ones, folded. Pure.
import type { ChatCompletion, ToolCall } from "../openai/types.ts";
import { type OpenAiStreamError, type StreamOutput, type StreamState, streamError, toOpenAiUsage } from "./stream.ts";

/** Far above any real reply (128K output tokens is well under 1 MiB of text). */
export const MAX_COMPLETION_CHARS = 32 * 1024 * 1024;

export interface CompletionAccumulator {
  /** Characters held so far (content, reasoning and tool arguments). */
  size: number;
  content: string;
  reasoning: string;
  hasContent: boolean;
  toolCalls: ToolCall[];
  error: OpenAiStreamError | undefined;
}

export const createAccumulator = (): CompletionAccumulator => ({
  size: 0,
  content: "",
  reasoning: "",
  hasContent: false,
  toolCalls: [],
  error: undefined,
});

export function accumulate(acc: CompletionAccumulator, output: StreamOutput): void {
  if (output.kind === "error") acc.error = output.error;
  if (output.kind !== "chunk") return;
  const delta = output.chunk.choices[0]?.delta;
  if (!delta) return;
  acc.size +=
    (delta.content?.length ?? 0) +
    (delta.reasoning_content?.length ?? 0) +
    (delta.tool_calls ?? []).reduce((n, call) => n + call.function.arguments.length, 0);
  if (acc.size > MAX_COMPLETION_CHARS) {
    acc.error = streamError("api_error", `the upstream reply is larger than ${MAX_COMPLETION_CHARS} characters`);
    return;
  }
  if (delta.content) {
    acc.content += delta.content;
    acc.hasContent = true;
  }
  if (delta.reasoning_content) acc.reasoning += delta.reasoning_content;
  for (const call of delta.tool_calls ?? []) {
    const existing = acc.toolCalls[call.index];
    if (existing) existing.function.arguments += call.function.arguments;
    else {
      acc.toolCalls[call.index] = {
        id: call.id ?? `call_${call.index}`,
        type: "function",
        function: { name: call.function.name ?? "", arguments: call.function.arguments },
      };
    }
  }
}

export function toCompletion(acc: CompletionAccumulator, state: StreamState): ChatCompletion {
  const usage = toOpenAiUsage(state.usage);
  return {
    id: state.id,
    object: "chat.completion",
    created: state.created,
    model: state.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: acc.hasContent ? acc.content : null,
          ...(acc.reasoning ? { reasoning_content: acc.reasoning, reasoning: acc.reasoning } : {}),
          ...(acc.toolCalls.length > 0 ? { tool_calls: acc.toolCalls } : {}),
          refusal: null,
        },
        logprobs: null,
        finish_reason: state.finishReason ?? "stop",
      },
    ],
    usage,
  };
}
