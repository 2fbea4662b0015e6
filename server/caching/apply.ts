// The automatic caching policy applied to a request (https://platform.claude.com/docs/en/build-with-claude/prompt-caching):
// a top-level `cache_control` makes the API place a breakpoint on the last cacheable block and
// move it forward as the conversation grows ("automatic caching"); on the OpenAI route the
// system prompt also gets an explicit breakpoint of its own when it alone is long enough to be
// cached, so a chat whose history is trimmed at the front still reads its character card from the
// cache. Two breakpoints of the four allowed, both with the same TTL (the API refuses a longer
// TTL after a shorter one). Pure.
import { estimateTokens, minCacheTokens } from "./minimums.ts";
import type { CacheTtl } from "./policy.ts";

/** The marker: 5m is the API's default and is sent without a ttl, as clients send it. */
export const cacheControl = (ttl: CacheTtl): Record<string, string> =>
  ttl === "1h" ? { type: "ephemeral", ttl: "1h" } : { type: "ephemeral" };

/**
 * A translated (OpenAI route) body, marked in place. The caller has checked that the client's
 * request carried no markers of its own.
 */
export function markTranslated(body: Record<string, unknown>, ttl: CacheTtl): void {
  body.cache_control = cacheControl(ttl);
  const system = body.system;
  if (!Array.isArray(system) || system.length === 0) return;
  const text = system.map((block) => String((block as { text?: unknown }).text ?? "")).join("\n");
  if (estimateTokens(text) < minCacheTokens(String(body.model))) return;
  const last = system[system.length - 1] as Record<string, unknown>;
  system[system.length - 1] = { ...last, cache_control: cacheControl(ttl) };
}

const encoder = new TextEncoder();
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * A native body with the top-level field added just before its closing brace: every byte the
 * client sent stays where it was (the body has parsed as a non-empty JSON object).
 */
export function spliceTopLevelCache(raw: Uint8Array, ttl: CacheTtl): Uint8Array {
  let close = raw.length - 1;
  while (close >= 0 && isSpace(raw[close])) close--;
  if (raw[close] !== 0x7d) throw new Error("not a JSON object");
  let before = close - 1;
  while (before >= 0 && isSpace(raw[before])) before--;
  const comma = raw[before] === 0x7b ? "" : ",";
  const field = encoder.encode(`${comma}"cache_control":${JSON.stringify(cacheControl(ttl))}`);
  const out = new Uint8Array(raw.length + field.length);
  out.set(raw.subarray(0, close), 0);
  out.set(field, close);
  out.set(raw.subarray(close), close + field.length);
  return out;
}
