// The parts of the OpenAI Chat Completions wire format pocketgate writes (what it reads is the
// schema in chat-request.ts).

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface ChunkDelta {
  role?: "assistant";
  content?: string;
  /** Thinking text, under both names clients read: reasoning_content (DeepSeek's, SillyTavern) and reasoning (OpenRouter's). */
  reasoning_content?: string;
  reasoning?: string;
  tool_calls?: {
    index: number;
    id?: string;
    type?: "function";
    function: { name?: string; arguments: string };
  }[];
}

export interface ChatChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: { index: 0; delta: ChunkDelta; logprobs: null; finish_reason: FinishReason | null }[];
  usage?: Usage | null;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: 0;
    message: {
      role: "assistant";
      content: string | null;
      reasoning_content?: string;
      reasoning?: string;
      tool_calls?: ToolCall[];
      refusal: null;
    };
    logprobs: null;
    finish_reason: FinishReason;
  }[];
  usage: Usage;
}
