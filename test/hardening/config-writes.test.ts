// More than one writer touches the config file (issue 11, defect 4): parallel saves in the admin
// app, a password change during them, `reset-password` while the gateway runs, a person with an
// editor. Every acknowledged change survives; a hand edit applies without a restart; an invalid
// one is refused with its reason and the running config stays; killed writes' temp copies go.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { adminLogin } from "../harness/admin.ts";
import { CLIENT_KEY, runCli, runtime, startGateway, tempDir, UPSTREAM_KEY } from "../harness/gateway.ts";
import { startMockUpstream } from "../harness/mock-upstream.ts";

const FIRST = "first-admin-password-0123456789";
const json = { "content-type": "application/json" };

/** A gateway whose settings live in its file (nothing locked by the environment). */
async function fileConfigured(extraToml = "") {
  const mock = startMockUpstream();
  const dataDir = tempDir();
  const path = join(dataDir, "pocketgate.toml");
  writeFileSync(path, `admin_password = "${FIRST}"\n${extraToml}`);
  const gateway = await startGateway({
    upstream: mock.url,
    dataDir,
    fresh: true,
    env: { POCKETGATE_PASSWORD: CLIENT_KEY, POCKETGATE_UPSTREAM_KEYS: UPSTREAM_KEY },
  });
  const file = () => parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  return {
    gateway,
    path,
    file,
    async [Symbol.asyncDispose]() {
      await gateway[Symbol.asyncDispose]();
      await mock.close();
    },
  };
}

const patch = (url: string, token: string, body: Record<string, unknown>) =>
  fetch(`${url}/api/settings`, {
    method: "PATCH",
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 8000): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    if (await check()) return;
    await Bun.sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const settingOf = async (url: string, token: string, key: string) => {
  const response = await fetch(`${url}/api/settings`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { settings: { key: string; value?: unknown }[] };
  return body.settings.find((s) => s.key === key)?.value;
};

describe(`concurrent saves on ${runtime}`, () => {
  test("4 parallel saves × 20 rounds: all 80 acknowledged changes are in the file", async () => {
    await using g = await fileConfigured();
    const token = await adminLogin(g.gateway, FIRST);
    const keys = ["first_byte_timeout", "stream_idle_timeout", "max_attempts", "usage_retention_days"] as const;
    // A value each round that differs from the last one, within every key's range.
    const value = (round: number, i: number) => (i === 2 ? (round % 5) + 1 : 100 + round);
    let lost = 0;
    for (let round = 1; round <= 20; round++) {
      const statuses = await Promise.all(
        keys.map((key, i) => patch(g.gateway.url, token, { [key]: value(round, i) }).then((r) => r.status)),
      );
      expect(statuses).toEqual([200, 200, 200, 200]);
      const file = g.file();
      lost += keys.filter((key, i) => file[key] !== value(round, i)).length;
    }
    expect(lost).toBe(0);
  }, 60_000);

  test("a password change during a stream of saves sticks", async () => {
    await using g = await fileConfigured();
    const token = await adminLogin(g.gateway, FIRST);
    const next = "changed-during-saves-0123456789";
    // Four writers save without pause from before the change until after it has been answered.
    let saving = true;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; saving; i++) await patch(g.gateway.url, token, { max_attempts: ((i + w) % 5) + 1 });
    });
    await Bun.sleep(50);
    const change = await fetch(`${g.gateway.url}/api/password`, {
      method: "POST",
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ current: FIRST, next }),
    });
    expect(change.status).toBe(200);
    await Bun.sleep(300);
    saving = false;
    await Promise.all(writers);
    expect(await adminLogin(g.gateway, next)).toBeString();
    await expect(adminLogin(g.gateway, FIRST)).rejects.toThrow("401");
  }, 30_000);
});

describe(`the file changed by others, on ${runtime}`, () => {
  test("reset-password while running: applies at once, ends sessions, and the next save keeps it", async () => {
    await using g = await fileConfigured();
    const old = await adminLogin(g.gateway, FIRST);
    const reset = await runCli(["reset-password", "--data-dir", g.gateway.dataDir]);
    expect(reset.code).toBe(0);
    const password = /New admin password \(shown only now\): (\S+)/.exec(reset.stdout)?.[1] ?? "";
    expect(password).not.toBe("");
    let fresh = "";
    await waitFor("the new password to log in", async () => {
      fresh = await adminLogin(g.gateway, password).catch(() => "");
      return fresh !== "";
    });
    expect((await fetch(`${g.gateway.url}/api/keys`, { headers: { authorization: `Bearer ${old}` } })).status).toBe(
      401,
    );
    expect((await patch(g.gateway.url, fresh, { max_attempts: 2 })).status).toBe(200);
    expect(await adminLogin(g.gateway, password)).toBeString();
    await expect(adminLogin(g.gateway, FIRST)).rejects.toThrow("401");
  }, 30_000);

  test("a hand edit applies without a restart; an invalid one is refused with its reason, the running config kept", async () => {
    await using g = await fileConfigured("max_attempts = 3\n");
    const token = await adminLogin(g.gateway, FIRST);
    const text = readFileSync(g.path, "utf8");
    writeFileSync(g.path, text.replace("max_attempts = 3", "max_attempts = 5"));
    await waitFor("the edit to apply", async () => (await settingOf(g.gateway.url, token, "max_attempts")) === 5);

    writeFileSync(g.path, text.replace("max_attempts = 3", 'max_attempts = "lots"'));
    await waitFor("the refusal", () => g.gateway.stderr().includes("refused a change on disk"));
    expect(g.gateway.stderr()).toContain("max_attempts");
    expect(await settingOf(g.gateway.url, token, "max_attempts")).toBe(5);
    const status = (await (
      await fetch(`${g.gateway.url}/api/status`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { config_problem?: string };
    expect(status.config_problem).toContain("max_attempts");

    writeFileSync(g.path, text.replace("max_attempts = 3", "max_attempts = 4"));
    await waitFor("the fix to apply", async () => (await settingOf(g.gateway.url, token, "max_attempts")) === 4);
    const after = (await (
      await fetch(`${g.gateway.url}/api/status`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { config_problem?: string };
    expect(after.config_problem).toBeUndefined();
  }, 30_000);

  test("temp copies a killed write left behind are removed at start", async () => {
    const dataDir = tempDir();
    const stale = join(dataDir, ".pocketgate.toml.killed-write.tmp");
    const young = join(dataDir, ".pocketgate.toml.in-progress.tmp");
    writeFileSync(stale, "half a file");
    writeFileSync(young, "being written");
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(stale, hourAgo, hourAgo);
    const mock = startMockUpstream();
    await using gateway = await startGateway({ upstream: mock.url, dataDir });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(gateway.stderr()).toContain("removed 1 unfinished temp copy");
    await mock.close();
  });
});
