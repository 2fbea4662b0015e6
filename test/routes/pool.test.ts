// The upstream key pool through the real gateway (contract §7): failover, cooldowns, invalid
// keys, headroom-aware choice, sticky sessions, and states that survive a restart.
import { describe, expect, test } from "bun:test";
import { adminKeys, adminLogin } from "../harness/admin.ts";
import { clientHeaders, runtime, startGateway, tempDir } from "../harness/gateway.ts";
import { defaultResponder, type MockReply, type ReceivedRequest, startMockUpstream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages } from "../harness/suite.ts";

const A = "sk-ant-api03-key-A-aaaaaaaaaaaa";
const B = "sk-ant-api03-key-B-bbbbbbbbbbbb";
const C = "sk-ant-api03-key-C-cccccccccccc";
const keyOf = (r: ReceivedRequest | undefined) => r?.headers.get("x-api-key");
/** A request of its own conversation, so no sticky session ties it to an earlier key. */
const conversation = (n: number) => messagesBody({ messages: [{ role: "user", content: `conversation ${n}` }] });
const error = (type: string) => JSON.stringify({ type: "error", error: { type, message: type } });

describe(`key pool on ${runtime}`, () => {
  test(
    "429 cools a key for retry-after, 401 marks one invalid, every request still succeeds; states survive a restart",
    async () => {
      await using mock = startMockUpstream();
      let aRateLimited = true;
      mock.reply((r): MockReply | Promise<MockReply> => {
        if (keyOf(r) === A && aRateLimited)
          return { status: 429, headers: { "retry-after": "7" }, body: error("rate_limit_error") };
        if (keyOf(r) === B) return { status: 401, body: error("authentication_error") };
        return defaultResponder(r);
      });
      const dataDir = tempDir();
      const env = { POCKETGATE_UPSTREAM_KEYS: [A, B, C].join(",") };
      const started = Date.now();
      {
        await using gateway = await startGateway({ upstream: mock.url, env, dataDir });
        const statuses: number[] = [];
        for (let i = 0; i < 100; i++) {
          const response = await postMessages(gateway.url, { body: conversation(i) });
          statuses.push(response.status);
          await response.arrayBuffer();
        }
        expect(statuses.filter((s) => s !== 200)).toEqual([]);
        // The model list read at start is the first upstream call: it meets A's 429 and B's 401.
        expect(mock.requests.filter((r) => keyOf(r) === A)).toHaveLength(1);
        expect(mock.requests.filter((r) => keyOf(r) === B)).toHaveLength(1);
        expect(mock.requests.filter((r) => keyOf(r) === C)).toHaveLength(101);
      }
      // A restart with the same data dir keeps the states.
      await using gateway = await startGateway({ upstream: mock.url, env, dataDir });
      const token = await adminLogin(gateway);
      const keys = await adminKeys(gateway, token);
      const [a, b, c] = [A, B, C].map((k) => keys.find((x) => x.label.endsWith(k.slice(-4))));
      expect(a?.state).toBe("cooling");
      expect(a?.reason).toBe("rate_limited");
      expect(a?.until).toBeGreaterThanOrEqual(started + 7000 - 1000);
      expect(a?.until).toBeLessThanOrEqual(Date.now() + 7000);
      expect(b).toMatchObject({ state: "invalid", reason: "authentication" });
      expect(c?.state).toBe("active");
      expect(JSON.stringify(keys)).not.toContain(A);

      // After the cooldown, A serves again (it is the least recently used of the usable keys).
      aRateLimited = false;
      await Bun.sleep(Math.max(0, (a?.until ?? 0) - Date.now() + 200));
      const response = await postMessages(gateway.url, { body: conversation(1000) });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      expect(keyOf(mock.requests.at(-1))).toBe(A);
      expect((await adminKeys(gateway, token)).find((x) => x.id === a?.id)?.state).toBe("active");
    },
    { timeout: 40_000 },
  );

  test("new requests go to the key with more headroom", async () => {
    await using mock = startMockUpstream();
    const reset = new Date(Date.now() + 60_000).toISOString();
    mock.reply((r) => {
      const remaining = keyOf(r) === A ? "500" : "800000";
      const reply = defaultResponder(r) as MockReply;
      return {
        ...reply,
        headers: {
          ...reply.headers,
          "anthropic-ratelimit-tokens-remaining": remaining,
          "anthropic-ratelimit-tokens-reset": reset,
        },
      };
    });
    await using gateway = await startGateway({ upstream: mock.url, env: { POCKETGATE_UPSTREAM_KEYS: `${A},${B}` } });
    for (let i = 0; i < 12; i++) await (await postMessages(gateway.url, { body: conversation(i) })).arrayBuffer();
    // The first two requests learn each key's headroom; from then on B, with more, serves all.
    expect(
      mock.requests
        .filter((r) => r.path === "/v1/messages")
        .slice(2)
        .map(keyOf),
    ).toEqual(Array(10).fill(B));
    const keys = await adminKeys(gateway, await adminLogin(gateway));
    expect(keys.find((k) => k.label.endsWith(A.slice(-4)))?.tokens_remaining).toBe(500);
  });

  test("one Claude Code session keeps its key, and when it cools moves to another and stays", async () => {
    await using mock = startMockUpstream();
    let cooled: string | undefined;
    mock.reply((r) =>
      keyOf(r) === cooled
        ? { status: 429, headers: { "retry-after": "60" }, body: error("rate_limit_error") }
        : defaultResponder(r),
    );
    await using gateway = await startGateway({
      upstream: mock.url,
      env: { POCKETGATE_UPSTREAM_KEYS: [A, B, C].join(",") },
    });
    const send = async (n: number) => {
      const response = await postMessages(gateway.url, {
        headers: clientHeaders({ "x-claude-code-session-id": "session-1" }),
        body: conversation(n),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return keyOf(mock.requests.at(-1));
    };
    const first: (string | null | undefined)[] = [];
    for (let i = 0; i < 20; i++) first.push(await send(i));
    expect(new Set(first).size).toBe(1);
    cooled = first[0] ?? undefined;
    const after: (string | null | undefined)[] = [];
    for (let i = 0; i < 10; i++) after.push(await send(100 + i));
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(cooled);
  });

  test("with every key cooling the answer says when the first returns", async () => {
    await using mock = startMockUpstream();
    mock.reply({ status: 429, headers: { "retry-after": "30" }, body: error("rate_limit_error") });
    await using gateway = await startGateway({ upstream: mock.url, env: { POCKETGATE_UPSTREAM_KEYS: `${A},${B}` } });
    await (await postMessages(gateway.url)).arrayBuffer(); // both keys cool
    const before = mock.requests.length;
    const response = await postMessages(gateway.url, { body: conversation(7) });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(25);
    const body = await response.json();
    expect(body.error.type).toBe("rate_limit_error");
    expect(body.error.message).toContain("2 of 2 cooling down, the first returns at");
    expect(mock.requests.length).toBe(before);
  });
});
