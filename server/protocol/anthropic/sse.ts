// Writing Anthropic SSE records (contract §3): every record has an `event:` name, a `data:` line
// of JSON, and a blank line after it.
import type { AnthropicErrorType } from "../../errors.ts";

export const sseRecord = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const sseError = (type: AnthropicErrorType, message: string): string =>
  sseRecord("error", { type: "error", error: { type, message } });
