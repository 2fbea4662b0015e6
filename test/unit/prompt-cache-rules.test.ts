// The pure caching rules (server/caching/) and the mock's own model of the API's cache (it must
// refuse what the API refuses, or the gateway tests could pass against a friendlier upstream).
import { describe, expect, test } from "bun:test";
import { markTranslated, spliceTopLevelCache } from "../../server/caching/apply.ts";
import { createKeepWarm, MAX_HELD_BYTES, type WarmEntry } from "../../server/caching/keep-warm.ts";
import { markerTtl } from "../../server/caching/markers.ts";
import { minCacheTokens } from "../../server/caching/minimums.ts";
import { cachePolicy, warmPolicy } from "../../server/caching/policy.ts";
import { savedUsd } from "../../server/caching/savings.ts";
import { warmBodyOf } from "../../server/caching/warm-body.ts";
import { defaults } from "../../server/config/schema.ts";
import { emptyUsage } from "../../server/protocol/anthropic/usage.ts";
import type { ClientCaching } from "../../server/store/client-keys.ts";
import { createPromptCache } from "../harness/mock-cache.ts";

const text = (t: string, ttl?: "5m" | "1h") => ({
  type: "text",
  text: t,
  ...(ttl ? { cache_control: { type: "ephemeral", ...(ttl === "1h" ? { ttl } : {}) } } : {}),
});
const long = "word ".repeat(2000);

describe("the mock's cache refuses what the API refuses", () => {
  const cache = createPromptCache();
  const use = (body: Record<string, unknown>) => () => cache.use("key", { model: "m", ...body });

  test("a fifth breakpoint", () => {
    const five = {
      system: [1, 2, 3, 4, 5].map((i) => text(`${i}`, "5m")),
      messages: [{ role: "user", content: "hi" }],
    };
    expect(use(five)).toThrow("A maximum of 4 blocks with cache_control may be provided. Found 5.");
    const four = { ...five, system: five.system.slice(0, 4), cache_control: { type: "ephemeral" } };
    expect(use(four)).toThrow("Found 5.");
    expect(use({ ...four, cache_control: undefined })).not.toThrow();
  });

  test("a 1h breakpoint after a 5m one, and an automatic marker at odds with the last block's", () => {
    expect(use({ system: [text("a", "5m"), text("b", "1h")], messages: [{ role: "user", content: "hi" }] })).toThrow(
      "a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block",
    );
    expect(
      use({ system: [text("a", "1h"), text("b", "5m")], messages: [{ role: "user", content: "hi" }] }),
    ).not.toThrow();
    const lastMarked = { messages: [{ role: "user", content: [text("hi", "1h")] }] };
    expect(use({ ...lastMarked, cache_control: { type: "ephemeral" } })).toThrow("different TTLs");
    expect(use({ ...lastMarked, cache_control: { type: "ephemeral", ttl: "1h" } })).not.toThrow();
  });

  test("reads within the TTL, misses after it, and never caches under the minimum", () => {
    let now = 0;
    const timed = createPromptCache({ now: () => now, ttlMs: { "5m": 1000 } });
    const body = { model: "m", cache_control: { type: "ephemeral" }, messages: [{ role: "user", content: long }] };
    expect(timed.use("k", body).cache_creation_input_tokens).toBeGreaterThan(2000);
    now = 900;
    expect(timed.use("k", body).cache_read_input_tokens).toBeGreaterThan(2000);
    expect(timed.use("other-key", body).cache_read_input_tokens).toBe(0);
    now = 1800; // read at 900: it lives until 1900
    expect(timed.use("k", body).cache_read_input_tokens).toBeGreaterThan(2000);
    now = 3000;
    expect(timed.use("k", body).cache_read_input_tokens).toBe(0);
    const short = { ...body, messages: [{ role: "user", content: "too short to cache" }] };
    expect(timed.use("k", short)).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });
});

describe("caching policy", () => {
  const none: ClientCaching = {
    prompt_cache: null,
    prompt_cache_ttl: null,
    keep_warm: null,
    keep_warm_max_per_day: null,
    keep_warm_idle_stop: null,
  };
  test("OpenAI route auto by default, native only when the key says auto, Claude Code never", () => {
    expect(cachePolicy(defaults, none, "openai")).toEqual({ mode: "auto", ttl: "5m" });
    expect(cachePolicy(defaults, undefined, "openai").mode).toBe("auto");
    expect(cachePolicy(defaults, none, "native").mode).toBe("off");
    expect(cachePolicy({ ...defaults, prompt_cache: "auto" }, none, "native").mode).toBe("off");
    const auto = { ...none, prompt_cache: "auto" as const, prompt_cache_ttl: "1h" as const };
    expect(cachePolicy(defaults, auto, "native")).toEqual({ mode: "auto", ttl: "1h" });
    expect(cachePolicy(defaults, auto, "code").mode).toBe("off");
    expect(cachePolicy({ ...defaults, prompt_cache: "off" }, none, "openai").mode).toBe("off");
    expect(cachePolicy(defaults, { ...none, prompt_cache: "off" }, "openai").mode).toBe("off");
  });
  test("keep-warm is opt-in and never for a passthrough credential", () => {
    expect(warmPolicy(defaults, none).on).toBe(false);
    expect(warmPolicy({ ...defaults, keep_warm: true }, none).on).toBe(true);
    expect(warmPolicy({ ...defaults, keep_warm: true }, undefined).on).toBe(false);
    expect(warmPolicy({ ...defaults, keep_warm: true }, { ...none, keep_warm: 0 }).on).toBe(false);
    expect(warmPolicy(defaults, { ...none, keep_warm: 1, keep_warm_idle_stop: 2 })).toMatchObject({
      on: true,
      idleStopMs: 120_000,
    });
  });
});

describe("markers", () => {
  test("the shortest TTL of a request's own markers, wherever they are", () => {
    expect(markerTtl({ messages: [{ content: [text("a")] }] })).toBeUndefined();
    expect(markerTtl({ tools: [{ name: "t", cache_control: { type: "ephemeral", ttl: "1h" } }] })).toBe("1h");
    expect(markerTtl({ system: [text("a", "1h")], messages: [{ content: [text("b", "5m")] }] })).toBe("5m");
    expect(markerTtl({ cache_control: { type: "ephemeral" } })).toBe("5m");
    expect(markerTtl({ messages: [{ content: [{ type: "tool_result", content: [text("x", "1h")] }] }] })).toBe("1h");
  });

  test("the OpenAI route: the top-level marker always, the system one only past the model's minimum", () => {
    const short: Record<string, unknown> = { model: "claude-sonnet-4-6", system: [text("brief")], messages: [] };
    markTranslated(short, "5m");
    expect(short).toEqual({
      model: "claude-sonnet-4-6",
      system: [text("brief")],
      messages: [],
      cache_control: { type: "ephemeral" },
    });
    const card = { model: "claude-sonnet-4-6", system: [text("intro"), text(long)], messages: [] };
    markTranslated(card, "1h");
    expect(card.system).toEqual([text("intro"), text(long, "1h")]);
    expect(minCacheTokens("claude-haiku-4-5-20251001")).toBe(4096);
    const haiku = { model: "claude-haiku-4-5", system: [text(long)], messages: [] };
    markTranslated(haiku, "5m");
    expect(haiku.system).toEqual([text(long)]);
  });

  test("native: the field goes before the closing brace, every other byte kept", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    const out = (s: string, ttl: "5m" | "1h" = "5m") => new TextDecoder().decode(spliceTopLevelCache(bytes(s), ttl));
    expect(out('{"a":1}')).toBe('{"a":1,"cache_control":{"type":"ephemeral"}}');
    expect(out('{ "a" : [1, {"b":2}] \n}\n', "1h")).toBe(
      '{ "a" : [1, {"b":2}] \n,"cache_control":{"type":"ephemeral","ttl":"1h"}}\n',
    );
    expect(out("{ }")).toBe('{ "cache_control":{"type":"ephemeral"}}');
  });
});

describe("the saving and the re-warm body", () => {
  test("reads at the full price, less reads and the write premium; a re-warm is minus its cost", () => {
    const usage = { ...emptyUsage(), cacheRead: 1_000_000, cacheWrite5m: 1_000_000 };
    // Sonnet 4.6: input 3, read 0.3, 5m write 3.75 → 2.7 − 0.75.
    expect(savedUsd("claude-sonnet-4-6", usage, "chat", 1)).toBeCloseTo(1.95, 9);
    expect(savedUsd("claude-sonnet-4-6", usage, "keep-warm", 0.4)).toBe(-0.4);
    expect(savedUsd("no-such-model", usage, "chat", undefined)).toBeUndefined();
    expect(savedUsd("no-such-model", emptyUsage(), "chat", undefined)).toBe(0);
  });

  test("max_tokens 0, not streamed; nothing for thinking or structured output", () => {
    const body = '{"model":"m","max_tokens":300,"stream":true,"messages":[{"role":"user","content":"hi"}]}';
    const out = warmBodyOf(new TextEncoder().encode(body), JSON.parse(body));
    expect(new TextDecoder().decode(out)).toBe(
      '{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}',
    );
    const thinking = { ...JSON.parse(body), thinking: { type: "adaptive" } };
    expect(warmBodyOf(new TextEncoder().encode(JSON.stringify(thinking)), thinking)).toBeUndefined();
    const off = { ...JSON.parse(body), thinking: { type: "disabled" } };
    expect(warmBodyOf(new TextEncoder().encode(JSON.stringify(off)), off)).toBeDefined();
    const schema = { ...JSON.parse(body), output_config: { format: { type: "json_schema" } } };
    expect(warmBodyOf(new TextEncoder().encode(JSON.stringify(schema)), schema)).toBeUndefined();
  });
});

describe("keep-warm timing (a driven clock)", () => {
  function harness(policy: { idleStopMs: number; maxPerDay?: number; everyMs?: number }) {
    let now = 0;
    const timers: { at: number; run: () => void; live: boolean }[] = [];
    const warmed: number[] = [];
    let spent = 0;
    const keepWarm = createKeepWarm({
      now: () => now,
      setTimer: (run, ms) => {
        const timer = { at: now + ms, run, live: true };
        timers.push(timer);
        return () => {
          timer.live = false;
        };
      },
      policyOf: () => ({
        on: true,
        maxPerDay: policy.maxPerDay ?? 1,
        idleStopMs: policy.idleStopMs,
        everyMs: policy.everyMs ?? 0,
      }),
      spentToday: () => spent,
      warm: async (_entry: WarmEntry) => {
        warmed.push(now);
        spent += 0.01;
        return { ok: true };
      },
      log: () => {},
    });
    const advance = async (to: number) => {
      for (;;) {
        const next = timers.filter((t) => t.live && t.at <= to).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        next.live = false;
        now = next.at;
        next.run();
        await Promise.resolve();
        await Promise.resolve();
      }
      now = to;
    };
    const candidate = {
      session: "c\u0000s",
      client: "c",
      model: "m",
      body: new Uint8Array(),
      headers: new Headers(),
      ttl: "5m" as const,
    };
    return { keepWarm, advance, warmed, candidate };
  }

  test("30 s before a 5m TTL runs out, until the idle stop", async () => {
    const h = harness({ idleStopMs: 15 * 60_000 });
    h.keepWarm.cached(h.candidate, "key-1");
    await h.advance(60 * 60_000);
    expect(h.warmed).toEqual([270_000, 540_000, 810_000]);
    expect(h.keepWarm.size()).toBe(0);
  });

  test("what it holds is bounded: the longest idle conversation goes first", () => {
    const h = harness({ idleStopMs: 60 * 60_000 });
    const big = (session: string) => ({ ...h.candidate, session, body: new Uint8Array(MAX_HELD_BYTES / 4) });
    for (const session of ["a", "b", "c", "d", "e"]) h.keepWarm.cached(big(session), "key-1");
    expect(h.keepWarm.size()).toBe(4);
    h.keepWarm.cached({ ...h.candidate, session: "huge", body: new Uint8Array(MAX_HELD_BYTES / 4 + 1) }, "key-1");
    expect(h.keepWarm.size()).toBe(4);
  });

  test("a new request of the conversation stops the pending re-warm; the daily cap stops them all", async () => {
    const h = harness({ idleStopMs: 60 * 60_000, maxPerDay: 0.015 });
    h.keepWarm.cached(h.candidate, "key-1");
    await h.advance(200_000);
    h.keepWarm.touch(h.candidate.session);
    await h.advance(400_000);
    expect(h.warmed).toEqual([]);
    h.keepWarm.cached(h.candidate, "key-1");
    await h.advance(60 * 60_000);
    expect(h.warmed).toEqual([670_000, 940_000]);
  });
});
