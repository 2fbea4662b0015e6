// android/install.sh and uninstall.sh (the offline tarball's route) in a simulated Termux
// (test/harness/termux.ts: a temporary PREFIX and HOME, stub sv and termux-wake-lock).
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { healthStatus, ROOT, tempDir } from "../harness/gateway.ts";
import { NODE22_DIR, simulatedTermux } from "../harness/termux.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";

const TARBALL = join(ROOT, "dist/pocketgate-termux.tar.gz");
const mock = startMockUpstream();
afterAll(() => mock.close());
// What the phone's user would have in the config; here through the environment.
const upstreamEnv = {
  POCKETGATE_UPSTREAM_BASE_URL: mock.url,
  POCKETGATE_UPSTREAM_KEYS: "sk-ant-api03-termux-test-key",
};

/** A folder with only Bun in it (Node 22, the devDependency, is in NODE22_DIR). */
function bunOnlyDir(): string {
  const dir = tempDir("pocketgate-bun-only-");
  symlinkSync(process.execPath, join(dir, "bun"));
  return dir;
}

describe("android/install.sh in a simulated Termux", () => {
  test(
    "installs from the tarball with Node 22, starts, survives a second run; uninstall leaves only the data",
    async () => {
      const t = await simulatedTermux({ services: true, env: upstreamEnv });
      const before = t.files();

      const first = t.run("install.sh", [TARBALL], [NODE22_DIR]);
      expect(first.code).toBe(0);
      expect(first.out).toContain("These secrets are shown only now.");
      const clientKey = /Client key:\s+(\S+)/.exec(first.out)?.[1] ?? "";
      expect(clientKey).toMatch(/^pg-/);
      expect(first.out).toContain("is installed as a termux-services service (node 22.");
      expect(first.out).toContain(`It is running: http://127.0.0.1:${t.port}/health answers.`);
      expect(await healthStatus(t.port)).toBe(200);

      const launcher = readFileSync(join(t.prefix, "bin/pocketgate"), "utf8");
      expect(launcher.startsWith(`#!${t.prefix}/bin/sh\n`)).toBe(true);
      expect(launcher).toContain(`exec "${join(NODE22_DIR, "node")}" "${t.prefix}/share/pocketgate/pocketgate.mjs"`);
      // The service runs the runtime and the installed bundle directly (the same as the launcher).
      expect(readFileSync(join(t.prefix, "var/service/pocketgate/run"), "utf8")).toContain(
        `exec ${join(NODE22_DIR, "node")} ${t.prefix}/share/pocketgate/pocketgate.mjs\n`,
      );
      expect(readFileSync(join(t.prefix, "var/service/pocketgate/log/run"), "utf8")).toContain("svlogd");
      const boot = readFileSync(join(t.home, ".termux/boot/pocketgate"), "utf8");
      expect(boot).toContain("termux-wake-lock");
      expect(boot).toContain("sv up pocketgate");
      expect(readFileSync(join(t.home, ".shortcuts/tasks/pocketgate"), "utf8")).toContain("termux-open-url");
      expect(readFileSync(t.calls, "utf8")).toBe("termux-wake-lock \nsv restart pocketgate\n");

      // The installed service proxies: the key printed by install works from the SDK.
      const anthropic = new Anthropic({ baseURL: `http://127.0.0.1:${t.port}`, apiKey: clientKey, maxRetries: 0 });
      const reply = await anthropic.messages.create({
        model: "claude-sonnet-4-6",
        max_tokens: 16,
        messages: [{ role: "user", content: "hi from termux" }],
      });
      expect(reply.content[0]).toMatchObject({ text: MOCK_REPLY_TEXT });

      // Again, from the unpacked release folder: an upgrade in place, no new secrets.
      const folder = tempDir("pocketgate-release-");
      Bun.spawnSync(["tar", "-xzf", TARBALL, "-C", folder]);
      const second = t.run("install.sh", [join(folder, "pocketgate-termux")], [NODE22_DIR]);
      expect(second.code).toBe(0);
      expect(second.out).not.toContain("Client key");
      expect(second.out).toContain("It is running");
      expect(readFileSync(t.calls, "utf8")).toBe(
        "termux-wake-lock \nsv restart pocketgate\ntermux-wake-lock \nsv restart pocketgate\n",
      );
      expect(await healthStatus(t.port)).toBe(200);
      expect(readFileSync(join(t.home, ".config/pocketgate/pocketgate.toml"), "utf8")).toContain(clientKey);

      const removed = t.run("uninstall.sh", [], [NODE22_DIR]);
      expect(removed.code).toBe(0);
      expect(removed.out).toContain("Your data is kept in");
      expect(readFileSync(t.calls, "utf8")).toEndWith("sv down pocketgate\n");
      expect(await healthStatus(t.port)).toBe(0);
      const left = t.files().filter((f) => !before.includes(f));
      expect(left.every((f) => f.startsWith("home/.config/pocketgate/"))).toBe(true);
      expect(left).toContain("home/.config/pocketgate/pocketgate.toml");
      expect(left).toContain("home/.config/pocketgate/pocketgate.db");

      const purged = t.run("uninstall.sh", ["--purge"], [NODE22_DIR]);
      expect(purged.code).toBe(0);
      expect(t.files()).toEqual(before);
    },
    90_000,
  );

  test(
    "with only Bun (and an old Node) it picks Bun",
    async () => {
      const t = await simulatedTermux({ services: true, env: upstreamEnv });
      // /usr/bin has this machine's Node 20, too old: Bun is chosen.
      const result = t.run("install.sh", [TARBALL], [bunOnlyDir()]);
      expect(result.code).toBe(0);
      expect(readFileSync(join(t.prefix, "bin/pocketgate"), "utf8")).toContain(`/bun" "${t.prefix}/share/pocketgate`);
      expect(result.out).toContain("It is running");
      expect(await healthStatus(t.port)).toBe(200);
      expect(t.run("uninstall.sh", ["--purge"], []).code).toBe(0);
      expect(await healthStatus(t.port)).toBe(0);
    },
    60_000,
  );

  test("without Node 22 or Bun it says what to install, and changes nothing", async () => {
    const t = await simulatedTermux({ services: true, env: upstreamEnv });
    const before = t.files();
    const result = t.run("install.sh", [TARBALL], []);
    expect(result.code).toBe(1);
    expect(result.out).toContain("pkg install nodejs-lts");
    expect(t.files()).toEqual(before);
  });

  test("the scripts assume no path Android lacks", () => {
    for (const script of ["install.sh", "uninstall.sh"]) {
      const text = readFileSync(join(ROOT, "android", script), "utf8");
      // Absolute paths only: $PREFIX/tmp is Termux's own and fine.
      expect(text).not.toMatch(/(^|[\s"'=(:])(\/tmp|\/etc|\/usr\/bin|\/var\/run)\b/m);
    }
  });
});
