// The admin API behind the admin app's Settings, Dashboard and Logs pages, and the app's own
// files: settings saved and applied without a restart, password change, proxy test, live
// counters, the filtered request log with redacted body capture, and cache headers.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RequestDetail, SettingsResponse, StatusResponse } from "../../server/admin/schemas.ts";
import { adminCall, adminLogin } from "../harness/admin.ts";
import { startForwardProxy } from "../harness/forward-proxy.ts";
import { CLIENT_KEY, clientHeaders, runtime, savedSettings, startGateway, UPSTREAM_KEY } from "../harness/gateway.ts";
import { startMockUpstream, textStream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();
const admin = (method: string, path: string, body?: unknown) => adminCall(suite.gateway, method, path, body);

describe(`settings through the admin API on ${runtime}`, () => {
  test("every key is listed with its origin; secrets carry no value", async () => {
    const { status, json } = await admin("GET", "/settings");
    expect(status).toBe(200);
    const settings = (json as SettingsResponse).settings;
    const byKey = Object.fromEntries(settings.map((s) => [s.key, s]));
    expect(byKey.stream_idle_timeout).toMatchObject({ value: 300, origin: "default", editable: true, restart: false });
    expect(byKey.upstream_base_url).toMatchObject({ origin: "env", editable: false });
    expect(byKey.port).toMatchObject({ origin: "flag", editable: false, restart: true });
    expect(byKey.password).toMatchObject({ secret: true, editable: false });
    expect(byKey.password).not.toHaveProperty("value");
    expect(JSON.stringify(json)).not.toContain(CLIENT_KEY);
    expect(JSON.stringify(json)).not.toContain(UPSTREAM_KEY);
  });

  test("a bad value is refused with the expected form; a value set by env or flag cannot be changed here", async () => {
    const bad = await admin("PATCH", "/settings", { max_attempts: 99 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe("max_attempts: expected an integer from 1 to 10");
    const locked = await admin("PATCH", "/settings", { upstream_base_url: "http://example.invalid" });
    expect(locked.status).toBe(409);
    expect(locked.json.error.message).toContain("POCKETGATE_UPSTREAM_BASE_URL");
    const secret = await admin("PATCH", "/settings", { password: "pg-new-secret-value-0123456789" });
    expect(secret.status).toBe(400);
    expect(secret.json.error.message).toContain("Clients page");
    const unknown = await admin("PATCH", "/settings", { colour: "blue" });
    expect(unknown.status).toBe(400);
  });

  test("a saved idle timeout applies to the next stream, and the file keeps it", async () => {
    const saved = await admin("PATCH", "/settings", { stream_idle_timeout: 0.5 });
    expect(saved.status).toBe(200);
    expect((saved.json as SettingsResponse).restart_needed).toEqual([]);
    const file = await savedSettings(suite.gateway);
    expect(file).toContain("stream_idle_timeout = 0.5");
    suite.mock.replyOnce({
      headers: { "content-type": "text/event-stream" },
      chunks: textStream("stalls"),
      stallAfterChunks: 2,
    });
    const response = await postMessages(suite.gateway.url, { body: messagesBody({ stream: true }) });
    const text = await response.text();
    expect(text).toContain("event: error");
    expect(text).toContain("silent for 0.5 s");
    await admin("PATCH", "/settings", { stream_idle_timeout: null });
    expect(await savedSettings(suite.gateway)).not.toContain("stream_idle_timeout");
  });

  test("host is saved but says a restart is needed", async () => {
    const saved = await admin("PATCH", "/settings", { host: "127.0.0.2" });
    expect(saved.status).toBe(200);
    expect((saved.json as SettingsResponse).restart_needed).toEqual(["host"]);
    await admin("PATCH", "/settings", { host: null });
  });

  test("the proxy test reaches upstream through a proxy, and says why when it cannot", async () => {
    await using proxy = await startForwardProxy();
    const through = await admin("POST", "/settings/test-proxy", { proxy: proxy.url });
    expect(through.json).toMatchObject({ ok: true, status: 200 });
    expect(proxy.targets.length).toBeGreaterThan(0);
    const direct = await admin("POST", "/settings/test-proxy", { proxy: "" });
    expect(direct.json).toMatchObject({ ok: true, status: 200 });
    const dead = await admin("POST", "/settings/test-proxy", { proxy: "http://127.0.0.1:1" });
    expect(dead.json.ok).toBe(false);
    expect(dead.json.message).toMatch(/cannot connect|no answer/);
    const invalid = await admin("POST", "/settings/test-proxy", { proxy: "socks5://x" });
    expect(invalid.status).toBe(400);
  });

  test("a saved proxy carries the next proxied request", async () => {
    await using proxy = await startForwardProxy();
    await admin("PATCH", "/settings", { proxy: proxy.url });
    const response = await postMessages(suite.gateway.url);
    expect(response.status).toBe(200);
    expect(proxy.targets.length).toBeGreaterThan(0);
    await admin("PATCH", "/settings", { proxy: null });
  });

  test("the password set by the environment cannot be changed here", async () => {
    const result = await admin("POST", "/password", { current: "x", next: "a-new-password-123" });
    expect(result.status).toBe(409);
    expect(result.json.error.message).toContain("POCKETGATE_ADMIN_PASSWORD");
  });
});

describe(`status and the request log on ${runtime}`, () => {
  test("status counts a live stream while it is open, and today's requests and tokens", async () => {
    const before = (await admin("GET", "/status")).json as StatusResponse;
    suite.mock.replyOnce({
      headers: { "content-type": "text/event-stream" },
      chunks: textStream("slow"),
      chunkDelayMs: 400,
    });
    const response = await postMessages(suite.gateway.url, { body: messagesBody({ stream: true }) });
    const during = (await admin("GET", "/status")).json as StatusResponse;
    expect(during.live_streams).toBe(before.live_streams + 1);
    await response.text();
    const after = (await admin("GET", "/status")).json as StatusResponse;
    expect(after.live_streams).toBe(before.live_streams);
    expect(after.today.requests).toBe(before.today.requests + 1);
    expect(after.today.tokens).toBe(before.today.tokens + 21);
    expect(after.keys[0]).toMatchObject({ state: "active" });
    expect(after.version).toBe("0.1.0");
  });

  test("requests filter by model and status; bodies are captured only when asked, with credentials redacted", async () => {
    await postMessages(suite.gateway.url, { body: messagesBody({ model: "claude-haiku-4-5-20251001" }) });
    const plain = await admin("GET", "/requests?model=claude-haiku-4-5-20251001");
    expect(plain.json.rows.length).toBe(1);
    const detail = (await admin("GET", `/requests/${plain.json.rows[0].id}`)).json as RequestDetail;
    expect(detail.body).toBeNull();

    await admin("PATCH", "/settings", { capture_bodies: true });
    const leaked = `please use sk-ant-api03-${"x".repeat(30)} and ${CLIENT_KEY}`;
    await postMessages(suite.gateway.url, {
      body: messagesBody({
        model: "claude-opus-4-6",
        messages: [{ role: "user", content: leaked }],
        api_key: "hunter2",
      }),
    });
    await admin("PATCH", "/settings", { capture_bodies: null });
    const captured = await admin("GET", "/requests?model=claude-opus-4-6&status=2xx");
    expect(captured.json.rows.length).toBe(1);
    const body = ((await admin("GET", `/requests/${captured.json.rows[0].id}`)).json as RequestDetail).body ?? "";
    expect(body).toContain("please use [redacted] and [redacted]");
    expect(body).toContain('"api_key":"[redacted]"');
    expect(body).not.toContain("sk-ant-api03-x");
    expect(body).not.toContain(CLIENT_KEY);
    expect(body).not.toContain("hunter2");

    expect((await admin("GET", "/requests?status=5xx")).json.rows).toEqual([]);
    expect((await admin("GET", "/requests?status=abc")).status).toBe(400);
    expect((await admin("GET", "/requests/999999")).status).toBe(404);
  });

  test("every new admin route needs a session", async () => {
    for (const [method, path, body] of [
      ["GET", "/status"],
      ["GET", "/settings"],
      ["PATCH", "/settings", { max_attempts: 2 }],
      ["POST", "/settings/test-proxy", { proxy: "" }],
      ["POST", "/password", { current: "x", next: "a-new-password-123" }],
      ["GET", "/requests"],
      ["GET", "/requests/1"],
      ["GET", "/connect"],
    ] as const) {
      const response = await fetch(`${suite.gateway.url}/api${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect([method, path, response.status]).toEqual([method, path, 401]);
    }
  });
});

describe(`the admin app's files on ${runtime}`, () => {
  test("/ is the app's index.html, not cached; hashed assets are immutable and gzipped when asked", async () => {
    const index = await fetch(`${suite.gateway.url}/`);
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? "";
    const asset = await fetch(`${suite.gateway.url}${script}`, { headers: { "accept-encoding": "gzip" } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-type")).toContain("javascript");
    expect((await asset.text()).length).toBeGreaterThan(1000);
    const sw = await fetch(`${suite.gateway.url}/sw.js`);
    expect(sw.headers.get("cache-control")).toBe("no-cache");
    expect(await sw.text()).toContain("precache");
    const manifest = await fetch(`${suite.gateway.url}/manifest.webmanifest`);
    expect(manifest.headers.get("content-type")).toBe("application/manifest+json");
    // HEAD / stays the bare liveness answer SillyTavern checks.
    expect((await fetch(`${suite.gateway.url}/`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${suite.gateway.url}/no-such-file.js`)).status).toBe(404);
  });
});

describe(`changing the admin password on ${runtime}`, () => {
  test("with the current password the new one works at once and the old one no longer does", async () => {
    await using mock = startMockUpstream();
    await using gateway = await startGateway({
      upstream: mock.url,
      fresh: true,
      env: { POCKETGATE_PASSWORD: CLIENT_KEY, POCKETGATE_UPSTREAM_KEYS: UPSTREAM_KEY },
    });
    const first = /Admin password:\s+(\S+)/.exec(gateway.stdout())?.[1] ?? "";
    expect(first.length).toBeGreaterThan(10);
    const token = await adminLogin(gateway, first);
    const call = (body: unknown) =>
      fetch(`${gateway.url}/api/password`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await call({ current: "wrong", next: "a-new-password-123" })).status).toBe(403);
    expect((await call({ current: first, next: "short" })).status).toBe(400);
    expect((await call({ current: first, next: "a-new-password-123" })).status).toBe(200);
    await expect(adminLogin(gateway, first)).rejects.toThrow("401");
    expect(await adminLogin(gateway, "a-new-password-123")).toMatch(/^[0-9a-f]{64}$/);
    const file = readFileSync(join(gateway.dataDir, "pocketgate.toml"), "utf8");
    expect(file).not.toContain("a-new-password-123");
    expect(clientHeaders()["x-api-key"]).toBe(CLIENT_KEY);
  });
});
