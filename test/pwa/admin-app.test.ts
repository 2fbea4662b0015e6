// The admin app end to end: Debian Chromium at 390x844 drives the real gateway (which serves
// the built app) against the mock upstream. Screenshots of every page go to test-artifacts/pwa.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import type { BrowserContext, Page } from "playwright-core";
import { adminCall } from "../harness/admin.ts";
import { launchPhone, screenshot, seriousViolations, smallTargets } from "../harness/browser.ts";
import { ADMIN_PASSWORD, type Gateway, startGateway } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";

const NEW_KEY = "sk-ant-api03-e2e-added-key-0123456789";
const STEP_MS = 60_000;

let mock: MockUpstream;
let gateway: Gateway;
let context: BrowserContext;
let page: Page;
let clientKey = "";

const go = async (hash: string, heading: string) => {
  await page.goto(`${gateway.url}/#${hash}`);
  await page.getByRole("heading", { level: 2, name: heading, exact: true }).waitFor();
};
/** A screenshot, then the page's accessibility: no serious axe violation, no control under 44 px. */
const checkPage = async (name: string) => {
  await screenshot(page, name);
  expect(await seriousViolations(page)).toEqual([]);
  expect(await smallTargets(page)).toEqual([]);
};
const stat = (id: string) => page.getByTestId(id).textContent();

beforeAll(async () => {
  mock = startMockUpstream();
  // No upstream key at start: the test adds one through the app.
  gateway = await startGateway({ upstream: mock.url, env: { POCKETGATE_UPSTREAM_KEYS: "" } });
  context = await launchPhone();
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await gateway?.[Symbol.asyncDispose]();
  await mock?.close();
});

describe("admin app in Chromium at 390x844", () => {
  test(
    "log in with the admin password; the dashboard shows the gateway's status",
    async () => {
      await page.goto(`${gateway.url}/`);
      await page.getByLabel("Admin password").waitFor();
      await checkPage("01-login");
      // The checker itself works: an input without a label is a serious violation.
      await page.evaluate(() =>
        document.body.append(Object.assign(document.createElement("input"), { id: "planted" })),
      );
      expect((await seriousViolations(page)).join("\n")).toContain("label");
      await page.evaluate(() => document.getElementById("planted")?.remove());
      await page.getByLabel("Admin password").fill("not the password");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(page.getByRole("alert").textContent()).resolves.toContain("wrong admin password");
      await page.getByLabel("Admin password").fill(ADMIN_PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Dashboard" }).waitFor();
      await page.getByTestId("requests-today").waitFor();
      expect(await stat("requests-today")).toBe("0");
      expect(await stat("version")).toContain("0.1.0");
      await page.getByText("No upstream key yet").waitFor();
    },
    STEP_MS,
  );

  test(
    "add an upstream key: the mock accepts it and it shows active",
    async () => {
      // By the bottom navigation, as a thumb would.
      await page.getByRole("navigation", { name: "pages" }).getByRole("link", { name: "Keys" }).click();
      await page.getByRole("heading", { level: 2, name: "Keys" }).waitFor();
      await page.getByLabel("Paste one or more").fill(NEW_KEY);
      await page.getByLabel("Label").fill("phone");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      await page.getByText("Added 1 key(s)").waitFor();
      const card = page.getByRole("article", { name: "phone" });
      await expect(card.textContent()).resolves.not.toContain(NEW_KEY);
      await card.getByRole("button", { name: "Test" }).click();
      await page.getByText("the key works").waitFor();
      await card.getByText("active", { exact: true }).waitFor();
      expect(mock.requests.at(-1)?.headers.get("x-api-key")).toBe(NEW_KEY);
      await checkPage("02-keys");
    },
    STEP_MS,
  );

  test(
    "a timeout changed in Settings applies to the next proxied request, without a restart",
    async () => {
      await go("/settings", "Settings");
      await checkPage("03-settings");
      const field = page.getByTestId("setting-first_byte_timeout");
      await field.getByRole("spinbutton").fill("0");
      await field.getByRole("button", { name: "Save" }).click();
      await field.getByText("expected a number of seconds").waitFor();
      await field.getByRole("spinbutton").fill("1");
      await field.getByRole("button", { name: "Save" }).click();
      await field.getByText("Saved, in effect now.").waitFor();
      expect(readFileSync(join(gateway.dataDir, "pocketgate.toml"), "utf8")).toContain("first_byte_timeout = 1");

      const port = page.getByTestId("setting-port");
      await expect(port.textContent()).resolves.toContain("needs a restart");

      mock.replyOnce({ firstByteDelayMs: 2500, body: "{}" });
      const started = performance.now();
      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "pg-test-client-key-0123456789abcdefghijklmnop" },
        body: JSON.stringify({
          model: "claude-sonnet-4-6",
          max_tokens: 8,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      expect(response.status).toBe(504);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain("within 1 s");
      expect(performance.now() - started).toBeLessThan(2400);
    },
    STEP_MS,
  );

  test(
    "an invalid hand edit of the config file is shown on the dashboard, and the banner goes when it is fixed",
    async () => {
      const path = join(gateway.dataDir, "pocketgate.toml");
      const text = readFileSync(path, "utf8");
      writeFileSync(path, text.replace("first_byte_timeout = 1", 'first_byte_timeout = "soon"'));
      await go("/", "Dashboard");
      const banner = page.getByTestId("config-problem");
      await banner.waitFor({ timeout: 10_000 });
      await expect(banner.textContent()).resolves.toContain("first_byte_timeout");
      await checkPage("03b-config-problem");
      writeFileSync(path, text);
      await banner.waitFor({ state: "detached", timeout: 10_000 });
    },
    STEP_MS,
  );

  test(
    "create a client key and use it from @anthropic-ai/sdk",
    async () => {
      await go("/clients", "Clients");
      await page.getByLabel("Name").fill("phone-tavern");
      await page.getByRole("button", { name: "Create" }).click();
      const card = page.getByRole("article", { name: "phone-tavern" });
      clientKey = (await card.getByTestId("client-key").textContent()) ?? "";
      expect(clientKey).toMatch(/^pg-/);
      await card.getByLabel("Requests per minute").fill("30");
      await card.getByRole("button", { name: "Save limits" }).click();
      const rpm = async () =>
        (await adminCall(gateway, "GET", "/clients")).json.clients.find(
          (c: { name: string }) => c.name === "phone-tavern",
        )?.rpm;
      for (let i = 0; i < 50 && (await rpm()) !== 30; i++) await Bun.sleep(50);
      expect(await rpm()).toBe(30);
      await checkPage("04-clients");

      const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: clientKey, maxRetries: 0 });
      const message = await anthropic.messages.create({
        model: "claude-sonnet-4-6",
        max_tokens: 32,
        messages: [{ role: "user", content: "hello from the e2e test" }],
      });
      expect(message.content[0]).toMatchObject({ type: "text", text: MOCK_REPLY_TEXT });
      expect(mock.requests.at(-1)?.headers.get("x-api-key")).toBe(NEW_KEY);
    },
    STEP_MS,
  );

  test(
    "the request shows in Logs with its detail, and the dashboard counters move",
    async () => {
      await go("/logs", "Logs");
      const row = page.getByTestId("log-row").filter({ hasText: "phone-tavern" });
      await expect(row.textContent()).resolves.toContain("claude-sonnet-4-6");
      await checkPage("05-logs");
      await row.click();
      await page.getByText("Not captured").waitFor();
      await expect(page.locator("dl").textContent()).resolves.toContain("phone-tavern");
      await checkPage("06-log-detail");

      await go("/", "Dashboard");
      await page.waitForFunction(() => document.querySelector('[data-testid="requests-today"]')?.textContent === "1");
      expect(await stat("tokens-today")).toBe("21");
      await page.getByText("reachable (").waitFor();
      await checkPage("07-dashboard");
      await page.emulateMedia({ colorScheme: "dark" });
      await checkPage("08-dashboard-dark");
      await page.emulateMedia({ colorScheme: "light" });
    },
    STEP_MS,
  );

  test(
    "Usage and Connect pages render, with settings built from this address and the chosen key",
    async () => {
      await go("/usage", "Usage");
      await page.locator("svg.chart rect").first().waitFor();
      await expect(page.locator("table").first().textContent()).resolves.toContain("claude-sonnet-4-6");
      await checkPage("09-usage");

      await go("/connect", "Connect");
      await page.getByLabel("Client key").selectOption({ label: "phone-tavern" });
      const snippet = page.getByTestId("snippet");
      await expect(snippet.textContent()).resolves.toContain(`Reverse proxy: ${gateway.url}/v1`);
      await expect(snippet.textContent()).resolves.toContain(clientKey);
      await page.getByLabel("App").selectOption("claude-code");
      await expect(snippet.textContent()).resolves.toContain(`ANTHROPIC_BASE_URL=${gateway.url}/code`);
      await page.locator(".qr svg").waitFor();
      await checkPage("10-connect");

      await page.getByRole("combobox", { name: "Language" }).selectOption("zh");
      await page.getByRole("heading", { name: "连接" }).waitFor();
      await checkPage("11-connect-zh");
      await page.getByRole("combobox", { name: "语言" }).selectOption("en");
    },
    STEP_MS,
  );

  test(
    "installable: no installability errors, the service worker is active",
    async () => {
      await go("/", "Dashboard");
      const state = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state);
      expect(state).toBe("activated");
      const cdp = await context.newCDPSession(page);
      const result = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: unknown[] };
      expect(result.installabilityErrors).toEqual([]);
      const manifest = await (await fetch(`${gateway.url}/manifest.webmanifest`)).json();
      expect(manifest).toMatchObject({ display: "standalone", start_url: "/", scope: "/" });
    },
    STEP_MS,
  );

  test(
    "with the gateway stopped, a reload shows the shell, the offline banner and the last snapshot",
    async () => {
      // The page must be controlled by the service worker before the server goes away.
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await page.getByTestId("requests-today").waitFor();
      await gateway.stop();
      await page.reload();
      await page.getByTestId("offline-banner").waitFor();
      await page.getByTestId("snapshot-note").waitFor();
      expect(await stat("requests-today")).toBe("1");
      await checkPage("12-offline");
    },
    STEP_MS,
  );
});
