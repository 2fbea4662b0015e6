// The opt-in fitting of native /v1/messages requests (client key setting fit_requests): the same
// top-level rules as the OpenAI route, written back into the client's own bytes so that system,
// tools and messages stay byte-identical (prompt-cache prefixes, thinking signatures).
import { spliceTopLevel } from "../protocol/json-splice.ts";
import { fitRequest } from "./fit-request.ts";
import type { ModelTraits } from "./traits.ts";

/** The only members fitting may change. */
const FITTED_FIELDS = ["max_tokens", "temperature", "top_p", "top_k", "thinking", "output_config", "tool_choice"];

const encoder = new TextEncoder();

/** The body fitted to `traits`, or the same bytes when nothing needed changing. */
export function fitNativeBody(
  raw: Uint8Array,
  parsed: Record<string, unknown>,
  traits: ModelTraits,
): { body: Uint8Array; fitted: string[] } {
  const top: Record<string, unknown> = {};
  for (const field of FITTED_FIELDS) if (field in parsed) top[field] = parsed[field];
  const fitted = fitRequest(top, traits);
  if (fitted.length === 0) return { body: raw, fitted };
  const changes = new Map<string, unknown>();
  for (const field of FITTED_FIELDS) {
    if (top[field] !== parsed[field]) changes.set(field, top[field]);
  }
  const text = spliceTopLevel(new TextDecoder().decode(raw), changes);
  return { body: encoder.encode(text), fitted };
}
