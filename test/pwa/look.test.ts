// Every page of the admin app as people see it (issue 13): at 360x740 and 390x844, light, dark
// and Chinese, with a month of history, a cooling key, failures in the log. Each page gets a
// screenshot in test-artifacts/pwa/ (named page-size-look) and four checks: no serious or
// critical axe-core violation, no control under 44 px, nothing sticking out sideways, and no text
// wrapped into single characters (measured on the line boxes).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { adminCall } from "../harness/admin.ts";
import {
  launchBrowser,
  overflowing,
  type PhoneLook,
  phoneContext,
  screenshot,
  seriousViolations,
  singleCharacterLines,
  smallTargets,
} from "../harness/browser.ts";
import { ADMIN_PASSWORD, clientHeaders, freePort, type Gateway, startGateway, tempDir } from "../harness/gateway.ts";
import { seedHistory } from "../harness/history.ts";
import { defaultResponder, type MockReply, type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages } from "../harness/suite.ts";

const BACKUP_KEY = "sk-ant-api03-look-backup-key-0123456789";
const STEP_MS = 120_000;

let mock: MockUpstream;
let gateway: Gateway;
let browser: Browser;
let dataDir: string;

/** The first key reports its headroom; the backup key is rate-limited for a while. */
async function responder(request: Parameters<typeof defaultResponder>[0]): Promise<MockReply> {
  if (request.headers.get("x-api-key") === BACKUP_KEY) {
    return {
      status: 429,
      headers: { "retry-after": "900" },
      body: JSON.stringify({
        type: "error",
        error: {
          type: "rate_limit_error",
          message: "Number of request tokens has exceeded your per-minute rate limit",
        },
      }),
    };
  }
  const reply = await defaultResponder(request);
  const reset = new Date(Date.now() + 40_000).toISOString();
  return {
    ...reply,
    headers: {
      ...reply.headers,
      "anthropic-ratelimit-tokens-limit": "80000",
      "anthropic-ratelimit-tokens-remaining": "52000",
      "anthropic-ratelimit-tokens-reset": reset,
      "anthropic-ratelimit-requests-limit": "50",
      "anthropic-ratelimit-requests-remaining": "6",
      "anthropic-ratelimit-requests-reset": reset,
    },
  };
}

beforeAll(async () => {
  mock = startMockUpstream();
  mock.reply(responder);
  dataDir = tempDir();
  const config = { CAPTURE_BODIES: "true" };
  // A month of use, written while the gateway is stopped, as a restart would find it.
  const first = await startGateway({ upstream: mock.url, dataDir, config });
  await first.stop();
  seedHistory(join(dataDir, "pocketgate.db"));
  gateway = await startGateway({ upstream: mock.url, dataDir, config });
  const tavern = (await adminCall(gateway, "POST", "/clients", { name: "phone-tavern", rpm: 30, monthly_usd: 5 })).json;
  const backup = (await adminCall(gateway, "POST", "/keys", { keys: BACKUP_KEY, label: "backup" })).json.keys[0];
  await adminCall(gateway, "POST", `/keys/${backup.id}/test`);
  // A second provider, for the Providers page: no request here asks for its models; adding it
  // reads its model list, from the mock (network tests stay on this machine).
  await adminCall(gateway, "POST", "/providers", {
    name: "deepseek",
    base_url: `${mock.url}/deepseek`,
    models: ["deepseek-flash", "deepseek-v4-pro"],
    keys: "sk-deepseek-look-0123456789abcdef",
  });
  // And Amazon Bedrock (issue 19): its model list is its table, so adding it asks nobody.
  await adminCall(gateway, "POST", "/providers", {
    name: "bedrock",
    kind: "bedrock",
    region: "eu-central-1",
    keys: "AKIALOOKTEST77777777:wJalrXUtnFEMI/K7MDENG/bPxRfiCYLOOKTESTKEY",
  });
  await adminCall(gateway, "PUT", "/providers/aliases", { aliases: { fast: "anthropic/claude-haiku-4-5" } });
  for (let i = 0; i < 6; i++) {
    const headers = i % 2 ? clientHeaders({ "x-api-key": tavern.key }) : clientHeaders();
    const model = i % 3 ? "claude-sonnet-4-6" : "claude-haiku-4-5";
    await (await postMessages(gateway.url, { headers, body: messagesBody({ model, stream: i === 2 }) })).arrayBuffer();
  }
  await (
    await postMessages(gateway.url, { headers: clientHeaders({ "x-api-key": "pg-wrong-0123456789abcdefghijklmn" }) })
  ).arrayBuffer();
  browser = await launchBrowser();
}, STEP_MS);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await mock?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A screenshot, then the four checks; what fails is returned, named by page. */
async function check(page: Page, name: string): Promise<string[]> {
  await screenshot(page, name);
  const found = [
    ...(await seriousViolations(page)).map((v) => `axe: ${v}`),
    ...(await smallTargets(page)).map((v) => `under 44 px: ${v}`),
    ...(await overflowing(page)).map((v) => `overflows: ${v}`),
    ...(await singleCharacterLines(page)).map((v) => `one character per line: ${v}`),
  ];
  return found.map((problem) => `${name}: ${problem}`);
}

/** Each page: where it is, and what shows it is ready. */
const pages: [string, string, string][] = [
  ["02-dashboard", "/", '[data-testid="key-card"]'],
  ["03-keys", "/keys", '[data-testid="key-card"] button'],
  ["04-logs", "/logs", '[data-testid="log-row"]'],
  ["06-usage", "/usage", ".chart canvas"],
  ["07-more", "/more", ".menu a"],
  ["08-clients", "/clients", '[data-testid="client"]'],
  ["09-connect", "/connect", '[data-testid="snippet"]'],
  ["10-settings", "/settings", '[data-testid="section-privacy"]'],
  ["11-providers", "/providers", '[data-testid="provider-card"] button'],
];

const looks: (PhoneLook & { name: string })[] = [
  { name: "390-light", width: 390, height: 844, dark: false, lang: "en" },
  { name: "390-dark", width: 390, height: 844, dark: true, lang: "en" },
  { name: "390-zh", width: 390, height: 844, dark: false, lang: "zh" },
  { name: "360-light", width: 360, height: 740, dark: false, lang: "en" },
  { name: "360-dark", width: 360, height: 740, dark: true, lang: "en" },
  { name: "360-zh", width: 360, height: 740, dark: false, lang: "zh" },
];

describe("the admin app's look", () => {
  test("the checks themselves catch what they look for", async () => {
    const context = await phoneContext(browser, looks[3] as PhoneLook);
    const page = await context.newPage();
    await page.goto(`${gateway.url}/`);
    await page.locator("#password").waitFor();
    await page.evaluate(() => {
      const wide = document.createElement("div");
      wide.id = "planted-wide";
      wide.style.width = "600px";
      wide.textContent = "wide";
      const narrow = document.createElement("span");
      narrow.id = "planted-narrow";
      narrow.style.display = "inline-block";
      narrow.style.width = "1.2em";
      narrow.textContent = "保存设置";
      const small = document.createElement("button");
      small.id = "planted-small";
      small.style.minHeight = "0";
      small.style.height = "20px";
      small.textContent = "x";
      document.body.append(wide, narrow, small);
    });
    expect((await overflowing(page)).join("\n")).toContain("wide");
    expect((await singleCharacterLines(page)).join("\n")).toContain("保存设置");
    expect((await smallTargets(page)).join("\n")).toContain("planted-small");
    await context.close();
  });

  for (const look of looks) {
    test(
      `every page at ${look.name}: screenshots, accessibility, touch targets, no overflow, no one-character lines`,
      async () => {
        const problems: string[] = [];
        const context = await phoneContext(browser, look);
        const page = await context.newPage();
        await page.goto(`${gateway.url}/`);
        await page.locator("#password").waitFor();
        problems.push(...(await check(page, `01-login-${look.name}`)));
        await page.locator("#password").fill(ADMIN_PASSWORD);
        await page.locator("form button[type=submit]").click();
        await page.getByTestId("health-state").waitFor();
        for (const [name, hash, ready] of pages) {
          await page.goto(`${gateway.url}/#${hash}`);
          await page.locator(ready).first().waitFor();
          problems.push(...(await check(page, `${name}-${look.name}`)));
        }
        // A request's detail, with its body kept (capture_bodies is on here).
        await page.goto(`${gateway.url}/#/logs`);
        await page.getByTestId("log-row").filter({ hasText: "phone-tavern" }).first().click();
        await page.getByTestId("request-body").waitFor();
        problems.push(...(await check(page, `05-log-detail-${look.name}`)));
        // And one that failed: what the app was told.
        await page.goto(`${gateway.url}/#/logs`);
        await page.getByTestId("log-row").filter({ hasText: "401" }).first().click();
        await page.getByTestId("detail-error").waitFor();
        problems.push(...(await check(page, `05b-log-error-${look.name}`)));
        await context.close();
        expect(problems).toEqual([]);
      },
      STEP_MS,
    );
  }
  test(
    "a team's instance whose Redis and PostgreSQL cannot be reached: the dashboard says degraded and why, at every look",
    async () => {
      // Ports nothing listens on: both stores are down from the start (issue 20).
      await using team = await startGateway({
        upstream: mock.url,
        env: {
          POCKETGATE_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
          POCKETGATE_DATABASE_URL: `postgres://pocketgate@127.0.0.1:${await freePort()}/pocketgate`,
        },
      });
      const problems: string[] = [];
      for (const look of looks) {
        const context = await phoneContext(browser, look);
        const page = await context.newPage();
        await page.goto(`${team.url}/`);
        await page.locator("#password").fill(ADMIN_PASSWORD);
        await page.locator("form button[type=submit]").click();
        await page.getByTestId("health-reasons").waitFor();
        const words = (await page.getByTestId("health-reasons").textContent()) ?? "";
        expect(words).toContain(look.lang === "zh" ? "共享状态不可用" : "Shared state unavailable");
        expect(words).toContain("Redis + PostgreSQL");
        problems.push(...(await check(page, `02b-dashboard-degraded-${look.name}`)));
        await context.close();
      }
      expect(problems).toEqual([]);
    },
    STEP_MS,
  );
});
