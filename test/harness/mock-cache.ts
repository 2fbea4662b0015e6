// Anthropic's prompt caching, as documented, for the mock upstream: one prefix cache per
// upstream key (and model), keyed by the rendered prefix (tools, then system, then messages) up
// to each breakpoint; entries live a TTL from their last use (short in tests); prefixes under the
// model's minimum are not cached; usage reports reads, writes by TTL and the uncached rest. It
// refuses what the API refuses: a fifth breakpoint, a 1h breakpoint after a 5m one, automatic
// caching whose marker meets an explicit one of another TTL, max_tokens 0 with streaming.
// https://platform.claude.com/docs/en/build-with-claude/prompt-caching
import { createHash } from "node:crypto";
import { type MockReply, type ReceivedRequest, type Responder, textMessage, textStream } from "./mock-upstream.ts";

type Ttl = "5m" | "1h";

export interface PromptCacheOptions {
  /** How long an entry lives unused, per TTL (tests: seconds, not minutes). */
  readonly ttlMs?: Partial<Record<Ttl, number>>;
  /** The shortest prefix cached (tokens). */
  readonly minTokens?: number;
  readonly now?: () => number;
}

export interface CacheUsage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** One request the cache answered: who, with what, and the usage it reported. */
export interface Served {
  readonly key: string;
  readonly model: string;
  readonly maxTokens: number;
  readonly usage: CacheUsage;
  readonly output: number;
}

/** The API looks for earlier hits at most this many blocks before each breakpoint. */
const LOOKBACK = 20;

interface Block {
  readonly tokens: number;
  /** The cumulative hash of the prefix up to and including this block. */
  readonly hash: string;
  readonly marker?: Ttl;
}

const tokensOf = (value: unknown) => Math.ceil(Buffer.byteLength(JSON.stringify(value)) / 4);

function withoutMarker(block: unknown): unknown {
  if (typeof block !== "object" || block === null) return block;
  const { cache_control: _, ...rest } = block as Record<string, unknown>;
  return rest;
}

class Refusal extends Error {}

function markerOf(block: unknown): Ttl | undefined {
  const marker = (block as { cache_control?: unknown } | null)?.cache_control;
  if (marker === undefined || marker === null) return undefined;
  const { type, ttl } = marker as { type?: unknown; ttl?: unknown };
  if (type !== "ephemeral") throw new Refusal("cache_control.type: Input should be 'ephemeral'");
  if (ttl !== undefined && ttl !== "5m" && ttl !== "1h")
    throw new Refusal("cache_control.ttl: Input should be '5m' or '1h'");
  return ttl === "1h" ? "1h" : "5m";
}

/** The request's blocks in the order the API renders them, each with its prefix hash. */
function render(body: Record<string, unknown>): Block[] {
  const items: { value: unknown; marker?: Ttl }[] = [];
  for (const tool of (body.tools as unknown[]) ?? [])
    items.push({ value: withoutMarker(tool), marker: markerOf(tool) });
  const system = body.system;
  if (typeof system === "string") items.push({ value: { system } });
  else
    for (const block of (system as unknown[]) ?? [])
      items.push({ value: withoutMarker(block), marker: markerOf(block) });
  for (const message of (body.messages as { role: string; content: unknown }[]) ?? []) {
    const content = typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
    for (const block of content as unknown[]) {
      items.push({ value: [message.role, withoutMarker(block)], marker: markerOf(block) });
    }
  }
  const hash = createHash("sha256").update(String(body.model));
  return items.map(({ value, marker }) => {
    hash.update(JSON.stringify(value));
    return { tokens: tokensOf(value), hash: hash.copy().digest("hex"), marker };
  });
}

export function createPromptCache(options: PromptCacheOptions = {}) {
  const now = options.now ?? Date.now;
  const ttlMs: Record<Ttl, number> = { "5m": 300_000, "1h": 3_600_000, ...options.ttlMs };
  const minTokens = options.minTokens ?? 1024;
  /** key + hash → expiry (ms) and TTL. */
  const entries = new Map<string, { expires: number; ttl: Ttl }>();
  const served: Served[] = [];

  /** The usage of one request, or the API's refusal (throws Refusal). */
  function use(apiKey: string, body: Record<string, unknown>): CacheUsage {
    const blocks = render(body);
    const top = markerOf(body);
    const last = blocks.length - 1;
    const marks = blocks.map((b) => b.marker);
    if (top !== undefined && last >= 0) {
      const explicit = marks[last];
      if (explicit !== undefined && explicit !== top) {
        throw new Refusal("the automatic cache_control and the explicit one on the last block ask for different TTLs");
      }
      marks[last] = top;
    }
    const points = marks.flatMap((ttl, index) => (ttl === undefined ? [] : [{ index, ttl }]));
    if (points.length > 4) {
      throw new Refusal(`A maximum of 4 blocks with cache_control may be provided. Found ${points.length}.`);
    }
    points.forEach((point, i) => {
      if (point.ttl === "1h" && points.slice(0, i).some((p) => p.ttl === "5m")) {
        throw new Refusal(
          "a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`.",
        );
      }
    });
    const t = now();
    const through: number[] = [];
    blocks.reduce((sum, b, i) => {
      through[i] = sum + b.tokens;
      return through[i] as number;
    }, 0);
    const total = through[last] ?? 0;
    const live = (index: number) => {
      const entry = entries.get(`${apiKey}\u0000${blocks[index]?.hash}`);
      return entry !== undefined && entry.expires > t ? entry : undefined;
    };
    // Read: the longest live prefix at or before a breakpoint, within the lookback.
    let readAt = -1;
    for (const point of points) {
      for (let i = point.index; i >= Math.max(0, point.index - LOOKBACK); i--) {
        if (i > readAt && live(i)) {
          readAt = i;
          break;
        }
      }
    }
    // Every entry this request used is refreshed (it lives a TTL from its last use).
    for (let i = 0; i <= readAt; i++) {
      const entry = live(i);
      if (entry) entry.expires = t + ttlMs[entry.ttl];
    }
    const read = readAt >= 0 ? (through[readAt] ?? 0) : 0;
    // Write: each breakpoint past the read, if its prefix is long enough.
    const written = { "5m": 0, "1h": 0 };
    let writtenTo = read;
    for (const point of points) {
      const upTo = through[point.index] ?? 0;
      if (point.index <= readAt || upTo < minTokens) continue;
      entries.set(`${apiKey}\u0000${blocks[point.index]?.hash}`, { expires: t + ttlMs[point.ttl], ttl: point.ttl });
      written[point.ttl] += upTo - writtenTo;
      writtenTo = upTo;
    }
    const creation = written["5m"] + written["1h"];
    return {
      input_tokens: total - read - creation,
      cache_read_input_tokens: read,
      cache_creation_input_tokens: creation,
      cache_creation: { ephemeral_5m_input_tokens: written["5m"], ephemeral_1h_input_tokens: written["1h"] },
    };
  }

  return {
    served,
    /** Forget every entry (a test's fresh start). */
    clear: () => entries.clear(),
    use,
    /** Answers /v1/messages as the API would, caching included; other paths as the default mock. */
    responder(fallback: Responder): Responder {
      return (request: ReceivedRequest): MockReply | Promise<MockReply> => {
        if (request.path !== "/v1/messages") return fallback(request);
        const body = request.json();
        const apiKey = request.headers.get("x-api-key") ?? "";
        const model = String(body.model);
        const maxTokens = Number(body.max_tokens);
        try {
          if (maxTokens === 0 && body.stream === true) {
            throw new Refusal("max_tokens: 0 cannot be used with stream: true");
          }
          const usage = use(apiKey, body);
          const output = maxTokens === 0 ? 0 : 9;
          served.push({ key: apiKey, model, maxTokens, usage, output });
          const mockUsage = { input: usage as unknown as Record<string, unknown>, output };
          if (maxTokens === 0) {
            const message = { ...textMessage("", model, mockUsage), content: [], stop_reason: "max_tokens" };
            return { body: JSON.stringify(message) };
          }
          if (body.stream === true) {
            return {
              headers: { "content-type": "text/event-stream" },
              chunks: textStream("Cached reply.", model, mockUsage),
            };
          }
          return { body: JSON.stringify(textMessage("Cached reply.", model, mockUsage)) };
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          return {
            status: 400,
            body: JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: error.message } }),
          };
        }
      };
    },
  };
}

export type PromptCache = ReturnType<typeof createPromptCache>;
