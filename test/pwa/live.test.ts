// The admin app's live view in Chromium at 390x844 (issue 13): the gateway's own refusals — no
// upstream key, a wrong client key, a client over its limit, upstream down — each appear in Logs
// within 2 s of the answer, without a reload, with the message the client got; and the dashboard
// says down, with the reason in words, while upstream is stopped, and ok when it is back.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { adminCall } from "../harness/admin.ts";
import { launchBrowser, phoneContext, screenshot } from "../harness/browser.ts";
import { ADMIN_PASSWORD, clientHeaders, type Gateway, startGateway } from "../harness/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";
import { postMessages } from "../harness/suite.ts";

const KEY = "sk-ant-api03-live-test-key-0123456789";
const LIVE_MS = 2000;
const STEP_MS = 60_000;

let mock: MockUpstream;
let gateway: Gateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mock = startMockUpstream();
  // No upstream key at start: the first failure is "no key".
  gateway = await startGateway({ upstream: mock.url, env: { POCKETGATE_UPSTREAM_KEYS: "" } });
  browser = await launchBrowser();
  const context = await phoneContext(browser, { width: 390, height: 844, dark: false, lang: "en" });
  page = await context.newPage();
  await page.goto(`${gateway.url}/`);
  await page.locator("#password").fill(ADMIN_PASSWORD);
  await page.locator("form button[type=submit]").click();
  await page.getByTestId("health-state").waitFor();
  await page.goto(`${gateway.url}/#/logs`);
  await page.getByTestId("live-mode").filter({ hasText: "Live" }).waitFor();
  // A reload would lose this.
  await page.evaluate(() => Object.assign(window, { notReloaded: true }));
});

afterAll(async () => {
  await browser?.close();
  await gateway?.[Symbol.asyncDispose]();
  rmSync(gateway?.dataDir ?? "", { recursive: true, force: true });
  await mock?.close();
});

const messageOf = async (response: Response) =>
  ((await response.json()) as { error: { message: string } }).error.message;

/** The row for this answer is on screen within LIVE_MS of it, carrying the message the client got. */
async function appearsLive(status: number, told: string, answeredAt: number): Promise<void> {
  const row = page
    .getByTestId("log-row")
    .filter({ hasText: String(status) })
    .filter({ hasText: told.slice(0, 40) });
  await row.first().waitFor({ timeout: LIVE_MS });
  expect(performance.now() - answeredAt).toBeLessThan(LIVE_MS);
  expect(await row.first().getByTestId("log-problem").textContent()).toBe(told);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
}

describe("live view in Chromium", () => {
  test(
    "no upstream key: the 503 shows up in Logs within 2 s, with what the client was told",
    async () => {
      const response = await postMessages(gateway.url);
      const at = performance.now();
      expect(response.status).toBe(503);
      await appearsLive(503, await messageOf(response), at);
    },
    STEP_MS,
  );

  test(
    "a wrong client key: the 401",
    async () => {
      await adminCall(gateway, "POST", "/keys", { keys: KEY });
      const response = await postMessages(gateway.url, {
        headers: clientHeaders({ "x-api-key": "pg-not-the-right-key-0123456789abcdef" }),
      });
      const at = performance.now();
      expect(response.status).toBe(401);
      await appearsLive(401, await messageOf(response), at);
    },
    STEP_MS,
  );

  test(
    "a client over its limit: the 429, in its name",
    async () => {
      const client = (await adminCall(gateway, "POST", "/clients", { name: "tiny", rpm: 1 })).json;
      const headers = clientHeaders({ "x-api-key": client.key });
      expect((await postMessages(gateway.url, { headers })).status).toBe(200);
      const response = await postMessages(gateway.url, { headers });
      const at = performance.now();
      expect(response.status).toBe(429);
      await appearsLive(429, await messageOf(response), at);
      await expect(page.getByTestId("log-row").filter({ hasText: "429" }).first().textContent()).resolves.toContain(
        "tiny",
      );
      await screenshot(page, "13-logs-live");
    },
    STEP_MS,
  );

  test(
    "upstream down: the 502 in Logs; the dashboard says down with the reason, and ok when it is back",
    async () => {
      const port = mock.port;
      await mock.close();
      const response = await postMessages(gateway.url);
      const at = performance.now();
      expect(response.status).toBe(502);
      await appearsLive(502, await messageOf(response), at);

      await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Home" }).click();
      await page.getByTestId("health-state").filter({ hasText: "Down" }).waitFor({ timeout: 5000 });
      // The page may still show the picture from before (the earlier steps' "no upstream key"
      // reason) until the next one arrives, every 2 s: wait for this reason, not just "Down".
      const reason = `pocketgate cannot reach 127.0.0.1:${port}`;
      await page.getByTestId("health-reasons").filter({ hasText: reason }).waitFor({ timeout: 5000 });
      const reasons = (await page.getByTestId("health-reasons").textContent()) ?? "";
      expect(reasons).toContain(reason);
      expect(reasons).toContain("check this device's connection or the proxy setting");
      expect(await page.getByTestId("header-health").textContent()).toContain("Down");
      await screenshot(page, "14-dashboard-down");

      mock = startMockUpstream({ port });
      // While down, upstream is checked every 5 s; the picture arrives every 2 s.
      await page.getByTestId("health-state").filter({ hasText: "All good" }).waitFor({ timeout: 12_000 });
      expect(await page.getByTestId("health-reasons").count()).toBe(0);
      await screenshot(page, "15-dashboard-back");
    },
    STEP_MS,
  );

  test(
    "when the event stream breaks, the app polls instead and says so; it goes back to live when it can",
    async () => {
      // Stopping the gateway ends the stream; a new one on the same port and data comes back.
      await page.goto(`${gateway.url}/#/logs`);
      await page.getByTestId("live-mode").filter({ hasText: "Live" }).waitFor();
      const dataDir = gateway.dataDir;
      const port = gateway.port;
      await gateway.stop();
      await page.getByTestId("live-mode").filter({ hasText: "Updating every" }).waitFor({ timeout: 5000 });
      gateway = await startGateway({
        upstream: mock.url,
        dataDir,
        env: { POCKETGATE_UPSTREAM_KEYS: "" },
        args: ["--port", String(port)],
      });
      await page.getByTestId("live-mode").filter({ hasText: "Live" }).waitFor({ timeout: 20_000 });
    },
    STEP_MS,
  );
});
