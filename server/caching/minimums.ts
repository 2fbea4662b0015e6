// The shortest prefix each model caches: a shorter one is processed without caching, with no
// error (https://platform.claude.com/docs/en/build-with-claude/prompt-caching, "Cache
// limitations"). Used only to decide whether the system prompt earns a breakpoint of its own, so
// where published figures differ the lower one is kept: a marker below the minimum costs nothing.
// Families in order; the first whose pattern matches the model id wins. Pure.

const table: readonly [RegExp, number][] = [
  [/^claude-(fable|mythos|opus)-5/, 512],
  [/^claude-opus-4-7/, 2048],
  [/^claude-(opus-4-6|opus-4-5|haiku-4-5)/, 4096],
  [/^claude-(3-5-haiku|3-haiku)/, 2048],
];

/** Any other model (Sonnet 4.x/5.x, Opus 4.8, 4.1, 4, and names nobody lists). */
const DEFAULT_MINIMUM = 1024;

export function minCacheTokens(model: string): number {
  return table.find(([pattern]) => pattern.test(model))?.[1] ?? DEFAULT_MINIMUM;
}

const encoder = new TextEncoder();

/** About four bytes of UTF-8 a token: rough, and only ever compared with the minimum above. */
export function estimateTokens(text: string): number {
  return Math.ceil(encoder.encode(text).length / 4);
}
