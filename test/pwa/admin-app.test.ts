// The admin app end to end: Debian Chromium at 390x844 drives the real gateway (which serves the
// built app) against the mock upstream, as a new user would: log in, add keys (one line bad),
// test one without losing the place, save a section of settings, make a client key and use it
// from the Anthropic SDK, find the request in Logs, see it in Usage, copy settings in Connect,
// switch theme and language, install, add a provider from a preset, and go offline. Screenshots go to test-artifacts/pwa.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import type { BrowserContext, Page } from "playwright-core";
import { launchPhone, screenshot, seriousViolations, smallTargets } from "../harness/browser.ts";
import { ADMIN_PASSWORD, CLIENT_KEY, type Gateway, startGateway } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";

const NEW_KEY = "sk-ant-api03-e2e-added-key-0123456789";
const MORE_KEYS = [1, 2, 3, 4].map((n) => `sk-ant-api03-e2e-extra-key-${n}-0123456789`);
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
const toast = (text: string) => page.getByTestId("toast").filter({ hasText: text }).first().waitFor();

beforeAll(async () => {
  mock = startMockUpstream();
  // No upstream key at start: the test adds them through the app.
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
    "log in with the admin password; the dashboard says what is missing",
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
      await expect(page.getByRole("alert").first().textContent()).resolves.toContain("wrong admin password");
      await page.getByLabel("Admin password").fill(ADMIN_PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Dashboard" }).waitFor();
      await page.getByTestId("health-state").filter({ hasText: "Down" }).waitFor();
      await expect(page.getByTestId("health-reasons").textContent()).resolves.toContain(
        "No upstream key yet: add your Anthropic API key on the Keys page.",
      );
      expect(await page.getByTestId("requests-today").textContent()).toBe("0");
      expect(await page.getByTestId("version").textContent()).toContain("0.1.0");
    },
    STEP_MS,
  );

  test(
    "add keys, one line bad: the good ones are added and the bad one is named",
    async () => {
      await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Keys" }).click();
      await page.getByRole("heading", { level: 2, name: "Keys" }).waitFor();
      await page.getByLabel("Paste one or more").fill(`${NEW_KEY}\nsk-ant-oops`);
      await page.getByLabel("Label").fill("phone");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      const summary = page.getByTestId("add-summary");
      await expect(summary.textContent()).resolves.toContain("1 key(s) added.");
      await expect(summary.textContent()).resolves.toContain("sk-ant-o… is too short for an API key");
      const card = page.getByRole("article", { name: "phone", exact: true });
      await card.waitFor();
      await expect(card.textContent()).resolves.not.toContain(NEW_KEY);
      await expect(card.textContent()).resolves.toContain("added here");
      // More keys, so the list is longer than the screen.
      await page.getByLabel("Paste one or more").fill(MORE_KEYS.join("\n"));
      await page.getByLabel("Label").fill("spare");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      await page.getByRole("article", { name: "spare 4" }).waitFor();
      await checkPage("02-keys");
    },
    STEP_MS,
  );

  test(
    "testing the last key keeps the page where it was and puts the result on that key's card",
    async () => {
      const last = page.getByRole("article", { name: "spare 4" });
      await last.getByRole("button", { name: "Test" }).scrollIntoViewIfNeeded();
      const before = await page.evaluate(() => window.scrollY);
      expect(before).toBeGreaterThan(100);
      await last.getByRole("button", { name: "Test" }).click();
      await last.getByTestId("test-result").filter({ hasText: "Works: upstream accepted it just now." }).waitFor();
      expect(Math.abs((await page.evaluate(() => window.scrollY)) - before)).toBeLessThan(2);
      expect(await page.getByTestId("test-result").count()).toBe(1);
      expect(mock.requests.at(-1)?.headers.get("x-api-key")).toBe(MORE_KEYS[3]);
      await last.getByText("active", { exact: true }).waitFor();
    },
    STEP_MS,
  );

  test(
    "a section of Settings saves with one button; a bad duration is named under its field; the saved one applies at once",
    async () => {
      await go("/settings", "Settings");
      await checkPage("03-settings");
      const timeouts = page.getByTestId("section-timeouts");
      const field = page.getByTestId("setting-first_byte_timeout");
      expect(await field.getByRole("textbox").inputValue()).toBe("10m");
      await expect(field.textContent()).resolves.toContain("Wait for the first byte");
      await field.getByRole("textbox").fill("0");
      await timeouts.getByRole("button", { name: "Save" }).click();
      await field.getByText("expected a number of seconds or a duration").waitFor();
      await field.getByRole("textbox").fill("1s");
      await timeouts.getByRole("button", { name: "Save" }).click();
      await toast("Timeouts saved, in effect now.");
      expect(readFileSync(join(gateway.dataDir, "pocketgate.toml"), "utf8")).toContain("first_byte_timeout = 1");
      await expect(field.getByTestId("origin").textContent()).resolves.toBe("From the config file");

      const port = page.getByTestId("setting-port");
      await expect(port.textContent()).resolves.toContain("applies after a restart");
      await expect(port.getByTestId("origin").textContent()).resolves.toContain("--port");
      expect(await port.getByRole("spinbutton").isDisabled()).toBe(true);

      mock.replyOnce({ firstByteDelayMs: 2500, body: "{}" });
      const started = performance.now();
      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": CLIENT_KEY },
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
      await page.getByTestId("health-state").filter({ hasText: "Degraded" }).waitFor();
      await checkPage("03b-config-problem");
      writeFileSync(path, text);
      await banner.waitFor({ state: "detached", timeout: 10_000 });
    },
    STEP_MS,
  );

  test(
    "make a client key, shown masked until asked, limits confirmed; use it from @anthropic-ai/sdk",
    async () => {
      await go("/clients", "Clients");
      await page.getByLabel("Name of the new client key").fill("phone-tavern");
      await page.getByRole("button", { name: "Create" }).click();
      await toast("Client key phone-tavern created.");
      const card = page.getByRole("article", { name: "phone-tavern" });
      const secret = card.getByTestId("client-key");
      await expect(secret.textContent()).resolves.toContain("••••");
      await card.getByRole("button", { name: "Show: phone-tavern" }).click();
      clientKey = (await secret.textContent()) ?? "";
      expect(clientKey).toMatch(/^pg-[A-Za-z0-9_-]{20,}$/);
      await card.getByLabel("Requests per minute").fill("30");
      await card.getByRole("button", { name: "Save limits" }).click();
      await toast("Limits saved for phone-tavern.");
      await expect(card.getByLabel("Requests per minute").inputValue()).resolves.toBe("30");
      await checkPage("04-clients");

      const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: clientKey, maxRetries: 0 });
      const message = await anthropic.messages.create({
        model: "claude-sonnet-4-6",
        max_tokens: 32,
        messages: [{ role: "user", content: "hello from the e2e test" }],
      });
      expect(message.content[0]).toMatchObject({ type: "text", text: MOCK_REPLY_TEXT });
      await page.reload();
      await expect(card.getByTestId("month").textContent()).resolves.toContain("This month: 21 tokens");

      // Prompt caching for this key: automatic on both routes, kept warm within a budget.
      const caching = card.getByRole("form", { name: "Prompt caching: phone-tavern" });
      await expect(caching.getByTestId("caching-in-force").textContent()).resolves.toContain(
        "OpenAI automatic · /v1/messages off · 5m",
      );
      await caching.getByLabel("Caching", { exact: true }).selectOption("auto");
      await caching.getByLabel("Keep idle chats warm", { exact: true }).selectOption("on");
      await caching.getByLabel("Budget per day ($)").fill("0.2");
      await caching.getByRole("button", { name: "Save caching" }).click();
      await toast("Caching saved for phone-tavern");
      const inForce = "In force: OpenAI automatic · /v1/messages automatic · 5m · keep idle chats warm ≤ $0.20";
      await caching.getByTestId("caching-in-force").filter({ hasText: inForce }).waitFor({ timeout: 5000 });
      await expect(caching.getByTestId("caching-in-force").textContent()).resolves.toBe(inForce);
      await expect(caching.getByLabel("Caching", { exact: true }).inputValue()).resolves.toBe("auto");
    },
    STEP_MS,
  );

  test(
    "the request is in Logs; the pickers filter it; an empty filtered list says so; the detail explains it",
    async () => {
      await go("/logs", "Logs");
      const row = page.getByTestId("log-row").filter({ hasText: "phone-tavern" });
      await expect(row.first().textContent()).resolves.toContain("claude-sonnet-4-6");
      await page.getByLabel("Client").selectOption("phone-tavern");
      await page.waitForFunction(() =>
        [...document.querySelectorAll('[data-testid="log-row"]')].every((r) => r.textContent?.includes("phone-tavern")),
      );
      await page.getByLabel("Status").selectOption("5xx");
      await page.getByTestId("no-matches").waitFor();
      await expect(page.getByTestId("no-matches").textContent()).resolves.toContain("No requests match these filters.");
      await page.getByRole("button", { name: "Clear filters" }).click();
      await page.getByTestId("log-row").filter({ hasText: "504" }).first().waitFor();
      await checkPage("05-logs");
      await row.first().click();
      await page.getByTestId("detail").waitFor();
      await expect(page.getByTestId("detail").textContent()).resolves.toContain("phone-tavern");
      // The key that served, by its label.
      await expect(page.getByTestId("detail").textContent()).resolves.toMatch(/Key(phone|spare \d)Route/);
      await checkPage("06-log-detail");

      await go("/", "Dashboard");
      await page.waitForFunction(() => document.querySelector('[data-testid="requests-today"]')?.textContent === "2");
      await page.getByTestId("health-state").filter({ hasText: "All good" }).waitFor();
      await checkPage("07-dashboard");
    },
    STEP_MS,
  );

  test(
    "Usage charts the day with axes and values on tap; Connect preselects the client in use",
    async () => {
      await go("/usage", "Usage");
      const chart = page.locator(".chart .u-over");
      await chart.waitFor();
      const box = await chart.boundingBox();
      if (!box) throw new Error("no chart");
      // The last bar is today's: tap it and the readout names the model and its cost.
      await page.touchscreen.tap(box.x + box.width - 4, box.y + box.height - 4);
      await expect(page.getByTestId("chart-readout").textContent()).resolves.toContain("claude-sonnet-4-6");
      await expect(page.getByTestId("per-model").textContent()).resolves.toContain("claude-sonnet-4-6");
      await checkPage("09-usage");

      await go("/connect", "Connect");
      // The client that made the latest request is the one chosen.
      expect(await page.getByLabel("Client key").inputValue()).not.toBe("");
      await expect(page.locator("#connect-client option:checked").textContent()).resolves.toBe("phone-tavern");
      const snippet = page.getByTestId("snippet");
      await expect(snippet.textContent()).resolves.toContain(`Reverse proxy: ${gateway.url}/v1`);
      await expect(snippet.textContent()).resolves.toContain(clientKey);
      await expect(page.getByTestId("models-source").textContent()).resolves.toBe("Models as upstream lists them.");
      await page.getByLabel("App").selectOption("claude-code");
      await expect(snippet.textContent()).resolves.toContain(`ANTHROPIC_BASE_URL=${gateway.url}/code`);
      await page.getByLabel("App").selectOption("codex");
      await expect(snippet.textContent()).resolves.toContain(`base_url = "${gateway.url}/v1"`);
      await expect(snippet.textContent()).resolves.toContain('wire_api = "responses"');
      // Listening on 127.0.0.1 only: no QR for a second device, and the page says why.
      await expect(page.getByTestId("second-device").textContent()).resolves.toContain("listens only on this device");
      expect(await page.locator(".qr").count()).toBe(0);
      await checkPage("10-connect");
    },
    STEP_MS,
  );

  test(
    "theme and language switch from More; the Chinese pages have no English left in their headings",
    async () => {
      await go("/more", "More");
      await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark" }).click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
      await checkPage("08-more-dark");
      await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Auto" }).click();
      await page.getByRole("group", { name: "Language" }).getByRole("button", { name: "中文" }).click();
      await page.getByRole("heading", { level: 2, name: "更多" }).waitFor();
      const tabs = await page.getByRole("navigation", { name: "页面" }).textContent();
      expect(tabs).toBe("首页密钥日志用量更多");
      await page.getByRole("group", { name: "语言" }).getByRole("button", { name: "English" }).click();
      await page.getByRole("heading", { level: 2, name: "More" }).waitFor();
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
    "Providers: DeepSeek added from its preset with a key, moved first; its model goes to it with its key, and the file keeps it",
    async () => {
      await using second = startMockUpstream();
      await go("/providers", "Providers");
      await page.locator("#provider-preset").selectOption("deepseek");
      expect(await page.locator("#provider-url").inputValue()).toBe("https://api.deepseek.com/anthropic");
      // The mock stands in for DeepSeek's address (network tests only reach loopback).
      await page.locator("#provider-url").fill(`${second.url}/anthropic`);
      await page.locator("#provider-models").fill("deepseek-flash");
      await page.locator("#provider-keys").fill("sk-deepseek-e2e-0123456789abcdef");
      await page.getByTestId("add-provider").getByRole("button", { name: "Add" }).click();
      await toast("Added deepseek");
      const cards = page.getByTestId("provider-card");
      await cards.nth(1).getByText("1 of 1 keys usable").waitFor();
      await page.getByRole("button", { name: "Move deepseek up" }).click();
      await cards.first().getByText("deepseek", { exact: true }).waitFor();
      await checkPage("03b-providers");

      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": CLIENT_KEY },
        body: JSON.stringify({ model: "deepseek-flash", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-pocketgate-provider")).toBe("deepseek");
      await response.arrayBuffer();
      // Adding it read its model list (GET /anthropic/v1/models); then the request.
      const received = second.requests.filter((r) => r.method === "POST").at(-1);
      expect(received?.path).toBe("/anthropic/v1/messages");
      expect(received?.headers.get("x-api-key")).toBe("sk-deepseek-e2e-0123456789abcdef");
      const file = readFileSync(join(gateway.dataDir, "pocketgate.toml"), "utf8");
      expect(file).toContain("[[providers]]");
      expect(file).toContain('name = "deepseek"');
      // The key pasted with it is kept in the database, like keys added on the Keys page.
      expect(file).not.toContain("sk-deepseek-e2e");
      await page.getByRole("button", { name: "Move deepseek down" }).click();
      await cards.first().getByText("anthropic", { exact: true }).waitFor();
      await go("/", "Dashboard");
      await page.getByTestId("providers-today").getByText("deepseek").waitFor();
    },
    STEP_MS,
  );

  test(
    "Providers: a Vertex AI provider with a key file that is not one is refused, saying why; Amazon Bedrock is added with AWS credentials",
    async () => {
      await go("/providers", "Providers");
      const form = page.getByTestId("add-provider");
      await page.locator("#provider-kind").selectOption("vertex");
      // The name follows the kind; the address comes from the region, so there is no URL field.
      expect(await page.locator("#provider-name").inputValue()).toBe("vertex");
      expect(await page.locator("#provider-url").count()).toBe(0);
      await page.locator("#provider-region").fill("global");
      await page.locator("#provider-project").fill("my-project-123");
      await page.locator("#provider-keys").fill('{ "type": "service_account", "client_email": ');
      await form.getByText("Vertex AI User role").waitFor();
      await form.getByRole("button", { name: "Add" }).click();
      await toast("not the JSON of a service account key file");
      await checkPage("03c-providers-vertex-form");

      await page.locator("#provider-kind").selectOption("bedrock");
      await page.locator("#provider-region").fill("us-west-2");
      await page.locator("#provider-profile").selectOption("global");
      await page.locator("#provider-keys").fill("AKIAE2ETEST777777777:wJalrXUtnFEMI/K7MDENG/bPxRfiCYE2ETESTKEY");
      await form.getByRole("button", { name: "Add" }).click();
      await toast("Added bedrock");
      const card = page.getByTestId("provider-card").filter({ hasText: "Amazon Bedrock · us-west-2" });
      await card.getByText("1 of 1 keys usable").waitFor();
      await card.getByText("claude-haiku-4-5").first().waitFor();
      const file = readFileSync(join(gateway.dataDir, "pocketgate.toml"), "utf8");
      expect(file).toContain('kind = "bedrock"');
      expect(file).toContain('inference_profile = "global"');
      expect(file).not.toContain("wJalrXUtnFEMI");
      // Edit: another region; the models as shown are the table's, so they are not written.
      await card.getByRole("button", { name: "Edit" }).click();
      await page.locator("#provider-bedrock-region").fill("us-east-2");
      await card.getByRole("button", { name: "Save" }).click();
      await page.getByTestId("provider-card").filter({ hasText: "Amazon Bedrock · us-east-2" }).waitFor();
      const edited = readFileSync(join(gateway.dataDir, "pocketgate.toml"), "utf8");
      expect(edited).toContain('region = "us-east-2"');
      expect(edited.slice(edited.indexOf('name = "bedrock"'))).not.toContain("models =");
      await go("/", "Dashboard");
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
      // The snapshot is kept at most every 10 s: give the live stream its moment.
      await page.waitForTimeout(500);
      await gateway.stop();
      await page.reload();
      await page.getByTestId("offline-banner").waitFor();
      await page.getByTestId("snapshot-note").waitFor();
      // The SDK's request and the one the Providers step sent to its DeepSeek stand-in.
      expect(await page.getByTestId("requests-today").textContent()).toBe("3");
      await checkPage("12-offline");
    },
    STEP_MS,
  );
});
