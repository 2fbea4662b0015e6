// The re-warm request for an idle conversation: its last request as it went upstream, with
// max_tokens 0 ("populate the prompt cache without generating a response") and not streamed.
// https://platform.claude.com/docs/en/build-with-claude/prompt-caching#pre-warming-the-cache —
// max_tokens 0 does not go with streaming, extended thinking or structured outputs, so a request
// that uses thinking or a json schema is not re-warmed (without them it would be another prefix).
// Only top-level members change; system, tools and messages keep their bytes. Pure.
import { spliceTopLevel } from "../protocol/json-splice.ts";

const encoder = new TextEncoder();

export function warmBodyOf(raw: Uint8Array, parsed: Record<string, unknown>): Uint8Array | undefined {
  const thinking = parsed.thinking as { type?: unknown } | undefined;
  if (thinking && thinking.type !== "disabled") return undefined;
  if ((parsed.output_config as { format?: unknown } | undefined)?.format !== undefined) return undefined;
  const changes = new Map<string, unknown>([
    ["max_tokens", 0],
    ["stream", undefined],
  ]);
  return encoder.encode(spliceTopLevel(new TextDecoder().decode(raw), changes));
}
