// Upstream keys managed at run time through the admin API: paste, label, test, disable, delete.
import { describe, expect, test } from "bun:test";
import type { KeyView } from "../../server/admin/schemas.ts";
import { adminCall } from "../harness/admin.ts";
import { runtime, UPSTREAM_KEY } from "../harness/gateway.ts";
import { defaultResponder } from "../harness/mock-upstream.ts";
import { postMessages, useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const GOOD = "sk-ant-api03-added-good-1111111111";
const BAD = "sk-ant-api03-added-bad-22222222222";

const admin = (method: string, path: string, body?: unknown) => adminCall(suite.gateway, method, path, body);

describe(`upstream keys through the admin API on ${runtime}`, () => {
  test("paste two keys, test them, disable, delete; keys are never shown whole", async () => {
    suite.mock.reply((r) =>
      r.headers.get("x-api-key") === BAD
        ? {
            status: 401,
            body: JSON.stringify({
              type: "error",
              error: { type: "authentication_error", message: "invalid x-api-key" },
            }),
          }
        : defaultResponder(r),
    );
    const keysBefore = (await (await fetch(`${suite.gateway.url}/health`)).json()).upstream_keys;
    const added = await admin("POST", "/keys", { keys: `${GOOD}\n ${BAD},`, label: "friend" });
    expect(added.status).toBe(200);
    const [good, bad] = added.json.keys as KeyView[];
    expect([good?.label, bad?.label]).toEqual(["friend 1", "friend 2"]);
    expect(JSON.stringify(added.json)).not.toContain(GOOD);
    expect(good?.masked).toBe(`${GOOD.slice(0, 7)}…${GOOD.slice(-4)}`);
    expect((await (await fetch(`${suite.gateway.url}/health`)).json()).upstream_keys).toBe(keysBefore + 2);

    const tested = await admin("POST", `/keys/${good?.id}/test`);
    expect(tested.json).toMatchObject({ status: 200, message: "the key works", key: { state: "active" } });
    expect(suite.mock.requests.at(-1)?.json()).toMatchObject({ max_tokens: 1 });
    const failed = await admin("POST", `/keys/${bad?.id}/test`);
    expect(failed.json).toMatchObject({
      status: 401,
      message: "invalid x-api-key",
      key: { state: "invalid", reason: "authentication" },
    });

    // Disable the config key: requests now go to the added good key.
    const keys = (await admin("GET", "/keys")).json.keys as KeyView[];
    const configKey = keys.find((k) => k.source === "config" && k.provider === "anthropic");
    expect((await admin("PATCH", `/keys/${configKey?.id}`, { enabled: false })).json.state).toBe("disabled");
    for (let i = 0; i < 3; i++) await (await postMessages(suite.gateway.url)).arrayBuffer();
    expect(suite.mock.requests.slice(-3).map((r) => r.headers.get("x-api-key"))).toEqual([GOOD, GOOD, GOOD]);

    expect((await admin("DELETE", `/keys/${configKey?.id}`)).status).toBe(409);
    expect((await admin("DELETE", `/keys/${good?.id}`)).status).toBe(200);
    expect((await admin("PATCH", `/keys/${configKey?.id}`, { enabled: true, label: "env key" })).json).toMatchObject({
      state: "active",
      label: "env key",
    });
    await (await postMessages(suite.gateway.url)).arrayBuffer();
    expect(suite.mock.requests.at(-1)?.headers.get("x-api-key")).toBe(UPSTREAM_KEY);
    // Anthropic's keys (a second provider's, when the suite has one, are its own).
    const after = ((await admin("GET", "/keys")).json.keys as KeyView[]).filter((k) => k.provider === "anthropic");
    expect(after.map((k) => k.label)).toEqual(["env key", "friend 2"]);
    expect((await admin("POST", "/keys", { keys: "not a key" })).status).toBe(400);
  });

  test("a paste with bad lines: the valid keys are added, each bad one is named by its start only", async () => {
    const third = "sk-ant-api03-added-third-333333333";
    const pasted = `${third}\nsk-ant-oops\n"sk-ant-api03-quoted-4444444444"\n${third}`;
    const added = await admin("POST", "/keys", { keys: pasted, label: "mixed" });
    expect(added.status).toBe(200);
    expect((added.json.keys as KeyView[]).map((k) => k.label)).toEqual(["mixed"]);
    expect(added.json.rejected).toEqual([
      { preview: "sk-ant-o…", code: "too_short", reason: "is too short for an API key (11 characters)" },
      { preview: '"sk-ant-…', code: "bad_characters", reason: "has characters an API key never has" },
    ]);
    expect(JSON.stringify(added.json)).not.toContain("quoted-4444444444");
    // Nothing valid: 400 naming each.
    const none = await admin("POST", "/keys", { keys: "abc, sk-ant-x" });
    expect(none.status).toBe(400);
    expect(none.json.error.message).toBe(
      'no key added: "abc…" is too short for an API key (3 characters); "sk-…" is too short for an API key (8 characters)',
    );
  });

  test("each key says where it came from: the environment or the admin app", async () => {
    const keys = (await admin("GET", "/keys")).json.keys as KeyView[];
    expect(keys.find((k) => k.source === "config")?.origin).toBe("env");
    expect(keys.find((k) => k.source === "admin")?.origin).toBe("admin");
  });
});
