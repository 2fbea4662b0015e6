// Two gateway instances sharing state in a real Redis and PostgreSQL (issue 20), both started by
// the test on loopback: what one does, the other knows.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import type { SettingsResponse } from "../../server/admin/schemas.ts";
import { adminCall, adminKeys, adminLogin } from "../harness/admin.ts";
import { CLIENT_KEY, clientHeaders, type Gateway, startGateway } from "../harness/gateway.ts";
import { defaultResponder, type MockReply, type ReceivedRequest, startMockUpstream } from "../harness/mock-upstream.ts";
import {
  type PostgresServer,
  type RedisServer,
  startPostgres,
  startRedis,
  within,
} from "../harness/shared-services.ts";
import { messagesBody, postMessages } from "../harness/suite.ts";

const K1 = "sk-ant-api03-team-key-one-111111111";
const K2 = "sk-ant-api03-team-key-two-222222222";
const keyOf = (r: ReceivedRequest | undefined) => r?.headers.get("x-api-key");
const error = (type: string) => JSON.stringify({ type: "error", error: { type, message: type } });
const conversation = (n: number | string) =>
  messagesBody({ messages: [{ role: "user", content: `conversation ${n}` }] });
/** The headers of a client using `key`. */
const headersFor = (key: string) => clientHeaders({ "x-api-key": key });

describe("two instances sharing Redis and PostgreSQL", () => {
  let redis: RedisServer;
  let postgres: PostgresServer;
  let a: Gateway;
  let b: Gateway;
  const mock = startMockUpstream();
  let coolK1 = false;
  mock.reply((r): MockReply | Promise<MockReply> => {
    if (coolK1 && keyOf(r) === K1) {
      return { status: 429, headers: { "retry-after": "4" }, body: error("rate_limit_error") };
    }
    return defaultResponder(r);
  });

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    const env = {
      POCKETGATE_REDIS_URL: redis.url,
      POCKETGATE_DATABASE_URL: await postgres.createDatabase("team"),
      POCKETGATE_SHARED_PREFIX: "team",
      POCKETGATE_UPSTREAM_KEYS: [K1, K2].join(","),
    };
    a = await startGateway({ upstream: mock.url, env });
    b = await startGateway({ upstream: mock.url, env });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await mock.close();
    await redis?.[Symbol.asyncDispose]();
    await postgres?.[Symbol.asyncDispose]();
  });

  test("a client key made in A's admin API works on B at once; revoked on A, B refuses it", async () => {
    const made = await adminCall(a, "POST", "/clients", { name: "made-on-a" });
    expect(made.status).toBe(200);
    const key = made.json.key as string;
    const onB = await postMessages(b.url, { headers: headersFor(key) });
    expect(onB.status).toBe(200);
    await onB.arrayBuffer();

    // Revoked on A: B hears of it by a notice and reads the change (milliseconds; allowed 1 s).
    expect((await adminCall(a, "POST", `/clients/${made.json.id}/revoke`)).status).toBe(200);
    await within(1000, "B refusing the revoked key", async () => {
      const refused = await postMessages(b.url, { headers: headersFor(key) });
      await refused.arrayBuffer();
      return refused.status === 401;
    });
  });

  test("a client's rpm limit holds across both instances combined", async () => {
    const made = await adminCall(b, "POST", "/clients", { name: "rpm-four", rpm: 4 });
    const key = made.json.key as string;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await postMessages((i % 2 === 0 ? a : b).url, { headers: headersFor(key) });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.slice(4)).toEqual([429, 429, 429, 429]);
    // Concurrently too: 6 more at once on both, after a fresh key with rpm 5.
    const burst = await adminCall(a, "POST", "/clients", { name: "rpm-five", rpm: 5 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        postMessages((i % 2 === 0 ? a : b).url, { headers: headersFor(burst.json.key) }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    expect(answers.filter((s) => s === 200)).toHaveLength(5);
  });

  test("a key cooled by a 429 through A is not used by B until its reset", async () => {
    coolK1 = true;
    // Through A until one request meets K1 (a request sticks to no key: each is its own conversation).
    let met = false;
    for (let tries = 0; !met && tries < 10; tries++) {
      const before = mock.requests.length;
      const response = await postMessages(a.url, { body: conversation(`a-${tries}`) });
      expect(response.status).toBe(200); // A fails over to K2 before the first byte
      await response.arrayBuffer();
      met = mock.requests.slice(before).some((r) => keyOf(r) === K1);
    }
    expect(met).toBe(true);
    const cooledAt = Date.now();
    // B hears of it by a notice: milliseconds (allowed 1 s, for a loaded machine).
    const tokenB = await adminLogin(b);
    await within(1000, "B hearing of the cooldown", async () => {
      const keys = await adminKeys(b, tokenB);
      return keys.find((k) => k.label.endsWith(K1.slice(-4)))?.state === "cooling";
    });
    const sinceCooling = mock.requests.length;
    coolK1 = false; // K1 would answer now: only the shared cooldown keeps B from it
    const used: string[] = [];
    while (Date.now() - cooledAt < 2500) {
      const before = mock.requests.length;
      const response = await postMessages(b.url, { body: conversation(`b-${used.length}`) });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      used.push(...mock.requests.slice(before).map((r) => String(keyOf(r))));
    }
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((k) => k === K1)).toEqual([]);
    expect(mock.requests.slice(sinceCooling).filter((r) => keyOf(r) === K1)).toEqual([]);
    // B's admin view still shows it cooling, with A's reset time.
    const keys = await adminKeys(b, tokenB);
    const k1 = keys.find((k) => k.label.endsWith(K1.slice(-4)));
    expect(k1?.state).toBe("cooling");
    // After the reset B uses it again.
    await Bun.sleep(Math.max(0, (k1?.until ?? 0) - Date.now() + 100));
    const after: string[] = [];
    for (let i = 0; i < 6; i++) {
      const before = mock.requests.length;
      const response = await postMessages(b.url, { body: conversation(`after-${i}`) });
      await response.arrayBuffer();
      after.push(...mock.requests.slice(before).map((r) => String(keyOf(r))));
    }
    expect(after).toContain(K1);
  });

  test("usage from both instances is in A's /api/usage", async () => {
    const made = await adminCall(a, "POST", "/clients", { name: "counted" });
    const key = made.json.key as string;
    for (let i = 0; i < 6; i++) {
      const response = await postMessages((i < 2 ? a : b).url, { headers: headersFor(key), body: conversation(i) });
      await response.arrayBuffer();
    }
    const token = await adminLogin(a);
    await within(3000, "both instances' usage in A's", async () => {
      const usage = await fetch(`${a.url}/api/usage?by=client&days=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const rows = ((await usage.json()) as { rows: { group: string; requests: number }[] }).rows;
      return rows.find((r) => r.group === "counted")?.requests === 6;
    });
  });

  test("a setting saved on A applies on B within 1 s", async () => {
    const saved = await adminCall(a, "PATCH", "/settings", { stream_idle_timeout: "42s" });
    expect(saved.status).toBe(200);
    const token = await adminLogin(b);
    const took = await within(1000, "the setting on B", async () => {
      const response = await fetch(`${b.url}/api/settings`, { headers: { authorization: `Bearer ${token}` } });
      const settings = ((await response.json()) as SettingsResponse).settings;
      return settings.find((s) => s.key === "stream_idle_timeout")?.value === 42;
    });
    expect(took).toBeLessThan(1000);
    // Per-instance keys stay in each instance's file.
    const host = await adminCall(a, "PATCH", "/settings", { host: "127.0.0.2" });
    expect(host.status).toBe(200);
    const onB = await adminCall(b, "GET", "/settings");
    expect(onB.json.settings.find((s: { key: string }) => s.key === "host").value).toBe("127.0.0.1");
    await adminCall(a, "PATCH", "/settings", { host: null });
    // Removing the team's value leaves each instance with its own file's (here B's hand edit: 77 s).
    appendFileSync(join(b.dataDir, "pocketgate.toml"), "\nstream_idle_timeout = 77\n");
    const removed = await adminCall(b, "PATCH", "/settings", { stream_idle_timeout: null });
    expect(removed.json.settings.find((s: { key: string }) => s.key === "stream_idle_timeout").value).toBe(77);
  });

  test("a login on A is a session on B; logging out on A ends it on B", async () => {
    const token = await adminLogin(a);
    const onB = await fetch(`${b.url}/api/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(onB.status).toBe(200);
    const status = (await onB.json()) as { shared?: { redis: string; database: string } };
    expect(status.shared).toMatchObject({ redis: "ok", database: "ok" });
    const out = await fetch(`${a.url}/api/logout`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: a.url },
      body: "{}",
    });
    expect(out.status).toBeLessThan(300);
    await within(1000, "the session ended on B", async () => {
      const again = await fetch(`${b.url}/api/status`, { headers: { authorization: `Bearer ${token}` } });
      await again.arrayBuffer();
      return again.status === 401;
    });
  });
  test("an upstream key pasted on A is in B's pool", async () => {
    const K3 = "sk-ant-api03-team-key-three-33333333";
    const added = await adminCall(a, "POST", "/keys", { keys: K3, label: "pasted on A" });
    expect(added.status).toBe(200);
    const keys = await adminKeys(b, await adminLogin(b));
    expect(keys.find((k) => k.label === "pasted on A")).toMatchObject({ state: "active", source: "admin" });
  });

  test("a setting saved on A is announced on the notice channel (the others read it at once, not at their next poll)", async () => {
    const listener = new Bun.RedisClient(redis.url);
    const notices: string[] = [];
    await listener.subscribe("team:notices", (message) => {
      notices.push(message);
    });
    expect((await adminCall(a, "PATCH", "/settings", { keep_warm_max_per_day: "$0.75" })).status).toBe(200);
    await within(1000, "the notice", async () => notices.some((n) => JSON.parse(n).t === "changed"));
    listener.close();
    await adminCall(a, "PATCH", "/settings", { keep_warm_max_per_day: null });
  });

  test("a Responses API conversation continues on the other instance at once (previous_response_id stored on A, used on B)", async () => {
    const onA = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${a.url}/v1`, maxRetries: 0 });
    const onB = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${b.url}/v1`, maxRetries: 0 });
    const first = await onA.responses.create({ model: "claude-sonnet-4-6", input: "remember the word marmalade" });
    const before = mock.requests.length;
    const second = await onB.responses.create({
      model: "claude-sonnet-4-6",
      previous_response_id: first.id,
      input: "which word?",
    });
    expect(second.previous_response_id).toBe(first.id);
    const sent = mock.requests.slice(before).find((r) => r.path === "/v1/messages");
    expect(sent?.text()).toContain("marmalade");
    // And GET /v1/responses/{id} on B finds A's.
    expect((await onB.responses.retrieve(first.id)).id).toBe(first.id);
  });
  test("A's live request log shows a request B answered, as it arrives", async () => {
    const token = await adminLogin(a);
    const abort = new AbortController();
    const events = await fetch(`${a.url}/api/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: abort.signal,
    });
    expect(events.status).toBe(200);
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    const made = await adminCall(b, "POST", "/clients", { name: "seen-live" });
    const response = await postMessages(b.url, { headers: headersFor(made.json.key) });
    await response.arrayBuffer();
    let text = "";
    const decoder = new TextDecoder();
    await within(3000, "the row in A's live log", async () => {
      const { value } = await Promise.race([reader.read(), Bun.sleep(200).then(() => ({ value: undefined }))]);
      if (value) text += decoder.decode(value, { stream: true });
      return /event: request\ndata: \{[^\n]*"client":"seen-live"/.test(text);
    });
    abort.abort();
  });
  test("two admins making a client key of one name on A and B at the same moment end with one key, the same on both", async () => {
    const [onA, onB] = await Promise.all([
      adminCall(a, "POST", "/clients", { name: "same-name" }),
      adminCall(b, "POST", "/clients", { name: "same-name" }),
    ]);
    expect([onA.status, onB.status]).toContain(200);
    const idOn = async (g: Gateway) =>
      (await adminCall(g, "GET", "/clients")).json.clients
        .filter((c: { name: string }) => c.name === "same-name")
        .map((c: { id: string }) => c.id)
        .join(",");
    await within(2000, "one key of that name on both", async () => {
      const [x, y] = await Promise.all([idOn(a), idOn(b)]);
      return x !== "" && !x.includes(",") && x === y;
    });
  });
  test("a third instance started with no secrets of its own takes the team's client key, and does not show one of its own", async () => {
    await using c = await startGateway({
      upstream: mock.url,
      fresh: true,
      env: {
        POCKETGATE_REDIS_URL: redis.url,
        POCKETGATE_DATABASE_URL: postgres.url("team"),
        POCKETGATE_SHARED_PREFIX: "team",
        POCKETGATE_UPSTREAM_KEYS: [K1, K2].join(","),
      },
    });
    expect(c.stdout()).not.toContain("Client key:");
    expect(c.stdout()).toContain("The client key and admin password are the team's");
    const response = await postMessages(c.url);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });
});
