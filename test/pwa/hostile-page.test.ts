// A hostile page in real Chromium (issue 11, defect 3): served from another port on 127.0.0.1 —
// the same site as the gateway for the browser, so SameSite=Strict cookies go with its requests —
// it auto-submits forms and fires no-cors fetches at the admin API while the admin is logged in,
// and tries to frame the app. Nothing may change, nothing may go through its proxy, the frame
// must stay empty; and the app itself, under its strict CSP, must run without one violation.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { BrowserContext, Page } from "playwright-core";
import { adminLogin } from "../harness/admin.ts";
import { launchPhone } from "../harness/browser.ts";
import { type ForwardProxy, startForwardProxy } from "../harness/forward-proxy.ts";
import { ADMIN_PASSWORD, type Gateway, startGateway } from "../harness/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";

const ATTACKER_KEY = "sk-ant-api03-attacker-key-0123456789abcdef";

let mock: MockUpstream;
let gateway: Gateway;
let proxy: ForwardProxy;
let attacker: ReturnType<typeof Bun.serve>;
let context: BrowserContext;
let page: Page;

/** The attacker's page: every way a page can send a request that changes something, at once. */
const attackPage = (api: string, proxyUrl: string) => `<!doctype html><meta charset="utf-8"><title>win a prize</title>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe><iframe name="sink3"></iframe><iframe name="sink4"></iframe>
<form id="f1" target="sink1" method="post" action="${api}/clients" enctype="text/plain">
  <input name='{"name":"csrf-form","x":"' value='"}'></form>
<form id="f2" target="sink2" method="post" action="${api}/keys">
  <input name="keys" value="${ATTACKER_KEY}"></form>
<form id="f3" target="sink3" method="post" action="${api}/settings/test-proxy" enctype="text/plain">
  <input name='{"proxy":"${proxyUrl}","x":"' value='"}'></form>
<form id="f4" target="sink4" method="post" action="${api}/password" enctype="text/plain">
  <input name='{"current":"${ADMIN_PASSWORD}","next":"attacker-chosen-password-0123","x":"' value='"}'></form>
<iframe id="framed" src="${api.replace("/api", "/")}"></iframe>
<script>
  for (const id of ["f1", "f2", "f3", "f4"]) document.getElementById(id).submit();
  const opts = (body) => ({ method: "POST", mode: "no-cors", credentials: "include", body });
  fetch("${api}/clients", opts('{"name":"csrf-fetch"}')).catch(() => {});
  fetch("${api}/keys", opts(JSON.stringify({ keys: "${ATTACKER_KEY}" }))).catch(() => {});
  fetch("${api}/settings", { ...opts('{"max_attempts":1}'), method: "PATCH" }).catch(() => {});
  setTimeout(() => { document.title = "done"; }, 1500);
</script>`;

beforeAll(async () => {
  mock = startMockUpstream();
  proxy = await startForwardProxy();
  gateway = await startGateway({ upstream: mock.url });
  attacker = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response(attackPage(`${gateway.url}/api`, proxy.url), { headers: { "content-type": "text/html" } }),
  });
  context = await launchPhone();
  page = context.pages()[0] ?? (await context.newPage());
  // Before any page script: every CSP violation the app's pages cause is recorded.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

afterAll(async () => {
  await context?.close();
  attacker?.stop(true);
  await proxy?.[Symbol.asyncDispose]();
  await gateway?.[Symbol.asyncDispose]();
  await mock?.close();
});

const violations = (p: Page) => p.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

describe("a hostile page on another localhost port, in Chromium", () => {
  test("the app runs under its CSP without a violation on any page", async () => {
    await page.goto(`${gateway.url}/`);
    await page.getByLabel("Admin password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    for (const [hash, heading] of [
      ["/keys", "Keys"],
      ["/clients", "Clients"],
      ["/usage", "Usage"],
      ["/logs", "Logs"],
      ["/settings", "Settings"],
      ["/connect", "Connect"],
    ] as const) {
      await page.goto(`${gateway.url}/#${hash}`);
      await page.getByRole("heading", { level: 2, name: heading, exact: true }).waitFor();
      expect(await violations(page), hash).toEqual([]);
    }
    // The session cookie the login set is in the browser: the attack below carries it.
    expect((await context.cookies(gateway.url)).map((c) => c.name)).toContain("pg_session");
  }, 60_000);

  test("its forms and no-cors fetches change nothing, use nothing, and cannot frame the app", async () => {
    const hostile = await context.newPage();
    await hostile.goto(`http://127.0.0.1:${attacker.port}/`);
    await hostile.waitForFunction(() => document.title === "done", undefined, { timeout: 15_000 });
    await Bun.sleep(500);

    const token = await adminLogin(gateway);
    const get = async (path: string) =>
      (await fetch(`${gateway.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
    const clients = ((await get("/clients")) as { clients: { name: string }[] }).clients.map((c) => c.name);
    expect(clients.filter((n) => n.startsWith("csrf"))).toEqual([]);
    const keys = ((await get("/keys")) as { keys: { label: string }[] }).keys;
    expect(keys.length).toBe(1);
    expect(proxy.targets).toEqual([]);
    const settings = (await get("/settings")) as { settings: { key: string; value?: unknown }[] };
    expect(settings.settings.find((s) => s.key === "max_attempts")?.value).toBe(3);
    // The password is unchanged: the admin's own password still logs in.
    expect(await adminLogin(gateway, ADMIN_PASSWORD)).toBeString();

    // The framed app never loaded: the browser refused it (frame-ancestors 'none').
    const framed = hostile.frames().find((f) => f.name() === "" && f !== hostile.mainFrame());
    const loaded = await framed?.evaluate(() => document.getElementById("root") !== null).catch(() => false);
    expect(loaded ?? false).toBe(false);
    await hostile.close();
  }, 60_000);
});
