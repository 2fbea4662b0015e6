// What the admin app's pages read beyond the basics (issue 13): settings in sections with their
// kind and durations typed as the README writes them, several settings saved in one call, usage
// split by model for the chart and per key by label, each client's last use, and the addresses a
// second device can reach pocketgate at.
import { describe, expect, test } from "bun:test";
import type {
  ClientView,
  ConnectResponse,
  SettingsResponse,
  UsageGroupRow,
  UsageResponse,
} from "../../server/admin/schemas.ts";
import { adminCall } from "../harness/admin.ts";
import { CLIENT_KEY, clientHeaders, runtime, savedSettings, startGateway } from "../harness/gateway.ts";
import { startMockUpstream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const admin = (method: string, path: string, body?: unknown) => adminCall(suite.gateway, method, path, body);

describe(`admin views on ${runtime}`, () => {
  test("settings come in sections with their kind; durations and sizes are typed as the README writes them", async () => {
    const settings = ((await admin("GET", "/settings")).json as SettingsResponse).settings;
    const byKey = Object.fromEntries(settings.map((s) => [s.key, s]));
    expect(byKey.first_byte_timeout).toMatchObject({ group: "timeouts", kind: "duration", value: 600 });
    expect(byKey.body_limit).toMatchObject({ group: "limits", kind: "size" });
    expect(byKey.capture_bodies).toMatchObject({ group: "privacy", kind: "boolean" });
    expect(byKey.password).toMatchObject({ group: "secrets", kind: "secret" });
    const groups = new Set(settings.filter((s) => !s.secret).map((s) => s.group));
    expect([...groups].sort()).toEqual([
      "caching",
      "connection",
      "limits",
      "privacy",
      "providers",
      "team",
      "timeouts",
      "upstream",
    ]);
    // The shared-state URLs may hold a password: never shown; the rest of the team section is.
    expect(byKey.database_url).toMatchObject({ group: "team", secret: true, editable: false, restart: true });
    expect(byKey.database_url?.value).toBeUndefined();
    expect(byKey.shared_usage_buffer).toMatchObject({ group: "team", kind: "integer", value: 100000 });
    // Tables are the Providers page's: not shown or changed here.
    expect(byKey.model_aliases).toMatchObject({ group: "providers", editable: false });
    expect(byKey.model_aliases?.value).toBeUndefined();
    expect(byKey.providers).toMatchObject({ group: "providers", secret: true, editable: false });
    expect(byKey.prompt_cache).toMatchObject({
      group: "caching",
      kind: "choice",
      value: "auto",
      choices: ["auto", "off"],
    });
    expect(byKey.keep_warm_max_per_day).toMatchObject({ kind: "dollars", value: 0.5 });

    // One save for a whole section: several keys at once, in the units people write.
    const saved = await admin("PATCH", "/settings", {
      first_byte_timeout: "10m",
      stream_idle_timeout: "1m30s",
      client_idle_timeout: "20s",
    });
    expect(saved.status).toBe(200);
    const after = Object.fromEntries((saved.json as SettingsResponse).settings.map((s) => [s.key, s.value]));
    expect(after).toMatchObject({ first_byte_timeout: 600, stream_idle_timeout: 90, client_idle_timeout: 20 });
    expect((saved.json as SettingsResponse).restart_needed).toEqual(["client_idle_timeout"]);
    const file = await savedSettings(suite.gateway);
    expect(file).toContain("stream_idle_timeout = 90");
    // Choices and dollars as people write them; 0 is a duration for keep_warm_every ("worked out").
    const caching = await admin("PATCH", "/settings", {
      prompt_cache: "OFF",
      keep_warm_max_per_day: "$1.25",
      keep_warm_every: "0s",
    });
    expect(caching.status).toBe(200);
    const cachingAfter = Object.fromEntries((caching.json as SettingsResponse).settings.map((s) => [s.key, s.value]));
    expect(cachingAfter).toMatchObject({ prompt_cache: "off", keep_warm_max_per_day: 1.25, keep_warm_every: 0 });
    const wrongChoice = await admin("PATCH", "/settings", { prompt_cache_ttl: "2h" });
    expect(wrongChoice.status).toBe(400);
    expect(wrongChoice.json.error.message).toContain('prompt_cache_ttl: expected "5m" or "1h"');
    const sized = await admin("PATCH", "/settings", { body_limit: "16MiB" });
    expect(sized.json.settings.find((s: { key: string }) => s.key === "body_limit").value).toBe(16 * 1024 * 1024);
    // A bad one in the batch: nothing of it is saved, and the message says what is expected.
    const bad = await admin("PATCH", "/settings", { first_byte_timeout: "5m", stream_idle_timeout: "soon" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain(
      'stream_idle_timeout: expected a number of seconds or a duration such as "90s"',
    );
    const kept = ((await admin("GET", "/settings")).json as SettingsResponse).settings;
    expect(kept.find((s) => s.key === "first_byte_timeout")?.value).toBe(600);
    await admin("PATCH", "/settings", {
      first_byte_timeout: null,
      stream_idle_timeout: null,
      client_idle_timeout: null,
    });
  });

  test("usage split by model for the chart, per key by label, and each client's last request", async () => {
    for (const model of ["claude-sonnet-4-6", "claude-haiku-4-5", "claude-sonnet-4-6"]) {
      await (await postMessages(suite.gateway.url, { body: messagesBody({ model }) })).arrayBuffer();
    }
    const split = (await admin("GET", "/usage?by=day&split=model&days=7")).json as UsageResponse;
    const today = new Date().toISOString().slice(0, 10);
    const bySeries = Object.fromEntries(
      split.rows.filter((r) => r.group === today).map((r: UsageGroupRow) => [r.series, r.requests]),
    );
    expect(bySeries).toMatchObject({ "claude-sonnet-4-6": 2, "claude-haiku-4-5": 1 });
    const keys = (await admin("GET", "/usage?by=key&days=7")).json as UsageResponse;
    expect(keys.rows[0]?.label).toMatch(/^sk-ant-…/);
    const clients = (await admin("GET", "/clients")).json.clients as ClientView[];
    const used = clients.find((c) => c.name === "default")?.last_used ?? 0;
    expect(Date.now() - used).toBeLessThan(60_000);
  });

  test("Connect: no LAN address while pocketgate listens on loopback only", async () => {
    const connect = (await admin("GET", "/connect")).json as ConnectResponse;
    expect(connect.host).toBe("127.0.0.1");
    expect(connect.lan_addresses).toEqual([]);
  });
});

test(`Connect on ${runtime}: listening on every interface, the machine's LAN addresses are offered`, async () => {
  await using mock = startMockUpstream();
  await using gateway = await startGateway({ upstream: mock.url, args: ["--host", "0.0.0.0"] });
  const connect = (await adminCall(gateway, "GET", "/connect")).json as ConnectResponse;
  expect(connect.host).toBe("0.0.0.0");
  const { networkInterfaces } = await import("node:os");
  const expected = Object.values(networkInterfaces())
    .flat()
    .filter((e) => e && e.family === "IPv4" && !e.internal)
    .map((e) => e?.address);
  expect(connect.lan_addresses).toEqual(expected as string[]);
  // It still answers on loopback, with the client key.
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: "POST",
    headers: clientHeaders({ "x-api-key": CLIENT_KEY }),
    body: messagesBody(),
  });
  expect(response.status).toBe(200);
});
