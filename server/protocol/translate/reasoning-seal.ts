// A reasoning item's `encrypted_content`: the Anthropic thinking block the reply carried
// (thinking text and signature, or a redacted_thinking block), sealed so the client treats it as
// opaque and sends it back as it was. The API needs the block unchanged to continue a tool loop
// with thinking (https://platform.claude.com/docs/en/build-with-claude/extended-thinking#preserving-thinking-blocks);
// its own signature protects it, so pocketgate adds none. Pure.
import { bytesFromBase64 } from "../base64.ts";

const PREFIX = "pgr1.";

export type ThinkingBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string };

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  // In pieces: a long thinking block is more arguments than one call may take.
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  return new TextDecoder().decode(bytesFromBase64(text.replaceAll("-", "+").replaceAll("_", "/")));
}

export function sealReasoning(block: ThinkingBlock): string {
  return PREFIX + toBase64Url(JSON.stringify(block));
}

/** The block sealed in `sealed`, or undefined for anything else (another provider's reasoning). */
export function unsealReasoning(sealed: string | null | undefined): ThinkingBlock | undefined {
  if (typeof sealed !== "string" || !sealed.startsWith(PREFIX)) return undefined;
  try {
    const block = JSON.parse(fromBase64Url(sealed.slice(PREFIX.length))) as Record<string, unknown>;
    if (block.type === "thinking" && typeof block.thinking === "string" && typeof block.signature === "string") {
      return { type: "thinking", thinking: block.thinking, signature: block.signature };
    }
    if (block.type === "redacted_thinking" && typeof block.data === "string") {
      return { type: "redacted_thinking", data: block.data };
    }
  } catch {}
  return undefined;
}
